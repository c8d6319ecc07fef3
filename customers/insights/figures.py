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
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.accounts.roles import ROLES
from customers.audit.models import Action, AuditEntry, Outcome
from customers.insights import business_hours, rollup
from customers.insights.rollup import Window
from customers.insights.values import (
    SIGNAL_TITLES,
    Breakdown,
    Finding,
    Refusal,
    Signal,
    Staff,
    TopUser,
    audit_list_url,
)

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
# A minute with this many lookups by one user or more, and BURST_FACTOR times their usual
# lookups per active minute of the period: faster than anyone types (a script, a pasted list).
BURST_MIN = 20
BURST_FACTOR = 3
# A signal keeps at most this many findings (and counts them all), and the audit list's signal
# filter narrows to their entries; a page lists the first FINDINGS_SHOWN.
FINDINGS = 200

REFUSALS = (Outcome.FORBIDDEN, Outcome.RATE_LIMITED)
# Lookups the backend answered (a refused or invalid one never ran).
ANSWERED = (Outcome.FOUND, Outcome.NOT_FOUND)
OTHER_ACTIONS = (Action.REVEAL, Action.RAW_VIEW, Action.EXPORT)
# What the reveals signal counts: a raw view shows what a reveal would (masked unless revealed,
# but the whole document at once).
REVEALING = (Action.REVEAL, Action.RAW_VIEW)
ORDER: dict[str, tuple[str, ...]] = {
    "outcome": tuple(Outcome.values),
    "action": tuple(Action.values),
    "role": ROLES,
}


def _day(day: date) -> str:
    # "Mon 7 Dec 2026", with the day's and month's names in the reader's language.
    return formats.date_format(day, "D j M Y")


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
        charts = [
            self.breakdown(
                "lookups-by-outcome",
                _("Lookups per day, by outcome"),
                _("Every lookup they ran or tried, by what it found.")
                if staff
                else _("Every lookup anyone ran or tried, by what it found."),
                "outcome",
                action=Action.LOOKUP,
                staff=staff,
            ),
        ]
        if staff is None:
            charts.append(
                self.breakdown(
                    "lookups-by-role",
                    _("Lookups per day, by role"),
                    _("The same lookups, by the role of who ran them."),
                    "role",
                    action=Action.LOOKUP,
                )
            )
        charts += [
            self.breakdown(
                "closer-looks",
                _("Reveals, raw views and exports per day"),
                _("Unmasked contact details, raw answers and CSV exports: their closer looks.")
                if staff
                else _("Unmasked contact details, raw answers and CSV exports: all closer looks."),
                "action",
                keys=OTHER_ACTIONS,
                staff=staff,
            ),
            self.breakdown(
                "refusals",
                _("Refusals per day"),
                _("Requests the app refused: a missing permission or source, or the rate limit."),
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
            # The latest day's role; on one day, a role held over "none" (a refused sign-in
            # written before refusals carried the account's role).
            if (
                name not in latest
                or row["day"] > latest[name][0]
                or (row["day"] == latest[name][0] and latest[name][2] == "none")
            ):
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
            self.burst(),
            self.unsearched(),
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
        setting: str = "",
    ) -> Signal:
        return Signal(
            slug=slug,
            title=SIGNAL_TITLES[slug],
            explanation=explanation,
            findings=tuple(findings[:FINDINGS]),
            total=len(findings) if total is None else total,
            url=audit_list_url(signal=slug, window=self.window),
            off=off,
            setting=setting,
        )

    def _per_user(
        self,
        slug: str,
        column: str,
        summary: Callable[[int, int], str],
        **where: tuple[str, ...],
    ) -> list[Finding]:
        """One finding per user with a non-zero `column` among their entries of the period
        (`where` narrows them; `summary` says the count of how many)."""
        rows = self.activity.counts(("username",), within=self.window, **where)
        findings = []
        for row in sorted(rows, key=lambda row: (-row[column], row["username"])):
            if row[column]:
                staff = Staff(row["username"], row["user_pk"])
                findings.append(
                    Finding(
                        staff=(staff,),
                        count=row[column],
                        summary=summary(row[column], row["entries"]),
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
        if hours:
            # Translators: %(hours)s is the org's setting as written, e.g. Mon-Fri 08:00-18:00.
            explanation = _(
                "Lookups outside the organisation's business hours (%(hours)s): "
                "when nobody is calling, a lookup is worth a question."
            ) % {"hours": settings.AUDIT_BUSINESS_HOURS.strip()}
        else:
            explanation = _(
                "Lookups outside the organisation's business hours: "
                "when nobody is calling, a lookup is worth a question."
            )
        if hours is None:
            off = _("Off: the organisation's business hours are not set in the app.")
            setting = _("Set AUDIT_BUSINESS_HOURS (e.g. Mon-Fri 08:00-18:00) to look for these.")
            return self._signal("after_hours", explanation, [], off, setting=setting)

        def summary(count: int, entries: int) -> str:
            return ngettext(
                "%(count)s of their %(entries)s lookup",
                "%(count)s of their %(entries)s lookups",
                entries,
            ) % {"count": count, "entries": entries}

        findings = self._per_user("after_hours", "after_hours", summary, action=(Action.LOOKUP,))
        return self._signal("after_hours", explanation, findings)

    def no_reason(self) -> Signal:
        explanation = _(
            "Lookups that ran without a reason or ticket although the organisation requires one "
            "(before the rule, or around it)."
        )
        if not settings.LOOKUP_REASON_REQUIRED:
            off = _("Off: reasons are optional in this organisation.")
            setting = _("Set LOOKUP_REASON_REQUIRED=true to require a reason for every lookup.")
            return self._signal("no_reason", explanation, [], off, setting=setting)

        def summary(count: int, entries: int) -> str:
            return ngettext(
                "%(count)s of their %(entries)s answered lookup",
                "%(count)s of their %(entries)s answered lookups",
                entries,
            ) % {"count": count, "entries": entries}

        findings = self._per_user(
            "no_reason",
            "without_reason",
            summary,
            action=(Action.LOOKUP,),
            outcome=ANSWERED,
        )
        return self._signal("no_reason", explanation, findings)

    def many_staff(self, username: str = "") -> Signal:
        """With `username`: the members that user was among the staff of."""
        explanation = _(
            "Members whose data %(many)s or more different staff saw on one day: a "
            "famous member, or a name passed around."
        ) % {"many": rollup.MANY_STAFF}
        total, members = rollup.members(self.window, username, limit=FINDINGS)
        findings = [
            Finding(
                staff=tuple(self.staff(name) for name in names),
                count=len(names),
                summary=ngettext(
                    "customer %(id)s: %(count)s staff on %(day)s",
                    "customer %(id)s: %(count)s staff on %(day)s",
                    len(names),
                )
                % {"id": customer_id, "count": len(names), "day": _day(day)},
                url=audit_list_url(customer_id=customer_id, day=day),
                day=day,
                customer_id=customer_id,
            )
            for day, customer_id, names in members
        ]
        return self._signal("many_staff", explanation, findings, total=total)

    def fishing(self) -> Signal:
        # Translators: %(share)s is a percentage with its sign, e.g. 50%.
        explanation = _(
            "Users with %(many)s or more not-found lookups on one day, at least "
            "%(share)s of their lookups that day: trying identifiers until one hits."
        ) % {"many": FISHING_NOT_FOUND, "share": f"{FISHING_SHARE:.0%}"}
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
                summary = ngettext(
                    "%(count)s not-found lookup of %(total)s on %(day)s",
                    "%(count)s not-found lookups of %(total)s on %(day)s",
                    not_found,
                ) % {"count": not_found, "total": total, "day": _day(day)}
                findings.append(
                    self._day_of_lookups(username, day, not_found, summary, Outcome.NOT_FOUND)
                )
        findings.sort(key=lambda found: (-found.count, found.day))
        return self._signal("fishing", explanation, findings)

    def spike(self) -> Signal:
        explanation = _(
            "Days on which a user looked up %(factor)s times their usual day or more (the "
            "median of their days with lookups over %(days)s days), and at least "
            "%(least)s: a sudden interest is worth a look."
        ) % {"factor": SPIKE_FACTOR, "days": BASELINE_DAYS, "least": SPIKE_MIN}
        findings = []
        for username, days in self._lookups_per_user_day.items():
            usual = self.usual_day(username)
            if usual is None:
                continue
            for day, count in days.items():
                if day in self.window and count >= max(SPIKE_FACTOR * usual, SPIKE_MIN):
                    # Translators: %(times)s is a ratio such as 4.5; %(usual)s their usual day.
                    summary = ngettext(
                        "%(count)s lookup on %(day)s, %(times)s times their usual %(usual)s",
                        "%(count)s lookups on %(day)s, %(times)s times their usual %(usual)s",
                        count,
                    ) % {
                        "count": count,
                        "day": _day(day),
                        "times": f"{count / usual:.1f}",
                        "usual": f"{usual:g}",
                    }
                    findings.append(self._day_of_lookups(username, day, count, summary))
        findings.sort(key=lambda found: (-found.count, found.day))
        return self._signal("spike", explanation, findings)

    def reveals(self) -> Signal:
        explanation = _(
            "Users who revealed contact details (or opened the raw answer) %(factor)s "
            "times as often per found lookup as the rest of the team, or more, with at least "
            "%(least)s reveals."
        ) % {"factor": REVEAL_FACTOR, "least": REVEAL_MIN}
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
                        # Translators: %(own)s and %(team)s are reveals per lookup, e.g. 0.45.
                        summary=ngettext(
                            "%(count)s reveal in %(lookups)s found lookups "
                            "(%(own)s per lookup; the rest of the team %(team)s)",
                            "%(count)s reveals in %(lookups)s found lookups "
                            "(%(own)s per lookup; the rest of the team %(team)s)",
                            count,
                        )
                        % {
                            "count": count,
                            "lookups": lookups[username],
                            "own": f"{own:.2f}",
                            "team": f"{team:.2f}",
                        },
                        url=audit_list_url(signal="reveals", staff=staff, window=self.window),
                    )
                )
        findings.sort(key=lambda found: (-found.count, found.staff[0].username))
        return self._signal("reveals", explanation, findings)

    def burst(self) -> Signal:
        explanation = _(
            "Minutes in which a user ran %(least)s lookups or more, %(factor)s times "
            "their usual lookups per active minute or more: faster than anyone types (a script, "
            "a pasted list), refused by the rate limit or not."
        ) % {"least": BURST_MIN, "factor": BURST_FACTOR}
        lookups = AuditEntry.objects.filter(
            action=Action.LOOKUP, created_at__gte=self.window.start, created_at__lt=self.window.end
        ).exclude(username="")
        minute = TruncMinute("created_at", tzinfo=timezone.get_default_timezone())
        usual = {
            row["username"]: row["entries"] / max(row["minutes"], 1)
            for row in lookups.values("username")
            .annotate(entries=Count("pk"), minutes=Count(minute, distinct=True))
            .order_by()
        }
        busy = (
            lookups.annotate(minute=minute)
            .values("username", "minute")
            .annotate(entries=Count("pk"), user_pk=Max("user"))
            .filter(entries__gte=BURST_MIN)
            .order_by()
        )
        findings = []
        for row in busy:
            rate = usual.get(row["username"], 0.0)
            if row["entries"] < BURST_FACTOR * rate:
                continue
            staff = Staff(row["username"], row["user_pk"])
            at = timezone.localtime(row["minute"], timezone.get_default_timezone())
            findings.append(
                Finding(
                    staff=(staff,),
                    count=row["entries"],
                    # Translators: %(time)s is a minute (14:05); %(rate)s lookups a minute (1.5).
                    summary=ngettext(
                        "%(count)s lookup in the minute from %(time)s on %(day)s "
                        "(usually %(rate)s a minute)",
                        "%(count)s lookups in the minute from %(time)s on %(day)s "
                        "(usually %(rate)s a minute)",
                        row["entries"],
                    )
                    % {
                        "count": row["entries"],
                        "time": f"{at:%H:%M}",
                        "day": _day(at.date()),
                        "rate": f"{rate:.1f}",
                    },
                    url=audit_list_url(signal="burst", staff=staff, window=self.window),
                    day=at.date(),
                    minute=row["minute"],
                )
            )
        findings.sort(key=lambda found: (-found.count, found.day))
        return self._signal("burst", explanation, findings)

    def unsearched(self) -> Signal:
        explanation = _(
            "Members whose pages a user opened without a lookup of theirs finding that member "
            "the same day or the day before: a customer id typed or pasted into the address "
            "bar, not a search."
        )
        since = rollup.day_start(self.window.first - timedelta(days=1))
        opened = (
            AuditEntry.objects.filter(
                action__in=(Action.VIEW_SECTION, Action.RAW_VIEW),
                outcome__in=rollup.SEEN,
                created_at__gte=self.window.start,
                created_at__lt=self.window.end,
            )
            .exclude(customer_id="")
            .exclude(username="")
            .values_list("username", "customer_id")
            .annotate(user_pk=Max("user"))
            .order_by()
        )
        found = set(
            AuditEntry.objects.filter(
                action=Action.LOOKUP,
                outcome=Outcome.FOUND,
                created_at__gte=since,
                created_at__lt=self.window.end,
            )
            .exclude(customer_id="")
            .values_list("username", "customer_id")
            .distinct()
            .order_by()
        )
        per_user: dict[str, list[str]] = defaultdict(list)
        user_pks: dict[str, int | None] = {}
        for username, customer_id, user_pk in opened:
            if (username, customer_id) not in found:
                per_user[username].append(customer_id)
                user_pks[username] = user_pk
        findings = []
        for username, customers in per_user.items():
            staff = Staff(username, user_pks[username])
            shown = ", ".join(sorted(customers)[:5]) + (", …" if len(customers) > 5 else "")
            findings.append(
                Finding(
                    staff=(staff,),
                    count=len(customers),
                    # Translators: %(ids)s lists customer ids.
                    summary=ngettext(
                        "%(count)s member opened without a search (%(ids)s)",
                        "%(count)s members opened without a search (%(ids)s)",
                        len(customers),
                    )
                    % {"count": len(customers), "ids": shown},
                    url=audit_list_url(signal="unsearched", staff=staff, window=self.window),
                    customer_ids=tuple(sorted(customers)),
                )
            )
        findings.sort(key=lambda found: (-found.count, found.who))
        return self._signal("unsearched", explanation, findings)


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
        if found.minute is not None:
            which = Q(
                username__in=sorted(found.usernames),
                created_at__gte=found.minute,
                created_at__lt=found.minute + timedelta(minutes=1),
            )
            matches |= which
            continue
        if found.customer_ids:
            which = Q(username__in=sorted(found.usernames), customer_id__in=found.customer_ids)
        elif found.customer_id:
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
    if slug == "burst":
        return narrowed.filter(action=Action.LOOKUP)
    if slug == "unsearched":
        return narrowed.filter(
            action__in=(Action.VIEW_SECTION, Action.RAW_VIEW), outcome__in=rollup.SEEN
        ).exclude(customer_id="")
    return entries.none()
