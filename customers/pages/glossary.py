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

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

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
_BLOCK_NAMES: Mapping[str, Promise] = {
    POINTS: pgettext_lazy("block of the answer", "points"),
    CURRENCY: pgettext_lazy("block of the answer", "alternate currencies"),
    GROUP: pgettext_lazy("block of the answer", "group programs"),
    MEMBER: pgettext_lazy("block of the answer", "loyalty"),
}


@dataclass(frozen=True, slots=True)
class Term:
    """One state of points or currency. `fields` maps a block (POINTS, CURRENCY, ...) to the
    API field the figure in that block is read from."""

    key: str
    # Translated when read (label, meaning), in the language of the request.
    label_text: str | Promise
    meaning_text: str | Promise
    fields: Mapping[str, str]

    @property
    def label(self) -> str:
        """The state's name: "Available to redeem"."""
        return str(self.label_text)

    @property
    def meaning(self) -> str:
        """What the state means, in plain words."""
        return str(self.meaning_text)

    def field(self, block: str) -> str:
        """The API field of this state in that block, "" when the block has none."""
        return self.fields.get(block, "")

    def hint(self, block: str = "") -> str:
        """The API field(s) for those who know the API: one block's, or every block's."""
        if block:
            name = self.field(block)
            # Translators: %(field)s is the name of a field of Capillary's API, as it is.
            return _("Capillary field: %(field)s") % {"field": name} if name else ""
        fields = pgettext("list separator", ", ").join(
            # Translators: a field of Capillary's API, as it is, and the block it is in.
            _("%(field)s (%(block)s)") % {"field": name, "block": _BLOCK_NAMES[kind]}
            for kind, name in self.fields.items()
        )
        return _("Capillary fields: %(fields)s") % {"fields": fields}


def _term(key: str, label: Promise, meaning: Promise, **fields: str) -> Term:
    return Term(key, label, meaning, MappingProxyType(fields))


TERMS: Mapping[str, Term] = MappingProxyType(
    {
        term.key: term
        for term in (
            _term(
                "available",
                pgettext_lazy("points state", "Available to redeem"),
                gettext_lazy(
                    "The member's points balance as the answer gives it: what the program counts "
                    "as redeemable (the org's rules, a fraud status among them, may still block a "
                    "redemption)."
                ),
                points="loyaltyPoints",
                currency="earned",
                group="loyaltyPoints",
            ),
            _term(
                "pending",
                pgettext_lazy("points state", "Pending"),
                gettext_lazy(
                    "Delayed, as the answer counts it: not in the balance available to redeem "
                    "(Capillary's document names the figure without saying when it is released)."
                ),
                points="delayedPoints",
                currency="delayedEarned",
                group="promisedPoints",
            ),
            _term(
                "available_and_pending",
                pgettext_lazy("points state", "Available to redeem and pending"),
                gettext_lazy(
                    "The two together: only the part available to redeem counts as redeemable."
                ),
                points="totalAvailablePoints",
                currency="totalAvailable",
            ),
            _term(
                "redeemed",
                pgettext_lazy("points state", "Redeemed"),
                gettext_lazy(
                    "Redeemed, as the answer counts it (Capillary's document names the figure "
                    "without saying on what)."
                ),
                points="redeemed",
                currency="redeemed",
            ),
            _term(
                "expired",
                pgettext_lazy("points state", "Expired"),
                gettext_lazy("Lapsed before it was spent."),
                points="expired",
                currency="expired",
            ),
            _term(
                "returned",
                pgettext_lazy("points state", "Returned"),
                gettext_lazy(
                    "Returned to the customer, in Capillary's words (the answer does not say why)."
                ),
                points="returned",
                currency="returned",
            ),
            _term(
                "adjusted",
                pgettext_lazy("points state", "Adjusted"),
                gettext_lazy(
                    "Added or taken away by an adjustment (the answer does not say by whom)."
                ),
                points="adjusted",
            ),
            _term(
                "pending_returned",
                pgettext_lazy("points state", "Pending returned"),
                gettext_lazy("Pending, counted as returned (the answer does not say why)."),
                points="delayedReturnedPoints",
                currency="delayedReturned",
            ),
            _term(
                "pending_expired",
                pgettext_lazy("points state", "Pending expired"),
                gettext_lazy("Pending that lapsed before its release."),
                points="delayedExpiredPoints",
                currency="delayedExpired",
            ),
            _term(
                "lifetime",
                pgettext_lazy("points state", "Lifetime"),
                gettext_lazy("Everything ever earned, whatever became of it since."),
                points="lifetimePoints",
                currency="lifetimeEarned",
                group="lifetimePoints",
            ),
            _term(
                "lifetime_pending",
                pgettext_lazy("points state", "Lifetime pending"),
                gettext_lazy("Everything ever earned as pending, released or not."),
                currency="delayedLifetimeEarned",
            ),
            _term(
                "lifetime_purchases",
                pgettext_lazy("points state", "Lifetime purchases"),
                gettext_lazy("What the member has bought in all, as the org counts purchases."),
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
# Brand names (WeChat, LINE, WhatsApp) are not translated.
IDENTIFIER_TYPES: Mapping[str, str | Promise] = MappingProxyType(
    {
        MOBILE: pgettext_lazy("identifier type", "Mobile"),
        EMAIL: pgettext_lazy("identifier type", "Email"),
        EXTERNAL_ID: pgettext_lazy("identifier type", "External id"),
        CARD_NUMBER: pgettext_lazy("identifier type", "Card number"),
        CARD_EXTERNAL_ID: pgettext_lazy("identifier type", "Card external id"),
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
        return str(known)
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
    return {name: str(IDENTIFIER_TYPES[name]) for name in IDENTIFIER_NAMES}


def identifiers_plain(items: object) -> str:
    """`Mobile 91******0001, External id ****0404`: an audit entry's identifiers (already
    masked) in these words, for the lists agents read (My lookups, history, recent lookups)."""
    pairs = (
        (identifier_label(str(item.get("name", ""))), item.get("value", ""))
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    )
    # Translators: an identifier's type ("Mobile") and its value, already masked.
    return pgettext("list separator", ", ").join(
        (_("%(type)s %(value)s") % {"type": name, "value": value}).strip() for name, value in pairs
    )


# The blocks a search can ask for (the API's embed names) as the search form names them.
_BLOCK_LABELS: Mapping[str, Promise] = MappingProxyType(
    {
        "mlp": gettext_lazy("Tiers per program"),
        "points": gettext_lazy("Points summary"),
        "alternateCurrencies": gettext_lazy("Alternate currencies"),
        "expirySchedules": gettext_lazy("Points expiry schedule"),
        "expiredPoints": gettext_lazy("Expired points"),
        "promotionalPoints": gettext_lazy("Promotional points"),
        "subscriptions": gettext_lazy("Subscriptions"),
        "segments": gettext_lazy("Segments"),
        "customerStatus": gettext_lazy("Customer status"),
        "customerImage": gettext_lazy("Customer image"),
        "userGroup": gettext_lazy("User group"),
        # A flag, not a block, asked for the same way.
        "includedFraudDetails": gettext_lazy("Include fraud details"),
    }
)


def not_asked(block: str) -> str:
    """The one wording for a block a search may not have asked for: how to ask for it."""
    label = _BLOCK_LABELS.get(block, block)
    # Translators: follows a statement that a block is not in the answer; %(box)s is a tick
    # box of the search form, by its label.
    return _("or not asked for: tick “%(box)s” under Advanced and search again") % {"box": label}


# Capillary's source names (where a profile or an enrolment came from) in the agent's words.
# Brand names (WeChat, Facebook, LINE, Tmall, JD.com) are not translated.
SOURCE_NAMES: Mapping[str, str | Promise] = MappingProxyType(
    {
        "INSTORE": pgettext_lazy("source", "In store"),
        "ALL": pgettext_lazy("source", "All sources"),
        "MOBILE_APP": pgettext_lazy("source", "Mobile app"),
        "WECHAT": "WeChat",
        "MARTJACK": pgettext_lazy("source", "Online store"),
        "ECOMMERCE": pgettext_lazy("source", "Online store"),
        "WEB_ENGAGEMENT": pgettext_lazy("source", "Website"),
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
    known = SOURCE_NAMES.get(key)
    return str(known) if known else key.replace("_", " ").capitalize()


# Points types and expiry kinds of an expiry schedule, in words.
_EXPIRY_WORDS: Mapping[str, Promise] = MappingProxyType(
    {
        "bill_regular": pgettext_lazy("points expiry", "points from purchases"),
        "regular": pgettext_lazy("points expiry", "points from purchases"),
        "bill_promotional": pgettext_lazy("points expiry", "promotional points from purchases"),
        "promotional": pgettext_lazy("points expiry", "promotional points"),
        "goodwill": pgettext_lazy("points expiry", "goodwill points"),
        "fixed": pgettext_lazy("points expiry", "on a fixed date"),
        "fixed_date": pgettext_lazy("points expiry", "on a fixed date"),
        "rolling": pgettext_lazy("points expiry", "a set time after earning"),
        "never": pgettext_lazy("points expiry", "never"),
    }
)


def expiry_words(code: str | None) -> str:
    """A points type or expiry kind of the schedule in words ("points from purchases")."""
    key = (code or "").strip().lower()
    if not key:
        return ""
    known = _EXPIRY_WORDS.get(key)
    return str(known) if known else key.replace("_", " ")
