"""The member's own records: profiles, identifiers, channels, loyalty info, fraud, warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import regex

from customers.capillary.records.convert import (
    _EMPTY,
    _FRAUD_CLEAR,
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
    is_masked,
)

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


# Letters of the scripts whose names are written family name first, without a space: Han
# (Chinese, Japanese kanji), Hiragana, Katakana (the long-vowel mark and the middle dot are in
# their script extensions) and Hangul.
CJK_LETTER = regex.compile(
    r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]", regex.VERSION1
)
_LETTER = regex.compile(r"\p{L}")


def _written_in_cjk(part: str) -> bool:
    """Every letter of `part` is Chinese, Japanese or Korean (and it has one)."""
    letters = _LETTER.findall(part)
    return bool(letters) and all(CJK_LETTER.fullmatch(letter) for letter in letters)


def person_name(first_name: str, last_name: str) -> str:
    """A person's name as a reader of its script expects it: the one place a name is composed.

    Names written in Chinese, Japanese or Korean script read family name first with no space
    (firstName 伟, lastName 李: 李伟); every other name reads "first last". The order follows
    the name's own script, not the language of the page: 李伟 is 李伟 on an English page too,
    and a Latin name on a Chinese page stays "Wei Li". A name whose two parts are in different
    scripts keeps "first last".
    """
    first, last = first_name.strip(), last_name.strip()
    if first and last and _written_in_cjk(first) and _written_in_cjk(last):
        return last + first
    return f"{first} {last}".strip()


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
        return person_name(self.first_name, self.last_name)

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


# The fraud statuses that say the member is marked as fraud.
_FRAUD_FLAGGED = frozenset({"MARKED", "CONFIRMED", "RECONFIRMED"})


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
        """MARKED, CONFIRMED or RECONFIRMED: the statuses whose names say fraud (error 618
        calls such a customer "marked as fraud"). The document gives INTERNAL no meaning: it
        is shown as sent (is_unexplained), never read as a flag."""
        return self.status.strip().upper() in _FRAUD_FLAGGED

    @property
    def is_unexplained(self) -> bool:
        """A status that is neither a flag nor clear (INTERNAL, or one the document does not
        list): the pages show it as sent, without saying what it means."""
        return not self.is_flagged and self.status.strip().upper() not in _FRAUD_CLEAR

    @classmethod
    def from_json(cls, value: object) -> FraudDetails | None:
        if not isinstance(value, dict):
            return None
        return cls(
            status=_str(value.get("status")),
            marked_by=Till.from_json(value.get("markedBy")),
            modified_on=_moment(value.get("modifiedOn")),
        )
