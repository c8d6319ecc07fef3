"""What can go wrong when looking a customer up, grouped by what the caller can do about it.

Every error raised after a query is valid derives from `BackendError` and carries the backend's
HTTP status (`status`), its own error code, a message and the backend request id, so support can
trace the call. Each class also says how the app answers it, as typed API clients put
`status_code` on each error class: the HTTP status of the page (`status_code`), the audit outcome
(`outcome`), and the page's `heading` and `advice` for the agent. `InvalidQuery` is raised before
any call is made, while a query is being built from what a person typed; it carries the problems
per parameter instead.

The error-code tables map the backend's codes onto these classes (`error_class`).

Reference: Capillary API docs, "Errors and Warnings" and "Status codes - customer".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

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
RETRY_ADVICE = "Try again; if it keeps happening, pass the request ids below to support."


class BackendError(Exception):
    """The lookup did not produce a customer. Subclasses say why."""

    default_message = "The lookup service returned an error."
    # How the app answers: the page's HTTP status, the audit outcome, what the page says.
    status_code: ClassVar[int] = 502
    outcome: ClassVar[str] = "error"
    heading: ClassVar[str] = "The lookup service returned an error"
    advice: ClassVar[str] = RETRY_ADVICE
    template_name: ClassVar[str] = "customers/lookup_failed.html"

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        code: int | None = None,
        request_id: str = "",
        attempts: int = 0,
    ) -> None:
        self.message = message or self.default_message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.attempts = attempts
        super().__init__(self.message)

    def __str__(self) -> str:
        details = [
            f"{label} {value}"
            for label, value in (
                ("HTTP", self.status),
                ("code", self.code),
                ("request id", self.request_id or None),
            )
            if value is not None
        ]
        return f"{self.message} ({', '.join(details)})" if details else self.message


class CustomerNotFound(BackendError):
    """No customer matches: show "not found" with the documented reasons."""

    default_message = "No customer was found for the given identifiers."
    status_code = 404
    outcome = "not_found"
    heading = "No customer found"
    advice = (
        "Check the identifiers, add the org's primary identifier (mobile, email or external id), "
        "or pick the source and account the member signed up through."
    )

    # The three documented reasons behind 8015, for the page to list.
    REASONS_8015: tuple[str, ...] = (
        "An identifier is wrong or belongs to no member.",
        "The org uses dual eligibility and its primary identifier (mobile, email or external id) "
        "was not among the identifiers given.",
        "The account id is missing or is not the member's account in that source (every "
        "source but INSTORE needs the right one).",
    )

    # The accountId reason for a search in ALL, which the app sends without one.
    ALL_WITHOUT_ACCOUNT = (
        "The account id is missing: this search asked all sources at once without one, and "
        "Capillary's reference asks for an account id for every source but INSTORE. Search the "
        "member's own source and account, or INSTORE."
    )

    BY_ID_ADVICE = (
        "Check the customer id, or search for the member by mobile, email or external id: the "
        "search asks the right source."
    )

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.code == 8065:
            return ("No customer in the chosen source has that identifier.",)
        if self.code in (8015, None):
            return self.REASONS_8015
        return ()

    def explain(
        self, *, source: str, customer_id: str | None = None
    ) -> tuple[str, str, tuple[str, ...]]:
        """The page's message, advice and reasons for a search in `source`, or for a customer
        fetched by id (no identifiers were typed, so their reasons cannot apply)."""
        if customer_id is not None:
            return f"No customer with id {customer_id} in {source}.", self.BY_ID_ADVICE, ()
        reasons = self.reasons
        if reasons == self.REASONS_8015 and source == "INSTORE":
            # The account reason is about sources that take an accountId: every one but INSTORE.
            reasons = reasons[:2]
        elif reasons == self.REASONS_8015 and source == "ALL":
            # The app asks ALL without an accountId; Capillary's reference asks one of every
            # source but INSTORE, so an org's cluster may answer 8015 for that alone.
            reasons = (*reasons[:2], self.ALL_WITHOUT_ACCOUNT)
        return self.message, self.advice, reasons


class CustomerMerged(BackendError):
    """8069: the customer was merged into another account; look up the surviving one."""

    default_message = "This customer has been merged into another account."
    status_code = 410
    outcome = "not_found"
    heading = "This customer was merged into another account"
    advice = (
        "Search again by the member's mobile or email: the lookup answers with the surviving "
        "account."
    )


class InvalidRequest(BackendError):
    """The backend refused the request's parameters (8013, 8011/8012/8003, 11013, 8045)."""

    default_message = "The lookup service refused the request's parameters."
    status_code = 400
    heading = "The lookup service refused the search"
    advice = "Check the source, the accountId and the identifier types, then search again."


class NotAllowed(BackendError):
    """Authentication or permission refused (401/403/4000, 618 fraud, 1044 no permission)."""

    default_message = "The lookup service did not allow this request."
    status_code = 403
    heading = "The lookup service did not allow this lookup"
    advice = (
        "The customer may be marked as fraud or outside what this app's API account may see. "
        "If it happens for every customer, an administrator should check the API credentials."
    )


class RateLimited(BackendError):
    """429: too many requests; `retry_after` (seconds) says when to try again, if known."""

    default_message = "The lookup service is rate limiting requests; try again shortly."
    status_code = 429
    outcome = "rate_limited"
    heading = "The lookup service is busy"
    advice = "It is limiting how many requests it answers. Wait a moment and try again."

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, **kwargs: object
    ) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class BackendUnavailable(BackendError):
    """Try again later: timeouts, connection errors, 5xx, 4001, 461, 521."""

    default_message = "The lookup service is unavailable right now; try again in a moment."
    status_code = 503
    heading = "The lookup service is unavailable or slow"
    advice = "It did not answer in time or could not be reached. Try again in a minute."


class CircuitOpen(BackendUnavailable):
    """Not called at all: after repeated timeouts or 5xx the app stops calling the backend for
    a cool-down (`customers.platform.resilience`); `retry_after` says when it tries again."""

    default_message = "Capillary is not answering."
    heading = "Capillary is not answering"
    advice = (
        "After repeated timeouts or errors the app stopped calling it for a short while, so "
        "nobody waits for an answer that will not come. It tries again by itself; search again "
        "after that."
    )

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
    heading = "The lookup service sent an answer the app could not read"


class ConfigurationError(BackendError):
    """The app itself is misconfigured (no credentials for a real backend): tell an admin."""

    default_message = "The lookup service is not configured."
    status_code = 503
    heading = "The lookup service is not configured"
    advice = (
        "An administrator needs to set the API address and credentials. Searching again will "
        "not help until then."
    )


class InvalidQuery(ValueError):
    """What was typed cannot be sent. `errors` maps parameter names to messages."""

    status_code: ClassVar[int] = 400
    outcome: ClassVar[str] = "invalid"
    heading: ClassVar[str] = "Check the search"
    advice: ClassVar[str] = "Correct the fields marked below, then search again."
    template_name: ClassVar[str] = "customers/search.html"

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
