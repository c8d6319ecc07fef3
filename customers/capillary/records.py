"""Typed, frozen records for Capillary's customer document, parsed once from its JSON.

This is the one place where the API's field names become Python attributes: templates and
services read records, never the raw dicts.

Public names:
    Customer.from_json(data) -> Customer    the entry point; raises ShapeError
    ShapeError                              (ValueError) not an object, or no customer id
    MASKED, is_masked(value)                Capillary's PII mask ("*****") and its test
                                            (customers.masking.is_masked_by_capillary)
    NO_EXPIRY_YEAR, never_expires(moment)   dates ~100 years away mean "does not expire"
    Customer, Profile, Attribution, Till, Identifier, CommChannel, LoyaltyInfo,
    FraudDetails, Tier, Program, Progress, RenewSummary, GroupProgram, ProgramRef, Card,
    CardStatus, AlternateCurrency, Subscription, PromotionalPoint, PointsExpiry,
    CustomerImage, CustomerStatus, UserGroup, BackendWarning      the records

Example:
    customer = Customer.from_json(response.json())
    customer.display_name                   # "Tom Sawyer", or "Customer 17742"
    for program in customer.programs:
        program.current_tier.name, program.loyalty_points, program.tier_never_expires
        for step in program.upgrade_strategies:
            step.based_on, step.current, step.threshold, step.gap, step.percent, step.until

Conventions:
- Numbers are Decimal (None when absent). Capillary sends floats (420.0), ints and, in some
  blocks, numeric strings ("25000"); Decimal holds all three exactly, so sums and gaps never
  show binary-float noise (0.30000000000000004) and a points balance is never rounded.
- Timestamps with an offset or Z become aware datetimes; plain YYYY-MM-DD values become dates
  (type alias Moment). A timestamp without an offset is taken as UTC so it stays comparable.
- Missing keys give None, "" or empty tuples/mappings; unknown keys are ignored; values of the
  wrong type are converted when unambiguous and dropped otherwise, never raised.
- Mappings are read-only views (MappingProxyType). Customer.raw is a read-only view of the
  document as received, not a copy: parsing stays a single cheap pass.
- repr() leaves out names, identifier and channel values, card numbers and every free-form
  mapping (custom and extended fields, raw blocks), so a record that reaches a log or a
  traceback carries no PII.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

# The rule for telling Capillary's mask from data lives with the other masking rules.
from customers.masking import is_masked_by_capillary as is_masked

__all__ = [
    "MASKED",
    "NO_EXPIRY_YEAR",
    "AlternateCurrency",
    "Attribution",
    "BackendWarning",
    "Card",
    "CardStatus",
    "CommChannel",
    "Customer",
    "CustomerImage",
    "CustomerStatus",
    "FraudDetails",
    "GroupProgram",
    "Identifier",
    "LoyaltyInfo",
    "Moment",
    "PointsExpiry",
    "Profile",
    "Program",
    "ProgramRef",
    "Progress",
    "PromotionalPoint",
    "RenewSummary",
    "ShapeError",
    "Subscription",
    "Tier",
    "Till",
    "UserGroup",
    "is_masked",
    "never_expires",
]

# What Capillary puts in place of names, mobiles, emails and channel values when the org masks
# PII and the API client has no PSI access (lookup-api.md section 3).
MASKED = "*****"

# Capillary writes "does not expire" as a date about a hundred years ahead (2121-..., 2125-...).
NO_EXPIRY_YEAR = 2100

type Moment = datetime | date

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")
_FRAUD_CLEAR = frozenset({"", "NOT_FRAUD", "NONE"})


class ShapeError(ValueError):
    """The document is not a JSON object or carries no customer id."""


def never_expires(moment: Moment | None) -> bool:
    """Whether a date is Capillary's "no expiry" placeholder (about a hundred years away)."""
    return moment is not None and moment.year >= NO_EXPIRY_YEAR


# Tolerant converters: every value passes through exactly one of these. The input is decoded
# JSON, so exact type checks suffice (and keep True from passing as 1).


def _str(value: object) -> str:
    if type(value) is str:
        return value
    if type(value) is int or type(value) is float:
        return str(value)
    return ""


def _decimal(value: object) -> Decimal | None:
    if type(value) is float:
        # repr() is the shortest exact round-trip, so 420.0 stays Decimal("420.0").
        return Decimal(repr(value)) if math.isfinite(value) else None
    if type(value) is int:
        return Decimal(value)
    if type(value) is str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _int(value: object) -> int | None:
    if type(value) is int:
        return value
    if type(value) is float:
        return int(value) if value.is_integer() else None
    if type(value) is str:
        text = value.strip()
        # Short strings only: "1e999999" must not become a million-digit int.
        if len(text) > 30:
            return None
        if text.lstrip("+-").isascii() and text.lstrip("+-").isdigit():
            return int(text)
        number = _decimal(text)
        if number is not None and number == number.to_integral_value() and number.adjusted() < 30:
            return int(number)
    return None


def _bool(value: object) -> bool | None:
    if type(value) is bool:
        return value
    if type(value) is str:
        return {"true": True, "false": False}.get(value.strip().lower())
    if type(value) is int:
        return {1: True, 0: False}.get(value)
    return None


def _moment(value: object) -> Moment | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _mapping(value: object) -> Mapping[str, Any]:
    return MappingProxyType(value) if isinstance(value, dict) and value else _EMPTY


def _mappings(value: object) -> tuple[Mapping[str, Any], ...]:
    """An object, or a list of objects, as read-only mappings; empty objects are dropped."""
    if isinstance(value, dict):
        return (MappingProxyType(value),) if value else ()
    return tuple(MappingProxyType(item) for item in _dicts(value) if item)


def _either(data: dict[str, Any], camel: str, snake: str) -> Any:
    """A value under the documented camelCase key or the docs' snake_case spelling."""
    value = data.get(camel)
    return data.get(snake) if value is None else value


# The records, innermost first.


@dataclass(frozen=True, slots=True, kw_only=True)
class BackendWarning:
    """A warning the backend returned with a successful answer (e.g. 8050, 91001, 91009), with
    its own `status` flag (false in every published sample; None when not sent)."""

    code: int | None
    message: str
    status: bool | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BackendWarning:
        return cls(
            code=_int(data.get("code")),
            message=_str(data.get("message")),
            status=_bool(data.get("status")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Till:
    """Who did something: usually a till (createdBy / modifiedBy / issuedAt / markedBy)."""

    id: int | None
    code: str
    name: str
    type: str

    @property
    def label(self) -> str:
        return self.name or self.code

    @classmethod
    def from_json(cls, value: object) -> Till | None:
        if not isinstance(value, dict) or not value:
            return None
        return cls(
            id=_int(value.get("id")),
            code=_str(value.get("code")),
            name=_str(value.get("name")),
            type=_str(value.get("type")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """Registration and last change of a profile (or of the loyalty record)."""

    registered_on: Moment | None
    registered_at: Till | None
    modified_on: Moment | None
    modified_by: Till | None
    created_from_source: str

    @classmethod
    def from_json(cls, value: object) -> Attribution:
        data = _dict(value)
        return cls(
            registered_on=_moment(data.get("createDate")),
            registered_at=Till.from_json(data.get("createdBy")),
            modified_on=_moment(data.get("modifiedDate")),
            modified_by=Till.from_json(data.get("modifiedBy")),
            created_from_source=_str(data.get("createdFromSource")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifier:
    """One identifier of a profile; card identifiers also carry a series and a status."""

    type: str
    value: str = field(repr=False)
    series_id: int | None
    status_label: str

    @property
    def masked(self) -> bool:
        return is_masked(self.value)

    @property
    def is_card(self) -> bool:
        return self.type.lower() == "cardnumber"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identifier:
        return cls(
            type=_str(data.get("type")),
            value=_str(data.get("value")),
            series_id=_int(data.get("seriesId")),
            status_label=_str(data.get("statusLabel")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CommChannel:
    """A communication channel (mobile, email, wechat ...) of a profile."""

    type: str
    value: str = field(repr=False)
    primary: bool
    verified: bool
    residence: bool
    office: bool
    attributes: Mapping[str, Any] = field(repr=False)

    @property
    def masked(self) -> bool:
        return is_masked(self.value)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CommChannel:
        meta = _dict(data.get("meta"))
        return cls(
            type=_str(data.get("type")),
            value=_str(data.get("value")),
            primary=_bool(data.get("primary")) is True,
            verified=_bool(data.get("verified")) is True,
            residence=_bool(meta.get("residence")) is True,
            office=_bool(meta.get("office")) is True,
            attributes=_mapping(data.get("attributes")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """One source profile (INSTORE, WECHAT ...) of the customer."""

    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    source: str
    account_id: str
    user_id: int | None
    updated_on: Moment | None
    attribution: Attribution
    fields: Mapping[str, str] = field(repr=False)
    identifiers: tuple[Identifier, ...]
    identifiers_all: tuple[Identifier, ...]
    channels: tuple[CommChannel, ...]
    conflicting_profiles: tuple[Mapping[str, Any], ...] = field(repr=False)

    @property
    def name_masked(self) -> bool:
        return is_masked(self.first_name) or is_masked(self.last_name)

    @property
    def full_name(self) -> str:
        """The name as given, or "" when absent or masked by Capillary."""
        if self.name_masked:
            return ""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_by_capillary(self) -> bool:
        return (
            self.name_masked
            or any(channel.masked for channel in self.channels)
            or any(identifier.masked for identifier in self.identifiers)
            or any(identifier.masked for identifier in self.identifiers_all)
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        fields = _dict(data.get("fields"))
        return cls(
            first_name=_str(data.get("firstName")),
            last_name=_str(data.get("lastName")),
            source=_str(data.get("source")),
            account_id=_str(data.get("accountId")),
            user_id=_int(data.get("userId")),
            updated_on=_moment(data.get("autoUpdateTime")),
            attribution=Attribution.from_json(data.get("attribution")),
            fields=MappingProxyType({str(k): _str(v) for k, v in fields.items()})
            if fields
            else _EMPTY,
            identifiers=tuple(map(Identifier.from_json, _dicts(data.get("identifiers")))),
            identifiers_all=tuple(map(Identifier.from_json, _dicts(data.get("identifiersAll")))),
            channels=tuple(map(CommChannel.from_json, _dicts(data.get("commChannels")))),
            conflicting_profiles=_mappings(data.get("conflictingProfileList")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LoyaltyInfo:
    """Whether the customer is a loyalty member, lifetime purchases, and the loyalty record's
    attribution (attributionV2)."""

    loyalty_type: str
    lifetime_purchases: Decimal | None
    attribution: Attribution

    @property
    def is_loyalty(self) -> bool:
        return self.loyalty_type.lower() == "loyalty"

    @classmethod
    def from_json(cls, value: object) -> LoyaltyInfo | None:
        if not isinstance(value, dict):
            return None
        return cls(
            loyalty_type=_str(value.get("loyaltyType")),
            lifetime_purchases=_decimal(value.get("lifetimePurchases")),
            attribution=Attribution.from_json(value.get("attributionV2")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FraudDetails:
    """Fraud status: NOT_FRAUD, MARKED, CONFIRMED, RECONFIRMED, INTERNAL or NONE; who marked
    it (`markedBy`, a till-like object, empty in Capillary's sample for a member not marked)
    and when the status last changed."""

    status: str
    marked_by: Till | None
    modified_on: Moment | None

    @property
    def is_flagged(self) -> bool:
        """Marked, confirmed, reconfirmed or internal: anything but NOT_FRAUD / NONE."""
        return self.status.upper() not in _FRAUD_CLEAR

    @classmethod
    def from_json(cls, value: object) -> FraudDetails | None:
        if not isinstance(value, dict):
            return None
        return cls(
            status=_str(value.get("status")),
            marked_by=Till.from_json(value.get("markedBy")),
            modified_on=_moment(value.get("modifiedOn")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Tier:
    """A tier ("slab" in the API) with its serial number (1 is the base tier)."""

    name: str
    description: str
    serial_number: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    """How far the customer is on one upgrade or renew strategy.

    `until` is the date the current value is valid up to (upgrade) or the tier expiry date
    (renew). `percent` is current / threshold, 0 to 100 rounded down to 0.1, None when either
    figure is unknown.
    """

    based_on: str
    current: Decimal | None
    threshold: Decimal | None
    gap: Decimal | None
    percent: Decimal | None
    until: Moment | None
    identifiers: tuple[Mapping[str, Any], ...] = field(repr=False)

    @property
    def met(self) -> bool:
        return self.gap is not None and self.gap <= 0

    @property
    def never_expires(self) -> bool:
        return never_expires(self.until)

    @classmethod
    def build(
        cls,
        *,
        based_on: str,
        current: Decimal | None,
        threshold: Decimal | None,
        gap: Decimal | None,
        until: Moment | None,
        identifiers: tuple[Mapping[str, Any], ...],
    ) -> Progress:
        # Capillary may send any two of the three figures; derive the third.
        if gap is None and current is not None and threshold is not None:
            gap = max(threshold - current, Decimal(0))
        elif current is None and gap is not None and threshold is not None:
            current = threshold - gap
        percent = None
        if current is not None and threshold is not None:
            if threshold <= 0:
                percent = _HUNDRED
            else:
                ratio = min(max(current / threshold * _HUNDRED, Decimal(0)), _HUNDRED)
                percent = ratio.quantize(_TENTH, rounding=ROUND_DOWN)
        return cls(
            based_on=based_on,
            current=current,
            threshold=threshold,
            gap=gap,
            percent=percent,
            until=until,
            identifiers=identifiers,
        )

    @classmethod
    def upgrade_from_json(cls, data: dict[str, Any]) -> Progress:
        values = _dict(
            _either(data, "customerUpgradeEntityValues", "customer_upgrade_entity_values")
        )
        identifiers = _either(data, "upgradeEntityIdentifiers", "upgrade_entity_identifiers")
        if identifiers is None:
            # The v1 docs spell it without the second "i".
            identifiers = data.get("upgrade_entity_identifers")
        return cls.build(
            based_on=_str(_either(data, "upgradeBasedOn", "upgrade_based_on")),
            current=_decimal(_either(values, "currentValue", "current_value")),
            threshold=_decimal(_either(data, "upgradeThreshold", "upgrade_threshold")),
            gap=_decimal(_either(values, "gapToUpgrade", "gap_to_upgrade")),
            until=_moment(_either(values, "valueValidUpto", "value_valid_upto")),
            identifiers=_mappings(identifiers),
        )

    @classmethod
    def renew_from_json(cls, data: dict[str, Any], tier_expiry: Moment | None) -> Progress:
        identifiers = _either(data, "trackerEntityIdentifiers", "renew_entity_identifiers")
        return cls.build(
            based_on=_str(_either(data, "renewBasedOn", "renew_based_on")),
            current=_decimal(
                _either(data, "customerRenewEntityValue", "customer_renew_entity_value")
            ),
            threshold=_decimal(_either(data, "renewThreshold", "renew_threshold")),
            gap=_decimal(_either(data, "customerGapToRenewValue", "customer_gap_to_renew_value")),
            until=tier_expiry,
            identifiers=_mappings(identifiers),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RenewSummary:
    """What the customer needs to keep the current tier (gapToRenewSummary)."""

    tier_expiry_date: Moment | None
    renew_confirmed: bool | None
    strategies: tuple[Progress, ...]

    @property
    def never_expires(self) -> bool:
        return never_expires(self.tier_expiry_date)

    @classmethod
    def from_json(cls, value: object) -> RenewSummary | None:
        # Documented as an array, seen as an object: read both, merging an array's items.
        items = [value] if isinstance(value, dict) else _dicts(value)
        if not items:
            return None
        expiry: Moment | None = None
        confirmed: bool | None = None
        raw_strategies: list[dict[str, Any]] = []
        for item in items:
            if "renewBasedOn" in item or "renew_based_on" in item:
                raw_strategies.append(item)
                continue
            expiry = expiry or _moment(_either(item, "tierExpiryDate", "tier_expiry_date"))
            if confirmed is None:
                confirmed = _bool(_either(item, "renewConfirmed", "renew_confirmed"))
            strategies = _either(item, "renewStrategies", "renew_strategy")
            raw_strategies.extend(_dicts(strategies))
        return cls(
            tier_expiry_date=expiry,
            renew_confirmed=confirmed,
            strategies=tuple(Progress.renew_from_json(item, expiry) for item in raw_strategies),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Program:
    """One loyalty program of the customer (loyaltyProgramDetails item, or pointsSummary)."""

    program_id: int | None
    title: str
    description: str
    points_to_currency_ratio: Decimal | None
    loyalty_id: int | None
    current_tier: Tier | None
    next_tier: Tier | None
    is_top_tier: bool
    tier_expiry_date: Moment | None
    loyalty_points: Decimal | None
    lifetime_points: Decimal | None
    redeemed: Decimal | None
    expired: Decimal | None
    returned: Decimal | None
    adjusted: Decimal | None
    delayed_points: Decimal | None
    delayed_returned_points: Decimal | None
    delayed_expired_points: Decimal | None
    total_available_points: Decimal | None
    total_returned_points: Decimal | None
    cumulative_purchases: Decimal | None
    linked_partner_programs: tuple[Mapping[str, Any], ...] = field(repr=False)
    upgrade_strategies: tuple[Progress, ...]
    renew_summary: RenewSummary | None

    @property
    def tier_never_expires(self) -> bool:
        return never_expires(self.tier_expiry_date)

    @property
    def renew_strategies(self) -> tuple[Progress, ...]:
        return self.renew_summary.strategies if self.renew_summary else ()

    @property
    def linked_partners(self) -> tuple[str, ...]:
        """The linked partner programs by name. Their shape is undocumented (every published
        sample has an empty list): a name-like key is read, else an id, else a placeholder."""
        names = []
        for item in self.linked_partner_programs:
            name = next(
                (
                    _str(item.get(key))
                    for key in ("partnerProgramName", "programName", "name", "title")
                    if _str(item.get(key))
                ),
                "",
            )
            number = next(
                (
                    _int(item.get(key))
                    for key in ("partnerProgramId", "programId", "id")
                    if _int(item.get(key)) is not None
                ),
                None,
            )
            names.append(name or (f"#{number}" if number is not None else "unnamed"))
        return tuple(names)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Program:
        current_name = _str(data.get("currentSlab"))
        current = (
            Tier(
                name=current_name,
                description=_str(data.get("currentSlabDescription")),
                serial_number=_int(data.get("slabSNo")),
            )
            if current_name
            else None
        )
        next_name = _str(data.get("nextSlab"))
        next_serial = _int(data.get("nextSlabSerialNumber"))
        if next_serial is not None and next_serial < 1:
            next_serial = None
        # The top tier is the one with no next tier: an empty nextSlab. A serial number of -1
        # alone does not make it one: Capillary's published mlp sample names "Tier2" after
        # "Tier1" with -1, and a named next tier is always shown.
        top = current is not None and not next_name
        upgrades = _either(data, "upgradeStrategies", "upgrade_strategy")
        return cls(
            program_id=_int(data.get("programId")),
            title=_str(data.get("programTitle")),
            description=_str(data.get("programDescription")),
            points_to_currency_ratio=_decimal(data.get("programPointsToCurrencyRatio")),
            loyalty_id=_int(data.get("loyaltyId")),
            current_tier=current,
            next_tier=None
            if not next_name
            else Tier(
                name=next_name,
                description=_str(data.get("nextSlabDescription")),
                serial_number=next_serial,
            ),
            is_top_tier=top,
            tier_expiry_date=_moment(data.get("slabExpiryDate")),
            loyalty_points=_decimal(data.get("loyaltyPoints")),
            lifetime_points=_decimal(data.get("lifetimePoints")),
            redeemed=_decimal(data.get("redeemed")),
            expired=_decimal(data.get("expired")),
            returned=_decimal(data.get("returned")),
            adjusted=_decimal(data.get("adjusted")),
            delayed_points=_decimal(data.get("delayedPoints")),
            delayed_returned_points=_decimal(data.get("delayedReturnedPoints")),
            delayed_expired_points=_decimal(data.get("delayedExpiredPoints")),
            total_available_points=_decimal(data.get("totalAvailablePoints")),
            total_returned_points=_decimal(data.get("totalReturnedPoints")),
            cumulative_purchases=_decimal(data.get("cumulativePurchases")),
            linked_partner_programs=_mappings(data.get("linkedPartnerPrograms")),
            upgrade_strategies=tuple(map(Progress.upgrade_from_json, _dicts(upgrades))),
            renew_summary=RenewSummary.from_json(
                _either(data, "gapToRenewSummary", "gap_to_renew")
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramRef:
    """A program listed in a group program."""

    id: int | None
    name: str
    description: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProgramRef:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            description=_str(data.get("description")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupProgram:
    """A group loyalty program and the programs it spans."""

    group_program_id: int | None
    title: str
    description: str
    programs: tuple[ProgramRef, ...]
    lifetime_points: Decimal | None
    loyalty_points: Decimal | None
    promised_points: Decimal | None
    points_to_currency_ratio: Decimal | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GroupProgram:
        return cls(
            group_program_id=_int(data.get("groupProgramId")),
            title=_str(data.get("title")),
            description=_str(data.get("description")),
            programs=tuple(map(ProgramRef.from_json, _dicts(data.get("programsList")))),
            lifetime_points=_decimal(data.get("lifetimePoints")),
            loyalty_points=_decimal(data.get("loyaltyPoints")),
            promised_points=_decimal(data.get("promisedPoints")),
            points_to_currency_ratio=_decimal(data.get("pointsToCurrencyRatio")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CardStatus:
    """statusInfo of a card: NOT_ISSUED, ACTIVE, SUSPENDED, DELETED, EXPIRED, with its label.

    Its history as far as the document carries it: when this status was set (`createdOn`) and
    by whom (`createdBy`, a user id; `createdByUser`, a name, in Capillary's status-log
    entries), and the label before it (`prevLabel`, in the same entries)."""

    status: str
    label: str
    previous_label: str
    reason: str
    is_active: bool | None
    created_on: Moment | None
    created_by: int | None
    created_by_user: str
    updated_on: Moment | None
    actions: tuple[Any, ...]
    id: int | None
    label_id: int | None
    entity_id: int | None

    @classmethod
    def from_json(cls, value: object) -> CardStatus | None:
        if not isinstance(value, dict):
            return None
        actions = value.get("actions")
        return cls(
            status=_str(value.get("status")),
            label=_str(value.get("label")),
            previous_label=_str(value.get("prevLabel")),
            reason=_str(value.get("reason")),
            is_active=_bool(value.get("isActive")),
            created_on=_moment(value.get("createdOn")),
            created_by=_int(value.get("createdBy")),
            created_by_user=_str(value.get("createdByUser")),
            updated_on=_moment(value.get("autoUpdateTime")),
            actions=tuple(actions) if isinstance(actions, list) else (),
            id=_int(value.get("id")),
            label_id=_int(value.get("labelId")),
            entity_id=_int(value.get("entityId")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """A loyalty card (cardDetails item)."""

    card_id: int | None
    card_number: str = field(repr=False)
    external_id: str = field(repr=False)
    type: str
    series_id: int | None
    series_name: str
    series_code: str
    issued_on: Moment | None
    created_on: Moment | None
    expiry_date: Moment | None
    expiry_days: int | None
    max_active_cards: int | None
    customer_id: int | None
    org_id: int | None
    entity_id: int | None
    custom_fields: Mapping[str, Any] = field(repr=False)
    extended_fields: Mapping[str, Any] = field(repr=False)
    transaction_not_allowed: bool | None
    active_and_digital: bool | None
    status: CardStatus | None

    @property
    def status_label(self) -> str:
        """The label an agent knows (ACTIVE, Suspended ...), falling back to the status."""
        if self.status is None:
            return ""
        return self.status.label or self.status.status

    @property
    def is_active(self) -> bool:
        if self.status is None:
            return False
        if self.status.is_active is not None:
            return self.status.is_active
        return self.status.status.upper() == "ACTIVE"

    @property
    def is_digital(self) -> bool:
        return self.type.upper() == "DIGITAL"

    @property
    def never_expires(self) -> bool:
        return never_expires(self.expiry_date)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Card:
        return cls(
            card_id=_int(data.get("cardId", data.get("id"))),
            card_number=_str(data.get("cardNumber")),
            external_id=_str(data.get("cardExternalId")),
            type=_str(data.get("type")),
            series_id=_int(data.get("seriesId")),
            series_name=_str(data.get("seriesName")),
            series_code=_str(data.get("seriesCode")),
            issued_on=_moment(data.get("issuedDate")),
            created_on=_moment(data.get("createdDate")),
            expiry_date=_moment(data.get("expiryDate")),
            expiry_days=_int(data.get("expiryDays")),
            max_active_cards=_int(data.get("maxActiveCards")),
            customer_id=_int(data.get("customerId")),
            org_id=_int(data.get("orgId")),
            entity_id=_int(data.get("entityId")),
            custom_fields=_mapping(data.get("customFields")),
            extended_fields=_mapping(data.get("extendedFields")),
            transaction_not_allowed=_bool(data.get("transactionNotAllowed")),
            active_and_digital=_bool(data.get("activeAndDigital")),
            status=CardStatus.from_json(data.get("statusInfo")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternateCurrency:
    """An alternate currency balance within one program (alternateCurrencyDetails)."""

    program_id: int | None
    program_name: str
    name: str
    earned: Decimal | None
    lifetime_earned: Decimal | None
    redeemed: Decimal | None
    expired: Decimal | None
    returned: Decimal | None
    delayed_earned: Decimal | None
    delayed_lifetime_earned: Decimal | None
    delayed_returned: Decimal | None
    delayed_expired: Decimal | None
    total_available: Decimal | None
    total_redeemed: Decimal | None
    total_returned: Decimal | None
    total_expired: Decimal | None

    @classmethod
    def list_from_json(cls, data: dict[str, Any]) -> list[AlternateCurrency]:
        currencies = data.get("alternateCurrencyData")
        items = [currencies] if isinstance(currencies, dict) else _dicts(currencies)
        program_id = _int(data.get("programId"))
        program_name = _str(data.get("programName"))
        return [
            cls(
                program_id=program_id,
                program_name=program_name,
                name=_str(item.get("name")),
                earned=_decimal(item.get("earned")),
                lifetime_earned=_decimal(item.get("lifetimeEarned")),
                redeemed=_decimal(item.get("redeemed")),
                expired=_decimal(item.get("expired")),
                returned=_decimal(item.get("returned")),
                delayed_earned=_decimal(item.get("delayedEarned")),
                delayed_lifetime_earned=_decimal(item.get("delayedLifetimeEarned")),
                delayed_returned=_decimal(item.get("delayedReturned")),
                delayed_expired=_decimal(item.get("delayedExpired")),
                total_available=_decimal(item.get("totalAvailable")),
                total_redeemed=_decimal(item.get("totalRedeemed")),
                total_returned=_decimal(item.get("totalReturned")),
                total_expired=_decimal(item.get("totalExpired")),
            )
            for item in items
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A channel subscription: channel EMAIL/SMS/ANDROID/IOS..., TRANS/BULK, OPTIN/OPTOUT."""

    channel: str
    priority: str
    type: str

    @property
    def opted_in(self) -> bool:
        return self.type.upper() == "OPTIN"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Subscription:
        return cls(
            channel=_str(data.get("channel")),
            priority=_str(data.get("priority")),
            type=_str(data.get("type")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PromotionalPoint:
    """Points issued by a promotion; kind is "customer", "transaction" or "lineitem"."""

    kind: str
    points: Decimal | None
    promotion_name: str
    program_id: int | None
    issued_on: Moment | None
    expiry_date: Moment | None
    issued_at: Till | None
    promotion_source: Mapping[str, Any] = field(repr=False)

    @property
    def never_expires(self) -> bool:
        return never_expires(self.expiry_date)

    @property
    def source_type(self) -> str:
        """What issued the points (promotionSource.promotionSourceType: GOODWILL, ...)."""
        return _str(self.promotion_source.get("promotionSourceType"))

    @property
    def source_id(self) -> int | None:
        """The issuing source's id; Capillary sends -1 when there is none (goodwill)."""
        number = _int(self.promotion_source.get("promotionSourceId"))
        return number if number is not None and number >= 0 else None

    @classmethod
    def list_from_json(cls, value: object) -> list[PromotionalPoint]:
        data = _dict(value)
        return [
            cls(
                kind=kind,
                points=_decimal(item.get("points")),
                promotion_name=_str(item.get("promotionName")),
                program_id=_int(item.get("programId")),
                issued_on=_moment(item.get("issuedOn")),
                expiry_date=_moment(item.get("expiryDate")),
                issued_at=Till.from_json(item.get("issuedAt")),
                promotion_source=_mapping(item.get("promotionSource")),
            )
            for kind, key in (
                ("customer", "customerPromotionType"),
                ("transaction", "transactionPromotionType"),
                ("lineitem", "lineitemPromotionType"),
            )
            for item in _dicts(data.get(key))
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class PointsExpiry:
    """A batch of points with its expiry date (expirySchedules and expiredPoints items)."""

    points: Decimal | None
    expiry_date: Moment | None
    program_id: int | None
    points_type: str
    expiry_type: str

    @property
    def never_expires(self) -> bool:
        return never_expires(self.expiry_date)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PointsExpiry:
        return cls(
            points=_decimal(data.get("points")),
            expiry_date=_moment(data.get("expiryDate")) or _moment(data.get("expiryDateISO")),
            program_id=_int(data.get("programId")),
            points_type=_str(data.get("pointsType")),
            expiry_type=_str(data.get("expiryType")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerStatus:
    """The customer's status (embed=customerStatus). Its shape is undocumented: the known
    fields are read when present and `raw` keeps everything that came."""

    label: str
    status: str
    reason: str
    created_on: Moment | None
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, value: object) -> CustomerStatus | None:
        # Seen elsewhere as a status log ({"data": [...]}) or a bare list: take the active
        # entry, else the latest one.
        entries = value.get("data") if isinstance(value, dict) and "data" in value else value
        if isinstance(entries, list):
            items = _dicts(entries)
            active = [item for item in items if _bool(item.get("isActive")) is True]
            current = (active or items or [{}])[-1]
        else:
            current = _dict(entries)
        if not current:
            return None
        return cls(
            label=_str(current.get("label")),
            status=_str(current.get("status")),
            reason=_str(current.get("reason")),
            created_on=_moment(current.get("createdOn")),
            raw=_mapping(value) if isinstance(value, dict) else _mapping(current),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class UserGroup:
    """A userGroup... block, kept raw (its shape is partly undocumented) with a few accessors.

    `key` is the top-level key it came from (e.g. "userGroup2").
    """

    key: str
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def id(self) -> int | None:
        return _int(self.raw.get("id", self.raw.get("userGroup2Id")))

    @property
    def name(self) -> str:
        return _str(self.raw.get("groupName")) or _str(self.raw.get("name"))

    @property
    def external_id(self) -> str:
        return _str(self.raw.get("externalId"))

    @property
    def status(self) -> str:
        return _str(self.raw.get("groupStatus")) or _str(self.raw.get("status"))

    @property
    def created_on(self) -> Moment | None:
        return _moment(self.raw.get("createdOn"))

    @property
    def max_group_size(self) -> int | None:
        return _int(self.raw.get("maxGroupSize"))

    @property
    def total_active_members(self) -> int | None:
        return _int(self.raw.get("totalActiveMembers"))

    @property
    def extended_fields(self) -> Mapping[str, Any]:
        return _mapping(self.raw.get("extendedFields"))

    @property
    def programs(self) -> tuple[Program, ...]:
        return tuple(map(Program.from_json, _dicts(self.raw.get("pointsSummaries"))))

    @property
    def upgrade_strategies(self) -> tuple[Progress, ...]:
        return tuple(map(Progress.upgrade_from_json, _dicts(self.raw.get("gapToUpgrade"))))

    @property
    def renew_summary(self) -> RenewSummary | None:
        return RenewSummary.from_json(self.raw.get("gapToRenew"))

    @classmethod
    def list_from_json(cls, key: str, value: object) -> list[UserGroup]:
        return [cls(key=key, raw=raw) for raw in _mappings(value)]


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerImage:
    """A picture of the customer (an item of customerImage): where the file is, and the same
    over HTTPS. Documented as a list of {filePath, secureFilePath}; a bare URL or a single
    object is read too."""

    file_path: str = field(repr=False)
    secure_file_path: str = field(repr=False)

    @property
    def url(self) -> str:
        """The address to show it from: the secure one first, and only an http(s) URL (the
        value lands in an <img src> and comes from the backend); "" when there is none."""
        for path in (self.secure_file_path, self.file_path):
            url = path.strip()
            if url.lower().startswith(("https://", "http://")):
                return url
        return ""

    @classmethod
    def list_from_json(cls, value: object) -> list[CustomerImage]:
        if isinstance(value, str):
            return [cls(file_path=value, secure_file_path="")] if value.strip() else []
        items = [value] if isinstance(value, dict) else _dicts(value)
        return [
            cls(
                file_path=_str(item.get("filePath")),
                secure_file_path=_str(item.get("secureFilePath")),
            )
            for item in items
            if item
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class Customer:
    """The customer document of the lookup and by-id calls."""

    id: int
    associated_with: str
    extended_fields: Mapping[str, Any] = field(repr=False)
    segments: Mapping[str, Any] = field(repr=False)
    warnings: tuple[BackendWarning, ...]
    profiles: tuple[Profile, ...]
    loyalty_info: LoyaltyInfo | None
    fraud_details: FraudDetails | None
    programs: tuple[Program, ...]
    points_summary: Program | None
    group_programs: tuple[GroupProgram, ...]
    cards: tuple[Card, ...]
    alternate_currencies: tuple[AlternateCurrency, ...]
    subscriptions: tuple[Subscription, ...]
    promotional_points: tuple[PromotionalPoint, ...]
    expiry_schedules: tuple[PointsExpiry, ...]
    expired_points: tuple[PointsExpiry, ...]
    images: tuple[CustomerImage, ...]
    customer_status: CustomerStatus | None
    user_groups: tuple[UserGroup, ...]
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, data: object) -> Customer:
        """Parse a decoded customer document; ShapeError if it is not one."""
        if not isinstance(data, dict):
            raise ShapeError(f"Expected a JSON object, got {type(data).__name__}.")
        customer_id = _int(data.get("id"))
        # Customer pages are addressed by a positive id: anything else is not a customer.
        if customer_id is None or customer_id <= 0:
            raise ShapeError("The customer document has no customer id.")
        alternate = [
            currency
            for item in _dicts(data.get("alternateCurrencyDetails"))
            for currency in AlternateCurrency.list_from_json(item)
        ]
        points_summary = data.get("pointsSummary")
        return cls(
            id=customer_id,
            associated_with=_str(data.get("associatedWith")),
            extended_fields=_mapping(data.get("extendedFields")),
            segments=_mapping(data.get("segments")),
            warnings=tuple(map(BackendWarning.from_json, _dicts(data.get("warnings")))),
            profiles=tuple(map(Profile.from_json, _dicts(data.get("profiles")))),
            loyalty_info=LoyaltyInfo.from_json(data.get("loyaltyInfo")),
            fraud_details=FraudDetails.from_json(data.get("fraudDetails")),
            programs=tuple(map(Program.from_json, _dicts(data.get("loyaltyProgramDetails")))),
            points_summary=Program.from_json(points_summary)
            if isinstance(points_summary, dict) and points_summary
            else None,
            group_programs=tuple(
                map(GroupProgram.from_json, _dicts(data.get("groupLoyaltyProgramDetails")))
            ),
            cards=tuple(map(Card.from_json, _dicts(data.get("cardDetails")))),
            alternate_currencies=tuple(alternate),
            subscriptions=tuple(
                map(
                    Subscription.from_json,
                    _dicts(_dict(data.get("subscriptionInfo")).get("subscriptions")),
                )
            ),
            promotional_points=tuple(
                PromotionalPoint.list_from_json(data.get("promotionalPoints"))
            ),
            expiry_schedules=tuple(
                map(PointsExpiry.from_json, _dicts(data.get("expirySchedules")))
            ),
            expired_points=tuple(map(PointsExpiry.from_json, _dicts(data.get("expiredPoints")))),
            images=tuple(CustomerImage.list_from_json(data.get("customerImage"))),
            customer_status=CustomerStatus.from_json(data.get("customerStatus")),
            user_groups=tuple(
                group
                for key, value in data.items()
                if isinstance(key, str) and key.startswith("userGroup")
                for group in UserGroup.list_from_json(key, value)
            ),
            raw=MappingProxyType(data),
        )

    @property
    def primary_profile(self) -> Profile | None:
        """The first profile in the document. It need not be the searched source's: Capillary's
        published lookup sample asked for WECHAT and answered with an INSTORE profile alone
        (see profile_for)."""
        return self.profiles[0] if self.profiles else None

    def profile_for(self, source: str, account_id: str = "") -> Profile | None:
        """The profile of this source (and account, when one is given), else one of the source
        in another account, else None."""
        wanted = source.strip().upper()
        same_source = [p for p in self.profiles if p.source.strip().upper() == wanted]
        for profile in same_source:
            if not account_id or profile.account_id == account_id:
                return profile
        return same_source[0] if same_source else None

    @property
    def customer_image_url(self) -> str:
        """The first picture's address that a page may load, "" when there is none."""
        return next((image.url for image in self.images if image.url), "")

    @property
    def display_name(self) -> str:
        """The first unmasked name across profiles, else "Customer <id>"."""
        for profile in self.profiles:
            if profile.full_name:
                return profile.full_name
        return f"Customer {self.id}"

    @property
    def masked_by_capillary(self) -> bool:
        """Whether Capillary masked any name, mobile, email or channel value."""
        return any(profile.masked_by_capillary for profile in self.profiles)

    @property
    def mobiles(self) -> tuple[str, ...]:
        return self._values({"mobile"})

    @property
    def emails(self) -> tuple[str, ...]:
        return self._values({"email"})

    @property
    def external_ids(self) -> tuple[str, ...]:
        return self._values({"externalid"})

    @property
    def card_numbers(self) -> tuple[str, ...]:
        numbers = self._values({"cardnumber"})
        extra = tuple(card.card_number for card in self.cards if card.card_number)
        return tuple(dict.fromkeys(numbers + extra))

    @property
    def raw_json(self) -> str:
        """The document as received, pretty-printed for the raw page."""
        return json.dumps(dict(self.raw), indent=2, ensure_ascii=False, default=str)

    def _values(self, types: set[str]) -> tuple[str, ...]:
        """Distinct unmasked values of these identifier/channel types, in document order."""
        seen: dict[str, None] = {}
        for profile in self.profiles:
            items: tuple[Identifier | CommChannel, ...] = (
                *profile.identifiers,
                *profile.channels,
                *profile.identifiers_all,
            )
            for item in items:
                if item.type.lower() in types and item.value and not item.masked:
                    seen[item.value] = None
        return tuple(seen)
