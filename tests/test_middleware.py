"""The request id middleware: an id on every response, an error line only for real errors."""

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
