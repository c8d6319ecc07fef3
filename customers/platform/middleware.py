"""The app's middleware: a request id for every request, so a page, a log line and an audit
entry can be matched; and the upkeep of a signed-in session once a minute."""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger("customers.request")

HEADER = "X-Request-ID"
# Sec-Fetch-Site values of a request a page on another site started.
OTHER_SITES = frozenset({"cross-site", "same-site"})
# A member page's parameter asking for the confirm step (signing in adds it, see
# accounts.views.confirm_lookup), as the lookup's does.
CONFIRM = "confirm"
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


def from_another_site(request: HttpRequest) -> bool:
    """Whether a page on another site started this request: the browser's Sec-Fetch-Site, or
    where it does not send one, the Origin or Referer. A typed, pasted or bookmarked URL has
    neither, and is the user's own."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in OTHER_SITES
    started_by = request.headers.get("Origin") or request.headers.get("Referer")
    if not started_by or started_by == "null":
        return bool(started_by)
    return not url_has_allowed_host_and_scheme(
        started_by, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


class MemberLinkConfirmMiddleware:
    """A member's page (/customers/<id>/ and each of its tabs) that a page on another site
    opened, or that signing in returns to, asks first: it shows a page with a link to itself,
    and fetches nothing, writes no audit entry and spends none of the user's lookups until the
    user follows that link from this site. A link on any site could otherwise make an agent's
    browser open a member in their name. After LoginRequiredMiddleware (the sign-in comes
    first); the search (/lookup/) has its own confirm step, the filled-in form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            request.method not in ("GET", "HEAD")
            or match is None
            or match.namespace != "customers"
            or "customer_id" not in kwargs
        ):
            return None
        if CONFIRM not in request.GET and not from_another_site(request):
            return None
        query = request.GET.copy()
        query.pop(CONFIRM, None)
        target = request.path + (f"?{query.urlencode()}" if query else "")
        context = {
            "title": _("Open this member?"),
            "target": target,
            "customer_id": kwargs["customer_id"],
        }
        response = render(request, "customers/confirm_member.html", context)
        add_never_cache_headers(response)
        return response
