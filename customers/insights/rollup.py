"""Roll-ups of the audit trail, so the auditor's pages never read millions of entries.

Nothing is added to the write path: an audited request still writes its one entry. The trail is
counted per local day (settings.TIME_ZONE) into `AuditDayCount` (entries per user, role, action
and outcome, with how many had no reason and how many fell outside business hours) and
`AuditDayMember` (the staff who saw each member), under the day's `AuditDay`, which says up to
which moment the day is counted (`through`). A day that is over is counted in one pass and keeps
only the members MANY_STAFF or more staff saw; the day in progress is topped up hour by hour
(and keeps every member, for the staff of later hours to join), so a page reads live only the
entries since the last full hour. An hour is counted once it ended GRACE ago: its last entries
may still be committing, or come from an instance whose clock is a little behind.

`manage.py rollup_audit` counts ahead of the pages (from cron, hourly); a page counts what it
finds missing itself. A day is counted again when what its counts depend on changes (its
`basis`: the time zone, the business hours, MANY_STAFF), and forgotten when prune_audit deletes
entries of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from customers.audit.models import AuditEntry, Outcome
from customers.insights import business_hours
from customers.insights.models import AuditDay, AuditDayCount, AuditDayMember

# An hour is counted for good this long after it ended: entries stamped 10:59:59 may commit a
# moment later, or come from an instance whose clock is a little behind.
GRACE = timedelta(minutes=10)
# Different staff who saw one member on one day, from which the day keeps the member.
MANY_STAFF = 5
# What a day is counted by; `day` can be asked for too.
DIMENSIONS = ("username", "role", "action", "outcome")
COUNTS = ("entries", "without_reason", "after_hours")
# Outcomes of an entry that showed the member's data (refused attempts showed nothing).
SEEN = (Outcome.FOUND, Outcome.OK)
# Rows written or asked for per statement when a day is topped up.
BATCH = 500


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


def settled(now: datetime | None = None) -> datetime:
    """The moment up to which the trail is counted for good: the start of the hour in which
    GRACE ago fell."""
    return ((now or timezone.now()) - GRACE).replace(minute=0, second=0, microsecond=0)


def ensure(window: Window) -> int:
    """Counts what is settled of `window` and not counted yet (or counted on another basis);
    returns how many days it counted."""
    until = settled()
    days = [day for day in window.days if day_start(day) < until]
    if not days:
        return 0
    through = dict(
        AuditDay.objects.filter(day__gte=days[0], day__lte=days[-1], basis=basis()).values_list(
            "day", "through"
        )
    )
    due = [day for day in days if day not in through or through[day] < _until(day, until)]
    for day in due:
        count_day(day, _until(day, until))
    return len(due)


def _until(day: date, settled_until: datetime) -> datetime:
    return min(day_start(day + timedelta(days=1)), settled_until)


def count_day(day: date, until: datetime) -> None:
    """Counts `day` up to `until`: in one pass when none of it is counted yet and it is over,
    else from where its counting stopped. The day's row is locked meanwhile, so two processes
    never add the same hour twice."""
    start, end = day_start(day), day_start(day + timedelta(days=1))
    try:
        with transaction.atomic():
            marker = AuditDay.objects.select_for_update().filter(day=day).first()
            if marker is not None and marker.basis != basis():
                marker.delete()
                marker = None
            if marker is None:
                marker = AuditDay.objects.create(day=day, basis=basis(), through=start)
            if marker.through >= until:
                return
            if marker.through == start and until == end:
                _count_whole_day(marker, start, end)
            else:
                _top_up(marker, marker.through, until)
                if until == end:
                    # The day is over: only the members many staff saw are kept.
                    marker.members.filter(staff__lt=MANY_STAFF).delete()
            marker.through = until
            marker.rolled_up_at = timezone.now()
            marker.save(update_fields=["through", "rolled_up_at"])
    except IntegrityError:
        # Another process began counting the same day at the same moment: its counts stand.
        pass


def _count_whole_day(marker: AuditDay, start: datetime, end: datetime) -> None:
    AuditDayCount.objects.bulk_create(
        _new_count(marker, row) for row in _count(start, end, DIMENSIONS)
    )
    entries = AuditEntry.objects.filter(created_at__gte=start, created_at__lt=end)
    AuditDayMember.objects.bulk_create(
        AuditDayMember(
            day=marker,
            customer_id=customer_id,
            staff_names=AuditDayMember.names_text(names),
            staff=len(names),
        )
        for (_, customer_id), names in _members(entries).items()
    )


def _top_up(marker: AuditDay, since: datetime, until: datetime) -> None:
    """Adds the entries from `since` to `until` to the day's counts and its members' staff."""
    counted = {
        tuple(getattr(row, name) for name in DIMENSIONS): row for row in marker.counts.all()
    }
    added, changed = [], []
    for row in _count(since, until, DIMENSIONS):
        known = counted.get(tuple(row[name] for name in DIMENSIONS))
        if known is None:
            added.append(_new_count(marker, row))
            continue
        for name in COUNTS:
            setattr(known, name, getattr(known, name) + row[name])
        known.user_id = row["user_pk"] or known.user_id
        changed.append(known)
    AuditDayCount.objects.bulk_update(changed, [*COUNTS, "user"], batch_size=BATCH)
    AuditDayCount.objects.bulk_create(added, batch_size=BATCH)

    seen = _seen_by(since, until)
    stored: dict[str, AuditDayMember] = {}
    customers = sorted(seen)
    for start in range(0, len(customers), BATCH):
        chunk = customers[start : start + BATCH]
        stored.update((m.customer_id, m) for m in marker.members.filter(customer_id__in=chunk))
    joined, new = [], []
    for customer_id, names in seen.items():
        member = stored.get(customer_id)
        if member is None:
            new.append(
                AuditDayMember(
                    day=marker,
                    customer_id=customer_id,
                    staff_names=AuditDayMember.names_text(names),
                    staff=len(names),
                )
            )
        elif not names <= set(member.usernames):
            names |= set(member.usernames)
            member.staff_names, member.staff = AuditDayMember.names_text(names), len(names)
            joined.append(member)
    AuditDayMember.objects.bulk_update(joined, ["staff_names", "staff"], batch_size=BATCH)
    AuditDayMember.objects.bulk_create(new, batch_size=BATCH)


def _new_count(marker: AuditDay, row: dict[str, Any]) -> AuditDayCount:
    return AuditDayCount(
        day=marker, user_id=row["user_pk"], **{name: row[name] for name in (*DIMENSIONS, *COUNTS)}
    )


def _seen_by(since: datetime, until: datetime) -> dict[str, set[str]]:
    """{customer id: usernames} of the staff who saw a member between two moments."""
    pairs = (
        AuditEntry.objects.filter(created_at__gte=since, created_at__lt=until, outcome__in=SEEN)
        .exclude(customer_id="")
        .exclude(username="")
        .values_list("customer_id", "username")
        .distinct()
        .order_by()
    )
    seen: dict[str, set[str]] = defaultdict(set)
    for customer_id, username in pairs:
        seen[customer_id].add(username)
    return seen


def forget(last: date, first: date | None = None) -> int:
    """Drops the counts of the days from `first` (or the earliest) to `last`, after entries of
    them were deleted or inserted afterwards; a read counts them again. Returns how many."""
    days = AuditDay.objects.filter(day__lte=last)
    if first is not None:
        days = days.filter(day__gte=first)
    return days.delete()[1].get(AuditDay._meta.label, 0)


class Activity:
    """Entries of a window counted by day, user, role, action and outcome: what is settled from
    the roll-up (counted first where missing), the entries since the last full hour live, once.

    Each `counts` call is one query on the roll-up table; the live part is read on the first
    call and grouped in Python after, so a page asks the entries table once however many
    figures it shows.
    """

    def __init__(self, window: Window) -> None:
        self.window = window
        ensure(window)
        self.until = settled()

    @cached_property
    def _live(self) -> list[dict[str, Any]]:
        live_start = max(self.window.start, self.until)
        if live_start >= self.window.end:
            return []
        return _count(live_start, self.window.end, ("day", *DIMENSIONS))

    def counts(
        self, by: Sequence[str], within: Window | None = None, **where: Collection[str]
    ) -> list[dict[str, Any]]:
        """Counts grouped by `by` (day, username, role, action, outcome) in `within` (default:
        the whole window), narrowed by `where` (a dimension's accepted values, e.g.
        `action=["lookup"]`). Each row has `entries`, `without_reason` and `after_hours` and,
        grouped by username, `user_pk` (the user's id; None once the account is deleted)."""
        within = within or self.window
        first, last = max(within.first, self.window.first), min(within.last, self.window.last)
        rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        rolled = (
            AuditDayCount.objects.filter(
                day__gte=first,
                day__lte=last,
                **{f"{name}__in": list(values) for name, values in where.items()},
            )
            .values(*by)
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


def members(
    window: Window, username: str = "", limit: int = 200
) -> tuple[int, list[tuple[date, str, list[str]]]]:
    """How many members MANY_STAFF or more staff saw on one day of `window` (with `username`:
    those that user was among), and the first `limit` of them as (day, customer id, staff
    usernames), most staff first. Counted and ordered in the database: there may be thousands."""
    ensure(window)
    stored = AuditDayMember.objects.filter(
        day__gte=window.first, day__lte=window.last, staff__gte=MANY_STAFF
    )
    if username:
        stored = stored.filter(staff_names__contains=f"\n{username}\n")
    live: dict[tuple[date, str], list[str]] = {}
    live_start = max(window.start, settled())
    if live_start < window.end:
        live = {
            key: names
            for key, names in _joined_live(live_start, window.end).items()
            if not username or username in names
        }
    # A member the live hour adds staff to may be among the stored ones already.
    already = stored.filter(
        day__in={day for day, _ in live}, customer_id__in={customer for _, customer in live}
    ).values_list("day", "customer_id")
    total = stored.count() + len(live.keys() - set(already))
    first = {
        (day, customer_id): AuditDayMember.names_from(names)
        for day, customer_id, names in stored.order_by("-staff", "day", "customer_id").values_list(
            "day", "customer_id", "staff_names"
        )[:limit]
    }
    first.update(live)
    ordered = sorted(
        ((day, customer_id, names) for (day, customer_id), names in first.items()),
        key=lambda item: (-len(item[2]), item[0], item[1]),
    )
    return total, ordered[:limit]


def _joined_live(since: datetime, until: datetime) -> dict[tuple[date, str], list[str]]:
    """Members whose staff since the last full hour, joined to those counted earlier the same
    day, reach MANY_STAFF."""
    live: dict[tuple[date, str], set[str]] = defaultdict(set)
    pairs = (
        AuditEntry.objects.filter(created_at__gte=since, created_at__lt=until, outcome__in=SEEN)
        .exclude(customer_id="")
        .exclude(username="")
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values_list("day", "customer_id", "username")
        .distinct()
        .order_by()
    )
    for day, customer_id, username in pairs:
        live[day, customer_id].add(username)
    if not live:
        return {}
    earlier = AuditDayMember.objects.filter(
        day__in={day for day, _ in live}, customer_id__in={customer for _, customer in live}
    ).values_list("day", "customer_id", "staff_names")
    for day, customer_id, names in earlier:
        if (day, customer_id) in live:
            live[day, customer_id] |= set(AuditDayMember.names_from(names))
    return {key: sorted(names) for key, names in live.items() if len(names) >= MANY_STAFF}


def _count(since: datetime, until: datetime, by: Sequence[str]) -> list[dict[str, Any]]:
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


def _members(entries: QuerySet[Any], by_day: bool = False) -> dict[tuple[Any, ...], list[str]]:
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
    staff: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for *key, username in seen.values_list(*group, "username").distinct().order_by():
        staff[tuple(key)].add(username)
    return {
        (key[0] if by_day else None, key[-1]): sorted(names)
        for key, names in staff.items()
        if len(names) >= MANY_STAFF
    }


def _merge(
    rows: dict[tuple[Any, ...], dict[str, Any]],
    more: Iterable[dict[str, Any]],
    by: Sequence[str],
) -> None:
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
