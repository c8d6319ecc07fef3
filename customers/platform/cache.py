"""Django's Redis cache, with one Redis client per connection pool instead of one per command.

Django's RedisCacheClient builds a `redis.Redis` for every cache command; its constructor copies
the whole table of response callbacks, which cost more CPU than the command's own round trip
on loopback (the lookup benchmark's profile). A `redis.Redis` is a thin, thread-safe handle on
its connection pool, so one per pool serves every command.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which its type stubs leave out.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
