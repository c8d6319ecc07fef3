"""Search, lookup and the customer's pages.

Each view is thin: check permissions, call one service, write one audit entry, render. Every
failure of the backend becomes a page that says what happened with both request ids, never a 500.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from customers import services
from customers.capillary.exceptions import (
    BackendError,
    BackendUnavailable,
    BadResponse,
    ConfigurationError,
    CustomerMerged,
    CustomerNotFound,
    InvalidQuery,
    InvalidRequest,
    NotAllowed,
    RateLimited,
)
from customers.capillary.query import ALL, INSTORE, LookupQuery, is_ascii_number, last_value
from customers.exceptions import LookupRateLimited, Refused, SourceNotAllowed
from customers.forms import SearchForm
from customers.models import Action, AuditEntry, Outcome
from customers.presentation import SECTIONS
from customers.roles import (
    GROUPS,
    LOOKUP,
    VIEW_ALL_AUDIT,
    VIEW_RAW_RESPONSE,
    VIEW_UNMASKED_PII,
)

logger = logging.getLogger("customers.views")

PERMISSION_NAMES: dict[str, str] = {
    LOOKUP: "look up customers",
    VIEW_UNMASKED_PII: "see unmasked names, mobiles and emails",
    VIEW_RAW_RESPONSE: "see the raw API response",
    VIEW_ALL_AUDIT: "view every audit entry",
}

# A revealed field is a name, mobile, email or a custom/extended field's name.
REVEALABLE = re.compile(r"^[\w .\-]{1,100}$")
MAX_REASON = 500
MY_LOOKUPS_PER_PAGE = 50
MAX_DAYS = 3660
# The raw document is not masked: a role that may see it must also see PII unmasked.
RAW_PERMISSIONS = (LOOKUP, VIEW_RAW_RESPONSE, VIEW_UNMASKED_PII)
# Session key: the customer a successful lookup is redirecting to.
LANDING = "landing"
# Sec-Fetch-Site values of a request a page on another site started.
OTHER_SITES = frozenset({"cross-site", "same-site"})
# A lookup URL's parameter asking for the filled-in search instead of running it.
CONFIRM = "confirm"
CHECK_FIRST = (
    "This search came from a link, or back through signing in, not from this app's search. "
    "Check it, then press Search to run it."
)


@dataclass(frozen=True)
class Failure:
    """How a page explains one kind of backend failure."""

    status: int
    outcome: str
    heading: str
    advice: str


FAILURES: tuple[tuple[type[BackendError], Failure], ...] = (
    (
        CustomerNotFound,
        Failure(
            404,
            Outcome.NOT_FOUND,
            "No customer found",
            "Check the identifiers, add the org's primary identifier (mobile, email or external "
            "id), or pick the source and account the member signed up through.",
        ),
    ),
    (
        CustomerMerged,
        Failure(
            410,
            Outcome.NOT_FOUND,
            "This customer was merged into another account",
            "Search again by the member's mobile or email: the lookup answers with the "
            "surviving account.",
        ),
    ),
    (
        InvalidRequest,
        Failure(
            400,
            Outcome.ERROR,
            "The lookup service refused the search",
            "Check the source, the accountId and the identifier types, then search again.",
        ),
    ),
    (
        NotAllowed,
        Failure(
            403,
            Outcome.ERROR,
            "The lookup service did not allow this lookup",
            "The customer may be marked as fraud or outside what this app's API account may "
            "see. If it happens for every customer, an administrator should check the API "
            "credentials.",
        ),
    ),
    (
        RateLimited,
        Failure(
            429,
            Outcome.RATE_LIMITED,
            "The lookup service is busy",
            "It is limiting how many requests it answers. Wait a moment and try again.",
        ),
    ),
    (
        ConfigurationError,
        Failure(
            503,
            Outcome.ERROR,
            "The lookup service is not configured",
            "An administrator needs to set the API address and credentials. Searching again "
            "will not help until then.",
        ),
    ),
    (
        BackendUnavailable,
        Failure(
            503,
            Outcome.ERROR,
            "The lookup service is unavailable or slow",
            "It did not answer in time or could not be reached. Try again in a minute.",
        ),
    ),
    (
        BadResponse,
        Failure(
            502,
            Outcome.ERROR,
            "The lookup service sent an answer the app could not read",
            "Try again; if it keeps happening, pass the request ids below to support.",
        ),
    ),
    (
        BackendError,
        Failure(
            502,
            Outcome.ERROR,
            "The lookup service returned an error",
            "Try again; if it keeps happening, pass the request ids below to support.",
        ),
    ),
)


BY_ID_NOT_FOUND_ADVICE = (
    "Check the customer id, or search for the member by mobile, email or external id: the "
    "search asks the right source."
)


def failure_of(error: BackendError) -> Failure:
    return next(failure for kind, failure in FAILURES if isinstance(error, kind))


def post_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A customer page's POST action. A GET of it changes nothing and goes to the customer's
    page: signing in again after the session timed out on a Refresh or Reveal click comes back
    as a GET of the action's URL, which would otherwise be a blank 405."""

    @wraps(view)
    def action(request: HttpRequest, customer_id: int) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return redirect("customers:overview", customer_id=customer_id)
        return view(request, customer_id)

    return require_http_methods(["GET", "HEAD", "POST"])(action)


class LoginView(auth_views.LoginView):
    """Django's sign-in, titled; a lookup it returns to opens the search filled in instead of
    running, since the link that led to the sign-in may have come from another site."""

    extra_context = {"title": "Log in"}

    def get_success_url(self) -> str:
        url = super().get_success_url()
        parts = urlsplit(url)
        if parts.path != reverse("customers:lookup"):
            return url
        query = f"{parts.query}&{CONFIRM}=1" if parts.query else f"{CONFIRM}=1"
        return f"{parts.path}?{query}"


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm(LOOKUP):
        # An auditor signing in lands here: their work is the audit list, not a refusal.
        if user.is_staff and user.has_perm(VIEW_ALL_AUDIT):
            return redirect("admin:customers_auditentry_changelist")
        return forbidden(request, LOOKUP)
    return _search_page(request, SearchForm.for_user(request.user))


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Run a lookup from the form's fields or a pasted API query string; redirect to the page."""
    user = request.user
    params = dict(request.GET.lists())
    confirm = params.pop(CONFIRM, None) is not None
    if confirm or request.headers.get("Sec-Fetch-Site") in OTHER_SITES:
        # A link on another site (a ticket, an email, a page made to look like one) must not
        # run a lookup in the agent's name with a reason of its choosing, directly or after
        # signing in (LoginView adds CONFIRM): it opens the search filled in, and the agent
        # runs it. Typed, pasted and bookmarked URLs and the form itself come from no site or
        # this one. Nothing was attempted by the user, so nothing is audited.
        if not user.has_perm(LOOKUP):
            return forbidden(request, LOOKUP)
        messages.info(request, CHECK_FIRST)
        return _search_page(request, SearchForm.for_user(user, params))
    reason = last_value(params, "reason").strip()[:MAX_REASON]
    if not user.has_perm(LOOKUP):
        _audit_refused_lookup(request, params, reason, Outcome.FORBIDDEN, "no lookup permission")
        return forbidden(request, LOOKUP)
    try:
        query = LookupQuery.from_params(params)
    except InvalidQuery as error:
        _audit_refused_lookup(request, params, reason, Outcome.INVALID, error.message)
        form = SearchForm.for_user(user, params, error.errors)
        return _search_page(request, form, status=400)

    audit = {
        "action": Action.LOOKUP,
        "source": query.source,
        "account_id": query.account_id,
        "identifiers": query.identifiers,
        "embeds": query.embed,
        "reason": reason,
    }
    try:
        response = services.customer_lookup(query, user=user)
    except Refused as refusal:
        return _refused(request, refusal, detail="", **audit)
    except BackendError as error:
        failure = failure_of(error)
        AuditEntry.objects.log_request(
            request,
            outcome=failure.outcome,
            backend_code=error.code or "",
            request_id=error.request_id,
            detail=type(error).__name__,
            **audit,
        )
        return _failure_page(
            request,
            error,
            retry_url=request.get_full_path(),
            form=SearchForm.for_user(user, params),
            source=query.source,
        )
    AuditEntry.objects.log_request(
        request,
        outcome=Outcome.FOUND,
        customer_id=str(response.customer.id),
        request_id=response.request_id,
        latency_ms=response.latency_ms,
        **audit,
    )
    # The overview this redirect lands on shows this answer: the lookup's entry covers it.
    request.session[LANDING] = response.customer.id
    return redirect("customers:overview", customer_id=response.customer.id)


@require_GET
def overview(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "overview")


@require_GET
def programs(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "programs")


@require_GET
def cards(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "cards")


@require_GET
def currencies(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "currencies")


@require_GET
def tiers(request: HttpRequest, customer_id: int) -> HttpResponse:
    typed = request.GET.get("days", "").strip()
    days = _days(typed)
    if typed and days is None:
        messages.warning(
            request,
            f"“{typed[:20]}” is not a number of days from 0 to {MAX_DAYS}: "
            "these are the gaps the lookup asked for.",
        )
    return _section(request, customer_id, "tiers", days=days)


@require_GET
def profile(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "profile")


@require_GET
def raw(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _section(request, customer_id, "raw")


def _section(
    request: HttpRequest, customer_id: int, section: str, *, days: int | None = None
) -> HttpResponse:
    user = request.user
    # Any section request ends the landing: only the very next page can be the lookup's own.
    landing = request.session.pop(LANDING, None) == customer_id and section == "overview"
    action = Action.RAW_VIEW if section == "raw" else Action.VIEW_SECTION
    for permission in RAW_PERMISSIONS if section == "raw" else (LOOKUP,):
        if not user.has_perm(permission):
            AuditEntry.objects.log_request(
                request,
                action=action,
                outcome=Outcome.FORBIDDEN,
                customer_id=str(customer_id),
                detail=section,
            )
            return forbidden(request, permission)
    try:
        data = services.customer_fetch(customer_id, user=user, days=days, tiers=section == "tiers")
    except Refused as refusal:
        return _refused(
            request, refusal, action=action, customer_id=str(customer_id), detail=f"{section}: "
        )
    except BackendError as error:
        AuditEntry.objects.log_request(
            request,
            action=action,
            outcome=failure_of(error).outcome,
            customer_id=str(customer_id),
            backend_code=error.code or "",
            request_id=error.request_id,
            detail=f"{section}: {type(error).__name__}",
        )
        return _failure_page(
            request,
            error,
            retry_url=request.get_full_path(),
            customer_id=customer_id,
            source=services.page_query(customer_id, user=user).source,
        )
    # Landing on the lookup's own answer is part of the lookup, audited once: a second entry
    # would only repeat it (and cost a commit on the way to every member's page).
    if not (landing and data.from_cache):
        _audit_shown(request, data, customer_id, action=action, detail=section)
    can_reveal = user.has_perm(VIEW_UNMASKED_PII)
    context = {
        "customer": data.customer,
        "section": section,
        "fetched_at": data.fetched_at,
        "request_id": data.request_id,
        "latency_ms": data.latency_ms,
        "pii_unmasked": can_reveal and bool(settings.PII_UNMASKED_BY_DEFAULT),
        "revealed": revealed_fields(request, customer_id),
        "can_reveal": can_reveal,
        "can_see_raw": user.has_perms(RAW_PERMISSIONS),
        # A COUNT DISTINCT over the audit log: only the overview shows it.
        "history_summary": (
            AuditEntry.objects.customer_history(str(customer_id))
            if section == "overview" and user.has_perm(VIEW_ALL_AUDIT)
            else None
        ),
        "days": _shown_days(data.query),
        # The search asked for the gaps to renew as of another day than those to upgrade.
        "renew_days": (
            data.query.gap_to_renew
            if data.query.gap_to_renew not in (None, _shown_days(data.query))
            else None
        ),
        "title": f"{SECTIONS[section]}: customer {customer_id}",
    }
    return render(request, f"customers/customer/{section}.html", context)


def _audit_shown(
    request: HttpRequest,
    data: services.CustomerData,
    customer_id: int,
    *,
    action: str,
    detail: str,
) -> None:
    """The audit entry of a customer shown from `data`: the query's source, account and embeds,
    the backend's request id, and its latency unless the answer came from the cache."""
    AuditEntry.objects.log_request(
        request,
        action=action,
        outcome=Outcome.OK,
        source=data.query.source,
        account_id=data.query.account_id,
        embeds=data.query.embed,
        customer_id=str(customer_id),
        request_id=data.request_id,
        latency_ms=None if data.from_cache else data.latency_ms,
        detail=f"{detail} (cached)" if data.from_cache else detail,
    )


@post_action
def refresh(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Fetch the customer again, skipping the cached answer, and go back to the page."""
    user = request.user
    if not user.has_perm(LOOKUP):
        AuditEntry.objects.log_request(
            request,
            action=Action.VIEW_SECTION,
            outcome=Outcome.FORBIDDEN,
            customer_id=str(customer_id),
            detail="refresh",
        )
        return forbidden(request, LOOKUP)
    back = _back(request, customer_id)
    target = urlsplit(back)
    # Refresh what the tiers page shows: the answer it chose, by the same rule.
    tiers = target.path == reverse("customers:tiers", args=[customer_id])
    days = _days(last_value(parse_qs(target.query), "days")) if tiers else None
    try:
        data = services.customer_fetch(
            customer_id, user=user, refresh=True, days=days, tiers=tiers
        )
    except Refused as refusal:
        return _refused(
            request,
            refusal,
            action=Action.VIEW_SECTION,
            customer_id=str(customer_id),
            detail="refresh: ",
        )
    except BackendError as error:
        AuditEntry.objects.log_request(
            request,
            action=Action.VIEW_SECTION,
            outcome=failure_of(error).outcome,
            customer_id=str(customer_id),
            backend_code=error.code or "",
            request_id=error.request_id,
            detail=f"refresh: {type(error).__name__}",
        )
        return _failure_page(
            request,
            error,
            retry_url=back,
            customer_id=customer_id,
            source=services.page_query(customer_id, user=user).source,
        )
    _audit_shown(request, data, customer_id, action=Action.VIEW_SECTION, detail="refresh")
    return redirect(back)


@post_action
def reveal(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Show one masked field of this customer unmasked for the rest of the session."""
    field = request.POST.get("field", "").strip()
    reason = request.POST.get("reason", "").strip()[:MAX_REASON]
    if not request.user.has_perm(VIEW_UNMASKED_PII):
        AuditEntry.objects.log_request(
            request,
            action=Action.REVEAL,
            outcome=Outcome.FORBIDDEN,
            customer_id=str(customer_id),
            detail=field[:100],
            reason=reason,
        )
        return forbidden(request, VIEW_UNMASKED_PII)
    back = _back(request, customer_id)
    if not REVEALABLE.match(field):
        return redirect(back)
    AuditEntry.objects.log_request(
        request,
        action=Action.REVEAL,
        outcome=Outcome.OK,
        customer_id=str(customer_id),
        detail=field,
        reason=reason,
    )
    revealed = request.session.get("revealed", {})
    fields = set(revealed.get(str(customer_id), []))
    fields.add(field)
    revealed[str(customer_id)] = sorted(fields)
    request.session["revealed"] = revealed
    return redirect(back)


def revealed_fields(request: HttpRequest, customer_id: int) -> set[str]:
    """The fields this session revealed for this customer."""
    return set(request.session.get("revealed", {}).get(str(customer_id), []))


@require_GET
def history(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Who accessed this customer: everyone's entries for auditors, one's own for the rest."""
    entries = AuditEntry.objects.visible_to(request.user).filter(customer_id=str(customer_id))
    page = Paginator(entries, MY_LOOKUPS_PER_PAGE).get_page(request.GET.get("page"))
    sees_everyone = request.user.has_perm(VIEW_ALL_AUDIT)
    summary = AuditEntry.objects.customer_history(str(customer_id)) if sees_everyone else None
    return render(
        request,
        "customers/history.html",
        {
            "title": f"Access history: customer {customer_id}",
            "customer_id": customer_id,
            "page": page,
            "history_summary": summary,
            "sees_everyone": sees_everyone,
            "can_lookup": request.user.has_perm(LOOKUP),
        },
    )


@require_GET
def my_lookups(request: HttpRequest) -> HttpResponse:
    """The user's own audit entries, newest first."""
    entries = AuditEntry.objects.filter(user=request.user)
    page = Paginator(entries, MY_LOOKUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "customers/my_lookups.html", {"title": "My lookups", "page": page})


def forbidden(
    request: HttpRequest,
    permission: str,
    *,
    source: str = "",
    allowed: list[str] | None = None,
) -> HttpResponse:
    """The 403 page: which permission is missing and which group grants it."""
    codename = permission.split(".", 1)[-1]
    groups = [name for name, codenames in GROUPS.items() if codename in codenames]
    return render(
        request,
        "403.html",
        {
            "title": "Not allowed",
            "permission_name": PERMISSION_NAMES.get(permission, permission),
            "groups": groups,
            "source": source,
            "allowed_sources": allowed or [],
        },
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (settings handler500), with the request id the error was logged under.

    Rendered without a request context: the session, the user or the database may be what
    failed, and the error page must not fail too."""
    html = render_to_string("500.html", {"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)


def _search_page(request: HttpRequest, form: SearchForm, status: int = 200) -> HttpResponse:
    recent = AuditEntry.objects.filter(user=request.user, action=Action.LOOKUP)[:10]
    return render(
        request,
        "customers/search.html",
        {"title": "Find a member", "form": form, "recent": recent},
        status=status,
    )


def not_found_reasons(error: CustomerNotFound, source: str) -> tuple[str, ...]:
    """The documented reasons for "not found" that can apply to a search in `source`.

    The account reason is about sources that take an accountId: not INSTORE, nor ALL.
    """
    if error.reasons != CustomerNotFound.REASONS_8015:
        return error.reasons
    wrong_identifier, primary_missing, no_account = CustomerNotFound.REASONS_8015
    if source in (INSTORE, ALL):
        return (wrong_identifier, primary_missing)
    return (wrong_identifier, primary_missing, no_account)


def _failure_page(
    request: HttpRequest,
    error: BackendError,
    *,
    retry_url: str,
    form: SearchForm | None = None,
    source: str = "",
    customer_id: int | None = None,
) -> HttpResponse:
    """The page for a failed backend call: a search (`form`) or a page by `customer_id`."""
    failure = failure_of(error)
    message = error.message
    reasons: tuple[str, ...] = ()
    if isinstance(error, CustomerNotFound) and customer_id is not None:
        # Fetched by id: no identifiers were typed, so their reasons cannot apply.
        message = f"No customer with id {customer_id} in {source}."
        failure = dataclasses.replace(failure, advice=BY_ID_NOT_FOUND_ADVICE)
    elif isinstance(error, CustomerNotFound):
        reasons = not_found_reasons(error, source)
    retry_after = getattr(error, "retry_after", None)
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
    response = render(
        request,
        "customers/lookup_failed.html",
        {
            "title": failure.heading,
            "failure": failure,
            "error": error,
            "message": message,
            "reasons": reasons,
            "retry_url": retry_url,
            "form": form if isinstance(error, CustomerNotFound | InvalidRequest) else None,
            "retry_after": retry_after,
        },
        status=failure.status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(max(1, round(retry_after)))
    return response


def _refused(request: HttpRequest, refusal: Refused, *, detail: str, **audit: Any) -> HttpResponse:
    """The page for a backend call services refused to make, audited as such.

    `detail` prefixes the audit entry's detail ("cards: ", "refresh: ").
    """
    if isinstance(refusal, SourceNotAllowed):
        audit.setdefault("source", refusal.source)
        AuditEntry.objects.log_request(
            request, outcome=Outcome.FORBIDDEN, detail=f"{detail}source not allowed", **audit
        )
        return forbidden(request, LOOKUP, source=refusal.source, allowed=refusal.allowed)
    AuditEntry.objects.log_request(
        request, outcome=refusal.outcome, detail=f"{detail}{refusal.detail}", **audit
    )
    if not isinstance(refusal, LookupRateLimited):
        # Bulkheads (customers.resilience): the page the refusal's class describes.
        response = render(
            request,
            refusal.template_name,
            {"title": refusal.heading, "error": refusal},
            status=refusal.status_code,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
    return _rate_limited(request, refusal.retry_after)


def _rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes, seconds = divmod(max(1, retry_after), 60)
    wait = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    response = render(
        request,
        "customers/rate_limited.html",
        {
            "title": "Too many lookups",
            "wait": wait,
            "rate": settings.LOOKUP_RATE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _audit_refused_lookup(
    request: HttpRequest, params: dict[str, list[str]], reason: str, outcome: str, detail: str
) -> None:
    """The audit entry of a lookup that never reached the backend, from what was typed."""
    form = SearchForm(params=params, bound=True)
    AuditEntry.objects.log_request(
        request,
        action=Action.LOOKUP,
        outcome=outcome,
        source=last_value(params, "source").strip().upper(),
        identifiers=form.identifier_pairs,
        embeds=sorted(form.embeds),
        reason=reason,
        detail=detail,
    )


def _days(typed: str) -> int | None:
    """A number of days ahead for the gaps (up to ten years); None when absent or not one."""
    typed = typed.strip()
    return int(typed) if is_ascii_number(typed) and int(typed) <= MAX_DAYS else None


def _shown_days(query: LookupQuery) -> int:
    """The days the main answer's gaps are as of: the lookup's upgrade days, else its renew."""
    if query.gap_to_upgrade is not None:
        return query.gap_to_upgrade
    return query.gap_to_renew or 0


def _back(request: HttpRequest, customer_id: int) -> str:
    """Where to go after a POST: the page it came from, if it is this customer's page."""
    target = request.POST.get("next", "")
    own = reverse("customers:overview", args=[customer_id])
    if target.startswith(own) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return own
