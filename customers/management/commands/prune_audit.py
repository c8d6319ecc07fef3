"""Retention: deletes audit entries older than a number of days. The trail's only deleter.

Each run that deletes anything is recorded as an audit entry of its own (action "prune"), so
verify_audit accepts the trail starting where it left it.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from customers.audit.models import AuditEntry
from customers.insights import rollup


class Command(BaseCommand):
    help = (
        "Delete audit entries older than --older-than DAYS (the retention policy). This is the "
        "only way an audit entry is ever deleted; run it daily (deploy/systemd has a timer). "
        "Each run that deletes anything is recorded in the trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            help="Delete entries created more than DAYS days ago (at least 1).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report how many entries would be deleted.",
        )

    def handle(self, *args: object, older_than: int, dry_run: bool, **options: object) -> None:
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        before = timezone.now() - timedelta(days=older_than)
        if dry_run:
            count = AuditEntry.objects.prunable(before)[1].count()
            self.stdout.write(f"{count} audit entries are older than {older_than} days.")
            return
        deleted = AuditEntry.objects.prune(before)
        # The days' counts went with their entries: the day the cut fell in is counted again.
        rollup.forget(rollup.local_date(before))
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {deleted} audit entries older than {older_than} days.")
        )
