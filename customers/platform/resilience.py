"""What keeps a slow or failing backend from taking the whole app down with it.

Every backend call services make goes through `backend_call(user)`:

- **Bulkheads.** A worker has a fixed number of threads (GUNICORN_THREADS), and a call that waits
  on Capillary holds one for up to twice LOOKUP_API_TIMEOUT. So a worker runs at most
  settings.LOOKUP_CALLS_PER_WORKER calls at once (well under its threads: sign-in, static files,
  the search and pages already fetched keep the rest), and at most
  settings.LOOKUP_CALLS_PER_USER of one user's. A call over either cap is refused at once
  (`WorkerBusy`, `LookupsInFlight`) instead of queueing behind the others. The caps count threads
  of this process, which is what they protect, so they are kept in the process.
- **A circuit breaker.** After timeouts, transport errors or 5xx for
  settings.LOOKUP_BREAKER_FAILURES different members (or lookups) within
  settings.LOOKUP_BREAKER_SECONDS, calls stop for that many seconds (`CircuitOpen`: "Capillary is
  not answering; retrying in N s"). Then one call, across every worker and instance, probes: an
  answer closes the breaker, another failure opens it again. Its state lives in Django's cache,
  so instances sharing Redis share it (with the default local-memory cache, each worker keeps
  its own). It fails open: when the cache cannot be read, calls go ahead as if it were closed,
  bounded by the client's own deadline. Failures count once per member (the call's `subject`,
  kept in the cache as a keyed hash): one member whose record answers 500, looked up again and
  again, is that member's problem, not an outage, and must not shut every agent out.

Why not pybreaker: its shared state needs a redis-py client of its own (the default set-up has
no Redis), and its half-open state lets every concurrent call through rather than one probe.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from customers.capillary.exceptions import (
    BackendError,
    BackendUnavailable,
    CircuitOpen,
    ConfigurationError,
)
from customers.errors import LookupsInFlight, WorkerBusy
from customers.masking import identifier_hash
from customers.platform import metrics

logger = logging.getLogger("customers.platform.resilience")

OPEN_UNTIL = "breaker:open-until"
FAILURES = "breaker:failures"
PROBE = "breaker:probe"
# A member (subject) whose call failed within the window, so it is counted once.
FAILED_SUBJECT = "breaker:failed:"


class Bulkheads:
    """Backend calls in flight in this process, in all and per user."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._by_user: Counter[str] = Counter()

    @contextmanager
    def slot(self, user_key: str) -> Iterator[None]:
        """Holds one call's place for the block; raises at once when a cap is reached."""
        with self._lock:
            per_user = int(settings.LOOKUP_CALLS_PER_USER)
            per_worker = int(settings.LOOKUP_CALLS_PER_WORKER)
            if per_user and self._by_user[user_key] >= per_user:
                metrics.refused("lookups_in_flight")
                raise LookupsInFlight(per_user)
            if per_worker and self._total >= per_worker:
                metrics.refused("worker_busy")
                raise WorkerBusy(per_worker)
            self._total += 1
            self._by_user[user_key] += 1
        metrics.IN_FLIGHT.inc()
        try:
            yield
        finally:
            metrics.IN_FLIGHT.dec()
            with self._lock:
                self._total -= 1
                self._by_user[user_key] -= 1
                if not self._by_user[user_key]:
                    del self._by_user[user_key]


BULKHEADS = Bulkheads()


@dataclass(frozen=True)
class BreakerState:
    """closed (calls go ahead), open (refused for `retry_in` seconds) or half-open (the cool-down
    is over and the next call probes)."""

    name: str
    retry_in: int = 0
    # Failures are being counted towards opening it (a success then clears them).
    failing: bool = False


def breaker_state() -> BreakerState:
    """The breaker as every instance sharing the cache sees it (closed if it cannot be read)."""
    try:
        # One round trip for both: every backend call reads them.
        found = cache.get_many([OPEN_UNTIL, FAILURES])
    except Exception:
        logger.warning("circuit breaker: the cache is unavailable; taken as closed")
        return BreakerState("closed")
    open_until, failing = found.get(OPEN_UNTIL), bool(found.get(FAILURES))
    if open_until is None:
        return BreakerState("closed", failing=failing)
    left = open_until - time.time()
    if left > 0:
        return BreakerState("open", math.ceil(left), failing)
    return BreakerState("half-open", failing=failing)


def _before_call() -> BreakerState:
    """Raises CircuitOpen while the breaker is open; the state the call goes ahead in, its
    name "half-open" when this call is the one probe."""
    if not int(settings.LOOKUP_BREAKER_FAILURES):
        return BreakerState("closed")
    state = breaker_state()
    if state.name == "open":
        metrics.refused("circuit_open")
        raise CircuitOpen(state.retry_in)
    if state.name == "half-open" and not _quietly(cache.add, PROBE, 1, _call_seconds() + 5):
        # Another call is probing right now; its answer decides.
        metrics.refused("circuit_open")
        raise CircuitOpen(min(_cool_down(), _call_seconds()))
    return state


def _after_call(error: BaseException | None, state: BreakerState, subject: str = "") -> None:
    if not int(settings.LOOKUP_BREAKER_FAILURES):
        return
    probe = state.name == "half-open"
    if isinstance(error, BackendUnavailable) and not isinstance(error, CircuitOpen):
        if probe or _count_failure(subject) >= int(settings.LOOKUP_BREAKER_FAILURES):
            _open()
    elif error is None or (
        isinstance(error, BackendError) and not isinstance(error, ConfigurationError)
    ):
        # The backend answered (not-found and the like included): it is up.
        if probe or state.failing:
            _quietly(cache.delete_many, [OPEN_UNTIL, FAILURES, PROBE])
            if probe:
                logger.warning("circuit breaker: closed, the backend answered the probe")
    elif probe:
        # No call was made after all (refused, or the app failed first): another may probe.
        _quietly(cache.delete, PROBE)


def _count_failure(subject: str = "") -> int:
    """Counts a failed call towards opening the breaker, once per `subject` within the window
    (a call without one, such as the OAuth token's, counts every time); returns the count."""
    window = _cool_down()
    if (
        subject
        and _quietly(cache.add, FAILED_SUBJECT + identifier_hash(subject), 1, window) is False
    ):
        # This member failed already within the window: not more of an outage than it was.
        return 0
    _quietly(cache.add, FAILURES, 0, window)
    try:
        return int(cache.incr(FAILURES))
    except ValueError:
        # The window ended between add and incr: this failure starts a new count.
        _quietly(cache.add, FAILURES, 1, window)
        return 1
    except Exception:
        logger.warning("circuit breaker: the cache is unavailable; failure not counted")
        return 0


def _open() -> None:
    seconds = _cool_down()
    # Kept past the cool-down, so the first call after it knows to probe.
    _quietly(cache.set, OPEN_UNTIL, time.time() + seconds, seconds + _call_seconds() + 60)
    _quietly(cache.delete_many, [FAILURES, PROBE])
    logger.warning("circuit breaker: open for %d s after repeated backend failures", seconds)


def _quietly(operation: Any, *args: Any) -> Any:
    """A cache operation whose failure leaves the breaker as it is (it fails open)."""
    try:
        return operation(*args)
    except Exception:
        logger.warning("circuit breaker: the cache is unavailable")
        return None


def _cool_down() -> int:
    return max(1, int(settings.LOOKUP_BREAKER_SECONDS))


def _call_seconds() -> int:
    """The longest a call can take: its deadline, twice the timeout."""
    return math.ceil(2 * float(settings.LOOKUP_API_TIMEOUT))


@contextmanager
def backend_call(user: Any, subject: str = "") -> Iterator[None]:
    """The block makes one backend call for `user` about `subject` (the member: a customer id,
    or the identifiers a lookup sends): refused at once while the breaker is open or a
    bulkhead is full, and its outcome told to the breaker."""
    state = _before_call()
    try:
        with BULKHEADS.slot(str(getattr(user, "pk", None) or "anonymous")):
            yield
    except BaseException as error:
        _after_call(error, state, subject)
        raise
    else:
        _after_call(None, state, subject)
