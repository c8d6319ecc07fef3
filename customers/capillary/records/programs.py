"""Loyalty programs: tiers, gaps to upgrade and renew, group programs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from customers.capillary.records.convert import (
    _HUNDRED,
    _TENTH,
    Moment,
    _bool,
    _decimal,
    _dict,
    _dicts,
    _either,
    _int,
    _mappings,
    _moment,
    _str,
    never_expires,
)


def _day(moment: Moment) -> Moment:
    """The calendar day a moment names in its own offset (a date is its own day)."""
    return moment.date() if isinstance(moment, datetime) else moment


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
    # Whether the answer carried the block at all for this program (an empty list is "none",
    # a missing key is "not in this answer"), and whether it came from the document's root.
    upgrade_sent: bool = False
    renew_sent: bool = False
    gaps_from_root: bool = False
    # Whether linkedPartnerPrograms came as a list (empty: "none"); missing is not "none".
    linked_partners_sent: bool = False

    @property
    def tier_never_expires(self) -> bool:
        return never_expires(self.tier_expiry_date)

    @property
    def is_base_tier(self) -> bool:
        """The member is on the program's first tier (slabSNo 1): the reference shows no renewal
        block there, and there is nothing to keep."""
        return self.current_tier is not None and self.current_tier.serial_number == 1

    @property
    def tier_expiry_dates_differ(self) -> bool:
        """slabExpiryDate and gapToRenewSummary.tierExpiryDate name different days."""
        other = self.renew_summary.tier_expiry_date if self.renew_summary else None
        if self.tier_expiry_date is None or other is None:
            return False
        return _day(self.tier_expiry_date) != _day(other)

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
        # A next tier named like the current one is no next tier (a top tier repeating itself).
        if current is not None and next_name.strip().casefold() == current_name.strip().casefold():
            next_name = ""
        top = current is not None and not next_name
        upgrades = _either(data, "upgradeStrategies", "upgrade_strategy")
        renew = _either(data, "gapToRenewSummary", "gap_to_renew")
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
            renew_summary=RenewSummary.from_json(renew),
            upgrade_sent=upgrades is not None,
            renew_sent=renew is not None,
            linked_partners_sent=isinstance(data.get("linkedPartnerPrograms"), list),
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
