"""Signing in and out with a local password: every sign-in, failure and sign-out is an audit
entry, on the site's sign-in page and the admin's alike; LOCAL_LOGIN=admins-only keeps local
passwords for superusers. (The company sign-in is tests/accounts/test_oidc.py.)"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.urls import reverse

from customers.audit.models import AuditEntry
from tests.html_tree import parse
from tests.people import PASSWORD

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CHANGELIST = reverse("admin:customers_auditentry_changelist")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_passwords"),
]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


def entries() -> list[tuple[str, str, str, str, str]]:
    """(action, outcome, who, role, detail) of the audit entries, oldest first."""
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "outcome", "username", "role", "detail"
        )
    )


def test_a_password_sign_in_and_sign_out_are_audited_with_the_client_address(agent):
    client = Client(REMOTE_ADDR="198.51.100.7")

    client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    client.post("/accounts/logout/")

    assert entries() == [
        ("sign_in", "ok", "agent", "agent", "by local password"),
        ("sign_out", "ok", "agent", "agent", "by local password"),
    ]
    assert {entry.client_ip for entry in AuditEntry.objects.all()} == {"198.51.100.7"}
    assert all(entry.user == agent for entry in AuditEntry.objects.all())


def test_a_wrong_password_is_audited_under_the_name_tried(agent):
    """The entry names who was tried, with the role that account holds; it is tied to no
    account, since nobody signed in."""
    response = Client().post("/accounts/login/", {"username": "agent", "password": "guess"})

    assert response.status_code == 200
    assert entries() == [
        ("sign_in", "invalid", "agent", "agent", "by local password: wrong username or password")
    ]
    assert AuditEntry.objects.get().user is None


@override_settings(LOGIN_FAILURE_LIMIT="1/15m")
def test_a_throttled_sign_in_is_audited_as_rate_limited(agent, one_rate_window):
    one_rate_window("1/15m")
    client = Client()
    client.post("/accounts/login/", {"username": "agent", "password": "guess"})

    client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})

    assert entries()[-1][:2] == ("sign_in", "rate_limited")
    assert entries()[-1][4] == "by local password: too many failed sign-ins"


def test_the_admin_login_is_the_same_audited_sign_in(agent):
    """/admin/login/ is the site's sign-in page: a sign-in there is audited the same way."""
    root = User.objects.create_superuser("root", password="root-password-1")
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": "root-password-1"}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert entries() == [("sign_in", "ok", "root", "superuser", "by local password")]
    assert AuditEntry.objects.get().user == root


@override_settings(LOCAL_LOGIN="admins-only")
def test_admins_only_keeps_local_passwords_for_superusers(agent):
    """The agent's right password is refused with a message that says why; a superuser's
    works. Both are audited."""
    User.objects.create_superuser("root", password="root-password-1")
    client = Client()

    refused = client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    signed_in = client.post(
        "/accounts/login/", {"username": "root", "password": "root-password-1"}
    )

    assert refused.status_code == 200
    assert "Local passwords are for administrators only" in refused.content.decode()
    assert signed_in.status_code == 302
    assert [entry[:3] for entry in entries()] == [
        ("sign_in", "forbidden", "agent"),
        ("sign_in", "ok", "root"),
    ]


@override_settings(LOCAL_LOGIN="admins-only")
def test_admins_only_tells_a_wrong_password_apart_from_nothing(agent):
    """A wrong password under admins-only is still just a wrong password: the policy is
    checked after it, so it reveals nothing about who is an administrator."""
    response = Client().post("/accounts/login/", {"username": "agent", "password": "guess"})

    assert "Local passwords are for administrators only" not in response.content.decode()
    assert entries()[0][1] == "invalid"


def test_auditors_filter_the_audit_list_by_the_sign_in_actions(agent):
    """The audit list offers the new actions as filters and each finds its entries."""
    Client().post("/accounts/login/", {"username": "agent", "password": "guess"})
    signed_in = Client()
    signed_in.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    signed_in.post("/accounts/logout/")
    auditor = User.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    client = Client()
    client.force_login(auditor)

    page = client.get(CHANGELIST)
    action_filter = parse(page.content).find(id="changelist-filter")
    links = [link["href"] for link in action_filter.find_all("a")]
    for action in ("sign_in", "sign_out", "role_change"):
        assert f"?action__exact={action}" in links

    def shown(query: str) -> list[tuple[str, str]]:
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return [(e.action, e.outcome) for e in response.context["cl"].queryset]

    signed_in_and_failed = [("sign_in", "ok"), ("sign_in", "invalid")]
    assert shown("?action__exact=sign_in") == signed_in_and_failed
    assert shown("?action__exact=sign_in&outcome__exact=invalid") == [("sign_in", "invalid")]
    assert shown("?action__exact=sign_out") == [("sign_out", "ok")]
    assert shown("?q=agent&action__exact=sign_in") == signed_in_and_failed
    # A refused sign-in carries the role the account holds (none for a name no account has).
    assert shown("?role=agent&action__exact=sign_in") == signed_in_and_failed
    Client().post("/accounts/login/", {"username": "nobody", "password": "guess"})
    assert shown("?role=none&action__exact=sign_in") == [("sign_in", "invalid")]
