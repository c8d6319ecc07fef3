"""The one glossary of point and currency states: the words every page and the copy summary use.

An agent reads a figure aloud to a member, so "available" must always mean what can be spent
now, on every page and in every program, points or alternate currency. Each state is defined
here once: its label, what it means in plain words, and the Capillary field it is read from in
each kind of block (a hint for those who know the API: pages show it on hover and in the
glossary's list). Pages print the labels through the `term` tag (customers.templatetags) and
sentences through `word`; nothing else names a state.

Meanings say no more than the contract (lookup-api.md) gives: it lists the states' fields by
name, mostly without defining them, and a meaning then says only how the answer counts the
figure, never why (no "spent on rewards", no "because a purchase was returned").

Public names:
    Term                                one state: key, label, meaning, fields by block
    TERMS                               every term by key, in the order pages list them
    term(key) -> Term                   KeyError for a key that is not in the glossary
    word(key) -> str                    the label as a sentence uses it ("available to redeem")
    POINTS, CURRENCY, GROUP, MEMBER     the blocks a figure can come from
    IDENTIFIER_TYPES                    the one table of identifier-type names, by API name
    identifier_label(type) -> str       an identifier's type as agents say it ("External id")
    identifier_word(type) -> str        the same inside a sentence ("external id", "WeChat")
    identifier_types() -> dict          the search box's types and their names (for lookup.js)
    identifiers_plain(items) -> str     an audit entry's identifiers in these words
    not_asked(block) -> str             the one wording for a block a search may not have asked
                                        for, and how to ask for it
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from customers.capillary.query import (
    CARD_EXTERNAL_ID,
    CARD_NUMBER,
    EMAIL,
    EXTERNAL_ID,
    IDENTIFIER_NAMES,
    MOBILE,
    WECHAT,
)

__all__ = [
    "CURRENCY",
    "GROUP",
    "IDENTIFIER_TYPES",
    "MEMBER",
    "POINTS",
    "TERMS",
    "Term",
    "identifier_label",
    "identifier_types",
    "identifier_word",
    "identifiers_plain",
    "not_asked",
    "term",
    "word",
]

# The blocks of the customer document a figure comes from.
POINTS = "points"  # a loyaltyProgramDetails item, pointsSummary, a user group's pointsSummaries
CURRENCY = "currency"  # an alternateCurrencyData item
GROUP = "group"  # a groupLoyaltyProgramDetails item
MEMBER = "member"  # loyaltyInfo

# How the blocks are named in a hint.
_BLOCK_NAMES: Mapping[str, str] = {
    POINTS: "points",
    CURRENCY: "alternate currencies",
    GROUP: "group programs",
    MEMBER: "loyalty",
}


@dataclass(frozen=True, slots=True)
class Term:
    """One state of points or currency. `fields` maps a block (POINTS, CURRENCY, ...) to the
    API field the figure in that block is read from."""

    key: str
    label: str
    meaning: str
    fields: Mapping[str, str]

    def field(self, block: str) -> str:
        """The API field of this state in that block, "" when the block has none."""
        return self.fields.get(block, "")

    def hint(self, block: str = "") -> str:
        """The API field(s) for those who know the API: one block's, or every block's."""
        if block:
            name = self.field(block)
            return f"Capillary field: {name}" if name else ""
        return "Capillary fields: " + ", ".join(
            f"{name} ({_BLOCK_NAMES[kind]})" for kind, name in self.fields.items()
        )


def _term(key: str, label: str, meaning: str, **fields: str) -> Term:
    return Term(key, label, meaning, MappingProxyType(fields))


TERMS: Mapping[str, Term] = MappingProxyType(
    {
        term.key: term
        for term in (
            _term(
                "available",
                "Available to redeem",
                "The member's points balance as the answer gives it: what the program counts "
                "as redeemable (the org's rules, a fraud status among them, may still block a "
                "redemption).",
                points="loyaltyPoints",
                currency="earned",
                group="loyaltyPoints",
            ),
            _term(
                "pending",
                "Pending",
                "Delayed, as the answer counts it: not in the balance available to redeem "
                "(Capillary's document names the figure without saying when it is released).",
                points="delayedPoints",
                currency="delayedEarned",
                group="promisedPoints",
            ),
            _term(
                "available_and_pending",
                "Available to redeem and pending",
                "The two together: only the part available to redeem counts as redeemable.",
                points="totalAvailablePoints",
                currency="totalAvailable",
            ),
            _term(
                "redeemed",
                "Redeemed",
                "Redeemed, as the answer counts it (Capillary's document names the figure "
                "without saying on what).",
                points="redeemed",
                currency="redeemed",
            ),
            _term(
                "expired",
                "Expired",
                "Lapsed before it was spent.",
                points="expired",
                currency="expired",
            ),
            _term(
                "returned",
                "Returned",
                "Returned to the customer, in Capillary's words (the answer does not say why).",
                points="returned",
                currency="returned",
            ),
            _term(
                "adjusted",
                "Adjusted",
                "Added or taken away by an adjustment (the answer does not say by whom).",
                points="adjusted",
            ),
            _term(
                "pending_returned",
                "Pending returned",
                "Pending, counted as returned (the answer does not say why).",
                points="delayedReturnedPoints",
                currency="delayedReturned",
            ),
            _term(
                "pending_expired",
                "Pending expired",
                "Pending that lapsed before its release.",
                points="delayedExpiredPoints",
                currency="delayedExpired",
            ),
            _term(
                "lifetime",
                "Lifetime",
                "Everything ever earned, whatever became of it since.",
                points="lifetimePoints",
                currency="lifetimeEarned",
                group="lifetimePoints",
            ),
            _term(
                "lifetime_pending",
                "Lifetime pending",
                "Everything ever earned as pending, released or not.",
                currency="delayedLifetimeEarned",
            ),
            _term(
                "lifetime_purchases",
                "Lifetime purchases",
                "What the member has bought in all, as the org counts purchases.",
                member="lifetimePurchases",
            ),
        )
    }
)


def term(key: str) -> Term:
    """The glossary's term for this state; KeyError for any other word."""
    return TERMS[key]


def word(key: str) -> str:
    """The label as a sentence uses it: "available to redeem", "pending"."""
    return TERMS[key].label.lower()


# Identifier types as the API spells them -> as agents say them: the one table of their names.
# The search form, the search box's chips (lookup.js receives it from the page, through
# `identifier_types`), its messages, the member's pages and the lists of lookups all use it.
IDENTIFIER_TYPES: Mapping[str, str] = MappingProxyType(
    {
        MOBILE: "Mobile",
        EMAIL: "Email",
        EXTERNAL_ID: "External id",
        CARD_NUMBER: "Card number",
        CARD_EXTERNAL_ID: "Card external id",
        WECHAT: "WeChat",
        "line": "LINE",
        "whatsapp": "WhatsApp",
    }
)
# Capillary's answers do not keep one case (EXTERNAL_ID, externalid, externalId).
_IDENTIFIER_BY_FOLDED = {name.casefold(): label for name, label in IDENTIFIER_TYPES.items()}


def identifier_label(kind: str) -> str:
    """An identifier's type in plain words: "mobile" -> "Mobile", "externalId" -> "External
    id"; a type the app does not know split into words ("pushToken" -> "Push token"); "" for
    none."""
    known = _IDENTIFIER_BY_FOLDED.get(kind.casefold())
    if known:
        return known
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_\-]+", " ", kind).split()
    return " ".join(words).capitalize()


def identifier_word(kind: str) -> str:
    """The type's name inside a sentence: "mobile", "external id", but "WeChat" and "LINE"
    keep the capitals of their brand."""
    label = identifier_label(kind)
    return label.lower() if label == label.capitalize() else label


def identifier_types() -> dict[str, str]:
    """The types a search takes (the search form's and the chips') and their names, in the
    form's order: what the search page hands to lookup.js."""
    return {name: IDENTIFIER_TYPES[name] for name in IDENTIFIER_NAMES}


def identifiers_plain(items: object) -> str:
    """`Mobile 91******0001, External id ****0404`: an audit entry's identifiers (already
    masked) in these words, for the lists agents read (My lookups, history, recent lookups)."""
    pairs = (
        (identifier_label(str(item.get("name", ""))), item.get("value", ""))
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    )
    return ", ".join(f"{name} {value}".strip() for name, value in pairs)


# The blocks a search can ask for (the API's embed names) as the search form names them.
_BLOCK_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "mlp": "Tiers per program",
        "points": "Points summary",
        "alternateCurrencies": "Alternate currencies",
        "expirySchedules": "Points expiry schedule",
        "expiredPoints": "Expired points",
        "promotionalPoints": "Promotional points",
        "subscriptions": "Subscriptions",
        "segments": "Segments",
        "customerStatus": "Customer status",
        "customerImage": "Customer image",
        "userGroup": "User group",
        # A flag, not a block, asked for the same way.
        "includedFraudDetails": "Include fraud details",
    }
)


def not_asked(block: str) -> str:
    """The one wording for a block a search may not have asked for: how to ask for it."""
    label = _BLOCK_LABELS.get(block, block)
    return f"or not asked for: tick “{label}” under Advanced and search again"


# Capillary's source names (where a profile or an enrolment came from) in the agent's words.
SOURCE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "INSTORE": "In store",
        "ALL": "All sources",
        "MOBILE_APP": "Mobile app",
        "WECHAT": "WeChat",
        "MARTJACK": "Online store",
        "ECOMMERCE": "Online store",
        "WEB_ENGAGEMENT": "Website",
        "FACEBOOK": "Facebook",
        "LINE": "LINE",
        "TMALL": "Tmall",
        "JD": "JD.com",
    }
)


def source_name(code: str | None) -> str:
    """A source as the pages name it: "In store" for INSTORE; an unknown one in words."""
    key = (code or "").strip().upper()
    if not key:
        return ""
    return SOURCE_NAMES.get(key) or key.replace("_", " ").capitalize()


# Points types and expiry kinds of an expiry schedule, in words.
_EXPIRY_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "bill_regular": "points from purchases",
        "regular": "points from purchases",
        "bill_promotional": "promotional points from purchases",
        "promotional": "promotional points",
        "goodwill": "goodwill points",
        "fixed": "on a fixed date",
        "fixed_date": "on a fixed date",
        "rolling": "a set time after earning",
        "never": "never",
    }
)


def expiry_words(code: str | None) -> str:
    """A points type or expiry kind of the schedule in words ("points from purchases")."""
    key = (code or "").strip().lower()
    if not key:
        return ""
    return _EXPIRY_WORDS.get(key) or key.replace("_", " ")
