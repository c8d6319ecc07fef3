"""The 404, CSRF 403 and 500 pages: the app's look, what to do next, and the request id."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.html_tree import parse
from tests.instances import free_port

pytestmark = pytest.mark.django_db


def shown_request_id(response) -> str:
    """The one request id the page shows (in <code>)."""
    return parse(response.content).find("code").text


@pytest.fixture
def agent_client() -> Client:
    user = User.objects.create_user("agent", password="agent-password-1")
    user.groups.add(Group.objects.get(name="Support agents"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/customers/abc/", "/customers/5000001/nope/", "/nowhere/"])
def test_an_unknown_address_gets_the_apps_not_found_page(agent_client, path):
    """Not Django's bare "Not Found": the app's page, a way back, the request id; the path
    (which could hold what someone typed) is not repeated."""
    response = agent_client.get(path)
    html = response.content.decode()

    assert response.status_code == 404
    assert parse(html).find("h1").text == "Page not found"
    assert parse(html).find("a", class_="button", href="/").text == "Search"
    assert shown_request_id(response) == response["X-Request-ID"]
    assert path not in html


def test_a_form_with_a_stale_token_says_it_expired_and_did_nothing(agent_client):
    """A Refresh sent with an old CSRF token (the page outlived a sign-in) is refused with the
    app's page, not Django's "CSRF verification failed ... DEBUG=True"."""
    response = agent_client.post("/customers/5000001/refresh/", {"csrfmiddlewaretoken": "x" * 64})
    html = response.content.decode()

    assert response.status_code == 403
    assert "Form expired" in html and "nothing was done" in html
    assert "DEBUG" not in html
    assert shown_request_id(response) == response["X-Request-ID"]


def test_a_server_error_names_the_request_id_it_was_logged_under(settings, caplog):
    """With the session store down, signing in fails: a plain 500 page that does not need the
    failed parts, with the id the error line carries."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.SESSION_ENGINE = "customers.platform.sessions"
    User.objects.create_user("agent", password="agent-password-1")
    client = Client(raise_request_exception=False)

    response = client.post(
        "/accounts/login/", {"username": "agent", "password": "agent-password-1"}
    )

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    request_id = shown_request_id(response)
    assert request_id == response["X-Request-ID"]
    assert any(request_id in record.getMessage() for record in caplog.records)
