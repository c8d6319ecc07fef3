"""Every request that shows or acts on member data leaves exactly one audit entry.

The test walks the app's URL patterns: each one is either in AUDITED, with the outcomes its
view can have, or in NOT_MEMBER_DATA, with the reason it touches no member data. A URL added to
customers/urls.py without being listed here fails `test_every_url_is_covered`. Then, for each
audited URL, every built-in role and each outcome the view can have (found, not found, invalid,
backend error, rate limited, forbidden), one request is made and the new audit entries counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from customers import urls
from customers.audit.models import Action, AuditEntry, Outcome
from customers.platform import ratelimit
from tests.accounts.test_permissions import make_user
from tests.faultserver import refused_url

pytestmark = pytest.mark.django_db

AARAV = 5000001
UNKNOWN = 5999999
ROLES = ("agent", "manager", "auditor", "superuser", "plain")
SEARCH = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"}
UNKNOWN_MOBILE = {**SEARCH, "identifierValue": "919999999999"}
INVALID = {**SEARCH, "identifierName": "shoe size"}
WECHAT = {**SEARCH, "source": "WECHAT", "accountId": "wechat-cn-01"}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    data: dict[str, str]


def lookup_get(params: dict[str, str]) -> Case:
    return Case("get", "/lookup/?" + urlencode(params), {})


def page(section: str, customer_id: int = AARAV) -> Case:
    suffix = "" if section == "overview" else f"{section}/"
    return Case("get", f"/customers/{customer_id}/{suffix}", {})


def post(customer_id: int, action: str, **data: str) -> Case:
    return Case("post", f"/customers/{customer_id}/{action}/", data)


# For each audited URL name: (the action of its entries, the permissions' holders among ROLES,
# and for each outcome the request that produces it). "error" is a backend that cannot be
# reached; "rate_limited" a user who has spent LOOKUP_RATE_LIMIT.
SECTION_OUTCOMES: dict[str, Callable[[str], Case]] = {
    Outcome.OK: page,
    Outcome.NOT_FOUND: lambda section: page(section, UNKNOWN),
    Outcome.ERROR: page,
    Outcome.RATE_LIMITED: page,
}
AGENTS = ("agent", "superuser")
LOOKERS = ("agent", "manager", "superuser")
AUDITED: dict[str, tuple[str, tuple[str, ...], dict[str, Case]]] = {
    "lookup": (
        Action.LOOKUP,
        LOOKERS,
        {
            Outcome.FOUND: Case("post", "/lookup/", SEARCH),
            Outcome.NOT_FOUND: Case("post", "/lookup/", UNKNOWN_MOBILE),
            Outcome.INVALID: Case("post", "/lookup/", INVALID),
            Outcome.ERROR: Case("post", "/lookup/", SEARCH),
            Outcome.RATE_LIMITED: Case("post", "/lookup/", SEARCH),
            "pasted": lookup_get(SEARCH),
            "pasted invalid": lookup_get(INVALID),
        },
    ),
    **{
        section: (
            Action.RAW_VIEW if section == "raw" else Action.VIEW_SECTION,
            AGENTS if section == "raw" else LOOKERS,
            {outcome: case(section) for outcome, case in SECTION_OUTCOMES.items()},
        )
        for section in ("overview", "programs", "cards", "currencies", "tiers", "profile", "raw")
    },
    "refresh": (
        Action.VIEW_SECTION,
        LOOKERS,
        {
            Outcome.OK: post(AARAV, "refresh"),
            Outcome.NOT_FOUND: post(UNKNOWN, "refresh"),
            Outcome.ERROR: post(AARAV, "refresh"),
            Outcome.RATE_LIMITED: post(AARAV, "refresh"),
        },
    ),
    "reveal": (
        Action.REVEAL,
        AGENTS,
        {
            Outcome.OK: post(AARAV, "reveal", field="mobile"),
            Outcome.INVALID: post(AARAV, "reveal", field="<script>"),
        },
    ),
}
NOT_MEMBER_DATA: dict[str, str] = {
    "search": "the search form and the user's own recent lookups, read from the audit trail",
    "healthz": "a database query and a cache round trip for load balancers",
    "metrics": "counts and timings of backend calls and refusals, no member data (METRICS_TOKEN)",
    "my_lookups": "the user's own audit entries",
    "history": "audit entries about a customer (masked), never the member's data",
}


def url_names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= url_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_is_covered():
    """Each of the app's URLs is audited and in the matrix below, or says why it holds no
    member data; an audited view is exactly one that the matrix covers."""
    names = url_names(urls.urlpatterns)
    assert names == set(AUDITED) | set(NOT_MEMBER_DATA)
    for pattern in urls.urlpatterns:
        audited = getattr(pattern.callback, "audited_action", None)
        assert (audited is not None) == (pattern.name in AUDITED), pattern.name


def test_the_app_mounts_no_other_url_of_its_own():
    """The project's other URLs are the accounts pages and the admin (whose login and logout
    are the same audited sign-in and sign-out, customers/accounts/views.py), the sandbox, and
    the language's two (the picker and the JavaScript catalogue), which show no member."""
    mounted = {str(p.pattern) for p in get_resolver().url_patterns}
    assert mounted == {
        "accounts/",
        "admin/login/",
        "admin/logout/",
        "admin/",
        "sandbox/",
        "i18n/setlang/",
        "i18n/js/",
        "",
    }


def cases() -> list[tuple[str, str, str, str]]:
    """(URL name, role, outcome, expected outcome) for every audited URL."""
    found = []
    for name, (_action, holders, outcomes) in AUDITED.items():
        for role in ROLES:
            if role not in holders:
                # Refused before anything else: the first request of the URL stands for all.
                found.append((name, role, next(iter(outcomes)), Outcome.FORBIDDEN))
                continue
            for outcome in outcomes:
                expected = {"pasted": Outcome.FOUND, "pasted invalid": Outcome.INVALID}
                found.append((name, role, outcome, expected.get(outcome, outcome)))
    if "manager" in LOOKERS:
        # A store manager searching a source they may not use.
        found.append(("lookup", "manager", "other source", Outcome.FORBIDDEN))
    return found


@pytest.mark.parametrize(("name", "role", "outcome", "expected"), cases())
def test_each_request_leaves_exactly_one_entry(sandbox, name, role, outcome, expected):
    """One request of each URL, role and outcome writes one entry, with the URL's action and
    the request's outcome."""
    action, _holders, outcomes = AUDITED[name]
    case = Case("post", "/lookup/", WECHAT) if outcome == "other source" else outcomes[outcome]
    user = make_user(role)
    client = Client()
    client.force_login(user)
    if outcome == Outcome.ERROR:
        sandbox.LOOKUP_API_BASE_URL = refused_url()
        sandbox.LOOKUP_API_USERNAME, sandbox.LOOKUP_API_PASSWORD = "till", "till-password"
        sandbox.LOOKUP_API_TIMEOUT = 0.3
    if outcome == Outcome.RATE_LIMITED:
        sandbox.LOOKUP_RATE_LIMIT = "1/d"
        assert ratelimit.check_lookup_rate(user).allowed
    before = AuditEntry.objects.count()

    response = getattr(client, case.method)(case.path, case.data)

    assert response.status_code != 500
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.outcome) for e in entries] == [(action, expected)]
    assert entries[0].username == user.username


def test_the_page_a_lookup_lands_on_is_covered_by_the_lookups_entry(sandbox, agent, client):
    """The one request that writes no entry of its own: the overview a lookup redirects to,
    which shows that lookup's answer; the next visit of the same page is audited again."""
    lookup = client.post("/lookup/", SEARCH)
    assert (lookup.status_code, lookup["Location"]) == (303, f"/customers/{AARAV}/")
    before = AuditEntry.objects.count()

    landed = client.get(lookup["Location"])
    again = client.get(lookup["Location"])

    assert landed.status_code == again.status_code == 200
    entries = list(AuditEntry.objects.order_by("pk")[before - 1 :])
    assert [(e.action, e.outcome) for e in entries] == [
        (Action.LOOKUP, Outcome.FOUND),
        (Action.VIEW_SECTION, Outcome.OK),
    ]


def test_an_unexpected_error_is_audited_and_shown_as_the_500_page(sandbox, agent, monkeypatch):
    """A bug in a view still leaves the entry of what was attempted, as an error."""
    client = Client(raise_request_exception=False)
    client.force_login(agent)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("customers.lookup.services.customer_lookup", broken)
    response = client.post("/lookup/", SEARCH)

    assert response.status_code == 500
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.detail) == (
        Action.LOOKUP,
        Outcome.ERROR,
        "RuntimeError",
    )
    assert entry.identifiers == [{"name": "mobile", "value": "91******0001"}]


def test_member_pages_are_kept_by_no_browser_or_proxy(sandbox, agent, client):
    """Answers with member data, found or not, say Cache-Control: no-store, private."""
    found = client.get(page("overview").path)
    not_found = client.post("/lookup/", UNKNOWN_MOBILE)

    for response in (found, not_found):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives


def test_another_users_landing_cookie_does_not_cover_a_page(sandbox, client):
    """The landing cookie is signed for the user who looked up: a copied one covers nothing."""
    first, second = Client(), Client()
    first.force_login(make_user("agent"))
    second.force_login(make_user("superuser"))
    lookup = first.post("/lookup/", SEARCH)
    second.cookies["landing"] = lookup.cookies["landing"].value
    before = AuditEntry.objects.count()

    second.get(lookup["Location"])

    assert AuditEntry.objects.count() == before + 1
