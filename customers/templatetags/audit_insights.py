"""The auditor's charts as an inclusion tag: a breakdown in, its SVG and table out."""

from typing import Any

from django import template

from customers.insights.charts import bar_chart, bars_markup, table_markup
from customers.insights.figures import Breakdown

register = template.Library()


@register.inclusion_tag("admin/customers/auditentry/includes/chart.html", takes_context=True)
def audit_chart(context: template.Context, breakdown: Breakdown) -> dict[str, Any]:
    """The chart of `breakdown` with its legend and table; links are relative to the site
    unless the context has a `base_url` (the mailed report), and left out with `linked`
    false."""
    base_url, linked = str(context.get("base_url") or ""), bool(context.get("linked", True))
    chart = bar_chart(breakdown)
    return {
        "breakdown": breakdown,
        "chart": chart,
        "chart_id": f"chart-{breakdown.slug}",
        "bars": bars_markup(chart, base_url, linked),
        "table_rows": table_markup(breakdown, base_url, linked),
        "base_url": base_url,
        "linked": linked,
    }
