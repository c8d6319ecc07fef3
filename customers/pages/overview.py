"""The overview's answers: per program the next expiry and one sentence each for upgrading and
keeping the tier; and what needs the agent's attention, most urgent first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from customers.capillary.query import GAP_TO_RENEW, GAP_TO_UPGRADE, LookupQuery
from customers.capillary.records import Customer, Moment, PointsExpiry, Program
from customers.pages import coverage, glossary, renewal
from customers.pages.backend_warnings import fraud_advice, warning_sentence
from customers.pages.gaps import (
    quantity,
    renew_sentence,
    root_renew_sentence,
    root_upgrade_sentence,
    tier_name,
    upgrade_sentence,
)
from customers.pages.numbers import day_of, format_moment, format_number, org_today
from customers.pages.profile import UNEXPLAINED_FRAUD, fraud_sentence

# How far ahead an expiry or a tier's end counts as needing attention, in days.
POINTS_EXPIRY_DAYS = 30
TIER_EXPIRY_DAYS = 60
# Card statuses the agent must mention to the member: status -> the word for it.
_CARD_TROUBLE: Mapping[str, str] = {"SUSPENDED": "suspended", "EXPIRED": "expired"}


def _today() -> date:
    return org_today()


def as_of(days: int | None) -> str:
    """How a gap asked N days ahead is quoted: " (as of 30 days from today)"; "" for today."""
    if not days:
        return ""
    return f" (as of {days} {'day' if days == 1 else 'days'} from today)"


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
    batch: PointsExpiry | None,
    schedules_asked: bool | coverage.Coverage,
    today: date | None = None,
) -> str:
    """The next expiry in words: "900 points on 21 Dec 2026 (in 20 days)". Without a batch,
    "none due" only when the answer carried the schedule; else not in this answer, and why."""
    if batch is None or batch.expiry_date is None:
        if isinstance(schedules_asked, coverage.Coverage):
            if schedules_asked.known:
                return "none due"
            reason = schedules_asked.reason
            return (
                f"not in this answer ({reason})"
                if schedules_asked.state != "unknown"
                else ("not in this answer")
            )
        return "none due" if schedules_asked else "not asked for"
    when = format_moment(batch.expiry_date)
    return f"{format_number(batch.points)} points on {when} ({in_days(batch.expiry_date, today)})"


def _missing(what: str, found: coverage.Coverage) -> str:
    """A gap the answer did not carry, with the reason and, where a search can bring it, how."""
    if found.state == coverage.NOT_SENT:
        return f"No {what} figures came for this program, though the search asked for them."
    if found.state == coverage.UNKNOWN:
        return f"No {what} figures in this answer."
    advice = f" {found.advice}" if found.advice else ""
    return f"No {what} figures in this answer ({found.reason}).{advice}"


# The heading under which gaps at the document's root that name no program are shown.
ROOT_GAPS = "Gaps at the document's root, program not named"


def _at_root(what: str) -> str:
    return (
        f"The answer's {what} figures came at the document's root without naming a program: "
        f"see “{ROOT_GAPS}”."
    )


def upgrade_answer(
    program: Program,
    query: LookupQuery | None = None,
    left_out: tuple[str, ...] = (),
    *,
    root: bool = False,
) -> str:
    """One sentence on the gap to the next tier, whatever the document carries, with its "as
    of" when the search asked it some days ahead. `root`: the answer carries upgrade figures
    at its root that name no program (they may be this program's)."""
    if program.is_top_tier:
        return f"Already in the top tier ({tier_name(program.current_tier, 'this program')})."
    if not program.upgrade_strategies:
        if root:
            return _at_root("upgrade")
        found = coverage.gap_coverage(program, GAP_TO_UPGRADE, query, left_out)
        if found.state == coverage.NONE:
            return "No upgrade figures came for this program."
        return _missing("upgrade", found)
    days = query.gap_to_upgrade if query is not None else None
    sentence = upgrade_sentence(program, program.upgrade_strategies[0])
    return _with_as_of(sentence, days)


def _with_as_of(sentence: str, days: int | None) -> str:
    note = as_of(days)
    if not note:
        return sentence
    return f"{sentence[:-1]}{note}." if sentence.endswith(".") else f"{sentence}{note}"


def keep_answer(
    program: Program,
    query: LookupQuery | None = None,
    left_out: tuple[str, ...] = (),
    *,
    root: bool = False,
) -> str:
    """One sentence on what keeps the current tier: the condition met, else the first one.
    `root`: the answer carries renewal figures at its root that name no program."""
    days = query.gap_to_renew if query is not None else None
    return (
        _with_as_of(_keep(program, query, left_out, root), days)
        if program.renew_strategies
        else (_keep(program, query, left_out, root))
    )


def root_kinds(customer: Customer, program: Program) -> tuple[bool, bool]:
    """Whether the answer carries upgrade and renewal figures at its root that name no
    program, for one of its own programs (a user group's programs have their own)."""
    if not any(program is own for own in customer.all_programs):
        return False, False
    return bool(customer.upgrade_strategies), customer.renew_summary is not None


def root_gap_lines(customer: Customer, query: LookupQuery | None = None) -> tuple[str, ...]:
    """The gaps at the document's root that name no program, one sentence each, with their
    "as of" when the search asked them some days ahead; () when there are none."""
    upgrade_days = query.gap_to_upgrade if query is not None else None
    renew_days = query.gap_to_renew if query is not None else None
    lines = [
        _with_as_of(root_upgrade_sentence(step), upgrade_days)
        for step in customer.upgrade_strategies
    ]
    summary = customer.renew_summary
    if summary is not None:
        expiry = format_moment(summary.tier_expiry_date)
        confirmed = (
            ""
            if summary.renew_confirmed is None
            else "renewal confirmed"
            if summary.renew_confirmed
            else "renewal not confirmed yet"
        )
        facts = "; ".join(
            part for part in (f"tier expiry {expiry}" if expiry else "", confirmed) if part
        )
        if facts:
            lines.append(f"Renewal summary: {facts}.")
        several = len(summary.strategies) > 1
        lines += [
            _with_as_of(root_renew_sentence(step, several), renew_days)
            for step in summary.strategies
        ]
        if several:
            lines.append(
                "Capillary does not say whether one of these or all of them keep the tier."
            )
    return tuple(lines)


def _keep(
    program: Program, query: LookupQuery | None, left_out: tuple[str, ...], root: bool = False
) -> str:
    tier = tier_name(program.current_tier, "the current tier")
    if program.current_tier is not None and program.is_base_tier and not program.renew_strategies:
        return f"{tier} is the base tier: nothing is needed to keep it."
    if program.current_tier is not None and program.tier_never_expires:
        return f"{tier} does not expire: nothing is needed to keep it."
    steps = program.renew_strategies
    if not steps:
        if root and program.renew_summary is None:
            return _at_root("renewal")
        found = coverage.gap_coverage(program, GAP_TO_RENEW, query, left_out)
        if found.state == coverage.NONE:
            return "No renewal figures came for this program."
        return _missing("renewal", found)
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
    customer: Customer,
    schedules_asked: bool | None = None,
    today: date | None = None,
    *,
    query: LookupQuery | None = None,
    left_out: tuple[str, ...] = (),
) -> tuple[ProgramAnswer, ...]:
    """Every program's tier, points, next expiry and both gaps, in the document's order."""
    today = today or _today()
    answers = []
    schedule: bool | coverage.Coverage = (
        schedules_asked
        if schedules_asked is not None
        else coverage.coverage(customer, "expiry schedule", query, left_out)
    )
    for program in customer.all_programs:
        upgrade_root, renew_root = root_kinds(customer, program)
        batch = next_expiry(customer, program, today)
        soon = (
            batch is not None
            and batch.expiry_date is not None
            and (day_of(batch.expiry_date) - today).days <= POINTS_EXPIRY_DAYS
        )
        answers.append(
            ProgramAnswer(
                program,
                expiry_sentence(batch, schedule, today),
                soon,
                upgrade_answer(program, query, left_out, root=upgrade_root),
                keep_answer(program, query, left_out, root=renew_root),
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
    """What needs attention, in plain words, most urgent first: a fraud flag (or a fraud
    status the document gives no meaning) and a negative balance, then whatever is dated
    (points and promotional points expiring within 30 days, a tier ending within 60 days whose
    renewal the answer does not confirm, never the base tier) by date, then suspended or
    expired cards and ACTIVE cards that may not work, the backend's warnings and pending
    points."""
    today = today or _today()
    items: list[Attention] = []
    fraud = customer.fraud_details
    if fraud is not None and fraud.is_flagged:
        items.append(
            Attention(
                f"Marked as fraud: {fraud_sentence(fraud)}. The points available to redeem are "
                f"not a promise: the org's fraud rules may block redeeming them. {fraud_advice()}",
                "status-bad",
                (0, 0),
            )
        )
    elif fraud is not None and fraud.is_unexplained:
        items.append(
            Attention(
                f"Fraud status {fraud_sentence(fraud)}, {UNEXPLAINED_FRAUD}.",
                "status-info",
                (0, 2),
            )
        )
    programs = customer.all_programs
    for program in programs:
        if program.loyalty_points is not None and program.loyalty_points < 0:
            items.append(
                Attention(
                    f"Below zero in {_program_name(program)}: "
                    f"{format_number(program.loyalty_points)} points "
                    f"{glossary.word('available')}.",
                    "status-bad",
                    (0, 1),
                )
            )
    for promotion in customer.promotional_points:
        expiry = promotion.expiry_date
        if expiry is None or promotion.never_expires or not promotion.points:
            continue
        days = (day_of(expiry) - today).days
        if 0 <= days <= POINTS_EXPIRY_DAYS:
            name = f" ({promotion.promotion_name})" if promotion.promotion_name else ""
            items.append(
                Attention(
                    f"{format_number(promotion.points)} promotional points{name} expire on "
                    f"{format_moment(expiry)} ({in_days(expiry, today)}).",
                    "status-warn",
                    (1, days),
                )
            )
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
        summary = program.renew_summary
        # renewConfirmed as sent: True, False, or None when the answer does not say.
        confirmed = summary.renew_confirmed if summary is not None else None
        if (
            program.current_tier is not None
            and expiry is not None
            and not program.tier_never_expires
            and not program.is_base_tier
            and confirmed is not True
        ):
            days = (day_of(expiry) - today).days
            if 0 <= days <= TIER_EXPIRY_DAYS:
                ends = (
                    f"{program.current_tier.name} in {_program_name(program)} ends on "
                    f"{format_moment(expiry)} ({in_days(expiry, today)})"
                )
                _, renew_root = root_kinds(customer, program)
                keep = keep_answer(program, root=renew_root)
                if confirmed is False:
                    text = f"{ends} and is not renewed yet. {keep}"
                elif program.renew_strategies or renew_root:
                    text = f"{ends}; renewal not in this answer. {keep}"
                else:
                    text = f"{ends}; renewal not in this answer."
                items.append(Attention(text, "status-warn", (1, days)))
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
    unusable: dict[str, int] = {}
    for card in customer.cards:
        for reason in card.active_but_unusable(today):
            unusable[reason] = unusable.get(reason, 0) + 1
    if unusable:
        parts = [
            f"{count} ACTIVE {'card' if count == 1 else 'cards'} {reason}"
            for reason, count in unusable.items()
        ]
        text = f"{' and '.join(parts)}: may not work at the till."
        items.append(Attention(text, "status-warn", (2, 1), ""))
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


# What "Nothing urgent" may claim: each check, and the block the answer needs to make it.
_CHECKS = (
    ("no points expiring within 30 days", "expiry schedule"),
    ("no tier ending within 60 days", "programs"),
    ("no fraud flag", "fraud details"),
    ("no card problem", "cards"),
)


@dataclass(frozen=True, slots=True)
class Checked:
    """What Needs attention could check in this answer, and what it could not (and why)."""

    checked: tuple[str, ...]
    unchecked: tuple[str, ...]

    @property
    def nothing_urgent(self) -> str:
        """ "Nothing urgent: no fraud flag, no card problem." about the checked part only."""
        if not self.checked:
            return "Nothing to check in this answer."
        return f"Nothing urgent in what this answer covers: {', '.join(self.checked)}."

    @property
    def not_checked(self) -> str:
        """ "Not checked: fraud details (not asked for in this search)." or ""."""
        return f"Not checked: {'; '.join(self.unchecked)}." if self.unchecked else ""


def attention_checks(
    customer: Customer, query: LookupQuery | None = None, left_out: tuple[str, ...] = ()
) -> Checked:
    """Which of Needs attention's checks this answer covers: each needs its block (points
    expiring need the expiry schedule, a tier ending the programs, ...)."""
    checked, unchecked = [], []
    for claim, block in _CHECKS:
        if block == "programs":
            found = (
                coverage.Coverage("programs", coverage.SHOWN)
                if customer.all_programs
                else coverage.coverage(customer, "programs", query, left_out)
            )
        else:
            found = coverage.coverage(customer, block, query, left_out)
        if found.known:
            checked.append(claim)
        else:
            why = f" ({found.reason})" if found.state != coverage.UNKNOWN else ""
            unchecked.append(f"{found.name}{why}")
    return Checked(tuple(checked), tuple(unchecked))
