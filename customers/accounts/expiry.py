"""Signing in again after the session expired: the sign-in page says so.

A request that still carries a session cookie but no signed-in session was made by someone whose
session ran out (SESSION_IDLE_SECONDS without a request), not by a first visitor: Django's
sign-in redirect gets `expired=1`, and the sign-in page tells them why they are there. The
search they pressed Search on is kept in their browser (static/customers/lookup.js) and runs
again once they are back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseRedirect

# The sign-in page's parameter for "your session expired".
EXPIRED = "expired"


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, whose redirect says when a session expired."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponseRedirect:
        response = super().handle_no_permission(request, view_func)
        location = response.get("Location", "")
        if location and settings.SESSION_COOKIE_NAME in request.COOKIES:
            response["Location"] = f"{location}{'&' if '?' in location else '?'}{EXPIRED}=1"
        return response


def expired(request: HttpRequest) -> bool:
    return request.GET.get(EXPIRED) == "1"
