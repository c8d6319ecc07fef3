import os
import time

import pytest

# pytest-django's live_server runs Django in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make test-fast` leaves out the tests marked browser, services or process. Tests are marked here
# by the fixtures they use, wherever their file lives: Chromium and the live server it drives;
# servers in processes of their own (the OpenID Connect provider; gunicorn in front of a stalling
# backend). A new fixture that starts a browser or a process belongs in these sets.
BROWSER_FIXTURES = frozenset({"browser", "live_server"})
PROCESS_FIXTURES = frozenset({"oidc_provider", "company_sign_in", "served", "stalling"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & PROCESS_FIXTURES:
            item.add_marker(pytest.mark.process)


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    """Tests render pages without running collectstatic first.

    Production uses whitenoise's manifest storage, which needs collectstatic; the gunicorn
    tests exercise that path.
    """
    from django.test import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache: lookup results, tokens and rate counters."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sandbox(settings):
    """The embedded sandbox, reached in-process and seeded with its showcase members.

    Answers are kept for two minutes, the lookup rate limit is out of the way, PII is masked by
    default and store managers search INSTORE: tests change what they are about.
    """
    from customers.sandbox.seeding import seed

    settings.LOOKUP_API_BASE_URL = ""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_LATENCY_MS = 0
    settings.LOOKUP_CACHE_SECONDS = 120
    settings.LOOKUP_RATE_LIMIT = "1000/h"
    settings.PII_UNMASKED_BY_DEFAULT = False
    settings.STORE_MANAGER_SOURCES = ["INSTORE"]
    seed()
    return settings


@pytest.fixture
def agent(client):
    """A support agent (the roles migration's group), signed in on the test client; a browser
    signs in as "agent" with tests.people.PASSWORD."""
    from tests.people import make_user

    user = make_user("agent", "Support agents")
    client.force_login(user)
    return user


@pytest.fixture
def auditor():
    """An auditor (staff, the Auditors group), not signed in."""
    from tests.people import make_user

    return make_user("auditor", "Auditors", is_staff=True)


@pytest.fixture
def backend_calls(caplog):
    """The client's log lines, one per backend call (the customers logger does not propagate)."""
    import logging

    logger = logging.getLogger("customers.capillary")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="customers.capillary")

    def calls() -> list[logging.LogRecord]:
        # A record can reach caplog twice (its own handler and the root's): count each once.
        records = {id(r): r for r in caplog.records if r.name == "customers.capillary"}
        return [r for r in records.values() if r.getMessage().startswith("GET ")]

    yield calls
    logger.removeHandler(caplog.handler)


@pytest.fixture
def one_rate_window():
    """Rate limits count in fixed windows. Called with a rate (`"1/h"`) before a test's
    counts, it sleeps past a window edge under ten seconds away, so they all fall in one."""
    from customers.platform.ratelimit import parse_rate

    def wait(rate: str) -> None:
        seconds = parse_rate(rate).seconds
        left = seconds - time.time() % seconds
        if left < 10:
            time.sleep(left + 0.1)

    return wait


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The company's identity provider: a real OpenID Connect provider on loopback (Node's
    oidc-provider), whose clients return to Django's test client."""
    from tests.oidcprovider import OidcProvider, require_node

    require_node()
    provider = OidcProvider(tmp_path_factory.mktemp("oidc"), ["http://testserver"])
    yield provider
    provider.stop()


@pytest.fixture
def company_sign_in(settings, oidc_provider):
    """The app configured for the test provider, its users back in their groups."""
    from tests.oidcprovider import configure

    return configure(settings, oidc_provider)


@pytest.fixture
def fault_backend(settings):
    """A misbehaving backend on loopback (tests/faultserver.py) as the app's Capillary, with
    Basic credentials, a one-second timeout and the rate limit out of the way."""
    from tests.faultserver import FaultServer

    server = FaultServer()
    settings.LOOKUP_API_BASE_URL = server.url
    settings.LOOKUP_API_USERNAME = "till.one"
    settings.LOOKUP_API_PASSWORD = "till-password"
    settings.LOOKUP_API_OAUTH_KEY = ""
    settings.LOOKUP_API_OAUTH_SECRET = ""
    settings.LOOKUP_API_TIMEOUT = 1.0
    settings.LOOKUP_RATE_LIMIT = "1000/h"
    yield server
    server.close()
