"""Per-user lookup rate limit and failed-login throttle.

Both are fixed-window counters in `platform.counters`, which every worker of every instance
shares: Redis when REDIS_URL is set, else the database (never a per-process cache).
"""

import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from customers.masking import identifier_hash
from customers.platform import counters

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)
DISABLED = {"", "0", "off", "none"}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int
    limit: int
    used: int


def parse_rate(text: str) -> Rate | None:
    """`120/h`, `10/m`, `1000/d`, `5/15m` -> Rate; empty, `0` or `off` -> None (no limit)."""
    if str(text).strip().lower() in DISABLED:
        return None
    match = RATE.match(str(text))
    if not match:
        raise ImproperlyConfigured(
            f"Rate {text!r} is not like '120/h' (a count, '/', an optional number and s, m, h "
            "or d)."
        )
    count, multiple, unit = match.groups()
    return Rate(limit=int(count), seconds=int(multiple or 1) * UNITS[unit.lower()])


def _counter(key: str, rate: Rate, now: float) -> str:
    """The cache key counting `key`'s events in the window of `rate` that holds `now`."""
    return f"{key}:{rate.seconds}:{int(now // rate.seconds)}"


def _hit(key: str, rate: Rate, now: float) -> RateDecision:
    """Counts one event in the current window of `rate` and says whether it is within it."""
    window = int(now // rate.seconds)
    # Kept a little longer than the window, so the count outlives it even with clock skew.
    used = counters.hit(_counter(key, rate, now), rate.seconds + 60)
    retry_after = math.ceil((window + 1) * rate.seconds - now)
    allowed = used <= rate.limit
    return RateDecision(
        allowed=allowed, retry_after=0 if allowed else retry_after, limit=rate.limit, used=used
    )


def check_lookup_rate(user: object, *, now: float | None = None) -> RateDecision:
    """Counts one lookup for `user` against settings.LOOKUP_RATE_LIMIT.

    Call it once per lookup the user asks for; when `allowed` is False, refuse the lookup and
    tell the user to try again in `retry_after` seconds. `now` (a Unix time) is for tests.
    """
    rate = parse_rate(settings.LOOKUP_RATE_LIMIT)
    if rate is None:
        return RateDecision(allowed=True, retry_after=0, limit=0, used=0)
    user_key = getattr(user, "pk", None) or "anonymous"
    return _hit(f"lookup-rate:{user_key}", rate, time.time() if now is None else now)


@dataclass(frozen=True)
class Allowance:
    """What is left of a user's lookup rate limit: `left` of `limit` until `resets_at`."""

    limit: int
    left: int
    resets_at: float  # a Unix time


def lookup_allowance(user: object, *, now: float | None = None) -> Allowance | None:
    """What is left of `user`'s LOOKUP_RATE_LIMIT in the current window, without counting a
    lookup; None without a limit."""
    rate = parse_rate(settings.LOOKUP_RATE_LIMIT)
    if rate is None:
        return None
    now = time.time() if now is None else now
    user_key = getattr(user, "pk", None) or "anonymous"
    used = counters.read(_counter(f"lookup-rate:{user_key}", rate, now))
    window = int(now // rate.seconds)
    return Allowance(
        limit=rate.limit,
        left=max(0, rate.limit - used),
        resets_at=(window + 1) * rate.seconds,
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our HTTPS proxy the address it saw.

    BEHIND_HTTPS_PROXY (which sets SECURE_PROXY_SSL_HEADER) says a proxy we trust sits in front;
    it appends the peer it saw to X-Forwarded-For, so the last entry is the one to believe
    (earlier entries come from the client and can be forged).
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _login_key(username: str, ip: str | None) -> str:
    # The username is hashed so the cache holds no usernames and any text makes a valid key.
    return f"login-failures:{identifier_hash(username)}:{ip or 'unknown'}"


@dataclass(frozen=True)
class LoginAttempt:
    """A sign-in attempt, counted before its password is checked."""

    counter: str  # the cache key it is counted under; "" when failures are not limited
    retry_after: int  # seconds until this username may try again from this address; 0: now


def reserve_login_attempt(username: str, ip: str | None) -> LoginAttempt:
    """Counts a sign-in attempt for this username from this address against
    settings.LOGIN_FAILURE_LIMIT, before its password is checked.

    Counting first is what makes the limit hold: a password check takes a while, and attempts
    sent in parallel would all pass a check that only read the count. A failed attempt stays
    counted; a successful one is taken back with `release_login_attempt`.
    """
    rate = parse_rate(settings.LOGIN_FAILURE_LIMIT)
    if rate is None:
        return LoginAttempt(counter="", retry_after=0)
    now = time.time()
    key = _login_key(username, ip)
    decision = _hit(key, rate, now)
    return LoginAttempt(counter=_counter(key, rate, now), retry_after=decision.retry_after)


def release_login_attempt(attempt: LoginAttempt) -> None:
    """Takes back the count of an attempt that signed in: only failures are limited."""
    if attempt.counter:
        counters.give_back(attempt.counter)
