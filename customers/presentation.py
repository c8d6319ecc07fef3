"""What the customer pages say: sentences and figures computed from the records.

The templates stay free of logic: they print what these functions return. Everything here is
plain text (the template engine escapes it), formatted in the active locale and time zone, and
tolerant of absent figures: a missing number never becomes a zero.

Public names:
    format_number(value) -> str          "1,250", "1,250.5", "" for None
    format_moment(moment, fmt) -> str    "31 Dec 2026", "no expiry", "" for None
    shown(value, kind, unmasked=, revealed=) -> Shown     one masking decision for pages and text
    quantity(step, amount) -> str        "1,250 more points", "2 more visits"
    upgrade_sentence(program, step)      "Needs 1,250 more points by 31 Dec 2026 to reach Gold."
    renew_sentence(program, step)        "Needs 2 more visits by 31 Dec 2026 to keep Gold."
    progress_caption(step) -> str        "8,000 of 10,000 points (80%)"
    strategy_kind(based_on) -> str       "tracked spend" for TRACKER_VALUE_BASED
    tier_note(tier) -> str               a tier's description without its name repeated
    points_by_state(program) -> tuple[PointsLine, ...]
    tier_ladder(program) -> tuple[Rung, ...]
    points_headline(customer) -> str     "3,450 points available in Sandbox Rewards (150 pending)"
    copy_summary(customer, ...) -> str   the plain-text summary for a ticket
    warning_explanation(warning) -> str  a known backend warning in plain language
    heading(customer, ...) -> Heading    the name and badges atop every customer page
    warning_lines(customer)              the backend's warnings as the page lists them
    member_facts(customer)               the overview's facts about the member, as Labels
    tier_label, current_tier, next_tier, card_status, card_series, card_issued,
    subscription_choice, promotion_issued -> Label
    card_kind, channel_kind, subscription_messages, registration, last_change, expiry_kind -> str
    SECTIONS                             a customer's pages (URL name -> tab title), in tab order
    tabs(customer, section, can_see_raw=) -> tuple[Tab, ...]   the tab bar of a customer page
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation

from customers import masking
from customers.capillary.records import (
    MASKED,
    Attribution,
    BackendWarning,
    Card,
    CommChannel,
    Customer,
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

__all__ = [
    "SECTIONS",
    "Heading",
    "Label",
    "PointsLine",
    "Rung",
    "Shown",
    "Tab",
    "WarningLine",
    "card_issued",
    "card_kind",
    "card_series",
    "card_status",
    "channel_kind",
    "copy_summary",
    "current_tier",
    "display_name",
    "expiry_kind",
    "format_moment",
    "format_number",
    "heading",
    "last_change",
    "member_facts",
    "next_tier",
    "points_by_state",
    "points_headline",
    "progress_caption",
    "promotion_issued",
    "quantity",
    "registration",
    "renew_sentence",
    "shown",
    "strategy_kind",
    "subscription_choice",
    "subscription_messages",
    "tabs",
    "tier_label",
    "tier_ladder",
    "tier_note",
    "upgrade_sentence",
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


def tabs(customer: Customer, section: str, *, can_see_raw: bool) -> tuple[Tab, ...]:
    """The tab bar of a customer page: the sections in SECTIONS' order, the raw response only
    for users who may see it, the cards tab with the number of cards; then the history."""
    sections = tuple(
        Tab(
            name,
            title,
            current=name == section,
            count=len(customer.cards) if name == "cards" else None,
        )
        for name, title in SECTIONS.items()
        if name != "raw" or can_see_raw
    )
    # Who looked the customer up closes the bar. It is no section: a page of the audit trail,
    # not of the backend's answer (no lookup, no entry of its own, outside the customer frame),
    # so it is never the current tab.
    return (*sections, Tab("history", "History"))


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
    """What the member needs to reach the next tier on one upgrade strategy."""
    if program.is_top_tier:
        return f"Already in the top tier ({_tier_name(program.current_tier, 'this program')})."
    target = _tier_name(program.next_tier, "the next tier")
    if step.gap is None:
        return f"The backend sent no figures for reaching {target}."
    if step.met:
        return f"Meets the {_goal(step)} goal for {target}."
    until = "" if step.until is None or step.never_expires else format_moment(step.until)
    by = f" by {until}" if until else ""
    return f"Needs {quantity(step, step.gap)}{by} to reach {target}."


def renew_sentence(program: Program, step: Progress) -> str:
    """What the member needs to keep the current tier on one renewal strategy."""
    tier = _tier_name(program.current_tier, "the current tier")
    if step.never_expires or program.tier_never_expires:
        return f"{tier} does not expire: nothing is needed to keep it."
    expiry = step.until or program.tier_expiry_date
    until = format_moment(expiry) if expiry is not None else ""
    if step.gap is None:
        return f"The backend sent no figures for keeping {tier}."
    if step.met:
        suffix = f" (tier expires {until})" if until else ""
        return f"Meets the {_goal(step)} goal to keep {tier}{suffix}."
    by = f" by {until}" if until else ""
    return f"Needs {quantity(step, step.gap)}{by} to keep {tier}."


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
    """One state of a program's points. key is stable for CSS and tests."""

    key: str
    label: str
    value: Decimal | None
    help: str


def points_by_state(program: Program) -> tuple[PointsLine, ...]:
    """Every points state of a program, in the order an agent explains them."""
    delayed = program.delayed_points
    return (
        PointsLine(
            "available",
            "Available",
            program.loyalty_points,
            "Can be redeemed now (loyalty points).",
        ),
        PointsLine(
            "pending", "Pending (delayed)", delayed, "Earned, credited after the delay period."
        ),
        PointsLine(
            "total_available",
            "Available with pending",
            program.total_available_points,
            "Available plus pending points.",
        ),
        PointsLine("lifetime", "Lifetime", program.lifetime_points, "Every point ever earned."),
        PointsLine("redeemed", "Redeemed", program.redeemed, "Spent on rewards."),
        PointsLine("expired", "Expired", program.expired, "Lapsed unused."),
        PointsLine("returned", "Returned", program.returned, "Taken back for returned purchases."),
        PointsLine("adjusted", "Adjusted", program.adjusted, "Added or removed by hand."),
        PointsLine(
            "pending_returned",
            "Pending returned",
            program.delayed_returned_points,
            "Pending points taken back.",
        ),
        PointsLine(
            "pending_expired",
            "Pending expired",
            program.delayed_expired_points,
            "Pending points that lapsed.",
        ),
    )


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of a tier ladder. state: "reached", "current", "next" or "above"; label says
    the state in words ("passed", "current · top tier", ...)."""

    serial: int
    name: str
    state: str
    label: str


def tier_ladder(program: Program) -> tuple[Rung, ...]:
    """The tiers from the base to the next one, as far as the document tells.

    The document names only the current and the next tier; lower tiers are numbered.
    """
    current = program.current_tier
    if current is None:
        return ()
    serial = current.serial_number if current.serial_number and current.serial_number > 0 else 1
    rungs = [Rung(n, f"Tier {n}", "reached", "passed") for n in range(1, serial)]
    here = "current \N{MIDDLE DOT} top tier" if program.is_top_tier else "current"
    rungs.append(Rung(serial, current.name, "current", here))
    following = program.next_tier
    if following is not None:
        next_serial = following.serial_number
        if next_serial is None or next_serial <= serial:
            next_serial = serial + 1
        rungs.extend(
            Rung(n, f"Tier {n}", "above", "above") for n in range(serial + 1, next_serial)
        )
        rungs.append(Rung(next_serial, following.name, "next", "next"))
    return tuple(rungs)


def _main_program(customer: Customer) -> Program | None:
    if customer.points_summary is not None and customer.points_summary.title:
        return customer.points_summary
    return customer.programs[0] if customer.programs else customer.points_summary


def points_headline(customer: Customer) -> str:
    """The one line an agent reads first about points."""
    program = _main_program(customer)
    if program is None or program.loyalty_points is None:
        return ""
    where = f" in {program.title}" if program.title else ""
    text = f"{format_number(program.loyalty_points)} points available{where}"
    if program.delayed_points:
        text += f" ({format_number(program.delayed_points)} pending)"
    others = len(customer.programs) - 1
    if others > 0:
        text += f"; {others} more program{'s' if others > 1 else ''}"
    return text


# The copy summary


def _identity_lines(
    customer: Customer, unmasked: bool, revealed: Collection[str]
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    profile = customer.primary_profile
    if profile is not None and profile.name_masked:
        rows.append(("Name", shown(MASKED, "name").text))
    else:
        name = f"{profile.first_name} {profile.last_name}".strip() if profile is not None else ""
        rows.append(
            ("Name", shown(name, "name", unmasked=unmasked, revealed=revealed).text or "-")
        )
    for label, kind in (("Mobile", "mobile"), ("Email", "email")):
        values = [
            item.value
            for item in (profile.identifiers if profile is not None else ())
            if item.type.lower() == kind
        ]
        for value in values:
            rows.append((label, shown(value, kind, unmasked=unmasked, revealed=revealed).text))
    for value in customer.external_ids:
        rows.append(("External id", value))
    return rows


def copy_summary(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    fetched_at: datetime | date | None = None,
) -> str:
    """A plain-text summary for pasting into a ticket, masked as the page is."""
    lines = [f"Customer {customer.id}"]
    lines += [
        f"{label}: {value}" for label, value in _identity_lines(customer, unmasked, revealed)
    ]
    if customer.customer_status is not None:
        status = customer.customer_status.label or customer.customer_status.status
        if status:
            lines.append(f"Status: {status}")
    if customer.fraud_details is not None and customer.fraud_details.is_flagged:
        lines.append(f"Fraud status: {customer.fraud_details.status}")
    profile = customer.primary_profile
    if profile is not None and profile.attribution.registered_on is not None:
        registered = format_moment(profile.attribution.registered_on)
        till = profile.attribution.registered_at
        lines.append(f"Registered: {registered}{f' at {till.label}' if till else ''}")
    for program in customer.programs or (
        (customer.points_summary,) if customer.points_summary else ()
    ):
        tier = program.current_tier.name if program.current_tier else "no tier"
        points = format_number(program.loyalty_points)
        line = f"{program.title or 'Program'}: {tier}"
        if program.current_tier is not None:
            expiry = format_moment(program.tier_expiry_date)
            if expiry:
                line += f" (tier expiry: {expiry})"
        if points:
            line += f", {points} points available"
        if program.delayed_points:
            line += f", {format_number(program.delayed_points)} pending"
        lines.append(line)
        for step in program.upgrade_strategies:
            lines.append(f"  {upgrade_sentence(program, step)}")
        for step in program.renew_strategies:
            lines.append(f"  {renew_sentence(program, step)}")
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
    customer: Customer, *, unmasked: bool = False, revealed: Collection[str] = ()
) -> str:
    """The customer's name as the user may see it, or "Customer <id>" when there is none."""
    fallback = f"Customer {customer.id}"
    name = customer.display_name
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


def heading(
    customer: Customer, *, unmasked: bool = False, revealed: Collection[str] = ()
) -> Heading:
    status = customer.customer_status
    fraud = customer.fraud_details
    name = display_name(customer, unmasked=unmasked, revealed=revealed)
    return Heading(
        name=name,
        numbered=customer.display_name != f"Customer {customer.id}",
        fraud=fraud.status if fraud is not None and fraud.is_flagged else "",
        status=(status.label or status.status) if status is not None else "",
        tiers=tuple(
            (program.current_tier.name, program.title)
            for program in customer.programs[:3]
            if program.current_tier is not None
        ),
    )


@dataclass(frozen=True, slots=True)
class WarningLine:
    """One backend warning as listed: its code, its message and the app's words for it."""

    code: str
    message: str
    explanation: str


def warning_lines(customer: Customer) -> tuple[WarningLine, ...]:
    return tuple(
        WarningLine(
            str(warning.code) if warning.code is not None else "no code",
            warning.message or "(no message)",
            warning_explanation(warning),
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
        return Label("not in this answer (embed customerStatus)", empty=True)
    note = f"({status.reason})" if status.reason else ""
    return Label(status.label or status.status or DASH, note=note)


def _fraud(customer: Customer) -> Label:
    fraud = customer.fraud_details
    if fraud is None:
        return Label("not in this answer (includedFraudDetails)", empty=True)
    if not fraud.is_flagged:
        return Label("not flagged", badge="status-ok")
    since = format_moment(fraud.modified_on)
    return Label(fraud.status, note=f"since {since}" if since else "", badge="status-bad")


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


def member_facts(customer: Customer) -> tuple[tuple[str, Label], ...]:
    """The overview's facts after the name and id, as (title, value)."""
    profile = customer.primary_profile
    registered = registration(profile)
    return (
        ("Status", _customer_status(customer)),
        ("Fraud", _fraud(customer)),
        ("Loyalty", _loyalty(customer)),
        ("Registered", Label(registered) if registered else Label("not sent", empty=True)),
        ("Last profile update", _last_update(profile)),
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
    if program.is_top_tier:
        return Label("none: this is the top tier")
    if program.next_tier is None:
        return Label("not sent", empty=True)
    return Label(program.next_tier.name)


def card_status(card: Card) -> Label:
    """A card's status as a coloured label, with the reason the backend gave."""
    if card.status is None:
        return Label("no status", empty=True)
    badge = _CARD_STATUS_BADGES.get(card.status.status.upper(), "status-neutral")
    return Label(card.status_label, note=card.status.reason, badge=badge)


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


def promotion_issued(promotion: PromotionalPoint) -> Label:
    """When promotional points were issued, noting where."""
    till = promotion.issued_at
    return Label(format_moment(promotion.issued_on) or DASH, note=till.label if till else "")


def expiry_kind(batch: PointsExpiry) -> str:
    """What kind of points expire and how: "REGULAR · FIXED_DATE"."""
    return " \N{MIDDLE DOT} ".join(filter(None, (batch.points_type or DASH, batch.expiry_type)))
