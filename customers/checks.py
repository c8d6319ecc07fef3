"""System checks for the settings this app reads: a typo fails `manage.py check`, not a lookup."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
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


@register()
def check_audit_hash_key(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    if not str(getattr(settings, "AUDIT_HASH_KEY", "") or "").strip():
        return [
            Error(
                "AUDIT_HASH_KEY is empty: identifier hashes in the audit trail would be "
                "reversible by hashing every phone number.",
                hint="Set AUDIT_HASH_KEY (or SECRET_KEY, its default) to a long random value.",
                id="customers.E002",
            )
        ]
    return []
