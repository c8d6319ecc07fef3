"""What monitoring reads: GET /healthz and GET /metrics.

`/healthz`: whether this instance can serve, for a load balancer or an orchestrator.

No sign-in, no session, no data: it asks the database for one row and puts a value in and out
of the cache (Redis on the scale-out path). 200 "ok" when both answer; 503 naming the part that
did not, with the error logged (and its request id) but never shown. It does not call the lookup
backend: an outage there is Capillary's, and taking every instance out of rotation for it would
only turn the app's own error pages into the proxy's. It does show the circuit breaker in front
of the backend (`breaker`: closed, open or half-open, and `breaker_retry_in` seconds while
open; unknown when the cache is down), which never changes the status.

`/metrics`: the Prometheus metrics of customers.platform.metrics and the breaker's state. Not
public: it answers only a bearer token equal to METRICS_TOKEN, and is a plain 404 while
METRICS_TOKEN is unset.
"""

import hmac
import logging
import os
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from customers.platform import metrics
from customers.platform.resilience import breaker_state

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return the value just set")
    cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception(
                "health check: the %s is unavailable request_id=%s",
                name,
                getattr(request, "request_id", "-"),
            )
            failed.append(name)
    status = {name: "unavailable" if name in failed else "ok" for name in CHECKS}
    # The breaker's state is in the cache: unknown when the cache is what failed.
    breaker = breaker_state() if "cache" not in failed else None
    shown: dict[str, object] = {"breaker": breaker.name if breaker else "unknown"}
    if breaker is not None and breaker.name == "open":
        shown["breaker_retry_in"] = breaker.retry_in
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", **status, **shown},
        status=503 if failed else 200,
    )


class BreakerCollector(Collector):
    """The shared breaker's state at scrape time: 0 closed, 1 half-open, 2 open."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "lookup_breaker_state",
            "The circuit breaker in front of Capillary: 0 closed, 1 half-open, 2 open.",
        )
        gauge.add_metric([], metrics.BREAKER_VALUES[breaker_state().name])
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

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


@login_not_required
@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = str(settings.METRICS_TOKEN)
    if not token:
        raise Http404
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
