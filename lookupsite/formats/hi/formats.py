# Hindi: Django's dates, with the date-and-time formats it lacks (24-hour: Django's Hindi has
# one word, बजे, for a.m. and p.m., so 8:41 A would not say which); Indian grouping (1,00,000).
from django.conf.locale.hi.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
