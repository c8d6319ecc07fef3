"""The audit trail's hash chain: evidence that no entry was changed, removed or slipped in.

Each entry has a sequence number and a digest over its content, its number and the digest of
the entry before it, so changing or removing one entry breaks the link of the next. The digest
is an HMAC-SHA256 keyed with AUDIT_SIGNING_KEY, a key kept out of the database: someone who can
write to the audit tables but does not hold the key cannot recompute the digests after an edit.

`manage.py prune_audit` deletes the oldest entries (the retention policy). It records each run as
an entry of its own ("prune"), naming the entry the trail starts at from then on, so the chain
is checked from the first remaining entry, whose stored previous digest is the anchor, and
entries deleted by anything else are still reported. Exports (customers/audit/export.py) are
the same links written to files, checked by the same walk.
"""

import hashlib
import hmac
import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from django.conf import settings

# The previous digest of the very first entry.
GENESIS = "0" * 64
# Part of every digested message: a future change of the content's shape gets a new tag.
SCHEME = "customer-lookup-audit-v1"
# How a prune record names the entry the trail starts at (numbers grouped with commas, so the
# masking of long numbers in free text leaves it readable).
PRUNE_START = re.compile(r"the trail now starts at entry ([0-9,]+)")


def prune_detail(start: int, count: int, before: str) -> str:
    """The detail of a prune record; `verify` reads the start back with PRUNE_START."""
    return (
        f"prune_audit deleted {count:,} entries created before {before}; "
        f"the trail now starts at entry {start:,}"
    )


def _ip(value: object) -> str:
    if not value:
        return ""
    try:
        # One spelling per address, whatever the database hands back (PostgreSQL's inet).
        return ipaddress.ip_address(str(value)).exploded
    except ValueError:
        return str(value)


class Entry(Protocol):
    """The facts of an audit entry the digest covers (customers.audit.models.AuditEntry)."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def client_ip(self) -> str | None: ...

    @property
    def action(self) -> str: ...

    @property
    def outcome(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def account_id(self) -> str: ...

    @property
    def identifiers(self) -> object: ...

    @property
    def embeds(self) -> str: ...

    @property
    def customer_id(self) -> str: ...

    @property
    def backend_code(self) -> str: ...

    @property
    def request_id(self) -> str: ...

    @property
    def app_request_id(self) -> str: ...

    @property
    def latency_ms(self) -> int | None: ...

    @property
    def reason(self) -> str: ...

    @property
    def detail(self) -> str: ...


def content_of(entry: Entry, hashes: Iterable[tuple[str, str]]) -> dict[str, object]:
    """What the digest covers: every recorded fact of an entry and its identifier hashes.

    Not the user's id: deleting an account sets it to NULL (the username stays and is covered).
    Values are spelled as they read back from either database (UTC time to the microsecond,
    addresses written out in full).
    """
    created_at = entry.created_at.astimezone(UTC)
    return {
        "created_at": created_at.isoformat(timespec="microseconds"),
        "username": entry.username,
        "role": entry.role,
        "client_ip": _ip(entry.client_ip),
        "action": entry.action,
        "outcome": entry.outcome,
        "source": entry.source,
        "account_id": entry.account_id,
        "identifiers": entry.identifiers,
        "identifier_hashes": sorted([str(name), str(value)] for name, value in hashes),
        "embeds": entry.embeds,
        "customer_id": entry.customer_id,
        "backend_code": entry.backend_code,
        "request_id": entry.request_id,
        "app_request_id": entry.app_request_id,
        "latency_ms": entry.latency_ms,
        "reason": entry.reason,
        "detail": entry.detail,
    }


def canonical_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(sequence: int, previous_digest: str, content: dict[str, object]) -> str:
    message = canonical_json([SCHEME, sequence, previous_digest, content])
    key = settings.AUDIT_SIGNING_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    """One entry as the chain sees it, read from the database or from an export file."""

    sequence: int
    previous_digest: str
    digest: str
    content: dict[str, object]

    @property
    def is_signed(self) -> bool:
        expected = digest(self.sequence, self.previous_digest, self.content)
        return hmac.compare_digest(expected, self.digest)

    @property
    def prune_start(self) -> int | None:
        """The entry a prune record says the trail starts at; None for any other entry."""
        if self.content.get("action") != "prune":
            return None
        match = PRUNE_START.search(str(self.content.get("detail", "")))
        return int(match[1].replace(",", "")) if match else None

    def describe(self) -> str:
        content = self.content
        who = content.get("username") or "-"
        return (
            f"entry {self.sequence} ({content.get('created_at')}, {who}, {content.get('action')})"
        )


@dataclass(frozen=True)
class Break:
    """The first place where the trail is not what was written: the entry and what is wrong."""

    sequence: int
    problem: str


@dataclass
class Walk:
    """Follows links in sequence order and keeps the first break and what the trail spans.

    `anchored` walks (the database) also check where the trail starts: at entry 1, or no later
    than the entry the newest prune record names. An export may start anywhere.
    """

    anchored: bool = True
    first: Link | None = None
    last: Link | None = None
    count: int = 0
    prune_start: int | None = None
    prunes: int = 0
    # The first break met on the way (the walk goes in sequence order, so the lowest).
    broken: Break | None = None

    def add(self, link: Link) -> None:
        if not link.is_signed:
            self._broken(
                Break(
                    link.sequence,
                    f"{link.describe()} does not match its digest: it was changed after it was "
                    "written (or the digest was made with another AUDIT_SIGNING_KEY)",
                )
            )
        elif self.last is not None and link.sequence != self.last.sequence + 1:
            gone = entries_are(self.last.sequence + 1, link.sequence - 1)
            self._broken(
                Break(
                    self.last.sequence + 1,
                    f"{gone} missing between entry {self.last.sequence} and {link.describe()}",
                )
            )
        elif self.last is not None and link.previous_digest != self.last.digest:
            self._broken(
                Break(
                    link.sequence,
                    f"{link.describe()} does not follow entry {self.last.sequence}: the entry "
                    "before it was replaced",
                )
            )
        if link.prune_start is not None:
            self.prune_start = link.prune_start
            self.prunes += 1
        if self.first is None:
            self.first = link
        self.last = link
        self.count += 1

    def first_break(self) -> Break | None:
        """The break with the lowest entry number, the start of the trail included."""
        found = [self.broken] if self.broken else []
        if self.anchored and self.first is not None:
            start = self.prune_start if self.prune_start is not None else 1
            if self.first.sequence > start:
                if self.prune_start is None:
                    why = "and no prune_audit run is recorded"
                else:
                    why = f"but the newest prune_audit run kept the trail from entry {start:,}"
                gone = entries_are(start, self.first.sequence - 1)
                found.append(Break(start, f"{gone} gone from the start of the trail, {why}"))
        return min(found, key=lambda item: item.sequence, default=None)

    def _broken(self, broken: Break) -> None:
        if self.broken is None:
            self.broken = broken


def entries_are(first: int, last: int) -> str:
    """`entry 7 is`, or `entries 7 to 9 are`."""
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"
