"""Tolerant converters and the document's conventions: Capillary's mask, 'does not expire',
numbers, moments, mappings."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

# What Capillary puts in place of names, mobiles, emails and channel values when the org masks
# PII and the API client has no PSI access (lookup-api.md section 3).
MASKED = "*****"


def is_masked(value: object) -> bool:
    """True for values Capillary's own PII masking replaced (`*****`).

    Only a value made of nothing but stars counts: a typed value that merely contains stars is
    data and is masked like any other.
    """
    return isinstance(value, str) and bool(value.strip()) and not value.strip().strip("*")


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
