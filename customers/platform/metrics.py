"""Prometheus metrics: backend calls, their latency, calls in flight, the breaker, refusals.

The metrics are prometheus_client's. Under gunicorn every worker writes its own in
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets one up) and a scrape sums them; elsewhere
(runserver, tests) the process's own registry answers. The breaker's state is read from the
cache at scrape time, as every worker and instance sees it.

`GET /metrics` is not public: it answers only a bearer token equal to METRICS_TOKEN, and is a
plain 404 while METRICS_TOKEN is unset.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

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


class BreakerCollector(Collector):
    """The shared breaker's state at scrape time: 0 closed, 1 half-open, 2 open."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from customers.platform.resilience import breaker_state

        gauge = GaugeMetricFamily(
            "lookup_breaker_state",
            "The circuit breaker in front of Capillary: 0 closed, 1 half-open, 2 open.",
        )
        gauge.add_metric([], BREAKER_VALUES[breaker_state().name])
        yield gauge


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessMetrics())
    registry.register(BreakerCollector())
    return registry


class _ProcessMetrics(Collector):
    """This process's own registry, when workers do not share a directory."""

    def collect(self) -> Iterator:
        yield from REGISTRY.collect()


@login_not_required
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token = str(settings.METRICS_TOKEN)
    if not token:
        raise Http404
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
