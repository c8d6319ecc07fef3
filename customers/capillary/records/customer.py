"""The customer document: `Customer.from_json`, the entry point."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from customers.capillary.records.cards import (
    AlternateCurrency,
    Card,
    CustomerImage,
    CustomerStatus,
    PointsExpiry,
    PromotionalPoint,
    Subscription,
    UserGroup,
)
from customers.capillary.records.convert import (
    ShapeError,
    _dict,
    _dicts,
    _either,
    _int,
    _mapping,
    _str,
)
from customers.capillary.records.profile import (
    BackendWarning,
    CommChannel,
    FraudDetails,
    Identifier,
    LoyaltyInfo,
    Profile,
)
from customers.capillary.records.programs import GroupProgram, Program, Progress, RenewSummary

# The document's top-level blocks (lookup-api.md section 3), whose presence `carried` records.
BLOCKS = frozenset(
    {
        "id",
        "associatedWith",
        "extendedFields",
        "segments",
        "warnings",
        "profiles",
        "loyaltyInfo",
        "fraudDetails",
        "loyaltyProgramDetails",
        "upgradeStrategies",
        "upgrade_strategy",
        "gapToRenewSummary",
        "gap_to_renew",
        "pointsSummary",
        "groupLoyaltyProgramDetails",
        "cardDetails",
        "alternateCurrencyDetails",
        "subscriptionInfo",
        "promotionalPoints",
        "expirySchedules",
        "expiredPoints",
        "customerImage",
        "customerStatus",
    }
)


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
    # Gaps at the document's root (the reference's response table lists them there) that no
    # one program can be named for: with several programs in the answer (and no programId in
    # the block naming one of them) they stay the member's, "program not named". Where the
    # program is unambiguous they are that program's (Program.gaps_from_root) and these stay
    # empty.
    upgrade_strategies: tuple[Progress, ...] = ()
    renew_summary: RenewSummary | None = None
    # The top-level keys the answer carried with a value (an empty list or object included:
    # that is the answer saying "none"); a key missing or null is "not in this answer".
    carried: frozenset[str] = frozenset()

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
        raw_summary = data.get("pointsSummary")
        points_summary = (
            Program.from_json(raw_summary)
            if isinstance(raw_summary, dict) and raw_summary
            else None
        )
        programs = tuple(map(Program.from_json, _dicts(data.get("loyaltyProgramDetails"))))
        programs, points_summary, upgrades, renew = _root_gaps(data, programs, points_summary)
        return cls(
            id=customer_id,
            associated_with=_str(data.get("associatedWith")),
            extended_fields=_mapping(data.get("extendedFields")),
            segments=_mapping(data.get("segments")),
            warnings=tuple(map(BackendWarning.from_json, _dicts(data.get("warnings")))),
            profiles=tuple(map(Profile.from_json, _dicts(data.get("profiles")))),
            loyalty_info=LoyaltyInfo.from_json(data.get("loyaltyInfo")),
            fraud_details=FraudDetails.from_json(data.get("fraudDetails")),
            programs=programs,
            points_summary=points_summary,
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
            upgrade_strategies=upgrades,
            renew_summary=renew,
            carried=frozenset(
                key
                for key, value in data.items()
                if isinstance(key, str)
                and value is not None
                and (key in BLOCKS or key.startswith("userGroup"))
            ),
        )

    def carries(self, key: str) -> bool:
        """Whether the answer carried this top-level block (empty counts: it then says none)."""
        return key in self.carried

    @property
    def all_programs(self) -> tuple[Program, ...]:
        """The programs of the answer: loyaltyProgramDetails, else the pointsSummary alone."""
        if self.programs:
            return self.programs
        return (self.points_summary,) if self.points_summary is not None else ()

    @property
    def extra_identifiers(self) -> tuple[Identifier, ...]:
        """identifiersAll entries that no profile lists among its identifiers or channels
        (Capillary's by-id sample has a mobile and an email only there), in document order."""
        listed: list[Identifier | CommChannel] = []
        for profile in self.profiles:
            listed += profile.identifiers
            listed += profile.channels
        known = {(item.type.casefold(), item.value.strip().casefold()) for item in listed}
        extra: dict[tuple[str, str], Identifier] = {}
        for profile in self.profiles:
            for item in profile.identifiers_all:
                key = (item.type.casefold(), item.value.strip().casefold())
                if item.value.strip() and key not in known:
                    extra.setdefault(key, item)
        return tuple(extra.values())

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


def _program_ids(value: object) -> set[int | None]:
    """The programId (or program_id) each item of a root gap block names, None for an item
    that names none."""
    items = [value] if isinstance(value, dict) else _dicts(value)
    return {_int(_either(item, "programId", "program_id")) for item in items}


def _root_gaps(
    data: dict[str, Any], programs: tuple[Program, ...], summary: Program | None
) -> tuple[tuple[Program, ...], Program | None, tuple[Progress, ...], RenewSummary | None]:
    """Gaps placed at the document's root, given to a program where that is unambiguous: the
    answer's one program, or the program a block names by programId (a program that carries
    its own keeps them); else left as the member's, "program not named"."""
    raw_upgrades = _either(data, "upgradeStrategies", "upgrade_strategy")
    raw_renew = _either(data, "gapToRenewSummary", "gap_to_renew")
    if raw_upgrades is None and raw_renew is None:
        return programs, summary, (), None
    targets = programs or ((summary,) if summary is not None else ())
    known = {program.program_id for program in targets}

    def owner(value: object) -> Program | None:
        """The one program this block belongs to, None when that is not unambiguous."""
        if value is None:
            return None
        if len(targets) == 1:
            return targets[0]
        ids = _program_ids(value)
        if len(ids) != 1:
            return None
        (named,) = ids
        if named is None or named not in known:
            return None
        return next(program for program in targets if program.program_id == named)

    upgrade_owner, renew_owner = owner(raw_upgrades), owner(raw_renew)
    upgrades = tuple(map(Progress.upgrade_from_json, _dicts(raw_upgrades)))
    renew = RenewSummary.from_json(raw_renew)

    def attributed(program: Program) -> Program:
        changes: dict[str, Any] = {}
        same_upgrade = upgrade_owner is not None and upgrade_owner.program_id == program.program_id
        same_renew = renew_owner is not None and renew_owner.program_id == program.program_id
        if same_upgrade and not program.upgrade_sent:
            changes.update(upgrade_strategies=upgrades, upgrade_sent=True)
        if same_renew and not program.renew_sent:
            changes.update(renew_summary=renew, renew_sent=True)
        if not changes:
            return program
        return dataclasses.replace(program, gaps_from_root=True, **changes)

    new_programs = tuple(attributed(p) for p in programs)
    if summary is not None and (not programs or summary.program_id in known):
        summary = attributed(summary)
    # A block no program can be named for, or one whose program already carried its own,
    # stays the member's: shown as "gaps at the document's root", never silently dropped.
    left_upgrades = (
        upgrades
        if raw_upgrades is not None and (upgrade_owner is None or upgrade_owner.upgrade_sent)
        else ()
    )
    left_renew = (
        renew
        if raw_renew is not None and (renew_owner is None or renew_owner.renew_sent)
        else None
    )
    return new_programs, summary, left_upgrades, left_renew
