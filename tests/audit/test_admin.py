"""The audit admin: read-only for everyone, searchable by identifier through the hash, and an
export that matches the filtered list and is itself audited."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from customers.audit.admin import CappedCountPaginator
from customers.audit.models import AuditEntry
from tests.html_tree import parse
from tests.people import make_user

MOBILE = "919999000001"
CHANGELIST = reverse("admin:customers_auditentry_changelist")
EXPORT = reverse("admin:customers_auditentry_export")

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("root")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def log(user: User, **kwargs: object) -> AuditEntry:
    values = {"user": user, "action": "lookup", "outcome": "found", "source": "INSTORE"}
    return AuditEntry.objects.log_action(**(values | kwargs))


def changelist_ids(client: Client, query: str = "") -> list[int]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return [entry.pk for entry in response.context["cl"].queryset]


def export_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.post(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_admin_is_branded_customer_lookup(superuser):
    """The admin says Customer Lookup and links back to the app."""
    response = client_for(superuser).get(reverse("admin:index"))
    assert response.context["site_header"] == "Customer Lookup"
    assert response.context["site_url"] == "/"


def test_a_superuser_cannot_add_change_or_delete_an_entry(superuser, agent):
    """The add page, a change POST and the delete page are all refused to a superuser, and
    the entry is unchanged."""
    entry = log(agent, customer_id="42")
    client = client_for(superuser)
    add = client.get(reverse("admin:customers_auditentry_add"))
    change = client.post(
        reverse("admin:customers_auditentry_change", args=[entry.pk]),
        {"outcome": "not_found", "customer_id": "666"},
    )
    delete_page = client.get(reverse("admin:customers_auditentry_delete", args=[entry.pk]))
    delete_post = client.post(
        reverse("admin:customers_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert add.status_code == 403
    assert change.status_code == 403
    assert delete_page.status_code == 403
    assert delete_post.status_code == 403
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.outcome, entry.customer_id) == ("found", "42")


def test_the_list_offers_no_bulk_actions(superuser, agent):
    """No "delete selected" or any other bulk action on the audit list."""
    log(agent)
    client = client_for(superuser)
    response = client.get(CHANGELIST)
    assert response.context["action_form"] is None
    page = parse(response.content.decode())
    assert page.find_all("select", name="action") == []
    assert page.find_all(value="delete_selected") == []
    bulk_delete = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [AuditEntry.objects.get().pk]},
    )
    assert bulk_delete.status_code in {200, 302}
    assert AuditEntry.objects.count() == 1


def test_the_detail_page_is_read_only_for_a_superuser(superuser, agent):
    """The entry's page shows its fields and offers no save button."""
    entry = log(agent, identifiers=[("mobile", MOBILE)], customer_id="42")
    response = client_for(superuser).get(
        reverse("admin:customers_auditentry_change", args=[entry.pk])
    )
    assert response.status_code == 200
    assert b"91******0001" in response.content
    assert MOBILE.encode() not in response.content
    page = parse(response.content.decode())
    assert page.find_all(name="_save") == [] and page.find_all(type="submit", name=True) == []


def test_auditors_see_the_list_and_agents_do_not(auditor, agent):
    """The audit list is for auditors: an agent, even one made staff, is refused."""
    log(agent)
    assert client_for(auditor).get(CHANGELIST).status_code == 200
    assert client_for(agent).get(CHANGELIST).status_code == 302  # to the admin login
    agent.is_staff = True
    agent.save()
    assert client_for(agent).get(CHANGELIST).status_code == 403


def test_search_by_full_mobile_finds_the_entry_through_its_hash(auditor, agent):
    """An auditor types the member's full mobile (any spacing) and finds the lookups of it,
    though the table only holds the masked value and the hash."""
    wanted = log(agent, identifiers=[("mobile", MOBILE)])
    log(agent, identifiers=[("mobile", "919999000002")])
    client = client_for(auditor)
    assert changelist_ids(client, f"?q={MOBILE}") == [wanted.pk]
    assert changelist_ids(client, "?q=%2B91+99990+00001") == [wanted.pk]
    assert changelist_ids(client, "?q=0091+99990+00001") == [wanted.pk]


def test_search_reads_a_leading_00_as_a_country_code_only_for_mobiles(auditor, agent):
    """`00AB1234` and `AB1234` are two different external ids: each finds only its own."""
    other = log(agent, identifiers=[("externalId", "AB1234")])
    wanted = log(agent, identifiers=[("externalId", "00AB1234")])
    client = client_for(auditor)
    assert changelist_ids(client, "?q=00AB1234") == [wanted.pk]
    assert changelist_ids(client, "?q=AB1234") == [other.pk]


def test_search_by_email_customer_id_request_ids_and_username(auditor, agent):
    """Search also matches an email, a customer id, either request id and a username,
    exactly."""
    by_email = log(agent, identifiers=[("email", "John@Example.com")])
    by_customer = log(agent, customer_id="343434343")
    by_backend_request = log(agent, request_id="cap-123")
    by_app_request = log(agent, app_request_id="app-456")
    client = client_for(auditor)
    assert changelist_ids(client, "?q=john@example.com") == [by_email.pk]
    assert changelist_ids(client, "?q=343434343") == [by_customer.pk]
    assert changelist_ids(client, "?q=cap-123") == [by_backend_request.pk]
    assert changelist_ids(client, "?q=app-456") == [by_app_request.pk]
    assert len(changelist_ids(client, "?q=agent")) == 4
    assert changelist_ids(client, "?q=34343") == []


def test_filters_by_action_outcome_role_source_and_user(auditor, agent):
    """The list filters narrow by action, outcome, role, source and user."""
    manager = make_user("manager", "Store managers")
    lookup = log(agent)
    reveal = log(agent, action="reveal", outcome="ok", detail="mobile")
    wechat = log(manager, source="WECHAT", outcome="not_found", backend_code="8015")
    client = client_for(auditor)
    assert changelist_ids(client, "?action__exact=reveal") == [reveal.pk]
    assert changelist_ids(client, "?outcome__exact=not_found") == [wechat.pk]
    assert changelist_ids(client, "?role=store+manager") == [wechat.pk]
    assert changelist_ids(client, "?source=WECHAT") == [wechat.pk]
    assert changelist_ids(client, f"?user__id__exact={agent.pk}") == [reveal.pk, lookup.pk]


def test_the_volume_filter_shows_users_above_the_threshold(auditor, agent):
    """ "More than 50 lookups in the last 24 hours" lists the entries of the heavy user only."""
    light = make_user("light", "Support agents")
    for _ in range(51):
        log(agent)
    log(light)
    client = client_for(auditor)
    heavy = changelist_ids(client, "?heavy=50")
    assert len(heavy) == 51
    assert {AuditEntry.objects.get(pk=pk).username for pk in heavy} == {"agent"}
    assert changelist_ids(client, "?heavy=200") == []


def test_the_list_does_not_count_the_whole_table(auditor, agent):
    """The changelist skips the unfiltered full count, and its paginator stops counting at
    its cap and says so."""
    for _ in range(12):
        log(agent)
    response = client_for(auditor).get(CHANGELIST)
    assert response.context["cl"].show_full_result_count is False

    class SmallCap(CappedCountPaginator):
        cap = 10

    paginator = SmallCap(AuditEntry.objects.all(), 5)
    assert paginator.count == 10
    assert paginator.capped is True
    assert paginator.num_pages == 2
    small = SmallCap(AuditEntry.objects.filter(pk__in=paginator.page(1).object_list[:3]), 5)
    assert (small.count, small.capped) == (3, False)


def test_the_export_matches_the_filtered_list_and_is_audited(auditor, agent):
    """The CSV holds exactly the entries of the filtered, searched list, across pages, with
    masked identifiers only, and the export leaves its own entry."""
    for number in range(3):
        log(agent, identifiers=[("mobile", MOBILE)], customer_id=f"c{number}")
    log(agent, identifiers=[("mobile", MOBILE)], outcome="not_found")
    log(agent, identifiers=[("mobile", "919999000002")])
    client = client_for(auditor)
    query = f"?outcome__exact=found&q={MOBILE}"
    expected = changelist_ids(client, query)
    rows = export_rows(client, query)
    assert [int(row["id"]) for row in rows] == expected
    assert len(rows) == 3
    assert {row["identifiers (masked)"] for row in rows} == {"mobile 91******0001"}
    assert all(MOBILE not in value for row in rows for value in row.values())

    export = AuditEntry.objects.get(action="export")
    assert (export.username, export.role, export.outcome) == ("auditor", "auditor", "ok")
    assert export.detail == "3 entries; filters: outcome__exact=found"
    assert export.identifiers_display == "search ********0001"
    assert export.hashes.get().value_hash == AuditEntry.objects.first().hashes.get().value_hash


def test_the_export_includes_every_page(auditor, agent):
    """An export is not limited to the page on screen."""
    for _ in range(105):
        log(agent)
    client = client_for(auditor)
    assert len(export_rows(client, "?p=2")) == 105


def test_the_export_neutralises_spreadsheet_formulas(auditor, agent):
    """A reason starting with "=" is exported as text, not as a formula."""
    log(agent, reason='=HYPERLINK("http://evil")')
    rows = export_rows(client_for(auditor), "?action__exact=lookup")
    assert rows[0]["reason"].startswith("'=")


def test_the_export_needs_a_post_and_the_export_permission(auditor, agent):
    """GET is refused (an export leaves an entry, so it is a POST with CSRF), and a staff user
    who may view all entries but not export is refused."""
    log(agent)
    assert client_for(auditor).get(EXPORT).status_code == 405
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name="Auditors").permissions.filter(codename="view_all_audit")
    )
    assert client_for(viewer).get(CHANGELIST).status_code == 200
    assert b"Export CSV" not in client_for(viewer).get(CHANGELIST).content
    refused = client_for(viewer).post(EXPORT)
    assert refused.status_code == 403
    assert "permission to export audit entries" in parse(refused.content).text
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_button_posts_with_the_active_filters(auditor, agent):
    """The changelist's Export CSV button posts to the export with the current filters."""
    log(agent)
    page = parse(client_for(auditor).get(CHANGELIST + "?action__exact=lookup").content)
    [export] = page.find_all("form", action=f"{EXPORT}?action__exact=lookup")
    assert export["method"] == "post"
    assert export.find("input", type="hidden", name="csrfmiddlewaretoken")["value"]
    assert export.find("button", type="submit").text == "Export CSV"


def test_the_export_checks_csrf(auditor, agent):
    """Without the CSRF token the export is refused."""
    log(agent)
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)
    assert client.post(EXPORT).status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_capped_list_says_more_than(auditor, agent, monkeypatch):
    """When the count stops at the cap, the page says "More than N" instead of a wrong total."""
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    for _ in range(12):
        log(agent)
    response = client_for(auditor).get(CHANGELIST)
    assert b"More than 10 audit entries" in response.content


def test_a_customer_history_link_filters_by_customer_id_and_date(auditor, agent):
    """The per-customer history link (?customer_id=...) and the date drill-down both narrow
    the list, so the overview can link auditors straight to a member's accesses."""
    wanted = log(agent, customer_id="42")
    log(agent, customer_id="43")
    client = client_for(auditor)
    assert changelist_ids(client, "?customer_id=42") == [wanted.pk]
    year = wanted.created_at.year
    assert changelist_ids(client, f"?customer_id=42&created_at__year={year}") == [wanted.pk]
    assert changelist_ids(client, f"?created_at__year={year - 1}") == []


def test_the_date_drill_down_lists_calendar_periods_without_scanning(auditor):
    """The date drill-down offers every month between the first and last entry, found with
    MIN and MAX only (no SELECT DISTINCT over the table), and drills down to days."""
    from datetime import UTC, datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    AuditEntry.objects.bulk_create(
        AuditEntry(created_at=datetime(2025, month, 10, tzinfo=UTC), action="lookup", outcome="ok")
        for month in (1, 3)
    )
    client = client_for(auditor)
    with CaptureQueriesContext(connection) as queries:
        content = client.get(CHANGELIST).content.decode()
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    drill = [a["href"] for a in parse(content).find("nav", class_="toplinks").find_all("a")]
    assert [link for link in drill if "created_at__month" in link] == [
        f"?created_at__month={month}&created_at__year=2025" for month in (1, 2, 3)
    ]
    month = client.get(CHANGELIST + "?created_at__year=2025&created_at__month=3").content
    days = [a["href"] for a in parse(month).find("nav", class_="toplinks").find_all("a")]
    assert "?created_at__day=10&created_at__month=3&created_at__year=2025" in days
    assert changelist_ids(client, "?created_at__year=2025&created_at__month=2") == []


def test_export_rows_come_in_the_list_order_across_chunks(agent):
    """The export fetches entries a chunk at a time and keeps the list's order."""
    from customers.audit.admin import _in_order

    ids = [log(agent).pk for _ in range(5)][::-1]
    assert [entry.pk for entry in _in_order(ids, chunk_size=2)] == ids


def test_the_export_is_kept_by_no_browser_or_proxy(auditor, agent):
    """The CSV is a copy of the trail: Cache-Control forbids storing it anywhere."""
    log(agent)
    response = client_for(auditor).post(EXPORT)

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def filter_links(html: str) -> set[str]:
    """The query strings of the filter sidebar's and the date drill-down's links."""
    return {
        link["href"]
        for link in parse(html).find_all("a", href=True)
        if link["href"].startswith("?") and len(link["href"]) > 1
    }


def test_every_filter_the_list_offers_answers(auditor):
    """Each link of the sidebar's filters and of the date drill-down, followed, gives the list:
    the filters the list takes are those it offers."""
    log(auditor, action="lookup")
    log(auditor, action="export", outcome="ok")
    client = client_for(auditor)
    queries = filter_links(client.get(CHANGELIST).content.decode())
    year = client.get(CHANGELIST + next(q for q in queries if "created_at__year" in q))
    queries |= filter_links(year.content.decode())

    assert len(queries) > 15
    for query in sorted(queries):
        assert client.get(CHANGELIST + query).status_code == 200, query


@pytest.mark.parametrize(
    "query",
    [
        "identifiers__contains=919",
        "detail__regex=(",
        "reason__icontains=call",
        "latency_ms__gt=x",
        "customer_id__in=1,2",
        "hashes__value_hash=0",
        "user__password__startswith=pbkdf2",
    ],
)
def test_a_lookup_the_list_does_not_offer_is_a_400_never_a_500(auditor, query):
    """`?identifiers__contains=919` was a 500 (a JSON lookup SQLite cannot run); any lookup the
    filters do not send is refused, in the list and in the export alike."""
    log(auditor)
    client = client_for(auditor)
    client.raise_request_exception = False

    assert client.get(f"{CHANGELIST}?{query}").status_code == 400
    assert client.post(f"{EXPORT}?{query}").status_code == 400
