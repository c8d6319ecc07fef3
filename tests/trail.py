"""Audit entries at chosen moments, for the tests of the roll-ups, the insights and the auditor's
pages. Entries are built as generate_audit builds them and inserted in bulk: a test's trail of a
thousand entries costs one statement."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from customers.accounts.roles import role_of
from customers.audit.models import AuditEntry


def person(username: str, group: str = "Support agents", **flags: bool) -> User:
    user = User.objects.create_user(username, **flags)
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at hour:minute in the org's time zone (TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def entry(
    user: User | None, when: datetime, action: str = "lookup", outcome: str = "found", **fields
):
    """An unsaved entry of `user` at `when`, with the role they have now."""
    return AuditEntry(
        created_at=when,
        user=user,
        username=user.username if user else "",
        role=role_of(user),
        action=action,
        outcome=outcome,
        source="INSTORE",
        **fields,
    )


def write(entries: list[AuditEntry]) -> list[AuditEntry]:
    return AuditEntry.objects.bulk_create(entries)
