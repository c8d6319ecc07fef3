"""Template tags of the customer pages: masking, figures, dates and sentences.

Load with `{% load customer_tags %}`. The logic lives in customers.presentation; these tags only
hand records to it and mark the few HTML fragments they build as safe.
"""

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from customers import presentation
from customers.capillary.records import (
    BackendWarning,
    Card,
    Customer,
    Identifier,
    Moment,
    Program,
    Progress,
    Tier,
)
from customers.models import Action, AuditEntry
from customers.presentation import SECTIONS

register = template.Library()

RECENT_LOOKUPS = 10

# Colour classes of card status labels (customer.css); anything else is shown neutral.
_CARD_STATUS_CLASSES = {
    "ACTIVE": "ok",
    "SUSPENDED": "warn",
    "NOT_ISSUED": "info",
    "EXPIRED": "muted",
    "DELETED": "bad",
}


@register.inclusion_tag("customers/includes/recent_lookups.html", takes_context=True)
def recent_lookups(context: Context) -> dict[str, Any]:
    """The signed-in user's last lookups, masked, linking by customer id only."""
    user = context["request"].user
    recent = AuditEntry.objects.filter(user=user, action=Action.LOOKUP)[:RECENT_LOOKUPS]
    return {"recent": recent}


@register.filter
def figure(value: Decimal | int | None) -> str:
    """A number grouped in the active locale, or an em dash when the backend sent none."""
    text = presentation.format_number(value)
    return text or "\N{EM DASH}"


@register.filter
def when(value: Moment | None, fmt: str = "DATE_FORMAT") -> str:
    """A date (or `|when:"DATETIME_FORMAT"`) in the active locale and time zone."""
    return presentation.format_moment(value, fmt)


@register.filter
def card_status_class(card: Card) -> str:
    status = (card.status.status if card.status else "").upper()
    return "status-" + _CARD_STATUS_CLASSES.get(status, "neutral")


@register.filter
def percent_value(step: Progress) -> str:
    """The percent as a plain number for a <progress value>, "" when unknown."""
    return "" if step.percent is None else str(step.percent)


@register.simple_tag
def upgrade_sentence(program: Program, step: Progress) -> str:
    return presentation.upgrade_sentence(program, step)


@register.simple_tag
def renew_sentence(program: Program, step: Progress) -> str:
    return presentation.renew_sentence(program, step)


@register.simple_tag
def progress_caption(step: Progress) -> str:
    return presentation.progress_caption(step)


@register.simple_tag
def points_by_state(program: Program) -> tuple[presentation.PointsLine, ...]:
    return presentation.points_by_state(program)


@register.simple_tag
def tier_ladder(program: Program) -> tuple[presentation.Rung, ...]:
    return presentation.tier_ladder(program)


@register.simple_tag
def points_headline(customer: Customer) -> str:
    return presentation.points_headline(customer)


@register.filter
def warning_explanation(warning: BackendWarning) -> str:
    return presentation.warning_explanation(warning)


@register.simple_tag(takes_context=True)
def copy_summary(context: Context, customer: Customer) -> str:
    return presentation.copy_summary(
        customer,
        unmasked=bool(context.get("pii_unmasked")),
        revealed=context.get("revealed") or (),
        fetched_at=context.get("fetched_at"),
    )


def _revealed(context: Context) -> Collection[str]:
    return context.get("revealed") or ()


@register.simple_tag(takes_context=True)
def pii(
    context: Context, value: Any, kind: str, reveal: bool = True, identifier: bool = False
) -> SafeString:
    """A value of this kind as the user may see it, with a Reveal button when it is masked.

    `{% pii value "mobile" %}`; kind is name, mobile, email, an identifier type or a custom or
    extended field's name. `identifier=True` says kind is an identifier's or channel's type, so
    any type but an external id or card number is masked. `reveal=False` leaves the button out
    (e.g. in long tables that offer one button above them).
    """
    result = presentation.shown(
        value,
        kind,
        unmasked=bool(context.get("pii_unmasked")),
        revealed=_revealed(context),
        identifier=identifier,
    )
    if result.state == "empty":
        return format_html('<span class="pii-empty">{}</span>', "\N{EM DASH}")
    if result.state == "capillary":
        return format_html(
            '<span class="pii pii-capillary" title="{}">{}</span>',
            "Capillary sent this value masked; it cannot be revealed here.",
            result.text,
        )
    if result.state == "shown":
        return format_html('<span class="pii">{}</span>', result.text)
    text = format_html('<span class="pii pii-masked">{}</span>', result.text)
    if not (reveal and context.get("can_reveal")):
        return text
    return text + reveal_button(context, kind)


@register.simple_tag(takes_context=True)
def reveal_button(context: Context, kind: str, label: str = "Reveal") -> SafeString:
    """A POST form revealing one kind of value for this customer (works without JavaScript)."""
    customer = context.get("customer")
    request = context.get("request")
    if customer is None or not context.get("can_reveal"):
        return SafeString("")
    return format_html(
        '<form class="reveal-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="field" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="reveal-button" aria-label="{} {}">{}</button></form>',
        reverse("customers:reveal", args=[customer.id]),
        context.get("csrf_token") or "",
        kind,
        request.get_full_path() if request is not None else "",
        label,
        kind,
        label,
    )


@register.simple_tag(takes_context=True)
def display_name(context: Context, customer: Customer) -> str:
    """The name for headings and breadcrumbs, masked like any other name."""
    return presentation.display_name(
        customer, unmasked=bool(context.get("pii_unmasked")), revealed=_revealed(context)
    )


@register.filter
def section_label(section: str) -> str:
    """The section's name as the tabs and the page title show it."""
    return SECTIONS.get(section, str(section).capitalize())


@register.simple_tag
def days_presets() -> tuple[tuple[str, str], ...]:
    """The days-ahead choices of the tiers page, as (value, label)."""
    return (("0", "Today"), ("7", "In 7 days"), ("30", "In 30 days"), ("90", "In 90 days"))


@register.filter
def strategy_kind(based_on: str) -> str:
    """What a strategy counts, as words: TRACKER_VALUE_BASED -> tracked spend."""
    return presentation.strategy_kind(based_on)


@register.filter
def tier_note(tier: Tier | None) -> str:
    """A tier's description without its name repeated ("" when it adds nothing)."""
    return presentation.tier_note(tier)


@register.filter
def line_count(text: str) -> int:
    """Rows for a textarea that shows the whole text (at least 3, at most 40)."""
    return min(max(str(text).count("\n") + 2, 3), 40)


@register.simple_tag
def program_title(customer: Customer, program_id: int | None) -> str:
    """The title of one of the customer's programs by id, else the id itself."""
    if program_id is None:
        return "\N{EM DASH}"
    for program in customer.programs:
        if program.program_id == program_id and program.title:
            return program.title
    return str(program_id)


@register.filter
def has_name(customer: Customer) -> bool:
    """Whether the customer has a usable name (else pages call them "Customer <id>")."""
    return customer.display_name != f"Customer {customer.id}"


@register.filter
def without_cards(identifiers: tuple[Identifier, ...]) -> list[Identifier]:
    """A profile's identifiers except card numbers, which the cards page lists."""
    return [identifier for identifier in identifiers if not identifier.is_card]


@register.filter
def card_count(identifiers: tuple[Identifier, ...]) -> int:
    return sum(1 for identifier in identifiers if identifier.is_card)
