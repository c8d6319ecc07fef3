"""GET /healthz: what a load balancer asks each instance before sending it agents."""

import logging

import pytest

from customers.audit.models import AuditEntry
from tests.instances import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_log(caplog):
    """The health check's log records (the customers logger does not propagate)."""
    logger = logging.getLogger("customers.platform.health")
    logger.addHandler(caplog.handler)
    # A record can reach caplog twice (this handler and the root's): each is counted once.
    yield lambda: list(
        {id(r): r for r in caplog.records if r.name == "customers.platform.health"}.values()
    )
    logger.removeHandler(caplog.handler)


def test_an_instance_whose_database_and_cache_answer_is_healthy(client, health_log):
    """200 and "ok" without signing in; no session, no audit entry, never cached."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "breaker": "closed",
    }
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert not AuditEntry.objects.exists()
    assert health_log() == []


def test_an_unreachable_cache_takes_the_instance_out_of_rotation(client, settings, health_log):
    """503 naming the cache; the error is logged with the request id, the URL's password is
    neither shown nor logged."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:cache-password-7@127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 2},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
        "breaker": "unknown",
    }
    [record] = health_log()
    assert f"request_id={response['X-Request-ID']}" in record.getMessage()
    assert "cache-password-7" not in response.content.decode()
    assert "cache-password-7" not in logging.Formatter().format(record)


def test_it_answers_over_plain_http_when_the_site_redirects_to_https(client, settings):
    """Behind a TLS-terminating balancer the check reaches the instance over HTTP."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_it_answers_get_and_head_only(client):
    """Some load balancers check with HEAD."""
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
