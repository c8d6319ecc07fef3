"""What the customer pages say: sentences and figures computed from the records.

The templates stay free of logic: they print what these functions return. Everything here is
plain text (the template engine escapes it), formatted in the active locale and time zone, and
tolerant of absent figures: a missing number never becomes a zero.

Public names:
    format_number(value) -> str          "1,250", "1,250.5", "" for None
    format_moment(moment, fmt) -> str    "31 Dec 2026", "no expiry", "" for None
    shown(value, kind, unmasked=, revealed=) -> Shown     one masking decision for pages and text
    quantity(step, amount) -> str        "1,250 more points", "2 more visits"
    upgrade_sentence(program, step)      "Needs 1,250 more points to reach Gold."
    value_valid_sentence(step)           "The current value (3,750 points) stays valid until ..."
    renew_sentence(program, step)        "Needs 2 more visits by 31 Dec 2026 to keep Gold." (as far
                                         as the program's renewal rule is known: renewal.py)
    renewal_note(program) -> str         how several renewal conditions combine, or that the
                                         program's rule decides
    renewal_confirmed(program) -> Label | None   renewConfirmed, when sent
    progress_caption(step) -> str        "8,000 of 10,000 points (80%)"
    strategy_kind(based_on) -> str       "tracked spend" for TRACKER_VALUE_BASED
    tier_note(tier) -> str               a tier's description without its name repeated
    points_by_state(program), currency_by_state(currency), group_by_state(group)
                                         -> tuple[PointsLine, ...] in the glossary's words
    tier_ladder(program) -> tuple[Rung, ...]   never a tier name the document does not give
    points_headline(customer) -> str     "3,450 points available to redeem in ... (150 pending)"
    member_profile(customer, source, account_id) -> MemberProfile   the profile of the search
    copy_summary(customer, ...) -> str   the plain-text summary for a ticket
    fraud_sentence(fraud) -> str         "CONFIRMED (since 1 Mar 2026, marked by risk.team)"
    warning_explanation(warning) -> str  a known backend warning in plain language
    heading(customer, ...) -> Heading    the name and badges atop every customer page
    warning_lines(customer)              the backend's warnings as the page lists them
    member_facts(customer, chosen)       the overview's facts about the member, as Labels
    tier_label, current_tier, next_tier, card_status, card_transactions, card_series,
    card_issued, subscription_choice, promotion_issued, promotion_source,
    linked_partners -> Label
    card_kind, channel_kind, subscription_messages, registration, last_change, expiry_kind -> str
    needs_attention(customer) -> tuple[Attention, ...]   what to raise with the member, most
                                         urgent first (fraud, expiring points and tiers, cards,
                                         warnings, pending points)
    program_answers(customer) -> tuple[ProgramAnswer, ...]   per program: next expiry, one
                                         sentence each for upgrading and keeping the tier
    next_expiry(customer, program), in_days(moment)   the next batch to expire; "in 20 days"
    not_found_help(query, primary=, allowed=) -> NotFoundHelp   what a search that found no
                                         one should try, and another source to search in a click
    cards_view(cards, status=, sort=, page=) -> CardsView   one page of cards, filtered, sorted
    SECTIONS                             a customer's pages (URL name -> tab title), in tab order
    tabs(customer, section, can_see_raw=) -> tuple[Tab, ...]   the tab bar of a customer page

Every state of points and currencies is named through customers.pages.glossary.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import formats, timezone, translation

from customers import masking
from customers.capillary.query import ALL as ALL_SOURCES
from customers.capillary.query import (
    FRAUD_DETAILS,
    GAP_TO_RENEW,
    GAP_TO_UPGRADE,
    INSTORE,
    SOURCE,
)
from customers.capillary.records import (
    MASKED,
    AlternateCurrency,
    Attribution,
    BackendWarning,
    Card,
    CommChannel,
    Customer,
    FraudDetails,
    GroupProgram,
    Identifier,
    Moment,
    PointsExpiry,
    Profile,
    Program,
    Progress,
    PromotionalPoint,
    Subscription,
    Tier,
    never_expires,
)
from customers.pages import glossary, renewal
from customers.pages.glossary import Term

__all__ = [
    "SECTIONS",
    "Attention",
    "CardsView",
    "Heading",
    "Label",
    "MemberProfile",
    "NotFoundHelp",
    "PointsLine",
    "ProgramAnswer",
    "Rung",
    "Shown",
    "Tab",
    "WarningLine",
    "card_issued",
    "card_kind",
    "card_series",
    "card_status",
    "card_transactions",
    "cards_view",
    "channel_kind",
    "copy_summary",
    "currency_by_state",
    "current_tier",
    "display_name",
    "expiry_kind",
    "format_moment",
    "format_number",
    "fraud_sentence",
    "group_by_state",
    "group_upgrade_sentence",
    "heading",
    "in_days",
    "last_change",
    "left_out_notice",
    "linked_partners",
    "member_facts",
    "member_profile",
    "needs_attention",
    "next_expiry",
    "next_tier",
    "not_found_help",
    "photo_allowed",
    "points_by_state",
    "points_headline",
    "program_answers",
    "progress_caption",
    "promotion_issued",
    "promotion_source",
    "quantity",
    "registration",
    "renew_sentence",
    "renewal_confirmed",
    "renewal_note",
    "shown",
    "strategy_kind",
    "subscription_choice",
    "subscription_messages",
    "tabs",
    "tier_label",
    "tier_ladder",
    "tier_note",
    "upgrade_sentence",
    "value_valid_sentence",
    "warning_explanation",
    "warning_lines",
]

# A customer's pages, in the order of their tabs: URL name -> title.
SECTIONS: dict[str, str] = {
    "overview": "Overview",
    "programs": "Programs",
    "cards": "Cards",
    "currencies": "Currencies",
    "tiers": "Tiers",
    "profile": "Profile",
    "raw": "Raw response",
}

_CENT = Decimal("0.01")
DASH = "\N{EM DASH}"

# Colours of card status labels (customer.css); any other status is shown neutral.
_CARD_STATUS_BADGES: Mapping[str, str] = {
    "ACTIVE": "status-ok",
    "SUSPENDED": "status-warn",
    "NOT_ISSUED": "status-info",
    "EXPIRED": "status-muted",
    "DELETED": "status-bad",
}

# What a subscription's priority means for the member.
_MESSAGE_KINDS: Mapping[str, str] = {"TRANS": "transactional", "BULK": "promotional (bulk)"}

# What the backend's known warnings mean for the agent, by code; the page shows the backend's own
# code and text next to it.
WARNING_EXPLANATIONS: Mapping[int, str] = {
    8050: "Profiles from several sources were combined into this answer.",
    91001: "Point details could not be loaded: points figures may be missing.",
    91009: "This account was merged; you are seeing the surviving account.",
}

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


def warning_explanation(warning: BackendWarning) -> str:
    """A known warning in plain language, "" for one the app has no words for."""
    return WARNING_EXPLANATIONS.get(warning.code, "") if warning.code is not None else ""


# The tab bar


@dataclass(frozen=True, slots=True)
class Tab:
    """One tab of a customer's pages. name is its URL name in the customers namespace; count,
    when set, is shown beside the title."""

    name: str
    title: str
    current: bool = False
    count: int | None = None

    @property
    def url_name(self) -> str:
        return f"customers:{self.name}"


def tabs(
    customer: Customer | None, section: str, *, can_see_raw: bool, can_lookup: bool = True
) -> tuple[Tab, ...]:
    """The tab bar of a customer page: the sections in SECTIONS' order, the raw response only
    for users who may see it, the cards tab with the number of cards; then the history.

    The history page has the same bar without a customer (it fetches none, so no card count),
    and for a user who may not look customers up (an auditor) only the history: the bar links
    to no page its user may not open."""
    sections = tuple(
        Tab(
            name,
            title,
            current=name == section,
            count=len(customer.cards) if name == "cards" and customer is not None else None,
        )
        for name, title in SECTIONS.items()
        if can_lookup and (name != "raw" or can_see_raw)
    )
    # Who looked the customer up closes the bar: a page of the audit trail, not of the
    # backend's answer (no lookup, no entry of its own), in the same frame.
    return (*sections, Tab("history", "History", current=section == "history"))


# Numbers and dates


def format_number(value: Decimal | int | None) -> str:
    """A figure grouped in the active locale: whole numbers without decimals, others to 0.01."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = int(value)
        else:
            value = value.quantize(_CENT).normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def format_moment(moment: Moment | None, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active locale and time zone; Capillary's far-future dates say no expiry."""
    if moment is None:
        return ""
    if never_expires(moment):
        return "no expiry"
    return _formatted(
        moment, fmt, translation.get_language(), timezone.get_current_timezone_name()
    )


# Formatting a date is the costliest step of a long cards table, and cards share dates.
@functools.lru_cache(maxsize=4096)
def _formatted(moment: Moment, fmt: str, language: str | None, zone: str) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    elif fmt != "DATE_FORMAT" and fmt != "SHORT_DATE_FORMAT":
        # A plain date has no time to show.
        fmt = "DATE_FORMAT"
    return formats.date_format(moment, fmt)


# Masking


@dataclass(frozen=True, slots=True)
class Shown:
    """A value as a page may show it. state: "shown", "masked" (by us), "capillary" (masked by
    Capillary, no data to reveal) or "empty"."""

    text: str
    state: str

    @property
    def masked(self) -> bool:
        return self.state == "masked"


def shown(
    value: object,
    kind: str,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    identifier: bool = False,
) -> Shown:
    """How a value of this kind (name, mobile, email, an identifier type or a field name) is
    shown to a user: in full when their role sees PII or they revealed this kind, else masked.
    `identifier` marks `kind` as an identifier's or channel's type (see masking.mask_for_page).
    """
    text = "" if value is None else str(value)
    if not text.strip():
        return Shown("", "empty")
    if masking.is_masked_by_capillary(text):
        return Shown("masked by Capillary", "capillary")
    lowered = kind.strip().lower()
    if unmasked or any(lowered == str(item).strip().lower() for item in revealed):
        return Shown(text, "shown")
    masked = masking.mask_for_page(kind, text, identifier=identifier)
    return Shown(masked, "shown" if masked == text else "masked")


# Gaps to upgrade and renew


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


def _tier_name(tier: Any, fallback: str) -> str:
    return tier.name if tier is not None and tier.name else fallback


def upgrade_sentence(program: Program, step: Progress) -> str:
    """What the member needs to reach the next tier on one upgrade strategy.

    No deadline: valueValidUpto is the date until which the current value stays valid, not a
    date to reach the next tier by (see value_valid_sentence)."""
    if program.is_top_tier:
        return f"Already in the top tier ({_tier_name(program.current_tier, 'this program')})."
    target = _tier_name(program.next_tier, "the next tier")
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
    tier = _tier_name(program.current_tier, "the current tier")
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
    tier = _tier_name(program.current_tier, "the tier")
    rule = renewal.rule_for(program.program_id)
    if rule == renewal.ANY:
        return f"Meeting any one of these keeps {tier}."
    if rule == renewal.ALL:
        return f"All of these are needed to keep {tier}."
    return (
        f"Capillary does not say whether one of these or all of them keep {tier}: "
        "the program's own rule decides."
    )


def renewal_confirmed(program: Program) -> Label | None:
    """renewConfirmed from the document, when it came: whether Capillary confirms the renewal."""
    summary = program.renew_summary
    if summary is None or summary.renew_confirmed is None:
        return None
    if summary.renew_confirmed:
        return Label("confirmed", badge="status-ok")
    return Label("not confirmed yet", badge="status-muted")


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


# Points and tiers


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


def _tiers(count: int, where: str) -> str:
    return f"{count} {where} tier{'s' if count > 1 else ''}"


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
        rungs.append(Rung("", "reached", _tiers(serial - 1, "lower")))
    here = "current \N{MIDDLE DOT} top tier" if program.is_top_tier else "current"
    rungs.append(Rung(current.name, "current", here))
    following = program.next_tier
    if following is not None:
        next_serial = following.serial_number
        if next_serial is not None and next_serial > serial + 1:
            rungs.append(Rung("", "between", _tiers(next_serial - serial - 1, "more")))
        rungs.append(Rung(following.name, "next", "next"))
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
    where = f" in {program.title}" if program.title else ""
    text = f"{format_number(program.loyalty_points)} points {glossary.word('available')}{where}"
    if program.delayed_points:
        text += f" ({format_number(program.delayed_points)} {glossary.word('pending')})"
    others = len(customer.programs) - 1
    if others > 0:
        text += f"; {others} more program{'s' if others > 1 else ''}"
    return text


# Which profile is the member's


@dataclass(frozen=True, slots=True)
class MemberProfile:
    """The profile a page reads the member from, and how it says where a fact came from.

    Capillary answers with other sources' profiles too (its published lookup sample asked for
    WECHAT and answered with an INSTORE profile alone), so the profile is picked by the source
    and account searched; `note` is "" when it is theirs and says which profile it is
    otherwise ("from the INSTORE profile"). `differing` names the facts (name, registered,
    mobile, email) on which the customer's profiles disagree."""

    profile: Profile | None
    note: str = ""
    differing: frozenset[str] = frozenset()

    @property
    def identifiers_note(self) -> str:
        """What to say over the member's identifiers: whose profile they are from, and whether
        other profiles have other mobiles or emails."""
        if self.profile is not None and self.differing & {"mobile", "email"}:
            return self.note_for("mobile" if "mobile" in self.differing else "email")
        return self.note

    def note_for(self, fact: str) -> str:
        """What to say after one fact: where it came from, when that is worth saying."""
        if self.profile is None:
            return ""
        if fact in self.differing:
            where = self.note or f"from the {_profile_name(self.profile)} profile"
            return f"{where}; other profiles differ"
        return self.note


def _profile_name(profile: Profile) -> str:
    source = profile.source or "unnamed"
    return f"{source} (account {profile.account_id})" if profile.account_id else source


def _facts_of(profile: Profile) -> dict[str, object]:
    def values(kind: str) -> frozenset[str]:
        items: tuple[Identifier | CommChannel, ...] = (*profile.identifiers, *profile.channels)
        return frozenset(item.value for item in items if item.type.lower() == kind and item.value)

    name = f"{profile.first_name} {profile.last_name}".strip()
    return {
        "name": name,
        "registered": profile.attribution.registered_on,
        "mobile": values("mobile"),
        "email": values("email"),
    }


def member_profile(customer: Customer, source: str = "", account_id: str = "") -> MemberProfile:
    """The member's profile for a search in this source and account (see MemberProfile)."""
    if not customer.profiles:
        return MemberProfile(None)
    facts = [_facts_of(profile) for profile in customer.profiles]
    differing = frozenset(
        fact
        for fact in ("name", "registered", "mobile", "email")
        if len({known[fact] for known in facts if known[fact]}) > 1
    )
    searched = source.strip().upper()
    specific = searched not in ("", ALL_SOURCES)
    chosen = customer.profile_for(searched, account_id) if specific else None
    if chosen is not None and (not account_id or chosen.account_id == account_id):
        return MemberProfile(chosen, "", differing)
    profile = chosen or customer.profiles[0]
    if specific or len(customer.profiles) > 1:
        return MemberProfile(profile, f"from the {_profile_name(profile)} profile", differing)
    return MemberProfile(profile, "", differing)


# The copy summary


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
        name = f"{profile.first_name} {profile.last_name}".strip() if profile is not None else ""
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
    return rows


def _program_lines(program: Program) -> list[str]:
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
    for step in program.upgrade_strategies:
        lines.append(f"  {upgrade_sentence(program, step)}")
        valid = value_valid_sentence(step)
        if valid and not program.is_top_tier:
            lines.append(f"  {valid}")
    note = renewal_note(program)
    if note:
        lines.append(f"  {note}")
    for step in program.renew_strategies:
        lines.append(f"  {renew_sentence(program, step)}")
    return lines


def _currency_line(currency: AlternateCurrency) -> str:
    where = f" ({currency.program_name})" if currency.program_name else ""
    line = f"{currency.name or 'Currency'}{where}:"
    parts = []
    if currency.earned is not None:
        parts.append(f"{format_number(currency.earned)} {glossary.word('available')}")
    if currency.delayed_earned:
        parts.append(f"{format_number(currency.delayed_earned)} {glossary.word('pending')}")
    return f"{line} {', '.join(parts) or 'no figures'}"


def fraud_sentence(fraud: FraudDetails) -> str:
    """A flagged fraud status with when and by whom, as far as the document says."""
    since = format_moment(fraud.modified_on)
    marker = fraud.marked_by.label if fraud.marked_by is not None else ""
    details = ", ".join(
        part
        for part in (f"since {since}" if since else "", f"marked by {marker}" if marker else "")
        if part
    )
    return f"{fraud.status} ({details})" if details else fraud.status


def copy_summary(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    fetched_at: datetime | date | None = None,
    source: str = "",
    account_id: str = "",
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
    registered = registration(chosen.profile)
    if registered:
        note = chosen.note_for("registered")
        lines.append(f"Registered: {registered}{f' ({note})' if note else ''}")
    attention = [item.text for item in needs_attention(customer) if item.rank[0] in (1, 2)]
    if attention:
        lines.append("Needs attention:")
        lines += [f"  {text}" for text in attention]
    for program in customer.programs or (
        (customer.points_summary,) if customer.points_summary else ()
    ):
        lines += _program_lines(program)
    lines += [_currency_line(currency) for currency in customer.alternate_currencies]
    if customer.cards:
        active = sum(1 for card in customer.cards if card.is_active)
        lines.append(f"Cards: {len(customer.cards)} ({active} active)")
    for warning in customer.warnings:
        lines.append(
            f"Warning {warning.code if warning.code is not None else ''}: {warning.message}"
        )
        explanation = warning_explanation(warning)
        if explanation:
            lines.append(f"  {explanation}")
    if fetched_at is not None:
        lines.append(f"Data as of {format_moment(fetched_at, 'DATETIME_FORMAT')}")
    return "\n".join(lines)


def display_name(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    profile: Profile | None = None,
) -> str:
    """The customer's name as the user may see it, or "Customer <id>" when there is none: the
    given profile's name first (the member's, see member_profile), else any profile's."""
    fallback = f"Customer {customer.id}"
    name = (profile.full_name if profile is not None else "") or customer.display_name
    if name == fallback:
        return fallback
    return shown(name, "name", unmasked=unmasked, revealed=revealed).text


# Labels: the cells and facts of the pages, decided here so the templates only print them


@dataclass(frozen=True, slots=True)
class Label:
    """A value as a cell shows it: its text and a note after it in smaller type. badge names
    the colour class (status-ok, ...) of a coloured label; empty says the answer holds no value,
    and the text then says why; strong sets the text in bold. The `label` tag prints one."""

    text: str
    note: str = ""
    badge: str = ""
    empty: bool = False
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    """The top of every customer page: the name as the user may see it (with the id when there
    is a name), the fraud status when flagged, the status and the first programs' tiers as
    (tier, program) pairs."""

    name: str
    numbered: bool
    fraud: str
    status: str
    tiers: tuple[tuple[str, str], ...]
    # How many programs the member is in: the badges show the first few ("3 of 36 programs").
    programs: int = 0


def heading(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    profile: Profile | None = None,
) -> Heading:
    status = customer.customer_status
    fraud = customer.fraud_details
    name = display_name(customer, unmasked=unmasked, revealed=revealed, profile=profile)
    return Heading(
        name=name,
        numbered=name != f"Customer {customer.id}",
        fraud=fraud.status if fraud is not None and fraud.is_flagged else "",
        status=(status.label or status.status) if status is not None else "",
        tiers=tuple(
            (program.current_tier.name, program.title)
            for program in customer.programs[:3]
            if program.current_tier is not None
        ),
        programs=len(customer.programs),
    )


@dataclass(frozen=True, slots=True)
class WarningLine:
    """One backend warning as listed: its code, its message, its own status flag as sent
    ("status false"; "" when not sent) and the app's words for it."""

    code: str
    message: str
    explanation: str
    status: str = ""


def warning_lines(customer: Customer) -> tuple[WarningLine, ...]:
    return tuple(
        WarningLine(
            str(warning.code) if warning.code is not None else "no code",
            warning.message or "(no message)",
            warning_explanation(warning),
            "" if warning.status is None else f"status {str(warning.status).lower()}",
        )
        for warning in customer.warnings
    )


def _by(till: Any) -> str:
    return f" by {till.label}" if till is not None else ""


def registration(profile: Profile | None, fmt: str = "DATE_FORMAT") -> str:
    """When and where the profile was registered ("12 Jan 2024 at Store 4"), "" if not sent."""
    if profile is None or profile.attribution.registered_on is None:
        return ""
    till = profile.attribution.registered_at
    at = f" at {till.label}" if till is not None else ""
    return f"{format_moment(profile.attribution.registered_on, fmt)}{at}"


def last_change(attribution: Attribution, fmt: str = "DATETIME_FORMAT") -> str:
    """When and by whom the profile was last changed, "" if not sent."""
    if attribution.modified_on is None:
        return ""
    return format_moment(attribution.modified_on, fmt) + _by(attribution.modified_by)


def _last_update(profile: Profile | None) -> Label:
    if profile is None:
        return Label("not sent", empty=True)
    moment = profile.updated_on or profile.attribution.modified_on
    by = _by(profile.attribution.modified_by)
    if moment is None:
        return Label(f"not sent{by}", empty=True)
    return Label(format_moment(moment, "DATETIME_FORMAT") + by)


def _customer_status(customer: Customer) -> Label:
    status = customer.customer_status
    if status is None:
        return Label(f"not in this answer ({glossary.not_asked('customerStatus')})", empty=True)
    note = f"({status.reason})" if status.reason else ""
    return Label(status.label or status.status or DASH, note=note)


def _fraud(customer: Customer) -> Label:
    fraud = customer.fraud_details
    if fraud is None:
        return Label(f"not in this answer ({glossary.not_asked(FRAUD_DETAILS)})", empty=True)
    if not fraud.is_flagged:
        return Label("not flagged", badge="status-ok")
    details = fraud_sentence(fraud).removeprefix(fraud.status).strip().strip("()")
    return Label(fraud.status, note=details, badge="status-bad")


def _loyalty(customer: Customer) -> Label:
    info = customer.loyalty_info
    if info is None:
        return Label(DASH)
    return Label("loyalty member" if info.is_loyalty else info.loyalty_type or DASH)


def _source_profiles(customer: Customer) -> Label:
    if not customer.profiles:
        return Label("none", empty=True)
    return Label(
        ", ".join(
            (profile.source or DASH) + (f" ({profile.account_id})" if profile.account_id else "")
            for profile in customer.profiles
        )
    )


def member_facts(
    customer: Customer, chosen: MemberProfile | None = None
) -> tuple[tuple[str, Label], ...]:
    """The overview's facts after the name and id, as (title, value), read from the member's
    profile (member_profile), each noting where it came from when that is worth saying."""
    chosen = chosen or member_profile(customer)
    profile = chosen.profile
    registered = registration(profile)
    update = _last_update(profile)
    return (
        ("Status", _customer_status(customer)),
        ("Fraud", _fraud(customer)),
        ("Loyalty", _loyalty(customer)),
        (
            "Registered",
            Label(registered, note=chosen.note_for("registered"))
            if registered
            else Label("not sent", empty=True),
        ),
        ("Last profile update", update if update.empty else Label(update.text, chosen.note)),
        ("Source profiles", _source_profiles(customer)),
    )


def tier_label(program: Program) -> Label:
    """A program's current tier, noting the top tier or naming the next one."""
    if program.current_tier is None:
        return Label(DASH)
    if program.is_top_tier:
        note = "top tier"
    else:
        note = f"next: {program.next_tier.name}" if program.next_tier is not None else ""
    return Label(program.current_tier.name, note=note)


def current_tier(program: Program) -> Label:
    """A program's current tier in bold, with what its description adds."""
    if program.current_tier is None:
        return Label("no tier", empty=True)
    return Label(program.current_tier.name, note=tier_note(program.current_tier), strong=True)


def next_tier(program: Program) -> Label:
    """The next tier by name, with what its description adds (nextSlabDescription)."""
    if program.is_top_tier:
        return Label("none: this is the top tier")
    if program.next_tier is None:
        return Label("not sent", empty=True)
    return Label(program.next_tier.name, note=tier_note(program.next_tier))


def card_status(card: Card) -> Label:
    """A card's status as a coloured label, with the reason the backend gave and its history
    as far as the document carries it: since when, by whom, and the status before."""
    status = card.status
    if status is None:
        return Label("no status", empty=True)
    badge = _CARD_STATUS_BADGES.get(status.status.upper(), "status-neutral")
    since = format_moment(status.created_on)
    by = status.created_by_user or (f"user {status.created_by}" if status.created_by else "")
    note = " \N{MIDDLE DOT} ".join(
        part
        for part in (
            status.reason,
            f"since {since}" if since else "",
            f"by {by}" if by else "",
            f"was {status.previous_label}" if status.previous_label else "",
        )
        if part
    )
    return Label(card.status_label, note=note, badge=badge)


def card_transactions(card: Card) -> Label:
    """Whether the card may be used in transactions (transactionNotAllowed)."""
    if card.transaction_not_allowed is None:
        return Label("not sent", empty=True)
    if card.transaction_not_allowed:
        return Label("not allowed", badge="status-bad")
    return Label("allowed")


def card_series(card: Card) -> Label:
    return Label(card.series_name or str(card.series_id or "") or DASH, note=card.series_code)


def card_kind(card: Card) -> str:
    if card.is_digital:
        return "Digital"
    kind = card.type.lower()
    return kind[:1].upper() + kind[1:] if kind else DASH


def card_issued(card: Card) -> Label:
    if card.issued_on is None:
        return Label("not issued", empty=True)
    return Label(format_moment(card.issued_on))


def channel_kind(channel: CommChannel) -> str:
    """Where a contact channel reaches the member: home, office or not said."""
    return "home" if channel.residence else "office" if channel.office else DASH


def subscription_messages(subscription: Subscription) -> str:
    """Which messages a subscription is about: transactional, promotional (bulk), ..."""
    priority = subscription.priority
    return _MESSAGE_KINDS.get(priority, priority or DASH)


def subscription_choice(subscription: Subscription) -> Label:
    if subscription.opted_in:
        return Label("opted in", badge="status-ok")
    return Label((subscription.type or "unknown").lower(), badge="status-muted")


def promotion_source(promotion: PromotionalPoint) -> Label:
    """What issued promotional points: the source's type in words, with its id when it has one
    ("Goodwill"; Capillary sends id -1 for goodwill points)."""
    kind = promotion.source_type.replace("_", " ").strip().capitalize()
    number = promotion.source_id
    return Label(kind or DASH, note=f"#{number}" if number is not None else "")


# What a page fetched by id lacks, for each part of its query that call does not take.
_LEFT_OUT: Mapping[str, str] = {
    "alternateCurrencies": "alternate currencies",
    "customerStatus": "customer status",
    "cardLoyaltyDetails": "card loyalty details",
    "fleetParentDetails": "fleet parent details",
}


def left_out_notice(left_out: Collection[str], source: str = "") -> str:
    """What a page fetched by id cannot show of what was asked (see LookupQuery.by_id), "" when
    nothing that matters was left out."""
    missing = [_LEFT_OUT[key] for key in left_out if key in _LEFT_OUT]
    gaps = [
        kind
        for key, kind in ((GAP_TO_UPGRADE, "upgrade"), (GAP_TO_RENEW, "renew"))
        if key in left_out
    ]
    if gaps:
        missing.append(f"gaps to {' and '.join(gaps)}")
    sentences = []
    if missing:
        listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        sentences.append(
            "This answer came by customer id, and Capillary's call for that returns no "
            f"{listed}: look the member up again to see them."
        )
    if SOURCE in left_out:
        sentences.append(
            f"That call does not take the source {source or 'searched'}: it asked for every "
            "source's profiles."
        )
    return " ".join(sentences)


def photo_allowed(url: str) -> bool:
    """Whether a customer photo's address is on a host settings.CUSTOMER_IMAGE_HOSTS allows
    (the Content Security Policy's img-src allows those hosts and no other)."""
    origin = image_origin(url)
    return bool(origin) and origin in {
        image_origin(host) for host in getattr(settings, "CUSTOMER_IMAGE_HOSTS", ())
    }


def image_origin(url: str) -> str:
    """scheme://host[:port] of an http(s) URL, lower-cased; "" for anything else."""
    parts = urlsplit(str(url).strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def linked_partners(program: Program) -> Label:
    """A program's linked partner programs, by name."""
    if not program.linked_partner_programs:
        return Label("none", empty=True)
    return Label(", ".join(program.linked_partners))


def promotion_issued(promotion: PromotionalPoint) -> Label:
    """When promotional points were issued, noting where."""
    till = promotion.issued_at
    return Label(format_moment(promotion.issued_on) or DASH, note=till.label if till else "")


def expiry_kind(batch: PointsExpiry) -> str:
    """What kind of points expire and how: "REGULAR · FIXED_DATE"."""
    return " \N{MIDDLE DOT} ".join(filter(None, (batch.points_type or DASH, batch.expiry_type)))


# The overview's answers: per program, and what needs the agent's attention

# How far ahead an expiry or a tier's end counts as needing attention, in days.
POINTS_EXPIRY_DAYS = 30
TIER_EXPIRY_DAYS = 60
# Card statuses the agent must mention to the member: status -> the word for it.
_CARD_TROUBLE: Mapping[str, str] = {"SUSPENDED": "suspended", "EXPIRED": "expired"}


def _day_of(moment: Moment) -> date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def _today() -> date:
    return timezone.localdate()


def in_days(moment: Moment, today: date | None = None) -> str:
    """How far away a day is, in words: "today", "tomorrow", "in 20 days", "2 days ago"."""
    days = (_day_of(moment) - (today or _today())).days
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
        and _day_of(batch.expiry_date) >= today
    ]
    if not due:
        return None
    first = min(_day_of(batch.expiry_date) for batch in due if batch.expiry_date is not None)
    same_day = [b for b in due if b.expiry_date is not None and _day_of(b.expiry_date) == first]
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
        return f"Already in the top tier ({_tier_name(program.current_tier, 'this program')})."
    if not program.upgrade_strategies:
        return "No upgrade figures in this answer: look the member up again to see them."
    return upgrade_sentence(program, program.upgrade_strategies[0])


def keep_answer(program: Program) -> str:
    """One sentence on what keeps the current tier: the condition met, else the first one."""
    tier = _tier_name(program.current_tier, "the current tier")
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
            and (_day_of(batch.expiry_date) - today).days <= POINTS_EXPIRY_DAYS
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
        items.append(Attention(f"Marked as fraud: {fraud_sentence(fraud)}.", "status-bad", (0, 0)))
    programs = customer.programs or ((customer.points_summary,) if customer.points_summary else ())
    for program in programs:
        batch = next_expiry(customer, program, today)
        if batch is not None and batch.expiry_date is not None:
            days = (_day_of(batch.expiry_date) - today).days
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
            days = (_day_of(expiry) - today).days
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
        items.append(
            Attention(f"{' and '.join(parts)}: see the Cards tab.", "status-warn", (2, 0), only)
        )
    for warning in customer.warnings:
        text = warning_explanation(warning) or warning.message or "a warning without a message"
        items.append(Attention(f"The loyalty service warned: {text}", "status-info", (3, 0)))
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


# What to do when a search found no one


@dataclass(frozen=True, slots=True)
class NotFoundHelp:
    """What the not-found page advises, derived from what was searched: the steps most likely
    to help first, and another source to search in one click (`fields` is that search as the
    lookup form posts it; "" and () when there is none to offer)."""

    steps: tuple[str, ...]
    other_source: str = ""
    fields: tuple[tuple[str, str], ...] = ()


def _source_words(source: str) -> str:
    return "all sources" if source == ALL_SOURCES else source


def not_found_help(
    query: Any,
    *,
    primary: str,
    allowed: Collection[str] | None,
    reason: str = "",
) -> NotFoundHelp:
    """The not-found page's advice for a search (a LookupQuery; None when it is not known).

    With dual eligibility an org finds a member by its primary identifier only: a search
    without it (an email or card alone where the mobile is primary) is told to add it. A search
    in a source where the member may have no profile is offered the stores' source (INSTORE),
    and one in INSTORE all sources, where the user may search there."""
    if query is None or not getattr(query, "identifiers", ()):
        return NotFoundHelp(("Check the identifiers, then search again.",))
    steps = []
    names = [name for name, _ in query.identifiers]
    if primary and primary.casefold() not in {name.casefold() for name in names}:
        wanted = glossary.identifier_label(primary).lower()
        given = " and ".join(dict.fromkeys(glossary.identifier_label(n).lower() for n in names))
        steps.append(
            f"Add the member's {wanted}: this org finds members by their {wanted}, and "
            f"{'an' if given[:1] in 'aeiou' else 'a'} {given} alone may not find them."
        )
    # All sources already hold INSTORE's profile: from there, no other source to try.
    other = {INSTORE: ALL_SOURCES, ALL_SOURCES: ""}.get(query.source, INSTORE)
    may = bool(other) and (allowed is None or other in allowed)
    fields: tuple[tuple[str, str], ...] = ()
    if may:
        where = _source_words(query.source)
        account = " under that account" if query.account_id else ""
        steps.append(
            f"The member may have no profile in {where}{account}: try {_source_words(other)}."
        )
        there = dataclasses.replace(query, source=other, account_id="")
        fields = tuple(there.to_params().items())
        if reason:
            fields += (("reason", reason),)
    steps.append("Check each identifier for a typo: the search is filled in below to edit.")
    return NotFoundHelp(tuple(steps), other if may else "", fields)


# The cards of a member with many: filtered by status, sorted, a page at a time

CARDS_PER_PAGE = 25
# Sort keys the cards page offers: key -> column title.
CARD_SORTS: Mapping[str, str] = {
    "number": "Card number",
    "status": "Status",
    "issued": "Issued",
    "expiry": "Expiry",
}


def _card_sort_key(sort: str) -> Any:
    def moment(value: Moment | None) -> tuple[int, date]:
        return (0, _day_of(value)) if value is not None else (1, date.max)

    if sort == "status":
        return lambda card: (card.status_label.casefold(), card.card_number)
    if sort == "issued":
        return lambda card: moment(card.issued_on)
    if sort == "expiry":
        return lambda card: moment(card.expiry_date)
    return lambda card: card.card_number


@dataclass(frozen=True, slots=True)
class CardsView:
    """One page of a member's cards as asked: `status` ("" for all), `sort` (a CARD_SORTS key,
    "-" in front for descending), `number` of `pages`; `statuses` the statuses the member's cards
    have, with how many of each."""

    cards: tuple[Card, ...]
    matching: int
    total: int
    status: str
    sort: str
    number: int
    pages: int
    statuses: tuple[tuple[str, int], ...]


def cards_view(
    cards: Collection[Card], *, status: str = "", sort: str = "", page: str = ""
) -> CardsView:
    """The page of cards a request asks for; anything it asks that does not apply is ignored
    (an unknown status shows all, an unknown sort the document's order, page 1)."""
    counts: dict[str, int] = {}
    for card in cards:
        label = card.status_label or "no status"
        counts[label] = counts.get(label, 0) + 1
    status = status if status in counts else ""
    chosen = [card for card in cards if not status or (card.status_label or "no status") == status]
    key = sort.removeprefix("-")
    if key in CARD_SORTS:
        chosen.sort(key=_card_sort_key(key), reverse=sort.startswith("-"))
    else:
        sort = ""
    pages = max(1, -(-len(chosen) // CARDS_PER_PAGE))
    number = int(page) if page.isascii() and page.isdigit() and 1 <= int(page) <= pages else 1
    start = (number - 1) * CARDS_PER_PAGE
    return CardsView(
        cards=tuple(chosen[start : start + CARDS_PER_PAGE]),
        matching=len(chosen),
        total=len(cards),
        status=status,
        sort=sort,
        number=number,
        pages=pages,
        statuses=tuple(sorted(counts.items())),
    )
