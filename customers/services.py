"""Looking customers up and keeping the answer for a short while.

Views call `customer_lookup` (identifiers typed or pasted by a person) and `customer_fetch` (a
customer page by id). An answer is kept in Django's cache for settings.LOOKUP_CACHE_SECONDS so
the redirect after a lookup and every move between a customer's tabs reuse it instead of calling
the backend again. Entries are keyed by user and customer id, never by an identifier value, and
hold the document as received plus the query's non-identifying parts (source, accountId, embeds,
flags), so a refresh asks for the same blocks again.
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
from customers.query import DEFAULT_EMBEDS, INSTORE, MLP, LookupQuery
from customers.records import Customer


@dataclass(frozen=True)
class CustomerData:
    """A customer document as one page shows it: the record, where and when it came from."""

    customer: Customer
    request_id: str
    latency_ms: float
    fetched_at: datetime
    query: LookupQuery
    from_cache: bool


def default_query() -> LookupQuery:
    """The query a customer page uses when no earlier lookup says which blocks to ask for."""
    return LookupQuery(source=INSTORE, embed=DEFAULT_EMBEDS)


def customer_lookup(query: LookupQuery, *, user: Any) -> LookupResponse:
    """Look a customer up by identifiers and keep the answer for the customer's pages.

    Raises the client's BackendError subclasses (and InvalidQuery without identifiers).
    """
    response = get_client().lookup(query)
    _store(user, response.customer.id, None, _entry(response, query))
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

    `query` says which blocks to ask for when the backend is called; without it the cached
    lookup's query is reused, or `default_query()` once that has expired. `days` asks for the
    gaps to upgrade and renew N days ahead (the tiers page), kept apart from the main answer.
    `refresh` skips the cache and stores the new answer.
    """
    main = cache.get(_key(user, customer_id, None))
    if query is None:
        query = _query_of(main) if main else default_query()
    if days is not None:
        query = dataclasses.replace(
            query,
            embed=query.embed if MLP in query.embed else (*query.embed, MLP),
            gap_to_upgrade=days,
            gap_to_renew=days,
        )
        if main and _query_of(main) == query:
            # The lookup already asked for these gaps: the main answer is the tiers answer.
            days = None
    entry = None if refresh else cache.get(_key(user, customer_id, days))
    if entry:
        return _data(entry, from_cache=True)
    response = get_client().get_customer(str(customer_id), query)
    entry = _entry(response, query)
    _store(user, customer_id, days, entry)
    return _data(entry, from_cache=False)


def gap_days(customer_id: int | str, *, user: Any) -> int:
    """The days ahead the tiers page shows unless asked: the lookup's own, else today (0)."""
    main = cache.get(_key(user, customer_id, None))
    return (_query_of(main).gap_to_upgrade if main else None) or 0


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
