"""Who may do what: the role names and the checks built on the custom permissions.

The permissions live on `AuditEntry` (see models.py) and the groups that hold them are created
by the migration `0002_roles` (`0008_member_name` gives the agents the names permission).
Checks go through permissions, never group names, so an org may compose its own groups.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy, pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser, Group
    from django_stubs_ext import StrOrPromise

    User = AbstractUser | AnonymousUser

LOOKUP = "customers.lookup_customer"
VIEW_UNMASKED_PII = "customers.view_unmasked_pii"
# Agents greet and verify callers by name: this shows members' names unmasked (mobiles and
# emails stay behind a Reveal, which VIEW_UNMASKED_PII allows and the audit records).
VIEW_MEMBER_NAME = "customers.view_member_name"
VIEW_RAW_RESPONSE = "customers.view_raw_response"
VIEW_ALL_AUDIT = "customers.view_all_audit"
EXPORT_AUDIT = "customers.export_audit"

# What role_of says, most powerful first: the audit trail's role column holds these.
ROLES = ("superuser", "auditor", "agent", "store manager", "none")
# The roles as people read them (the trail keeps the codes above).
ROLE_LABELS: "dict[str, StrOrPromise]" = {
    "superuser": pgettext_lazy("role", "superuser"),
    "auditor": pgettext_lazy("role", "auditor"),
    "agent": pgettext_lazy("role", "agent"),
    "store manager": pgettext_lazy("role", "store manager"),
    "none": pgettext_lazy("role", "none"),
}

# What each permission lets a person do, as the 403 page says it.
# Translators: each completes "Your account does not have the permission to ...".
PERMISSION_NAMES: "dict[str, StrOrPromise]" = {
    LOOKUP: gettext_lazy("look up customers"),
    VIEW_UNMASKED_PII: gettext_lazy("see unmasked names, mobiles and emails"),
    VIEW_MEMBER_NAME: gettext_lazy("see members' names"),
    VIEW_RAW_RESPONSE: gettext_lazy("see the raw API response"),
    VIEW_ALL_AUDIT: gettext_lazy("view every audit entry"),
    EXPORT_AUDIT: gettext_lazy("export audit entries"),
}

# Group name -> permission codenames; the migration creates exactly these.
GROUPS: dict[str, tuple[str, ...]] = {
    "Support agents": (
        "lookup_customer",
        "view_unmasked_pii",
        "view_member_name",
        "view_raw_response",
    ),
    "Store managers": ("lookup_customer",),
    "Auditors": ("view_all_audit", "export_audit"),
}


def may_see_all_audit(user: "User | None") -> bool:
    """The auditor rule: every audit entry (the trail and the auditor's pages in the admin,
    every member's history) for an active user with VIEW_ALL_AUDIT (a superuser has it); only
    their own entries for everyone else. The admin's pages also need staff status, which the
    company sign-in gives with a role that grants it (`grants_all_audit`)."""
    return user is not None and user.is_active and user.has_perm(VIEW_ALL_AUDIT)


def grants_all_audit(groups: "Iterable[Group]") -> bool:
    """Whether one of these groups makes its members auditors (`may_see_all_audit`)."""
    app_label, codename = VIEW_ALL_AUDIT.split(".", 1)
    return any(
        group.permissions.filter(content_type__app_label=app_label, codename=codename).exists()
        for group in groups
    )


def role_of(user: "User | None") -> str:
    """ "superuser", "auditor", "agent", "store manager" or "none", from the permissions held."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "none"
    if user.is_superuser:
        return "superuser"
    if may_see_all_audit(user):
        return "auditor"
    if user.has_perm(LOOKUP) and user.has_perm(VIEW_UNMASKED_PII):
        return "agent"
    if user.has_perm(LOOKUP):
        return "store manager"
    return "none"


def allowed_sources(user: "User | None") -> list[str] | None:
    """The sources this user may look up in: None means any, an empty list means none.

    Store managers are limited to settings.STORE_MANAGER_SOURCES (INSTORE by default).
    """
    role = role_of(user)
    if role == "store manager":
        return [str(source).upper() for source in settings.STORE_MANAGER_SOURCES]
    if user is not None and user.has_perm(LOOKUP):
        return None
    return []
