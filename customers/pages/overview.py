"""The overview's answers: per program the next expiry and one sentence each for upgrading and
keeping the tier; and what needs the agent's attention, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from customers.capillary.query import GAP_TO_RENEW, GAP_TO_UPGRADE, LookupQuery
from customers.capillary.records import Customer, Moment, PointsExpiry, Program
from customers.pages import coverage, renewal
from customers.pages.backend_warnings import fraud_advice, warning_sentence
from customers.pages.cards import NO_STATUS
from customers.pages.gaps import (
    quantity,
    renew_sentence,
    root_renew_sentence,
    root_upgrade_sentence,
    tier_name,
    top_tier_sentence,
    upgrade_sentence,
)
from customers.pages.numbers import (
    day_of,
    format_moment,
    format_number,
    numerals,
    org_today,
    plural_count,
)
from customers.pages.profile import fraud_sentence

# How far ahead an expiry or a tier's end counts as needing attention, in days.
POINTS_EXPIRY_DAYS = 30
TIER_EXPIRY_DAYS = 60
# Card statuses the agent must mention to the member.
_CARD_TROUBLE = ("SUSPENDED", "EXPIRED")
# The marks a sentence may end with, in the shipped languages.
_STOPS = (".", "\N{IDEOGRAPHIC FULL STOP}", "\N{DEVANAGARI DANDA}")


def _today() -> date:
    return org_today()


def with_as_of(sentence: str, days: int | None) -> str:
    """A gap asked N days ahead, quoted with its day: "Needs 1,250 more points to reach Gold
    (as of 30 days from today)."; the sentence as it is for today."""
    if not days:
        return sentence
    stop = sentence[-1] if sentence.endswith(_STOPS) else ""
    # Translators: %(sentence)s is a whole sentence without its full stop, which follows.
    return (
        ngettext(
            "%(sentence)s (as of %(count)s day from today)",
            "%(sentence)s (as of %(count)s days from today)",
            days,
        )
        % {"sentence": sentence.removesuffix(stop), "count": numerals(str(days))}
        + stop
    )


def in_days(moment: Moment, today: date | None = None) -> str:
    """How far away a day is, in words: "today", "tomorrow", "in 20 days", "2 days ago"."""
    days = (day_of(moment) - (today or _today())).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days > 1:
        return ngettext("in %(count)s day", "in %(count)s days", days) % {
            "count": numerals(str(days))
        }
    if days == -1:
        return _("yesterday")
    return ngettext("%(count)s day ago", "%(count)s days ago", -days) % {
        "count": numerals(str(-days))
    }


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
                return _("none due")
            if schedules_asked.state != "unknown":
                # Translators: %(reason)s says why ("not asked for in this search").
                return _("not in this answer (%(reason)s)") % {"reason": schedules_asked.reason}
            return _("not in this answer")
        return _("none due") if schedules_asked else _("not asked for")
    # Translators: the next points to expire: "900 points on 21 Dec 2026 (in 20 days)".
    return ngettext(
        "%(amount)s point on %(date)s (%(when)s)",
        "%(amount)s points on %(date)s (%(when)s)",
        plural_count(batch.points),
    ) % {
        "amount": format_number(batch.points),
        "date": format_moment(batch.expiry_date),
        "when": in_days(batch.expiry_date, today),
    }


def _missing(upgrade: bool, found: coverage.Coverage) -> str:
    """A gap the answer did not carry, with the reason and, where a search can bring it, how."""
    if found.state == coverage.NOT_SENT:
        if upgrade:
            return _("No upgrade figures came for this program, though the search asked for them.")
        return _("No renewal figures came for this program, though the search asked for them.")
    if found.state == coverage.UNKNOWN:
        return (
            _("No upgrade figures in this answer.")
            if upgrade
            else _("No renewal figures in this answer.")
        )
    values = {"reason": found.reason}
    if upgrade:
        # Translators: %(reason)s says why ("not asked for in this search").
        sentence = _("No upgrade figures in this answer (%(reason)s).") % values
    else:
        sentence = _("No renewal figures in this answer (%(reason)s).") % values
    return coverage.with_advice(sentence, found.advice)


# The heading under which gaps at the document's root that name no program are shown.
ROOT_GAPS = gettext_lazy("Gaps at the document's root, program not named")


def _at_root(upgrade: bool) -> str:
    if upgrade:
        # Translators: %(heading)s is the heading "Gaps at the document's root, program not
        # named", translated.
        sentence = _(
            "The answer's upgrade figures came at the document's root without naming a "
            "program: see “%(heading)s”."
        )
    else:
        sentence = _(
            "The answer's renewal figures came at the document's root without naming a "
            "program: see “%(heading)s”."
        )
    return sentence % {"heading": ROOT_GAPS}


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
        return top_tier_sentence(program)
    if not program.upgrade_strategies:
        if root:
            return _at_root(True)
        found = coverage.gap_coverage(program, GAP_TO_UPGRADE, query, left_out)
        if found.state == coverage.NONE:
            return _("No upgrade figures came for this program.")
        return _missing(True, found)
    days = query.gap_to_upgrade if query is not None else None
    sentence = upgrade_sentence(program, program.upgrade_strategies[0])
    return with_as_of(sentence, days)


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
        with_as_of(_keep(program, query, left_out, root), days)
        if program.renew_strategies
        else (_keep(program, query, left_out, root))
    )


def root_kinds(customer: Customer, program: Program) -> tuple[bool, bool]:
    """Whether the answer carries upgrade and renewal figures at its root that name no
    program, for one of its own programs (a user group's programs have their own)."""
    if not any(program is own for own in customer.all_programs):
        return False, False
    return bool(customer.upgrade_strategies), customer.renew_summary is not None


def _root_summary(expiry: str, confirmed: bool | None) -> str:
    """The root renewal summary's facts in one sentence, "" when it sends neither."""
    values = {"date": expiry}
    if expiry:
        if confirmed is None:
            # Translators: %(date)s is the tier's expiry date sent at the document's root.
            return _("Renewal summary: tier expiry %(date)s.") % values
        if confirmed:
            return _("Renewal summary: tier expiry %(date)s; renewal confirmed.") % values
        return _("Renewal summary: tier expiry %(date)s; renewal not confirmed yet.") % values
    if confirmed is None:
        return ""
    if confirmed:
        return _("Renewal summary: renewal confirmed.")
    return _("Renewal summary: renewal not confirmed yet.")


def root_gap_lines(customer: Customer, query: LookupQuery | None = None) -> tuple[str, ...]:
    """The gaps at the document's root that name no program, one sentence each, with their
    "as of" when the search asked them some days ahead; () when there are none."""
    upgrade_days = query.gap_to_upgrade if query is not None else None
    renew_days = query.gap_to_renew if query is not None else None
    lines = [
        with_as_of(root_upgrade_sentence(step), upgrade_days)
        for step in customer.upgrade_strategies
    ]
    summary = customer.renew_summary
    if summary is not None:
        facts = _root_summary(format_moment(summary.tier_expiry_date), summary.renew_confirmed)
        if facts:
            lines.append(facts)
        several = len(summary.strategies) > 1
        lines += [
            with_as_of(root_renew_sentence(step, several), renew_days)
            for step in summary.strategies
        ]
        if several:
            lines.append(
                _("Capillary does not say whether one of these or all of them keep the tier.")
            )
    return tuple(lines)


def _keep(
    program: Program, query: LookupQuery | None, left_out: tuple[str, ...], root: bool = False
) -> str:
    tier = tier_name(program.current_tier, _("the current tier"))
    if program.current_tier is not None and program.is_base_tier and not program.renew_strategies:
        return _("%(tier)s is the base tier: nothing is needed to keep it.") % {"tier": tier}
    if program.current_tier is not None and program.tier_never_expires:
        return _("%(tier)s does not expire: nothing is needed to keep it.") % {"tier": tier}
    steps = program.renew_strategies
    if not steps:
        if root and program.renew_summary is None:
            return _at_root(False)
        found = coverage.gap_coverage(program, GAP_TO_RENEW, query, left_out)
        if found.state == coverage.NONE:
            return _("No renewal figures came for this program.")
        return _missing(False, found)
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
    amounts = [quantity(step, step.gap) for step in unmet]
    values = {
        "tier": tier,
        "date": format_moment(expiry) if expiry is not None else "",
        "either": either(amounts),
        "both": both(amounts),
        "quantities": pgettext("list separator", "; ").join(amounts),
    }
    # Translators: %(either)s / %(both)s are phrases such as "1,250 more points or 2 more
    # visits" / "1,250 more points and 2 more visits".
    if rule == renewal.ANY:
        if expiry is not None:
            return _("%(either)s by %(date)s would keep %(tier)s.") % values
        return _("%(either)s would keep %(tier)s.") % values
    if rule == renewal.ALL:
        if expiry is not None:
            return _("Needs %(both)s by %(date)s to keep %(tier)s.") % values
        return _("Needs %(both)s to keep %(tier)s.") % values
    # Translators: %(quantities)s lists phrases such as "1,250 more points; 2 more visits".
    if expiry is not None:
        return (
            _(
                "To keep %(tier)s by %(date)s: %(quantities)s (the program's rule decides whether "
                "one of these is enough)."
            )
            % values
        )
    return (
        _(
            "To keep %(tier)s: %(quantities)s (the program's rule decides whether one of these is "
            "enough)."
        )
        % values
    )


def either(items: list[str]) -> str:
    """Alternatives as the language lists them: "a or b or c"."""
    text = items[0] if items else ""
    for item in items[1:]:
        # Translators: two alternatives (each a phrase, or a list of them already joined).
        text = _("%(first)s or %(second)s") % {"first": text, "second": item}
    return text


def both(items: list[str]) -> str:
    """Things that all hold, as the language lists them: "a and b and c"."""
    text = items[0] if items else ""
    for item in items[1:]:
        # Translators: two things that both hold (phrases, or a list of them already joined).
        text = _("%(first)s and %(second)s") % {"first": text, "second": item}
    return text


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
    if program.title:
        return program.title
    if program.program_id:
        # Translators: in place of a program's title the document does not give.
        return _("program %(id)s") % {"id": program.program_id}
    return _("the program")


def _troubled_cards(status: str, count: int) -> str:
    values = {"count": numerals(str(count))}
    if status == "SUSPENDED":
        return ngettext("%(count)s card suspended", "%(count)s cards suspended", count) % values
    return ngettext("%(count)s card expired", "%(count)s cards expired", count) % values


# Why an ACTIVE card may not work (Card.active_but_unusable's words), with how many cards.
def _unusable_cards(reason: str, count: int) -> str:
    values = {"count": numerals(str(count)), "reason": reason}
    # Translators: ACTIVE is Capillary's card status, as sent: keep it as it is.
    if reason == "past its expiry date":
        return (
            ngettext(
                "%(count)s ACTIVE card past its expiry date",
                "%(count)s ACTIVE cards past its expiry date",
                count,
            )
            % values
        )
    if reason == "transactions not allowed":
        return (
            ngettext(
                "%(count)s ACTIVE card transactions not allowed",
                "%(count)s ACTIVE cards transactions not allowed",
                count,
            )
            % values
        )
    return (
        ngettext("%(count)s ACTIVE card: %(reason)s", "%(count)s ACTIVE cards: %(reason)s", count)
        % values
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
        # Translators: %(status)s is the fraud status as sent, with when and by whom;
        # %(advice)s is what to do, worded by the org.
        text = _(
            "Marked as fraud: %(status)s. The points available to redeem are not a promise: "
            "the org's fraud rules may block redeeming them. %(advice)s"
        ) % {"status": fraud_sentence(fraud), "advice": fraud_advice()}
        items.append(Attention(text, "status-bad", (0, 0)))
    elif fraud is not None and fraud.is_unexplained:
        # Translators: %(status)s is the fraud status as sent (INTERNAL...), with when and by
        # whom; Capillary's document gives that status no meaning.
        text = _(
            "Fraud status %(status)s, as sent: Capillary's document does not say what this "
            "status means."
        ) % {"status": fraud_sentence(fraud)}
        items.append(Attention(text, "status-info", (0, 2)))
    programs = customer.all_programs
    for program in programs:
        if program.loyalty_points is not None and program.loyalty_points < 0:
            # Translators: "available to redeem" is the glossary's term for spendable points.
            text = ngettext(
                "Below zero in %(program)s: %(amount)s point available to redeem.",
                "Below zero in %(program)s: %(amount)s points available to redeem.",
                plural_count(program.loyalty_points),
            ) % {
                "program": _program_name(program),
                "amount": format_number(program.loyalty_points),
            }
            items.append(Attention(text, "status-bad", (0, 1)))
    for promotion in customer.promotional_points:
        expiry = promotion.expiry_date
        if expiry is None or promotion.never_expires or not promotion.points:
            continue
        days = (day_of(expiry) - today).days
        if 0 <= days <= POINTS_EXPIRY_DAYS:
            values = {
                "amount": format_number(promotion.points),
                "promotion": promotion.promotion_name,
                "date": format_moment(expiry),
                "when": in_days(expiry, today),
            }
            n = plural_count(promotion.points)
            if promotion.promotion_name:
                # Translators: %(promotion)s is the org's name for the promotion; %(when)s
                # says how far away the date is ("in 20 days").
                text = ngettext(
                    "%(amount)s promotional point (%(promotion)s) expires on %(date)s (%(when)s).",
                    "%(amount)s promotional points (%(promotion)s) expire on %(date)s (%(when)s).",
                    n,
                )
            else:
                text = ngettext(
                    "%(amount)s promotional point expires on %(date)s (%(when)s).",
                    "%(amount)s promotional points expire on %(date)s (%(when)s).",
                    n,
                )
            items.append(Attention(text % values, "status-warn", (1, days)))
    for program in programs:
        batch = next_expiry(customer, program, today)
        if batch is not None and batch.expiry_date is not None:
            days = (day_of(batch.expiry_date) - today).days
            if days <= POINTS_EXPIRY_DAYS:
                text = ngettext(
                    "%(amount)s point in %(program)s expires on %(date)s (%(when)s).",
                    "%(amount)s points in %(program)s expire on %(date)s (%(when)s).",
                    plural_count(batch.points),
                ) % {
                    "amount": format_number(batch.points),
                    "program": _program_name(program),
                    "date": format_moment(batch.expiry_date),
                    "when": in_days(batch.expiry_date, today),
                }
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
                values = {
                    "tier": program.current_tier.name,
                    "program": _program_name(program),
                    "date": format_moment(expiry),
                    "when": in_days(expiry, today),
                }
                _no, renew_root = root_kinds(customer, program)
                values["keep"] = keep_answer(program, root=renew_root)
                if confirmed is False:
                    # Translators: %(tier)s is the tier's name; %(keep)s a sentence on what
                    # keeps it.
                    sentence = _(
                        "%(tier)s in %(program)s ends on %(date)s (%(when)s) and is not "
                        "renewed yet. %(keep)s"
                    )
                elif program.renew_strategies or renew_root:
                    # Translators: the answer did not say whether the tier is renewed
                    # (renewConfirmed not sent); %(keep)s a sentence on what keeps it.
                    sentence = _(
                        "%(tier)s in %(program)s ends on %(date)s (%(when)s); renewal not in "
                        "this answer. %(keep)s"
                    )
                else:
                    sentence = _(
                        "%(tier)s in %(program)s ends on %(date)s (%(when)s); renewal not in "
                        "this answer."
                    )
                text = sentence % values
                items.append(Attention(text, "status-warn", (1, days)))
    troubled: dict[str, int] = {}
    labels: set[str] = set()
    for card in customer.cards:
        status = card.status.status.upper() if card.status is not None else ""
        if status in _CARD_TROUBLE:
            troubled[status] = troubled.get(status, 0) + 1
            labels.add(card.status_label or str(NO_STATUS))
    if troubled:
        parts = [_troubled_cards(status, count) for status, count in troubled.items()]
        only = labels.pop() if len(labels) == 1 else ""
        # Translators: what is wrong with the member's cards ("2 cards suspended").
        text = _("%(cards)s.") % {"cards": both(parts)}
        items.append(Attention(text, "status-warn", (2, 0), only))
    unusable: dict[str, int] = {}
    for card in customer.cards:
        for reason in card.active_but_unusable(today):
            unusable[reason] = unusable.get(reason, 0) + 1
    if unusable:
        parts = [_unusable_cards(reason, count) for reason, count in unusable.items()]
        # Translators: %(cards)s says which cards ("1 ACTIVE card past its expiry date").
        text = _("%(cards)s: may not work at the till.") % {"cards": both(parts)}
        items.append(Attention(text, "status-warn", (2, 1), ""))
    for warning in customer.warnings:
        text = warning_sentence(warning)
        if text:
            items.append(Attention(text, "status-info", (3, 0)))
    for program in programs:
        if program.delayed_points:
            # Translators: "pending" and "available to redeem" are the glossary's terms.
            text = ngettext(
                "%(amount)s point pending in %(program)s: not yet available to redeem.",
                "%(amount)s points pending in %(program)s: not yet available to redeem.",
                plural_count(program.delayed_points),
            ) % {
                "amount": format_number(program.delayed_points),
                "program": _program_name(program),
            }
            items.append(Attention(text, "status-info", (4, 0)))
    return tuple(sorted(items, key=lambda item: item.rank))


# What "Nothing urgent" may claim: each check, and the block the answer needs to make it.
_CHECKS: tuple[tuple[Promise, str], ...] = (
    (gettext_lazy("no points expiring within 30 days"), "expiry schedule"),
    (gettext_lazy("no tier ending within 60 days"), "programs"),
    (gettext_lazy("no fraud flag"), "fraud details"),
    (gettext_lazy("no card problem"), "cards"),
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
            return _("Nothing to check in this answer.")
        # Translators: %(checks)s lists what was checked ("no fraud flag, no card problem").
        return _("Nothing urgent in what this answer covers: %(checks)s.") % {
            "checks": pgettext("list separator", ", ").join(self.checked)
        }

    @property
    def not_checked(self) -> str:
        """ "Not checked: fraud details (not asked for in this search)." or ""."""
        if not self.unchecked:
            return ""
        # Translators: %(blocks)s lists blocks and why ("fraud details (not asked for ...)").
        return _("Not checked: %(blocks)s.") % {
            "blocks": pgettext("list separator", "; ").join(self.unchecked)
        }


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
            checked.append(str(claim))
        elif found.state != coverage.UNKNOWN:
            # Translators: a block of the answer ("fraud details") and why it is missing.
            unchecked.append(
                _("%(block)s (%(reason)s)") % {"block": found.label, "reason": found.reason}
            )
        else:
            unchecked.append(found.label)
    return Checked(tuple(checked), tuple(unchecked))
