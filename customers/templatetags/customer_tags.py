"""Template tags of the customer pages: masking, figures, dates and sentences.

Load with `{% load customer_tags %}`. The logic lives in customers.presentation: its functions
are registered here as they are, as filters and tags; the tags defined here add what presentation
cannot know (the request's context: masking, reveal buttons, the tab bar) or build the few HTML
fragments they mark as safe.
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
from customers.capillary.records import Card, Customer, Identifier, Progress
from customers.models import Action, AuditEntry
from customers.presentation import SECTIONS

register = template.Library()

# Sentences and figures the pages print as presentation words them (plain text, escaped).
# `{{ date|when }}` or `|when:"DATETIME_FORMAT"`: a date in the active locale and time zone.
register.filter("when", presentation.format_moment)
register.filter("warning_explanation", presentation.warning_explanation)
register.filter("strategy_kind", presentation.strategy_kind)
register.filter("tier_note", presentation.tier_note)
register.simple_tag(presentation.upgrade_sentence)
register.simple_tag(presentation.renew_sentence)
register.simple_tag(presentation.progress_caption)
register.simple_tag(presentation.points_headline)
register.simple_tag(presentation.points_by_state)
register.simple_tag(presentation.tier_ladder)

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


@register.inclusion_tag("customers/includes/customer_tabs.html", takes_context=True)
def customer_tabs(context: Context) -> dict[str, Any]:
    """The tab bar of a customer page, from presentation.SECTIONS (see presentation.tabs)."""
    customer = context["customer"]
    tabs = presentation.tabs(
        customer, context["section"], can_see_raw=bool(context.get("can_see_raw"))
    )
    return {"customer": customer, "tabs": tabs}


@register.filter
def figure(value: Decimal | int | None) -> str:
    """A number grouped in the active locale, or an em dash when the backend sent none."""
    text = presentation.format_number(value)
    return text or "\N{EM DASH}"


@register.filter
def card_status_class(card: Card) -> str:
    status = (card.status.status if card.status else "").upper()
    return "status-" + _CARD_STATUS_CLASSES.get(status, "neutral")


@register.filter
def percent_value(step: Progress) -> str:
    """The percent as a plain number for a <progress value>, "" when unknown."""
    return "" if step.percent is None else str(step.percent)


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
