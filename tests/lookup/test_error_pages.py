"""The 404, CSRF 403 and 500 pages: the app's look, what to do next, and the request id."""

import pytest
from django.contrib.auth.models import Group, User
from django.template.loader import get_template
from django.test import Client

from customers.audit.models import Outcome
from customers.capillary.exceptions import BackendError, CustomerNotFound, InvalidQuery
from customers.errors import PAGES, Refused, page_for
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


def _tree(root: type[Exception]) -> set[type[Exception]]:
    """`root` and every class under it that the app defines."""
    found, todo = set(), [root]
    while todo:
        kind = todo.pop()
        if kind.__module__.startswith("customers."):
            found.add(kind)
        todo += kind.__subclasses__()
    return found


def test_every_error_class_has_its_own_page():
    """Capillary's errors and the app's refusals carry facts; errors.PAGES says how the app
    answers each class. A new class without its own row (it would quietly get its parent's
    page) fails here, as does a page naming an outcome the audit trail does not have or a
    template that does not exist."""
    classes = _tree(BackendError) | _tree(Refused) | {InvalidQuery}

    assert sorted(kind.__name__ for kind in classes - set(PAGES)) == []
    assert set(PAGES) <= classes
    for kind, page in PAGES.items():
        assert page.outcome in Outcome.values, kind
        assert 400 <= page.status < 600, kind
        assert page.heading, kind
        get_template(page.template)


def test_capillarys_errors_carry_its_status_not_the_apps_page():
    """`status_code` is Capillary's HTTP status, as typed API clients have it; nothing on the
    error says what the app's page shows."""
    error = CustomerNotFound(status_code=200, code=8015, request_id="req-1")

    assert (error.status_code, error.code, error.request_id) == (200, 8015, "req-1")
    assert page_for(error).status == 404
    for attribute in ("heading", "advice", "outcome", "template_name", "explain", "reasons"):
        assert not hasattr(error, attribute), attribute
