"""The audit list's date drill-down, built from the calendar instead of the table.

Django's date hierarchy asks the database for the distinct years, months or days present,
which reads every row in range: seconds on a large audit table, on every page load. This one
asks only for the first and last entry (served by the created_at index) and lists the calendar
periods between them; a period with no entries simply shows an empty list.
"""

import copy
from datetime import date
from typing import Any

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.views.main import ChangeList
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest
from django.utils import timezone


def _periods(first: date, last: date, kind: str) -> list[date]:
    if kind == "year":
        return [date(year, 1, 1) for year in range(first.year, last.year + 1)]
    if kind == "month":
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        return [date(month // 12, month % 12 + 1, 1) for month in months]
    return [date.fromordinal(day) for day in range(first.toordinal(), last.toordinal() + 1)]


class CalendarDates:
    """Stands in for the changelist's queryset inside Django's date_hierarchy: `aggregate` is
    the real one, `datetimes` and `dates` list calendar periods between the first and last
    entry."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.queryset.aggregate(*args, **kwargs)

    def datetimes(self, field_name: str, kind: str, *args: object, **kwargs: object) -> list[date]:
        bounds = self.queryset.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None or bounds["last"] is None:
            return []
        first, last = (
            timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            for value in (bounds["first"], bounds["last"])
        )
        return _periods(first, last, kind)

    dates = datetimes


class CalendarChangeList(ChangeList):
    """The audit list's change list, with its date drill-down worked out here, in the view,
    for the template to print (`date_drilldown`): template tags touch no database."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        calendar = copy.copy(self)
        calendar.queryset = CalendarDates(self.queryset)
        self.date_drilldown = date_hierarchy(calendar) if self.date_hierarchy else None
