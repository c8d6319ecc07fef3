"""Roles: the groups the migration creates, what each role may do, and the demo users."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from customers.accounts.roles import (
    GROUPS,
    allowed_sources,
    grants_all_audit,
    may_see_all_audit,
    role_of,
)

# Password hashing is not under test here; the fast hasher keeps these tests quick.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
pytestmark = pytest.mark.django_db


def user_in(group: str | None, username: str = "someone", **flags: bool) -> User:
    user = User.objects.create_user(username, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    # A fresh instance: permissions are cached on the object.
    return User.objects.get(pk=user.pk)


def test_the_migration_gives_each_group_exactly_its_permissions():
    """Support agents: look up, unmasked PII, raw response. Store managers: look up.
    Auditors: view all audit entries, export."""
    actual = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.all()
    }
    assert actual == {
        "Support agents": {
            "customers.lookup_customer",
            "customers.view_unmasked_pii",
            "customers.view_member_name",
            "customers.view_raw_response",
        },
        "Store managers": {"customers.lookup_customer"},
        "Auditors": {"customers.view_all_audit", "customers.export_audit"},
    }
    assert set(GROUPS) == set(actual)


def test_no_permission_to_change_the_audit_trail_exists():
    """There is no add, change or delete permission on audit entries to grant anyone."""
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="customers").values_list(
            "codename", flat=True
        )
    )
    assert not {c for c in codenames if c.startswith(("add_", "change_", "delete_"))}


@pytest.mark.parametrize(
    ("group", "flags", "role"),
    [
        ("Support agents", {}, "agent"),
        ("Store managers", {}, "store manager"),
        ("Auditors", {"is_staff": True}, "auditor"),
        (None, {"is_superuser": True}, "superuser"),
        (None, {}, "none"),
        (None, {"is_staff": True}, "none"),
    ],
)
def test_role_of_names_the_role_from_the_permissions(group, flags, role):
    """Each group maps to its role name; staff without a group has no role."""
    assert role_of(user_in(group, **flags)) == role


def test_role_of_an_inactive_or_anonymous_user_is_none():
    """Deactivated accounts and visitors have no role."""
    from django.contrib.auth.models import AnonymousUser

    assert role_of(user_in("Support agents", is_active=False)) == "none"
    assert role_of(AnonymousUser()) == "none"
    assert role_of(None) == "none"


def test_the_auditor_rule_is_the_permission_to_view_every_entry():
    """Auditors and superusers see every audit entry; agents, managers, a deactivated auditor
    and an anonymous visitor do not; the groups that make auditors are told apart."""
    assert may_see_all_audit(user_in("Auditors", "auditor"))
    assert may_see_all_audit(user_in(None, "root", is_superuser=True))
    assert not may_see_all_audit(user_in("Support agents", "agent"))
    assert not may_see_all_audit(user_in("Store managers", "manager"))
    assert not may_see_all_audit(user_in("Auditors", "gone", is_active=False))
    assert not may_see_all_audit(AnonymousUser())
    assert not may_see_all_audit(None)
    assert grants_all_audit(Group.objects.filter(name__in=["Support agents", "Auditors"]))
    assert not grants_all_audit(Group.objects.exclude(name="Auditors"))


@override_settings(STORE_MANAGER_SOURCES=["INSTORE", "martjack"])
def test_allowed_sources_limits_store_managers_to_the_configured_sources():
    """Store managers get STORE_MANAGER_SOURCES; agents and superusers any source (None);
    auditors and users without a role none at all."""
    assert allowed_sources(user_in("Store managers", "m")) == ["INSTORE", "MARTJACK"]
    assert allowed_sources(user_in("Support agents", "a")) is None
    assert allowed_sources(user_in(None, "s", is_superuser=True)) is None
    assert allowed_sources(user_in("Auditors", "u", is_staff=True)) == []
    assert allowed_sources(user_in(None, "n")) == []


def test_store_managers_default_to_instore():
    """Without configuration a store manager looks up in INSTORE only."""
    assert allowed_sources(user_in("Store managers")) == ["INSTORE"]


@override_settings(DEBUG=True)
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_demo_users_creates_one_user_per_role(capsys):
    """demo_users creates agent, manager, auditor and admin, each in its role, with its
    printed password, and running it again changes nothing."""
    call_command("demo_users")
    call_command("demo_users")
    roles = {user.username: role_of(user) for user in User.objects.all()}
    assert roles == {
        "agent": "agent",
        "manager": "store manager",
        "auditor": "auditor",
        "admin": "superuser",
    }
    assert User.objects.get(username="auditor").is_staff
    assert not User.objects.get(username="agent").is_staff
    for username in roles:
        assert User.objects.get(username=username).check_password(f"demo-{username}-2026")
    output = capsys.readouterr().out
    assert output.count("Created") == 4
    assert output.count("Updated") == 4
    assert "demo-agent-2026" in output


@override_settings(DEBUG=False)
def test_demo_users_refuses_with_debug_off():
    """With DEBUG off no account with a known password is created."""
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("demo_users")
    assert not User.objects.exists()


def sign_in_page_errors(response) -> str:
    return " ".join(response.content.decode().split())


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_with_debug_off_the_demo_accounts_cannot_sign_in(settings):
    """`make serve` on a database `make run` filled: agent / demo-agent-2026 is refused, and
    says why; with DEBUG on (DEMO_ACCOUNTS follows it) the same sign-in works."""
    with override_settings(DEBUG=True):
        call_command("demo_users", stdout=None)
    settings.DEMO_ACCOUNTS = False

    refused = Client().post(
        "/accounts/login/", {"username": "agent", "password": "demo-agent-2026"}
    )

    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session
    assert "demo account, whose password is published" in sign_in_page_errors(refused)
    settings.DEMO_ACCOUNTS = True
    allowed = Client().post(
        "/accounts/login/", {"username": "agent", "password": "demo-agent-2026"}
    )
    assert allowed.status_code == 302


@override_settings(PASSWORD_HASHERS=FAST_HASHER, DEMO_ACCOUNTS=False)
def test_an_account_named_agent_with_a_password_of_its_own_signs_in():
    User.objects.create_user("agent", password="a-password-nobody-published")

    response = Client().post(
        "/accounts/login/", {"username": "agent", "password": "a-password-nobody-published"}
    )

    assert response.status_code == 302


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_check_deploy_names_the_demo_accounts_until_they_are_disabled(settings, capsys):
    from customers.checks import check_demo_accounts

    with override_settings(DEBUG=True):
        call_command("demo_users")
    settings.DEBUG = False
    settings.DEMO_ACCOUNTS = False

    [warning] = check_demo_accounts()
    assert warning.id == "customers.W005"
    assert "admin, agent, auditor, manager" in warning.msg
    call_command("demo_users", "--disable")
    assert check_demo_accounts() == []
    assert not Client().login(username="agent", password="demo-agent-2026")
    settings.DEMO_ACCOUNTS = True
    assert [w.id for w in check_demo_accounts()] == ["customers.W004"]
