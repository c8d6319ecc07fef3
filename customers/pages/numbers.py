"""How one figure, date or value is printed: figures grouped in the active locale, dates in its
time zone (Capillary's far-future dates say "no expiry"), and the one masking decision (`shown`)
the pages and the plain-text summary share. A missing figure prints as "", never as a zero."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from customers import masking
from customers.capillary.records import Moment, is_masked, never_expires

DASH = "\N{EM DASH}"


def format_number(value: Decimal | int | None) -> str:
    """A figure grouped in the active locale, exactly as sent: whole numbers without decimals,
    others with every decimal the document gave (a ratio of 0.0025 is 0.0025, never 0; 99.999
    is not 100; -0.005 is not -0)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = int(value)
        else:
            # Plain digits, never an exponent (1E-7): the locale groups what it is given.
            value = Decimal(format(value.normalize(), "f"))
    return numerals(formats.number_format(value, use_l10n=True, force_grouping=True), figure=True)


# Arabic-Indic digits, and the Arabic decimal and thousands separators a figure takes with them.
_ARABIC_INDIC = "".join(chr(0x0660 + digit) for digit in range(10))
_ARABIC_INDIC_DIGITS = str.maketrans("0123456789", _ARABIC_INDIC)
# U+066B ARABIC DECIMAL SEPARATOR, U+066C ARABIC THOUSANDS SEPARATOR.
_ARABIC_INDIC_FIGURE = str.maketrans("0123456789.,", _ARABIC_INDIC + "\u066b\u066c")


def numerals(text: str, *, figure: bool = False) -> str:
    """Text with its digits as the org chose for Arabic (settings.NUMERALS): Latin (0-9) unless
    Arabic is active and the org asked for "arabic-indic"; in every other language always Latin.
    A figure's separators follow its digits (Arabic decimal and thousands separators); a
    date's punctuation stays."""
    if str(getattr(settings, "NUMERALS", "latin")).strip().lower() != "arabic-indic":
        return text
    if (translation.get_language() or "").split("-")[0] != "ar":
        return text
    return text.translate(_ARABIC_INDIC_FIGURE if figure else _ARABIC_INDIC_DIGITS)


def plural_count(value: Decimal | int | None) -> int:
    """The number ngettext chooses a plural form by, for a figure printed with format_number:
    the figure itself when whole; for a fraction ("1.5 points") 100, which every shipped
    language's plural formula puts in the form fractions take (CLDR's "other")."""
    if value is None:
        return 0
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return 100
    return int(value)


DATE_ONLY = ("DATE_FORMAT", "SHORT_DATE_FORMAT")


def org_zone() -> tzinfo:
    """The org's time zone (settings.ORG_TIME_ZONE), else the active one."""
    return _zone(str(getattr(settings, "ORG_TIME_ZONE", "") or ""))


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # The system check reports the setting (customers.E007).
        return timezone.get_current_timezone()


def format_moment(moment: Moment | None, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active locale and the org's time zone, the zone named wherever a time is
    shown; a date sent without a time is shown as sent, never shifted. Capillary's far-future
    dates say no expiry."""
    if moment is None:
        return ""
    if never_expires(moment):
        return _("no expiry")
    digits = str(getattr(settings, "NUMERALS", "latin"))
    return _formatted(moment, fmt, translation.get_language(), str(org_zone()), digits)


# Formatting a date is the costliest step of a long cards table, and cards share dates.
@functools.lru_cache(maxsize=4096)
def _formatted(moment: Moment, fmt: str, language: str | None, zone: str, digits: str) -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone(org_zone()) if timezone.is_aware(moment) else moment
        text = numerals(formats.date_format(moment, fmt))
        return text if fmt in DATE_ONLY else f"{text} ({zone})"
    if fmt not in DATE_ONLY:
        # A plain date has no time to show.
        fmt = "DATE_FORMAT"
    return numerals(formats.date_format(moment, fmt))


def day_of(moment: Moment) -> date:
    """The day of a date or moment, in the org's time zone when the moment is aware (the day
    every date of the page is shown in); a plain date is its own day."""
    if isinstance(moment, datetime):
        return moment.astimezone(org_zone()).date() if timezone.is_aware(moment) else moment.date()
    return moment


def org_today() -> date:
    """Today in the org's time zone."""
    return timezone.now().astimezone(org_zone()).date()


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
        return Shown(_("masked by Capillary"), "capillary")
    lowered = kind.strip().lower()
    if unmasked or any(lowered == str(item).strip().lower() for item in revealed):
        return Shown(text, "shown")
    masked = masking.mask_for_page(kind, text, identifier=identifier)
    return Shown(masked, "shown" if masked == text else "masked")
