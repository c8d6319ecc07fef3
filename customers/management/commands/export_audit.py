"""Appends the audit entries not yet exported to signed daily files (customers/audit/export.py)."""

from datetime import UTC, date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from customers.audit.chain import entries_are
from customers.audit.export import ExportError, append, last_exported
from customers.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Append every audit entry not exported yet to DIR/audit-YYYY-MM-DD.jsonl, one file per "
        "day (UTC), each line signed with AUDIT_SIGNING_KEY and linked to the one before. Files "
        "are only appended to; run it daily or hourly and copy DIR off the host. "
        "verify_audit --exports DIR checks them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", type=Path, required=True, metavar="DIR", help="The export directory."
        )
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Where an empty directory starts (default: the oldest entry); later runs "
            "continue after the last exported entry.",
        )

    def handle(self, *args: object, to: Path, since: date | None, **options: object) -> None:
        to.mkdir(parents=True, exist_ok=True)
        try:
            exported = last_exported(to)
        except ExportError as error:
            raise CommandError(f"{to} holds a damaged export: {error}") from error
        chained = AuditEntry.objects.filter(sequence__isnull=False)
        if exported is None:
            after, day = 0, None
            if since is not None:
                start = datetime(since.year, since.month, since.day, tzinfo=UTC)
                first = (
                    chained.filter(created_at__gte=start)
                    .order_by("sequence")
                    .values_list("sequence", flat=True)
                    .first()
                )
                after = (first - 1) if first is not None else _newest(chained)
        else:
            day, last = exported
            after = last.sequence
            following = (
                chained.filter(sequence__gt=after)
                .order_by("sequence")
                .values_list("sequence", "previous_digest")
                .first()
            )
            if following is not None:
                number, previous = following
                self._check_follows(last.sequence, last.digest, int(number or 0), previous)
        written = append(AuditEntry.objects.links(after=after), to, after=day)
        if not written:
            self.stdout.write("Nothing to export: every entry is in the files already.")
            return
        for written_day, count in sorted(written.items()):
            self.stdout.write(f"{count} entries appended to audit-{written_day}.jsonl")

    def _check_follows(self, sequence: int, digest: str, number: int, previous: str) -> None:
        """The database must carry on the exported chain (its entry `number` following the
        last exported one), or the files would mix two trails."""
        if number > sequence + 1:
            self.stderr.write(
                f"{entries_are(sequence + 1, number - 1)} pruned without being exported: the "
                "exports have a gap there."
            )
        elif previous != digest:
            raise CommandError(
                f"The database's entry {number} does not follow the last exported entry "
                f"{sequence}: the trail changed since it was exported. Run verify_audit "
                "--exports to find where."
            )


def _newest(chained: QuerySet[AuditEntry]) -> int:
    return chained.order_by("-sequence").values_list("sequence", flat=True).first() or 0
