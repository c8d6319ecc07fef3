"""The plain-text summary of a member for pasting into a ticket, masked as the page is, about the
profile of the source and account searched."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

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
from customers.pages.numbers import format_moment, format_number, shown
from customers.pages.overview import ROOT_GAPS, as_of, needs_attention, root_gap_lines
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
        return f"{text} ({note})" if note else text

    rows: list[tuple[str, str]] = []
    profile = chosen.profile
    if profile is not None and profile.name_masked:
        rows.append(("Name", shown(MASKED, "name").text))
    else:
        name = person_name(profile.first_name, profile.last_name) if profile is not None else ""
        text = shown(name, "name", unmasked=unmasked, revealed=revealed).text
        rows.append(("Name", noted(text, "name") if text else "-"))
    for label, kind in (("Mobile", "mobile"), ("Email", "email")):
        values = [
            item.value
            for item in (profile.identifiers if profile is not None else ())
            if item.type.lower() == kind
        ]
        for value in values:
            text = shown(value, kind, unmasked=unmasked, revealed=revealed).text
            rows.append((label, noted(text, kind)))
    for value in customer.external_ids:
        rows.append(("External id", value))
    # identifiersAll entries no profile lists (Capillary's by-id sample has a mobile and an
    # email only there), masked as the page masks them.
    for item in customer.extra_identifiers:
        kind = item.type.lower()
        label = glossary.identifier_label(item.type) if kind else "Identifier"
        text = shown(item.value, kind, unmasked=unmasked, revealed=revealed).text
        rows.append((f"{label} (full identifier list only)", text))
    return rows


def _program_lines(program: Program, query: LookupQuery | None = None) -> list[str]:
    tier = program.current_tier.name if program.current_tier else "no tier"
    line = f"{program.title or 'Program'}: {tier}"
    if program.current_tier is not None:
        expiry = format_moment(program.tier_expiry_date)
        if expiry:
            line += f" (tier expiry: {expiry})"
    if program.loyalty_points is not None:
        line += f", {format_number(program.loyalty_points)} points {glossary.word('available')}"
    if program.delayed_points:
        line += f", {format_number(program.delayed_points)} {glossary.word('pending')}"
    lines = [line]
    upgrade_days = query.gap_to_upgrade if query is not None else None
    renew_days = query.gap_to_renew if query is not None else None
    for step in program.upgrade_strategies:
        lines.append(f"  {_dated(upgrade_sentence(program, step), upgrade_days)}")
        valid = value_valid_sentence(step)
        if valid and not program.is_top_tier:
            lines.append(f"  {valid}")
    note = renewal_note(program)
    if note:
        lines.append(f"  {note}")
    for step in program.renew_strategies:
        lines.append(f"  {_dated(renew_sentence(program, step), renew_days)}")
    return lines


def _dated(sentence: str, days: int | None) -> str:
    """A gap asked N days ahead keeps its "as of" in the ticket."""
    note = as_of(days)
    if not note:
        return sentence
    return f"{sentence[:-1]}{note}." if sentence.endswith(".") else f"{sentence}{note}"


def _currency_line(currency: AlternateCurrency) -> str:
    where = f" ({currency.program_name})" if currency.program_name else ""
    line = f"{currency.name or 'Currency'}{where}:"
    parts = []
    if currency.earned is not None:
        parts.append(f"{format_number(currency.earned)} {glossary.word('available')}")
    if currency.delayed_earned:
        parts.append(f"{format_number(currency.delayed_earned)} {glossary.word('pending')}")
    return f"{line} {', '.join(parts) or 'no figures'}"


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
    lines = [f"Customer {customer.id}"]
    lines += [
        f"{label}: {value}"
        for label, value in _identity_lines(customer, chosen, unmasked, revealed)
    ]
    if customer.customer_status is not None:
        status = customer.customer_status.label or customer.customer_status.status
        if status:
            lines.append(f"Status: {status}")
    if customer.fraud_details is not None and customer.fraud_details.is_flagged:
        lines.append(f"Fraud status: {fraud_sentence(customer.fraud_details)}")
    elif customer.fraud_details is not None and customer.fraud_details.is_unexplained:
        lines.append(
            f"Fraud status: {fraud_sentence(customer.fraud_details)} ({UNEXPLAINED_FRAUD})"
        )
    registered = registration(chosen.profile)
    if registered:
        note = chosen.note_for("registered")
        lines.append(f"Registered: {registered}{f' ({note})' if note else ''}")
    # Fraud has its own line above; a negative balance and what is dated or about cards here.
    attention = [
        item.text
        for item in needs_attention(customer)
        if item.rank[0] in (1, 2) or item.rank == (0, 1)
    ]
    if attention:
        lines.append("Needs attention:")
        lines += [f"  {text}" for text in attention]
    for program in customer.all_programs:
        lines += _program_lines(program, query)
    root = root_gap_lines(customer, query)
    if root:
        lines.append(f"{ROOT_GAPS}:")
        lines += [f"  {line}" for line in root]
    lines += [_currency_line(currency) for currency in customer.alternate_currencies]
    if customer.cards:
        # The state is statusInfo.status (isActive marks the current status record).
        active = sum(1 for card in customer.cards if card.is_active)
        lines.append(f"Cards: {len(customer.cards)} ({active} ACTIVE)")
    for warning in customer.warnings:
        sentence = warning_sentence(warning)
        if sentence:
            lines.append(f"Note: {sentence}")
    if fetched_at is not None:
        lines.append(f"Data as of {format_moment(fetched_at, 'DATETIME_FORMAT')}")
    return "\n".join(lines)
