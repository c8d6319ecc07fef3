"""The search form: what the search page shows, filled in from a request's parameters.

The one search box (`q`) takes whatever the agent pasted; `customers.lookup.detect` reads it into
identifiers, which join the structured rows under Advanced (empty rows left out) before the
query is checked. Without the box the form and a pasted API query work exactly as before.

Validation is `LookupQuery.from_params`'s job (one place for the rules); this form only turns
parameters, in either the form's or the API's own style, back into fields, rows and ticked
boxes, with the query's error messages next to the fields they are about. The org's own rule
on top, a reason with every lookup when LOOKUP_REASON_REQUIRED is on, is `SearchForm.query`'s.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from customers.accounts.roles import allowed_sources
from customers.capillary.exceptions import InvalidQuery
from customers.capillary.query import (
    CARD_NUMBER,
    DEFAULT_EMBEDS,
    DEFAULT_FLAGS,
    EMAIL,
    EMBED_BY_FOLDED,
    EXTERNAL_ID,
    FRAUD_DETAILS,
    IDENTIFIER_BY_FOLDED,
    IDENTIFIER_NAMES,
    INSTORE,
    MOBILE,
    SOURCES,
    TRUTHY,
    LookupQuery,
    last_value,
    split_identifiers,
    split_list,
)
from customers.lookup import detect
from customers.pages.glossary import identifier_types, identifier_word

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The longest reason or ticket kept with a lookup or a reveal.
MAX_REASON = 500
# The one search box's parameter.
BOX = "q"
NOTHING_FOUND = gettext_lazy(
    "Nothing in the search box reads as a mobile, email, card number or external id: "
    "type or paste one."
)


def names_not_searchable() -> str:
    """What the box says of a name typed alone: the org's primary identifier to ask for."""
    primary = settings.LOOKUP_PRIMARY_IDENTIFIER or MOBILE
    # Translators: %(identifier)s is an identifier type: mobile, email, card number, external id.
    return _("Names cannot be searched: ask the caller for their %(identifier)s.") % {
        "identifier": identifier_word(primary)
    }


# Without JavaScript the page shows this many identifier rows; empty ones are ignored.
ROWS_WITHOUT_JS = 3

# What an identifier row's choice adds to the type's name (glossary.IDENTIFIER_TYPES).
IDENTIFIER_HINTS: dict[str, StrOrPromise] = {MOBILE: gettext_lazy("with country code")}

EMBED_LABELS: dict[str, StrOrPromise] = {
    "mlp": gettext_lazy("Tiers per program (mlp)"),
    "points": gettext_lazy("Points summary"),
    "alternateCurrencies": gettext_lazy("Alternate currencies"),
    "expirySchedules": gettext_lazy("Points expiry schedule"),
    "expiredPoints": gettext_lazy("Expired points"),
    "promotionalPoints": gettext_lazy("Promotional points"),
    "cardLoyaltyDetails": gettext_lazy("Card loyalty details"),
    "ignoreCardDetails": gettext_lazy("Leave cards out (faster)"),
    "subscriptions": gettext_lazy("Subscriptions"),
    "segments": gettext_lazy("Segments"),
    "customerStatus": gettext_lazy("Customer status"),
    "customerImage": gettext_lazy("Customer image"),
    "userGroup": gettext_lazy("User group"),
    "fleetParentDetails": gettext_lazy("Fleet parent"),
}

EMBED_GROUPS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
    (
        gettext_lazy("Tiers & points"),
        (
            "mlp",
            "points",
            "alternateCurrencies",
            "expirySchedules",
            "expiredPoints",
            "promotionalPoints",
        ),
    ),
    (pgettext_lazy("search blocks", "Cards"), ("cardLoyaltyDetails", "ignoreCardDetails")),
    (
        pgettext_lazy("search blocks", "Profile"),
        (
            "subscriptions",
            "segments",
            "customerStatus",
            "customerImage",
            "userGroup",
            "fleetParentDetails",
        ),
    ),
)

REASON_REQUIRED = gettext_lazy(
    "Give a reason or ticket number: this organisation keeps one with every lookup "
    "(LOOKUP_REASON_REQUIRED)."
)

FLAGS: tuple[tuple[str, StrOrPromise], ...] = (
    (FRAUD_DETAILS, gettext_lazy("Include fraud details")),
    ("includedUserGroup2LoyaltyDetails", gettext_lazy("Include user group loyalty details")),
    ("includedAllUserGroup2", gettext_lazy("Include all of the customer's user groups")),
)


def says_something(params: Mapping[str, list[str]]) -> bool:
    """Whether any parameter has a value that is not blank."""
    return any(value.strip() for values in params.values() for value in values)


# An identifier type as the API spells it, in a message shown under the search box.
_API_NAME = re.compile(rf"\b({'|'.join(name for name in IDENTIFIER_NAMES if name != MOBILE)})\b")


def _plain_name(match: re.Match[str]) -> str:
    return identifier_word(match[1])


def _sentences(*sentences: str) -> str:
    """Whole sentences, each translated as one, one after another (the empty left out)."""
    return " ".join(sentence for sentence in sentences if sentence)


def _capitalised(word: str) -> str:
    """`word` starting a sentence (scripts without case are left as they are)."""
    return word[:1].upper() + word[1:]


@dataclass(frozen=True)
class IdentifierRow:
    number: int
    name: str
    value: str


@dataclass(frozen=True)
class Checkbox:
    name: str
    label: StrOrPromise
    checked: bool


@dataclass
class SearchForm:
    """The search form's state. `errors` maps API parameter names to messages."""

    params: Mapping[str, list[str]] = field(default_factory=dict)
    errors: Mapping[str, list[str]] = field(default_factory=dict)
    sources: tuple[str, ...] = SOURCES
    bound: bool = False

    @classmethod
    def for_user(
        cls,
        user: Any,
        params: Mapping[str, list[str]] | None = None,
        errors: Mapping[str, list[str]] | None = None,
    ) -> SearchForm:
        """The form as `user` may use it (a store manager sees only their sources). Parameters
        that say nothing (none, or all empty: `/lookup/` typed, or signing in again after the
        session expired) open the org's defaults, never a form with every box unticked."""
        allowed = allowed_sources(user)
        sources = SOURCES if allowed is None else tuple(s for s in SOURCES if s in allowed)
        return cls(
            params=params or {},
            errors=errors or {},
            sources=sources or (INSTORE,),
            bound=params is not None and says_something(params),
        )

    def with_errors(self, errors: Mapping[str, list[str]]) -> SearchForm:
        return dataclasses.replace(self, errors=errors)

    def query(self) -> LookupQuery:
        """The query to send; raises InvalidQuery with the problems per parameter, the org's
        own rule among them: a reason with every lookup when LOOKUP_REASON_REQUIRED is on. All
        come back at once, so one round of corrections is enough."""
        missing_reason = settings.LOOKUP_REASON_REQUIRED and not self.reason.strip()
        own_errors = {"reason": [str(REASON_REQUIRED)]} if missing_reason else {}
        if self.box_text and not self.identifiers:
            names = any(item.name_word for item in self.detected)
            own_errors[BOX] = [names_not_searchable() if names else str(NOTHING_FOUND)]
        elif problems := detect.identifier_problems(self.identifiers, self._row_names):
            # Said here in plain words; the query does not see the clash (search_params).
            own_errors[BOX] = problems
        try:
            query = LookupQuery.from_params(self.search_params)
        except InvalidQuery as error:
            if own_errors:
                raise InvalidQuery(error.errors | own_errors) from error
            raise
        if own_errors:
            raise InvalidQuery(own_errors)
        return query

    @property
    def box_text(self) -> str:
        """What the search box holds (capped at detect.MAX_TEXT, without invisible format
        characters, digits as ASCII: what the chips' positions are in)."""
        return detect.clean(detect.capped(self._last(BOX))).strip()

    @property
    def box_hint(self) -> dict[str, str]:
        """The box's label, example and help, from what this org can find: its primary
        identifier first and, under dual eligibility, that the others need it beside them."""
        primary = settings.LOOKUP_PRIMARY_IDENTIFIER
        code = detect.country_code()
        # Translators: %(code)s is a country calling code's digits, e.g. 91.
        local = _("A local number gets +%(code)s.") % {"code": code} if code else ""
        how = _(
            "Several values: separate them with commas or new lines. To set a value's type, "
            "write it first, for example “card: 919876543210”. Names cannot be searched."
        )
        if not primary:
            return {
                "label": _("Mobile, email, card number or external id"),
                "placeholder": _("e.g. +91 99990 00001, or paste several"),
                "help": _sentences(
                    _(
                        "Paste anything: mobiles in any format, emails, card numbers, "
                        "external ids."
                    ),
                    local,
                    how,
                ),
            }
        word = identifier_word(primary)
        kinds = (EMAIL, CARD_NUMBER, EXTERNAL_ID)
        others = [identifier_word(k) for k in kinds if k != primary]
        if primary == MOBILE:
            placeholder = (
                _("The caller's mobile, e.g. 99990 00001")
                if code
                else _("The caller's mobile, e.g. +91 99990 00001")
            )
        else:
            # Translators: %(identifier)s is an identifier type: email, card number, external id.
            placeholder = _("The member's %(identifier)s") % {"identifier": word}
        # Translators: the org's rule for searching. %(identifier)s is the identifier type that
        # finds a member alone; %(first)s and %(second)s the two types that need it beside them.
        rule = _(
            "Ask for the %(identifier)s first: it finds the member. %(first)s or %(second)s "
            "find them only together with the %(identifier)s (this organisation's rule)."
        ) % {"identifier": word, "first": _capitalised(others[0]), "second": others[1]}
        return {
            # Translators: %(identifier)s is an identifier type: mobile, email, card number...
            "label": _("The member's %(identifier)s") % {"identifier": word},
            "placeholder": placeholder,
            "help": _sentences(rule, local, how),
        }

    @property
    def numbering(self) -> dict[str, object]:
        """The org's country code and national lengths, for the chips' script."""
        return detect.numbering()

    @property
    def detected(self) -> list[detect.Item]:
        """What the search box holds as the chips show it, as `customers.lookup.detect` reads it:
        the identifiers and the words it ignored."""
        return detect.read(self.box_text) if self.box_text else []

    @property
    def identifiers(self) -> list[detect.Item]:
        """The identifiers the search box holds (the words it ignored left out)."""
        return [item for item in self.detected if not item.ignored]

    @property
    def _row_names(self) -> list[str]:
        """The identifier types the rows under Advanced give (those holding a value)."""
        names, values = split_identifiers(self.params)
        return [name for name, value in zip(names, values, strict=False) if value.strip()]

    @property
    def search_params(self) -> Mapping[str, list[str]]:
        """The parameters as the query takes them. From the search form (it always sends the
        box, empty or not), the box's identifiers join the structured rows that hold a value;
        a pasted API query (no box) is taken as it came."""
        if BOX not in self.params:
            # Not the search form (a pasted API query): its parameters as they came.
            return self.params
        names, values = split_identifiers(self.params)
        pairs = [
            (name, value)
            for name, value in itertools.zip_longest(names, values, fillvalue="")
            if value.strip()
        ]
        # A box value of a type already given is left out: the form refuses the clash itself,
        # in plain words, rather than with the query's message (query()).
        given = {IDENTIFIER_BY_FOLDED.get(name.strip().casefold(), name) for name, _ in pairs}
        for item in self.identifiers:
            if item.kind not in given:
                given.add(item.kind)
                pairs.append((item.kind, item.value))
        return {
            **self.params,
            "identifierName": [name for name, _ in pairs],
            "identifierValue": [value for _, value in pairs],
        }

    @property
    def typed(self) -> dict[str, Any]:
        """What the search asked for, as typed: the audit entry of a search that was not sent
        (masked there like any other)."""
        return {
            "source": self._last("source").strip().upper(),
            "account_id": self.account_id.strip(),
            "identifiers": self.identifier_pairs,
            "embeds": sorted(self.embeds),
            "reason": self.reason,
        }

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """Every field as sent, for a form that sends the same search again."""
        return [(name, value) for name, values in self.params.items() for value in values]

    def _last(self, name: str) -> str:
        return last_value(self.params, name)

    @property
    def source(self) -> str:
        typed = self._last("source").strip().upper()
        if typed in self.sources:
            return typed
        return INSTORE if INSTORE in self.sources else self.sources[0]

    @property
    def account_id(self) -> str:
        return self._last("accountId")

    @property
    def reason(self) -> str:
        return self._last("reason").strip()[:MAX_REASON]

    @property
    def reason_required(self) -> bool:
        return bool(settings.LOOKUP_REASON_REQUIRED)

    @property
    def identifier_choices(self) -> list[tuple[str, str]]:
        return [
            (
                name,
                # Translators: an identifier type and what to type with it: "Mobile (with
                # country code)".
                _("%(type)s (%(hint)s)") % {"type": label, "hint": IDENTIFIER_HINTS[name]}
                if name in IDENTIFIER_HINTS
                else label,
            )
            for name, label in identifier_types().items()
        ]

    @property
    def rows(self) -> list[IdentifierRow]:
        """The identifier rows as the query split them, comma-joined lists one row each (with
        the search box in use, only the rows that hold a value)."""
        names, values = split_identifiers(self.params)
        pairs = [
            (name, value)
            for name, value in itertools.zip_longest(names, values, fillvalue="")
            if (value.strip() if self.box_text else name or value.strip())
        ]
        pairs = [(IDENTIFIER_BY_FOLDED.get(n.casefold(), n), v) for n, v in pairs]
        if not pairs:
            pairs = [(MOBILE, "")]
        pairs += [("", "")] * (ROWS_WITHOUT_JS - len(pairs))
        return [
            IdentifierRow(number, name, value)
            for number, (name, value) in enumerate(pairs[: len(IDENTIFIER_NAMES)], 1)
        ]

    @property
    def embeds(self) -> set[str]:
        if not self.bound:
            return set(DEFAULT_EMBEDS)
        typed = split_list(self.params.get("embed", []))
        return {EMBED_BY_FOLDED[p.casefold()] for p in typed if p.casefold() in EMBED_BY_FOLDED}

    @property
    def embed_groups(self) -> list[tuple[StrOrPromise, list[Checkbox]]]:
        chosen = self.embeds
        return [
            (title, [Checkbox(name, EMBED_LABELS[name], name in chosen) for name in names])
            for title, names in EMBED_GROUPS
        ]

    @property
    def flags(self) -> list[Checkbox]:
        if not self.bound:
            return [Checkbox(name, label, name in DEFAULT_FLAGS) for name, label in FLAGS]
        return [
            Checkbox(name, label, self._last(name).strip().lower() in TRUTHY)
            for name, label in FLAGS
        ]

    @property
    def user_group2_id(self) -> str:
        return self._last("userGroup2Id")

    @property
    def gap_to_upgrade(self) -> str:
        return self._last("gapToUpgrade")

    @property
    def gap_to_renew(self) -> str:
        return self._last("gapToRenew")

    @property
    def advanced_open(self) -> bool:
        """Unfold Advanced when what it holds differs from the defaults or has an error: a
        source other than the default, an account id, filled-in identifier rows, other blocks
        or options."""
        numbers = ("userGroup2Id", "gapToUpgrade", "gapToRenew")
        changed = any(box.checked != (box.name in DEFAULT_FLAGS) for box in self.flags)
        return (
            changed
            or self._rows_used
            or self.embeds != set(DEFAULT_EMBEDS)
            or self.source != (INSTORE if INSTORE in self.sources else self.sources[0])
            or bool(self.account_id.strip())
            or any(self._last(name).strip() for name in numbers)
            or any(self.errors.get(name) for name in (*(n for n, _ in FLAGS), *numbers))
            or any(self.errors.get(name) for name in ("source", "accountId", "embed"))
        )

    @property
    def identifier_errors(self) -> list[str]:
        return [*self.errors.get("identifierName", []), *self.errors.get("identifierValue", [])]

    @property
    def box_errors(self) -> list[str]:
        """The messages shown under the search box: its own, and the identifiers' when the box
        was used (they are about what it held), with the types in the chips' words rather than
        the API's (`externalId`)."""
        shown = self.identifier_errors if self.errors_at_box else []
        return [*self.errors.get(BOX, []), *(_API_NAME.sub(_plain_name, msg) for msg in shown)]

    @property
    def errors_at_box(self) -> bool:
        """Whether the identifiers' messages go under the box (it was used, or nothing was
        typed anywhere) rather than under the rows."""
        return bool(self.box_text) or not self._rows_used

    @property
    def _rows_used(self) -> bool:
        return any(row.value.strip() for row in self.rows)

    @property
    def other_errors(self) -> list[str]:
        """Messages about parameters the form has no field for (a pasted query's extras)."""
        shown = {
            "source",
            "accountId",
            "reason",
            "identifierName",
            "identifierValue",
            "embed",
            "userGroup2Id",
            "gapToUpgrade",
            "gapToRenew",
            BOX,
            *(name for name, _ in FLAGS),
        }
        return [msg for name, msgs in self.errors.items() if name not in shown for msg in msgs]

    @property
    def flag_errors(self) -> list[str]:
        return [msg for name, _ in FLAGS for msg in self.errors.get(name, [])]

    @property
    def identifier_pairs(self) -> list[tuple[str, str]]:
        """The non-empty rows and what the search box held, for the audit entry of a refused
        search (masked there)."""
        rows = [(row.name, row.value) for row in self.rows if row.value.strip()]
        return rows + [(item.kind, item.value) for item in self.identifiers]
