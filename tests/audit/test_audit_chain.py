"""The audit trail's hash chain and `manage.py verify_audit`: every entry joins the chain as it
is written, an entry changed, removed or added past the app is named, and prune_audit's
deletions are told apart from anyone else's."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import override_settings
from django.utils import timezone

from customers.audit.chain import GENESIS
from customers.audit.models import Action, AuditChain, AuditEntry, AuditIdentifier, Outcome

MOBILE = "919999000001"

pytestmark = pytest.mark.django_db


def write(count: int = 1, **kwargs: object) -> list[AuditEntry]:
    """`count` lookups written the app's way, through log_action."""
    values = {
        "user": None,
        "action": Action.LOOKUP,
        "outcome": Outcome.FOUND,
        "source": "INSTORE",
        "client_ip": "203.0.113.7",
        "identifiers": [("mobile", MOBILE)],
        "customer_id": "5000001",
        "latency_ms": 42,
        "reason": "ticket 4711",
    }
    return [AuditEntry.objects.log_action(**(values | kwargs)) for _ in range(count)]


def write_days_ago(monkeypatch: pytest.MonkeyPatch, days: list[int]) -> list[AuditEntry]:
    """One entry per age in `days`, written through log_action at that time in the past."""
    entries = []
    real_now = timezone.now
    for age in days:
        monkeypatch.setattr(timezone, "now", lambda age=age: real_now() - timedelta(days=age))
        entries += write()
    monkeypatch.setattr(timezone, "now", real_now)
    return entries


def tamper(entry: AuditEntry, **values: object) -> None:
    """Changes a stored entry past the app's refusal, as someone with database access could."""
    models.QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), **values)


def remove(*entries: AuditEntry) -> None:
    models.QuerySet.delete(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]))


def verify(*args: str) -> str:
    """verify_audit's output; raises CommandError naming the first break."""
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_each_entry_links_to_the_one_before_it():
    """Entries are numbered in the order written; each stores the digest of the one before it
    (the first, the all-zero genesis value) and a digest of its own."""
    entries = write(3)
    stored = list(AuditEntry.objects.order_by("sequence"))
    first = stored[0].sequence
    assert [e.sequence for e in stored] == [first, first + 1, first + 2]
    assert [e.pk for e in stored] == [e.pk for e in entries]
    assert stored[1].previous_digest == stored[0].digest
    assert stored[2].previous_digest == stored[1].digest
    assert len({e.digest for e in stored}) == 3
    if first == 1:
        assert stored[0].previous_digest == GENESIS
    head = AuditChain.objects.get()
    assert (head.sequence, head.digest) == (stored[2].sequence, stored[2].digest)


def test_verify_audit_reports_an_intact_trail():
    write(4)
    output = verify()
    assert "The audit trail is intact: entries 1 to 4 (4 in all)" in output


def test_an_empty_trail_is_intact():
    assert "no chained entries yet" in verify()


TAMPERINGS = {
    "username": "someone-else",
    "role": "superuser",
    "client_ip": "198.51.100.1",
    "action": Action.REVEAL,
    "outcome": Outcome.NOT_FOUND,
    "source": "WECHAT",
    "account_id": "wechat-cn-01",
    "identifiers": [],
    "embeds": "points",
    "customer_id": "5000002",
    "backend_code": "8015",
    "request_id": "cap-other",
    "app_request_id": "app-other",
    "latency_ms": 4242,
    "reason": "no reason",
    "detail": "cards",
    "created_at": timezone.now() - timedelta(days=3),
}


@pytest.mark.parametrize("column", sorted(TAMPERINGS))
def test_a_change_to_any_recorded_fact_is_named(column):
    """Whatever column of an entry is changed in the database, verify_audit names that entry
    as changed."""
    entries = write(4)
    tamper(entries[1], **{column: TAMPERINGS[column]})
    with pytest.raises(CommandError, match=r"broken at entry 2: entry 2 \(.*\) does not match"):
        verify()


def test_a_changed_identifier_hash_is_named():
    """The keyed hashes an auditor searches by are covered too: replacing one hides the entry
    from a search by that mobile."""
    entries = write(3)
    models.QuerySet.update(AuditIdentifier.objects.filter(entry=entries[2]), value_hash="0" * 64)
    with pytest.raises(CommandError, match=r"broken at entry 3: entry 3 .* does not match"):
        verify()


def test_renumbering_or_relinking_an_entry_is_named():
    entries = write(3)
    tamper(entries[1], previous_digest="f" * 64)
    with pytest.raises(CommandError, match="broken at entry 2"):
        verify()


def test_an_entry_removed_from_the_middle_is_named_by_the_gap():
    entries = write(5)
    remove(entries[2])
    with pytest.raises(
        CommandError, match=r"broken at entry 3: entry 3 is missing between entry 2 and entry 4 \("
    ):
        verify()


def test_entries_removed_from_the_end_are_named_from_the_chains_head():
    entries = write(5)
    remove(entries[3], entries[4])
    with pytest.raises(
        CommandError, match="broken at entry 4: entries 4 to 5 are missing from the end"
    ):
        verify()


def test_entries_removed_from_the_start_without_prune_audit_are_named():
    entries = write(5)
    remove(entries[0], entries[1])
    with pytest.raises(
        CommandError,
        match=r"broken at entry 1: entries 1 to 2 are gone from the start .* no prune_audit",
    ):
        verify()


def test_verify_audit_needs_the_key_the_entries_were_signed_with():
    """Digests are keyed (AUDIT_SIGNING_KEY), so whoever lacks the key cannot recompute them
    after an edit; with another key the very first entry fails."""
    write(2)
    with (
        override_settings(AUDIT_SIGNING_KEY="another-key"),
        pytest.raises(CommandError, match=r"broken at entry 1: .*another AUDIT_SIGNING_KEY"),
    ):
        verify()
    verify()


def test_deleting_a_user_leaves_the_chain_intact():
    """Deleting an account empties the entries' user column (the username stays): a change the
    chain expects, so it covers the username instead."""
    user = User.objects.create_user("agent")
    write(2, user=user)
    user.delete()
    assert "intact" in verify()


def test_pruning_the_oldest_entries_is_recorded_and_not_taken_for_tampering(monkeypatch):
    """prune_audit deletes the old entries, writes a prune record naming where the trail now
    starts, and verify_audit checks the rest from the first remaining entry's stored link."""
    entries = write_days_ago(monkeypatch, [400, 380, 10, 5])
    call_command("prune_audit", "--older-than", "365", stdout=None)

    remaining = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in remaining] == [3, 4, 5]
    record = remaining[-1]
    assert (record.action, record.outcome, record.username) == ("prune", "ok", "")
    assert "deleted 2 entries" in record.detail
    assert "the trail now starts at entry 3" in record.detail
    assert remaining[0].previous_digest == entries[1].digest
    output = verify()
    assert "intact: entries 3 to 5" in output
    assert "prune_audit" in output


def test_deleting_more_than_prune_audit_did_is_named(monkeypatch):
    """After a prune, removing the oldest remaining entry is still a break: the prune record
    says where the trail starts."""
    write_days_ago(monkeypatch, [400, 10, 5])
    call_command("prune_audit", "--older-than", "365", stdout=None)
    remove(AuditEntry.objects.get(sequence=2))
    with pytest.raises(
        CommandError, match=r"broken at entry 2: entry 2 is gone from the start .* from entry 2"
    ):
        verify()


def test_a_prune_that_stopped_half_way_is_not_tampering(monkeypatch):
    """The prune record is written first: if the deletion stops early, the extra old entries
    still make an unbroken chain."""
    write_days_ago(monkeypatch, [400, 390, 380, 5])
    monkeypatch.setattr("customers.audit.models.PRUNE_BATCH", 1)
    real_delete = models.QuerySet.delete
    calls = []

    def delete_once(queryset):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("the prune was stopped")
        return real_delete(queryset)

    monkeypatch.setattr(models.QuerySet, "delete", delete_once)
    with pytest.raises(RuntimeError):
        AuditEntry.objects.prune(timezone.now() - timedelta(days=365))
    monkeypatch.setattr(models.QuerySet, "delete", real_delete)
    assert "intact: entries 2 to 5" in verify()


def test_pruning_keeps_the_chain_a_single_run_when_clocks_disagree(monkeypatch):
    """An entry older than the cut-off that follows a newer one (another instance's clock)
    stays: the chain is pruned as a prefix, up to the first entry new enough to keep."""
    write_days_ago(monkeypatch, [400, 5, 400, 3])
    call_command("prune_audit", "--older-than", "365", stdout=None)
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        2,
        3,
        4,
        5,
    ]
    assert "intact" in verify()


def test_entries_older_than_the_chain_are_counted_not_taken_for_tampering():
    """Rows written before the chain existed (or by generate_audit) have no sequence: they are
    reported as outside the chain, which stays intact."""
    AuditEntry.objects.bulk_create([AuditEntry(action="lookup", outcome="found")] * 2)
    write(2)
    output = verify()
    assert "intact: entries 1 to 2" in output
    assert "2 entries are outside the chain" in output


def test_the_release_before_the_chain_can_still_write_entries_during_a_rolling_deploy():
    """Its INSERT names only the columns it knows: the new ones are nullable or have a database
    default, so an instance not yet restarted goes on recording, outside the chain."""
    columns = ["created_at", "username", "role", "action", "outcome", "source", "account_id",
               "identifiers", "embeds", "customer_id", "backend_code", "request_id",
               "app_request_id", "reason", "detail"]  # fmt: skip
    values = [timezone.now(), "agent", "agent", "lookup", "found", "INSTORE", "", "[]", "", "1",
              "", "", "", "", ""]  # fmt: skip
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608 (names, not input)
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(values))})",
            values,
        )
    write(1)
    assert "1 entries are outside the chain" in verify()


def test_the_chains_head_is_rebuilt_from_the_newest_entry_if_it_is_lost():
    """A restore of the entries without the head row, or a flushed database, does not stop
    audit writes: the head starts again after the newest entry."""
    write(2)
    AuditChain.objects.all().delete()
    [entry] = write()
    assert entry.sequence == 3
    assert "intact: entries 1 to 3" in verify()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_agree_on_one_order():
    """Threads writing at once (each with its own connection, as gunicorn's threads and
    instances have) get distinct, gapless numbers and an intact chain."""
    failures = []

    def writer():
        try:
            write(15)
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    numbers = sorted(AuditEntry.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 91))
    assert "intact: entries 1 to 90" in verify()
