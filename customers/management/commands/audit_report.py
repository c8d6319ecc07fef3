"""The scheduled audit report: signals and charts as one self-contained HTML file, mailed to
AUDIT_REPORT_TO where mail is configured."""

import re
import smtplib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.mail import EmailMessage, mailers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.insights.figures import Insights
from customers.insights.rollup import Window

SINCE = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$", re.IGNORECASE)
MAX_DAYS = 366


def parse_since(text: str) -> int:
    """`7d`, `2w` or `30` (days) -> a number of days, 1 to MAX_DAYS."""
    match = SINCE.match(text)
    days = int(match[1]) * (7 if match[2].lower() == "w" else 1) if match else 0
    if not 1 <= days <= MAX_DAYS:
        raise CommandError(
            f"--since {text!r} is not a period like 7d or 2w (1 to {MAX_DAYS} days)."
        )
    return days


def _stylesheet() -> str:
    """The charts' stylesheet, for the report's inline styles."""
    found = finders.find("customers/insights.css")
    if not isinstance(found, str):
        raise CommandError("The static file customers/insights.css is missing.")
    return Path(found).read_text()


def mail_configured() -> bool:
    """Whether a mailer is set up (EMAIL_HOST, which fills MAILERS in the settings)."""
    return "default" in getattr(settings, "MAILERS", {})


class Command(BaseCommand):
    help = (
        "Write the audit report of the last --since days (signals, charts, top users, "
        "refusals) as one self-contained HTML file, and mail it to AUDIT_REPORT_TO where mail "
        "is configured (EMAIL_HOST). Run it from cron, e.g. every Monday: --since 7d."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", default="7d", help="The period: 7d (default), 2w, 30d.")
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write, or a directory to write audit-report-<date>.html in "
            "(default: the current directory).",
        )
        parser.add_argument(
            "--url",
            default="",
            help="The site's address (https://lookup.example.com): the report's figures then "
            "link to the audit list there. Without it the report has no links.",
        )
        parser.add_argument("--no-mail", action="store_true", help="Only write the file.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language the report and its mail are written in (default: LANGUAGE_CODE).",
        )

    def handle(self, *args: object, language: str, **options: Any) -> None:
        with translation.override(language):
            self.report(**options)

    def report(
        self, *, since: str, output: Path | None, url: str, no_mail: bool, **options: object
    ) -> None:
        window = Window.last_days(parse_since(since))
        base_url = url.strip().rstrip("/")
        if base_url and not re.match(r"^https?://[^/\s]+$", base_url):
            raise CommandError(f"--url {url!r} is not a site address like https://host.")
        if output is None or output.is_dir():
            output = (output or Path()) / f"audit-report-{window.last:%Y-%m-%d}.html"
        figures = Insights(window).overview()
        context = {
            **figures,
            "title": ngettext(
                "Audit report: the last %(days)s day",
                "Audit report: the last %(days)s days",
                len(window),
            )
            % {"days": len(window)},
            "window": window,
            "zone": settings.TIME_ZONE,
            "generated_at": timezone.localtime(),
            "base_url": base_url,
            "linked": bool(base_url),
            "stylesheet": _stylesheet(),
            "filename": output.name,
        }
        html = render_to_string("admin/customers/auditentry/report.html", context)
        output.write_text(html, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(html.encode()):,} bytes).")
        if no_mail:
            return
        recipients = list(settings.AUDIT_REPORT_TO)
        if not recipients:
            self.stdout.write("AUDIT_REPORT_TO is empty: not mailed.")
            return
        if not mail_configured():
            self.stdout.write("Mail is not configured (EMAIL_HOST): not mailed.")
            return
        message = EmailMessage(
            # Translators: the report mail's subject: its title, then the days it covers.
            subject=_("%(title)s (%(first)s to %(last)s)")
            % {
                "title": context["title"],
                "first": formats.date_format(window.first, "MONTH_DAY_FORMAT"),
                "last": formats.date_format(window.last, "DATE_FORMAT"),
            },
            body=render_to_string("admin/customers/auditentry/report.txt", context),
            to=recipients,
        )
        message.attach(output.name, html, "text/html")
        try:
            mailers.default.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            raise CommandError(f"The report was written but not mailed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Mailed to {', '.join(recipients)}."))
