"""Search, lookup and the customer's pages.

Every view that shows or acts on member data goes through `audit.audited.audited`, which checks
its permissions, answers every failure with the page its exception describes and writes the
request's one audit entry. A view here only reads its input, calls one service and renders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from customers.accounts.roles import (
    LOOKUP,
    VIEW_MEMBER_NAME,
    VIEW_RAW_RESPONSE,
    VIEW_UNMASKED_PII,
    allowed_sources,
    may_see_all_audit,
)
from customers.audit.audited import Audit, audited
from customers.audit.models import Action, AuditEntry, Outcome
from customers.capillary.query import LookupQuery, is_ascii_number, last_value
from customers.capillary.records import Customer
from customers.errors import PermissionRefused
from customers.lookup import services
from customers.lookup.forms import MAX_REASON, SearchForm, says_something
from customers.pages.cards import cards_view
from customers.pages.heading import display_name
from customers.pages.not_found import not_found_help
from customers.pages.tabs import SECTIONS, tabs
from customers.platform.middleware import from_another_site
from customers.platform.ratelimit import lookup_allowance

# A revealed field is a name, mobile, email or a custom/extended field's name.
REVEALABLE = re.compile(r"^[\w .\-]{1,100}$")
MY_LOOKUPS_PER_PAGE = 50
# The search page's recent lookups: how many members it lists, and how many of the user's latest
# lookups it reads to find them.
RECENT_LOOKUPS = 10
RECENT_SCAN = 200
# The field a member's name is revealed as (customers.pages.numbers.shown's kind).
NAME = "name"
MAX_DAYS = 3660
# The raw document is masked as the pages are (pages/raw.py), unless revealed: a role that may
# see it may reveal what it masks.
RAW_PERMISSIONS = (LOOKUP, VIEW_RAW_RESPONSE, VIEW_UNMASKED_PII)
# Cookie: the customer a successful lookup is redirecting to, for the seconds the redirect takes.
LANDING = "landing"
LANDING_SECONDS = 10
# A lookup URL's parameter asking for the filled-in search instead of running it.
CONFIRM = "confirm"
# Form fields that are not part of the search.
NOT_SEARCH = frozenset({"csrfmiddlewaretoken", CONFIRM})
CHECK_FIRST = gettext_lazy(
    "This search came from a link, or back through signing in, not from this app's search. "
    "Check it, then press Search to run it."
)


def post_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A customer page's POST action. A GET of it changes nothing and goes to the customer's
    page: signing in again after the session timed out on a Refresh or Reveal click comes back
    as a GET of the action's URL, which would otherwise be a blank 405."""

    @wraps(view)
    def action(request: HttpRequest, customer_id: int) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return redirect("customers:overview", customer_id=customer_id)
        return view(request, customer_id=customer_id)

    return require_http_methods(["GET", "HEAD", "POST"])(action)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm(LOOKUP):
        # An auditor signing in lands here: their work is the audit list, not a refusal.
        if user.is_staff and may_see_all_audit(user):
            return redirect("admin:customers_auditentry_changelist")
        raise PermissionRefused(LOOKUP)
    return _search_page(request, SearchForm.for_user(user))


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The search: the form's POST (no identifier in any URL), or a pasted or bookmarked API
    query string (GET). A found member is answered with a redirect to their page."""
    if request.method == "POST":
        return _lookup(request, _search_params(request.POST))
    params = _search_params(request.GET)
    if not says_something(params):
        # `/lookup/` typed, or the way back from signing in after a search was interrupted
        # (the browser keeps that search and sends it again): the search page, as it opens.
        if not request.user.has_perm(LOOKUP):
            raise PermissionRefused(LOOKUP)
        return _search_page(request, SearchForm.for_user(request.user))
    if CONFIRM in request.GET or from_another_site(request):
        # A link on another site (a ticket, an email, a page made to look like one) must not
        # run a lookup in the agent's name with a reason of its choosing, directly or after
        # signing in (LoginView adds CONFIRM): it opens the search filled in, and the agent
        # runs it. Nothing was attempted by the user, so nothing is audited.
        if not request.user.has_perm(LOOKUP):
            raise PermissionRefused(LOOKUP)
        messages.info(request, CHECK_FIRST)
        return _search_page(request, SearchForm.for_user(request.user, params))
    return _lookup(request, params)


# Every lookup the user makes goes through the audited _lookup (below).
lookup.audited_action = Action.LOOKUP  # type: ignore[attr-defined]


def _typed(request: HttpRequest, params: dict[str, list[str]]) -> dict[str, Any]:
    return SearchForm(params=params, bound=True).typed


@audited(Action.LOOKUP, LOOKUP, asked=_typed)
def _lookup(request: HttpRequest, audit: Audit, params: dict[str, list[str]]) -> HttpResponse:
    form = SearchForm.for_user(request.user, params)
    # A failed POST search is sent again by a form; a GET one by its own URL. A search that
    # cannot be sent gets the search page again, with the recent lookups, read only then.
    audit.page.update(
        form=form,
        resubmit=request.method == "POST",
        recent=SimpleLazyObject(lambda: recent_lookups(request)),
    )
    typed = form.query()
    # What the not-found page advises, worked out only if the search finds no one.
    audit.page["not_found_help"] = SimpleLazyObject(
        lambda: not_found_help(
            typed,
            primary=settings.LOOKUP_PRIMARY_IDENTIFIER,
            allowed=allowed_sources(request.user),
            reason=form.reason,
        )
    )
    query = services.with_gaps_as_of_today(typed)
    audit.record(
        source=query.source,
        account_id=query.account_id,
        identifiers=query.identifiers,
        embeds=query.embed,
    )
    response = services.customer_lookup(query, user=request.user, session=request.session)
    # The recent lookups list names the member as anyone may see them: masked, whatever the role.
    # The name as the recent lookups show it: in full for a role that sees members' names (an
    # agent picks out a caller ringing back by name), masked for the others.
    shown = ("name",) if request.user.has_perm(VIEW_MEMBER_NAME) else ()
    name = display_name(response.customer, revealed=shown)
    services.remember_name(request.session, response.customer.id, name)
    audit.found(response)
    page = reverse("customers:overview", args=[response.customer.id])
    # 303 See Other: the browser GETs the page, and Back or reload never sends the POST again.
    found = HttpResponseRedirect(page)
    found.status_code = 303
    # The overview this redirect lands on shows this answer: the lookup's entry covers it. A
    # short-lived signed cookie says so, for that page only, and costs no session write.
    found.set_signed_cookie(
        LANDING,
        str(response.customer.id),
        salt=_landing_salt(request),
        max_age=LANDING_SECONDS,
        path=page,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return found


def _landing_salt(request: HttpRequest) -> str:
    return f"customers.landing:{request.user.pk}"


def _section_view(section: str, *permissions: str) -> Callable[..., HttpResponse]:
    @require_GET
    @audited(
        Action.RAW_VIEW if section == "raw" else Action.VIEW_SECTION, *permissions, section=section
    )
    def view(request: HttpRequest, audit: Audit, customer_id: int) -> HttpResponse:
        return _section(request, audit, customer_id, section)

    view.__name__ = view.__qualname__ = section
    return view


overview = _section_view("overview", LOOKUP)
programs = _section_view("programs", LOOKUP)
cards = _section_view("cards", LOOKUP)
currencies = _section_view("currencies", LOOKUP)
profile = _section_view("profile", LOOKUP)
raw = _section_view("raw", *RAW_PERMISSIONS)


@require_GET
@audited(Action.VIEW_SECTION, LOOKUP, section="tiers")
def tiers(request: HttpRequest, audit: Audit, customer_id: int) -> HttpResponse:
    typed = request.GET.get("days", "").strip()
    days = _days(typed)
    if typed and days is None:
        messages.warning(
            request,
            # Translators: %(typed)s is what was typed for the number of days.
            _(
                "“%(typed)s” is not a number of days from 0 to %(most)s: "
                "these are the gaps the lookup asked for."
            )
            % {"typed": typed[:20], "most": MAX_DAYS},
        )
    return _section(request, audit, customer_id, "tiers", days=days)


def _section(
    request: HttpRequest, audit: Audit, customer_id: int, section: str, *, days: int | None = None
) -> HttpResponse:
    user = request.user
    landing = section == "overview" and request.get_signed_cookie(
        LANDING, default=None, salt=_landing_salt(request), max_age=LANDING_SECONDS
    ) == str(customer_id)
    query = services.page_query(customer_id, user=user)
    audit.record(source=query.source)
    data = services.customer_fetch(
        customer_id,
        user=user,
        query=query,
        days=days,
        tiers=section == "tiers",
        session=request.session,
    )
    audit.shown(data)
    # Landing on the lookup's own answer is part of the lookup, audited once: a second entry
    # would only repeat it (and cost a commit on the way to every member's page).
    audit.covered = landing and data.from_cache
    can_reveal = user.has_perm(VIEW_UNMASKED_PII)
    shown_days = _shown_days(data.query)
    context = {
        "customer": data.customer,
        "section": section,
        # The search the answer is for (its source and account pick the member's profile), and
        # what a page fetched by id could not carry.
        "query": data.query,
        "left_out": data.left_out,
        "fetched_at": data.fetched_at,
        "request_id": data.request_id,
        "latency_ms": data.latency_ms,
        "pii_unmasked": can_reveal and bool(settings.PII_UNMASKED_BY_DEFAULT),
        "revealed": shown_fields(request, customer_id),
        "can_reveal": can_reveal,
        "can_see_raw": user.has_perms(RAW_PERMISSIONS),
        # A COUNT DISTINCT over the audit log: only the overview shows it.
        "history_summary": (
            AuditEntry.objects.customer_history(str(customer_id))
            if section == "overview" and may_see_all_audit(user)
            else None
        ),
        "days": shown_days,
        # The search asked for the gaps to renew as of another day than those to upgrade.
        "renew_days": (
            data.query.gap_to_renew if data.query.gap_to_renew not in (None, shown_days) else None
        ),
        # Translators: a customer page's title: the section's name (Overview, Tiers...).
        "title": _("%(section)s: customer %(id)s")
        % {"section": SECTIONS[section], "id": customer_id},
        **section_page(request, section, data.customer),
    }
    response = render(request, f"customers/customer/{section}.html", context)
    if LANDING in request.COOKIES:
        # Any section request ends the landing: only the very next page can be the lookup's own.
        response.delete_cookie(LANDING, path=reverse("customers:overview", args=[customer_id]))
    return response


def section_page(request: HttpRequest, section: str, customer: Customer) -> dict[str, Any]:
    """What a customer page shows from its request besides the answer: its own address, which a
    Reveal comes back to, and on the cards page the page of cards its status, sort and page
    parameters ask for (anything that does not apply is ignored: pages.cards.cards_view)."""
    page: dict[str, Any] = {"page_path": request.get_full_path()}
    if section == "cards":
        asked = request.GET
        page["cards_page"] = cards_view(
            customer.cards,
            status=asked.get("status", "")[:50],
            sort=asked.get("sort", "")[:20],
            page=asked.get("page", "")[:10],
        )
    return page


@post_action
@audited(Action.VIEW_SECTION, LOOKUP, section="refresh")
def refresh(request: HttpRequest, audit: Audit, customer_id: int) -> HttpResponse:
    """Fetch the customer again, skipping the cached answer, and go back to the page."""
    back = _back(request, customer_id)
    audit.page.update(retry_url=back)
    target = urlsplit(back)
    # Refresh what the tiers page shows: the answer it chose, by the same rule.
    tiers = target.path == reverse("customers:tiers", args=[customer_id])
    days = _days(last_value(parse_qs(target.query), "days")) if tiers else None
    query = services.page_query(customer_id, user=request.user)
    audit.record(source=query.source)
    data = services.customer_fetch(
        customer_id,
        user=request.user,
        query=query,
        refresh=True,
        days=days,
        tiers=tiers,
        session=request.session,
    )
    audit.shown(data)
    return redirect(back)


def _reveal_asked(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    return {
        "field": request.POST.get("field", "").strip()[:100],
        "reason": request.POST.get("reason", "").strip()[:MAX_REASON],
    }


@post_action
@audited(Action.REVEAL, VIEW_UNMASKED_PII, asked=_reveal_asked)
def reveal(request: HttpRequest, audit: Audit, customer_id: int) -> HttpResponse:
    """Show one masked field of this customer unmasked for the rest of the session."""
    field = audit.facts["field"]
    if not REVEALABLE.match(field):
        audit.outcome = Outcome.INVALID
    else:
        revealed = request.session.get("revealed", {})
        revealed[str(customer_id)] = sorted({*revealed.get(str(customer_id), []), field})
        request.session["revealed"] = revealed
    return redirect(_back(request, customer_id))


def shown_fields(request: HttpRequest, customer_id: int) -> set[str]:
    """The fields shown unmasked on this customer's pages: those the session revealed, and the
    name for a role that sees members' names (agents greet and verify callers by name)."""
    fields = revealed_fields(request, customer_id)
    if request.user.has_perm(VIEW_MEMBER_NAME):
        fields.add(NAME)
    return fields


def revealed_fields(request: HttpRequest, customer_id: int) -> set[str]:
    """The fields this session revealed for this customer."""
    return set(request.session.get("revealed", {}).get(str(customer_id), []))


@require_GET
def history(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Who accessed this customer: everyone's entries for auditors, one's own for the rest."""
    entries = AuditEntry.objects.visible_to(request.user).filter(customer_id=str(customer_id))
    page = Paginator(entries, MY_LOOKUPS_PER_PAGE).get_page(request.GET.get("page"))
    sees_everyone = may_see_all_audit(request.user)
    summary = AuditEntry.objects.customer_history(str(customer_id)) if sees_everyone else None
    can_lookup = request.user.has_perm(LOOKUP)
    # The customer pages' tab bar, without the sections a user who may not look up cannot open.
    bar = tabs(
        None,
        "history",
        can_see_raw=request.user.has_perms(RAW_PERMISSIONS),
        can_lookup=can_lookup,
    )
    return render(
        request,
        "customers/history.html",
        {
            "title": _("Access history: customer %(id)s") % {"id": customer_id},
            "customer_id": customer_id,
            "page": page,
            "history_summary": summary,
            "sees_everyone": sees_everyone,
            "can_lookup": can_lookup,
            "tabs": bar,
        },
    )


@require_GET
def my_lookups(request: HttpRequest) -> HttpResponse:
    """The user's own audit entries, newest first."""
    entries = AuditEntry.objects.by(request.user)
    page = Paginator(entries, MY_LOOKUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "customers/my_lookups.html", {"title": _("My lookups"), "page": page})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (settings handler500), with the request id the error was logged under.

    Rendered without a request context: the session, the user or the database may be what
    failed, and the error page must not fail too."""
    html = render_to_string("500.html", {"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)


def _search_page(request: HttpRequest, form: SearchForm, status: int = 200) -> HttpResponse:
    context = {
        "title": _("Find a member"),
        "form": form,
        "recent": recent_lookups(request),
        "allowance": _allowance(request),
    }
    return render(request, "customers/search.html", context, status=status)


@dataclass
class RecentRow:
    """One member (or one unanswered search) in the recent lookups, as of its latest lookup."""

    entry: AuditEntry
    name: str
    times: int = 1


def recent_lookups(request: HttpRequest) -> list[RecentRow]:
    """The signed-in user's last lookups for the search page, one row per member (or per search
    that found none), latest first: masked, linking by customer id only (see recent_rows)."""
    return recent_rows(request.user, services.remembered_names(request.session))


def recent_rows(user: Any, names: Mapping[str, str]) -> list[RecentRow]:
    """The user's latest lookups folded to one row per member, newest first: a member found
    again moves up instead of repeating; a search that found no one is one row per what was
    searched. `names` are the masked names this session remembers."""
    entries = AuditEntry.objects.filter(user=user, action=Action.LOOKUP).only(
        "created_at", "outcome", "source", "identifiers", "customer_id", "backend_code"
    )[:RECENT_SCAN]
    rows: dict[str, RecentRow] = {}
    for entry in entries:
        key = f"c:{entry.customer_id}" if entry.customer_id else f"s:{entry.identifiers_display}"
        if key in rows:
            rows[key].times += 1
        elif len(rows) < RECENT_LOOKUPS:
            rows[key] = RecentRow(entry, names.get(entry.customer_id, ""))
    return list(rows.values())


def _allowance(request: HttpRequest) -> dict[str, Any] | None:
    """What is left of the user's lookup rate limit, to say under the Search button."""
    allowance = lookup_allowance(request.user)
    if allowance is None:
        return None
    resets = datetime.fromtimestamp(allowance.resets_at, tz=UTC)
    return {"limit": allowance.limit, "left": allowance.left, "resets_at": resets}


def _search_params(data: QueryDict) -> dict[str, list[str]]:
    return {name: values for name, values in data.lists() if name not in NOT_SEARCH}


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
