"""A program's figures: points and alternate currencies in every state, in the glossary's words;
the tier ladder, never naming a tier the document does not; the points headline an agent reads
first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.capillary.records import AlternateCurrency, Customer, GroupProgram, Program
from customers.pages import glossary
from customers.pages.glossary import Term
from customers.pages.numbers import format_number, numerals, plural_count


@dataclass(frozen=True, slots=True)
class PointsLine:
    """One state of a program's points or of a currency: its glossary term, the figure and the
    block it was read from (glossary.POINTS, CURRENCY, GROUP), which names its API field."""

    term: Term
    value: Decimal | None
    block: str

    @property
    def key(self) -> str:
        """Stable for CSS and tests: the glossary key."""
        return self.term.key

    @property
    def label(self) -> str:
        return self.term.label

    @property
    def help(self) -> str:
        return self.term.meaning

    @property
    def hint(self) -> str:
        return self.term.hint(self.block)


def _lines(block: str, *figures: tuple[str, Decimal | None]) -> tuple[PointsLine, ...]:
    return tuple(PointsLine(glossary.term(key), value, block) for key, value in figures)


def points_by_state(program: Program) -> tuple[PointsLine, ...]:
    """Every points state of a program, in the order an agent explains them."""
    return _lines(
        glossary.POINTS,
        ("available", program.loyalty_points),
        ("pending", program.delayed_points),
        ("available_and_pending", program.total_available_points),
        ("lifetime", program.lifetime_points),
        ("redeemed", program.redeemed),
        ("expired", program.expired),
        ("returned", program.returned),
        ("adjusted", program.adjusted),
        ("pending_returned", program.delayed_returned_points),
        ("pending_expired", program.delayed_expired_points),
    )


def currency_by_state(currency: AlternateCurrency) -> tuple[PointsLine, ...]:
    """Every state of an alternate currency, in the same words and order as points.

    What can be spent is `earned`; `totalAvailable` adds the pending (promised) amount, so it is
    never shown as what is available (Capillary's reference defines the three so)."""
    return _lines(
        glossary.CURRENCY,
        ("available", currency.earned),
        ("pending", currency.delayed_earned),
        ("available_and_pending", currency.total_available),
        ("lifetime", currency.lifetime_earned),
        ("redeemed", currency.redeemed),
        ("expired", currency.expired),
        ("returned", currency.returned),
        ("pending_returned", currency.delayed_returned),
        ("pending_expired", currency.delayed_expired),
        ("lifetime_pending", currency.delayed_lifetime_earned),
    )


def group_by_state(group: GroupProgram) -> tuple[PointsLine, ...]:
    """A group loyalty program's pooled points: promisedPoints is its pending figure."""
    return _lines(
        glossary.GROUP,
        ("available", group.loyalty_points),
        ("pending", group.promised_points),
        ("lifetime", group.lifetime_points),
    )


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of a tier ladder. state: "reached", "current", "next" or "between"; name is a
    tier's name as the document gives it, "" for tiers it does not name (label then says how
    many); label says the state in words ("current · top tier", "2 lower tiers", ...)."""

    name: str
    state: str
    label: str


def _lower_tiers(count: int) -> str:
    return ngettext("%(count)s lower tier", "%(count)s lower tiers", count) % {
        "count": numerals(str(count))
    }


def _more_tiers(count: int) -> str:
    # Translators: tiers between the current and the next one, which the document does not name.
    return ngettext("%(count)s more tier", "%(count)s more tiers", count) % {
        "count": numerals(str(count))
    }


def tier_ladder(program: Program) -> tuple[Rung, ...]:
    """The tiers from the base to the next one, as far as the document tells.

    The document names only the current and the next tier: tiers below or between are counted
    by their serial numbers, never given names the document does not contain.
    """
    current = program.current_tier
    if current is None:
        return ()
    serial = current.serial_number if current.serial_number and current.serial_number > 0 else 1
    rungs = []
    if serial > 1:
        rungs.append(Rung("", "reached", _lower_tiers(serial - 1)))
    # Translators: the state of a rung of a tier ladder.
    here = _("current · top tier") if program.is_top_tier else _("current")
    rungs.append(Rung(current.name, "current", here))
    following = program.next_tier
    if following is not None:
        next_serial = following.serial_number
        if next_serial is not None and next_serial > serial + 1:
            rungs.append(Rung("", "between", _more_tiers(next_serial - serial - 1)))
        # Translators: the state of a rung of a tier ladder: the next tier.
        rungs.append(Rung(following.name, "next", _("next")))
    return tuple(rungs)


def _main_program(customer: Customer) -> Program | None:
    if customer.points_summary is not None and customer.points_summary.title:
        return customer.points_summary
    return customer.programs[0] if customer.programs else customer.points_summary


def points_headline(customer: Customer) -> str:
    """The one line an agent reads first about points, in the glossary's words."""
    program = _main_program(customer)
    if program is None or program.loyalty_points is None:
        return ""
    values = {
        "amount": format_number(program.loyalty_points),
        "program": program.title,
        "pending": format_number(program.delayed_points),
    }
    n = plural_count(program.loyalty_points)
    # Translators: "available to redeem" and "pending" are the glossary's terms.
    if program.title and program.delayed_points:
        text = ngettext(
            "%(amount)s point available to redeem in %(program)s (%(pending)s pending)",
            "%(amount)s points available to redeem in %(program)s (%(pending)s pending)",
            n,
        )
    elif program.title:
        text = ngettext(
            "%(amount)s point available to redeem in %(program)s",
            "%(amount)s points available to redeem in %(program)s",
            n,
        )
    elif program.delayed_points:
        text = ngettext(
            "%(amount)s point available to redeem (%(pending)s pending)",
            "%(amount)s points available to redeem (%(pending)s pending)",
            n,
        )
    else:
        text = ngettext(
            "%(amount)s point available to redeem", "%(amount)s points available to redeem", n
        )
    headline = text % values
    others = len(customer.programs) - 1
    if others > 0:
        # Translators: %(headline)s is the points headline; then how many other programs.
        headline = ngettext(
            "%(headline)s; %(count)s more program", "%(headline)s; %(count)s more programs", others
        ) % {"headline": headline, "count": numerals(str(others))}
    return headline
