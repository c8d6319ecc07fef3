"""The auditor's figures and signals: a team with steady habits and one planted pattern per
signal; each signal finds exactly its pattern, and the audit list's signal filter exactly its
entries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from customers.audit.models import AuditEntry
from customers.insights import figures as insights
from customers.insights import values
from customers.insights.figures import Insights
from customers.insights.models import AuditDayCount
from customers.insights.rollup import Window
from tests.trail import days_ago, entry, local, person, write

pytestmark = pytest.mark.django_db

PERIOD = Window.last_days(30)
NORMAL = ("alice", "bob", "carol", "dan")


@dataclass
class Team:
    users: dict[str, User]
    workdays: list[date]
    saturday: date
    planted: dict[str, list[AuditEntry]] = field(default_factory=dict)


def usual_day(user: User, day: date) -> list[AuditEntry]:
    """Ten found lookups and one not found in office hours, each with a ticket and a member of
    their own, and one reveal."""
    own = [f"{user.username}-{day:%m%d}-{n}" for n in range(11)]
    return (
        [
            entry(user, local(day, 10, 5 * n), reason="ticket", customer_id=own[n])
            for n in range(10)
        ]
        + [entry(user, local(day, 15), outcome="not_found", reason="ticket")]
        + [entry(user, local(day, 11, 1), action="reveal", outcome="ok", customer_id=own[0])]
    )


def habits(users: dict[str, User], workdays: list[date]) -> list[AuditEntry]:
    """Everyone's usual days, except the day Fred fishes and Ivy spikes, and Jack's reveals,
    which the patterns planted below replace."""
    fishing, spike = workdays[3], workdays[5]
    return [
        item
        for name, user in users.items()
        for day in workdays
        if (name, day) not in {("fred", fishing), ("ivy", spike)}
        for item in usual_day(user, day)
        if not (name == "jack" and item.action == "reveal")
    ]


@pytest.fixture
def team(settings) -> Team:
    settings.TIME_ZONE = "Asia/Kolkata"
    settings.AUDIT_BUSINESS_HOURS = "Mon-Fri 08:00-18:00"
    settings.LOOKUP_REASON_REQUIRED = True
    names = (*NORMAL, "eve", "fred", "gina", "hank", "ivy", "jack", "kim", "lee")
    users = {name: person(name) for name in names}
    past = [days_ago(n) for n in range(1, 15)]
    workdays = [day for day in past if day.weekday() < 5]
    saturday = next(day for day in past if day.weekday() == 5)
    team = Team(users, workdays, saturday)
    write(habits(users, workdays))
    u = users

    def plant(signal: str, entries: list[AuditEntry]) -> None:
        team.planted[signal] = write(entries)

    # Eve looks members up at nine in the evening and on a Saturday morning.
    plant(
        "after_hours",
        [
            entry(u["eve"], local(day, 21), reason="ticket", customer_id="e1")
            for day in workdays[:2]
        ]
        + [entry(u["eve"], local(saturday, 11), reason="ticket", customer_id="e2")],
    )
    # Five staff open member 777 on one day; 778 gets four, 779 five over two days.
    busy = workdays[2]
    plant(
        "many_staff",
        [
            entry(u[name], local(busy, 12), reason="t", customer_id="777")
            for name in (*NORMAL, "eve")
        ],
    )
    write(
        [entry(u[name], local(busy, 13), reason="t", customer_id="778") for name in NORMAL]
        + [entry(u[name], local(busy, 14), reason="t", customer_id="779") for name in NORMAL[:3]]
        + [
            entry(u[name], local(workdays[4], 14), reason="t", customer_id="779")
            for name in ("dan", "eve")
        ]
    )
    # Fred tries twelve identifiers that find nobody on one day; Gina misses ten of 23.
    fishing = workdays[3]
    fred = u["fred"]
    write([entry(fred, local(fishing, 10), reason="t", customer_id="f1")] * 2)
    plant(
        "fishing",
        [entry(fred, local(fishing, 9, n), outcome="not_found", reason="t") for n in range(12)],
    )
    write(
        [entry(u["gina"], local(fishing, 9, n), outcome="not_found", reason="t") for n in range(9)]
        + [
            entry(u["gina"], local(fishing, 16, n), reason="t", customer_id=f"g{n}")
            for n in range(3)
        ]
    )
    # Hank's lookups on one day carry no reason; his refused and invalid tries do not count.
    plant(
        "no_reason",
        [entry(u["hank"], local(workdays[4], 9, n), customer_id=f"h{n}") for n in range(3)]
        + [entry(u["hank"], local(workdays[4], 9, 30), outcome="not_found")],
    )
    write(
        [
            entry(u["hank"], local(workdays[4], 9, 40), outcome="invalid"),
            entry(u["hank"], local(workdays[4], 9, 50), outcome="forbidden"),
        ]
    )
    # Ivy looks up 41 members on one day, against her usual 11.
    plant(
        "spike",
        [
            entry(u["ivy"], local(workdays[5], 9, n), reason="t", customer_id=f"i{n}")
            for n in range(41)
        ],
    )
    # Jack reveals contact details three times a day, three times as often as the team.
    plant(
        "reveals",
        [
            entry(u["jack"], local(day, 11, 2 + n), action="reveal", outcome="ok", customer_id="j")
            for day in workdays
            for n in range(3)
        ],
    )
    # Kim runs 21 lookups within one minute (against about one a minute); Lee opens two
    # members by their customer ids, without a search.
    plant(
        "burst",
        [
            entry(u["kim"], local(workdays[6], 9) + timedelta(seconds=2 * n), reason="t")
            for n in range(21)
        ],
    )
    plant(
        "unsearched",
        [
            entry(
                u["lee"],
                local(workdays[6], 9, n),
                action="view_section",
                outcome="ok",
                customer_id=f"l{n}",
            )
            for n in range(2)
        ],
    )
    return team


def findings(signal: values.Signal) -> set[tuple]:
    return {
        (tuple(sorted(found.usernames)), found.day, found.customer_id, found.count)
        for found in signal.findings
    }


def test_each_signal_finds_exactly_its_planted_pattern(team):
    """After-hours lookups, a member seen by many, a fishing user, missing reasons, a spike
    and a heavy revealer: each signal finds its case and nobody else."""
    signals = {signal.slug: signal for signal in Insights(PERIOD).signals()}
    staff = tuple(sorted((*NORMAL, "eve")))
    assert findings(signals["after_hours"]) == {(("eve",), None, "", 3)}
    assert findings(signals["many_staff"]) == {(staff, team.workdays[2], "777", 5)}
    assert findings(signals["fishing"]) == {(("fred",), team.workdays[3], "", 12)}
    assert findings(signals["no_reason"]) == {(("hank",), None, "", 4)}
    assert findings(signals["spike"]) == {(("ivy",), team.workdays[5], "", 41)}
    assert findings(signals["reveals"]) == {(("jack",), None, "", 30)}
    assert findings(signals["burst"]) == {(("kim",), team.workdays[6], "", 21)}
    assert findings(signals["unsearched"]) == {(("lee",), None, "", 2)}
    assert all(not signal.off for signal in signals.values())


def test_signals_are_the_same_read_live(team, monkeypatch):
    """Counted live (as the last hour is) or from the roll-up, the signals agree."""
    with monkeypatch.context() as clock:
        clock.setattr("customers.insights.rollup.settled", lambda now=None: PERIOD.start)
        live = {s.slug: findings(s) for s in Insights(PERIOD).signals()}
    assert not AuditDayCount.objects.exists()
    assert {s.slug: findings(s) for s in Insights(PERIOD).signals()} == live


@pytest.mark.parametrize("slug", list(values.SIGNAL_TITLES))
def test_the_audit_lists_signal_filter_lists_exactly_the_planted_entries(team, slug):
    """Following a signal into the audit list shows the entries of its pattern and no other."""
    auditor = person("auditor", "Auditors", is_staff=True)
    client = Client()
    client.force_login(auditor)
    signal = Insights(PERIOD).signal(slug)
    response = client.get(signal.url)
    assert response.status_code == 200
    listed = {item.pk for item in response.context["cl"].queryset}
    assert listed == {item.pk for item in team.planted[slug]}


def test_a_user_s_signals_are_only_those_about_them(team):
    """The staff page's signals: Eve appears in after hours and in the member seen by many,
    nowhere else."""
    about_eve = {s.slug for s in Insights(PERIOD).signals("eve") if s.findings}
    assert about_eve == {"after_hours", "many_staff"}


def test_signals_that_need_a_setting_say_so_when_it_is_off(team, settings):
    """Without business hours or required reasons, those two signals are off and say so; the
    setting that turns each on is apart (for administrators only)."""
    settings.AUDIT_BUSINESS_HOURS = ""
    settings.LOOKUP_REASON_REQUIRED = False
    signals = {signal.slug: signal for signal in Insights(PERIOD).signals()}
    assert signals["after_hours"].off.startswith("Off")
    assert signals["no_reason"].off.startswith("Off")
    assert "AUDIT_BUSINESS_HOURS" in signals["after_hours"].setting
    assert "LOOKUP_REASON_REQUIRED" in signals["no_reason"].setting
    assert not signals["after_hours"].findings and not signals["no_reason"].findings


def test_top_users_against_their_usual_day(team):
    """The top users by lookups in the period, with their usual day (median) and busiest day."""
    top = Insights(PERIOD).top_users()
    ivy = top[0]
    assert (ivy.staff.username, ivy.lookups, ivy.usual_day, ivy.busiest) == ("ivy", 140, 11, 41)
    assert ivy.active_days == len(team.workdays)
    assert ivy.busiest_day == team.workdays[5]
    assert round(ivy.busiest_ratio, 2) == round(41 / 11, 2)
    assert len(top) == insights.TOP_USERS


def test_a_period_without_lookups_has_no_top_users():
    assert Insights(Window.last_days(7)).top_users() == []


def test_raw_views_count_with_reveals_in_the_reveals_signal():
    """The raw tab shows the whole document: opening it counts as a reveal, so an agent who
    reads members there instead of revealing is found like one who reveals."""
    day = days_ago(2)
    users = {name: person(name) for name in ("alice", "bob", "carol", "kim")}
    write(
        [
            entry(user, local(day, 10, n), reason="t", customer_id=f"{name}{n}")
            for name, user in users.items()
            for n in range(10)
        ]
        + [entry(users["alice"], local(day, 12), action="reveal", outcome="ok", customer_id="a0")]
        + [
            entry(users["kim"], local(day, 12, n), action="raw_view", outcome="ok")
            for n in range(6)
        ]
    )

    signal = Insights(PERIOD).signal("reveals")

    assert findings(signal) == {(("kim",), None, "", 6)}
