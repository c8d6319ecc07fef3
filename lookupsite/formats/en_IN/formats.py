# English for India: British dates (the app's English default), Indian grouping (1,00,000).
from django.conf.locale.en_GB.formats import *  # type: ignore[import-untyped]  # noqa: F403

NUMBER_GROUPING = (3, 2, 0)
