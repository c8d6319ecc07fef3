"""Demo accounts, one per role, for trying the app locally (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# username -> (group, staff, superuser). Auditors are staff: the audit list is in the admin.
DEMO_USERS: dict[str, tuple[str | None, bool, bool]] = {
    "agent": ("Support agents", False, False),
    "manager": ("Store managers", False, False),
    "auditor": ("Auditors", True, False),
    "admin": (None, True, True),
}


def demo_password(username: str) -> str:
    # Known on purpose: these accounts exist only with DEBUG on, on a developer's machine.
    return f"demo-{username}-2026"


class Command(BaseCommand):
    help = (
        "Create or update the demo users agent, manager, auditor and admin, one per role, with "
        "the password demo-<name>-2026. Refuses unless DEBUG is on."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_users only runs with DEBUG=true: it creates accounts with known "
                "passwords, which must never exist on a real deployment."
            )
        User = get_user_model()
        for username, (group_name, staff, superuser) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            user.is_staff = staff
            user.is_superuser = superuser
            user.is_active = True
            user.set_password(demo_password(username))
            user.save()
            try:
                groups = [Group.objects.get(name=group_name)] if group_name else []
            except Group.DoesNotExist:
                raise CommandError(
                    f"The group {group_name!r} is missing: run migrate first."
                ) from None
            user.groups.set(groups)
            role = group_name or "superuser"
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} {username:<8} ({role}), password {demo_password(username)}")
