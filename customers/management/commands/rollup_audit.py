"""Counts closed days of the audit trail into the daily roll-ups the auditor's pages read."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from customers.insights import rollup
from customers.insights.figures import BASELINE_DAYS


class Command(BaseCommand):
    help = (
        "Count the last --days days of the audit trail into the roll-ups, up to the last full "
        "hour: what is not counted yet or was counted with other settings (--rebuild: all of "
        "it again). Pages do this themselves for what they find missing; running it from cron "
        "every hour (e.g. at 15 past) keeps that work off the pages."
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
        if rebuild:
            rollup.forget(window.last, first=window.first)
        counted = rollup.ensure(window)
        until = timezone.localtime(rollup.settled())
        self.stdout.write(
            self.style.SUCCESS(
                f"Counted {counted} of the last {days} days, up to {until:%Y-%m-%d %H:%M}."
            )
        )
