"""The lookup query: every documented parameter, validated and normalised once.

`LookupQuery.from_params` is the one way in from what a person typed or pasted; `to_params` is
the wire form, and `by_id` the part of it GET /v2/customers/{id} takes. Reference: Capillary API
docs, "Get Customer Details" (lookup), GET /v2/customers/lookup/customerDetails, and "Get
Customer Details" (v2, by id).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from customers.capillary.exceptions import InvalidQuery

# How a parameter's problem is reported while a query is built: (parameter name, message).
Report = Callable[[str, str], None]

INSTORE = "INSTORE"
ALL = "ALL"
# Sources Capillary's reference names as examples; orgs have others (TMALL, JD, ECOMMERCE,
# WEBSITE, ZALO, ...), so any name of the same shape is accepted (SOURCE_NAME).
SOURCES: tuple[str, ...] = (
    INSTORE,
    "MARTJACK",
    "WECHAT",
    ALL,
    "MAPP_SDK",
    "FACEBOOK",
    "LINE",
    "WEB_ENGAGE",
    "MOBILE_APP",
    "WHATSAPP",
)

# A source's name as Capillary writes them: capitals, digits and underscores (MAPP_SDK).
SOURCE_NAME = re.compile(r"[A-Z][A-Z0-9_]{1,39}")

MOBILE = "mobile"
EMAIL = "email"
EXTERNAL_ID = "externalId"
CARD_NUMBER = "cardnumber"
WECHAT = "wechat"
CARD_EXTERNAL_ID = "cardExternalId"
# The five names the current reference documents (the search form offers these) ...
IDENTIFIER_NAMES: tuple[str, ...] = (MOBILE, EMAIL, EXTERNAL_ID, CARD_NUMBER, WECHAT)
# ... and every name a query accepts: older documentation also has cardExternalId.
ACCEPTED_IDENTIFIER_NAMES: tuple[str, ...] = (*IDENTIFIER_NAMES, CARD_EXTERNAL_ID)

MLP = "mlp"
EMBEDS: tuple[str, ...] = (
    "points",
    "subscriptions",
    MLP,
    "promotionalPoints",
    "expirySchedules",
    "expiredPoints",
    "segments",
    "userGroup",
    "customerImage",
    "cardLoyaltyDetails",
    "fleetParentDetails",
    "ignoreCardDetails",
    "customerStatus",
    "alternateCurrencies",
)

# What a search asks for unless the agent changes it, and what a page fetched by id asks for when
# no lookup said otherwise: tiers and points, when points expire (the overview's "next expiry"),
# currencies, subscriptions, segments, status.
DEFAULT_EMBEDS: tuple[str, ...] = (
    MLP,
    "points",
    "expirySchedules",
    "alternateCurrencies",
    "subscriptions",
    "segments",
    "customerStatus",
)

# What GET /v2/customers/{customerId} takes. Reference: Capillary API docs, "Get Customer
# Details" (v2, by id): source is one of INSTORE, MARTJACK, WECHAT, LINE and ALL; embed takes
# points, subscriptions, mlp, userGroup, gapDetails, promotionalPoints, expirySchedules,
# expiredPoints, customerImage, returnedPoints, associatedImages and segments; the flags are
# includedFraudDetails and the user-group ones. It has no gapToUpgrade or gapToRenew, and none
# of alternateCurrencies, customerStatus, cardLoyaltyDetails, fleetParentDetails or
# ignoreCardDetails.
BY_ID_SOURCES: tuple[str, ...] = (INSTORE, "MARTJACK", "WECHAT", "LINE", ALL)
BY_ID_EMBEDS = frozenset(
    {
        "points",
        "subscriptions",
        MLP,
        "userGroup",
        "promotionalPoints",
        "expirySchedules",
        "expiredPoints",
        "customerImage",
        "segments",
    }
)
# What by_id() reports when it had to leave the query's source or gaps out.
SOURCE = "source"
GAP_TO_UPGRADE = "gapToUpgrade"
GAP_TO_RENEW = "gapToRenew"

FRAUD_DETAILS = "includedFraudDetails"
# Flags a search ticks unless the agent unticks them, and a page fetched by id asks with when no
# lookup said otherwise: a fraud mark is the one thing an agent must not miss.
DEFAULT_FLAGS: tuple[str, ...] = (FRAUD_DETAILS,)

# People type names in any case ("Email", "cardNumber", "EXTERNALID"); the API wants one spelling.
IDENTIFIER_BY_FOLDED = {name.casefold(): name for name in ACCEPTED_IDENTIFIER_NAMES}
EMBED_BY_FOLDED = {name.casefold(): name for name in EMBEDS}
TRUTHY = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no", ""}
_MOBILE_PUNCTUATION = re.compile(r"[\s\-().\u00a0/]")
# str.isdigit() also accepts "²" or Devanagari digits, which int() refuses or the API cannot match.
_ASCII_DIGITS = re.compile(r"[0-9]+")
# NUL and other control characters: a database cannot store some of them, and none is typed.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, repr=False)
class LookupQuery:
    source: str
    account_id: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()
    embed: tuple[str, ...] = ()
    included_fraud_details: bool = False
    included_user_group2_loyalty_details: bool = False
    user_group2_id: int | None = None
    included_all_user_group2: bool = False
    gap_to_upgrade: int | None = None
    gap_to_renew: int | None = None

    def __repr__(self) -> str:
        # Queries end up in tracebacks and debug output: never show identifier values there.
        names = ",".join(name for name, _ in self.identifiers)
        return (
            f"LookupQuery(source={self.source!r}, account_id={self.account_id!r}, "
            f"identifiers=[{names}], embed={self.embed!r})"
        )

    @classmethod
    def from_params(cls, params: Mapping[str, list[str]]) -> LookupQuery:
        """Build a query from the API's own query string or from the search form.

        Lists may come comma-joined (`identifierName=mobile,email`) or as repeated fields
        (`identifierName=mobile&identifierName=email`); both give the same query.
        """
        errors: dict[str, list[str]] = {}

        def error(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        source = last_value(params, "source").strip().upper()
        if _CONTROL.search(source):
            error("source", gettext("The source contains a control character: type it again."))
        elif not source:
            error("source", gettext("Choose a source, for example INSTORE."))
        elif not SOURCE_NAME.fullmatch(source):
            error(
                "source",
                gettext(
                    "A source is a name in capitals, digits and underscores, such as INSTORE, "
                    "WECHAT or MAPP_SDK."
                ),
            )

        account_id = last_value(params, "accountId").strip()
        # accountId does not apply to INSTORE: a pasted one is dropped rather than refused.
        if source == INSTORE:
            account_id = ""
        # Capillary's document makes the account id mandatory for every source but INSTORE, ALL
        # included. A search of ALL without one is still sent (an org may answer it, and the
        # sandbox does), but the form says beforehand what it risks, and a not-found after it
        # leads with the missing account id (LookupQuery.lacks_account_id).
        elif SOURCE_NAME.fullmatch(source) and source != ALL and not account_id:
            error(
                "accountId",
                gettext(
                    "Give the account id: Capillary needs one for every source except %(instore)s."
                )
                % {"instore": INSTORE},
            )
        elif "," in account_id:
            error("accountId", gettext("The account id cannot contain a comma."))
        elif _CONTROL.search(account_id):
            error(
                "accountId",
                gettext("The account id contains a control character: type it again."),
            )

        identifiers = _identifiers(params, error)
        embed = _embed(params, error)
        flags = {
            param: _bool(params, param, error)
            for param in (
                "includedFraudDetails",
                "includedUserGroup2LoyaltyDetails",
                "includedAllUserGroup2",
            )
        }
        user_group2_id = _int(params, "userGroup2Id", error, minimum=1)
        gaps = {
            param: _int(params, param, error, minimum=0)
            for param in ("gapToUpgrade", "gapToRenew")
        }
        for param, value in gaps.items():
            if value is not None and MLP not in embed:
                error(
                    param,
                    # Translators: %(param)s is gapToUpgrade or gapToRenew, %(mlp)s is "mlp".
                    gettext("%(param)s only works with embed=%(mlp)s: tick the tiers (mlp) block.")
                    % {"param": param, "mlp": MLP},
                )

        if errors:
            raise InvalidQuery(errors)
        return cls(
            source=source,
            account_id=account_id,
            identifiers=identifiers,
            embed=embed,
            included_fraud_details=flags["includedFraudDetails"],
            included_user_group2_loyalty_details=flags["includedUserGroup2LoyaltyDetails"],
            user_group2_id=user_group2_id,
            included_all_user_group2=flags["includedAllUserGroup2"],
            gap_to_upgrade=gaps["gapToUpgrade"],
            gap_to_renew=gaps["gapToRenew"],
        )

    @property
    def lacks_account_id(self) -> bool:
        """A source other than INSTORE without an account id: Capillary's document makes it
        mandatory there and lists "no accountId" among error 8015's reasons."""
        return self.source != INSTORE and not self.account_id

    def by_id(self) -> tuple[LookupQuery, tuple[str, ...]]:
        """This query as GET /v2/customers/{id} takes it (BY_ID_SOURCES, BY_ID_EMBEDS), and what
        it had to leave out: embed names, GAP_TO_UPGRADE, GAP_TO_RENEW, and SOURCE when the
        source is not one that call takes (it then asks for ALL, every source's profiles)."""
        left_out = [name for name in self.embed if name not in BY_ID_EMBEDS]
        source, account_id = self.source, self.account_id
        if source not in BY_ID_SOURCES:
            left_out.append(SOURCE)
            source, account_id = ALL, ""
        if self.gap_to_upgrade is not None:
            left_out.append(GAP_TO_UPGRADE)
        if self.gap_to_renew is not None:
            left_out.append(GAP_TO_RENEW)
        sent = dataclasses.replace(
            self,
            source=source,
            account_id=account_id,
            identifiers=(),
            embed=tuple(name for name in self.embed if name in BY_ID_EMBEDS),
            gap_to_upgrade=None,
            gap_to_renew=None,
        )
        return sent, tuple(left_out)

    def to_params(self) -> dict[str, str]:
        """The query string the API expects: lists comma-joined, booleans as true/false."""
        params = {"source": self.source}
        if self.account_id:
            params["accountId"] = self.account_id
        if self.identifiers:
            params["identifierName"] = ",".join(name for name, _ in self.identifiers)
            params["identifierValue"] = ",".join(value for _, value in self.identifiers)
        if self.embed:
            params["embed"] = ",".join(self.embed)
        for param, flag in (
            ("includedFraudDetails", self.included_fraud_details),
            ("includedUserGroup2LoyaltyDetails", self.included_user_group2_loyalty_details),
            ("includedAllUserGroup2", self.included_all_user_group2),
        ):
            if flag:
                params[param] = "true"
        for param, number in (
            ("userGroup2Id", self.user_group2_id),
            ("gapToUpgrade", self.gap_to_upgrade),
            ("gapToRenew", self.gap_to_renew),
        ):
            if number is not None:
                params[param] = str(number)
        return params


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a whole number written in ASCII digits only."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def normalise_identifier(name: str, value: str) -> str:
    """What a person typed, in the form the API matches on."""
    value = value.strip()
    if name == MOBILE:
        digits = _MOBILE_PUNCTUATION.sub("", value)
        if digits.startswith("+"):
            digits = digits[1:]
        elif digits.startswith("00"):
            digits = digits[2:]
        return digits
    if name == EMAIL:
        return value.lower()
    return value


def _identifier_problem(name: str, value: str) -> str:
    """Why a normalised value cannot be a valid identifier of that type ("" if it can)."""
    if name == MOBILE:
        if not is_ascii_number(value):
            return gettext(
                "A mobile number can only contain digits, spaces, dashes and a leading +."
            )
        if value.startswith("0"):
            return gettext(
                "Write the mobile number with its country code, e.g. 919999000001, not 0...."
            )
        if not 8 <= len(value) <= 15:
            return gettext("A mobile number with its country code has 8 to 15 digits.")
    if name == EMAIL and (value.count("@") != 1 or value.startswith("@") or value.endswith("@")):
        return gettext("An email address needs one @ with text on both sides.")
    if name == EMAIL and any(ch.isspace() for ch in value):
        return gettext("An email address cannot contain spaces.")
    return ""


def split_identifiers(params: Mapping[str, list[str]]) -> tuple[list[str], list[str]]:
    """The typed identifier names and values, one per identifier, not yet checked.

    Comma-joined API lists are split; the form's repeated rows are taken as they are, without
    the rows left entirely empty. The two lists differ in length when the counts do not match.
    """
    raw_names = list(params.get("identifierName", []))
    raw_values = list(params.get("identifierValue", []))
    if len(raw_names) == len(raw_values) > 1:
        # The form's repeated rows: a row left entirely empty is not an identifier.
        rows = [
            (n, v) for n, v in zip(raw_names, raw_values, strict=True) if n.strip() or v.strip()
        ]
        raw_names = [name for name, _ in rows]
        raw_values = [value for _, value in rows]
    names = [part.strip() for entry in raw_names for part in entry.split(",")]
    if not raw_values:
        values = [""] * len(names)
    elif len(raw_values) == len(names):
        # One value per name already: a comma inside a value is part of it, and is refused.
        values = raw_values
    else:
        values = [part for entry in raw_values for part in entry.split(",")]
    return names, values


def _identifiers(params: Mapping[str, list[str]], error: Report) -> tuple[tuple[str, str], ...]:
    names, values = split_identifiers(params)
    if not any(names) and not any(v.strip() for v in values):
        error(
            "identifierName",
            gettext("Give at least one identifier, for example a mobile number."),
        )
        return ()
    if len(names) != len(values):
        error(
            "identifierValue",
            gettext("Give one value per identifier: %(names)s, but %(values)s.")
            % {
                "names": ngettext("%(count)d name", "%(count)d names", len(names))
                % {"count": len(names)},
                "values": ngettext("%(count)d value", "%(count)d values", len(values))
                % {"count": len(values)},
            },
        )
        return ()

    identifiers: list[tuple[str, str]] = []
    seen: set[str] = set()
    for position, (typed_name, typed_value) in enumerate(zip(names, values, strict=True), 1):
        name = IDENTIFIER_BY_FOLDED.get(typed_name.casefold(), "")
        if not typed_name:
            error(
                "identifierName",
                gettext("Identifier %(position)d has no type.") % {"position": position},
            )
            continue
        if not name:
            error(
                "identifierName",
                gettext("Unknown identifier type %(typed)s. Use one of: %(names)s.")
                % {"typed": repr(typed_name[:30]), "names": ", ".join(ACCEPTED_IDENTIFIER_NAMES)},
            )
            continue
        if name in seen:
            error(
                "identifierName",
                gettext("%(name)s is given twice: give each identifier type once.")
                % {"name": name},
            )
            continue
        seen.add(name)
        if "," in typed_value:
            error(
                "identifierValue",
                gettext(
                    "The %(name)s value contains a comma; the API separates values with "
                    "commas, so it cannot be sent."
                )
                % {"name": name},
            )
            continue
        value = normalise_identifier(name, typed_value)
        if not value:
            error("identifierValue", gettext("The %(name)s value is empty.") % {"name": name})
            continue
        problem = _identifier_problem(name, value)
        if problem:
            error("identifierValue", problem)
            continue
        identifiers.append((name, value))
    return tuple(identifiers)


def _embed(params: Mapping[str, list[str]], error: Report) -> tuple[str, ...]:
    embed: list[str] = []
    for part in split_list(params.get("embed", [])):
        name = EMBED_BY_FOLDED.get(part.casefold())
        if name is None:
            unknown = {"embed": repr(part[:30]), "embeds": ", ".join(EMBEDS)}
            error(
                "embed",
                gettext(
                    "Unknown embed %(embed)s. gapDetails is deprecated: use mlp with "
                    "gapToUpgrade / gapToRenew."
                )
                % unknown
                if part.casefold() == "gapdetails"
                else gettext("Unknown embed %(embed)s. Use any of: %(embeds)s.") % unknown,
            )
        elif name not in embed:
            embed.append(name)
    return tuple(embed)


def _bool(params: Mapping[str, list[str]], param: str, error: Report) -> bool:
    value = last_value(params, param).strip().lower()
    if value in TRUTHY:
        return True
    if value not in _FALSE:
        error(param, gettext("%(param)s must be true or false.") % {"param": param})
    return False


def _int(
    params: Mapping[str, list[str]], param: str, error: Report, *, minimum: int
) -> int | None:
    value = last_value(params, param).strip()
    if not value:
        return None
    if not is_ascii_number(value) or int(value) < minimum:
        message = (
            gettext("%(param)s must be a whole number of 0 or more.")
            if minimum == 0
            else gettext("%(param)s must be a positive whole number.")
        )
        error(param, message % {"param": param})
        return None
    return int(value)


def last_value(params: Mapping[str, list[str]], param: str) -> str:
    """A single-valued parameter: the last one given wins, as in Django's QueryDict."""
    values = params.get(param) or [""]
    return values[-1] or ""


def split_list(entries: Iterable[str]) -> list[str]:
    """A list parameter's items, whether comma-joined or repeated, without empty ones."""
    return [part.strip() for entry in entries for part in entry.split(",") if part.strip()]
