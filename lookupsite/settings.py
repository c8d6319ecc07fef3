"""Settings for Customer Lookup.

One settings module: environments differ by environment variables only (see .env.example and
the README's configuration table). A `.env` file in the project root is read if present;
variables already in the environment win.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def read_credentials(directory: str) -> None:
    """Secrets systemd hands over as credentials (LoadCredential=NAME:FILE): one file per
    variable in $CREDENTIALS_DIRECTORY, named as the variable, read where the environment has
    no value for it (deploy/systemd's units pass SECRET_KEY and the audit keys this way)."""
    for path in sorted(Path(directory).iterdir()):
        if path.name.isupper() and path.name.isidentifier():
            os.environ.setdefault(path.name, path.read_text().strip())


if os.environ.get("CREDENTIALS_DIRECTORY"):
    read_credentials(os.environ["CREDENTIALS_DIRECTORY"])

DEBUG = env.bool("DEBUG", default=False)

# Required with DEBUG off: a missing key fails loudly instead of defaulting to a guessable one.
SECRET_KEY = env("SECRET_KEY", default=None if not DEBUG else "insecure-development-only-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set the SECRET_KEY environment variable (DEBUG is off).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "customers",
    "customers.sandbox",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "customers.platform.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "customers.platform.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's chosen language wins over the browser's.
    "customers.accounts.language.UserLanguageMiddleware",
    "customers.platform.middleware.NoStoreMiddleware",
    "customers.platform.middleware.SessionUpkeepMiddleware",
    "customers.accounts.expiry.SignInRequiredMiddleware",
    "customers.platform.middleware.MemberLinkConfirmMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "lookupsite.urls"
WSGI_APPLICATION = "lookupsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "customers.platform.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests on a file, not in memory: threads writing at once then wait for each other
    # (SQLite's busy timeout), as the server's workers do, instead of failing at once.
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "test-db.sqlite3"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL is the short form for the scale-out path; CACHE_URL takes any django-environ cache.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, with one client per connection pool (platform/cache.py).
            "BACKEND": "customers.platform.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lookup",
        }
    }
else:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The key Redis values are encrypted with (customers/platform/cache.py): sessions and cached
# member documents. Empty: derived from SECRET_KEY (its fallbacks still decrypt while rotating).
CACHE_ENCRYPTION_KEY = env("CACHE_ENCRYPTION_KEY", default="")
# With Redis, sessions live there, shared by every instance and expired by Redis itself: a
# database commit per session renewal cost more than rendering the page (the README's
# benchmarks). Without Redis, in the database. A Redis outage fails requests instead of signing
# everyone out (customers/platform/sessions.py).
SESSION_ENGINE = (
    "customers.platform.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's model backend with a throttle: LOGIN_FAILURE_LIMIT failed sign-ins per username and
# client address, then refused until the window ends. Then the company's identity provider,
# which answers only its own callback (and nothing while OIDC_ISSUER is unset).
AUTHENTICATION_BACKENDS = [
    "customers.accounts.backends.ThrottledModelBackend",
    "customers.accounts.oidc.CompanyBackend",
]
# The demo accounts of `manage.py demo_users` (published passwords) may sign in: DEBUG only.
DEMO_ACCOUNTS = env.bool("DEMO_ACCOUNTS", default=DEBUG)
LOGIN_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT", default="5/15m")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:search"
LOGOUT_REDIRECT_URL = "login"
# Local passwords: "all" (the default) or "admins-only" (superusers, the break-glass accounts,
# once staff sign in with the company's identity provider).
LOCAL_LOGIN = env("LOCAL_LOGIN", default="all").strip().lower()

# Sign-in with the company's identity provider (OpenID Connect, accounts/oidc.py), on when
# OIDC_ISSUER is set. The endpoints come from the issuer's discovery document; the OIDC_RP_* and
# OIDC_* names below are mozilla-django-oidc's, which does the protocol.
OIDC_ISSUER = env("OIDC_ISSUER", default="").strip()
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
# Kept for sign-out: the provider's end-session endpoint takes it as id_token_hint.
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
# The claim holding the user's groups, and which of them give which of the app's roles:
# "provider group:Django group,..." (see customers/accounts/roles.py for the groups).
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_GROUP_ROLES = env("OIDC_GROUP_ROLES", default="")
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your company account")

LANGUAGE_CODE = env("LANGUAGE_CODE", default="en-gb")
# The languages the app ships, each with a complete catalogue in locale/ (docs/languages.md),
# named in their own language. A browser asking for any other gets English, numbers and dates
# included (LocaleMiddleware falls back to LANGUAGE_CODE). en-in is English with India's
# number grouping (1,00,000) for browsers set to it; the language picker offers the first
# four only (customers/platform/context_processors.py).
LANGUAGES = [
    ("en-gb", "English"),
    ("hi", "हिन्दी"),
    ("ar", "العربية"),
    ("zh-hans", "简体中文"),
    ("en-in", "English (India)"),
]
# Ours first, then locale/django: translations of Django's own strings that its catalogues lack
# (locale/django/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
# Dates and number grouping per language, where Django's own formats differ from what the
# support floors read (lookupsite/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["lookupsite.formats"]
# The digits figures and dates are written in with Arabic active: "latin" (0-9, the default in
# every language) or "arabic-indic" (U+0660 to U+0669).
NUMERALS = env("NUMERALS", default="latin").strip().lower()
# The language a user chose (i18n/setlang/) is kept for them (customers/accounts/language.py)
# and in this cookie, which the sign-in page follows.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"  # also customers/accounts/language.py's
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Production values are in .env.example; the defaults keep plain-HTTP development and
# the loopback test servers working.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# A load balancer checks each instance, and Prometheus scrapes it, over plain HTTP behind the TLS
# the proxy terminates.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# A signed-in session is renewed once a minute while it is used (customers.platform.middleware's
# SessionUpkeepMiddleware), so SESSION_COOKIE_AGE acts as an idle timeout: a store terminal left
# alone logs itself out.
SESSION_SAVE_EVERY_REQUEST = False
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_issuer = urlsplit(OIDC_ISSUER)
# Where members' photos (customerImage) may be loaded from: origins such as
# https://files.example.com. Pages show a photo only from these, and the browser loads images
# from them and no other host.
CUSTOMER_IMAGE_HOSTS = [
    host.strip().rstrip("/") for host in env.list("CUSTOMER_IMAGE_HOSTS", default=[]) if host
]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *CUSTOMER_IMAGE_HOSTS],
    "frame-ancestors": [CSP.NONE],
    # Signing out of the company's provider too is a redirect from the sign-out form's POST.
    "form-action": [CSP.SELF, *([_issuer.scheme + "://" + _issuer.netloc] if OIDC_ISSUER else [])],
    "base-uri": [CSP.NONE],
}

# The lookup backend. Unset LOOKUP_API_BASE_URL means the embedded sandbox, reached in-process.
LOOKUP_API_BASE_URL = env("LOOKUP_API_BASE_URL", default="")
LOOKUP_API_USERNAME = env("LOOKUP_API_USERNAME", default="")
LOOKUP_API_PASSWORD = env("LOOKUP_API_PASSWORD", default="")
LOOKUP_API_OAUTH_KEY = env("LOOKUP_API_OAUTH_KEY", default="")
LOOKUP_API_OAUTH_SECRET = env("LOOKUP_API_OAUTH_SECRET", default="")
LOOKUP_API_TIMEOUT = env.float("LOOKUP_API_TIMEOUT", default=10.0)
LOOKUP_CACHE_SECONDS = env.int("LOOKUP_CACHE_SECONDS", default=120)
LOOKUP_RATE_LIMIT = env("LOOKUP_RATE_LIMIT", default="120/h")
# Bulkheads (platform.resilience): backend calls one worker runs at once, in all (by default
# half its threads, so a slow backend leaves the other half to every other page) and per user.
LOOKUP_CALLS_PER_WORKER = env.int(
    "LOOKUP_CALLS_PER_WORKER", default=max(1, env.int("GUNICORN_THREADS", default=16) // 2)
)
LOOKUP_CALLS_PER_USER = env.int("LOOKUP_CALLS_PER_USER", default=2)
# The circuit breaker: this many timeouts or 5xx within LOOKUP_BREAKER_SECONDS stop calls for
# LOOKUP_BREAKER_SECONDS; 0 turns it off.
LOOKUP_BREAKER_FAILURES = env.int("LOOKUP_BREAKER_FAILURES", default=5)
LOOKUP_BREAKER_SECONDS = env.int("LOOKUP_BREAKER_SECONDS", default=30)
# The bearer token GET /metrics asks for; unset, /metrics is a 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
STORE_MANAGER_SOURCES = env.list("STORE_MANAGER_SOURCES", default=["INSTORE"])
PII_UNMASKED_BY_DEFAULT = env.bool("PII_UNMASKED_BY_DEFAULT", default=False)
# How a program's renewal conditions combine, per program id: "1101:any,1103:all" ("*:any" for
# every program not named). Capillary's document does not say; without an entry the tiers page
# lists the conditions and says that the program's rule decides (customers/pages/renewal.py).
# Default: empty, or the sandbox org's rule when the sandbox is on (below).
TIER_RENEWAL_RULES = env("TIER_RENEWAL_RULES", default="")
# Custom and extended fields that are personal data: masked for those who may not see PII.
SENSITIVE_FIELDS = env.list(
    "SENSITIVE_FIELDS", default=["dob", "date_of_birth", "anniversary", "address", "nickname"]
)
AUDIT_HASH_KEY = env("AUDIT_HASH_KEY", default="") or SECRET_KEY
# Key of the HMAC that chains audit entries and signs their exports (customers/audit/chain.py).
# Entries it signed verify only with it: set it once, keep it with the backups, never change it
# while they are retained.
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY", default="") or SECRET_KEY
# Every lookup must carry a reason or ticket (the search refuses one without).
LOOKUP_REASON_REQUIRED = env.bool("LOOKUP_REASON_REQUIRED", default=False)
# The org's primary identifier under dual eligibility (mobile, email, externalId): a search
# without it that finds no one is told to add it. Empty: the org has no such rule.
LOOKUP_PRIMARY_IDENTIFIER = env("LOOKUP_PRIMARY_IDENTIFIER", default="mobile")
# What to do or say when a member is flagged for fraud or the number belonged to a merged
# account, worded per org (Needs attention says it); empty: the app's own sensible wording.
LOOKUP_FRAUD_ADVICE = env("LOOKUP_FRAUD_ADVICE", default="")
LOOKUP_MERGED_ADVICE = env("LOOKUP_MERGED_ADVICE", default="")
# The org's business hours, e.g. "Mon-Fri 08:00-18:00, Sat 09:00-13:00 Europe/London"
# (customers/insights/business_hours.py); empty: no after-hours signal.
AUDIT_BUSINESS_HOURS = env("AUDIT_BUSINESS_HOURS", default="")
# Who receives `manage.py audit_report` by mail (comma-separated); empty: no mail is sent.
AUDIT_REPORT_TO = env.list("AUDIT_REPORT_TO", default=[])

# Mail, only for `manage.py audit_report`: no mailer (nothing is sent) while EMAIL_HOST is unset.
# Django 6.1's MAILERS, filled from the variables of Django's former EMAIL_* settings. Implicit
# TLS (EMAIL_USE_SSL, port 465) or STARTTLS (EMAIL_USE_TLS, port 587, the default), not both.
if env("EMAIL_HOST", default=""):
    _email_ssl = env.bool("EMAIL_USE_SSL", default=False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env.int("EMAIL_PORT", default=465 if _email_ssl else 587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_ssl": _email_ssl,
                "use_tls": env.bool("EMAIL_USE_TLS", default=not _email_ssl),
                "timeout": env.int("EMAIL_TIMEOUT", default=30),
            },
        }
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="customer-lookup@localhost")

SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=not LOOKUP_API_BASE_URL)
# The org's default country code (digits): a mobile the caller gives as a national number
# (99990 00003, or 099990 00003) is searched with it. Empty: every mobile needs its code. The
# sandbox's org is in India.
DEFAULT_COUNTRY_CODE = env("DEFAULT_COUNTRY_CODE", default="91" if SANDBOX_ENABLED else "")
SANDBOX_USERNAME = env("SANDBOX_USERNAME", default="sandbox.till")
SANDBOX_PASSWORD = env("SANDBOX_PASSWORD", default="sandbox-password")
SANDBOX_LATENCY_MS = env.int("SANDBOX_LATENCY_MS", default=0)
SANDBOX_TOKEN_TTL = env.int("SANDBOX_TOKEN_TTL", default=300)
# The sandbox org lives in India (its timestamps carry +05:30) and renews a tier when any one
# of a program's conditions is met: with the sandbox on, those are the defaults below.
SANDBOX_ORG_TIME_ZONE = "Asia/Kolkata"
SANDBOX_TIER_RENEWAL_RULES = "*:any"

# The org's time zone: members' dates and times are shown in it, named wherever a time is
# shown (dates Capillary sends without a time are shown as sent). Default: the sandbox org's
# zone when the sandbox is on, else TIME_ZONE.
ORG_TIME_ZONE = env(
    "ORG_TIME_ZONE", default=SANDBOX_ORG_TIME_ZONE if SANDBOX_ENABLED else TIME_ZONE
)
if not env("TIER_RENEWAL_RULES", default="") and SANDBOX_ENABLED:
    TIER_RENEWAL_RULES = SANDBOX_TIER_RENEWAL_RULES

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "plain" for people, "json" (one object per line) for a log collector; gunicorn's access log
# follows the same setting.
LOG_FORMAT = env("LOG_FORMAT", default="plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "lookupsite.log.JsonFormatter"},
    },
    # Every line through the console has emails and long numbers masked (customers.masking).
    "filters": {"redact": {"()": "customers.masking.RedactingLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # runserver's request lines include /lookup/ query strings: through the filter too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "customers": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
