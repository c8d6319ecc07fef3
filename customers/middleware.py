"""A request id for every request, so a page, a log line and an audit entry can be matched."""

import logging
import uuid
from collections.abc import Callable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

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
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response[HEADER] = request.request_id
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
