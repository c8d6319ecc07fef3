"""Hostile values in every URL and every form and filter parameter the app takes, as a
signed-in superuser (who may open every page): never a 500, and no identifier stored in the
audit trail however it was written (issue 26, "What to build" 3).

Run against PostgreSQL in CI (DATABASE_URL set), which refuses what SQLite lets through: a NUL
byte in text, numbers beyond bigint, dates beyond its range.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.audit.admin import OFFERED_LOOKUPS
from customers.audit.models import NO_USERNAME, AuditEntry, AuditIdentifier
from tests.test_attacks import EMAILS, WRITTEN, _holds_identifier

pytestmark = pytest.mark.django_db

AARAV = 5000001
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 5000,
            "9" * 40,
            "-1",
            "0",
            "99999999999999999999",
            "1e308",
            "NaN",
            "0001-01-01",
            "9999-12-31",
            "99999-01-01",
            "2026-02-30",
            "2026-12-07T25:61:61",
            "\u2028\u2029\u200b\u202e",
            "\uff11\uff12\uff13",
            "%00",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "",
            *WRITTEN,
            *EMAILS,
        ]
    ),
    st.text(st.characters(codec="utf-8"), max_size=30),
)
NAMES = [NO_USERNAME, "admin", "\u00e9\u00e8"]
# Every page, with the parameters it reads (and a few it does not).
PAGES: dict[str, tuple[str, ...]] = {
    "/": ("identifierName", "identifierValue", "source", "embed", "reason", "q", "confirm"),
    "/lookup/": ("identifierName", "identifierValue", "source", "embed", "reason", "confirm"),
    "/my-lookups/": ("page",),
    **{
        f"/customers/{AARAV}/{tab}": ("days", "page", "confirm", "source")
        for tab in ("", "programs/", "cards/", "currencies/", "tiers/", "profile/", "raw/")
    },
    f"/customers/{AARAV}/history/": ("page", "confirm"),
    "/customers/99999999999999999999/": ("days",),
    "/admin/customers/auditentry/": (*sorted(OFFERED_LOOKUPS), "q", "o", "p", "e", "_to_field"),
    "/admin/customers/auditentry/overview/": ("days",),
    "/admin/customers/auditentry/signals/": ("days",),
    "/admin/customers/auditentry/staff/admin/": ("days",),
    "/admin/customers/auditentry/1/change/": (),
    "/healthz": (),
    "/accounts/login/": ("next",),
    "/accounts/oidc/callback/": ("error", "state", "code", "iss"),
    "/sandbox/": (),
}
# Forms, with their fields.
FORMS: dict[str, tuple[str, ...]] = {
    "/lookup/": ("identifierName", "identifierValue", "source", "embed", "reason"),
    f"/customers/{AARAV}/refresh/": ("next",),
    f"/customers/{AARAV}/reveal/": ("field", "reason", "next"),
    "/admin/customers/auditentry/export/": (),
    "/accounts/login/": ("username", "password", "next"),
}


@pytest.fixture
def superuser(sandbox, client, settings):
    settings.OIDC_ISSUER = "https://id.example.invalid"
    settings.OIDC_RP_CLIENT_ID = "lookup"
    user = User.objects.create_superuser("admin", password="x")
    client.force_login(user)
    return client


@st.composite
def queries(draw, names: tuple[str, ...]) -> dict[str, list[str]]:
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    return {name: draw(st.lists(HOSTILE, min_size=1, max_size=2)) for name in chosen}


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _no_identifier_stored() -> None:
    for entry in AuditEntry.objects.values():
        for field, value in entry.items():
            if field not in ("digest", "previous_digest"):
                assert not _holds_identifier(str(value)), (field, value)
    for name in AuditIdentifier.objects.values_list("name", flat=True):
        assert not _holds_identifier(name), name


@pytest.mark.parametrize("path", sorted(PAGES))
@FUZZ
@given(data=st.data())
def test_hostile_query_parameters_never_answer_500(superuser, path, data):
    query = data.draw(queries(PAGES[path]))
    query_text = "&".join(f"{name}={value}" for name, values in query.items() for value in values)
    for headers in ({}, {"HTTP_SEC_FETCH_SITE": "same-origin"}):
        response = superuser.get(path, query, **headers)
        assert response.status_code < 500, (path, query_text[:300], response.status_code)
    _no_identifier_stored()


@pytest.mark.parametrize("path", sorted(FORMS))
@FUZZ
@given(data=st.data())
def test_hostile_form_fields_never_answer_500(superuser, path, data):
    fields = data.draw(queries(FORMS[path]))
    query = data.draw(queries(tuple(sorted(OFFERED_LOOKUPS)) if "export" in path else ()))
    from urllib.parse import urlencode

    url = path + ("?" + urlencode(query, doseq=True) if query else "")
    response = superuser.post(url, fields)
    assert response.status_code < 500, (path, fields, response.status_code)
    _no_identifier_stored()


@pytest.mark.parametrize("name", ["\x00", "x" * 200, "a/b/c", "%00", *WRITTEN[:3], *NAMES])
def test_hostile_staff_names_never_answer_500(superuser, name):
    from urllib.parse import quote

    base = reverse("admin:customers_auditentry_overview").replace("overview/", "staff/")
    response = superuser.get(base + quote(name, safe="/") + "/")
    assert response.status_code < 500
