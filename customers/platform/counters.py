"""Counters every worker of every instance shares: the lookup rate limit and the sign-in
throttle count here.

With Redis as the cache (REDIS_URL), counts live there: `INCR` is atomic and a key expires by
itself. Any other cache is either per process (the default, local memory: each gunicorn worker
would count on its own) or not atomic (Django's database cache reads a value, then writes it
back: two workers bumping the same count at once both write the same number). So without Redis
counts live in the database, in `Counter` rows, bumped by one `INSERT ... ON CONFLICT DO UPDATE
... RETURNING` statement, which SQLite and PostgreSQL both run atomically.

Both stores fail closed: a count that cannot be taken raises, and the caller refuses.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.core.cache import cache, caches
from django.core.cache.backends.memcached import PyLibMCCache, PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from customers.platform.models import Counter

# Caches whose `incr` is one atomic operation on a store every process shares (subclasses, such
# as customers.platform.cache.RedisCache, included).
SHARED_ATOMIC_CACHES = (RedisCache, PyMemcacheCache, PyLibMCCache)


def in_cache() -> bool:
    """Whether counts live in the cache (Redis, memcached) rather than the database."""
    return isinstance(caches["default"], SHARED_ATOMIC_CACHES)


def hit(key: str, seconds: int) -> int:
    """Counts one event under `key` (a window's own key) and returns the count so far; the
    count is forgotten `seconds` from now."""
    if in_cache():
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key)
        except ValueError:
            # The key expired between add and incr: this event starts a new count.
            cache.add(key, 1, seconds)
            return 1
    return _hit_database(key, seconds)


def read(key: str) -> int:
    """The count so far under `key`, without counting (0 when there is none)."""
    if in_cache():
        return int(cache.get(key) or 0)
    row = Counter.objects.filter(key=key, expires_at__gte=timezone.now()).first()
    return row.count if row is not None else 0


def give_back(key: str) -> None:
    """Takes one event back from `key`'s count (a sign-in that turned out to succeed)."""
    if in_cache():
        # ValueError: the window has ended, and its count with it.
        with contextlib.suppress(ValueError):
            cache.decr(key)
        return
    Counter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def _hit_database(key: str, seconds: int) -> int:
    quote = connection.ops.quote_name
    table, key_column, count = quote(Counter._meta.db_table), quote("key"), quote("count")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count}, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {count}",
            [key, now + timedelta(seconds=seconds)],
        )
        (used,) = cursor.fetchone()
    used = int(used)
    if used == 1:
        # A new window has started: the ended ones are no longer needed.
        Counter.objects.filter(expires_at__lt=now).delete()
    return used
