"""Looking customers up and keeping the answer for a short while.

Views call `customer_lookup` (identifiers typed or pasted by a person) and `customer_fetch` (a
customer page by id). An answer is kept in Django's cache for settings.LOOKUP_CACHE_SECONDS so
the redirect after a lookup and every move between a customer's tabs reuse it instead of calling
the backend again. Entries are keyed by user and customer id, never by an identifier value, and
hold the document as received plus the query's non-identifying parts (source, accountId, embeds,
flags). Those parts are also remembered on their own for a day, so a page fetched by id after the
answer expired asks the same source and account for the same blocks.

Every backend call made for a user counts against settings.LOOKUP_RATE_LIMIT, and asks only in
the user's allowed sources: services raise `LookupRateLimited` or `SourceNotAllowed` before
calling, and the views turn them into the 429 and 403 pages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from customers.client import LookupResponse, get_client
from customers.query import DEFAULT_EMBEDS, DEFAULT_FLAGS, FRAUD_DETAILS, INSTORE, MLP, LookupQuery
from customers.ratelimit import RateDecision, check_lookup_rate
from customers.records import Customer
from customers.roles import allowed_sources

# How long a lookup's query (no identifiers) is remembered for the customer's pages: a working
# day and then some, far longer than the answer itself is kept.
QUERY_MEMORY_SECONDS = 24 * 3600


class Refused(Exception):
    """The app itself refuses to call the backend for this user (no call was made)."""


class LookupRateLimited(Refused):
    """The user spent settings.LOOKUP_RATE_LIMIT; `decision` says when to try again."""

    def __init__(self, decision: RateDecision) -> None:
        super().__init__(f"lookup rate limit of {decision.limit} reached")
        self.decision = decision


class SourceNotAllowed(Refused):
    """The query's source is not one of the user's (store managers' STORE_MANAGER_SOURCES)."""

    def __init__(self, source: str, allowed: list[str]) -> None:
        super().__init__(f"source {source} not allowed")
        self.source = source
        self.allowed = allowed


@dataclass(frozen=True)
class CustomerData:
    """A customer document as one page shows it: the record, where and when it came from."""

    customer: Customer
    request_id: str
    latency_ms: float
    fetched_at: datetime
    query: LookupQuery
    from_cache: bool


def default_query(user: Any) -> LookupQuery:
    """The query for a customer this user never looked up: their first allowed source, with the
    search form's default blocks and flags."""
    allowed = allowed_sources(user)
    return LookupQuery(
        source=allowed[0] if allowed else INSTORE,
        embed=DEFAULT_EMBEDS,
        included_fraud_details=FRAUD_DETAILS in DEFAULT_FLAGS,
    )


def page_query(customer_id: int | str, *, user: Any) -> LookupQuery:
    """The query the customer's pages ask by id with: the user's lookup's, else the default."""
    remembered = cache.get(_query_key(user, customer_id))
    return LookupQuery(**remembered) if remembered else default_query(user)


def customer_lookup(query: LookupQuery, *, user: Any) -> LookupResponse:
    """Look a customer up by identifiers and keep the answer for the customer's pages.

    Raises SourceNotAllowed or LookupRateLimited before calling, and the client's BackendError
    subclasses (and InvalidQuery without identifiers).
    """
    _check_source(user, query)
    _spend(user)
    response = get_client().lookup(query)
    entry = _entry(response, query)
    cache.set(_query_key(user, response.customer.id), entry["query"], QUERY_MEMORY_SECONDS)
    _store(user, response.customer.id, None, entry)
    return response


def customer_fetch(
    customer_id: int | str,
    *,
    user: Any,
    query: LookupQuery | None = None,
    refresh: bool = False,
    days: int | None = None,
) -> CustomerData:
    """The customer's document for a page: from the cache when fresh, else fetched by id.

    `query` says which blocks to ask for when the backend is called; without it the user's
    lookup's query is reused (`page_query`). `days` asks for the gaps to upgrade and renew N
    days ahead (the tiers page), kept apart from the main answer. `refresh` skips the cache and
    stores the new answer. Raises SourceNotAllowed, LookupRateLimited (only when the backend
    would be called) and the client's BackendError subclasses.
    """
    if query is None:
        query = page_query(customer_id, user=user)
    _check_source(user, query)
    if days is not None:
        with_days = dataclasses.replace(
            query,
            embed=query.embed if MLP in query.embed else (*query.embed, MLP),
            gap_to_upgrade=days,
            gap_to_renew=days,
        )
        if with_days == query:
            # The lookup already asked for these gaps: the main answer is the tiers answer.
            days = None
        query = with_days
    entry = None if refresh else cache.get(_key(user, customer_id, days))
    if entry:
        return _data(entry, from_cache=True)
    _spend(user)
    response = get_client().get_customer(str(customer_id), query)
    entry = _entry(response, query)
    _store(user, customer_id, days, entry)
    return _data(entry, from_cache=False)


def tiers_days(customer_id: int | str, *, user: Any) -> int | None:
    """The days the tiers page (and its refresh) asks gaps for when no ?days= is given.

    None when the lookup's query already asked for gaps (either one) with mlp: the main answer
    shows them as asked. Else 0, today's gaps, because the page is about them.
    """
    query = page_query(customer_id, user=user)
    asked = query.gap_to_upgrade is not None or query.gap_to_renew is not None
    return None if asked and MLP in query.embed else 0


def _check_source(user: Any, query: LookupQuery) -> None:
    allowed = allowed_sources(user)
    if allowed is not None and query.source not in allowed:
        raise SourceNotAllowed(query.source, allowed)


def _spend(user: Any) -> None:
    """Count one backend call against the user's lookup rate limit, or refuse it."""
    decision = check_lookup_rate(user)
    if not decision.allowed:
        raise LookupRateLimited(decision)


def _query_key(user: Any, customer_id: int | str) -> str:
    user_part = getattr(user, "pk", None) or "anonymous"
    return f"customers:query:{user_part}:{customer_id}"


def _key(user: Any, customer_id: int | str, days: int | None) -> str:
    user_part = getattr(user, "pk", None) or "anonymous"
    suffix = "" if days is None else f":days:{days}"
    return f"customers:result:{user_part}:{customer_id}{suffix}"


def _entry(response: LookupResponse, query: LookupQuery) -> dict[str, Any]:
    return {
        "document": dict(response.customer.raw),
        "request_id": response.request_id,
        "latency_ms": response.latency_ms,
        "fetched_at": timezone.now(),
        # Everything but the identifiers: enough to ask for the same blocks by id.
        "query": {
            field.name: getattr(query, field.name)
            for field in dataclasses.fields(query)
            if field.name != "identifiers"
        },
    }


def _query_of(entry: dict[str, Any]) -> LookupQuery:
    return LookupQuery(**entry["query"])


def _store(user: Any, customer_id: int | str, days: int | None, entry: dict[str, Any]) -> None:
    seconds = int(settings.LOOKUP_CACHE_SECONDS)
    if seconds > 0:
        cache.set(_key(user, customer_id, days), entry, seconds)


def _data(entry: dict[str, Any], *, from_cache: bool) -> CustomerData:
    return CustomerData(
        customer=Customer.from_json(entry["document"]),
        request_id=entry["request_id"],
        latency_ms=entry["latency_ms"],
        fetched_at=entry["fetched_at"],
        query=_query_of(entry),
        from_cache=from_cache,
    )
