"""What can go wrong when looking a customer up, grouped by what the caller can do about it.

Every error raised after a query is valid derives from `BackendError` and carries what the
transport knows, as typed API clients do: Capillary's HTTP status (`status_code`, None when it
did not answer), its own error code, its message, its request id (so support can trace the call),
the attempts made and, when it said, how long to wait (`retry_after`). How the app answers each
error (its page, heading, advice and audit outcome) is not theirs to say: `customers.errors`
maps each class to its page. `InvalidQuery` is raised before any call is made, while a query is
being built from what a person typed; it carries the problems per parameter instead.

The error-code tables map the backend's codes onto these classes (`error_class`).

Reference: Capillary API docs, "Errors and Warnings" and "Status codes - customer".
"""

from __future__ import annotations

import math
from collections.abc import Mapping

# Reference: "Status codes - customer". 816 and 8065 are "not found" in another form; a profile
# deleted on a PII delete request answers with its own message.
NOT_FOUND_CODES = frozenset({8015, 8065, 816})
MERGED_CODES = frozenset({8069})
INVALID_CODES = frozenset({8013, 8011, 8012, 8003, 11013, 8045})
NOT_ALLOWED_CODES = frozenset({618, 1044, 4000})
UNAVAILABLE_CODES = frozenset({4001})
UNAVAILABLE_STATUSES = frozenset({461, 521})
KNOWN_CODES = (
    NOT_FOUND_CODES | MERGED_CODES | INVALID_CODES | NOT_ALLOWED_CODES | UNAVAILABLE_CODES
)
DELETED_MESSAGE = "deleted after pii delete request"


class BackendError(Exception):
    """The lookup did not produce a customer. Subclasses say why."""

    default_message = "The lookup service returned an error."

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        code: int | None = None,
        request_id: str = "",
        attempts: int = 0,
    ) -> None:
        self.message = message or self.default_message
        # Capillary's HTTP status; None when no answer came (a timeout, a refused connection).
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.attempts = attempts
        super().__init__(self.message)

    def __str__(self) -> str:
        details = [
            f"{label} {value}"
            for label, value in (
                ("HTTP", self.status_code),
                ("code", self.code),
                ("request id", self.request_id or None),
            )
            if value is not None
        ]
        return f"{self.message} ({', '.join(details)})" if details else self.message


class CustomerNotFound(BackendError):
    """No customer matches (8015, 8065, 816, a profile deleted on a PII delete request, or a 404
    answered by the API)."""

    default_message = "No customer was found for the given identifiers."


class CustomerMerged(BackendError):
    """8069: the customer was merged into another account; look up the surviving one."""

    default_message = "This customer has been merged into another account."


class InvalidRequest(BackendError):
    """The backend refused the request's parameters (8013, 8011/8012/8003, 11013, 8045)."""

    default_message = "The lookup service refused the request's parameters."


class NotAllowed(BackendError):
    """Authentication or permission refused (401/403/4000, 618 fraud, 1044 no permission)."""

    default_message = "The lookup service did not allow this request."


class RateLimited(BackendError):
    """429: too many requests; `retry_after` (seconds) says when to try again, if known."""

    default_message = "The lookup service is rate limiting requests; try again shortly."

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, **kwargs: object
    ) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class BackendUnavailable(BackendError):
    """Try again later: timeouts, connection errors, 5xx, 4001, 461, 521."""

    default_message = "The lookup service is unavailable right now; try again in a moment."


class CircuitOpen(BackendUnavailable):
    """Not called at all: after repeated timeouts or 5xx the app stops calling the backend for
    a cool-down (`customers.platform.resilience`); `retry_after` says when it tries again."""

    default_message = "Capillary is not answering."

    def __init__(self, retry_after: float, **kwargs: object) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            f"Capillary is not answering; retrying in {seconds} s.",
            **kwargs,  # type: ignore[arg-type]
        )
        self.retry_after = float(seconds)


class BadResponse(BackendError):
    """The backend answered, but not with a document the app can use (not JSON, wrong shape,
    too large, too deep, cut off)."""

    default_message = "The lookup service sent an answer the app could not read."


class ConfigurationError(BackendError):
    """The app itself is misconfigured (no credentials for a real backend): tell an admin."""

    default_message = "The lookup service is not configured."


class InvalidQuery(ValueError):
    """What was typed cannot be sent. `errors` maps parameter names to messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {name: list(msgs) for name, msgs in errors.items()}
        self.message = " ".join(msg for msgs in self.errors.values() for msg in msgs)
        super().__init__(self.message)


def error_class(
    status: int, code: int | None, message: str, *, has_body: bool
) -> type[BackendError]:
    """The exception for a failed call: the backend code first, then the HTTP status.

    `has_body` says whether the answer was a JSON document (a 404 without one is not the API).
    """
    if code in NOT_FOUND_CODES or DELETED_MESSAGE in message.lower():
        return CustomerNotFound
    if code in MERGED_CODES:
        return CustomerMerged
    if code in INVALID_CODES:
        return InvalidRequest
    if code in NOT_ALLOWED_CODES or status in (401, 403):
        return NotAllowed
    if code in UNAVAILABLE_CODES or status in UNAVAILABLE_STATUSES or status >= 500:
        return BackendUnavailable
    if status == 429:
        return RateLimited
    if status == 404 and has_body:
        return CustomerNotFound
    if status in (400, 405, 415):
        return InvalidRequest
    if 300 <= status < 400 or status == 404:
        # A redirect or a page that is not the API: the base URL points somewhere else.
        return BadResponse
    return BackendError
