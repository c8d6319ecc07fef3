"""Looking customers up and keeping the answer for a short while.

Views call `customer_lookup` (identifiers typed or pasted by a person) and `customer_fetch` (a
customer page by id). An answer is kept in Django's cache for settings.LOOKUP_CACHE_SECONDS so
the redirect after a lookup and every move between a customer's tabs reuse it instead of calling
the backend again. Entries are keyed by user, customer id and the query's non-identifying parts
(source, accountId, embeds, flags, gap days), never by an identifier value, and hold the
document as received plus those parts. Those parts are also remembered on their own for a day,
so a page fetched by id after the answer expired asks the same source and account for the same
blocks.

A page fetched again calls GET /v2/customers/{id} when that call can serve it, with only what
it takes (Capillary's reference lists fewer sources and embeds for it than for the lookup, and no
gaps: LookupQuery.by_id). When it cannot, the lookup runs again with the identifiers the session
keeps for that customer: server side, in the session the agent looked the member up in (never in
a URL, a cache key or a log line unmasked), for as long as that session lasts. So within the
session every page shows what the lookup showed, alternate currencies, customer status and gaps
included, and is as fresh as a lookup; without the identifiers (another session, a link from the
audit trail) the page shows what the by-id call gives and says what it left out (`left_out`).

Every backend call made for a user counts against settings.LOOKUP_RATE_LIMIT, asks only in
the user's allowed sources and goes through `platform.resilience` (bulkheads, circuit breaker):
services raise `LookupRateLimited`, `SourceNotAllowed`, `LookupsInFlight`, `WorkerBusy` or
`CircuitOpen` before calling, and the views turn them into their pages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.utils import timezone

from customers.accounts.roles import allowed_sources
from customers.capillary.client import LookupResponse, get_client
from customers.capillary.exceptions import CustomerNotFound
from customers.capillary.query import (
    ALL,
    DEFAULT_EMBEDS,
    DEFAULT_FLAGS,
    FRAUD_DETAILS,
    INSTORE,
    MLP,
    LookupQuery,
)
from customers.capillary.records import Customer
from customers.errors import LookupRateLimited, SourceNotAllowed
from customers.platform import metrics
from customers.platform.ratelimit import check_lookup_rate
from customers.platform.resilience import backend_call

# How long a lookup's query (no identifiers) is remembered for the customer's pages: a working
# day and then some, far longer than the answer itself is kept.
QUERY_MEMORY_SECONDS = 24 * 3600
# How long a lookup's answer is kept at least: long enough for the redirect to its page.
REDIRECT_SECONDS = 10
# Where the session keeps the identifiers of the members looked up in it (customer id -> the
# lookup's [name, value] pairs), and for how many members at most (the oldest go first).
SESSION_IDENTIFIERS = "lookup_identifiers"
REMEMBERED_MEMBERS = 20
# Where the session keeps the masked names of the members looked up in it, for the recent
# lookups list (customer id -> masked name; as many members as the identifiers).
SESSION_NAMES = "lookup_names"


@dataclass(frozen=True)
class CustomerData:
    """A customer document as one page shows it: the record, where and when it came from."""

    customer: Customer
    request_id: str
    latency_ms: float
    fetched_at: datetime
    query: LookupQuery
    from_cache: bool
    # What the page's query asked for that the answer could not carry: it came by id, and that
    # call takes no such embed, gap or source (LookupQuery.by_id).
    left_out: tuple[str, ...] = ()


def default_query(user: Any) -> LookupQuery:
    """The query for a customer this user never looked up: INSTORE, else ALL, where allowed,
    with the search form's default blocks and flags, and both gaps as of today as a search
    asks (a page fetched by id then says that call carries no gaps).

    Every other source needs an accountId that only a lookup tells, so a user limited to such
    sources is asked to search first (SourceNotAllowed).
    """
    allowed = allowed_sources(user)
    for source in (INSTORE, ALL):
        if allowed is None or source in allowed:
            return with_gaps_as_of_today(
                LookupQuery(
                    source=source,
                    embed=DEFAULT_EMBEDS,
                    included_fraud_details=FRAUD_DETAILS in DEFAULT_FLAGS,
                )
            )
    raise SourceNotAllowed(INSTORE, allowed or [])


def with_gaps_as_of_today(query: LookupQuery) -> LookupQuery:
    """The search's query as the lookup sends it: one that asks for tiers but for no gap asks
    for both as of today (0 days ahead), so the overview answers "what does the member need to
    upgrade, to keep the tier" from the same one call. Days the agent typed are kept."""
    if (
        MLP not in query.embed
        or query.gap_to_upgrade is not None
        or query.gap_to_renew is not None
    ):
        return query
    return dataclasses.replace(query, gap_to_upgrade=0, gap_to_renew=0)


def page_query(customer_id: int | str, *, user: Any) -> LookupQuery:
    """The query the customer's pages ask by id with: the user's lookup's, else the default."""
    return _query_from(cache.get(_query_key(user, customer_id))) or default_query(user)


def customer_lookup(
    query: LookupQuery, *, user: Any, session: SessionBase | None = None
) -> LookupResponse:
    """Look a customer up by identifiers and keep the answer for the customer's pages, and the
    identifiers in the session (when given) to look them up again for its pages. (The name the
    recent lookups list shows is the view's to keep: `remember_name`.)

    Raises SourceNotAllowed or LookupRateLimited before calling, and the client's BackendError
    subclasses (and InvalidQuery without identifiers).
    """
    _check_source(user, query)
    with backend_call(user, _subject(query)):
        _spend(user)
        response = get_client().lookup(query)
    if session is not None:
        remember_identifiers(session, response.customer.id, query.identifiers)
    entry = _entry(response, query)
    cache.set(_query_key(user, response.customer.id), entry["query"], QUERY_MEMORY_SECONDS)
    # Kept at least for the redirect to the customer's page, even with caching off: that page
    # must not call the backend (and spend from the rate limit) a second time.
    seconds = max(int(settings.LOOKUP_CACHE_SECONDS), REDIRECT_SECONDS)
    cache.set(_key(user, response.customer.id, entry["query"]), entry, seconds)
    return response


def customer_fetch(
    customer_id: int | str,
    *,
    user: Any,
    query: LookupQuery | None = None,
    refresh: bool = False,
    days: int | None = None,
    tiers: bool = False,
    session: SessionBase | None = None,
) -> CustomerData:
    """The customer's document for a page: from the cache when fresh, else fetched again (by id,
    or by the lookup again with the session's identifiers: see the module's docstring).

    `query` says which blocks to ask for when the backend is called; without it the user's
    lookup's query is reused (`page_query`). `days` asks for the gaps to upgrade and renew N
    days ahead (the tiers page), kept apart from the main answer. `refresh` skips the cache and
    stores the new answer. `tiers` (the tiers page) without `days` takes them from the query by
    `tiers_days`. Raises SourceNotAllowed, LookupRateLimited (only when the backend would be
    called) and the client's BackendError subclasses.
    """
    if query is None:
        query = page_query(customer_id, user=user)
    if tiers and days is None:
        days = tiers_days(query)
    if days is not None:
        query = dataclasses.replace(
            query,
            embed=query.embed if MLP in query.embed else (*query.embed, MLP),
            gap_to_upgrade=days,
            gap_to_renew=days,
        )
    _check_source(user, query)
    key = _key(user, customer_id, _entry_query(query))
    cached = None if refresh else cache.get(key)
    if cached:
        return _data(cached, from_cache=True)
    response, left_out = _fetch_again(customer_id, query, user=user, session=session)
    fetched = _entry(response, query, left_out)
    seconds = int(settings.LOOKUP_CACHE_SECONDS)
    if seconds > 0:
        cache.set(key, fetched, seconds)
    return _data(fetched, from_cache=False)


def _fetch_again(
    customer_id: int | str, query: LookupQuery, *, user: Any, session: SessionBase | None
) -> tuple[LookupResponse, tuple[str, ...]]:
    """The customer's document as the page's query asks, and what it could not carry.

    By id when that call takes everything asked; else by the lookup again with the session's
    identifiers, if they still find this customer; else by id, with what it leaves out."""
    sent, left_out = query.by_id()
    identifiers = remembered_identifiers(session, customer_id)
    if left_out and identifiers:
        try:
            with backend_call(user, f"customer {customer_id}"):
                _spend(user)
                response = get_client().lookup(dataclasses.replace(query, identifiers=identifiers))
        except CustomerNotFound:
            pass
        else:
            if str(response.customer.id) == str(customer_id):
                return response, ()
    _check_source(user, sent)
    with backend_call(user, f"customer {customer_id}"):
        _spend(user)
        return get_client().get_customer(str(customer_id), sent), left_out


def _subject(query: LookupQuery) -> str:
    """Whom a lookup asks about, for the circuit breaker to count a member's failures once."""
    return "lookup " + ",".join(sorted(f"{name}={value}" for name, value in query.identifiers))


def remember_identifiers(
    session: SessionBase, customer_id: int | str, identifiers: tuple[tuple[str, str], ...]
) -> None:
    """Keep a lookup's identifiers in the session, for its pages to look the member up again."""
    _remember(
        session, SESSION_IDENTIFIERS, customer_id, [[name, value] for name, value in identifiers]
    )


def remember_name(session: SessionBase, customer_id: int | str, name: str) -> None:
    """Keep the member's name as the recent lookups list shows it (the audit trail keeps no
    name)."""
    _remember(session, SESSION_NAMES, customer_id, name)


def _remember(session: SessionBase, where: str, customer_id: int | str, value: Any) -> None:
    """Keep `value` for this member under the session's `where`, the latest
    REMEMBERED_MEMBERS members only. The session is written only when the value changes, so
    opening the same member again costs no session save."""
    remembered = session.get(where) or {}
    key = str(customer_id)
    if remembered.get(key) == value:
        return
    remembered = {k: v for k, v in remembered.items() if k != key}
    remembered[key] = value
    session[where] = dict(list(remembered.items())[-REMEMBERED_MEMBERS:])


def remembered_names(session: SessionBase | None) -> dict[str, str]:
    """The names of the members this session looked up, by customer id (masked for a role that
    does not see names)."""
    names = (session.get(SESSION_NAMES) if session is not None else None) or {}
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def remembered_identifiers(
    session: SessionBase | None, customer_id: int | str
) -> tuple[tuple[str, str], ...]:
    """The identifiers this session looked the customer up with, () when it did not."""
    if session is None:
        return ()
    pairs = (session.get(SESSION_IDENTIFIERS) or {}).get(str(customer_id)) or []
    return tuple(
        (str(pair[0]), str(pair[1]))
        for pair in pairs
        if isinstance(pair, list | tuple) and len(pair) == 2
    )


def tiers_days(query: LookupQuery) -> int | None:
    """The days the tiers page (and its refresh) asks gaps for when no ?days= is given.

    None when the lookup asked for both gaps (each as of its own day, as the agent asked): the
    main answer shows them. Else both as of the one day that was asked for, or today (0): the
    page is about gaps.
    """
    if query.gap_to_upgrade is not None and query.gap_to_renew is not None:
        return None
    return next((d for d in (query.gap_to_upgrade, query.gap_to_renew) if d is not None), 0)


def _check_source(user: Any, query: LookupQuery) -> None:
    allowed = allowed_sources(user)
    if allowed is not None and query.source not in allowed:
        metrics.refused("source_not_allowed")
        raise SourceNotAllowed(query.source, allowed)


def _spend(user: Any) -> None:
    """Count one backend call against the user's lookup rate limit, or refuse it."""
    decision = check_lookup_rate(user)
    if not decision.allowed:
        metrics.refused("rate_limit")
        raise LookupRateLimited(decision.retry_after, decision.limit, settings.LOOKUP_RATE_LIMIT)


def _user_part(user: Any) -> str:
    return str(getattr(user, "pk", None) or "anonymous")


def _query_key(user: Any, customer_id: int | str) -> str:
    return f"customers:query:{_user_part(user)}:{customer_id}"


def _key(user: Any, customer_id: int | str, query: dict[str, Any]) -> str:
    """An answer is kept per user, customer and the query it answered (without identifiers):
    another lookup of the same customer with other blocks or days is another answer."""
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]
    return f"customers:result:{_user_part(user)}:{customer_id}:{digest}"


def _entry_query(query: LookupQuery) -> dict[str, Any]:
    """Everything but the identifiers: enough to ask for the same blocks by id."""
    return {
        field.name: getattr(query, field.name)
        for field in dataclasses.fields(query)
        if field.name != "identifiers"
    }


def _entry(
    response: LookupResponse, query: LookupQuery, left_out: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "document": dict(response.customer.raw),
        "request_id": response.request_id,
        "latency_ms": response.latency_ms,
        "fetched_at": timezone.now(),
        "query": _entry_query(query),
        "left_out": list(left_out),
    }


def _query_from(fields: object) -> LookupQuery | None:
    """A remembered query, or None when there is none or it no longer fits LookupQuery (an
    entry written by an older release outlives a deploy in Redis)."""
    if not isinstance(fields, dict):
        return None
    try:
        return LookupQuery(**fields)
    except TypeError:
        return None


def _data(entry: dict[str, Any], *, from_cache: bool) -> CustomerData:
    return CustomerData(
        customer=Customer.from_json(entry["document"]),
        request_id=entry["request_id"],
        latency_ms=entry["latency_ms"],
        fetched_at=entry["fetched_at"],
        query=LookupQuery(**entry["query"]),
        from_cache=from_cache,
        left_out=tuple(entry.get("left_out") or ()),
    )
