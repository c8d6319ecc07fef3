"""The app's own refusals: requests the app answers without calling Capillary.

Each class owns its page, like the backend errors in `customers.capillary.exceptions`: the HTTP
status (`status_code`), the audit outcome (`outcome`), the page's `heading` and `advice`, and the
template that shows it (`template_name`). The audited request layer (`audit.audited`) catches
both trees and answers with the page.
"""

from __future__ import annotations

from typing import ClassVar

from customers.accounts.roles import GROUPS, PERMISSION_NAMES


class Refused(Exception):
    """The app refuses this request for this user; nothing was asked of the backend."""

    status_code: ClassVar[int] = 403
    outcome: ClassVar[str] = "forbidden"
    heading: ClassVar[str] = "Not allowed"
    advice: ClassVar[str] = ""
    template_name: ClassVar[str] = "403.html"
    # What the audit entry's detail says, after the view's own prefix.
    detail: str = ""


class PermissionRefused(Refused):
    """The user lacks `permission` (an "app_label.codename")."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"missing permission {permission}")
        self.permission = permission
        self.codename = permission.split(".", 1)[-1]
        self.detail = f"no {self.codename} permission"

    @property
    def permission_name(self) -> str:
        return PERMISSION_NAMES.get(self.permission, self.permission)

    @property
    def groups(self) -> list[str]:
        """The built-in groups that grant the permission."""
        return [name for name, codenames in GROUPS.items() if self.codename in codenames]


class SourceNotAllowed(Refused):
    """The query's source is not one of the user's (store managers' STORE_MANAGER_SOURCES)."""

    def __init__(self, source: str, allowed: list[str]) -> None:
        super().__init__(f"source {source} not allowed")
        self.source = source
        self.allowed = allowed
        self.detail = "source not allowed"


class LookupRateLimited(Refused):
    """The user spent settings.LOOKUP_RATE_LIMIT; try again in `retry_after` seconds."""

    status_code = 429
    outcome = "rate_limited"
    heading = "Too many lookups"
    template_name = "customers/rate_limited.html"

    def __init__(self, retry_after: int, limit: int, rate: str) -> None:
        super().__init__(f"lookup rate limit of {rate} reached")
        self.retry_after = max(1, retry_after)
        self.limit = limit
        self.rate = rate
        self.detail = "app rate limit"

    @property
    def wait(self) -> str:
        minutes, seconds = divmod(self.retry_after, 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


class LookupsInFlight(Refused):
    """The user already has settings.LOOKUP_CALLS_PER_USER backend calls running in this
    worker: one person (or one stuck page reloaded forty times) cannot occupy its threads."""

    status_code = 429
    outcome = "rate_limited"
    heading = "Your earlier lookups are still running"
    advice = (
        "The lookup service is answering slowly and you already have lookups waiting for it. "
        "Wait for them to finish, then try again."
    )
    template_name = "customers/busy.html"

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} backend calls of this user in flight")
        self.limit = limit
        self.retry_after = 5
        self.detail = "lookups in flight"


class WorkerBusy(Refused):
    """settings.LOOKUP_CALLS_PER_WORKER backend calls are running in this worker: the rest of
    its threads stay free for other pages (sign-in, search, customers already fetched)."""

    status_code = 503
    outcome = "error"
    heading = "The app is busy"
    advice = (
        "Many lookups are waiting for the lookup service at the moment. Try again in a few "
        "seconds."
    )
    template_name = "customers/busy.html"

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} backend calls in flight in this worker")
        self.limit = limit
        self.retry_after = 5
        self.detail = "worker busy"
