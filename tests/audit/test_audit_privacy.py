"""No full mobile or email in the audit trail or the logs, whatever input carries one.

A property-based test: generated mobiles (in every formatting people type) and emails are put,
one input at a time, into every input of every audited request (the lookup's parameters, a
section's query string, reveal, refresh and the audit export), and no column of any audit row,
nor any log line as the console writes it, holds one whole afterwards.
"""

import json
import logging
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from customers.audit.models import AuditEntry, AuditIdentifier
from customers.masking import RedactingLogFilter

pytestmark = pytest.mark.django_db

CUSTOMER_ID = 5000001
MEMBER = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"}
LOOKUP_INPUTS = (
    "source",
    "accountId",
    "identifierName",
    "identifierValue",
    "embed",
    "reason",
    "gapToUpgrade",
    "gapToRenew",
    "userGroup2Id",
    "includedFraudDetails",
    "anything",
)
SEPARATORS = st.sampled_from(["", " ", ".", "-", " - ", "(", ") ", "/", "  "])


@st.composite
def mobiles(draw) -> str:
    """A mobile with its country code, as a person may write it: groups of digits with spaces,
    dots, dashes or parentheses between them, `+` or `00` in front, letters around it."""
    digits = draw(st.from_regex(r"\A[1-9][0-9]{10,12}\Z"))
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=4)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    written = groups[0]
    for group in groups[1:]:
        written += draw(SEPARATORS) + group
    prefix = draw(st.sampled_from(["", "+", "00", "+(", "tel:", "ref", "x"]))
    suffix = draw(st.sampled_from(["", "x", " ext", "abc"]))
    return prefix + written + suffix


SECRETS = st.one_of(mobiles(), st.emails())


class Lines(logging.Handler):
    """Log lines as the console writes them: through the redacting filter, then formatted."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(RedactingLogFilter())
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("customers", "django.request", "")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def users(client, settings):
    from customers.sandbox.seeding import seed

    settings.LOOKUP_API_BASE_URL = ""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_LATENCY_MS = 0
    settings.LOOKUP_RATE_LIMIT = "100000/h"
    settings.LOOKUP_BREAKER_FAILURES = 0
    seed()
    agent = User.objects.create_user("agent")
    agent.groups.add(Group.objects.get(name="Support agents"))
    auditor = User.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    return agent, auditor


def every_audited_request(client, agent, auditor, secret: str) -> None:
    """The secret in each input of each audited request, one input at a time."""
    client.force_login(agent)
    for name in LOOKUP_INPUTS:
        client.post("/lookup/", {**MEMBER, name: secret})  # the search form
        client.get("/lookup/", {**MEMBER, name: secret})  # a pasted API query string
    # A second identifier row, its name or its value the secret.
    client.get("/lookup/", {**MEMBER, "identifierName": ["mobile", secret], "x": ""})
    client.get(
        "/lookup/",
        {"source": "INSTORE", "identifierName": ["mobile", "email"],
         "identifierValue": ["919999000001", secret]},
    )  # fmt: skip
    page = f"/customers/{CUSTOMER_ID}/"
    client.get(f"{page}tiers/", {"days": secret, "other": secret})
    client.get(page, {"q": secret})
    client.post(f"{page}reveal/", {"field": secret, "reason": secret, "next": secret})
    client.post(f"{page}reveal/", {"field": "mobile", "reason": secret, "next": page + secret})
    client.post(f"{page}refresh/", {"next": secret})
    client.force_login(auditor)
    export = "/admin/customers/auditentry/export/"
    client.post(f"{export}?{urlencode({'q': secret})}")
    client.post(f"{export}?{urlencode(dict.fromkeys(('source', 'role', 'heavy'), secret))}")


def stored_text(after: int) -> list[str]:
    """Every column of every audit row past id `after`, and of their identifier hash rows, as
    the database holds them."""
    rows = []
    with connection.cursor() as cursor:
        for model, key in ((AuditEntry, "id"), (AuditIdentifier, "entry_id")):
            cursor.execute(
                f"SELECT * FROM {model._meta.db_table} WHERE {key} > %s",  # noqa: S608
                [after],
            )
            rows += [json.dumps(row, default=str, ensure_ascii=False) for row in cursor]
    return rows


# A number as text may write it: digits with spaces, dots, dashes, parentheses between them.
NUMBER = re.compile(r"\d(?:[\s.\-()/+]{0,3}\d)*")


def numbers_in(text: str) -> list[str]:
    return [re.sub(r"\D", "", number) for number in NUMBER.findall(text)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(secret=SECRETS)
@example(secret="919999000004")
@example(secret="+1 (555) 123-4567")
@example(secret="91.9999.000001")
@example(secret="ref919999000001")
@example(secret="0091 99990 00001")
@example(secret="priya.sharma@example.com")
def test_no_mobile_or_email_is_stored_or_logged_whole(client, users, log_lines, secret):
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    log_lines.lines.clear()

    every_audited_request(client, *users, secret)

    rows = stored_text(after=last)
    assert len(rows) > 30  # the requests were audited
    digits = re.sub(r"\D", "", secret) if "@" not in secret else ""
    for text in rows + log_lines.lines:
        assert secret.casefold() not in text.casefold(), text
        if digits:
            # However the text writes it: with other punctuation, or without its own.
            assert not any(digits in number for number in numbers_in(text)), text
