"""Cards, alternate currencies, subscriptions, promotional points, expiry schedules, status,
user groups and the photo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from customers.capillary.records.convert import (
    Moment,
    _bool,
    _decimal,
    _dict,
    _dicts,
    _int,
    _mapping,
    _mappings,
    _moment,
    _str,
    never_expires,
)
from customers.capillary.records.profile import Till
from customers.capillary.records.programs import Program, Progress, RenewSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class CardStatus:
    """statusInfo of a card: NOT_ISSUED, ACTIVE, SUSPENDED, DELETED, EXPIRED, with its label.

    Its history as far as the document carries it: when this status was set (`createdOn`) and
    by whom (`createdBy`, which the document lists without saying what it identifies; in
    its by-id sample it equals the card's `entityId`; `createdByUser`, a name, in Capillary's
    status-log entries), and the label before it (`prevLabel`, in the same entries).

    `is_active` is the document's `isActive`: whether this status record is the card's current
    one, not whether the card is active (Card.state and Card.is_active read `status`).
    `created_by` is `createdBy` as sent: the document does not say whose id it is."""

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
    def state(self) -> str:
        """The card's state as statusInfo.status says (ACTIVE, SUSPENDED, EXPIRED, DELETED,
        NOT_ISSUED, ...), upper case; the label when no status came, "" when neither did.

        Not statusInfo.isActive: that marks the status record as the card's current one
        (Capillary's published status log has isActive true on a DELETED entry)."""
        if self.status is None:
            return ""
        return (self.status.status or self.status.label).strip().upper().replace(" ", "_")

    @property
    def is_active(self) -> bool:
        """The card's status is ACTIVE (statusInfo.status, never statusInfo.isActive)."""
        return self.state == "ACTIVE"

    def past_expiry(self, today: date) -> bool:
        """Its expiry date is before `today` (the date in its own offset)."""
        if self.expiry_date is None or self.never_expires:
            return False
        day = (
            self.expiry_date.date() if isinstance(self.expiry_date, datetime) else self.expiry_date
        )
        return day < today

    def active_but_unusable(self, today: date) -> tuple[str, ...]:
        """Why an ACTIVE card may not work at the till: past its expiry date, transactions not
        allowed. Empty for a card that is not ACTIVE or has neither."""
        if not self.is_active:
            return ()
        reasons = []
        if self.past_expiry(today):
            reasons.append("past its expiry date")
        if self.transaction_not_allowed:
            reasons.append("transactions not allowed")
        return tuple(reasons)

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
