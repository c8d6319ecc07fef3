"""The demo accounts (`manage.py demo_users`), one per role, with passwords printed in the docs.

They are for a developer's machine: with DEBUG off (or DEMO_ACCOUNTS=false) the sign-in page
refuses them, and `check --deploy` names any that still exist with their published password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError

# username -> (group, staff, superuser). Auditors are staff: the audit list is in the admin.
DEMO_USERS: dict[str, tuple[str | None, bool, bool]] = {
    "agent": ("Support agents", False, False),
    "manager": ("Store managers", False, False),
    "auditor": ("Auditors", True, False),
    "admin": (None, True, True),
}


def demo_password(username: str) -> str:
    # Known on purpose: these accounts may sign in only with DEBUG on, on a developer's machine.
    return f"demo-{username}-2026"


def allowed() -> bool:
    """Whether the demo accounts may sign in: DEMO_ACCOUNTS, which follows DEBUG by default."""
    return bool(getattr(settings, "DEMO_ACCOUNTS", settings.DEBUG))


def is_demo_sign_in(username: str, password: str) -> bool:
    """A sign-in with a demo account's published password."""
    return username in DEMO_USERS and password == demo_password(username)


def published_accounts() -> list[str]:
    """The demo accounts that exist and still have their published password (an empty list
    when the database cannot be read yet, as before `migrate`)."""
    try:
        users = list(get_user_model().objects.filter(username__in=DEMO_USERS, is_active=True))
    except (DatabaseError, RuntimeError):
        # No database yet (before `migrate`), or none allowed (a test's system checks).
        return []
    return sorted(u.username for u in users if u.check_password(demo_password(u.username)))
