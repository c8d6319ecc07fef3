"""Counts closed days of the audit trail into the daily roll-ups the auditor's pages read."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers import rollup
from customers.insights import BASELINE_DAYS


class Command(BaseCommand):
    help = (
        "Count the closed days of the last --days days into the audit roll-ups, those not "
        "counted yet or counted with other settings (--rebuild: all of them again). Pages do "
        "this themselves for a day they find missing; running it from cron after midnight "
        "(e.g. 00:15) keeps that work off the first page of the day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=BASELINE_DAYS,
            help=f"How many days back to count (default {BASELINE_DAYS}, what the pages show).",
        )
        parser.add_argument("--rebuild", action="store_true", help="Count every closed day again.")

    def handle(self, *args: object, days: int, rebuild: bool, **options: object) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        window = rollup.Window.last_days(days)
        closed = rollup.closed_days(window)
        if rebuild and closed:
            rollup.forget(closed[-1], first=closed[0])
        counted = rollup.ensure(window)
        self.stdout.write(
            self.style.SUCCESS(
                f"Counted {counted} of the {len(closed)} closed days of the last {days} days."
            )
        )
