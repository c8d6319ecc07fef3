"""The language of the page: a signed-in user's choice wins over the browser's.

Django's LocaleMiddleware picks the language from the language cookie, else the browser's
Accept-Language, among settings.LANGUAGES (any other language gets English). A user who
chooses one on the page (the header's form, POST i18n/setlang/) has it kept for them
(LanguagePreference); signing in puts it in their session, and UserLanguageMiddleware applies
it on every request of that session, on any browser. The sign-in page, before anyone is known,
follows the cookie and the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.views import i18n

from customers.accounts.models import LanguagePreference

# The session's copy of the user's choice: read on every request without a query.
SESSION_KEY = "customers_language"


def shipped(code: object) -> str | None:
    """The code as settings.LANGUAGES spells it, or None when it is not a shipped language."""
    if not isinstance(code, str):
        return None
    lowered = code.strip().lower()
    return next((known for known, _ in settings.LANGUAGES if known == lowered), None)


def catalogue_version() -> str:
    """Names the compiled JavaScript catalogues of this release (the newest one's time), so
    a cached catalogue is never served after a deploy brings new strings."""
    compiled = [
        path.stat().st_mtime_ns
        for directory in settings.LOCALE_PATHS
        for path in Path(directory).glob("*/LC_MESSAGES/djangojs.mo")
    ]
    return f"jsi18n-{max(compiled, default=0)}"


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (POST, CSRF-checked; sets the language cookie and goes back to
    `next`), which also keeps a signed-in user's choice for them."""
    response = i18n.set_language(request)
    if _reruns_a_search(response):
        # Back to a search's own URL (a GET lookup, as the not-found page was reached) would
        # search again: another audited lookup and backend call. The search page instead.
        response["Location"] = reverse("customers:search")
    chosen = shipped(request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER))
    if request.method == "POST" and chosen and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(
            user=request.user, defaults={"language": chosen}
        )
        request.session[SESSION_KEY] = chosen
    return response


def _reruns_a_search(response: HttpResponse) -> bool:
    """Whether the response redirects to the lookup URL, which searches when opened."""
    location = response.get("Location")
    if response.status_code != 302 or not location:
        return False
    try:
        return resolve(urlsplit(location).path).view_name == "customers:lookup"
    except Resolver404:
        return False


@receiver(user_logged_in, dispatch_uid="customers.accounts.language")
def remember_on_sign_in(
    sender: object, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Signing in, by password or the company's provider, brings the user's chosen language."""
    if request is None or not hasattr(request, "session"):
        return
    kept = (
        LanguagePreference.objects.filter(user_id=user.pk)
        .values_list("language", flat=True)
        .first()
    )
    if shipped(kept):
        request.session[SESSION_KEY] = kept


class UserLanguageMiddleware:
    """Activates the signed-in user's chosen language (after AuthenticationMiddleware and
    LocaleMiddleware, so it wins over the cookie and the browser), and sets the language
    cookie to it, so the sign-in page speaks it after signing out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        chosen = shipped(session.get(SESSION_KEY)) if session is not None else None
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if (
            chosen
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen
            # Neither signed out nor just set by set_language.
            and getattr(request, "session", None) is session
            and session is not None
            and session.get(SESSION_KEY) == chosen
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite="Lax",
            )
        return response
