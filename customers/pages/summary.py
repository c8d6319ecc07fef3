"""The plain-text summary of a member for pasting into a ticket, masked as the page is, about the
profile of the source and account searched."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from customers.capillary.query import LookupQuery
from customers.capillary.records import MASKED, AlternateCurrency, Customer, Program, person_name
from customers.pages import glossary
from customers.pages.backend_warnings import warning_sentence
from customers.pages.gaps import (
    renew_sentence,
    renewal_note,
    upgrade_sentence,
    value_valid_sentence,
)
from customers.pages.numbers import format_moment, format_number, numerals, plural_count, shown
from customers.pages.overview import needs_attention, root_gap_lines, with_as_of
from customers.pages.profile import (
    UNEXPLAINED_FRAUD,
    MemberProfile,
    fraud_sentence,
    member_profile,
    registration,
)


def _identity_lines(
    customer: Customer, chosen: MemberProfile, unmasked: bool, revealed: Collection[str]
) -> list[tuple[str, str]]:
    def noted(text: str, fact: str) -> str:
        note = chosen.note_for(fact)
        return _noted(text, note)

    rows: list[tuple[str, str]] = []
    profile = chosen.profile
    if profile is not None and profile.name_masked:
        rows.append((_("Name"), shown(MASKED, "name").text))
    else:
        name = person_name(profile.first_name, profile.last_name) if profile is not None else ""
        text = shown(name, "name", unmasked=unmasked, revealed=revealed).text
        rows.append((_("Name"), noted(text, "name") if text else "-"))
    for label, kind in (
        (glossary.identifier_label("mobile"), "mobile"),
        (glossary.identifier_label("email"), "email"),
    ):
        values = [
            item.value
            for item in (profile.identifiers if profile is not None else ())
            if item.type.lower() == kind
        ]
        for value in values:
            text = shown(value, kind, unmasked=unmasked, revealed=revealed).text
            rows.append((label, noted(text, kind)))
    for value in customer.external_ids:
        rows.append((glossary.identifier_label("externalId"), value))
    # identifiersAll entries no profile lists (Capillary's by-id sample has a mobile and an
    # email only there), masked as the page masks them.
    for item in customer.extra_identifiers:
        kind = item.type.lower()
        label = glossary.identifier_label(item.type) if kind else _("Identifier")
        text = shown(item.value, kind, unmasked=unmasked, revealed=revealed).text
        # Translators: an identifier's type ("Mobile"), as the label of a line of the summary.
        rows.append((_("%(type)s (full identifier list only)") % {"type": label}, text))
    return rows


def _noted(text: str, note: str) -> str:
    """A fact with where it came from ("from the INSTORE profile"), when that is worth saying."""
    # Translators: a fact of the summary and, in brackets, where it came from.
    return _("%(fact)s (%(note)s)") % {"fact": text, "note": note} if note else text


def _program_lines(program: Program, query: LookupQuery | None = None) -> list[str]:
    tier = program.current_tier.name if program.current_tier else _("no tier")
    # Translators: a program's title (or "Program") and its current tier.
    line = _("%(program)s: %(tier)s") % {"program": program.title or _("Program"), "tier": tier}
    if program.current_tier is not None:
        expiry = format_moment(program.tier_expiry_date)
        if expiry:
            line = _("%(line)s (tier expiry: %(date)s)") % {"line": line, "date": expiry}
    if program.loyalty_points is not None:
        # Translators: "available to redeem" is the glossary's term for spendable points.
        line = ngettext(
            "%(line)s, %(amount)s point available to redeem",
            "%(line)s, %(amount)s points available to redeem",
            plural_count(program.loyalty_points),
        ) % {"line": line, "amount": format_number(program.loyalty_points)}
    if program.delayed_points:
        # Translators: "pending" is the glossary's term for points not yet released.
        line = _("%(line)s, %(amount)s pending") % {
            "line": line,
            "amount": format_number(program.delayed_points),
        }
    lines = [line]
    upgrade_days = query.gap_to_upgrade if query is not None else None
    renew_days = query.gap_to_renew if query is not None else None
    for step in program.upgrade_strategies:
        lines.append(f"  {with_as_of(upgrade_sentence(program, step), upgrade_days)}")
        valid = value_valid_sentence(step)
        if valid and not program.is_top_tier:
            lines.append(f"  {valid}")
    note = renewal_note(program)
    if note:
        lines.append(f"  {note}")
    for step in program.renew_strategies:
        lines.append(f"  {with_as_of(renew_sentence(program, step), renew_days)}")
    return lines


def _currency_line(currency: AlternateCurrency) -> str:
    parts = []
    if currency.earned is not None:
        # Translators: "available to redeem" is the glossary's term for what can be spent.
        parts.append(
            _("%(amount)s available to redeem") % {"amount": format_number(currency.earned)}
        )
    if currency.delayed_earned:
        parts.append(_("%(amount)s pending") % {"amount": format_number(currency.delayed_earned)})
    values = {
        "currency": currency.name or _("Currency"),
        "program": currency.program_name,
        "figures": pgettext("list separator", ", ").join(parts) or _("no figures"),
    }
    if currency.program_name:
        # Translators: an alternate currency, its program and its figures.
        return _("%(currency)s (%(program)s): %(figures)s") % values
    return _("%(currency)s: %(figures)s") % values


def copy_summary(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    fetched_at: datetime | date | None = None,
    source: str = "",
    account_id: str = "",
    query: LookupQuery | None = None,
) -> str:
    """A plain-text summary for pasting into a ticket, masked as the page is, about the profile
    of the source and account searched (see member_profile)."""
    chosen = member_profile(customer, source, account_id)
    lines = [_("Customer %(id)s") % {"id": customer.id}]
    lines += [
        _line(label, value)
        for label, value in _identity_lines(customer, chosen, unmasked, revealed)
    ]
    if customer.customer_status is not None:
        status = customer.customer_status.label or customer.customer_status.status
        if status:
            lines.append(_line(_("Status"), status))
    if customer.fraud_details is not None and customer.fraud_details.is_flagged:
        lines.append(_line(_("Fraud status"), fraud_sentence(customer.fraud_details)))
    elif customer.fraud_details is not None and customer.fraud_details.is_unexplained:
        lines.append(
            _line(
                _("Fraud status"),
                _noted(fraud_sentence(customer.fraud_details), str(UNEXPLAINED_FRAUD)),
            )
        )
    registered = registration(chosen.profile)
    if registered:
        lines.append(_line(_("Registered"), _noted(registered, chosen.note_for("registered"))))
    # Fraud has its own line above; a negative balance and what is dated or about cards here.
    attention = [
        item.text
        for item in needs_attention(customer)
        if item.rank[0] in (1, 2) or item.rank == (0, 1)
    ]
    if attention:
        lines.append(_("Needs attention:"))
        lines += [f"  {text}" for text in attention]
    for program in customer.all_programs:
        lines += _program_lines(program, query)
    root = root_gap_lines(customer, query)
    if root:
        # The heading of the root gaps (overview.ROOT_GAPS) as a line of the summary.
        lines.append(_("Gaps at the document's root, program not named:"))
        lines += [f"  {line}" for line in root]
    lines += [_currency_line(currency) for currency in customer.alternate_currencies]
    if customer.cards:
        # The state is statusInfo.status (isActive marks the current status record).
        active = sum(1 for card in customer.cards if card.is_active)
        # Translators: how many cards, and how many of them have Capillary's status ACTIVE
        # (keep ACTIVE as it is).
        lines.append(
            _("Cards: %(count)s (%(active)s ACTIVE)")
            % {"count": numerals(str(len(customer.cards))), "active": numerals(str(active))}
        )
    for warning in customer.warnings:
        sentence = warning_sentence(warning)
        if sentence:
            lines.append(_line(_("Note"), sentence))
    if fetched_at is not None:
        lines.append(
            _("Data as of %(moment)s") % {"moment": format_moment(fetched_at, "DATETIME_FORMAT")}
        )
    return "\n".join(lines)


def _line(label: str, value: str) -> str:
    """One "Label: value" line of the summary."""
    # Translators: a line of the plain-text summary: its label, then its value.
    return _("%(label)s: %(value)s") % {"label": label, "value": value}
