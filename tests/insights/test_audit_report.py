"""manage.py audit_report: one self-contained HTML file, mailed to AUDIT_REPORT_TO through
Django's test outbox and through a real SMTP server on loopback (aiosmtpd)."""

import email
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import CommandError, call_command

from tests.html_tree import parse
from tests.test_foundation import run_python
from tests.trail import days_ago, entry, local, person, write

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
RECIPIENTS = ["audit@example.com", "dpo@example.com"]


@pytest.fixture
def trail(settings):
    """Eve's lookups at ten at night, and a member five staff looked at on one day."""
    settings.AUDIT_BUSINESS_HOURS = "Mon-Sun 08:00-18:00"
    staff = [person(name) for name in ("alice", "bob", "carol", "dan", "eve")]
    day = days_ago(1)
    write(
        [entry(staff[4], local(day, 22, n), customer_id=f"e{n}") for n in range(3)]
        + [entry(user, local(day, 10), customer_id="777") for user in staff]
    )


def report(tmp_path: Path, *args: str, capsys=None) -> tuple[str, str]:
    output = tmp_path / "report.html"
    call_command("audit_report", "--output", str(output), *args)
    out = capsys.readouterr().out if capsys else ""
    return output.read_text(), out


def test_the_report_is_one_self_contained_html_file(trail, tmp_path, capsys):
    """Inline styles and SVG charts, nothing fetched from anywhere, no links without --url."""
    html, out = report(tmp_path, "--no-mail", capsys=capsys)
    assert "Wrote " in out
    assert html.startswith("<!DOCTYPE html>")
    page = parse(html)
    assert len(page.find_all("svg", class_="bar-chart")) == 4
    assert ".series-outcome-found" in page.find("style").text
    assert not page.find_all("link") and not page.find_all("script") and not page.find_all("img")
    assert not page.find_all(href=True) and not page.find_all(src=True)
    signal = page.find("section", id="signal-after_hours")
    assert "3 of their 4 lookups: eve" in signal.text
    assert "customer 777: 5 staff" in page.find("section", id="signal-many_staff").text


def test_with_the_site_address_the_figures_link_to_the_audit_list_there(trail, tmp_path):
    html, _ = report(tmp_path, "--no-mail", "--url", "https://lookup.example.com/")
    hrefs = [link["href"] for link in parse(html).find_all("a")]
    assert hrefs and all(href.startswith("https://lookup.example.com/") for href in hrefs)
    assert any(
        href.startswith("https://lookup.example.com/admin/customers/auditentry/?")
        for href in hrefs
    )


def test_it_mails_the_report_to_audit_report_to(trail, tmp_path, settings, capsys):
    """The file goes as an attachment; the body names the signals and their findings."""
    settings.MAILERS = LOCMEM
    settings.AUDIT_REPORT_TO = RECIPIENTS
    html, out = report(tmp_path, "--since", "7d", capsys=capsys)
    assert "Mailed to audit@example.com, dpo@example.com." in out
    [message] = mail.outbox
    assert message.to == RECIPIENTS
    assert message.subject.startswith("Audit report: the last 7 days")
    assert "Lookups outside business hours: 1" in message.body
    assert "3 of their 4 lookups: eve" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, content, mimetype) == ("report.html", html, "text/html")


def test_it_only_writes_the_file_without_recipients_or_mail(trail, tmp_path, settings, capsys):
    settings.MAILERS = LOCMEM
    settings.AUDIT_REPORT_TO = []
    assert "AUDIT_REPORT_TO is empty" in report(tmp_path, capsys=capsys)[1]
    del settings.MAILERS
    settings.AUDIT_REPORT_TO = RECIPIENTS
    assert "Mail is not configured" in report(tmp_path, capsys=capsys)[1]
    assert mail.outbox == []


def test_into_a_directory_the_file_is_named_by_its_last_day(trail, tmp_path):
    """A weekly timer gives a directory: each report keeps its own dated file."""
    call_command("audit_report", "--no-mail", "--output", str(tmp_path))
    [written] = tmp_path.iterdir()
    assert written.name == f"audit-report-{days_ago(0):%Y-%m-%d}.html"


@pytest.mark.parametrize(("since", "days"), [("7d", 7), ("2w", 14), ("30", 30)])
def test_the_period(trail, tmp_path, since, days):
    html, _ = report(tmp_path, "--no-mail", "--since", since)
    assert f"the last {days} days" in html


@pytest.mark.parametrize("since", ["0d", "7x", "week", "400d"])
def test_a_period_it_cannot_read_is_refused(tmp_path, since):
    with pytest.raises(CommandError, match="not a period"):
        report(tmp_path, "--since", since)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def smtp_mailer(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5}
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


def test_it_mails_the_report_through_a_real_smtp_server(trail, tmp_path, settings, smtp_server):
    """Over SMTP to a server on loopback: one message to both recipients, the HTML attached."""
    controller, inbox = smtp_server
    settings.MAILERS = smtp_mailer(controller.port)
    settings.AUDIT_REPORT_TO = RECIPIENTS
    html, _ = report(tmp_path)
    [envelope] = inbox.received
    assert sorted(envelope.rcpt_tos) == sorted(RECIPIENTS)
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "report.html"
    # SMTP carries text with CRLF line ends.
    assert attachment.get_content().replace("\r\n", "\n") == html
    assert "Lookups outside business hours: 1" in message.get_body(("plain",)).get_content()


def test_a_mail_server_that_does_not_answer_fails_the_command_after_the_file(
    trail, tmp_path, settings
):
    """Cron sees the failure (a non-zero exit); the file is there to send by hand."""
    settings.MAILERS = smtp_mailer(free_port())
    settings.AUDIT_REPORT_TO = RECIPIENTS
    with pytest.raises(CommandError, match="written but not mailed"):
        report(tmp_path)
    assert (tmp_path / "report.html").exists()


def test_the_settings_build_the_mailer_from_the_email_variables():
    """EMAIL_HOST and its companions fill Django's MAILERS; without EMAIL_HOST there is none."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAILERS['default']['OPTIONS'] if hasattr(s, 'MAILERS') else None)"
    )
    unset = run_python(code, SECRET_KEY="k" * 50)
    assert unset.stdout.strip() == "None"
    result = run_python(
        code,
        SECRET_KEY="k" * 50,
        EMAIL_HOST="smtp.example.com",
        EMAIL_USE_SSL="true",
        EMAIL_HOST_USER="reports",
        EMAIL_HOST_PASSWORD="mail-password",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        {
            "host": "smtp.example.com",
            "port": 465,
            "username": "reports",
            "password": "mail-password",
            "use_ssl": True,
            "use_tls": False,
            "timeout": 30,
        }
    )


def test_the_system_check_refuses_both_kinds_of_tls():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check')",
        SECRET_KEY="k" * 50,
        EMAIL_HOST="smtp.example.com",
        EMAIL_USE_SSL="true",
        EMAIL_USE_TLS="true",
    )
    assert "customers.E003" in result.stderr


def test_the_report_and_its_mail_are_in_the_language_asked_for(trail, tmp_path, settings):
    """--language ar: an Arabic, right-to-left report and subject; the figures are the same."""
    settings.MAILERS = LOCMEM
    settings.AUDIT_REPORT_TO = RECIPIENTS
    html, _ = report(tmp_path, "--language", "ar")
    page = parse(html)
    assert '<html lang="ar" dir="rtl">' in html
    [message] = mail.outbox
    assert "Audit report" not in message.subject and "تقرير" in message.subject
    assert "Lookups outside business hours" not in message.body
    assert "customer 777" not in page.text and "777" in page.find(id="signal-many_staff").text


def test_a_language_not_shipped_is_refused(tmp_path):
    with pytest.raises(CommandError):
        report(tmp_path, "--no-mail", "--language", "de")
