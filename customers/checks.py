"""System checks for the settings this app reads: a typo fails `manage.py check`, not a lookup."""

import zoneinfo

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from customers.insights import business_hours
from customers.pages.photo import image_origin
from customers.pages.renewal import parse_rules
from customers.platform.ratelimit import parse_rate


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
def check_audit_settings(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """AUDIT_BUSINESS_HOURS in its format, and one kind of mail TLS at a time."""
    errors: list[CheckMessage] = []
    try:
        business_hours.configured()
    except ImproperlyConfigured as error:
        errors.append(Error(f"AUDIT_BUSINESS_HOURS: {error}", id="customers.E002"))
    options = getattr(settings, "MAILERS", {}).get("default", {}).get("OPTIONS", {})
    if options.get("use_tls") and options.get("use_ssl"):
        errors.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on; the mail server takes one.",
                hint="Port 587: EMAIL_USE_TLS=true. Port 465: EMAIL_USE_SSL=true.",
                id="customers.E003",
            )
        )
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """Several gunicorn workers with a per-process cache do not share lookup results, the OAuth
    token or the circuit breaker (rate limits and the sign-in throttle count in the database
    then: customers.platform.counters)."""
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


@register()
def check_sign_in(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """LOCAL_LOGIN and the company sign-in's settings (see customers/accounts/oidc.py)."""
    from customers.accounts.oidc import group_roles
    from customers.accounts.views import LOCAL_LOGIN_VALUES

    errors: list[CheckMessage] = []
    if settings.LOCAL_LOGIN not in LOCAL_LOGIN_VALUES:
        allowed = " or ".join(LOCAL_LOGIN_VALUES)
        errors.append(
            Error(
                f"LOCAL_LOGIN is {settings.LOCAL_LOGIN!r}, not {allowed}.",
                id="customers.E002",
            )
        )
    try:
        roles = group_roles()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="customers.E003"))
        roles = {}
    if settings.OIDC_ISSUER:
        if not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
            errors.append(
                Error(
                    "OIDC_ISSUER is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not.",
                    id="customers.E004",
                )
            )
        if not roles:
            errors.append(
                Warning(
                    "OIDC_GROUP_ROLES is empty: nobody who signs in with the company's "
                    "provider gets a role.",
                    hint="e.g. OIDC_GROUP_ROLES=cs-agents:Support agents,compliance:Auditors",
                    id="customers.W002",
                )
            )
    elif settings.LOCAL_LOGIN == "admins-only":
        errors.append(
            Warning(
                "LOCAL_LOGIN=admins-only without OIDC_ISSUER: only superusers can sign in.",
                id="customers.W003",
            )
        )
    return errors


@register()
def check_pages(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """TIER_RENEWAL_RULES, ORG_TIME_ZONE and CUSTOMER_IMAGE_HOSTS, which decide what the customer
    pages say and show (customers/pages/renewal.py, dates, the photo on the profile page)."""
    errors: list[CheckMessage] = []
    try:
        parse_rules(settings.TIER_RENEWAL_RULES)
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="customers.E005"))
    zone = str(getattr(settings, "ORG_TIME_ZONE", "") or "")
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(
            Error(
                f"ORG_TIME_ZONE: {zone!r} is not an IANA time zone (e.g. Asia/Kolkata).",
                id="customers.E007",
            )
        )
    for host in settings.CUSTOMER_IMAGE_HOSTS:
        if image_origin(host) != host.lower() or host.lower().startswith("http://"):
            errors.append(
                Error(
                    f"CUSTOMER_IMAGE_HOSTS: {host!r} is not an https origin "
                    "(https://host or https://host:port, no path).",
                    id="customers.E006",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_demo_accounts(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """The demo accounts' passwords are published: with DEBUG off they must not sign in."""
    from customers.accounts import demo

    if settings.DEBUG:
        return []
    if demo.allowed():
        return [
            Warning(
                "DEMO_ACCOUNTS is on with DEBUG off: agent / demo-agent-2026 and the other demo "
                "accounts can sign in.",
                hint="Unset DEMO_ACCOUNTS in production.",
                id="customers.W004",
            )
        ]
    names = demo.published_accounts()
    if names:
        return [
            Warning(
                f"Demo accounts with their published passwords exist: {', '.join(names)}. The "
                "sign-in page refuses them with DEBUG off.",
                hint="Run `manage.py demo_users --disable` to take their passwords away.",
                id="customers.W005",
            )
        ]
    return []
