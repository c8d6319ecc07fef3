from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    code: str
    name: str
    current: bool


def language_choices() -> list[LanguageChoice]:
    """The languages the picker offers: settings.LANGUAGES named in their own language, one per
    language (a regional variant such as en-in is its language's first entry, marked current
    when it is active)."""
    active = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    offered: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        offered.setdefault(code.split("-")[0], code)
    names = dict(settings.LANGUAGES)
    current = offered.get(active.split("-")[0]) if active not in offered.values() else active
    return [LanguageChoice(code, str(names[code]), code == current) for code in offered.values()]


def site(request: HttpRequest) -> dict[str, object]:
    """What the admin base templates expect, for the pages outside the admin, and the language
    picker's choices."""
    return {
        "site_header": _("Customer Lookup"),
        "site_title": _("Customer Lookup"),
        "site_url": "/",
        "has_permission": request.user.is_authenticated,
        "language_choices": language_choices,
    }
