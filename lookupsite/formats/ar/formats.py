# Arabic: Django's dates, with the date-and-time formats it lacks; figures grouped as the Gulf's
# support floors write them with Latin digits (100,000.5). settings.NUMERALS may ask for
# Arabic-Indic digits instead (customers/pages/numbers.py).
from django.conf.locale.ar.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
FIRST_DAY_OF_WEEK = 6
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
