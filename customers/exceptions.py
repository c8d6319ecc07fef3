"""What can go wrong when looking a customer up, grouped by what the caller can do about it.

Every error raised after a query is valid derives from `BackendError` and carries the HTTP status,
the backend's own error code, a message an agent can read and the backend request id, so a page
can say what happened and support can trace the call. `InvalidQuery` is raised before any call
is made, while a query is being built from what a person typed.

Reference: Capillary API docs, "Errors and Warnings" and "Status codes - customer".
"""

from __future__ import annotations

from collections.abc import Mapping


class BackendError(Exception):
    """The lookup did not produce a customer. Subclasses say why."""

    default_message = "The lookup service returned an error."

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

    # The three documented reasons behind 8015, for the page to list.
    REASONS_8015: tuple[str, ...] = (
        "An identifier is wrong or belongs to no member.",
        "The org uses dual eligibility and its primary identifier (mobile, email or external id) "
        "was not among the identifiers given.",
        "The accountId is missing or is not the member's account in that source (every "
        "source but INSTORE needs the right one).",
    )

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.code == 8065:
            return ("No customer in the chosen source has that identifier.",)
        if self.code in (8015, None):
            return self.REASONS_8015
        return ()


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

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class BackendUnavailable(BackendError):
    """Try again later: timeouts, connection errors, 5xx, 4001, 461, 521."""

    default_message = "The lookup service is unavailable right now; try again in a moment."


class BadResponse(BackendError):
    """The backend answered, but not with a document the app can use (not JSON, wrong shape,
    too large, cut off)."""

    default_message = "The lookup service sent an answer the app could not read."


class ConfigurationError(BackendError):
    """The app itself is misconfigured (no credentials for a real backend): tell an admin."""

    default_message = "The lookup service is not configured."


class InvalidQuery(ValueError):
    """What was typed cannot be sent. `errors` maps parameter names to messages."""

    status = None
    code = None
    request_id = ""
    attempts = 0

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {name: list(msgs) for name, msgs in errors.items()}
        self.message = " ".join(msg for msgs in self.errors.values() for msg in msgs)
        super().__init__(self.message)
