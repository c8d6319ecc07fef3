"""AUDIT_BUSINESS_HOURS: its format, its time zone, and the database agreeing with Python on
which moments fall outside."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from customers.audit.models import AuditEntry
from customers.checks import check_audit_settings
from customers.insights import business_hours

KOLKATA = ZoneInfo("Asia/Kolkata")


def test_a_range_of_days_and_hours():
    """`Mon-Fri 08:00-18:00`: open from 08:00 up to, not including, 18:00 on weekdays."""
    hours = business_hours.parse("Mon-Fri 08:00-18:00", "UTC")
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    assert hours.contains(monday.replace(hour=8))
    assert hours.contains(monday.replace(hour=17, minute=59))
    assert not hours.contains(monday.replace(hour=18))
    assert not hours.contains(monday.replace(hour=7, minute=59))
    assert not hours.contains((monday + timedelta(days=5)).replace(hour=12))  # Saturday


def test_several_spans_and_a_time_zone():
    """Spans separated by commas, a Saturday morning, and the zone the hours are kept in."""
    hours = business_hours.parse("Mon-Fri 08:30-17:30, Sat 09:00-13:00 Asia/Kolkata", "UTC")
    assert hours.zone_name == "Asia/Kolkata"
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=KOLKATA)
    assert hours.contains(saturday)
    # 03:30 UTC on a Monday is 09:00 in Kolkata: open; 12:30 UTC is 18:00 there: closed.
    assert hours.contains(datetime(2026, 11, 23, 3, 30, tzinfo=UTC))
    assert not hours.contains(datetime(2026, 11, 23, 12, 30, tzinfo=UTC))


def test_a_range_of_days_may_wrap_around_the_week():
    """`Fri-Mon` is Friday, Saturday, Sunday and Monday."""
    hours = business_hours.parse("Fri-Mon 10:00-16:00", "UTC")
    assert [span.weekdays for span in hours.spans] == [frozenset({5, 6, 7, 1})]


def test_midnight_ends_a_day_as_24_00():
    """A span may run to 24:00, the end of the day."""
    hours = business_hours.parse("Sun 20:00-24:00", "UTC")
    assert hours.contains(datetime(2026, 11, 29, 23, 59, tzinfo=UTC))


def test_empty_means_no_business_hours():
    assert business_hours.parse("  ", "UTC") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Mon-Fri 9-18", "not like"),
        ("Mon-Fri 08:00", "not like"),
        ("Mon-Fry 08:00-18:00", "not a day"),
        ("Mon-Fri 08:00-25:00", "not a time"),
        ("Mon-Fri 08:61-18:00", "not a time"),
        ("Mon-Fri 22:00-06:00", "two spans"),
        ("Mon-Fri 08:00-18:00 Mars/Olympus", "not a known time zone"),
    ],
)
def test_a_setting_not_in_the_format_says_what_is_wrong(text, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        business_hours.parse(text, "UTC")


def test_the_system_check_reports_a_bad_setting(settings):
    """`manage.py check` fails on a typo instead of the signals page."""
    settings.AUDIT_BUSINESS_HOURS = "weekdays 8 to 6"
    assert [message.id for message in check_audit_settings()] == ["customers.E002"]


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_the_database_and_python_agree_on_what_is_outside(zone):
    """`outside()` narrows entries in SQL exactly as `contains()` decides in Python, in the
    hours' zone, across a week with a daylight saving change (New York, 1 Nov 2026)."""
    hours = business_hours.parse(f"Mon-Fri 08:30-18:00, Sat 09:00-13:00 {zone}", "UTC")
    user = User.objects.create_user("agent")
    start = datetime(2026, 10, 29, tzinfo=UTC)
    moments = [start + timedelta(minutes=47 * n) for n in range(330)]
    ids = []
    for moment in moments:
        entry = AuditEntry.objects.log_action(user=user, action="lookup", outcome="found")
        QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), created_at=moment)
        ids.append((entry.pk, moment))
    since, until = moments[0], moments[-1] + timedelta(seconds=1)
    outside = set(
        hours.outside(AuditEntry.objects.all(), since, until).values_list("pk", flat=True)
    )
    expected = {pk for pk, moment in ids if not hours.contains(moment)}
    assert outside == expected
    assert 0 < len(expected) < len(ids)


@pytest.mark.django_db
def test_a_weekend_without_open_hours_is_all_after_hours():
    """Between two moments with no open hour at all, every entry is outside."""
    hours = business_hours.parse("Mon-Fri 08:00-18:00", "UTC")
    saturday = datetime(2026, 11, 28, tzinfo=UTC)
    user = User.objects.create_user("agent")
    entry = AuditEntry.objects.log_action(user=user, action="lookup", outcome="found")
    QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), created_at=saturday.replace(hour=12))
    assert hours.intervals(saturday, saturday + timedelta(days=2)) == []
    assert (
        hours.outside(AuditEntry.objects.all(), saturday, saturday + timedelta(days=2)).count()
        == 1
    )
