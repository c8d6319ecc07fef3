import os

import pytest

# pytest-django's live_server runs Django in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
