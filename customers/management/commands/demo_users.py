"""Demo accounts, one per role, for trying the app locally (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.accounts.demo import DEMO_USERS, demo_password


class Command(BaseCommand):
    help = (
        "Create or update the demo users agent, manager, auditor and admin, one per role, with "
        "the password demo-<name>-2026. Refuses unless DEBUG is on. --disable takes their "
        "passwords away (with any DEBUG), as a deployment whose database once served `make run` "
        "must; their audit entries stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--disable",
            action="store_true",
            help="Disable the demo accounts (no usable password) instead of creating them.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options.get("disable"):
            for user in get_user_model().objects.filter(username__in=DEMO_USERS):
                user.set_unusable_password()
                user.is_active = False
                user.save()
                self.stdout.write(f"Disabled {user.username}")
            return
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
