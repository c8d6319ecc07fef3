"""Prometheus metrics: backend calls, their latency, calls in flight, the breaker, refusals.

The metrics are prometheus_client's. Under gunicorn every worker writes its own in
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets one up) and a scrape sums them; elsewhere
(runserver, tests) the process's own registry answers. They are served at `GET /metrics`
(customers.platform.health), with the breaker's state read at scrape time.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from customers.capillary.exceptions import KNOWN_CODES

BACKEND_CALLS = Counter(
    "lookup_backend_calls",
    "Calls to Capillary by endpoint, outcome (ok or the error) and backend error code.",
    ["endpoint", "outcome", "code"],
)
BACKEND_SECONDS = Histogram(
    "lookup_backend_call_seconds",
    "Time a call to Capillary took, retries included.",
    ["endpoint"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30),
)
IN_FLIGHT = Gauge(
    "lookup_backend_calls_in_flight",
    "Calls to Capillary running now.",
    multiprocess_mode="livesum",
)
REFUSALS = Counter(
    "lookup_refusals",
    "Requests the app refused without calling Capillary, by reason.",
    ["reason"],
)
# The breaker's states as the gauge's values.
BREAKER_VALUES = {"closed": 0, "half-open": 1, "open": 2}


def record_call(endpoint: str, outcome: str, code: int | None, seconds: float) -> None:
    """One finished call. Codes outside the known tables are "other": a backend sending random
    codes must not grow the metrics without end."""
    label = "none" if code is None else str(code) if code in KNOWN_CODES else "other"
    BACKEND_CALLS.labels(endpoint, outcome, label).inc()
    BACKEND_SECONDS.labels(endpoint).observe(seconds)


def refused(reason: str) -> None:
    REFUSALS.labels(reason).inc()
