"""The audit trail in daily files, for a copy kept away from the database.

`manage.py export_audit --to DIR` appends the chained entries not exported yet to the file of
their day, DIR/audit-YYYY-MM-DD.jsonl (UTC): one JSON object per line holding an entry's
sequence number, previous digest, digest and content, exactly what the hash chain covers. The
digests are HMACs keyed with AUDIT_SIGNING_KEY, so every line is signed and linked to the one
before it: `manage.py verify_audit --exports DIR` checks the files with the key alone, and that
the database still holds each exported entry unchanged (the newest ones included, which the
chain alone cannot vouch for). Files are only ever appended to, never rewritten.
"""

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from customers.audit.chain import Break, Link, canonical_json, entries_are

FILENAME = re.compile(r"^audit-(\d{4}-\d{2}-\d{2})\.jsonl$")


class ExportError(Exception):
    """An export file that is not what export_audit writes (a cut-off or edited line)."""


def path_for(directory: Path, day: date) -> Path:
    return directory / f"audit-{day.isoformat()}.jsonl"


def export_files(directory: Path) -> list[Path]:
    """The day files in a directory, oldest first (other files are left alone)."""
    if not directory.is_dir():
        raise ExportError(f"{directory} is not a directory.")
    return sorted(path for path in directory.iterdir() if FILENAME.match(path.name))


def line_of(link: Link) -> str:
    return canonical_json(
        {
            "sequence": link.sequence,
            "previous_digest": link.previous_digest,
            "digest": link.digest,
            "entry": link.content,
        }
    )


def read_links(directory: Path) -> Iterator[Link]:
    """Every exported link, in file and line order."""
    for path in export_files(directory):
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                yield _link(line, f"{path.name} line {number}")


def _link(line: str, where: str) -> Link:
    if not line.endswith("\n"):
        raise ExportError(f"{where} is cut off (an export that stopped half way?).")
    try:
        data = json.loads(line)
        link = Link(
            sequence=int(data["sequence"]),
            previous_digest=str(data["previous_digest"]),
            digest=str(data["digest"]),
            content=dict(data["entry"]),
        )
    except (ValueError, TypeError, KeyError) as error:
        raise ExportError(f"{where} is not an exported audit entry ({error}).") from error
    return link


def last_exported(directory: Path) -> tuple[date, Link] | None:
    """The day and link of the newest exported entry, or None for an empty directory."""
    for path in reversed(export_files(directory)):
        with path.open(encoding="utf-8") as lines:
            last = None
            for number, line in enumerate(lines, 1):
                last = (line, number)
        if last is not None:
            day = date.fromisoformat(path.name.removeprefix("audit-").removesuffix(".jsonl"))
            return day, _link(last[0], f"{path.name} line {last[1]}")
    return None


def day_of(link: Link) -> date:
    return date.fromisoformat(str(link.content["created_at"])[:10])


def append(links: Iterable[Link], directory: Path, after: date | None = None) -> dict[date, int]:
    """Appends links, in sequence order, to the files of their days; returns how many per day.

    A link never goes to an earlier file than the one before it (with several instances'
    clocks, an entry stamped 23:59:59.999 may follow one stamped 00:00:00.001), so each file
    holds one unbroken run of the chain and the files follow each other.
    """
    written: dict[date, int] = {}
    current: date | None = after
    handle: TextIO | None = None
    try:
        for link in links:
            day = day_of(link) if current is None else max(current, day_of(link))
            if handle is None or day != current:
                _close(handle)
                handle = path_for(directory, day).open("a", encoding="utf-8")
                current = day
            handle.write(line_of(link) + "\n")
            written[day] = written.get(day, 0) + 1
    finally:
        _close(handle)
    return written


def _close(handle: TextIO | None) -> None:
    if handle is not None:
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()


@dataclass
class Agreement:
    """Checks, in one pass over the database's links in sequence order, that the database
    holds every exported entry unchanged: the exports vouch for the newest entries too, which
    someone with access to the database could otherwise remove together with the chain's head.

    Exported entries older than the database's first entry were pruned since, which the
    database's own walk judges (from the prune records).
    """

    exported: Iterator[Link]
    broken: Break | None = None
    compared: int = 0
    _pending: Link | None = field(default=None, repr=False)
    _started: bool = field(default=False, repr=False)

    def add(self, link: Link) -> None:
        if not self._started:
            self._start(before=link.sequence)
        while self._pending is not None and self._pending.sequence < link.sequence:
            missing = self._pending.sequence
            self._broken(missing, f"entry {missing} was exported but is not in the database")
            self._pending = next(self.exported, None)
        if self._pending is not None and self._pending.sequence == link.sequence:
            if self._pending.digest != link.digest:
                self._broken(link.sequence, f"entry {link.sequence} differs from its export")
            self.compared += 1
            self._pending = next(self.exported, None)

    def finish(self) -> Break | None:
        if not self._started:
            self._start(before=None)
        if self._pending is not None:
            first = last = self._pending.sequence
            for link in self.exported:
                last = link.sequence
            self._broken(
                first,
                f"{entries_are(first, last)} exported but missing from the end of the database",
            )
        return self.broken

    def _start(self, before: int | None) -> None:
        self._started = True
        self._pending = next(self.exported, None)
        while before is not None and self._pending and self._pending.sequence < before:
            self._pending = next(self.exported, None)

    def _broken(self, sequence: int, problem: str) -> None:
        if self.broken is None:
            self.broken = Break(sequence, problem)
