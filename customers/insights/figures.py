"""What the auditor's pages show: activity per day, the top users, refusals and the signals
worth a look, each figure with the address of the audit list filtered to its entries.

Everything is counted through the roll-ups (insights/rollup.py), so a page costs about the same
at ten thousand entries as at ten million. Links use only the filters the audit list offers
(action, outcome, user, role, customer id, the date drill-down and range, the signal filter, and
the search box for a deleted account's username), so following one lists the entries that make
the figure.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from customers.accounts.roles import ROLES
from customers.audit.models import Action, Outcome
from customers.insights import business_hours, rollup
from customers.insights.rollup import Window

# Periods a page offers, in days back from today; the overview's default is the longest.
PERIODS = (7, 30, 90)
OVERVIEW_DAYS = 90
SIGNAL_DAYS = 7
# A user's usual day is the median of their days with lookups in the 90 days up to the period's
# end, once they have this many such days.
BASELINE_DAYS = 90
BASELINE_MIN_DAYS = 5
TOP_USERS = 10
# Signals' thresholds: see each signal's explanation.
FISHING_NOT_FOUND = 10
FISHING_SHARE = 0.5
SPIKE_FACTOR = 3
SPIKE_MIN = 30
REVEAL_FACTOR = 2
REVEAL_MIN = 5
# A signal keeps at most this many findings (and counts them all), and the audit list's signal
# filter narrows to their entries; a page lists the first FINDINGS_SHOWN.
FINDINGS = 200
FINDINGS_SHOWN = 20

REFUSALS = (Outcome.FORBIDDEN, Outcome.RATE_LIMITED)
# Lookups the backend answered (a refused or invalid one never ran).
ANSWERED = (Outcome.FOUND, Outcome.NOT_FOUND)
OTHER_ACTIONS = (Action.REVEAL, Action.RAW_VIEW, Action.EXPORT)
# What the reveals signal counts: a raw view shows what a reveal would (masked unless revealed,
# but the whole document at once).
REVEALING = (Action.REVEAL, Action.RAW_VIEW)
LABELS: dict[str, Mapping[str, str]] = {
    "outcome": dict(Outcome.choices),
    "action": dict(Action.choices),
    "role": {role: role for role in ROLES},
}
ORDER: dict[str, tuple[str, ...]] = {
    "outcome": tuple(Outcome.values),
    "action": tuple(Action.values),
    "role": ROLES,
}


@dataclass(frozen=True)
class Staff:
    """A member of staff as the trail knows them: the username, and the account's id while it
    exists."""

    username: str
    user_pk: int | None = None

    @property
    def list_filters(self) -> dict[str, str]:
        # The list's user filter while the account exists; the search box, which matches the
        # exact username, once it was deleted.
        if self.user_pk is not None:
            return {"user__id__exact": str(self.user_pk)}
        return {"q": self.username}

    @property
    def url(self) -> str:
        return reverse("admin:customers_auditentry_staff", args=[self.username])

    def __str__(self) -> str:
        return self.username or "(anonymous)"


def audit_list_url(
    *,
    staff: Staff | None = None,
    day: date | None = None,
    window: Window | None = None,
    action: str = "",
    outcome: str = "",
    role: str = "",
    signal: str = "",
    customer_id: str = "",
) -> str:
    """The audit list filtered to these, through the list's own filters."""
    params: dict[str, str] = {}
    if action:
        params["action__exact"] = action
    if outcome:
        params["outcome__exact"] = outcome
    if role:
        params["role"] = role
    if signal:
        params["signal"] = signal
    if staff is not None:
        params.update(staff.list_filters)
    if customer_id:
        params["customer_id"] = customer_id
    if window is not None:
        params.update(created_at__gte=str(window.start), created_at__lt=str(window.end))
    query = "&".join(part for part in (urlencode(params), _day_query(day)) if part)
    changelist = reverse("admin:customers_auditentry_changelist")
    return f"{changelist}?{query}" if query else changelist


def _day_query(day: date | None) -> str:
    """The date drill-down's parameters for one day."""
    if day is None:
        return ""
    return f"created_at__year={day.year}&created_at__month={day.month}&created_at__day={day.day}"


@dataclass(frozen=True)
class Cell:
    value: int
    url: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str
    total: int
    url: str


@dataclass(frozen=True)
class Breakdown:
    """Entries per day of a window, split by the values of one dimension (the outcomes of
    lookups, the roles that looked up, ...). Every count links to its entries."""

    slug: str
    title: str
    description: str
    window: Window
    dimension: str
    keys: tuple[str, ...]
    counts: Mapping[tuple[date, str], int]
    staff: Staff | None = None
    action: str = ""

    def value(self, day: date, key: str) -> int:
        return self.counts.get((day, key), 0)

    def url(self, key: str, day: date | None = None) -> str:
        """The list of the entries of `key` on `day`, or over the window."""
        if day is not None:
            # Some two thousand of these on a page: the key's part is encoded once.
            return f"{self.url_without_dates(key)}&{_day_query(day)}"
        return self._list_url(key, window=self.window)

    def url_without_dates(self, key: str) -> str:
        if key not in self._prefixes:
            self._prefixes[key] = self._list_url(key)
        return self._prefixes[key]

    def _list_url(self, key: str, window: Window | None = None) -> str:
        """The list of the breakdown's action (if any) and `key` of its dimension."""
        by = {"action": self.action, "outcome": "", "role": ""} | {self.dimension: key}
        return audit_list_url(
            staff=self.staff,
            window=window,
            action=by["action"],
            outcome=by["outcome"],
            role=by["role"],
        )

    @cached_property
    def _prefixes(self) -> dict[str, str]:
        return {}

    def css(self, key: str) -> str:
        return f"series-{self.dimension}-{key.replace(' ', '-').replace('_', '-')}"

    @cached_property
    def series(self) -> list[Series]:
        labels = LABELS[self.dimension]
        return [
            Series(
                key=key,
                label=labels.get(key, key) or "(none)",
                css=self.css(key),
                total=sum(self.value(day, key) for day in self.window.days),
                url=self.url(key),
            )
            for key in self.keys
        ]

    @cached_property
    def rows(self) -> list[tuple[date, list[Cell], int]]:
        """The table fallback: one row per day, newest first, a linked cell per key."""
        return [
            (
                day,
                [Cell(self.value(day, key), self.url(key, day)) for key in self.keys],
                sum(self.value(day, key) for key in self.keys),
            )
            for day in reversed(self.window.days)
        ]

    @property
    def total(self) -> int:
        return sum(series.total for series in self.series)


@dataclass(frozen=True)
class TopUser:
    """A user's lookups in the period against their own usual day."""

    staff: Staff
    role: str
    lookups: int
    active_days: int
    usual_day: float | None
    busiest_day: date
    busiest: int
    window: Window

    @property
    def lookups_url(self) -> str:
        return audit_list_url(staff=self.staff, window=self.window, action=Action.LOOKUP)

    @property
    def busiest_url(self) -> str:
        return audit_list_url(staff=self.staff, day=self.busiest_day, action=Action.LOOKUP)

    @property
    def busiest_ratio(self) -> float | None:
        return self.busiest / self.usual_day if self.usual_day else None


@dataclass(frozen=True)
class Refusal:
    staff: Staff
    outcome: str
    count: int
    url: str

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label


@dataclass(frozen=True)
class Finding:
    """One case a signal found: who, when, how many, said in a line, linked to its entries."""

    staff: tuple[Staff, ...]
    count: int
    summary: str
    url: str
    day: date | None = None
    customer_id: str = ""

    @property
    def usernames(self) -> set[str]:
        return {member.username for member in self.staff}

    @property
    def who(self) -> str:
        return ", ".join(str(member) for member in self.staff)


@dataclass(frozen=True)
class Signal:
    slug: str
    title: str
    explanation: str
    # The first FINDINGS of them (the many-staff signal may find thousands), and how many.
    findings: tuple[Finding, ...]
    total: int
    url: str
    # Why the signal is not looked for (a setting is off); empty when it is.
    off: str = ""

    @property
    def shown(self) -> tuple[Finding, ...]:
        """The findings a page lists."""
        return self.findings[:FINDINGS_SHOWN]

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


SIGNAL_TITLES: dict[str, str] = {
    "after_hours": "Lookups outside business hours",
    "many_staff": "A member seen by many staff",
    "fishing": "Many not-found lookups",
    "no_reason": "Lookups without a reason",
    "spike": "A day far above the user's usual",
    "reveals": "Reveals per lookup above the team's",
}


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


class Insights:
    """The figures of one period (`window`), counted once per page."""

    def __init__(self, window: Window) -> None:
        self.window = window
        baseline_first = window.last - timedelta(days=BASELINE_DAYS - 1)
        self.baseline = Window(min(window.first, baseline_first), window.last)
        self.activity = rollup.Activity(self.baseline)

    # --- The overview's charts and tables ---------------------------------------------------

    def breakdown(
        self,
        slug: str,
        title: str,
        description: str,
        dimension: str,
        *,
        action: str = "",
        keys: tuple[str, ...] = (),
        staff: Staff | None = None,
    ) -> Breakdown:
        """Entries per day split by `dimension`, of one action (or all) and one user (or all);
        `keys` fixes the values shown (default: those present, in their usual order)."""
        where: dict[str, list[str]] = {}
        if action:
            where["action"] = [action]
        if keys:
            where[dimension] = list(keys)
        if staff is not None:
            where["username"] = [staff.username]
        rows = self.activity.counts(("day", dimension), within=self.window, **where)
        counts = {(row["day"], row[dimension]): row["entries"] for row in rows}
        present = {key for _, key in counts}
        order = ORDER[dimension]
        shown = keys or tuple(
            [key for key in order if key in present]
            + sorted(key for key in present if key not in order)
        )
        return Breakdown(
            slug, title, description, self.window, dimension, shown, counts, staff, action
        )

    def charts(self, staff: Staff | None = None) -> list[Breakdown]:
        """The overview's charts, or one user's."""
        whose = "their" if staff else "all"
        charts = [
            self.breakdown(
                "lookups-by-outcome",
                "Lookups per day, by outcome",
                f"Every lookup {'they' if staff else 'anyone'} ran or tried, by what it found.",
                "outcome",
                action=Action.LOOKUP,
                staff=staff,
            ),
        ]
        if staff is None:
            charts.append(
                self.breakdown(
                    "lookups-by-role",
                    "Lookups per day, by role",
                    "The same lookups, by the role of who ran them.",
                    "role",
                    action=Action.LOOKUP,
                )
            )
        charts += [
            self.breakdown(
                "closer-looks",
                "Reveals, raw views and exports per day",
                f"Unmasked contact details, raw answers and CSV exports: {whose} closer looks.",
                "action",
                keys=OTHER_ACTIONS,
                staff=staff,
            ),
            self.breakdown(
                "refusals",
                "Refusals per day",
                "Requests the app refused: a missing permission or source, or the rate limit.",
                "outcome",
                keys=REFUSALS,
                staff=staff,
            ),
        ]
        return charts

    @cached_property
    def _lookups_per_user_day(self) -> dict[str, dict[date, int]]:
        days: dict[str, dict[date, int]] = defaultdict(dict)
        for row in self.activity.counts(("day", "username"), action=[Action.LOOKUP]):
            days[row["username"]][row["day"]] = row["entries"]
        return days

    @cached_property
    def _people(self) -> dict[str, tuple[Staff, str]]:
        """Each username of the baseline with their account's id and their latest role."""
        latest: dict[str, tuple[date, Staff, str]] = {}
        for row in self.activity.counts(("day", "username", "role")):
            name = row["username"]
            staff = Staff(name, row["user_pk"])
            if name not in latest or row["day"] >= latest[name][0]:
                latest[name] = (row["day"], staff, row["role"])
        return {name: (staff, role) for name, (_, staff, role) in latest.items()}

    def staff(self, username: str) -> Staff:
        return self._people.get(username, (Staff(username), ""))[0]

    def role(self, username: str) -> str:
        return self._people.get(username, (Staff(username), ""))[1]

    def usual_day(self, username: str) -> float | None:
        """The median of the user's days with lookups in the baseline; None with too few."""
        days = [count for count in self._lookups_per_user_day.get(username, {}).values() if count]
        return statistics.median(days) if len(days) >= BASELINE_MIN_DAYS else None

    def top_users(self, limit: int = TOP_USERS) -> list[TopUser]:
        """The users with the most lookups in the period, against their usual day."""
        users = []
        for username, days in self._lookups_per_user_day.items():
            in_period = {day: count for day, count in days.items() if day in self.window}
            if not username or not any(in_period.values()):
                continue
            busiest_day = max(in_period, key=lambda day: (in_period[day], day))
            users.append(
                TopUser(
                    staff=self.staff(username),
                    role=self.role(username),
                    lookups=sum(in_period.values()),
                    active_days=sum(1 for count in in_period.values() if count),
                    usual_day=self.usual_day(username),
                    busiest_day=busiest_day,
                    busiest=in_period[busiest_day],
                    window=self.window,
                )
            )
        users.sort(key=lambda user: (-user.lookups, user.staff.username))
        return users[:limit]

    def refusals(self, limit: int = TOP_USERS) -> list[Refusal]:
        """Who was refused most in the period, by kind of refusal."""
        rows = self.activity.counts(("username", "outcome"), within=self.window, outcome=REFUSALS)
        refusals = [
            Refusal(
                staff=Staff(row["username"], row["user_pk"]),
                outcome=row["outcome"],
                count=row["entries"],
                url=audit_list_url(
                    staff=Staff(row["username"], row["user_pk"]),
                    window=self.window,
                    outcome=row["outcome"],
                ),
            )
            for row in rows
        ]
        refusals.sort(key=lambda refusal: (-refusal.count, refusal.staff.username))
        return refusals[:limit]

    def overview(self) -> dict[str, object]:
        """What the overview page and the mailed report show."""
        return {
            "charts": self.charts(),
            "top_users": self.top_users(),
            "refusals": self.refusals(),
            "signals": self.signals(),
        }

    # --- Signals ----------------------------------------------------------------------------

    def signals(self, username: str = "") -> list[Signal]:
        """Every signal over the period; with `username`, only the findings about that user."""
        signals = [
            self.after_hours(),
            self.many_staff(),
            self.fishing(),
            self.no_reason(),
            self.spike(),
            self.reveals(),
        ]
        if not username:
            return signals
        theirs = []
        for signal in signals:
            if signal.slug == "many_staff":
                theirs.append(self.many_staff(username))
                continue
            findings = tuple(found for found in signal.findings if username in found.usernames)
            theirs.append(replace(signal, findings=findings, total=len(findings)))
        return theirs

    def signal(self, slug: str) -> Signal:
        """One signal by its slug (one of SIGNAL_TITLES)."""
        if slug not in SIGNAL_TITLES:
            raise KeyError(slug)
        signal: Signal = getattr(self, slug)()
        return signal

    def _signal(
        self,
        slug: str,
        explanation: str,
        findings: list[Finding],
        off: str = "",
        total: int | None = None,
    ) -> Signal:
        return Signal(
            slug=slug,
            title=SIGNAL_TITLES[slug],
            explanation=explanation,
            findings=tuple(findings[:FINDINGS]),
            total=len(findings) if total is None else total,
            url=audit_list_url(signal=slug, window=self.window),
            off=off,
        )

    def _per_user(
        self, slug: str, column: str, noun: str, **where: tuple[str, ...]
    ) -> list[Finding]:
        """One finding per user with a non-zero `column` among their entries of the period
        (`where` narrows them; `noun` names them)."""
        rows = self.activity.counts(("username",), within=self.window, **where)
        findings = []
        for row in sorted(rows, key=lambda row: (-row[column], row["username"])):
            if row[column]:
                staff = Staff(row["username"], row["user_pk"])
                findings.append(
                    Finding(
                        staff=(staff,),
                        count=row[column],
                        summary=f"{row[column]} of their {row['entries']} {noun}",
                        url=audit_list_url(signal=slug, staff=staff, window=self.window),
                    )
                )
        return findings

    def _day_of_lookups(
        self, username: str, day: date, count: int, summary: str, outcome: str = ""
    ) -> Finding:
        """A finding about one user's lookups (of one outcome) on one day."""
        staff = self.staff(username)
        url = audit_list_url(staff=staff, day=day, action=Action.LOOKUP, outcome=outcome)
        return Finding(staff=(staff,), count=count, summary=summary, url=url, day=day)

    def after_hours(self) -> Signal:
        hours = business_hours.configured()
        explanation = (
            "Lookups outside the organisation's business hours"
            f"{f' ({settings.AUDIT_BUSINESS_HOURS.strip()})' if hours else ''}: "
            "when nobody is calling, a lookup is worth a question."
        )
        if hours is None:
            off = "Set AUDIT_BUSINESS_HOURS (e.g. Mon-Fri 08:00-18:00) to look for these."
            return self._signal("after_hours", explanation, [], off)
        findings = self._per_user("after_hours", "after_hours", "lookups", action=(Action.LOOKUP,))
        return self._signal("after_hours", explanation, findings)

    def no_reason(self) -> Signal:
        explanation = (
            "Lookups that ran without a reason or ticket although the organisation requires one "
            "(before the rule, or around it)."
        )
        if not settings.LOOKUP_REASON_REQUIRED:
            off = "Reasons are optional (LOOKUP_REASON_REQUIRED is off)."
            return self._signal("no_reason", explanation, [], off)
        findings = self._per_user(
            "no_reason",
            "without_reason",
            "answered lookups",
            action=(Action.LOOKUP,),
            outcome=ANSWERED,
        )
        return self._signal("no_reason", explanation, findings)

    def many_staff(self, username: str = "") -> Signal:
        """With `username`: the members that user was among the staff of."""
        explanation = (
            f"Members whose data {rollup.MANY_STAFF} or more different staff saw on one day: a "
            "famous member, or a name passed around."
        )
        total, members = rollup.members(self.window, username, limit=FINDINGS)
        findings = [
            Finding(
                staff=tuple(self.staff(name) for name in names),
                count=len(names),
                summary=f"customer {customer_id}: {len(names)} staff on {_day(day)}",
                url=audit_list_url(customer_id=customer_id, day=day),
                day=day,
                customer_id=customer_id,
            )
            for day, customer_id, names in members
        ]
        return self._signal("many_staff", explanation, findings, total=total)

    def fishing(self) -> Signal:
        explanation = (
            f"Users with {FISHING_NOT_FOUND} or more not-found lookups on one day, at least "
            f"{FISHING_SHARE:.0%} of their lookups that day: trying identifiers until one hits."
        )
        per_day: dict[tuple[str, date], dict[str, int]] = defaultdict(dict)
        rows = self.activity.counts(
            ("day", "username", "outcome"), within=self.window, action=[Action.LOOKUP]
        )
        for row in rows:
            per_day[row["username"], row["day"]][row["outcome"]] = row["entries"]
        findings = []
        for (username, day), outcomes in per_day.items():
            not_found, total = outcomes.get(Outcome.NOT_FOUND, 0), sum(outcomes.values())
            if not_found >= FISHING_NOT_FOUND and not_found >= FISHING_SHARE * total:
                summary = f"{not_found} not-found lookups of {total} on {_day(day)}"
                findings.append(
                    self._day_of_lookups(username, day, not_found, summary, Outcome.NOT_FOUND)
                )
        findings.sort(key=lambda found: (-found.count, found.day))
        return self._signal("fishing", explanation, findings)

    def spike(self) -> Signal:
        explanation = (
            f"Days on which a user looked up {SPIKE_FACTOR} times their usual day or more (the "
            f"median of their days with lookups over {BASELINE_DAYS} days), and at least "
            f"{SPIKE_MIN}: a sudden interest is worth a look."
        )
        findings = []
        for username, days in self._lookups_per_user_day.items():
            usual = self.usual_day(username)
            if usual is None:
                continue
            for day, count in days.items():
                if day in self.window and count >= max(SPIKE_FACTOR * usual, SPIKE_MIN):
                    summary = (
                        f"{count} lookups on {_day(day)}, "
                        f"{count / usual:.1f} times their usual {usual:g}"
                    )
                    findings.append(self._day_of_lookups(username, day, count, summary))
        findings.sort(key=lambda found: (-found.count, found.day))
        return self._signal("spike", explanation, findings)

    def reveals(self) -> Signal:
        explanation = (
            f"Users who revealed contact details (or opened the raw answer) {REVEAL_FACTOR} "
            f"times as often per found lookup as the rest of the team, or more, with at least "
            f"{REVEAL_MIN} reveals."
        )
        lookups: dict[str, int] = defaultdict(int)
        reveals: dict[str, int] = defaultdict(int)
        rows = self.activity.counts(
            ("username", "action"),
            within=self.window,
            action=(Action.LOOKUP, *REVEALING),
            outcome=(Outcome.FOUND, Outcome.OK),
        )
        for row in rows:
            (lookups if row["action"] == Action.LOOKUP else reveals)[row["username"]] += row[
                "entries"
            ]
        all_lookups, all_reveals = sum(lookups.values()), sum(reveals.values())
        findings = []
        for username, count in reveals.items():
            others_lookups = all_lookups - lookups[username]
            if count < REVEAL_MIN or not others_lookups:
                continue
            team = (all_reveals - count) / others_lookups
            own = count / max(lookups[username], 1)
            if own >= REVEAL_FACTOR * team:
                staff = self.staff(username)
                findings.append(
                    Finding(
                        staff=(staff,),
                        count=count,
                        summary=(
                            f"{count} reveals in {lookups[username]} found lookups "
                            f"({own:.2f} per lookup; the rest of the team {team:.2f})"
                        ),
                        url=audit_list_url(signal="reveals", staff=staff, window=self.window),
                    )
                )
        findings.sort(key=lambda found: (-found.count, found.staff[0].username))
        return self._signal("reveals", explanation, findings)


def signal_entries(slug: str, window: Window, entries: QuerySet[Any]) -> QuerySet[Any]:
    """`entries` narrowed to those the signal `slug` found in `window` (the audit list's signal
    filter): the entries behind its first FINDINGS findings."""
    entries = entries.filter(created_at__gte=window.start, created_at__lt=window.end)
    if slug == "after_hours":
        hours = business_hours.configured()
        lookups = entries.filter(action=Action.LOOKUP)
        return hours.outside(lookups, window.start, window.end) if hours else entries.none()
    if slug == "no_reason":
        if not settings.LOOKUP_REASON_REQUIRED:
            return entries.none()
        return entries.filter(action=Action.LOOKUP, outcome__in=ANSWERED, reason="")
    findings = Insights(window).signal(slug).findings
    matches = Q(pk__in=[])
    for found in findings:
        if found.customer_id:
            which = Q(customer_id=found.customer_id)
        else:
            which = Q(username__in=sorted(found.usernames))
        if found.day is not None:
            which &= Q(
                created_at__gte=rollup.day_start(found.day),
                created_at__lt=rollup.day_start(found.day + timedelta(days=1)),
            )
        matches |= which
    narrowed = entries.filter(matches)
    if slug == "many_staff":
        return narrowed.filter(outcome__in=rollup.SEEN)
    if slug == "fishing":
        return narrowed.filter(action=Action.LOOKUP, outcome=Outcome.NOT_FOUND)
    if slug == "spike":
        return narrowed.filter(action=Action.LOOKUP)
    if slug == "reveals":
        return narrowed.filter(action__in=REVEALING, outcome__in=(Outcome.OK, Outcome.FOUND))
    return entries.none()
