"""The roll-ups: days counted once and equal to their entries, the day in progress topped up
hour by hour and the last hour live, and counted again when what the counts depend on changes
or entries leave."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import override_settings
from django.utils import timezone

from customers.audit.models import AuditEntry
from customers.insights import rollup
from customers.insights.models import AuditDay, AuditDayCount, AuditDayMember
from customers.insights.rollup import Activity, Window
from tests.trail import days_ago, entry, local, person, write

pytestmark = pytest.mark.django_db

WEEK = Window.last_days(7)


def counted(window: Window, *by: str, **where: list[str]) -> Counter:
    return Counter(
        {
            tuple(row[name] for name in by): row["entries"]
            for row in Activity(window).counts(by, **where)
        }
    )


def actual(*by: str) -> Counter:
    """The same counts from the entries themselves, in Python."""
    tally: Counter = Counter()
    for item in AuditEntry.objects.all():
        values = {
            "day": timezone.localdate(item.created_at),
            "username": item.username,
            "role": item.role,
            "action": item.action,
            "outcome": item.outcome,
        }
        tally[tuple(values[name] for name in by)] += 1
    return tally


@pytest.fixture
def week_of_entries():
    """A week of lookups, reveals and refusals by two agents and a manager, today included."""
    alice, bob = person("alice"), person("bob")
    manager = person("manager", "Store managers")
    rows = []
    for days in range(7):
        day = days_ago(days)
        rows += [entry(alice, local(day, 9, n)) for n in range(days + 1)]
        rows += [entry(bob, local(day, 23, 50), outcome="not_found")]
        rows += [entry(alice, local(day, 0, 5), action="reveal", outcome="ok")]
        rows += [entry(manager, local(day, 12), outcome="forbidden")]
    write(rows)
    return alice, bob, manager


def test_the_counts_equal_the_entries_and_are_made_once(week_of_entries):
    """The roll-up of every settled hour, plus the last hour live, gives exactly what the
    entries say, by any grouping; counting again finds nothing to do."""
    for by in [("day", "username", "action", "outcome"), ("role",), ("day", "outcome")]:
        assert counted(WEEK, *by) == actual(*by)
    settled_days = [day for day in WEEK.days if rollup.day_start(day) < rollup.settled()]
    assert set(AuditDay.objects.values_list("day", flat=True)) == set(settled_days)
    assert rollup.ensure(WEEK) == 0


def test_a_counted_day_is_read_from_the_roll_up_not_the_entries(week_of_entries):
    """Once counted, a day's figures come from its counts: an entry slipped in afterwards (as
    only a bulk insert could) is not read until the day is counted again."""
    yesterday = days_ago(1)
    rollup.ensure(WEEK)
    alice = week_of_entries[0]
    write([entry(alice, local(yesterday, 10))])
    assert counted(Window(yesterday, yesterday), "username")[("alice",)] == 3
    rollup.forget(yesterday, first=yesterday)
    assert counted(Window(yesterday, yesterday), "username")[("alice",)] == 4


def test_the_last_hour_is_counted_live():
    """An entry written a moment ago is in the figures at once, and not yet in the counts."""
    alice = person("alice")
    AuditEntry.objects.log_action(user=alice, action="lookup", outcome="found")
    assert counted(WEEK, "day", "username") == {(timezone.localdate(), "alice"): 1}
    assert not AuditDayCount.objects.exists()


def test_an_hour_is_settled_once_it_ended_the_grace_period_ago():
    """Entries stamped just before the hour may commit just after: the hour is counted for
    good GRACE after it ends."""
    ten = local(days_ago(0), 10)
    assert rollup.settled(ten + rollup.GRACE - timedelta(seconds=1)) == ten - timedelta(hours=1)
    assert rollup.settled(ten + rollup.GRACE) == ten


def test_a_day_in_progress_is_topped_up_hour_by_hour():
    """Each hour is added once, however often it is asked for; the members' staff grow with
    the hours, and when the day is over only the members many staff saw are kept."""
    staff = [person(f"agent{n}") for n in range(5)]
    day = days_ago(1)
    write(
        [entry(user, local(day, 9, 10 + n), customer_id="100") for n, user in enumerate(staff[:4])]
        + [entry(staff[0], local(day, 9, 20), customer_id="200")]
        + [entry(staff[4], local(day, 10, 30), customer_id="100")]
        + [entry(staff[1], local(day, 11, 30), customer_id="200")]
    )

    def state() -> tuple[int, dict[str, int]]:
        total = sum(AuditDayCount.objects.values_list("entries", flat=True))
        return total, dict(AuditDayMember.objects.values_list("customer_id", "staff"))

    rollup.count_day(day, local(day, 10))
    assert state() == (5, {"100": 4, "200": 1})
    rollup.count_day(day, local(day, 11))
    rollup.count_day(day, local(day, 11))
    assert state() == (6, {"100": 5, "200": 1})
    rollup.count_day(day, rollup.day_start(day + timedelta(days=1)))
    assert state() == (7, {"100": 5})
    assert AuditDay.objects.get().through == rollup.day_start(day + timedelta(days=1))


def test_a_member_reaches_many_staff_with_the_live_hour(monkeypatch):
    """Four staff in the counted hours and a fifth in the live one make five."""
    staff = [person(f"agent{n}") for n in range(5)]
    day = days_ago(1)
    write(
        [entry(user, local(day, 9, n), customer_id="100") for n, user in enumerate(staff[:4])]
        + [entry(staff[4], local(day, 12, 30), customer_id="100")]
    )
    monkeypatch.setattr(rollup, "settled", lambda now=None: local(day, 12))
    names = [user.username for user in staff]
    assert rollup.members(WEEK) == (1, [(day, "100", names)])
    assert AuditDayMember.objects.get().staff == 4


@override_settings(TIME_ZONE="Asia/Kolkata")
def test_days_are_the_org_time_zone_days():
    """20:00 UTC is 01:30 the next day in Kolkata: the entry counts on the next day."""
    alice = person("alice")
    two_days_ago = days_ago(2)
    at = local(two_days_ago, 1, 30)
    assert at.astimezone(timezone.UTC).date() == two_days_ago - timedelta(days=1)
    write([entry(alice, at)])
    assert counted(WEEK, "day") == {(two_days_ago,): 1}


def test_the_counts_keep_reasons_and_after_hours(settings):
    """Each count says how many of its entries had no reason and how many fell outside the
    business hours in force."""
    settings.AUDIT_BUSINESS_HOURS = "Mon-Sun 08:00-18:00"
    alice = person("alice")
    day = days_ago(1)
    write(
        [
            entry(alice, local(day, 9), reason="ticket 1"),
            entry(alice, local(day, 10)),
            entry(alice, local(day, 19), reason="ticket 2"),
            entry(alice, local(day, 7, 59)),
        ]
    )
    [row] = Activity(WEEK).counts(("username",))
    assert (row["entries"], row["without_reason"], row["after_hours"]) == (4, 2, 2)


def test_new_business_hours_count_the_days_again(settings):
    """Days counted under other business hours are counted again, not read stale."""
    settings.AUDIT_BUSINESS_HOURS = "Mon-Sun 08:00-18:00"
    alice = person("alice")
    write([entry(alice, local(days_ago(1), 19))])
    assert Activity(WEEK).counts(("username",))[0]["after_hours"] == 1
    settings.AUDIT_BUSINESS_HOURS = "Mon-Sun 08:00-20:00"
    assert Activity(WEEK).counts(("username",))[0]["after_hours"] == 0


def test_the_counts_keep_a_deleted_accounts_username():
    """A deleted account's entries keep their username in the counts, without an id."""
    alice = person("alice")
    write([entry(alice, local(days_ago(1), 10))])
    rollup.ensure(WEEK)
    alice.delete()
    [row] = Activity(WEEK).counts(("username",))
    assert (row["username"], row["user_pk"], row["entries"]) == ("alice", None, 1)


def test_members_seen_by_many_staff_on_one_day():
    """A member five staff saw on one day is kept with their names; four staff, five over two
    days, or a fifth who was refused are not enough."""
    staff = [person(f"agent{n}") for n in range(5)]
    day, other_day = days_ago(1), days_ago(2)
    write(
        [entry(user, local(day, 10 + n), customer_id="100") for n, user in enumerate(staff)]
        + [entry(user, local(day, 11), customer_id="200") for user in staff[:4]]
        + [entry(user, local(day, 12), customer_id="300") for user in staff[:3]]
        + [entry(user, local(other_day, 12), customer_id="300") for user in staff[3:]]
        + [entry(user, local(day, 13), customer_id="400") for user in staff[:4]]
        + [entry(staff[4], local(day, 13), customer_id="400", outcome="forbidden")]
        + [entry(user, local(days_ago(0), 0, 1), customer_id="500") for user in staff]
    )
    names = [user.username for user in staff]
    assert rollup.members(WEEK) == (2, [(day, "100", names), (days_ago(0), "500", names)])
    assert rollup.members(WEEK, username="agent0") == rollup.members(WEEK)


def test_members_are_counted_all_and_listed_most_staff_first():
    """The count is of every such member; the list the first few, most staff first; a user's
    are those they were among (not those of a user whose name begins like theirs)."""
    staff = [person(name) for name in ("ann", "anna", "bob", "cy", "di", "ed")]
    day = days_ago(1)
    rows = [entry(user, local(day, 10), customer_id="1") for user in staff]
    for customer in ("2", "3", "4"):
        rows += [entry(user, local(day, 11), customer_id=customer) for user in staff[1:]]
    write(rows)
    total, first = rollup.members(WEEK, limit=2)
    assert total == 4
    assert [(customer, len(names)) for _, customer, names in first] == [("1", 6), ("2", 5)]
    assert rollup.members(WEEK, username="ann")[0] == 1
    assert rollup.members(WEEK, username="anna")[0] == 4


def test_prune_audit_takes_the_counts_of_what_it_deleted(capsys):
    """After prune_audit, the figures of the pruned days are gone with their entries."""
    alice = person("alice")
    write([entry(alice, local(days_ago(days), 10)) for days in (1, 5, 6)])
    rollup.ensure(WEEK)
    call_command("prune_audit", "--older-than", "4")
    # What is left: yesterday's lookup, and today the prune run's own entry.
    assert counted(WEEK, "day", "action") == actual("day", "action")
    assert {day for (day,) in counted(WEEK, "day")} <= {days_ago(1), days_ago(0)}


@override_settings(DEBUG=True)
def test_generate_audit_has_its_days_counted_again():
    """Synthetic entries land in past days: those days are counted again."""
    rollup.ensure(WEEK)
    call_command("generate_audit", "40", "--days", "5", "--users", "2", stdout=None)
    assert sum(counted(WEEK, "day").values()) == 40


def test_rollup_audit_counts_what_is_missing_and_rebuilds_on_request(capsys):
    """The command counts what is missing (the days from the trail's first entry), nothing
    when run again, everything with --rebuild."""
    alice = person("alice")
    write([entry(alice, local(days_ago(2), 10))])

    def held(since: int) -> int:
        return sum(
            1
            for day in WEEK.days
            if day >= days_ago(since) and rollup.day_start(day) < rollup.settled()
        )

    call_command("rollup_audit", "--days", "7")
    assert f"Counted {held(2)} of the last 7 days, up to " in capsys.readouterr().out
    call_command("rollup_audit", "--days", "7")
    assert "Counted 0 of the last 7 days" in capsys.readouterr().out
    QuerySet.update(AuditEntry.objects.all(), created_at=local(days_ago(3), 10))
    call_command("rollup_audit", "--days", "7", "--rebuild")
    assert f"Counted {held(3)} of the last 7 days" in capsys.readouterr().out
    assert list(AuditDayCount.objects.values_list("day", "entries")) == [(days_ago(3), 1)]
