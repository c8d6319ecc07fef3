"""The auditor's pages: who may open them, what they show, and that every figure links to the
audit list filtered, with the list's own filters, to exactly the entries it counts."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from customers.audit.admin import OFFERED_LOOKUPS
from customers.audit.models import AuditEntry
from tests.html_tree import parse
from tests.trail import days_ago, entry, local, person, write

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:customers_auditentry_overview")
SIGNALS = reverse("admin:customers_auditentry_signals")
CHANGELIST = reverse("admin:customers_auditentry_changelist")
MOBILE = "919999000001"


def staff_page(username: str) -> str:
    return reverse("admin:customers_auditentry_staff", args=[username])


def links_of(response) -> list[tuple[str, str]]:
    """Every link of a page with its text (an SVG bar's is its title)."""
    return [(link["href"], link.text) for link in parse(response.content).find_all("a", href=True)]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trail(settings):
    """A week of an agent's and a store manager's lookups, reveals, refusals and raw views, an
    agent whose account was deleted since, and an entry written through log_action with a full
    mobile number."""
    settings.AUDIT_BUSINESS_HOURS = "Mon-Fri 08:00-18:00"
    alice = person("alice")
    manager = person("manager", "Store managers")
    gone = person("gone")
    rows = []
    for days in range(1, 6):
        day = days_ago(days)
        rows += [entry(alice, local(day, 9, n), customer_id=f"{days}{n}") for n in range(days)]
        rows += [entry(alice, local(day, 10), outcome="not_found")]
        rows += [entry(alice, local(day, 11), action="reveal", outcome="ok")]
        rows += [entry(manager, local(day, 12), customer_id="42")]
        rows += [entry(manager, local(day, 12, 5), outcome="forbidden")]
        rows += [entry(gone, local(day, 22), customer_id="43")]
    rows += [entry(alice, local(days_ago(2), 13), action="raw_view", outcome="ok")]
    rows += [entry(manager, local(days_ago(3), 14), action="lookup", outcome="rate_limited")]
    write(rows)
    gone.delete()
    AuditEntry.objects.log_action(
        user=alice,
        action="lookup",
        outcome="found",
        identifiers=[("mobile", MOBILE)],
        customer_id="5000001",
    )
    return alice, manager


def offered() -> set[str]:
    """The query parameters the audit list takes: its filters' and date drill-down's lookups,
    and the search box."""
    return set(OFFERED_LOOKUPS) | {"q"}


def count_in(text: str) -> int | None:
    """The count a link's text gives: `12`, or a bar's `Tue 24 Nov 2026: 12 found`."""
    match = re.fullmatch(r"(?:.*: )?([\d,]+)(?: .*)?", text)
    return int(match[1].replace(",", "")) if match else None


@pytest.mark.parametrize(
    ("page", "counted_links"),
    [(OVERVIEW, 40), (SIGNALS, 2), (staff_page("alice"), 20), (staff_page("gone"), 2)],
)
def test_every_figure_links_to_the_audit_list_filtered_to_its_entries(
    trail, auditor, page, counted_links
):
    """Each link into the audit list uses only filters the list offers, and lists as many
    entries as the bar, cell or row that links there counts."""
    client = client_for(auditor)
    response = client.get(page)
    assert response.status_code == 200
    followed = 0
    for href, text in links_of(response):
        if urlsplit(href).path != CHANGELIST or "?" not in href:
            continue
        listed = client.get(href)
        assert listed.status_code == 200, href
        params = {name for name, _ in parse_qsl(urlsplit(href).query)}
        assert params <= offered(), href
        expected = count_in(text)
        if expected is not None:
            assert listed.context["cl"].result_count == expected, (href, text)
            followed += 1
    assert followed >= counted_links


def test_the_overview_draws_each_day_of_the_period_with_a_table_fallback(trail, auditor):
    """The charts are SVG with a title and description, and a table with a row per day."""
    page = parse(client_for(auditor).get(OVERVIEW + "?days=7").content)
    assert len(page.find_all("svg", class_="bar-chart")) == 4
    chart = page.find("figure", id="chart-lookups-by-outcome")
    assert chart.find("svg")["aria-labelledby"] == (
        "chart-lookups-by-outcome-title chart-lookups-by-outcome-desc"
    )
    assert chart.find("title", id="chart-lookups-by-outcome-title").text == (
        "Lookups per day, by outcome"
    )
    assert len(chart.find("table").find_all("th", scope="row")) == 7


def test_the_overview_lists_top_users_and_refusals(trail, auditor):
    response = client_for(auditor).get(OVERVIEW)
    top = [user.staff.username for user in response.context["top_users"]]
    assert top[:2] == ["alice", "manager"]
    refusals = {(r.staff.username, r.outcome, r.count) for r in response.context["refusals"]}
    assert refusals == {("manager", "forbidden", 5), ("manager", "rate_limited", 1)}


def test_the_staff_page_masks_identifiers_as_the_audit_list_does(trail, auditor):
    """Their latest entries show the mobile as the audit list does, never in full."""
    response = client_for(auditor).get(staff_page("alice"))
    entries = parse(response.content).find("section", class_="staff-entries").text
    assert "Mobile 91******0001" in entries
    assert MOBILE not in response.content.decode()
    assert response.context["role"] == "agent"


def test_the_staff_page_of_a_deleted_account_links_through_the_username(trail, auditor):
    """An account deleted since keeps its page; its links search the list by username."""
    response = client_for(auditor).get(staff_page("gone"))
    assert response.status_code == 200
    assert response.context["member"].list_filters == {"q": "gone"}


def test_the_staff_page_of_nobody_is_not_found(auditor):
    assert client_for(auditor).get(staff_page("nobody")).status_code == 404


def test_a_period_that_is_not_offered_falls_back_to_the_default(trail, auditor):
    response = client_for(auditor).get(OVERVIEW + "?days=100000000000000000000")
    assert response.status_code == 200
    assert response.context["window_days"] == 90


@pytest.mark.parametrize("page", [OVERVIEW, SIGNALS, staff_page("alice")])
@pytest.mark.parametrize(
    ("group", "is_staff"),
    [("Support agents", False), ("Store managers", False), ("Support agents", True)],
)
def test_agents_and_managers_are_refused(page, group, is_staff):
    """Anyone without the audit permission gets the 403 page naming it, staff or not."""
    response = client_for(person("someone", group, is_staff=is_staff)).get(page)
    assert response.status_code == 403
    assert "view every audit entry" in parse(response.content).text


def test_an_auditor_without_staff_status_is_refused():
    """The figures link into the admin's list, which needs staff status."""
    response = client_for(person("someone", "Auditors")).get(OVERVIEW)
    assert response.status_code == 403
    assert "may not open this page" in parse(response.content).text
    assert "no-store" in response["Cache-Control"]


def test_signing_in_comes_first(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_pages_answer_only_get(auditor):
    assert client_for(auditor).post(OVERVIEW).status_code == 405


def test_auditors_find_the_pages_from_the_admin_index_the_header_and_the_list(auditor):
    """The admin index, every page's header and the audit list link to the overview."""
    client = client_for(auditor)
    for page in (reverse("admin:index"), CHANGELIST, OVERVIEW):
        hrefs = [href for href, _ in links_of(client.get(page))]
        assert OVERVIEW in hrefs, page
    assert SIGNALS in [href for href, _ in links_of(client.get(CHANGELIST))]


def test_others_get_no_link_to_the_pages(client):
    superuser_free_agent = person("agent", "Support agents", is_staff=True)
    client.force_login(superuser_free_agent)
    hrefs = [href for href, _ in links_of(client.get(reverse("admin:index")))]
    assert OVERVIEW not in hrefs
