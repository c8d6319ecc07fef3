"""The org's business hours (AUDIT_BUSINESS_HOURS), for the audit's after-hours signal.

The setting is one or more spans separated by commas, each a day or a range of days and a time
range, optionally followed by an IANA time zone for all of them (default: TIME_ZONE):

    Mon-Fri 08:00-18:00
    Mon-Fri 08:30-17:30, Sat 09:00-13:00 Asia/Kolkata

Days are Mon Tue Wed Thu Fri Sat Sun (a range may wrap, `Fri-Mon`); times are 24-hour `HH:MM`,
the end after the start (`24:00` ends at midnight; a night shift is two spans, one either side
of midnight). Empty means the org keeps no business hours and nothing is after hours.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SPAN = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$",
    re.IGNORECASE,
)
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Span:
    """Open on `weekdays` (ISO: Monday 1 .. Sunday 7) from `start` to `end`, in minutes after
    midnight (the end excluded)."""

    weekdays: frozenset[int]
    start: int
    end: int


@dataclass(frozen=True)
class BusinessHours:
    spans: tuple[Span, ...]
    zone_name: str

    @property
    def zone(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.zone_name)

    def contains(self, moment: datetime) -> bool:
        """Whether `moment` (aware) falls inside the business hours, in their time zone."""
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        return any(
            local.isoweekday() in span.weekdays and span.start <= minute < span.end
            for span in self.spans
        )

    def intervals(self, since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
        """The open hours between two moments, as aware start and end times: a condition on
        the timestamp itself, which an index serves and no row pays a time zone conversion
        for (a day's entries counted through per-row local times took twice as long)."""
        zone = self.zone
        first = since.astimezone(zone).date()
        last = (until - timedelta(microseconds=1)).astimezone(zone).date()
        days = (last - first).days + 1
        return [
            (
                _at(first + timedelta(days=n), span.start, zone),
                _at(first + timedelta(days=n), span.end, zone),
            )
            for n in range(days)
            for span in self.spans
            if (first + timedelta(days=n)).isoweekday() in span.weekdays
        ]

    def inside(self, since: datetime, until: datetime, field: str = "created_at") -> Q:
        """The condition of a moment between `since` and `until` inside the hours."""
        inside = Q(pk__in=[])
        for start, end in self.intervals(since, until):
            inside |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
        return inside

    def outside(self, entries: QuerySet[Any], since: datetime, until: datetime) -> QuerySet[Any]:
        """`entries` between `since` and `until` outside the hours, narrowed in the database."""
        between = entries.filter(created_at__gte=since, created_at__lt=until)
        return between.exclude(self.inside(since, until))


def _at(day: date, minute: int, zone: tzinfo) -> datetime:
    """`minute` minutes after the midnight starting `day`, on the wall clock of `zone`."""
    return (datetime.combine(day, time()) + timedelta(minutes=minute)).replace(tzinfo=zone)


def parse(text: str, default_zone: str) -> BusinessHours | None:
    """The business hours `text` describes, None when empty; ImproperlyConfigured when it is
    not in the format above."""
    text = str(text or "").strip()
    if not text:
        return None
    zone_name = default_zone
    head, _, last_word = text.rpartition(" ")
    if "/" in last_word or last_word.upper() == "UTC":
        zone_name, text = last_word, head.strip()
    try:
        zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ImproperlyConfigured(f"{zone_name!r} is not a known time zone.") from error
    spans = tuple(_span(part.strip()) for part in text.split(","))
    return BusinessHours(spans=spans, zone_name=zone_name)


def _span(text: str) -> Span:
    match = SPAN.match(text)
    if not match:
        raise ImproperlyConfigured(
            f"Business hours {text!r} are not like 'Mon-Fri 08:00-18:00' (days, then a time "
            "range; several spans separated by commas, optionally a time zone at the end)."
        )
    first, last = _day(match["first"]), _day(match["last"] or match["first"])
    weekdays = frozenset((first + step) % 7 + 1 for step in range((last - first) % 7 + 1))
    start, end = _minutes(match["start"]), _minutes(match["end"])
    if not start < end:
        raise ImproperlyConfigured(
            f"Business hours {text!r} end before they start: write a night shift as two spans, "
            "e.g. 'Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00'."
        )
    return Span(weekdays=weekdays, start=start, end=end)


def _day(name: str) -> int:
    try:
        return DAYS.index(name.lower())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name!r} is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun."
        ) from None


def _minutes(text: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours * 60 + minutes > MINUTES_PER_DAY:
        raise ImproperlyConfigured(f"{text!r} is not a time from 00:00 to 24:00.")
    return hours * 60 + minutes


def configured() -> BusinessHours | None:
    """The business hours of settings.AUDIT_BUSINESS_HOURS (read per call, not at import)."""
    return parse(settings.AUDIT_BUSINESS_HOURS, settings.TIME_ZONE)
