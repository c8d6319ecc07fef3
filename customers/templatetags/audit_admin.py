"""The audit list's date drill-down, as the view worked it out (customers.audit.drilldown)."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def calendar_date_hierarchy(drilldown: dict[str, Any] | None) -> dict[str, Any]:
    """Django's date hierarchy template, filled from the change list's `date_drilldown`."""
    return drilldown or {"show": False}
