"""The audit trail: what log_action stores, that it stores no plaintext, that it never changes,
and retention through prune_audit."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory, override_settings
from django.utils import timezone

from customers.audit.models import (
    Action,
    AuditEntry,
    AuditEntryImmutableError,
    AuditIdentifier,
    Outcome,
)
from customers.masking import identifier_hash

MOBILE = "919999000001"
EMAIL = "john.smith@example.com"

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> list[str]:
    """Every column of every row of a table, as text, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return [" | ".join(str(value) for value in row) for row in cursor.fetchall()]


def log_lookup(user: User | None, **kwargs: object) -> AuditEntry:
    values = {
        "user": user,
        "action": Action.LOOKUP,
        "outcome": Outcome.FOUND,
        "source": "INSTORE",
        "identifiers": [("mobile", MOBILE), ("email", EMAIL)],
        "customer_id": "343434343",
    }
    return AuditEntry.objects.log_action(**(values | kwargs))


def test_it_records_every_field_of_a_lookup(agent):
    """log_action stores who, their role, the address, what, the outcome and the backend's
    answer, with the identifiers masked."""
    entry = log_lookup(
        agent,
        client_ip="203.0.113.7",
        account_id="",
        embeds=["points", "tiers", " "],
        backend_code=8015,
        request_id="cap-req-1",
        app_request_id="app-req-1",
        latency_ms=123.6,
        reason="ticket 4512",
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.username == "agent"
    assert entry.role == "agent"
    assert entry.client_ip == "203.0.113.7"
    assert (entry.action, entry.outcome, entry.source) == ("lookup", "found", "INSTORE")
    assert entry.identifier_types == "mobile, email"
    assert entry.identifiers_display == "mobile 91******0001, email j***@e***.com"
    assert entry.embeds == "points,tiers"
    assert (entry.customer_id, entry.backend_code) == ("343434343", "8015")
    assert (entry.request_id, entry.app_request_id) == ("cap-req-1", "app-req-1")
    assert entry.latency_ms == 124
    assert entry.reason == "ticket 4512"
    assert sorted(entry.hashes.values_list("value_hash", flat=True)) == sorted(
        [identifier_hash(MOBILE), identifier_hash(EMAIL)]
    )


def test_it_stores_no_plaintext_identifier_in_any_column(agent):
    """Neither the full mobile nor the full email appears anywhere in the audit tables, even
    when staff type them into the reason."""
    log_lookup(agent, reason=f"member {MOBILE} <{EMAIL}> asked about points")
    rows = raw_rows(AuditEntry._meta.db_table) + raw_rows(AuditIdentifier._meta.db_table)
    assert rows
    for row in rows:
        assert MOBILE not in row
        assert "9999000001" not in row
        assert EMAIL not in row
        assert "john.smith" not in row


@pytest.mark.parametrize("outcome", Outcome.values)
def test_it_records_each_outcome(agent, outcome):
    """Every outcome (found, not found, invalid, error, rate limited, forbidden, ok) is
    recorded as given."""
    entry = log_lookup(agent, outcome=outcome)
    assert AuditEntry.objects.get(pk=entry.pk).outcome == outcome


@pytest.mark.parametrize("action", Action.values)
def test_it_records_each_action(agent, action):
    """Every action (lookup, view section, reveal, raw view, export, refused) is recorded."""
    entry = log_lookup(agent, action=action, detail="cards")
    assert AuditEntry.objects.get(pk=entry.pk).action == action


def test_it_refuses_an_unknown_action_or_outcome(agent):
    """A typo in a caller fails loudly instead of writing an entry no filter finds."""
    with pytest.raises(ValueError, match="action"):
        log_lookup(agent, action="lookedup")
    with pytest.raises(ValueError, match="outcome"):
        log_lookup(agent, outcome="fine")
    assert not AuditEntry.objects.exists()


def test_it_clips_long_values_instead_of_failing(agent):
    """A pasted novel as reason, or a huge identifier, still gives an entry; an accountId far
    longer than one is not kept as typed."""
    entry = log_lookup(
        agent,
        reason="r" * 5000,
        account_id="a" * 500,
        identifiers=[("externalId", "x" * 5000)],
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert len(entry.reason) == 500
    assert entry.account_id == "************aaaa"
    assert entry.identifiers_display.endswith("xxxx")


def test_it_strips_control_characters_a_database_would_refuse(agent):
    """A NUL pasted into source or accountId (PostgreSQL refuses NUL in text) still gives an
    entry, without the control characters."""
    entry = log_lookup(agent, source="INST\x00ORE", account_id="acc\x00\x1f1")
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.source, entry.account_id) == ("INSTORE", "acc1")


def test_it_skips_empty_identifiers(agent):
    """Blank identifier rows of the form are not recorded."""
    entry = log_lookup(agent, identifiers=[("mobile", MOBILE), ("email", "  "), ("email", None)])
    assert entry.identifier_types == "mobile"
    assert entry.hashes.count() == 1


def test_log_request_takes_user_role_and_address_from_the_request(agent):
    """log_request fills the user, the role and REMOTE_ADDR, ignoring X-Forwarded-For when
    not behind our proxy (a client can write that header)."""
    request = RequestFactory().get(
        "/lookup/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    request.user = agent
    entry = AuditEntry.objects.log_request(request, action="lookup", outcome="not_found")
    assert (entry.username, entry.role, entry.client_ip) == ("agent", "agent", "198.51.100.4")


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_log_request_believes_the_last_forwarded_address_behind_our_proxy(agent):
    """Behind the HTTPS proxy, the client address is the last X-Forwarded-For entry: the one
    our proxy added, not one the client forged in front of it."""
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    request.user = agent
    entry = AuditEntry.objects.log_request(request, action="lookup", outcome="found")
    assert entry.client_ip == "203.0.113.9"


def test_log_request_records_an_anonymous_user_without_a_user(agent):
    """A refusal before sign-in is recorded with no user and the role "none"."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    request.user = AnonymousUser()
    entry = AuditEntry.objects.log_request(request, action="refused", outcome="forbidden")
    assert (entry.user, entry.username, entry.role, entry.client_ip) == (None, "", "none", None)


def test_control_characters_in_a_typed_identifier_name_do_not_break_the_write(agent):
    """A NUL typed as an identifier's type (PostgreSQL's JSON refuses it) is dropped."""
    entry = log_lookup(agent, identifiers=[("\x00mobile", MOBILE), ("\x00", "0")])

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert [item["name"] for item in stored.identifiers] == ["mobile", ""]
    assert MOBILE not in str(stored.identifiers)


def test_an_entry_cannot_be_changed(agent):
    """save() on an existing entry and queryset update() both refuse."""
    entry = log_lookup(agent)
    entry.outcome = Outcome.NOT_FOUND
    with pytest.raises(AuditEntryImmutableError):
        entry.save()
    with pytest.raises(AuditEntryImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(outcome="not_found")
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "found"


def test_an_entry_cannot_be_deleted(agent):
    """delete() on an entry or a queryset refuses; the entries stay."""
    entry = log_lookup(agent)
    with pytest.raises(AuditEntryImmutableError):
        entry.delete()
    with pytest.raises(AuditEntryImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_the_identifier_hashes_an_auditor_searches_by_cannot_be_changed_or_deleted(agent):
    """Without its hashes an entry could no longer be found by mobile or email: they refuse
    changes and deletion like the entry, one by one and in bulk."""
    entry = log_lookup(agent)
    hashed = entry.hashes.get(name="mobile")
    hashed.value_hash = "0" * 64
    for attempt in (
        hashed.save,
        hashed.delete,
        lambda: AuditIdentifier.objects.filter(entry=entry).update(value_hash="0" * 64),
        lambda: AuditIdentifier.objects.filter(entry=entry).delete(),
    ):
        with pytest.raises(AuditEntryImmutableError):
            attempt()
    assert entry.hashes.get(name="mobile").value_hash == identifier_hash(MOBILE)


def test_deleting_a_user_keeps_their_entries(agent):
    """The trail outlives the account: the entry keeps the username."""
    entry = log_lookup(agent)
    agent.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user, entry.username) == (None, "agent")


def test_visible_to_gives_auditors_everything_and_others_their_own(agent):
    """Auditors and superusers see every entry; agents and store managers only theirs."""
    manager = User.objects.create_user("manager")
    manager.groups.add(Group.objects.get(name="Store managers"))
    auditor = User.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    boss = User.objects.create_superuser("boss")
    mine, theirs = log_lookup(agent), log_lookup(manager)
    assert list(AuditEntry.objects.visible_to(agent)) == [mine]
    assert list(AuditEntry.objects.visible_to(manager)) == [theirs]
    assert set(AuditEntry.objects.visible_to(auditor)) == {mine, theirs}
    assert set(AuditEntry.objects.visible_to(boss)) == {mine, theirs}
    assert not AuditEntry.objects.visible_to(None).exists()


def test_customer_history_counts_distinct_staff_in_the_window(agent):
    """ "Viewed by 2 staff in the last 30 days": entries about the member in the window, and how
    many different people they were."""
    other = User.objects.create_user("other-agent")
    log_lookup(agent, customer_id="42")
    log_lookup(agent, customer_id="42", action="view_section", detail="cards")
    log_lookup(other, customer_id="42")
    log_lookup(other, customer_id="43")
    # Tried and refused: in the history, but they did not view the member.
    refused = User.objects.create_user("auditor")
    log_lookup(refused, customer_id="42", action="view_section", outcome=Outcome.FORBIDDEN)
    history = AuditEntry.objects.customer_history("42")
    assert history.staff_count == 2
    assert history.entries.count() == 4
    assert history.days == 30
    assert AuditEntry.objects.customer_history("42", days=0).entries.count() == 0


def make_old_entries(ages_in_days: list[int]) -> None:
    """Entries created `age` days ago, written as generate_audit does (bulk, past dates)."""
    now = timezone.now()
    entries = AuditEntry.objects.bulk_create(
        AuditEntry(created_at=now - timedelta(days=age), action="lookup", outcome="found")
        for age in ages_in_days
    )
    AuditIdentifier.objects.bulk_create(
        AuditIdentifier(entry=entry, name="mobile", value_hash="0" * 64) for entry in entries
    )


def test_prune_audit_deletes_only_entries_older_than_the_given_days(capsys):
    """prune_audit --older-than 90 removes older entries and their hashes, keeps the rest."""
    make_old_entries([1, 30, 89, 91, 365, 400])
    call_command("prune_audit", "--older-than", "90")
    kept = AuditEntry.objects.exclude(action=Action.PRUNE)
    ages = sorted(
        (timezone.now() - created).days for created in kept.values_list("created_at", flat=True)
    )
    assert ages == [1, 30, 89]
    assert AuditIdentifier.objects.count() == 3
    assert "Deleted 3 audit entries older than 90 days." in capsys.readouterr().out
    # The run is itself on the record (tests/audit/test_audit_chain.py has the details).
    [record] = AuditEntry.objects.filter(action=Action.PRUNE)
    assert "deleted 3 entries" in record.detail


def test_prune_audit_dry_run_deletes_nothing(capsys):
    """--dry-run only counts."""
    make_old_entries([1, 100])
    call_command("prune_audit", "--older-than", "90", "--dry-run")
    assert AuditEntry.objects.count() == 2
    assert "1 audit entries are older than 90 days." in capsys.readouterr().out


def test_prune_audit_refuses_zero_days():
    """--older-than 0 would empty the trail: refused."""
    make_old_entries([1])
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_audit", "--older-than", "0")
    assert AuditEntry.objects.count() == 1


def test_prune_audit_works_across_batches(monkeypatch):
    """More old entries than one batch are all deleted."""
    monkeypatch.setattr("customers.audit.models.PRUNE_BATCH", 3)
    make_old_entries([100] * 7 + [1])
    assert AuditEntry.objects.prune(timezone.now() - timedelta(days=90)) == 7
    assert AuditEntry.objects.exclude(action=Action.PRUNE).count() == 1


@override_settings(DEBUG=True)
def test_generate_audit_inserts_masked_hashed_synthetic_entries():
    """generate_audit N writes N entries, each with a masked mobile and its hash."""
    call_command("generate_audit", "250", "--batch-size", "100", "--users", "3", stdout=None)
    assert AuditEntry.objects.count() == 250
    assert AuditIdentifier.objects.count() == 250
    assert AuditEntry.objects.values("user").distinct().count() == 3
    assert all("******" in e.identifiers_display for e in AuditEntry.objects.all()[:20])


def test_generate_audit_refuses_with_debug_off():
    """Made-up entries never reach a real trail by accident."""
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_audit", "10")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("reason", "kept"),
    [
        ("customers 919999000001/919999000002", ["customers "]),
        ("called from 91.9999.000001 today", ["called from ", " today"]),
        ("ref919999000001", ["ref"]),
        ("call back +1 (555) 123-4567", ["call back "]),
        ("0091 99990 00001 asked", [" asked"]),
        ("mail Priya.Sharma+vip@Example.co.uk", ["mail "]),
    ],
)
def test_reasons_keep_no_phone_number_however_it_is_written(agent, reason, kept):
    """Mobiles with spaces, dots, dashes, parentheses, slashes, + or 00, or letters around
    them, and emails, are masked in the stored reason (at most a country code and the last
    four digits stay); the words around them stay."""
    entry = log_lookup(agent, reason=reason, detail=reason)
    entry = AuditEntry.objects.get(pk=entry.pk)
    for column in (entry.reason, entry.detail):
        assert len(re.sub(r"\D", "", column)) <= 6, column
        assert "@Example.co.uk" not in column
        assert all(words in column for words in kept)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("source", "919999000001"),
        ("account_id", "priya.sharma@example.com"),
        ("account_id", "+91 99990 00001"),
    ],
)
def test_a_source_or_account_that_is_an_identifier_is_stored_masked(agent, field, typed):
    """Not a source's or an account's shape: masked, keeping its last four."""
    entry = log_lookup(agent, **{field: typed})
    stored = getattr(AuditEntry.objects.get(pk=entry.pk), field)
    assert stored.endswith(typed[-4:])
    assert typed not in stored
    assert not re.search(r"\d{5}", stored)


def test_known_sources_accounts_and_names_are_kept_as_typed(agent):
    entry = log_lookup(
        agent,
        source="WECHAT",
        account_id="wechat-cn-01",
        identifiers=[("externalId", "EXT-0042")],
        embeds=["mlp", "points"],
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.source, entry.account_id, entry.embeds) == (
        "WECHAT",
        "wechat-cn-01",
        "mlp,points",
    )
    assert entry.identifiers == [{"name": "externalId", "value": "****0042"}]


def test_an_identifier_name_that_is_a_mobile_is_stored_masked(agent):
    """identifierName=919999000004 kept the number in the identifier's name."""
    entry = log_lookup(agent, identifiers=[("919999000004", "x"), ("mobile", MOBILE)])
    entry = AuditEntry.objects.get(pk=entry.pk)
    names = [item["name"] for item in entry.identifiers]
    assert names == ["********0004", "mobile"]
    assert set(entry.hashes.values_list("name", flat=True)) == {"********0004", "mobile"}
