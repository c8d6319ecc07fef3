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
from datetime import datetime, tzinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMinute

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

    def with_local_time(self, entries: QuerySet, field: str = "created_at") -> QuerySet:
        """`entries` with `local_weekday` and `local_minute` aliases in these hours' zone, for
        `inside()` and `outside()`."""
        zone = self.zone
        return entries.alias(
            local_weekday=ExtractIsoWeekDay(field, tzinfo=zone),
            local_minute=ExtractHour(field, tzinfo=zone) * 60 + ExtractMinute(field, tzinfo=zone),
        )

    def inside(self) -> Q:
        """The condition, on `with_local_time`'s aliases, of a moment inside the hours."""
        inside = Q(pk__in=[])
        for span in self.spans:
            inside |= Q(
                local_weekday__in=sorted(span.weekdays),
                local_minute__gte=span.start,
                local_minute__lt=span.end,
            )
        return inside

    def outside(self, entries: QuerySet, field: str = "created_at") -> QuerySet:
        """`entries` narrowed, in the database, to those outside the business hours."""
        return self.with_local_time(entries, field).exclude(self.inside())


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
