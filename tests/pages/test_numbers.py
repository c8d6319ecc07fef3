"""Figures and dates by locale: grouping as the locale groups (India's lakh for Hindi and
en-IN), Latin digits in every language unless the org asks for Arabic-Indic ones with Arabic."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from customers.pages.numbers import format_moment, format_number


@pytest.mark.parametrize(
    ("language", "figure"),
    [
        ("en-gb", "100,000"),
        ("en-in", "1,00,000"),
        ("hi", "1,00,000"),
        ("ar", "100,000"),
        ("zh-hans", "100,000"),
    ],
)
def test_a_figure_is_grouped_as_the_locale_groups_in_latin_digits(language, figure):
    with translation.override(language):
        assert format_number(100000) == figure


def test_crores_and_decimals_in_hindi():
    with translation.override("hi"):
        assert format_number(Decimal("12345678.25")) == "1,23,45,678.25"


def test_the_org_may_ask_for_arabic_indic_digits_in_arabic_only(settings):
    settings.NUMERALS = "arabic-indic"

    with translation.override("ar"):
        assert format_number(Decimal("100000.5")) == "١٠٠٬٠٠٠٫٥"  # noqa: RUF001
        assert format_moment(date(2026, 12, 7)) == "٧ ديسمبر، ٢٠٢٦"  # noqa: RUF001
    with translation.override("hi"):
        assert format_number(100000) == "1,00,000"
    with translation.override("en-gb"):
        assert format_moment(date(2026, 12, 7)) == "7 Dec 2026"


def test_arabic_dates_keep_latin_digits_by_default():
    with translation.override("ar"):
        assert format_moment(date(2026, 12, 7)) == "7 ديسمبر، 2026"


def test_a_moment_in_arabic_indic_digits_keeps_its_zone_name(settings):
    settings.NUMERALS = "arabic-indic"
    settings.ORG_TIME_ZONE = "Etc/GMT-5"

    with translation.override("ar"):
        shown = format_moment(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), "DATETIME_FORMAT")

    assert shown.endswith("(Etc/GMT-5)")
    assert not any(char.isascii() and char.isdigit() for char in shown.removesuffix("(Etc/GMT-5)"))


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en-gb", "7 Dec 2026, 3:11 p.m."),
        ("en-in", "7 Dec 2026, 3:11 p.m."),
        ("zh-hans", "2026年12月7日 15:11"),
    ],
)
def test_a_moment_is_written_in_the_locales_own_format(settings, language, shown):
    settings.ORG_TIME_ZONE = "UTC"

    with translation.override(language):
        assert format_moment(datetime(2026, 12, 7, 15, 11, tzinfo=UTC), "DATETIME_FORMAT") == (
            f"{shown} (UTC)"
        )


def test_hindi_dates_do_not_fall_back_to_the_us_order(settings):
    settings.ORG_TIME_ZONE = "UTC"

    with translation.override("hi"):
        shown = format_moment(datetime(2026, 12, 7, 15, 11, tzinfo=UTC), "DATETIME_FORMAT")

    # Day, month, year: "7 दिसंबर 2026, 15:11" (Django's own Hindi lacked this format).
    assert shown.startswith("7 ")
    assert "2026, 15:11" in shown


def test_a_morning_and_an_evening_read_differently_in_hindi(settings):
    """Django's Hindi calls both a.m. and p.m. "बजे": the clock is 24-hour so they differ."""
    settings.ORG_TIME_ZONE = "UTC"

    with translation.override("hi"):
        morning, evening = (
            format_moment(datetime(2026, 12, 7, hour, 41, tzinfo=UTC), "DATETIME_FORMAT")
            for hour in (8, 20)
        )

    assert morning != evening
    assert "8:41" in morning and "20:41" in evening
