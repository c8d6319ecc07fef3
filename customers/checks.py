"""System checks for the settings this app reads: a typo fails `manage.py check`, not a lookup."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .ratelimit import parse_rate


@register()
def check_rates(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name in ("LOOKUP_RATE_LIMIT", "LOGIN_FAILURE_LIMIT"):
        try:
            parse_rate(getattr(settings, name, ""))
        except ImproperlyConfigured as error:
            errors.append(Error(f"{name}: {error}", id="customers.E001"))
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """Several gunicorn workers with a per-process cache do not share lookup results, the OAuth
    token or the circuit breaker (rate limits and the sign-in throttle count in the database
    then: customers.counters)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is per process: gunicorn's workers share no lookup results, OAuth "
                "token or circuit breaker (rate limits count in the database).",
                hint="Set REDIS_URL (or CACHE_URL) to a cache every worker and instance shares.",
                id="customers.W001",
            )
        ]
    return []
