"""Template tags of the customer pages: masking, figures, dates and sentences.

Load with `{% load customer_tags %}`. The logic lives in customers.pages: its functions are
registered here as they are, as filters and tags, so templates print what it decided. The tags
defined here apply it to what the view put in the page's context (masking, reveal buttons, the
tab bar), render the partials of templates/customers/includes/ as inclusion tags (the header, the
tabs, the warnings, the member's facts, ladders and points), or build the few small HTML
fragments they mark as safe (a masked value, a Reveal button, a label). They format only: what
comes from the database, the request or the user (recent lookups, the not-found advice, the
page of cards asked for, the page's own address) the views compute and pass in.
"""

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.context import Context
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from customers.capillary.records import (
    AlternateCurrency,
    Customer,
    GroupProgram,
    Identifier,
    Program,
    Progress,
)
from customers.errors import detail_plain
from customers.pages import (
    by_id,
    cards,
    coverage,
    gaps,
    glossary,
    heading,
    labels,
    numbers,
    overview,
    photo,
    profile,
    programs,
    summary,
    tabs,
)
from customers.pages.backend_warnings import warning_explanation, warning_lines
from customers.pages.raw import masked_json
from customers.pages.tabs import SECTIONS

register = template.Library()

# Sentences, figures and cells the pages print as customers.pages words them (plain text,
# escaped; a labels.Label is printed by `{% label %}`).
# `{{ date|when }}` or `|when:"DATETIME_FORMAT"`: a date in the active locale and time zone.
register.filter("when", numbers.format_moment)
register.filter("tier_expiry_dates", gaps.tier_expiry_dates)


@register.simple_tag(takes_context=True)
def gap_answer(context: Context, program: Program, kind: str) -> str:
    """The overview's sentence on a program's gap to upgrade or renew ("upgrade" / "renew"),
    knowing what the search asked (customers.pages.overview)."""
    query, left_out = context.get("query"), tuple(context.get("left_out") or ())
    customer = context.get("customer")
    upgrade_root, renew_root = (
        overview.root_kinds(customer, program)
        if isinstance(customer, Customer)
        else (False, False)
    )
    if kind == "upgrade":
        return overview.upgrade_answer(program, query, left_out, root=upgrade_root)
    return overview.keep_answer(program, query, left_out, root=renew_root)


@register.simple_tag(takes_context=True)
def root_gaps(context: Context, customer: Customer) -> dict[str, Any]:
    """The gaps at the document's root that name no program (customers.pages.overview)."""
    return {
        "heading": overview.ROOT_GAPS,
        "lines": overview.root_gap_lines(customer, context.get("query")),
    }


register.filter(glossary.identifier_label)
register.filter(glossary.identifiers_plain)
register.simple_tag(glossary.identifier_types)


@register.simple_tag
def data_as_of(fetched_at: datetime) -> SafeString:
    """ "Data as of <time>": the whole sentence translated (the summary's own), the moment a
    <time> element in the locale and the org's time zone."""
    stamp = format_html(
        '<time datetime="{}">{}</time>',
        date_filter(fetched_at, "c"),
        numbers.format_moment(fetched_at, "DATETIME_FORMAT"),
    )
    return SafeString(conditional_escape(_("Data as of %(moment)s")) % {"moment": stamp})


@register.filter
def entry_detail(detail: str) -> str:
    """An audit entry's detail as the lists show it: a section's view in its tab's words
    ("cards (cached)" reads so in English, in its own words elsewhere), a backend error as its
    page's heading (detail_plain), anything else as recorded."""
    section, cached, rest = detail.partition(" (cached)")
    if section in SECTIONS and not rest:
        name = str(SECTIONS[section]).lower()
        # Translators: an audit entry's detail: a customer page opened from the cache.
        return _("%(section)s (cached)") % {"section": name} if cached else name
    if detail in SIGN_IN_METHODS:
        return str(SIGN_IN_METHODS[detail])
    return detail_plain(detail)


# A sign-in's detail as the trail records it (customers/accounts/views.py LOCAL, oidc.METHOD).
SIGN_IN_METHODS = {
    "by local password": pgettext_lazy("signed in", "by local password"),
    "by company sign-in": pgettext_lazy("signed in", "by company sign-in"),
}
register.simple_tag(glossary.not_asked)


@register.simple_tag(takes_context=True)
def empty_text(context: Context, customer: Customer, key: str, none_text: str) -> str:
    """What a section with nothing to show says (customers.pages.coverage.empty_text)."""
    return coverage.empty_text(
        customer, key, none_text, context.get("query"), tuple(context.get("left_out") or ())
    )


register.filter(warning_explanation)
register.filter(gaps.strategy_kind)
register.filter(labels.tier_label)
register.filter(labels.current_tier)
register.filter(labels.next_tier)
register.filter(labels.promotion_issued)
register.filter(labels.expiry_kind)
register.filter(labels.card_status)
register.filter(labels.card_transactions)
register.filter(labels.promotion_source)
register.filter(labels.linked_partners)
register.filter(gaps.value_valid_sentence)
register.filter(gaps.renewal_note)
register.filter(labels.renewal_confirmed)
register.filter(labels.card_series)
register.filter(labels.card_kind)
register.filter(labels.card_issued)
register.filter(labels.channel_kind)
register.filter(labels.subscription_messages)
register.filter(labels.subscription_choice)
register.filter(profile.registration)
register.filter(profile.last_change)
register.simple_tag(gaps.upgrade_sentence)
register.simple_tag(gaps.renew_sentence)
register.simple_tag(gaps.group_upgrade_sentence)
register.simple_tag(gaps.progress_caption)
register.simple_tag(programs.points_headline)

# What a reveal of the member's photo is called (the reveal view's field, the audit's detail).
PHOTO = "image"

# What the pii and reveal_button tags read from a page, handed on to the partials that use them
# (an inclusion tag renders its partial with only what it returns, and the CSRF token).
_PAGE_KEYS = ("customer", "page_path", "pii_unmasked", "revealed", "can_reveal")


@register.inclusion_tag("customers/includes/customer_tabs.html", takes_context=True)
def customer_tabs(context: Context) -> dict[str, Any]:
    """The tab bar of a customer page, from tabs.SECTIONS (see tabs.tabs)."""
    customer = context["customer"]
    bar = tabs.tabs(customer, context["section"], can_see_raw=bool(context.get("can_see_raw")))
    return {"customer_id": customer.id, "tabs": bar}


def _page(context: Context) -> dict[str, Any]:
    return {key: context.get(key) for key in _PAGE_KEYS}


@register.simple_tag
def label(value: labels.Label) -> SafeString:
    """One cell or fact: `{% label program|tier_label %}` (see labels.Label).

    A fragment built here like pii's rather than a partial template: a cards table prints
    three per row, and an inclusion tag costs about ten times as much per call.
    """
    if value.empty:
        text = format_html('<span class="empty">{}</span>', value.text)
    elif value.badge:
        text = format_html('<span class="badge {}">{}</span>', value.badge, value.text)
    elif value.strong:
        text = format_html("<strong>{}</strong>", value.text)
    else:
        text = conditional_escape(value.text)
    if not value.note:
        return text
    return format_html('{} <span class="note">{}</span>', text, value.note)


def _chosen(context: Context) -> profile.MemberProfile:
    """The member's profile for the search the page answers (the query's source and account;
    none in a page rendered without one): see profile.member_profile."""
    query = context.get("query")
    return profile.member_profile(
        context["customer"], getattr(query, "source", ""), getattr(query, "account_id", "")
    )


@register.simple_tag(takes_context=True)
def by_id_notice(context: Context) -> str:
    """What the answer, fetched by id, could not carry of what the page asked for."""
    query = context.get("query")
    return by_id.left_out_notice(context.get("left_out") or (), getattr(query, "source", ""))


@register.simple_tag(takes_context=True)
def member_profile(context: Context) -> profile.MemberProfile:
    """`{% member_profile as chosen %}`: the member's profile and where it came from."""
    return _chosen(context)


@register.inclusion_tag("customers/includes/customer_header.html", takes_context=True)
def customer_header(context: Context) -> dict[str, Any]:
    """The name and badges atop every customer page, the name masked as the user may see it."""
    customer = context["customer"]
    top = heading.heading(
        customer,
        unmasked=bool(context.get("pii_unmasked")),
        revealed=_revealed(context),
        profile=_chosen(context).profile,
    )
    return {"customer": customer, "heading": top}


@register.inclusion_tag("customers/includes/backend_warnings.html")
def backend_warnings(customer: Customer, section: str = "") -> dict[str, Any]:
    """The backend's warnings as plain sentences (on the overview, Needs attention says them
    instead: once per page), and as sent, with their codes, folded for support."""
    return {"warnings": warning_lines(customer), "on_overview": section == "overview"}


@register.inclusion_tag("customers/includes/member_facts.html", takes_context=True)
def member_facts(context: Context) -> dict[str, Any]:
    """The overview's facts: the name (masked, with its Reveal button), the id, then
    profile.member_facts."""
    customer = context["customer"]
    chosen = _chosen(context)
    member = chosen.profile
    name = None
    if member is not None:
        name = member.first_name if member.name_masked else member.full_name
    facts = profile.member_facts(
        customer, chosen, context.get("query"), tuple(context.get("left_out") or ())
    )
    return {
        **_page(context),
        "profile": member,
        "name": name,
        "name_note": chosen.note_for("name"),
        "facts": facts,
    }


@register.inclusion_tag("customers/includes/tier_ladder.html")
def tier_ladder(program: Program) -> dict[str, Any]:
    """A program's tiers from the base to the next one (programs.tier_ladder)."""
    return {"rungs": programs.tier_ladder(program)}


@register.inclusion_tag("customers/includes/points_by_state.html")
def points_by_state(program: Program) -> dict[str, Any]:
    """A program's points in every state, as tiles (programs.points_by_state)."""
    return {"title": _points_title(program.title), "lines": programs.points_by_state(program)}


def _points_title(program: str) -> str:
    if not program:
        return _("Points by state")
    # Translators: %(program)s is the title of a loyalty program.
    return _("Points by state in %(program)s") % {"program": program}


@register.inclusion_tag("customers/includes/points_by_state.html")
def currency_by_state(currency: AlternateCurrency) -> dict[str, Any]:
    """An alternate currency in every state, as the same tiles as points."""
    if currency.name:
        # Translators: %(currency)s is the org's name for an alternate currency.
        title = _("%(currency)s by state") % {"currency": currency.name}
    else:
        title = _("Currency by state")
    return {"title": title, "lines": programs.currency_by_state(currency)}


@register.inclusion_tag("customers/includes/points_by_state.html")
def group_by_state(group: GroupProgram) -> dict[str, Any]:
    """A group loyalty program's pooled points, as the same tiles."""
    return {"title": _points_title(group.title), "lines": programs.group_by_state(group)}


@register.simple_tag
def term(key: str, block: str = "", in_sentence: bool = False) -> SafeString:
    """A state's label from the glossary, its meaning and Capillary field as a hover hint:
    `{% term "available" "points" %}` ("Available to redeem"; `in_sentence=True` for
    "available to redeem"). Pages name a state of points or currency only so."""
    entry = glossary.term(key)
    hint = " ".join(part for part in (entry.meaning, entry.hint(block)) if part)
    label = glossary.word(key) if in_sentence else entry.label
    return format_html(
        '<span class="term" data-term="{}" title="{}">{}</span>', entry.key, hint, label
    )


@register.inclusion_tag("customers/includes/glossary.html")
def glossary_list(*keys: str) -> dict[str, Any]:
    """What the figures mean, with Capillary's field for each (the given terms, or all)."""
    terms = [glossary.term(key) for key in keys] if keys else list(glossary.TERMS.values())
    return {"terms": terms}


@register.inclusion_tag("customers/includes/customer_photo.html", takes_context=True)
def customer_photo(context: Context) -> dict[str, Any]:
    """The member's photo (customerImage), for roles that may see unmasked PII only, behind a
    reveal like any other PII, and only from a host CUSTOMER_IMAGE_HOSTS allows (the Content
    Security Policy lets the browser load images from those hosts alone)."""
    customer = context["customer"]
    url = customer.customer_image_url
    may_see = bool(context.get("can_reveal"))
    revealed = bool(context.get("pii_unmasked")) or PHOTO in {
        str(kind).lower() for kind in _revealed(context)
    }
    return {
        **_page(context),
        "on_file": bool(customer.images),
        "url": url,
        "may_see": may_see,
        "revealed": may_see and revealed,
        "allowed": photo.photo_allowed(url),
        "kind": PHOTO,
    }


@register.filter
def figure(value: Decimal | int | None) -> SafeString:
    """A number grouped in the active locale, or an em dash when the backend sent none.

    Isolated left to right: on a right-to-left page -350 stays -350 (a bare minus sign before
    digits would be drawn after them, 350-) and a number never joins the words beside it.
    """
    text = numbers.format_number(value)
    if not text:
        return SafeString("\N{EM DASH}")
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@register.filter
def percent_value(step: Progress) -> str:
    """The percent as a plain number for a <progress value>, "" when unknown."""
    return "" if step.percent is None else str(step.percent)


# What the ticket summary may show without "include revealed contact details": the name, for a
# role that sees names (not a way to reach the member).
SUMMARY_KINDS = frozenset({"name"})


@register.simple_tag(takes_context=True)
def copy_summary(context: Context, customer: Customer, with_revealed: bool = False) -> str:
    """The ticket summary: contact details masked, even revealed ones, unless `with_revealed`
    (the agent ticked "include revealed contact details")."""
    query = context.get("query")
    revealed = context.get("revealed") or ()
    return summary.copy_summary(
        customer,
        unmasked=with_revealed and bool(context.get("pii_unmasked")),
        revealed=revealed if with_revealed else SUMMARY_KINDS.intersection(revealed),
        fetched_at=context.get("fetched_at"),
        source=getattr(query, "source", ""),
        account_id=getattr(query, "account_id", ""),
        query=query,
    )


@register.simple_tag(takes_context=True)
def raw_document(context: Context, customer: Customer) -> str:
    """The backend's document for the raw tab, masked as the pages are (pages/raw.py)."""
    return masked_json(
        customer.raw, revealed=_revealed(context), unmasked=bool(context.get("pii_unmasked"))
    )


@register.simple_tag(takes_context=True)
def contact_details_revealed(context: Context) -> bool:
    """Whether this page shows any contact detail unmasked (revealed, or the role's default)."""
    revealed = {str(kind).lower() for kind in _revealed(context)}
    return bool(context.get("pii_unmasked")) or bool(revealed - SUMMARY_KINDS)


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

    The value is in a <bdi>: a member's name, identifier or masked value keeps its own direction
    beside the words and numbers around it (an Arabic name does not pull the id after it).
    """
    result = numbers.shown(
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
            _("Capillary sent this value masked; it cannot be revealed here."),
            result.text,
        )
    if result.state == "shown":
        return format_html('<bdi class="pii">{}</bdi>', result.text)
    text = format_html('<bdi class="pii pii-masked">{}</bdi>', result.text)
    if not (reveal and context.get("can_reveal")):
        return text
    return text + reveal_button(context, kind)


@register.simple_tag(takes_context=True)
def reveal_button(context: Context, kind: str, label: str = "") -> SafeString:
    """A POST form revealing one kind of value for this customer (works without JavaScript),
    coming back to the page's `page_path`; the button says `label`, by default "Reveal"."""
    customer = context.get("customer")
    if customer is None or not context.get("can_reveal"):
        return SafeString("")
    label = label or pgettext("button", "Reveal")
    # Translators: a button's accessible name: its action ("Reveal") and the kind of value it
    # reveals ("mobile", "email" in the identifier types' words, or a field's own name).
    name = _("%(action)s %(kind)s") % {"action": label, "kind": glossary.identifier_word(kind)}
    return format_html(
        '<form class="reveal-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="field" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="reveal-button" aria-label="{}">{}</button></form>',
        reverse("customers:reveal", args=[customer.id]),
        context.get("csrf_token") or "",
        kind,
        context.get("page_path") or "",
        name,
        label,
    )


@register.simple_tag(takes_context=True)
def display_name(context: Context, customer: Customer) -> str:
    """The name for headings and breadcrumbs, masked like any other name."""
    return heading.display_name(
        customer,
        unmasked=bool(context.get("pii_unmasked")),
        revealed=_revealed(context),
        profile=_chosen(context).profile,
    )


@register.filter
def section_label(section: str) -> str:
    """The section's name as the tabs and the page title show it."""
    known = SECTIONS.get(section)
    return str(known) if known is not None else str(section).capitalize()


@register.simple_tag
def days_presets(days: int | None) -> tuple[tuple[int, str, bool], ...]:
    """The days-ahead choices of the tiers page, as (days, label, whether it is shown now)."""
    return tuple((value, str(label), value == days) for value, label in _DAYS_PRESETS)


# The days-ahead choices of the tiers page.
_DAYS_PRESETS = (
    (0, gettext_lazy("Today")),
    (7, gettext_lazy("In 7 days")),
    (30, gettext_lazy("In 30 days")),
    (90, gettext_lazy("In 90 days")),
)


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
def without_cards(identifiers: tuple[Identifier, ...]) -> list[Identifier]:
    """A profile's identifiers except card numbers, which the cards page lists."""
    return [identifier for identifier in identifiers if not identifier.is_card]


@register.filter
def card_count(identifiers: tuple[Identifier, ...]) -> int:
    return sum(1 for identifier in identifiers if identifier.is_card)


# How many programs the overview lists before pointing to the Programs tab.
OVERVIEW_PROGRAMS = 6


@register.simple_tag(takes_context=True)
def overview_answers(context: Context, customer: Customer) -> dict[str, Any]:
    """The overview's answers: what needs attention, and the first programs' answers with how
    many there are in all (a member in 36 programs gets the first few and a link)."""
    query = context.get("query")
    left_out = tuple(context.get("left_out") or ())
    answers = overview.program_answers(customer, query=query, left_out=left_out)
    return {
        "attention": overview.needs_attention(customer),
        "checks": overview.attention_checks(customer, query, left_out),
        "programs": answers[:OVERVIEW_PROGRAMS],
        "total": len(answers),
    }


# Up to this many programs, a page shows every program's details open and no summary table.
OPEN_PROGRAMS = 3


@register.simple_tag(takes_context=True)
def program_summary(context: Context, customer: Customer) -> dict[str, Any]:
    """What a page of many programs starts with: every program's answer, and whether the
    details below start folded (more than OPEN_PROGRAMS programs)."""
    answers = overview.program_answers(
        customer, query=context.get("query"), left_out=tuple(context.get("left_out") or ())
    )
    return {"answers": answers, "folded": len(answers) > OPEN_PROGRAMS}


@register.simple_tag
def cards_url(view: cards.CardsView, **changes: Any) -> str:
    """The cards page's query string with some parameters changed ("" drops one)."""
    params = {"status": view.status, "sort": view.sort, "page": str(view.number)}
    params.update({name: str(value) for name, value in changes.items()})
    if params["page"] == "1":
        params["page"] = ""
    return "?" + urlencode({k: v for k, v in params.items() if v})


@register.simple_tag
def sort_link(view: cards.CardsView, key: str) -> str:
    """A column's sort link: ascending, or descending when it is already sorted ascending."""
    return cards_url(view, sort=f"-{key}" if view.sort == key else key, page="1")


@register.filter
def source_name(code: str | None) -> str:
    """A source in the agent's words ("In store" for INSTORE), from the glossary."""
    return glossary.source_name(code)
