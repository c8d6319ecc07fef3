"""GET /healthz: whether this instance can serve, for a load balancer or an orchestrator.

No sign-in, no session, no data: it asks the database for one row and puts a value in and out
of the cache (Redis on the scale-out path). 200 "ok" when both answer; 503 naming the part that
did not, with the error logged (and its request id) but never shown. It does not call the lookup
backend: an outage there is Capillary's, and taking every instance out of rotation for it would
only turn the app's own error pages into the proxy's.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", **status}, status=503 if failed else 200
    )
