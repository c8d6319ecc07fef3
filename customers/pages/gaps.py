"""What the member needs to upgrade or keep a tier, in sentences: the gaps to upgrade and renew
with their quantities ("1,250 more points"), what a strategy counts, progress captions, and how
several renewal conditions combine as far as the org's rule is known (renewal.py).

Every sentence is one translatable whole with named placeholders; a quantity ("1,250 more
points") is one phrase per kind of unit, its plural chosen by ngettext."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from customers.capillary.records import Program, Progress, Tier
from customers.pages import renewal
from customers.pages.numbers import format_moment, format_number, plural_count

# What a strategy counts, by its code: the kind of unit its quantities are phrased in.
VISITS, POINTS, LIFETIME_POINTS = "visits", "points", "lifetime points"
PURCHASES, LIFETIME_PURCHASES, TRACKER, OTHER = (
    "purchases",
    "lifetime purchases",
    "tracker",
    "other",
)
_UNITS: Mapping[str, str] = {
    "VISITS": VISITS,
    "VISIT": VISITS,
    "POINTS": POINTS,
    "CURRENT_POINTS": POINTS,
    "LIFETIME_POINTS": LIFETIME_POINTS,
    "PURCHASE": PURCHASES,
    "PURCHASES": PURCHASES,
    "CUMULATIVE_PURCHASES": PURCHASES,
    "LIFETIME_PURCHASES": LIFETIME_PURCHASES,
}

# The thing a kind of unit counts, in "Meets the ... goal".
_GOALS: Mapping[str, Promise] = {
    VISITS: pgettext_lazy("goal", "visits"),
    POINTS: pgettext_lazy("goal", "points"),
    LIFETIME_POINTS: pgettext_lazy("goal", "lifetime points"),
    PURCHASES: pgettext_lazy("goal", "purchases"),
    LIFETIME_PURCHASES: pgettext_lazy("goal", "lifetime purchases"),
    TRACKER: pgettext_lazy("goal", "tracker"),
}

# What a strategy is based on, as words after "based on"; other kinds are their code in words.
_STRATEGY_KINDS: Mapping[str, Promise] = {
    "CUMULATIVE_PURCHASES": pgettext_lazy("based on", "purchases"),
    "CURRENT_POINTS": pgettext_lazy("based on", "points"),
    "TRACKER_VALUE_BASED": pgettext_lazy("based on", "tracked spend"),
    "VISITS": pgettext_lazy("based on", "visits"),
    "PURCHASE": pgettext_lazy("based on", "purchases"),
    "POINTS": pgettext_lazy("based on", "points"),
    "TRACKER": pgettext_lazy("based on", "tracked value"),
}

# Words a tier description adds to the tier's name without saying more ("Silver tier").
_TIER_WORDS = re.compile(
    r"^[\s\-:,.;\u00b7\u2013\u2014]*(?:(?:tier|slab|level)\b)?[\s\-:,.;\u00b7\u2013\u2014]*", re.I
)


def _unit(step: Progress) -> tuple[str, str]:
    """(kind of unit, its words): the tracker's name for TRACKER ("" when unnamed), the code in
    words for OTHER ("" when there is no code); "" for the other kinds."""
    based_on = step.based_on.strip().upper()
    if based_on in _UNITS:
        return _UNITS[based_on], ""
    if based_on.startswith("TRACKER"):
        for item in step.identifiers:
            name = str(item.get("tracker_name") or item.get("trackerName") or "").strip()
            if name:
                return TRACKER, name
        return TRACKER, ""
    return OTHER, based_on.replace("_", " ").lower()


def quantity(step: Progress, amount: Decimal | None) -> str:
    """The amount with its unit: "1,250 more points", "1 more visit", "12,000 more in ..."."""
    kind, words = _unit(step)
    n = plural_count(amount)
    values = {"amount": format_number(amount), "tracker": words, "unit": words}
    # Translators: %(amount)s is a number already formatted ("1,250"); the phrase is what a
    # member still needs, placed in sentences such as "Needs %(quantity)s to reach Gold."
    if kind == VISITS:
        text = ngettext("%(amount)s more visit", "%(amount)s more visits", n)
    elif kind == POINTS:
        text = ngettext("%(amount)s more point", "%(amount)s more points", n)
    elif kind == LIFETIME_POINTS:
        text = ngettext("%(amount)s more lifetime point", "%(amount)s more lifetime points", n)
    elif kind == PURCHASES:
        # Translators: an amount of money without its currency (the org's, not sent).
        text = _("%(amount)s more in purchases")
    elif kind == LIFETIME_PURCHASES:
        text = _("%(amount)s more in lifetime purchases")
    elif kind == TRACKER and words:
        # Translators: %(tracker)s is the name of the org's tracker ("1 Year Spend Tracker").
        text = _("%(amount)s more on the %(tracker)s")
    elif kind == TRACKER:
        text = _("%(amount)s more on the tracker")
    elif words:
        # Translators: %(unit)s is Capillary's code for what is counted, in words.
        text = _("%(amount)s more %(unit)s")
    else:
        text = _("%(amount)s more")
    return (text % values).strip()


def _value(step: Progress, amount: Decimal | None) -> str:
    """The amount counted now with its unit: "3,750 points", "12,000 in purchases"."""
    kind, words = _unit(step)
    n = plural_count(amount)
    values = {"amount": format_number(amount), "tracker": words, "unit": words}
    if kind == VISITS:
        text = ngettext("%(amount)s visit", "%(amount)s visits", n)
    elif kind == POINTS:
        text = ngettext("%(amount)s point", "%(amount)s points", n)
    elif kind == LIFETIME_POINTS:
        text = ngettext("%(amount)s lifetime point", "%(amount)s lifetime points", n)
    elif kind == PURCHASES:
        text = _("%(amount)s in purchases")
    elif kind == LIFETIME_PURCHASES:
        text = _("%(amount)s in lifetime purchases")
    elif kind == TRACKER and words:
        text = _("%(amount)s on the %(tracker)s")
    elif kind == TRACKER:
        text = _("%(amount)s on the tracker")
    elif words:
        text = _("%(amount)s %(unit)s")
    else:
        text = "%(amount)s"
    return (text % values).strip()


def _goal(step: Progress) -> str:
    """The thing a strategy counts, for sentences about a met goal: "visits", "purchases";
    "set" when the answer does not say ("Meets the set goal", never "the goal goal")."""
    kind, words = _unit(step)
    if kind in (TRACKER, OTHER) and words:
        return words
    return str(_GOALS.get(kind) or pgettext_lazy("goal", "set"))


def tier_name(tier: Any, fallback: str) -> str:
    """A tier's name, or `fallback` when the document gives none."""
    return tier.name if tier is not None and tier.name else fallback


def top_tier_sentence(program: Program) -> str:
    # Translators: %(tier)s is the tier's name, or "this program" when it has none.
    return _("Already in the top tier (%(tier)s).") % {
        "tier": tier_name(program.current_tier, _("this program"))
    }


def upgrade_sentence(program: Program, step: Progress) -> str:
    """What the member needs to reach the next tier on one upgrade strategy.

    No deadline: valueValidUpto is the date until which the current value stays valid, not a
    date to reach the next tier by (see value_valid_sentence)."""
    if program.is_top_tier:
        return top_tier_sentence(program)
    # Translators: in place of a tier's name the document does not give.
    target = tier_name(program.next_tier, _("the next tier"))
    if step.gap is None:
        return _("The backend sent no figures for reaching %(tier)s.") % {"tier": target}
    if step.met:
        # Translators: %(goal)s is what is counted ("visits", "points"); %(tier)s a tier.
        return _("Meets the %(goal)s goal for %(tier)s.") % {"goal": _goal(step), "tier": target}
    # Translators: %(quantity)s is a phrase such as "1,250 more points"; %(tier)s a tier.
    return _("Needs %(quantity)s to reach %(tier)s.") % {
        "quantity": quantity(step, step.gap),
        "tier": target,
    }


def group_upgrade_sentence(step: Progress) -> str:
    """What a user group needs to reach its next tier (the group's own gapToUpgrade, which does
    not name the tier)."""
    if step.gap is None:
        return _("The backend sent no figures for the group's next tier.")
    if step.met:
        return _("The group meets the %(goal)s goal for its next tier.") % {"goal": _goal(step)}
    return _("The group needs %(quantity)s to reach its next tier.") % {
        "quantity": quantity(step, step.gap)
    }


def root_upgrade_sentence(step: Progress) -> str:
    """An upgrade gap at the document's root that names no program: the next tier unnamed."""
    if step.gap is None:
        return _("The backend sent no figures for reaching the next tier.")
    if step.met:
        # Translators: %(goal)s is what is counted ("visits", "points").
        return _("Meets the %(goal)s goal for the next tier.") % {"goal": _goal(step)}
    # Translators: %(quantity)s is a phrase such as "1,250 more points".
    return _("Needs %(quantity)s to reach the next tier.") % {"quantity": quantity(step, step.gap)}


def root_renew_sentence(step: Progress, several: bool) -> str:
    """A renewal condition at the document's root that names no program: the tier unnamed,
    and with several conditions no claim on how they combine (no program, so no org rule)."""
    if step.never_expires:
        return _("The tier does not expire: nothing is needed to keep it.")
    until = format_moment(step.until) if step.until is not None else ""
    if step.gap is None:
        return _("The backend sent no figures for keeping the tier.")
    if step.met:
        return _met(None, several, _goal(step), "", until)
    values = {"quantity": quantity(step, step.gap), "date": until}
    if several:
        if until:
            return _("This condition needs %(quantity)s by %(date)s.") % values
        return _("This condition needs %(quantity)s.") % values
    if until:
        # Translators: %(quantity)s is a phrase such as "1,250 more points".
        return _("Needs %(quantity)s by %(date)s to keep the tier.") % values
    return _("Needs %(quantity)s to keep the tier.") % values


def value_valid_sentence(step: Progress) -> str:
    """Until when the value counted now stays valid (valueValidUpto), "" when not sent or
    when it never lapses: "The current value (3,750 points) stays valid until 31 Dec 2026."."""
    if step.until is None or step.never_expires:
        return ""
    until = format_moment(step.until)
    if step.current is None:
        return _("The current value stays valid until %(date)s.") % {"date": until}
    # Translators: %(value)s is an amount with its unit ("3,750 points").
    return _("The current value (%(value)s) stays valid until %(date)s.") % {
        "value": _value(step, step.current),
        "date": until,
    }


def _met(rule: str | None, several: bool, goal: str, tier: str, until: str) -> str:
    """A renewal condition the member meets, in the words its rule allows."""
    values = {"goal": goal, "tier": tier, "date": until}
    if rule == renewal.ANY:
        if until:
            return _("Meets the %(goal)s goal, which keeps %(tier)s (tier expires %(date)s).") % (
                values
            )
        return _("Meets the %(goal)s goal, which keeps %(tier)s.") % values
    if rule == renewal.ALL and not several:
        if until:
            return _("Meets the %(goal)s goal to keep %(tier)s (tier expires %(date)s).") % values
        return _("Meets the %(goal)s goal to keep %(tier)s.") % values
    if until:
        return _("Meets the %(goal)s goal (tier expires %(date)s).") % values
    return _("Meets the %(goal)s goal.") % values


def renew_sentence(program: Program, step: Progress) -> str:
    """What one renewal condition asks of the member to keep the current tier.

    Capillary does not say whether several conditions are alternatives or all needed: only a
    program the org configured (renewal.rule_for) gets a sentence that claims either."""
    tier = tier_name(program.current_tier, _("the current tier"))
    if step.never_expires or program.tier_never_expires:
        return _("%(tier)s does not expire: nothing is needed to keep it.") % {"tier": tier}
    expiry = step.until or program.tier_expiry_date
    until = format_moment(expiry) if expiry is not None else ""
    if step.gap is None:
        return _("The backend sent no figures for keeping %(tier)s.") % {"tier": tier}
    several = len(program.renew_strategies) > 1
    rule = renewal.rule_for(program.program_id) if several else renewal.ALL
    if step.met:
        return _met(rule, several, _goal(step), tier, until)
    values = {"quantity": quantity(step, step.gap), "date": until, "tier": tier}
    if rule == renewal.ANY:
        if until:
            # Translators: %(quantity)s is a phrase such as "1,250 more points".
            return _("%(quantity)s by %(date)s would keep %(tier)s.") % values
        return _("%(quantity)s would keep %(tier)s.") % values
    if rule == renewal.ALL:
        if until:
            return _("Needs %(quantity)s by %(date)s to keep %(tier)s.") % values
        return _("Needs %(quantity)s to keep %(tier)s.") % values
    if until:
        return _("This condition needs %(quantity)s by %(date)s.") % values
    return _("This condition needs %(quantity)s.") % values


def renewal_note(program: Program) -> str:
    """How the renewal conditions combine, as far as the org has said ("" for one condition)."""
    if len(program.renew_strategies) < 2:
        return ""
    tier = {"tier": tier_name(program.current_tier, _("the tier"))}
    rule = renewal.rule_for(program.program_id)
    if rule == renewal.ANY:
        return _("Meeting any one of these keeps %(tier)s.") % tier
    if rule == renewal.ALL:
        return _("All of these are needed to keep %(tier)s.") % tier
    return (
        _(
            "Capillary does not say whether one of these or all of them keep %(tier)s: "
            "the program's own rule decides."
        )
        % tier
    )


def strategy_kind(based_on: str) -> str:
    """What a strategy counts, for "based on ...": TRACKER_VALUE_BASED -> "tracked spend"."""
    code = str(based_on).strip()
    known = _STRATEGY_KINDS.get(code.upper())
    return str(known) if known is not None else code.replace("_", " ").lower()


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
    if step.current is None or step.threshold is None:
        return ""
    kind, words = _unit(step)
    values = {
        "current": format_number(step.current),
        "threshold": format_number(step.threshold),
        "unit": words,
    }
    # Translators: %(current)s and %(threshold)s are figures already formatted ("8,000").
    if kind == VISITS:
        figures = _("%(current)s of %(threshold)s visits") % values
    elif kind == POINTS:
        figures = _("%(current)s of %(threshold)s points") % values
    elif kind == LIFETIME_POINTS:
        figures = _("%(current)s of %(threshold)s lifetime points") % values
    elif kind == OTHER and words:
        # Translators: %(unit)s is Capillary's code for what is counted, in words.
        figures = _("%(current)s of %(threshold)s %(unit)s") % values
    else:
        figures = _("%(current)s of %(threshold)s") % values
    if step.percent is None:
        return figures
    # Translators: a progress bar's figures ("8,000 of 10,000 points") and its percent.
    return _("%(figures)s (%(percent)s%%)") % {
        "figures": figures,
        "percent": format_number(step.percent),
    }


def tier_expiry_dates(program: Program) -> str:
    """Both tier expiry dates, with what each is, when slabExpiryDate and the renewal summary's
    tierExpiryDate name different days; "" when they agree or one is missing."""
    if not program.tier_expiry_dates_differ or program.renew_summary is None:
        return ""
    return _(
        "Two tier expiry dates: %(own)s (the tier's own) and %(renewal)s (the renewal "
        "summary's); Capillary sends both and does not say why they differ."
    ) % {
        "own": format_moment(program.tier_expiry_date),
        "renewal": format_moment(program.renew_summary.tier_expiry_date),
    }
