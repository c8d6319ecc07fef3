"""The app's refusals, and the page that answers every way a request can fail.

The refusals (`Refused` and its subclasses) are requests the app answers without calling
Capillary; like Capillary's errors (`customers.capillary.exceptions`) they carry facts only: the
permission missing, the source asked, how long to wait. `PAGES` says how the app answers each
class of both trees, and `InvalidQuery`: the HTTP status of its page, the audit outcome and
detail, the page's heading and advice, and the template that shows it. `page_for(error)` looks
one up; the audited request layer (`audit.audited`) renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.accounts.roles import GROUPS, PERMISSION_NAMES
from customers.capillary.exceptions import (
    BackendError,
    BackendUnavailable,
    BadResponse,
    CircuitOpen,
    ConfigurationError,
    CustomerMerged,
    CustomerNotFound,
    InvalidQuery,
    InvalidRequest,
    NotAllowed,
    RateLimited,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Refused(Exception):
    """The app refuses this request for this user; nothing was asked of the backend."""


class PermissionRefused(Refused, PermissionDenied):
    """The user lacks `permission` (an "app_label.codename").

    Also a `PermissionDenied`, so a view outside the audited path raises it too: Django hands it
    to the 403 handler (`audit.audited.permission_denied`), which shows the same page."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"missing permission {permission}")
        self.permission = permission
        self.codename = permission.split(".", 1)[-1]

    @property
    def permission_name(self) -> StrOrPromise:
        return PERMISSION_NAMES.get(self.permission, self.permission)

    @property
    def groups(self) -> list[str]:
        """The built-in groups that grant the permission."""
        return [name for name, codenames in GROUPS.items() if self.codename in codenames]

    @property
    def groups_text(self) -> str:
        """The groups as one phrase, "Support agents or Store managers" (the names as the
        database has them: an org may rename its groups)."""
        text = ""
        for name in self.groups:
            # Translators: one more group name in a list of them: "Support agents or Auditors".
            text = _("%(some)s or %(another)s") % {"some": text, "another": name} if text else name
        return text


class StaffOnly(Refused, PermissionDenied):
    """The page is part of the admin, which only staff accounts open (the auditor's pages)."""

    def __init__(self) -> None:
        super().__init__("staff status needed")


class SourceNotAllowed(Refused):
    """The query's source is not one of the user's (store managers' STORE_MANAGER_SOURCES)."""

    def __init__(self, source: str, allowed: list[str]) -> None:
        super().__init__(f"source {source} not allowed")
        self.source = source
        self.allowed = allowed


class LookupRateLimited(Refused):
    """The user spent settings.LOOKUP_RATE_LIMIT; try again in `retry_after` seconds."""

    def __init__(self, retry_after: int, limit: int, rate: str) -> None:
        super().__init__(f"lookup rate limit of {rate} reached")
        self.retry_after = max(1, retry_after)
        self.limit = limit
        self.rate = rate

    @property
    def wait(self) -> str:
        minutes, seconds = divmod(self.retry_after, 60)
        if minutes:
            # Translators: a wait, short: "2 min 5 s".
            return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}
        # Translators: a wait in seconds, short: "45 s".
        return _("%(seconds)s s") % {"seconds": seconds}


class LookupsInFlight(Refused):
    """The user already has settings.LOOKUP_CALLS_PER_USER backend calls running in this
    worker: one person (or one stuck page reloaded forty times) cannot occupy its threads."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} backend calls of this user in flight")
        self.limit = limit
        self.retry_after = 5


class WorkerBusy(Refused):
    """settings.LOOKUP_CALLS_PER_WORKER backend calls are running in this worker: the rest of
    its threads stay free for other pages (sign-in, search, customers already fetched)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} backend calls in flight in this worker")
        self.limit = limit
        self.retry_after = 5


PageError = Refused | InvalidQuery | BackendError

LOOKUP_FAILED = "customers/lookup_failed.html"
RETRY_ADVICE = gettext_lazy(
    "Try again; if it keeps happening, pass the request ids below to support."
)


@dataclass(frozen=True)
class ErrorPage:
    """How the app answers one class of error."""

    # The HTTP status of the app's page (Capillary's own is the error's `status_code`).
    status: int
    # The audit entry's outcome (an `audit.models.Outcome` value).
    outcome: str
    heading: StrOrPromise
    advice: StrOrPromise = ""
    template: str = LOOKUP_FAILED
    # The audit entry's detail, filled in from the error's attributes ("no {codename}
    # permission"); None records the error's class name ("CustomerNotFound").
    detail: str | None = None

    def detail_of(self, error: Exception) -> str:
        if self.detail is None:
            return type(error).__name__
        return self.detail.format_map(vars(error))


NOT_ALLOWED = gettext_lazy("Not allowed")
_REFUSED = ErrorPage(403, "forbidden", NOT_ALLOWED, template="403.html", detail="")
_BUSY = "customers/busy.html"

# Every error class the pages answer, with its page. A class without its own row is a bug
# (tests/test_error_pages.py checks that every class of both trees has one).
PAGES: dict[type[Exception], ErrorPage] = {
    BackendError: ErrorPage(
        502, "error", gettext_lazy("The lookup service returned an error"), RETRY_ADVICE
    ),
    CustomerNotFound: ErrorPage(
        404,
        "not_found",
        gettext_lazy("No customer found"),
        gettext_lazy(
            "Check the identifiers, add the org's primary identifier (mobile, email or external "
            "id), or pick the source and account the member signed up through."
        ),
    ),
    CustomerMerged: ErrorPage(
        410,
        "not_found",
        gettext_lazy("This customer was merged into another account"),
        gettext_lazy(
            "Search again by the member's mobile or email: the lookup answers with the surviving "
            "account."
        ),
    ),
    InvalidRequest: ErrorPage(
        400,
        "error",
        gettext_lazy("The lookup service refused the search"),
        gettext_lazy(
            "Check the source, the accountId and the identifier types, then search again."
        ),
    ),
    NotAllowed: ErrorPage(
        403,
        "error",
        gettext_lazy("The lookup service did not allow this lookup"),
        gettext_lazy(
            "The customer may be marked as fraud or outside what this app's API account may see. "
            "If it happens for every customer, an administrator should check the API credentials."
        ),
    ),
    RateLimited: ErrorPage(
        429,
        "rate_limited",
        gettext_lazy("The lookup service is busy"),
        gettext_lazy("It is limiting how many requests it answers. Wait a moment and try again."),
    ),
    BackendUnavailable: ErrorPage(
        503,
        "error",
        gettext_lazy("The lookup service is unavailable or slow"),
        gettext_lazy("It did not answer in time or could not be reached. Try again in a minute."),
    ),
    CircuitOpen: ErrorPage(
        503,
        "error",
        gettext_lazy("Capillary is not answering"),
        gettext_lazy(
            "After repeated timeouts or errors the app stopped calling it for a short while, "
            "so nobody waits for an answer that will not come. It tries again by itself; search "
            "again after that."
        ),
    ),
    BadResponse: ErrorPage(
        502,
        "error",
        gettext_lazy("The lookup service sent an answer the app could not read"),
        RETRY_ADVICE,
    ),
    ConfigurationError: ErrorPage(
        503,
        "error",
        gettext_lazy("The lookup service is not configured"),
        gettext_lazy(
            "An administrator needs to set the API address and credentials. Searching again will "
            "not help until then."
        ),
    ),
    InvalidQuery: ErrorPage(
        400,
        "invalid",
        gettext_lazy("Check the search"),
        gettext_lazy("Correct the fields marked below, then search again."),
        template="customers/search.html",
        detail="{message}",
    ),
    Refused: _REFUSED,
    PermissionRefused: ErrorPage(
        403, "forbidden", NOT_ALLOWED, template="403.html", detail="no {codename} permission"
    ),
    StaffOnly: ErrorPage(403, "forbidden", NOT_ALLOWED, template="403.html", detail="not staff"),
    SourceNotAllowed: ErrorPage(
        403, "forbidden", NOT_ALLOWED, template="403.html", detail="source not allowed"
    ),
    LookupRateLimited: ErrorPage(
        429,
        "rate_limited",
        gettext_lazy("Too many lookups"),
        template="customers/rate_limited.html",
        detail="app rate limit",
    ),
    LookupsInFlight: ErrorPage(
        429,
        "rate_limited",
        gettext_lazy("Your earlier lookups are still running"),
        gettext_lazy(
            "The lookup service is answering slowly and you already have lookups waiting for it. "
            "Wait for them to finish, then try again."
        ),
        template=_BUSY,
        detail="lookups in flight",
    ),
    WorkerBusy: ErrorPage(
        503,
        "error",
        gettext_lazy("The app is busy"),
        gettext_lazy(
            "Many lookups are waiting for the lookup service at the moment. Try again in a few "
            "seconds."
        ),
        template=_BUSY,
        detail="worker busy",
    ),
}


def page_for(error: PageError) -> ErrorPage:
    """The page of `error`'s class (of its nearest ancestor with one, for a class defined
    elsewhere, such as a test's)."""
    for kind in type(error).__mro__:
        if kind in PAGES:
            return PAGES[kind]
    return _REFUSED  # pragma: no cover (every PageError's tree has a root row)


# An audit entry's detail that names a backend error's class -> the heading of its page, so the
# lists agents read say what the page said ("CustomerNotFound" -> "No customer found").
_HEADINGS_BY_NAME: dict[str, StrOrPromise] = {
    kind.__name__: page.heading for kind, page in PAGES.items() if issubclass(kind, BackendError)
}


def detail_plain(detail: str) -> str:
    """An audit entry's detail as agents read it: a backend error's class name, as the entry
    records it, becomes the heading of the page the agent saw; any other detail stays."""
    return str(_HEADINGS_BY_NAME.get(detail, detail))


# The three documented reasons behind 8015, for the not-found page to list.
REASONS_8015: tuple[StrOrPromise, ...] = (
    gettext_lazy("An identifier is wrong or belongs to no member."),
    gettext_lazy(
        "The org uses dual eligibility and its primary identifier (mobile, email or external id) "
        "was not among the identifiers given."
    ),
    gettext_lazy(
        "The account id is missing or is not the member's account in that source (every "
        "source but INSTORE needs the right one)."
    ),
)
# The accountId reason for a search in ALL, which the app sends without one.
ALL_WITHOUT_ACCOUNT = gettext_lazy(
    "The account id is missing: this search asked all sources at once without one, and "
    "Capillary's reference asks for an account id for every source but INSTORE. Search the "
    "member's own source and account, or INSTORE."
)
BY_ID_ADVICE = gettext_lazy(
    "Check the customer id, or search for the member by mobile, email or external id: the "
    "search asks the right source."
)


def not_found_reasons(error: CustomerNotFound) -> tuple[StrOrPromise, ...]:
    """The documented reasons behind the backend's code, for the page to list."""
    if error.code == 8065:
        return (gettext_lazy("No customer in the chosen source has that identifier."),)
    if error.code in (8015, None):
        return REASONS_8015
    return ()


def explain_not_found(
    error: CustomerNotFound, *, source: str, customer_id: str | None = None
) -> tuple[str, StrOrPromise, tuple[StrOrPromise, ...]]:
    """The not-found page's message, advice and reasons for a search in `source`, or for a
    customer fetched by id (no identifiers were typed, so their reasons cannot apply)."""
    if customer_id is not None:
        # Translators: %(source)s is a Capillary source code as sent: INSTORE, WECHAT, ALL...
        message = _("No customer with id %(id)s in %(source)s.") % {
            "id": customer_id,
            "source": source,
        }
        return message, BY_ID_ADVICE, ()
    reasons = not_found_reasons(error)
    if reasons == REASONS_8015 and source == "INSTORE":
        # The account reason is about sources that take an accountId: every one but INSTORE.
        reasons = reasons[:2]
    elif reasons == REASONS_8015 and source == "ALL":
        # The app asks ALL without an accountId; Capillary's reference asks one of every
        # source but INSTORE, so an org's cluster may answer 8015 for that alone.
        reasons = (*reasons[:2], ALL_WITHOUT_ACCOUNT)
    return error.message, PAGES[CustomerNotFound].advice, reasons
