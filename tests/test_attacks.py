"""Attacks on the production path (issue 26): each test performs one attack that got through
before, and checks what now holds. docs/security.md lists them with what they try.

Tests marked `services` run on PostgreSQL and Redis in CI (DATABASE_URL and REDIS_URL set);
the others run on either configuration.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.trail import person

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:customers_auditentry_overview")
CHANGELIST = reverse("admin:customers_auditentry_changelist")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def auditor():
    return person("auditor", "Auditors", is_staff=True)


# 1. Refused sign-ins without a name must not break the auditor's overview.


@pytest.mark.parametrize("days", [7, 30, 90])
def test_refused_sign_ins_without_a_name_leave_the_overview_working(settings, auditor, days):
    """Anyone can call the company sign-in's callback with an error and no session: 25 such
    refusals, the top refusals of the period, used to make the overview answer 500."""
    settings.OIDC_ISSUER = "https://id.example.invalid"
    settings.OIDC_RP_CLIENT_ID = "lookup"
    anonymous = Client()
    for _ in range(25):
        refused = anonymous.get("/accounts/oidc/callback/?error=access_denied")
        assert refused.status_code < 500
    # A local sign-in with a name that no staff page address can carry, refused too.
    anonymous.post("/accounts/login/", {"username": "a/b", "password": "x"})
    page = client_for(auditor).get(OVERVIEW, {"days": days})
    assert page.status_code == 200
    text = page.content.decode()
    assert "(no username given)" in text


def test_the_placeholder_and_any_typed_name_have_a_staff_page(settings, auditor):
    """The overview links each refusal's name to its staff page: the placeholder's, and a typed
    name with a slash (kept masked), open (the placeholder's with the refusals written with no
    name)."""
    from customers.audit.models import NO_USERNAME, AuditEntry

    anonymous = Client()
    anonymous.post("/accounts/login/", {"username": "a/b", "password": "x"})
    AuditEntry.objects.log_action(user=None, username="", action="sign_in", outcome="invalid")
    anonymous.post("/accounts/login/", {"username": " ", "password": "x"})
    auditor_client = client_for(auditor)
    typed = AuditEntry.objects.filter(action="sign_in").exclude(username="").first().username
    for name, entries in ((typed, 1), (NO_USERNAME, 2)):
        page = auditor_client.get(reverse("admin:customers_auditentry_staff", args=[name]))
        assert page.status_code == 200, name
        assert page.content.decode().lower().count("sign in") >= entries


# 5. Every filter value of the audit list is checked before it reaches the database.

HOSTILE_FILTERS = [
    {"customer_id": "42\x00"},
    {"action": "lookup\x00"},
    {"outcome": "found\x00"},
    {"action__exact": "\x00"},
    {"outcome__exact": "\x00"},
    {"role": "agent\x00"},
    {"source": "INSTORE\x00"},
    {"q": "alice\x00"},
    {"user__id__exact": "1\x00"},
    {"user__id__exact": "99999999999999999999"},
    {"heavy": "\x00"},
    {"signal": "spike\x00"},
    {"created_at__year": "99999999999999999999"},
    {"created_at__year": "2026", "created_at__month": "99999999999999999999"},
    {"created_at__year": "2026", "created_at__month": "2", "created_at__day": "31"},
    {"created_at__year": "0"},
    {"created_at__gte": "2026-01-01\x00"},
    {"created_at__lt": "99999-01-01"},
    {"created_at__isnull": "\x00"},
    {"customer_id": "9" * 5000},
]


@pytest.mark.parametrize("query", HOSTILE_FILTERS, ids=lambda q: repr(q)[:60])
def test_hostile_filter_values_are_refused_not_500(auditor, query):
    """A NUL byte, an out-of-range year or an overlong value in any of the list's filters used
    to reach PostgreSQL (DataError) or datetime (OverflowError) and answer 500, the CSV export
    too. The list now says the filters are not valid, the export answers 400."""
    from customers.accounts.roles import EXPORT_AUDIT

    auditor.user_permissions.add(_permission(EXPORT_AUDIT))
    client = client_for(auditor)
    listed = client.get(CHANGELIST, query)
    # The admin's answer to filters it cannot run: back to the list, saying so.
    assert listed.status_code == 302 and listed["Location"].endswith("?e=1"), listed.status_code
    exported = client.post(CHANGELIST + "export/?" + _encode(query))
    assert exported.status_code == 400, exported.status_code


@pytest.mark.parametrize("name", ["\x00", "a\x00b", "x" * 5000])
def test_a_staff_page_for_a_hostile_name_is_not_found(auditor, name):
    from urllib.parse import quote

    page = client_for(auditor).get(
        reverse("admin:customers_auditentry_overview").replace("overview/", "staff/")
        + quote(name)
        + "/"
    )
    assert page.status_code == 404


def _permission(dotted: str):
    from django.contrib.auth.models import Permission

    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _encode(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


# 2. A crafted date range cannot make the auditor's pages count millions of days.


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Los_Angeles"])
def test_a_signal_over_years_1_to_9999_counts_only_the_days_the_trail_holds(
    settings, auditor, monkeypatch, zone
):
    """`?signal=spike&created_at__gte=0001-01-01&created_at__lt=9999-12-31` used to count
    roll-ups one day at a time over 3.65 million days (hours of a core, tens of thousands of
    rows). The range is clamped to the trail: here its first entry is three days old."""
    import time

    from customers.insights import rollup
    from customers.insights.models import AuditDay
    from tests.trail import days_ago, entry, local, write

    settings.TIME_ZONE = zone
    alice = person("alice")
    write([entry(alice, local(days_ago(3), 9)), entry(alice, local(days_ago(1), 9))])
    counted = []
    count_day = rollup.count_day

    def bounded(day, until):
        counted.append(day)
        if len(counted) > 50:
            raise AssertionError("more days counted than the trail holds")
        count_day(day, until)

    monkeypatch.setattr(rollup, "count_day", bounded)
    started = time.monotonic()
    listed = client_for(auditor).get(
        CHANGELIST,
        {"signal": "spike", "created_at__gte": "0001-01-01", "created_at__lt": "9999-12-31"},
    )
    assert listed.status_code == 200
    assert time.monotonic() - started < 10
    assert len(counted) <= 4
    assert AuditDay.objects.filter(day__lt=days_ago(3)).count() == 0


# 9. /healthz answers for the instance, whatever cookie the request carries.


def test_healthz_with_a_session_cookie_during_a_redis_outage_is_a_503_in_json(settings):
    """Sessions live in Redis on the scale-out path: a health check carrying a session cookie
    (a browser, a probe that kept cookies) used to load the session first and answer 500 in
    HTML while Redis was down, instead of the 503 a load balancer reads."""
    from tests.instances import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "customers.platform.sessions"
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["cache"] == "unavailable"


def test_healthz_with_a_session_cookie_during_a_database_outage_is_a_503_in_json(
    settings, monkeypatch
):
    """The same with sessions in the database, while the database refuses connections."""
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "unavailable"


# 10. A .env copied from .env.example is read without a complaint.


def test_env_example_reads_cleanly_and_names_only_settings_the_app_reads(
    caplog, tmp_path, monkeypatch
):
    """Three lines of merge-conflict markers printed "Invalid line" at every start from a
    copied .env. Each line is now blank, a comment or NAME=value; django-environ reads the copy
    without a warning; and every name set or shown commented out is one settings.py or
    gunicorn.conf.py reads."""
    import logging
    import re
    from pathlib import Path

    import environ

    root = Path(__file__).resolve().parent.parent
    example = (root / ".env.example").read_text()
    for number, line in enumerate(example.splitlines(), 1):
        assert (
            not line.strip() or line.startswith("#") or re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line)
        ), f".env.example line {number}: {line!r}"
    copied = tmp_path / ".env"
    copied.write_text(example)
    # Read into a dict of its own, not this process's environment.
    monkeypatch.setattr(environ.Env, "ENVIRON", {})
    with caplog.at_level(logging.DEBUG, logger="environ"):
        environ.Env.read_env(copied, overwrite=False)
    assert environ.Env.ENVIRON["LOOKUP_CACHE_SECONDS"] == "120"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    read = "\n".join(
        (root / name).read_text() for name in ("lookupsite/settings.py", "gunicorn.conf.py")
    )
    for name in set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE)):
        assert f'"{name}"' in read, f"{name} in .env.example is read by nothing"


# 7. No page a signed-in user sees is kept by a browser or a proxy.

AARAV = 5000001


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_a_signed_in_agent_opens_says_no_store(sandbox, agent, client):
    """The search page, My lookups, a member's history and the filled-in search opened from a
    link (the full mobile and email in its form) had no `Cache-Control: no-store`."""
    lookup = client.post(
        "/lookup/",
        {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"},
    )
    assert lookup.status_code == 303
    pages = [
        "/",
        "/my-lookups/",
        f"/customers/{AARAV}/history/",
        "/?identifierName=mobile&identifierValue=919999000001",
        "/?q=919999000001",
        "/accounts/password_change/",
        "/admin/",
        "/no-such-page/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        assert _no_store(response), url


# 6. A link from another site opens no member in the agent's name.

MEMBER_PAGES = ["", "programs/", "cards/", "currencies/", "tiers/", "profile/", "history/"]


@pytest.mark.parametrize("tab", MEMBER_PAGES)
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
    ids=["sec-fetch-cross-site", "sec-fetch-same-site", "referer"],
)
def test_a_member_page_opened_from_another_site_asks_first(
    sandbox, agent, client, backend_calls, tab, headers
):
    """The confirm step guarded /lookup/ only: a cross-site navigation to /customers/<id>/ or
    one of its tabs fetched the member, wrote "ok" entries and spent the agent's limit. Now it
    shows a page asking to open the member, with a same-site link, and nothing else happens."""
    from customers.audit.models import AuditEntry

    url = f"/customers/{AARAV}/{tab}"
    asked = client.get(url, **headers)
    assert asked.status_code == 200
    assert b"Open this member" in asked.content
    assert backend_calls() == []
    assert not AuditEntry.objects.filter(customer_id=str(AARAV)).exists()
    links = [a["href"] for a in _parse(asked.content).find_all("a", href=True)]
    assert url in links
    assert _no_store(asked)
    # The agent's own click on that link (same-origin) opens the page.
    opened = client.get(url, HTTP_SEC_FETCH_SITE="same-origin")
    assert opened.status_code == 200
    assert b"Open this member" not in opened.content


def test_a_member_link_through_signing_in_asks_first(sandbox, client, backend_calls):
    """The same link followed while signed out: after the sign-in the member page asks first
    (the redirect back from the sign-in is same-origin, the link that started it was not)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("agent2", password="a long password 1")
    user.groups.add(Group.objects.get(name="Support agents"))
    url = f"/customers/{AARAV}/"
    first = client.get(url, HTTP_SEC_FETCH_SITE="cross-site")
    assert first.status_code == 302
    signed_in = client.post(
        first["Location"].split("?")[0] + "?" + first["Location"].split("?", 1)[1],
        {"username": "agent2", "password": "a long password 1"},
    )
    assert signed_in.status_code == 302
    back = client.get(signed_in["Location"], HTTP_SEC_FETCH_SITE="same-origin")
    assert back.status_code == 200
    assert b"Open this member" in back.content
    assert backend_calls() == []


def _parse(content: bytes):
    from tests.html_tree import parse

    return parse(content)


# 3. Identifiers reach neither the audit trail nor the logs, however they are written.

MOBILE = "919999000001"
# The mobile as people and attackers write it: separators of every kind between digit groups,
# other forms of the digits.
WRITTEN = [
    "9199_9900_0001",
    "9199:9900:0001",
    "9199--9900--0001",
    "9199\u20119900\u20110001",
    "9199\u00b79900\u00b70001",
    "91 99 99 00 00 01",
    "\uff19\uff11\uff19\uff19\uff19\uff19\uff10\uff10\uff10\uff10\uff10\uff11",
    "9199\u30fb9900\u30fb0001",
    "+91/9999/000001",
]
EMAILS = ["jane.doe\uff20example.com", "jane.doe@example.com", "jane.doe%40example.com"]


def _digits(text: str) -> str:
    """The digits a person reads in `text` (other scripts' and full-width ones too, and
    JSON's \\u escapes decoded)."""
    import re
    import unicodedata

    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.digit(ch)) for ch in text if unicodedata.digit(ch, None) is not None
    )


def _holds_identifier(text: str) -> bool:
    import unicodedata

    plain = unicodedata.normalize("NFKC", text).replace("%40", "@")
    return "99990000" in _digits(text) or "jane.doe" in plain


@pytest.mark.parametrize("written", WRITTEN + EMAILS)
def test_no_identifier_reaches_the_audit_trail_however_written(written):
    """In the reason, identifierName, source, accountId, embed names and the detail (where a
    revealed field's name goes), an identifier was kept in clear when separated by `_`, `:`,
    `--`, U+2011 or a middle dot, or written with a full-width at sign (U+FF20)."""
    from customers.audit.models import AuditEntry, AuditIdentifier

    entry = AuditEntry.objects.log_action(
        user=None,
        action="lookup",
        outcome="found",
        source=written,
        account_id=written,
        identifiers=[(written, "x"), ("mobile", written)],
        embeds=["points", written],
        reason=f"member called about {written}",
        detail=f"revealed {written}",
    )
    stored = AuditEntry.objects.filter(pk=entry.pk).values().get()
    for field, value in stored.items():
        assert not _holds_identifier(str(value)), (field, value)
    for name in AuditIdentifier.objects.filter(entry=entry).values_list("name", flat=True):
        assert not _holds_identifier(name), name


@pytest.mark.parametrize("written", WRITTEN + EMAILS)
@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_no_identifier_reaches_the_log_however_written(written, log_format):
    """The client's line for a backend call (its accountId and source as sent), through the
    console handler's filter and formatter, plain and JSON (which wrote U+2011 and full-width
    digits as \\u escapes the filter did not read)."""
    import logging

    from customers.capillary import client as capillary_client
    from customers.masking import RedactingLogFilter
    from lookupsite.log import JsonFormatter

    call = capillary_client._Call(
        "GET",
        capillary_client.LOOKUP_PATH,
        {
            "source": written,
            "accountId": written,
            "identifierName": "mobile",
            "identifierValue": MOBILE,
        },
        0.0,
    )
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    logger = logging.getLogger("customers.capillary")
    logger.addHandler(handler)
    try:
        capillary_client._log(call, None)
    finally:
        logger.removeHandler(handler)
    [record] = records
    assert RedactingLogFilter().filter(record)
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter("%(message)s")
    line = formatter.format(record)
    assert not _holds_identifier(line), line


def test_the_json_formatter_masks_on_its_own():
    """A record that reached the JSON formatter without the filter (another handler) still
    comes out masked."""
    import logging

    from lookupsite.log import JsonFormatter

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "accountId=%s", ("9199_9900_0001",), None
    )
    assert not _holds_identifier(JsonFormatter().format(record))


# 4. One member's broken record does not shut every agent out.

BROKEN = "919800000066"
HEALTHY = "919800000011"


@pytest.fixture
def backend(fault_backend, settings):
    """The backend on loopback: one member's record answers 500, every other member's is
    found; a breaker that opens after five failures."""
    from customers.capillary.client import LOOKUP_PATH
    from tests.documents import complete_document
    from tests.faultserver import errors, reply

    settings.LOOKUP_BREAKER_FAILURES = 5
    settings.LOOKUP_BREAKER_SECONDS = 30

    def decide(seen):
        if BROKEN in seen.query.get("identifierValue", [""])[0]:
            return errors(500, 0, "Internal error")
        return reply(200, complete_document())

    fault_backend.answer(LOOKUP_PATH, decide)
    return fault_backend


def _lookup(client, mobile: str):
    from urllib.parse import urlencode

    return client.get(
        "/lookup/?"
        + urlencode({"source": "INSTORE", "identifierName": "mobile", "identifierValue": mobile})
    )


def test_one_members_failing_record_does_not_open_the_breaker(backend, agent, client):
    """Five lookups of a member whose record answers 500 opened the shared breaker: a second
    agent looking up a healthy member was told "Capillary is not answering" for 30 s."""
    from customers.platform.resilience import breaker_state
    from tests.trail import person

    for _ in range(6):
        assert _lookup(client, BROKEN).status_code == 503
    assert breaker_state().name == "closed"
    other = Client()
    other.force_login(person("agent-two"))
    assert _lookup(other, HEALTHY).status_code == 303


def test_failures_spread_over_members_still_open_the_breaker(backend, agent, client):
    """An outage fails every member's lookup: five failing members open it, and the next
    lookup is not sent."""
    from customers.capillary.client import LOOKUP_PATH
    from customers.platform.resilience import breaker_state
    from tests.faultserver import errors

    backend.on(LOOKUP_PATH, errors(503, 0, "Unavailable"))
    for n in range(5):
        assert _lookup(client, f"9198000001{n:02d}").status_code == 503
    assert breaker_state().name == "open"
    sent = len(backend.requests_to(LOOKUP_PATH))
    response = _lookup(client, HEALTHY)
    assert "Capillary is not answering" in response.content.decode()
    assert len(backend.requests_to(LOOKUP_PATH)) == sent


# 11. A Redis dump (or its persistence file) gives no identifier or member document away.


@pytest.mark.services
def test_what_the_app_keeps_in_redis_holds_no_identifier_in_clear(sandbox, agent, client):
    """27 of 107 sessions held `"lookup_identifiers": {"481220846": [["mobile", ...]]}` and
    cached answers held whole documents for 120 s. After a lookup and its pages, every value
    in Redis is read raw, as a dump would: none holds the mobile, the email or the name, and
    none is a pickle anyone could read (or forge)."""
    import os
    import pickle

    from django.conf import settings

    if not os.environ.get("REDIS_URL"):
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but REDIS_URL is not")
        pytest.skip("the Redis path needs REDIS_URL")
    import redis

    assert settings.SESSION_ENGINE == "customers.platform.sessions"
    # The session in Redis, as on the scale-out path (the agent fixture signed in before).
    client.force_login(agent)
    found = client.post(
        "/lookup/",
        {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"},
    )
    assert found.status_code == 303
    assert client.get(found["Location"]).status_code == 200
    assert "919999000001" in str(client.session.get("lookup_identifiers"))
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    values = [raw.get(key) for key in raw.scan_iter("lookup:*") if raw.type(key) == b"string"]
    assert len(values) >= 3
    for value in values:
        if value is None or value.isdigit():
            continue
        for secret in (b"919999000001", b"aarav", b"Aarav", b"Sharma", b"sandbox.example"):
            assert secret not in value, value[:200]
        with pytest.raises(pickle.UnpicklingError):
            pickle.loads(value)  # noqa: S301 - the test checks it cannot be read


# The auditor's day: a failed sign-in does not change the role the pages show.


def test_a_failed_sign_in_leaves_the_users_role_as_they_hold_it(auditor):
    """One failed sign-in turned a user into "Role: none" on their staff page and in Top
    users: the refusal was written with no user, so with no role. It now carries the role the
    named account holds, and the pages take a user's role from what they held."""
    from customers.audit.models import AuditEntry
    from tests.trail import days_ago, entry, local, write

    alice = person("alice")
    write([entry(alice, local(days_ago(0), 0, 1), customer_id="1")])
    Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    refused = AuditEntry.objects.filter(action="sign_in").get()
    assert (refused.username, refused.role) == ("alice", "agent")
    # An entry written before this fix, with no role, on the same day.
    AuditEntry.objects.log_action(
        user=None, username="alice", role="none", action="sign_in", outcome="invalid"
    )
    auditor_client = client_for(auditor)
    staff = auditor_client.get(reverse("admin:customers_auditentry_staff", args=["alice"]))
    assert "Role: agent." in staff.content.decode()
    overview = _parse(auditor_client.get(OVERVIEW).content)
    table = overview.find("table", class_="top-users-table")
    [row] = [tr for tr in table.find_all("tr") if "alice" in tr.text]
    assert "agent" in row.find_all("td")[1].text


# The auditor's day: a signal that needs a setting says so to the administrator only.


def test_a_signal_that_needs_a_setting_tells_the_auditor_only_that_it_is_off(settings, auditor):
    """Two of six signals are off out of the box and told the auditor to "Set
    AUDIT_BUSINESS_HOURS", which an auditor cannot do. The auditor reads that they are off;
    an administrator reads the setting too."""
    settings.AUDIT_BUSINESS_HOURS = ""
    settings.LOOKUP_REASON_REQUIRED = False
    signals = reverse("admin:customers_auditentry_signals")
    seen = client_for(auditor).get(signals).content.decode()
    assert seen.count("Off:") == 2
    assert "AUDIT_BUSINESS_HOURS" not in seen and "LOOKUP_REASON_REQUIRED" not in seen
    admin = User.objects.create_superuser("root")
    shown = client_for(admin).get(signals).content.decode()
    assert "Set AUDIT_BUSINESS_HOURS" in shown and "Set LOOKUP_REASON_REQUIRED" in shown


# The auditor's day: from an entry to the member's history.


def test_the_audit_list_and_an_entrys_page_link_the_customer_to_their_history(auditor):
    """The audit list's customer id did not link to that member's history, and an entry's
    page linked nowhere."""
    from customers.audit.models import AuditEntry

    entry = AuditEntry.objects.log_action(
        user=None, username="alice", action="lookup", outcome="found", customer_id="5000001"
    )
    history = reverse("customers:history", args=["5000001"])
    client = client_for(auditor)
    listed = _parse(client.get(CHANGELIST).content)
    assert history in [a["href"] for a in listed.find_all("a", href=True)]
    page = _parse(
        client.get(reverse("admin:customers_auditentry_change", args=[entry.pk])).content
    )
    assert history in [a["href"] for a in page.find_all("a", href=True)]
    assert client.get(history, HTTP_SEC_FETCH_SITE="same-origin").status_code == 200


# The auditor's day: searching by a full mobile finds every entry about the member.


def test_searching_by_a_mobile_finds_the_views_and_reveals_of_the_member_it_found(auditor):
    """Searching the audit list by a full mobile found only the lookups typed with it, not the
    views and reveals of the member those lookups found."""
    from customers.audit.models import AuditEntry

    log = AuditEntry.objects.log_action
    looked_up = log(
        user=None,
        username="alice",
        action="lookup",
        outcome="found",
        identifiers=[("mobile", MOBILE)],
        customer_id="5000001",
    )
    viewed = log(
        user=None, username="alice", action="view_section", outcome="ok", customer_id="5000001"
    )
    revealed = log(user=None, username="bob", action="reveal", outcome="ok", customer_id="5000001")
    other = log(
        user=None, username="bob", action="view_section", outcome="ok", customer_id="5000002"
    )
    listed = client_for(auditor).get(CHANGELIST, {"q": "+91 99990 00001"})
    shown = {entry.pk for entry in listed.context["cl"].queryset}
    assert {looked_up.pk, viewed.pk, revealed.pk} <= shown
    assert other.pk not in shown


# The auditor's day: a burst of lookups, and members opened without a search, are signals.


def test_a_burst_of_lookups_and_members_opened_without_a_search_are_signals(auditor):
    """121 lookups in about 70 s followed by a rate-limit refusal left every signal at 0, and
    opening members by typing their customer ids, with no search, was an ordinary view."""
    from datetime import timedelta

    from customers.insights.figures import Insights
    from customers.insights.rollup import Window
    from tests.trail import days_ago, entry, local, write

    mallory, alice = person("mallory"), person("alice")
    rows = []
    for days in range(1, 6):  # their usual: ten lookups a day, one a minute
        rows += [entry(mallory, local(days_ago(days), 10, n), customer_id="7") for n in range(10)]
    start = local(days_ago(0), 0, 5)
    rows += [
        entry(mallory, start + timedelta(seconds=n * 70 / 121), outcome="not_found")
        for n in range(121)
    ]
    rows += [entry(mallory, start + timedelta(seconds=71), outcome="rate_limited")]
    # Alice opens two members by id, with no search; and one her lookup found.
    rows += [
        entry(alice, local(days_ago(0), 0, 1), action="view_section", outcome="ok", customer_id=c)
        for c in ("42", "43")
    ]
    rows += [entry(alice, local(days_ago(0), 0, 2), customer_id="44")]
    rows += [
        entry(
            alice, local(days_ago(0), 0, 3), action="view_section", outcome="ok", customer_id="44"
        )
    ]
    write(rows)
    signals = {s.slug: s for s in Insights(Window.last_days(7)).signals()}
    [burst] = signals["burst"].findings
    assert burst.usernames == {"mallory"} and burst.count >= 61
    [unsearched] = signals["unsearched"].findings
    assert unsearched.usernames == {"alice"} and unsearched.customer_ids == ("42", "43")
    listed = client_for(auditor).get(CHANGELIST, {"signal": "unsearched"})
    assert sorted(e.customer_id for e in listed.context["cl"].queryset) == ["42", "43"]
    page = client_for(auditor).get(reverse("admin:customers_auditentry_signals")).content
    assert b"Members opened without a search" in page and b"mallory" in page
