"""The audit trail's daily roll-ups: derived data, counted again when what they depend on
changes."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import timezone

from customers.audit.models import Action, Outcome


class AuditDay(models.Model):
    """A local day (TIME_ZONE) of the trail counted into the roll-ups below (rollup.py).

    Derived data, not the trail: rows are replaced when the day is counted again, after a
    change of what the counts depend on (`basis`) or a prune that reached into the day.
    """

    day = models.DateField(primary_key=True)
    # The time zone, business hours and thresholds the counts were made with.
    basis = models.CharField(max_length=500)
    # The entries before this moment are counted: the day's end once it is over.
    through = models.DateTimeField()
    rolled_up_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.day} ({self.basis})"


class AuditDayCount(models.Model):
    """How many entries one user wrote on one day, per role, action and outcome."""

    # The unique constraint's index starts with the day: the column needs none of its own.
    day = models.ForeignKey(
        AuditDay, on_delete=models.CASCADE, related_name="counts", db_index=False
    )
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    entries = models.PositiveIntegerField()
    without_reason = models.PositiveIntegerField()
    after_hours = models.PositiveIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["day", "username", "role", "action", "outcome"],
                name="audit_day_count_unique",
            )
        ]
        indexes = [models.Index(fields=["username", "day"], name="audit_day_count_user_idx")]

    def __str__(self) -> str:
        return f"{self.day_id} {self.username} {self.action} {self.outcome}: {self.entries}"


class AuditDayMember(models.Model):
    """A member seen on one day and the staff who saw them: every member while the day is in
    progress, then only those many staff saw."""

    # The unique constraint's index starts with the day: the column needs none of its own.
    day = models.ForeignKey(
        AuditDay, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    customer_id = models.CharField(max_length=64)
    # The staff's usernames, sorted, each on a line of its own between newlines ("\nann\nbob\n"):
    # "was this user among them" is then a plain LIKE on every database (a username holds no
    # control characters: log_action drops them).
    staff_names = models.TextField()
    staff = models.PositiveIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "customer_id"], name="audit_day_member_unique")
        ]
        # The signals ask for the most staff first, and how many: at ten million synthetic
        # entries (3,700 such members a day) loading them all took three seconds.
        indexes = [models.Index(fields=["staff", "day"], name="audit_day_member_staff_idx")]

    def __str__(self) -> str:
        return f"{self.day_id} customer {self.customer_id}: {self.staff} staff"

    @property
    def usernames(self) -> list[str]:
        return self.names_from(self.staff_names)

    @staticmethod
    def names_text(usernames: Iterable[str]) -> str:
        return "\n" + "".join(f"{name}\n" for name in sorted(set(usernames)))

    @staticmethod
    def names_from(text: str) -> list[str]:
        return text.split("\n")[1:-1]
