# Hindi: Django's dates, with the date-and-time formats it lacks; Indian grouping (1,00,000).
from django.conf.locale.hi.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATETIME_FORMAT = "j F Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATETIME_FORMAT = "d-m-Y g:i A"
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
