"""Django's Redis cache, with one Redis client per connection pool instead of one per command,
and every value but a counter encrypted.

Django's RedisCacheClient builds a `redis.Redis` for every cache command; its constructor copies
the whole table of response callbacks, which cost more CPU than the command's own round trip
on loopback (the lookup benchmark's profile). A `redis.Redis` is a thin, thread-safe handle on
its connection pool, so one per pool serves every command.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import pickle
from functools import cached_property
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)


def _fernet_key(secret: str) -> bytes:
    """A Fernet key (32 bytes, URL-safe base64) derived from a setting's secret, for this
    purpose only: the cache key is never the SECRET_KEY itself."""
    digest = hashlib.sha256(b"customer-lookup cache encryption\0" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


class EncryptingSerializer(redis.RedisSerializer):
    """Pickles as Django's serializer does, then encrypts and authenticates (Fernet: AES-128-CBC
    and HMAC-SHA256) with a key from settings.CACHE_ENCRYPTION_KEY (default: derived from
    SECRET_KEY), so what the app keeps in Redis (sessions with the identifiers a lookup used,
    cached member documents) is unreadable in a dump or Redis's persistence file, and a value
    written there by anyone without the key is never unpickled.

    Integers stay plain, as Django keeps them, for INCR: the rate and breaker counters, which
    name no one. A value that does not decrypt (written before encryption, or under a key since
    retired) reads as missing: a cache miss, or a session that signs in again.
    """

    @cached_property
    def _fernet(self) -> MultiFernet:
        keys = [settings.CACHE_ENCRYPTION_KEY or settings.SECRET_KEY]
        keys += list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
        return MultiFernet([Fernet(_fernet_key(str(key))) for key in keys if key])

    def dumps(self, obj: Any) -> Any:
        if type(obj) is int:
            return obj
        protocol: int = self.protocol  # type: ignore[attr-defined]
        return self._fernet.encrypt(pickle.dumps(obj, protocol))

    def loads(self, data: Any) -> Any:
        try:
            return int(data)
        except ValueError:
            pass
        try:
            plain = self._fernet.decrypt(data)
        except InvalidToken:
            logger.warning("cache: a value that does not decrypt was read as missing")
            return None
        return pickle.loads(plain)  # noqa: S301 - authenticated above: written by the app


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
        options = params.setdefault("OPTIONS", {})
        options.setdefault("serializer", EncryptingSerializer)
        super().__init__(server, params)
        self._class = RedisCacheClient
