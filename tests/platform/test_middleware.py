"""The app's middleware: a request id on every response, an error line only for real errors;
the session upkeep once a minute."""

import logging

import pytest


@pytest.fixture
def request_log(caplog):
    """The middleware's log lines (the customers logger does not propagate)."""
    logger = logging.getLogger("customers.request")
    logger.addHandler(caplog.handler)
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "customers.request"]
    logger.removeHandler(caplog.handler)


@pytest.mark.django_db
def test_a_refused_admin_page_is_not_logged_as_an_error(admin_client, request_log):
    """The audit admin refuses add (403) by design: a 403 with an id, no "unhandled" error."""
    response = admin_client.get("/admin/customers/auditentry/add/")

    assert response.status_code == 403
    assert len(response["X-Request-ID"]) == 32
    assert request_log() == []


@pytest.fixture
def queries():
    """The SQL statements run while the block is active."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


@pytest.mark.django_db
def test_a_session_reads_its_permissions_once_a_minute(sandbox, agent, client, queries):
    """The first request of a minute reads the permissions and renews the session; the next
    ones take them from the session and save no session."""
    client.get("/")
    with queries:
        again = client.get("/")

    assert again.status_code == 200
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    assert settings_cookie_name() not in again.cookies


@pytest.mark.django_db
def test_a_permission_taken_away_applies_at_the_next_upkeep(sandbox, agent, client):
    """Leaving the group is seen when the minute is over, without signing in again."""
    from django.contrib.auth.models import Group

    from customers.platform.middleware import UPKEEP

    assert client.get("/").status_code == 200
    agent.groups.remove(Group.objects.get(name="Support agents"))
    assert client.get("/").status_code == 200  # within the minute: the session's permissions

    session = client.session
    session[UPKEEP] = {**session[UPKEEP], "at": session[UPKEEP]["at"] - 61}
    session.save()
    refused = client.get("/")

    assert refused.status_code == 403
    assert settings_cookie_name() in refused.cookies  # renewed with the new permissions


@pytest.mark.django_db
def test_permissions_kept_for_another_user_are_not_taken(sandbox, agent, client):
    """Permissions in the session are only ever the signed-in user's."""
    from customers.platform.middleware import UPKEEP

    client.get("/")
    session = client.session
    session[UPKEEP] = {**session[UPKEEP], "user": agent.pk + 1, "perms": []}
    session.save()

    assert client.get("/").status_code == 200


def settings_cookie_name() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


@pytest.mark.django_db
def test_a_session_signed_in_before_the_move_into_packages_stays_signed_in(sandbox, agent, client):
    """Sessions record the backend's dotted path; one recorded before the code moved into
    packages (customers.backends, customers.oidc) is carried over, not signed out."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    session = client.session
    session[BACKEND_SESSION_KEY] = "customers.backends.ThrottledModelBackend"
    session.save()

    response = client.get("/")

    assert response.status_code == 200
    assert (
        client.session[BACKEND_SESSION_KEY] == "customers.accounts.backends.ThrottledModelBackend"
    )
