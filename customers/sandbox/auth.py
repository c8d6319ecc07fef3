"""Capillary's two ways in: Basic with an md5-hashed password, and short-lived OAuth tokens.

Tokens live in Django's cache, so every instance sharing that cache accepts them.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.cache import cache

TOKEN_HEADER = "X-CAP-API-OAUTH-TOKEN"  # noqa: S105 (a header name, not a secret)


def basic_header(username: str, password: str) -> str:
    """The Authorization value Capillary expects: base64(username + ":" + md5_hex(password))."""
    # Reference: docs.capillarytech.com, "Basic Authentication". md5 is Capillary's scheme,
    # not a choice made here.
    return basic_header_for_digest(
        username, hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    )


def basic_header_for_digest(username: str, md5_hex: str) -> str:
    """The encoding step alone, for a password already hashed to lowercase md5 hex."""
    return "Basic " + base64.b64encode(f"{username}:{md5_hex}".encode()).decode()


def _credentials_match(username: str, password: str) -> bool:
    return hmac.compare_digest(username.encode(), settings.SANDBOX_USERNAME.encode()) & (
        hmac.compare_digest(password.encode(), settings.SANDBOX_PASSWORD.encode())
    )


def token_ttl() -> int:
    return int(settings.SANDBOX_TOKEN_TTL)


def _cache_key(token: str) -> str:
    return "sandbox:token:" + hashlib.sha256(token.encode()).hexdigest()


def issue_token(key: str, secret: str) -> str | None:
    """A new token for the sandbox's key and secret (the Basic pair), or None."""
    if not _credentials_match(key, secret):
        return None
    token = secrets.token_urlsafe(32)
    cache.set(_cache_key(token), True, timeout=token_ttl())
    return token


def authenticated(headers: Mapping[str, str]) -> bool:
    """Whether the request carries a valid Basic header or a live token."""
    lowered = {name.lower(): value for name, value in headers.items()}
    token = lowered.get(TOKEN_HEADER.lower(), "")
    if token:
        return bool(cache.get(_cache_key(token)))
    expected = basic_header(settings.SANDBOX_USERNAME, settings.SANDBOX_PASSWORD)
    return hmac.compare_digest(lowered.get("authorization", "").encode(), expected.encode())
