"""How the app proves itself to Capillary: Basic (a till's id and md5-hashed password) or an
OAuth token from client credentials, cached across threads, processes and instances.

Reference: Capillary API docs, "Basic Authentication" and "OAuth".
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable

from django.core.cache import cache


def basic_authorization(username: str, password: str) -> str:
    """Capillary's Basic scheme: the password is sent as its MD5 hex digest.

    Reference: Capillary API docs, "Basic Authentication".
    """
    digest = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    return "Basic " + base64.b64encode(f"{username}:{digest}".encode()).decode()


class OAuthToken:
    """One OAuth token per (base URL, client key), shared by threads through a lock and by
    processes and client instances through Django's cache.

    Reference: Capillary API docs, "OAuth" (POST /v3/oauth/token/generate, ttlSeconds).
    """

    def __init__(self, base_url: str, key: str, secret: str) -> None:
        self._key = key
        self._secret = secret
        self._lock = threading.Lock()
        self._token = ""
        self._expires_at = 0.0  # wall-clock seconds, comparable across processes
        # The cache key names the backend and client id, never the secret.
        self.cache_key = (
            "customers:oauth:" + hashlib.sha256(f"{base_url}\n{key}".encode()).hexdigest()
        )

    def get(self, fetch: Callable[[str, str], tuple[str, float]]) -> str:
        with self._lock:
            if self._fresh():
                return self._token
            cached = cache.get(self.cache_key)
            if cached and cached.get("expires_at", 0) > time.time():
                self._token, self._expires_at = cached["token"], cached["expires_at"]
                if self._fresh():
                    return self._token
            token, ttl = fetch(self._key, self._secret)
            # Renew early, so a token never expires between being read here and arriving there.
            self._token, self._expires_at = token, time.time() + ttl - min(60.0, ttl * 0.2)
            cache.set(
                self.cache_key,
                {"token": token, "expires_at": self._expires_at},
                timeout=max(1, int(self._expires_at - time.time())),
            )
            return token

    def discard(self, token: str) -> None:
        """Forget a token the backend refused, unless another thread already replaced it."""
        with self._lock:
            if self._token == token:
                self._token, self._expires_at = "", 0.0
            cached = cache.get(self.cache_key)
            if cached and cached.get("token") == token:
                cache.delete(self.cache_key)

    def _fresh(self) -> bool:
        return bool(self._token) and self._expires_at > time.time()
