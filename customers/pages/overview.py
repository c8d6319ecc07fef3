"""The overview's answers: per program the next expiry and one sentence each for upgrading and
keeping the tier; and what needs the agent's attention, most urgent first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from customers.capillary.records import Customer, Moment, PointsExpiry, Program
from customers.pages import glossary, renewal
from customers.pages.backend_warnings import fraud_advice, warning_sentence
from customers.pages.gaps import quantity, renew_sentence, tier_name, upgrade_sentence
from customers.pages.numbers import day_of, format_moment, format_number
from customers.pages.profile import fraud_sentence

# How far ahead an expiry or a tier's end counts as needing attention, in days.
POINTS_EXPIRY_DAYS = 30
TIER_EXPIRY_DAYS = 60
# Card statuses the agent must mention to the member: status -> the word for it.
_CARD_TROUBLE: Mapping[str, str] = {"SUSPENDED": "suspended", "EXPIRED": "expired"}


def _today() -> date:
    return timezone.localdate()


def in_days(moment: Moment, today: date | None = None) -> str:
    """How far away a day is, in words: "today", "tomorrow", "in 20 days", "2 days ago"."""
    days = (day_of(moment) - (today or _today())).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


def next_expiry(
    customer: Customer, program: Program, today: date | None = None
) -> PointsExpiry | None:
    """The program's next batch of points to expire (expiry schedules), None when none is due
    or the answer carries no schedule. Batches due the same day are added up."""
    today = today or _today()
    due = [
        batch
        for batch in customer.expiry_schedules
        if batch.program_id == program.program_id
        and batch.expiry_date is not None
        and not batch.never_expires
        and batch.points
        and day_of(batch.expiry_date) >= today
    ]
    if not due:
        return None
    first = min(day_of(batch.expiry_date) for batch in due if batch.expiry_date is not None)
    same_day = [b for b in due if b.expiry_date is not None and day_of(b.expiry_date) == first]
    total = sum((b.points for b in same_day if b.points is not None), Decimal(0))
    return PointsExpiry(
        points=total,
        expiry_date=first,
        program_id=program.program_id,
        points_type=same_day[0].points_type,
        expiry_type=same_day[0].expiry_type,
    )


def expiry_sentence(
    batch: PointsExpiry | None, schedules_asked: bool, today: date | None = None
) -> str:
    """The next expiry in words: "900 points on 21 Dec 2026 (in 20 days)"."""
    if batch is None or batch.expiry_date is None:
        return "none due" if schedules_asked else "not asked for"
    when = format_moment(batch.expiry_date)
    return f"{format_number(batch.points)} points on {when} ({in_days(batch.expiry_date, today)})"


def upgrade_answer(program: Program) -> str:
    """One sentence on the gap to the next tier, whatever the document carries."""
    if program.is_top_tier:
        return f"Already in the top tier ({tier_name(program.current_tier, 'this program')})."
    if not program.upgrade_strategies:
        return "No upgrade figures in this answer: look the member up again to see them."
    return upgrade_sentence(program, program.upgrade_strategies[0])


def keep_answer(program: Program) -> str:
    """One sentence on what keeps the current tier: the condition met, else the first one."""
    tier = tier_name(program.current_tier, "the current tier")
    if program.current_tier is not None and program.tier_never_expires:
        return f"{tier} does not expire: nothing is needed to keep it."
    steps = program.renew_strategies
    if not steps:
        if program.current_tier is not None and program.current_tier.serial_number == 1:
            return f"{tier} is the base tier: nothing is needed to keep it."
        return "No renewal figures in this answer: look the member up again to see them."
    if len(steps) == 1 or program.tier_never_expires:
        return renew_sentence(program, steps[0])
    rule = renewal.rule_for(program.program_id)
    met = [step for step in steps if step.met]
    if met and rule == renewal.ANY:
        return renew_sentence(program, met[0])
    unmet = [step for step in steps if not step.met and step.gap is not None]
    if not unmet:
        return renew_sentence(program, steps[0])
    expiry = steps[0].until or program.tier_expiry_date
    by = f" by {format_moment(expiry)}" if expiry is not None else ""
    amounts = [quantity(step, step.gap) for step in unmet]
    if rule == renewal.ANY:
        return f"{' or '.join(amounts)}{by} would keep {tier}."
    if rule == renewal.ALL:
        return f"Needs {' and '.join(amounts)}{by} to keep {tier}."
    return (
        f"To keep {tier}{by}: {'; '.join(amounts)} (the program's rule decides whether one "
        "of these is enough)."
    )


@dataclass(frozen=True, slots=True)
class ProgramAnswer:
    """What the overview says about one program."""

    program: Program
    expiry: str
    expiry_soon: bool
    upgrade: str
    keep: str


def program_answers(
    customer: Customer, schedules_asked: bool = True, today: date | None = None
) -> tuple[ProgramAnswer, ...]:
    """Every program's tier, points, next expiry and both gaps, in the document's order."""
    today = today or _today()
    answers = []
    for program in customer.programs or (
        (customer.points_summary,) if customer.points_summary else ()
    ):
        batch = next_expiry(customer, program, today)
        soon = (
            batch is not None
            and batch.expiry_date is not None
            and (day_of(batch.expiry_date) - today).days <= POINTS_EXPIRY_DAYS
        )
        answers.append(
            ProgramAnswer(
                program,
                expiry_sentence(batch, schedules_asked, today),
                soon,
                upgrade_answer(program),
                keep_answer(program),
            )
        )
    return tuple(answers)


@dataclass(frozen=True, slots=True)
class Attention:
    """One thing the agent should raise with the member; `badge` colours it (customer.css)."""

    text: str
    badge: str
    # Sort key: the rank of its kind, then how many days away.
    rank: tuple[int, int]
    # For card trouble: the Cards tab's status filter that lists them ("" for all cards).
    cards_filter: str | None = None


def _program_name(program: Program) -> str:
    return program.title or (
        f"program {program.program_id}" if program.program_id else "the program"
    )


def needs_attention(customer: Customer, today: date | None = None) -> tuple[Attention, ...]:
    """What needs attention, in plain words, most urgent first: a fraud flag, then whatever is
    dated (points expiring within 30 days, a tier ending within 60 days not yet renewed) by
    date, then suspended or expired cards, the backend's warnings and pending points."""
    today = today or _today()
    items: list[Attention] = []
    fraud = customer.fraud_details
    if fraud is not None and fraud.is_flagged:
        items.append(
            Attention(
                f"Marked as fraud: {fraud_sentence(fraud)}. {fraud_advice()}", "status-bad", (0, 0)
            )
        )
    programs = customer.programs or ((customer.points_summary,) if customer.points_summary else ())
    for program in programs:
        batch = next_expiry(customer, program, today)
        if batch is not None and batch.expiry_date is not None:
            days = (day_of(batch.expiry_date) - today).days
            if days <= POINTS_EXPIRY_DAYS:
                amount, name = format_number(batch.points), _program_name(program)
                when = f"{format_moment(batch.expiry_date)} ({in_days(batch.expiry_date, today)})"
                text = f"{amount} points in {name} expire on {when}."
                items.append(Attention(text, "status-warn", (1, days)))
        expiry = program.tier_expiry_date
        confirmed = program.renew_summary is not None and program.renew_summary.renew_confirmed
        if (
            program.current_tier is not None
            and expiry is not None
            and not program.tier_never_expires
            and not confirmed
        ):
            days = (day_of(expiry) - today).days
            if 0 <= days <= TIER_EXPIRY_DAYS:
                items.append(
                    Attention(
                        f"{program.current_tier.name} in {_program_name(program)} ends on "
                        f"{format_moment(expiry)} ({in_days(expiry, today)}) and is not renewed "
                        f"yet. {keep_answer(program)}",
                        "status-warn",
                        (1, days),
                    )
                )
    troubled: dict[str, int] = {}
    labels: set[str] = set()
    for card in customer.cards:
        status = card.status.status.upper() if card.status is not None else ""
        if status in _CARD_TROUBLE:
            troubled[status] = troubled.get(status, 0) + 1
            labels.add(card.status_label or "no status")
    if troubled:
        parts = [
            f"{count} {'card' if count == 1 else 'cards'} {_CARD_TROUBLE[status]}"
            for status, count in troubled.items()
        ]
        only = labels.pop() if len(labels) == 1 else ""
        items.append(Attention(f"{' and '.join(parts)}.", "status-warn", (2, 0), only))
    for warning in customer.warnings:
        text = warning_sentence(warning)
        if text:
            items.append(Attention(text, "status-info", (3, 0)))
    for program in programs:
        if program.delayed_points:
            items.append(
                Attention(
                    f"{format_number(program.delayed_points)} points {glossary.word('pending')} "
                    f"in {_program_name(program)}: not yet {glossary.word('available')}.",
                    "status-info",
                    (4, 0),
                )
            )
    return tuple(sorted(items, key=lambda item: item.rank))
