"""What the member needs to upgrade or keep a tier, in sentences: the gaps to upgrade and renew
with their quantities ("1,250 more points"), what a strategy counts, progress captions, and how
several renewal conditions combine as far as the org's rule is known (renewal.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from customers.capillary.records import Program, Progress, Tier
from customers.pages import renewal
from customers.pages.numbers import format_moment, format_number

# What a strategy counts, as (singular, plural) nouns after "more"; amounts of money read
# "12,000 more in purchases" because the currency is the org's and not in the document.
_UNITS: Mapping[str, tuple[str, str]] = {
    "VISITS": ("visit", "visits"),
    "VISIT": ("visit", "visits"),
    "POINTS": ("point", "points"),
    "CURRENT_POINTS": ("point", "points"),
    "LIFETIME_POINTS": ("lifetime point", "lifetime points"),
    "PURCHASE": ("in purchases", "in purchases"),
    "PURCHASES": ("in purchases", "in purchases"),
    "CUMULATIVE_PURCHASES": ("in purchases", "in purchases"),
    "LIFETIME_PURCHASES": ("in lifetime purchases", "in lifetime purchases"),
}

# What a strategy is based on, as words after "based on"; other kinds are their code in words.
_STRATEGY_KINDS: Mapping[str, str] = {
    "CUMULATIVE_PURCHASES": "purchases",
    "CURRENT_POINTS": "points",
    "TRACKER_VALUE_BASED": "tracked spend",
    "VISITS": "visits",
    "PURCHASE": "purchases",
    "POINTS": "points",
    "TRACKER": "tracked value",
}

# Words a tier description adds to the tier's name without saying more ("Silver tier").
_TIER_WORDS = re.compile(
    r"^[\s\-:,.;\u00b7\u2013\u2014]*(?:(?:tier|slab|level)\b)?[\s\-:,.;\u00b7\u2013\u2014]*", re.I
)


def _units(step: Progress) -> tuple[str, str]:
    based_on = step.based_on.strip().upper()
    if based_on in _UNITS:
        return _UNITS[based_on]
    if based_on.startswith("TRACKER"):
        for item in step.identifiers:
            name = str(item.get("tracker_name") or item.get("trackerName") or "").strip()
            if name:
                return (f"on the {name}", f"on the {name}")
        return ("on the tracker", "on the tracker")
    words = based_on.replace("_", " ").lower()
    return (words, words) if words else ("", "")


def quantity(step: Progress, amount: Decimal | None) -> str:
    """The amount with its unit: "1,250 more points", "1 more visit", "12,000 more in ..."."""
    singular, plural = _units(step)
    unit = singular if amount == 1 else plural
    return " ".join(part for part in (format_number(amount), "more", unit) if part)


def _goal(step: Progress) -> str:
    """The thing a strategy counts, for sentences about a met goal: "visits", "purchases"."""
    _, plural = _units(step)
    return plural.removeprefix("in ").removeprefix("on the ") or "goal"


def tier_name(tier: Any, fallback: str) -> str:
    """A tier's name, or `fallback` when the document gives none."""
    return tier.name if tier is not None and tier.name else fallback


def upgrade_sentence(program: Program, step: Progress) -> str:
    """What the member needs to reach the next tier on one upgrade strategy.

    No deadline: valueValidUpto is the date until which the current value stays valid, not a
    date to reach the next tier by (see value_valid_sentence)."""
    if program.is_top_tier:
        return f"Already in the top tier ({tier_name(program.current_tier, 'this program')})."
    target = tier_name(program.next_tier, "the next tier")
    if step.gap is None:
        return f"The backend sent no figures for reaching {target}."
    if step.met:
        return f"Meets the {_goal(step)} goal for {target}."
    return f"Needs {quantity(step, step.gap)} to reach {target}."


def group_upgrade_sentence(step: Progress) -> str:
    """What a user group needs to reach its next tier (the group's own gapToUpgrade, which does
    not name the tier)."""
    if step.gap is None:
        return "The backend sent no figures for the group's next tier."
    if step.met:
        return f"The group meets the {_goal(step)} goal for its next tier."
    return f"The group needs {quantity(step, step.gap)} to reach its next tier."


def root_upgrade_sentence(step: Progress) -> str:
    """An upgrade gap at the document's root that names no program: the next tier unnamed."""
    if step.gap is None:
        return "The backend sent no figures for reaching the next tier."
    if step.met:
        return f"Meets the {_goal(step)} goal for the next tier."
    return f"Needs {quantity(step, step.gap)} to reach the next tier."


def root_renew_sentence(step: Progress, several: bool) -> str:
    """A renewal condition at the document's root that names no program: the tier unnamed,
    and with several conditions no claim on how they combine (no program, so no org rule)."""
    if step.never_expires:
        return "The tier does not expire: nothing is needed to keep it."
    until = format_moment(step.until) if step.until is not None else ""
    if step.gap is None:
        return "The backend sent no figures for keeping the tier."
    if step.met:
        suffix = f" (tier expires {until})" if until else ""
        return f"Meets the {_goal(step)} goal{suffix}."
    by = f" by {until}" if until else ""
    if several:
        return f"This condition needs {quantity(step, step.gap)}{by}."
    return f"Needs {quantity(step, step.gap)}{by} to keep the tier."


def value_valid_sentence(step: Progress) -> str:
    """Until when the value counted now stays valid (valueValidUpto), "" when not sent or
    when it never lapses: "The current value (3,750 points) stays valid until 31 Dec 2026."."""
    if step.until is None or step.never_expires:
        return ""
    singular, plural = _units(step)
    unit = singular if step.current == 1 else plural
    value = " ".join(part for part in (format_number(step.current), unit) if part)
    what = f"The current value ({value})" if step.current is not None else "The current value"
    return f"{what} stays valid until {format_moment(step.until)}."


def renew_sentence(program: Program, step: Progress) -> str:
    """What one renewal condition asks of the member to keep the current tier.

    Capillary does not say whether several conditions are alternatives or all needed: only a
    program the org configured (renewal.rule_for) gets a sentence that claims either."""
    tier = tier_name(program.current_tier, "the current tier")
    if step.never_expires or program.tier_never_expires:
        return f"{tier} does not expire: nothing is needed to keep it."
    expiry = step.until or program.tier_expiry_date
    until = format_moment(expiry) if expiry is not None else ""
    if step.gap is None:
        return f"The backend sent no figures for keeping {tier}."
    several = len(program.renew_strategies) > 1
    rule = renewal.rule_for(program.program_id) if several else renewal.ALL
    if step.met:
        suffix = f" (tier expires {until})" if until else ""
        if rule == renewal.ANY:
            return f"Meets the {_goal(step)} goal, which keeps {tier}{suffix}."
        if rule == renewal.ALL and not several:
            return f"Meets the {_goal(step)} goal to keep {tier}{suffix}."
        return f"Meets the {_goal(step)} goal{suffix}."
    by = f" by {until}" if until else ""
    if rule == renewal.ANY:
        return f"{quantity(step, step.gap)}{by} would keep {tier}."
    if rule == renewal.ALL:
        return f"Needs {quantity(step, step.gap)}{by} to keep {tier}."
    return f"This condition needs {quantity(step, step.gap)}{by}."


def renewal_note(program: Program) -> str:
    """How the renewal conditions combine, as far as the org has said ("" for one condition)."""
    if len(program.renew_strategies) < 2:
        return ""
    tier = tier_name(program.current_tier, "the tier")
    rule = renewal.rule_for(program.program_id)
    if rule == renewal.ANY:
        return f"Meeting any one of these keeps {tier}."
    if rule == renewal.ALL:
        return f"All of these are needed to keep {tier}."
    return (
        f"Capillary does not say whether one of these or all of them keep {tier}: "
        "the program's own rule decides."
    )


def strategy_kind(based_on: str) -> str:
    """What a strategy counts, for "based on ...": TRACKER_VALUE_BASED -> "tracked spend"."""
    code = str(based_on).strip()
    return _STRATEGY_KINDS.get(code.upper(), code.replace("_", " ").lower())


def tier_note(tier: Tier | None) -> str:
    """A tier's description to print after its name, without repeating the name.

    "Silver tier" says nothing more than "Silver" and gives ""; "Silver tier: 5% off" gives
    "5% off"; a description that does not start with the name is kept whole.
    """
    if tier is None or not tier.description.strip():
        return ""
    description = tier.description.strip()
    name = tier.name.strip()
    rest = description[len(name) :]
    if not name or not description.casefold().startswith(name.casefold()) or rest[:1].isalnum():
        return description
    return _TIER_WORDS.sub("", rest, count=1).strip()


def progress_caption(step: Progress) -> str:
    """The figures behind a progress bar: "8,000 of 10,000 points (80%)"."""
    _, plural = _units(step)
    unit = plural if plural and not plural.startswith(("in ", "on the ")) else ""
    if step.current is None or step.threshold is None:
        return ""
    figures = f"{format_number(step.current)} of {format_number(step.threshold)}"
    percent = f" ({format_number(step.percent)}%)" if step.percent is not None else ""
    return f"{figures}{' ' + unit if unit else ''}{percent}"


def tier_expiry_dates(program: Program) -> str:
    """Both tier expiry dates, with what each is, when slabExpiryDate and the renewal summary's
    tierExpiryDate name different days; "" when they agree or one is missing."""
    if not program.tier_expiry_dates_differ or program.renew_summary is None:
        return ""
    own = format_moment(program.tier_expiry_date)
    renewal = format_moment(program.renew_summary.tier_expiry_date)
    return (
        f"Two tier expiry dates: {own} (the tier's own) and {renewal} (the renewal "
        "summary's); Capillary sends both and does not say why they differ."
    )
