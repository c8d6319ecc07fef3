"""Django's model backend, with a throttle on failed sign-ins per username and address."""

import math
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from customers.platform import metrics
from customers.platform.ratelimit import client_ip, release_login_attempt, reserve_login_attempt


class ThrottledModelBackend(ModelBackend):
    """Refuses sign-in for a while after settings.LOGIN_FAILURE_LIMIT failures.

    The refusal is a ValidationError rather than PermissionDenied: the login form turns it into
    its error message, so the person sees why they cannot sign in instead of the usual "wrong
    password", which would be untrue and invite more attempts.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if password is None:
            return None  # not a sign-in with a password, as the model backend would answer
        name = username if username is not None else kwargs.get("username", "")
        ip = client_ip(request) if request is not None else None
        attempt = reserve_login_attempt(str(name), ip)
        if attempt.retry_after:
            metrics.refused("sign_in_throttled")
            minutes = max(1, math.ceil(attempt.retry_after / 60))
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            user = super().authenticate(request, username=username, password=password, **kwargs)
        except BaseException:
            # The check itself failed (the database was down): not a wrong password.
            release_login_attempt(attempt)
            raise
        if user is not None:
            release_login_attempt(attempt)
        return user
