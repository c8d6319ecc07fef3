"""The one audited path for every request that shows or acts on member data.

A view that touches member data is decorated with `audited(action, *permissions)`, which owns
everything around the view's own work, so no view can forget a branch:

1. the permission check: a missing permission is a refusal;
2. the page for every way the request can fail, as `customers.errors.PAGES` describes it for
   the exception's class (status, heading, advice, template): the app's refusals
   (`customers.errors.Refused`: permission, source, rate limit), a query that cannot be sent
   (`InvalidQuery`: the search again, with the problems marked) and the backend's failures
   (`BackendError`: what happened, what to try, both request ids);
3. exactly one audit entry per request, with its outcome, written through the audit manager's
   named writer for the action before the response leaves: if it cannot be written, the member
   data is not shown. An unexpected exception is audited as an error, then raised (the 500 page);
4. `Cache-Control: no-store, private` on the answer, so no browser or proxy keeps member data.

The view receives the request's `Audit` and tells it what it did, in the order it learns it:
`audit.record(...)` the facts (what was typed or sent, which customer), `audit.found(response)`
or `audit.shown(data)` the answer, and `audit.page` what a failure page shows besides the error.

A view outside this path refuses the same way, by raising `PermissionRefused` (or `StaffOnly`):
both are Django's `PermissionDenied`, whose handler (`permission_denied`, handler403) answers
with the same page, without an audit entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from customers.audit.models import Action, AuditEntry, Outcome
from customers.capillary import BackendError, CustomerNotFound, InvalidQuery, InvalidRequest
from customers.errors import (
    PageError,
    PermissionRefused,
    Refused,
    SourceNotAllowed,
    explain_not_found,
    page_for,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from customers.capillary import LookupQuery, LookupResponse

logger = logging.getLogger("customers.audit.audited")

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, "Audit", P], HttpResponse]

# The named writer of each action's entry.
WRITERS: dict[str, Callable[..., AuditEntry]] = {
    Action.LOOKUP: AuditEntry.objects.log_lookup,
    Action.VIEW_SECTION: AuditEntry.objects.log_view,
    Action.RAW_VIEW: AuditEntry.objects.log_view,
    Action.REVEAL: AuditEntry.objects.log_reveal,
}


class Answer(Protocol):
    """A customer document a page showed (customers.lookup.services.CustomerData)."""

    @property
    def query(self) -> LookupQuery: ...
    @property
    def request_id(self) -> str: ...
    @property
    def latency_ms(self) -> float: ...
    @property
    def from_cache(self) -> bool: ...


@dataclass
class Audit:
    """What one request did with member data, written as its one audit entry when it ends."""

    action: str
    facts: dict[str, Any] = field(default_factory=dict)
    outcome: str = Outcome.OK
    # What a failure page shows besides the error: the search form, where "try again" goes.
    page: dict[str, Any] = field(default_factory=dict)
    # Another entry already stands for this request (the page a lookup lands on).
    covered: bool = False

    def record(self, **facts: Any) -> None:
        self.facts.update(facts)

    def found(self, response: LookupResponse) -> None:
        """A lookup answered with a customer."""
        self.outcome = Outcome.FOUND
        self.record(
            customer_id=str(response.customer.id),
            request_id=response.request_id,
            latency_ms=response.latency_ms,
        )

    def shown(self, data: Answer) -> None:
        """A customer shown from `data`: where it came from, and the backend's latency unless
        the answer came from the cache."""
        self.outcome = Outcome.OK
        self.record(
            source=data.query.source,
            account_id=data.query.account_id,
            embeds=data.query.embed,
            request_id=data.request_id,
            latency_ms=None if data.from_cache else data.latency_ms,
            cached=data.from_cache,
        )

    def failed(self, error: PageError | Exception) -> None:
        if isinstance(error, BackendError):
            self.record(
                backend_code=error.code or "", request_id=error.request_id, latency_ms=None
            )
        if isinstance(error, SourceNotAllowed):
            self.facts.setdefault("source", error.source)
        if isinstance(error, Refused | InvalidQuery | BackendError):
            page = page_for(error)
            self.outcome = page.outcome
            self.record(detail=page.detail_of(error))
        else:
            self.outcome = Outcome.ERROR
            self.record(detail=type(error).__name__)

    def write(self, request: HttpRequest) -> None:
        if not self.covered:
            WRITERS[self.action](request, outcome=self.outcome, **self.facts)


def audited(
    action: str,
    *permissions: str,
    asked: Callable[..., dict[str, Any]] | None = None,
    **facts: Any,
) -> Callable[[View[P]], Callable[..., HttpResponse]]:
    """The view, behind `permissions`, answering every failure with its page and writing
    exactly one `action` entry per request (see the module's docstring).

    `facts` are the same for every request of the view (a customer page's `section`), and
    `asked(request, *args, **kwargs)` says what one request asks for (what was typed): both are
    recorded before anything can refuse the request, so even a refused attempt says what and
    whom it was about.
    """

    def decorate(view: View[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def run(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            audit = Audit(action, facts=dict(facts))
            if "customer_id" in kwargs:
                audit.record(customer_id=str(kwargs["customer_id"]))
            if asked is not None:
                audit.record(**asked(request, *args, **kwargs))
            try:
                missing = [p for p in permissions if not request.user.has_perm(p)]
                if missing:
                    raise PermissionRefused(missing[0])
                response = view(request, audit, *args, **kwargs)
            except (Refused, InvalidQuery, BackendError) as error:
                audit.failed(error)
                response = error_page(request, error, audit.page, facts=audit.facts)
            except Exception as error:
                # The request still leaves a trace of what was attempted, if it can.
                audit.failed(error)
                try:
                    audit.write(request)
                except Exception:
                    logger.exception("audit entry of a failed request not written")
                raise
            audit.write(request)
            add_never_cache_headers(response)
            return response

        run.audited_action = action  # type: ignore[attr-defined]
        return run

    return decorate


def error_page(
    request: HttpRequest,
    error: PageError,
    page: dict[str, Any] | None = None,
    *,
    facts: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page `customers.errors.PAGES` gives `error`'s class, as `failure` (its heading,
    advice and status) beside the `error` itself. `page` holds what the view put there (a
    search form, where "try again" goes); `facts` what the audit knows (source, customer id)."""
    page, facts = page or {}, facts or {}
    failure = page_for(error)
    context: dict[str, Any] = {
        "title": failure.heading,
        "error": error,
        "failure": failure,
        **page,
    }
    form = page.get("form")
    if isinstance(error, InvalidQuery):
        context["form"] = form.with_errors(error.errors) if form else None
        context["title"] = _("Find a member")
    elif isinstance(error, BackendError):
        context.update(_failure_context(request, error, facts, form))
    response = render(request, failure.template, context, status=failure.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(max(1, round(retry_after)))
    add_never_cache_headers(response)
    return response


def _failure_context(
    request: HttpRequest, error: BackendError, facts: dict[str, Any], form: object
) -> dict[str, Any]:
    failure = page_for(error)
    message, advice = error.message, failure.advice
    reasons: tuple[StrOrPromise, ...] = ()
    if isinstance(error, CustomerNotFound):
        message, advice, reasons = explain_not_found(
            error,
            source=facts.get("source", ""),
            customer_id=None if form else facts.get("customer_id"),
        )
    # The client logged the call; this line ties it to the page the agent saw.
    logger.warning(
        "lookup failed page=%s status=%s error=%s code=%s backend_request_id=%s request_id=%s",
        request.path,
        failure.status,
        type(error).__name__,
        error.code if error.code is not None else "-",
        error.request_id or "-",
        getattr(request, "request_id", "-"),
    )
    return {
        "message": message,
        # Capillary's own words (English, as its API sends them), not the app's.
        "message_is_capillarys": bool(message) and message == error.message,
        "advice": advice,
        "reasons": reasons,
        # The search again, filled in, where changing it may help.
        "search_again": form if isinstance(error, CustomerNotFound | InvalidRequest) else None,
    }


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 403 handler: a refusal raised outside the audited path (`PermissionRefused`,
    `StaffOnly`) gets its page; any other `PermissionDenied` (the admin's own) the plain one."""
    return error_page(request, exception if isinstance(exception, Refused) else Refused())
