"""Attacks on the production path (issue 26): each test performs one attack that got through
before, and checks what now holds. docs/security.md lists them with what they try.

Tests marked `services` run on PostgreSQL and Redis in CI (DATABASE_URL and REDIS_URL set);
the others run on either configuration.
"""

import pytest
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
    name with a slash, open (the placeholder's with the refusals written with no name)."""
    from customers.audit.models import NO_USERNAME, AuditEntry

    anonymous = Client()
    anonymous.post("/accounts/login/", {"username": "a/b", "password": "x"})
    AuditEntry.objects.log_action(user=None, username="", action="sign_in", outcome="invalid")
    anonymous.post("/accounts/login/", {"username": " ", "password": "x"})
    auditor_client = client_for(auditor)
    for name, entries in (("a/b", 1), (NO_USERNAME, 2)):
        page = auditor_client.get(reverse("admin:customers_auditentry_staff", args=[name]))
        assert page.status_code == 200, name
        assert page.content.decode().lower().count("sign in") >= entries
