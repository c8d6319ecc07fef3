"""How one figure, date or value is printed: figures grouped in the active locale, dates in its
time zone (Capillary's far-future dates say "no expiry"), and the one masking decision (`shown`)
the pages and the plain-text summary share. A missing figure prints as "", never as a zero."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone, translation

from customers import masking
from customers.capillary.records import Moment, is_masked, never_expires

_CENT = Decimal("0.01")
DASH = "\N{EM DASH}"


def format_number(value: Decimal | int | None) -> str:
    """A figure grouped in the active locale: whole numbers without decimals, others to 0.01."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = int(value)
        else:
            value = value.quantize(_CENT).normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def format_moment(moment: Moment | None, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active locale and time zone; Capillary's far-future dates say no expiry."""
    if moment is None:
        return ""
    if never_expires(moment):
        return "no expiry"
    return _formatted(
        moment, fmt, translation.get_language(), timezone.get_current_timezone_name()
    )


# Formatting a date is the costliest step of a long cards table, and cards share dates.
@functools.lru_cache(maxsize=4096)
def _formatted(moment: Moment, fmt: str, language: str | None, zone: str) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    elif fmt != "DATE_FORMAT" and fmt != "SHORT_DATE_FORMAT":
        # A plain date has no time to show.
        fmt = "DATE_FORMAT"
    return formats.date_format(moment, fmt)


def day_of(moment: Moment) -> date:
    """The day of a date or moment, in the active time zone when the moment is aware."""
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


@dataclass(frozen=True, slots=True)
class Shown:
    """A value as a page may show it. state: "shown", "masked" (by us), "capillary" (masked by
    Capillary, no data to reveal) or "empty"."""

    text: str
    state: str

    @property
    def masked(self) -> bool:
        return self.state == "masked"


def shown(
    value: object,
    kind: str,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    identifier: bool = False,
) -> Shown:
    """How a value of this kind (name, mobile, email, an identifier type or a field name) is
    shown to a user: in full when their role sees PII or they revealed this kind, else masked.
    `identifier` marks `kind` as an identifier's or channel's type (see masking.mask_for_page).
    """
    text = "" if value is None else str(value)
    if not text.strip():
        return Shown("", "empty")
    if is_masked(text):
        return Shown("masked by Capillary", "capillary")
    lowered = kind.strip().lower()
    if unmasked or any(lowered == str(item).strip().lower() for item in revealed):
        return Shown(text, "shown")
    masked = masking.mask_for_page(kind, text, identifier=identifier)
    return Shown(masked, "shown" if masked == text else "masked")
