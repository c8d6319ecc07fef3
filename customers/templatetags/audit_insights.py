"""The auditor's charts as an inclusion tag: a breakdown in, its SVG and table out."""

from django import template

from customers.charts import bar_chart
from customers.insights import Breakdown

register = template.Library()


@register.inclusion_tag("admin/customers/auditentry/includes/chart.html", takes_context=True)
def audit_chart(context: template.Context, breakdown: Breakdown) -> dict:
    """The chart of `breakdown` with its legend and table; links are relative to the site
    unless the context has a `base_url` (the mailed report), and left out with `linked`
    false."""
    return {
        "breakdown": breakdown,
        "chart": bar_chart(breakdown),
        "chart_id": f"chart-{breakdown.slug}",
        "base_url": context.get("base_url", ""),
        "linked": context.get("linked", True),
    }
