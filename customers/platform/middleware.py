"""The app's middleware: a request id for every request, so a page, a log line and an audit
entry can be matched; and the upkeep of a signed-in session once a minute."""

import logging
import time
import uuid
from collections.abc import Callable

from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("customers.request")

HEADER = "X-Request-ID"
# Exceptions Django turns into a 4xx page of their own: not errors of the app.
ANSWERED = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class RequestIdMiddleware:
    """Sets `request.request_id` (uuid4 hex) and the X-Request-ID response header.

    The id is always made here, never taken from the client, so nobody can make two requests
    share one in the logs or the audit trail.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[HEADER] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, ANSWERED):
            return
        # Django logs the traceback itself; this line ties it to the id the error page shows.
        logger.error(
            "unhandled %s on %s %s request_id=%s",
            type(exception).__name__,
            request.method,
            request.path,
            getattr(request, "request_id", "-"),
        )


# Authentication backends by the dotted path sessions signed in before the move into packages
# recorded (django.contrib.auth keeps the path in the session and signs out a session whose path
# is not in AUTHENTICATION_BACKENDS): such a session is carried over to the new path.
MOVED_BACKENDS = {
    f"customers.{old}": f"customers.accounts.{old}"
    for old in ("backends.ThrottledModelBackend", "oidc.CompanyBackend")
}

# Session key of the last upkeep: {"at": Unix time, "user": pk, "perms": [...]}.
UPKEEP = "upkeep"
UPKEEP_SECONDS = 60


class SessionUpkeepMiddleware:
    """Once a minute per signed-in session: renews the session (its idle timeout counts from
    there) and reads the user's permissions; in between, requests take the permissions from the
    session instead of two database queries, and save no session they did not change.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) cost two cache round trips
    per request, and the permission queries two more. The price: the idle timeout is between
    SESSION_IDLE_SECONDS less a minute and SESSION_IDLE_SECONDS, and a permission taken away
    (a group left) applies within a minute. A deactivated account is refused at once: the user
    is still read on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        moved = MOVED_BACKENDS.get(request.session.get(BACKEND_SESSION_KEY, ""))
        if moved:
            request.session[BACKEND_SESSION_KEY] = moved
        user = request.user
        if user.is_authenticated:
            upkeep = request.session.get(UPKEEP)
            now = time.time()
            if (
                isinstance(upkeep, dict)
                and upkeep.get("user") == user.pk
                and 0 <= now - upkeep.get("at", 0) < UPKEEP_SECONDS
            ):
                # The cache ModelBackend keeps for the request (auth.backends.ModelBackend).
                user._perm_cache = set(upkeep.get("perms", ()))  # type: ignore[attr-defined]
            else:
                perms = sorted(user.get_all_permissions())
                request.session[UPKEEP] = {"at": now, "user": user.pk, "perms": perms}
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every answer to a signed-in user, whatever the
    view: any page of theirs may show a member's data or an identifier (the search filled in
    from a link, My lookups, a history), and a view that forgets to say so must not leave it
    in a shared browser's cache or a proxy's. After AuthenticationMiddleware; static files
    (WhiteNoise, earlier in the chain) keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
