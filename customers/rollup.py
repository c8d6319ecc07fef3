"""Daily roll-ups of the audit trail, so the auditor's pages never read millions of entries.

Nothing is added to the write path: an audited request still writes its one entry. A closed
local day (settings.TIME_ZONE) is counted once into `AuditDayCount` (entries per user, role,
action and outcome, with how many had no reason and how many fell outside business hours) and
`AuditDayMember` (members seen by MANY_STAFF or more staff that day), under its `AuditDay` row.
The open part of the trail, today and a day that closed less than GRACE ago (its last entries
may still be committing), is counted live from the created_at index on every read.

`manage.py rollup_audit` counts the closed days ahead of time (run it from cron after
midnight); a read that finds a closed day of its window missing counts it itself, once. A day is
counted again when what its counts depend on changes (its `basis`: the time zone, the business
hours, MANY_STAFF), and forgotten when prune_audit deletes entries of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import business_hours
from .models import AuditDay, AuditDayCount, AuditDayMember, AuditEntry, Outcome

# A day is counted for good this long after it ended: entries written at 23:59:59 may commit a
# moment later, or come from an instance whose clock is a little behind.
GRACE = timedelta(minutes=10)
# Different staff who saw one member on one day, from which the day keeps the member.
MANY_STAFF = 5
# What a day is counted by; `day` can be asked for too.
DIMENSIONS = ("username", "role", "action", "outcome")
COUNTS = ("entries", "without_reason", "after_hours")
# Outcomes of an entry that showed the member's data (refused attempts showed nothing).
SEEN = (Outcome.FOUND, Outcome.OK)


def day_start(day: date) -> datetime:
    """Midnight starting `day` in the org's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


@dataclass(frozen=True)
class Window:
    """Whole local days from `first` to `last`, both included; a window that reaches today
    ends now."""

    first: date
    last: date

    @classmethod
    def last_days(cls, days: int, today: date | None = None) -> Window:
        """The `days` days up to and including today."""
        today = today or local_date(timezone.now())
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(len(self))]

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def basis() -> str:
    """What a day's counts depend on besides its entries; a day counted with another basis is
    counted again."""
    hours = " ".join(settings.AUDIT_BUSINESS_HOURS.split()) or "-"
    return f"time zone {settings.TIME_ZONE}; business hours {hours}; many staff {MANY_STAFF}"


def first_open_day(now: datetime | None = None) -> date:
    """The first day still counted live: days before it are closed for good."""
    return local_date((now or timezone.now()) - GRACE)


def closed_days(window: Window) -> list[date]:
    return [day for day in window.days if day < first_open_day()]


def ensure(window: Window) -> int:
    """Counts the closed days of `window` that are not counted yet (or were counted on another
    basis); returns how many it counted."""
    days = closed_days(window)
    if not days:
        return 0
    done = set(
        AuditDay.objects.filter(day__gte=days[0], day__lte=days[-1], basis=basis()).values_list(
            "day", flat=True
        )
    )
    missing = [day for day in days if day not in done]
    for day in missing:
        roll_up(day)
    return len(missing)


def roll_up(day: date) -> None:
    """Counts one closed day, replacing what was counted for it before."""
    start, end = day_start(day), day_start(day + timedelta(days=1))
    counts = _count(start, end, DIMENSIONS)
    members = _members(AuditEntry.objects.filter(created_at__gte=start, created_at__lt=end))
    try:
        with transaction.atomic():
            AuditDay.objects.filter(day=day).delete()
            marker = AuditDay.objects.create(day=day, basis=basis())
            AuditDayCount.objects.bulk_create(
                AuditDayCount(
                    day=marker,
                    user_id=row["user_pk"],
                    **{name: row[name] for name in (*DIMENSIONS, *COUNTS)},
                )
                for row in counts
            )
            AuditDayMember.objects.bulk_create(
                AuditDayMember(day=marker, customer_id=customer_id, usernames=names)
                for (_, customer_id), names in members.items()
            )
    except IntegrityError:
        # Another process counted the same day at the same moment: its counts stand.
        pass


def forget(last: date, first: date | None = None) -> int:
    """Drops the counts of the days from `first` (or the earliest) to `last`, after entries of
    them were deleted or inserted afterwards; a read counts them again. Returns how many."""
    days = AuditDay.objects.filter(day__lte=last)
    if first is not None:
        days = days.filter(day__gte=first)
    return days.delete()[1].get(AuditDay._meta.label, 0)


class Activity:
    """Entries of a window counted by day, user, role, action and outcome: closed days from the
    roll-up (counted first where missing), the open rest live from the entries, once.

    Each `counts` call is one query on the roll-up table; the live part is read on the first
    call and grouped in Python after, so a page asks the entries table once however many
    figures it shows.
    """

    def __init__(self, window: Window) -> None:
        self.window = window
        ensure(window)
        self.open_from = first_open_day()

    @cached_property
    def _live(self) -> list[dict]:
        live_start = max(self.window.start, day_start(self.open_from))
        if live_start >= self.window.end:
            return []
        return _count(live_start, self.window.end, ("day", *DIMENSIONS))

    def counts(
        self, by: Sequence[str], within: Window | None = None, **where: Collection[str]
    ) -> list[dict]:
        """Counts grouped by `by` (day, username, role, action, outcome) in `within` (default:
        the whole window), narrowed by `where` (a dimension's accepted values, e.g.
        `action=["lookup"]`). Each row has `entries`, `without_reason` and `after_hours` and,
        grouped by username, `user_pk` (the user's id; None once the account is deleted)."""
        within = within or self.window
        first, last = max(within.first, self.window.first), min(within.last, self.window.last)
        rows: dict[tuple, dict] = {}
        if first < self.open_from:
            rolled = AuditDayCount.objects.filter(
                day__gte=first,
                day__lte=min(last, self.open_from - timedelta(days=1)),
                **{f"{name}__in": list(values) for name, values in where.items()},
            )
            rolled = (
                rolled.values(*by)
                .annotate(
                    **{name: Sum(name) for name in COUNTS},
                    **({"user_pk": Max("user")} if "username" in by else {}),
                )
                .order_by()
            )
            _merge(rows, rolled, by)
        live = (
            row
            for row in self._live
            if first <= row["day"] <= last
            and all(row[name] in values for name, values in where.items())
        )
        _merge(rows, live, by)
        return list(rows.values())


def members(window: Window, username: str = "") -> list[tuple[date, str, list[str]]]:
    """(day, customer id, staff usernames) of the members MANY_STAFF or more staff saw on one
    day of `window`, optionally only those `username` was among; most staff first."""
    ensure(window)
    open_from = first_open_day()
    found: dict[tuple[date, str], list[str]] = {}
    if window.first < open_from:
        rolled = AuditDayMember.objects.filter(
            day__gte=window.first, day__lt=open_from, day__lte=window.last
        ).values_list("day", "customer_id", "usernames")
        found.update(((day, customer_id), names) for day, customer_id, names in rolled)
    live_start = max(window.start, day_start(open_from))
    if live_start < window.end:
        entries = AuditEntry.objects.filter(created_at__gte=live_start, created_at__lt=window.end)
        found.update(_members(entries, by_day=True))
    return sorted(
        (
            (day, customer_id, names)
            for (day, customer_id), names in found.items()
            if not username or username in names
        ),
        key=lambda item: (-len(item[2]), item[0], item[1]),
    )


def _count(since: datetime, until: datetime, by: Sequence[str]) -> list[dict]:
    """One aggregate over the entries from `since` to `until`, grouped by `by` (TruncDate in
    the org's zone for day)."""
    entries = AuditEntry.objects.filter(created_at__gte=since, created_at__lt=until)
    hours = business_hours.configured()
    after_hours: Count | Value = Value(0)
    if hours is not None:
        after_hours = Count("pk", filter=~hours.inside(since, until))
    if "day" in by:
        entries = entries.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_default_timezone())
        )
    return list(
        entries.values(*by)
        .annotate(
            entries=Count("pk"),
            without_reason=Count("pk", filter=Q(reason="")),
            after_hours=after_hours,
            **({"user_pk": Max("user")} if "username" in by else {}),
        )
        .order_by()
    )


def _members(entries: QuerySet, by_day: bool = False) -> dict[tuple, list[str]]:
    """{(day, customer id): sorted usernames} of the members MANY_STAFF or more staff saw;
    `day` is None unless `by_day` (one day's entries)."""
    seen = entries.filter(outcome__in=SEEN).exclude(customer_id="").exclude(username="")
    # Only a member with MANY_STAFF entries can have MANY_STAFF staff: a plain count per member
    # (a hash aggregate) finds those first, and staff are told apart for them alone. Counting
    # distinct staff for every member sorted a day's entries: a third of a busy day's cost.
    candidates = list(
        seen.values("customer_id")
        .annotate(entries=Count("pk"))
        .filter(entries__gte=MANY_STAFF)
        .values_list("customer_id", flat=True)
        .order_by()
    )
    if not candidates:
        return {}
    seen = seen.filter(customer_id__in=candidates)
    if by_day:
        seen = seen.annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
    group = ("day", "customer_id") if by_day else ("customer_id",)
    staff: dict[tuple, set[str]] = defaultdict(set)
    for *key, username in seen.values_list(*group, "username").distinct().order_by():
        staff[tuple(key)].add(username)
    return {
        (key[0] if by_day else None, key[-1]): sorted(names)
        for key, names in staff.items()
        if len(names) >= MANY_STAFF
    }


def _merge(rows: dict[tuple, dict], more: Iterable[dict], by: Sequence[str]) -> None:
    """Adds `more` into `rows` by their `by` values; the user id is kept with a username."""
    with_user = "username" in by
    for row in more:
        key = tuple(row[name] for name in by)
        if key not in rows:
            rows[key] = {name: row[name] for name in by} | dict.fromkeys(COUNTS, 0)
            if with_user:
                rows[key]["user_pk"] = None
        merged = rows[key]
        for name in COUNTS:
            merged[name] += row[name] or 0
        if with_user and row["user_pk"] is not None:
            merged["user_pk"] = max(merged["user_pk"] or 0, row["user_pk"])
