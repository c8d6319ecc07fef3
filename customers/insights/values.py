"""What the auditor's pages show, as values: staff, the cells and series of a breakdown, top
users, refusals, findings and signals, and the audit list address each figure links to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from customers.accounts.roles import ROLE_LABELS
from customers.audit.models import NO_USERNAME, Action, Outcome
from customers.insights.rollup import Window

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FINDINGS_SHOWN = 20

LABELS: dict[str, Mapping[str, StrOrPromise]] = {
    "outcome": dict(Outcome.choices),
    "action": dict(Action.choices),
    "role": ROLE_LABELS,
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
        # Entries written before refusals were named NO_USERNAME have an empty name: their
        # page is the placeholder's, which shows both.
        return reverse("admin:customers_auditentry_staff", args=[self.username or NO_USERNAME])

    def __str__(self) -> str:
        return self.username or NO_USERNAME


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
    label: StrOrPromise
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
                label=labels.get(key, key) or gettext_lazy("(none)"),
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
    def outcome_label(self) -> StrOrPromise:
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
    # Several members of one user's finding (members opened without a search).
    customer_ids: tuple[str, ...] = ()
    # The minute a burst of lookups started.
    minute: datetime | None = None

    @property
    def usernames(self) -> set[str]:
        return {member.username for member in self.staff}

    @property
    def who(self) -> str:
        return ", ".join(str(member) for member in self.staff)


@dataclass(frozen=True)
class Signal:
    slug: str
    title: StrOrPromise
    explanation: str
    # The first FINDINGS of them (the many-staff signal may find thousands), and how many.
    findings: tuple[Finding, ...]
    total: int
    url: str
    # That the signal is not looked for, in the auditor's words; empty when it is.
    off: str = ""
    # What an administrator sets to turn it on (shown to administrators only: an auditor
    # cannot change the settings).
    setting: str = ""

    @property
    def shown(self) -> tuple[Finding, ...]:
        """The findings a page lists."""
        return self.findings[:FINDINGS_SHOWN]

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


SIGNAL_TITLES: dict[str, StrOrPromise] = {
    "after_hours": gettext_lazy("Lookups outside business hours"),
    "many_staff": gettext_lazy("A member seen by many staff"),
    "fishing": gettext_lazy("Many not-found lookups"),
    "no_reason": gettext_lazy("Lookups without a reason"),
    "spike": gettext_lazy("A day far above the user's usual"),
    "reveals": gettext_lazy("Reveals per lookup above the team's"),
    "burst": gettext_lazy("A minute far above the user's usual rate"),
    "unsearched": gettext_lazy("Members opened without a search"),
}
