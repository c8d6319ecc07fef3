# Simplified Chinese: Django's dates; figures grouped by thousands with commas (100,000), as
# mainland China writes them (Django's own has no separator).
from django.conf.locale.zh_Hans.formats import *  # type: ignore[import-untyped]  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
