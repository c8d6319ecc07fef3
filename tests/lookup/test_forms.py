"""The search form's own rule, LOOKUP_REASON_REQUIRED, through the lookup endpoint (the form's
POST and a pasted query string): a lookup without a reason never reaches the backend, says why
next to the field, and is audited as invalid."""

from urllib.parse import urlencode

import pytest

from customers.audit.models import AuditEntry, Outcome
from customers.lookup.forms import REASON_REQUIRED
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

MOBILE = "919999000001"
AARAV = 5000001


SEARCH = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}


def search(client, **params: str):
    """The search form sent, as the browser sends it."""
    return client.post("/lookup/", SEARCH | params)


@pytest.fixture
def reasons_required(sandbox):
    sandbox.LOOKUP_REASON_REQUIRED = True
    return sandbox


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_lookup_without_a_reason_is_refused_when_the_org_requires_one(
    client, reasons_required, agent, backend_calls, reason
):
    """No reason (or only spaces): the search comes back with the message at the reason field,
    the backend is not called, and the attempt is audited as invalid."""
    params = {} if reason is None else {"reason": reason}
    response = search(client, **params)

    assert response.status_code == 400
    page = parse(response.content)
    assert page.find("ul", id="id_reason_error").text == REASON_REQUIRED
    assert page.find("input", id="id_reason")["aria-invalid"] == "true"
    assert backend_calls() == []
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.detail) == (Outcome.INVALID, REASON_REQUIRED)


def test_a_lookup_with_a_reason_runs(client, reasons_required, agent):
    response = search(client, reason="ticket 4711")
    assert response.status_code == 303
    assert response["Location"] == f"/customers/{AARAV}/"
    assert AuditEntry.objects.get().reason == "ticket 4711"


def test_a_pasted_query_string_needs_a_reason_too(client, reasons_required, agent):
    """The API's own query string in the address bar obeys the same rule."""
    assert client.get("/lookup/?" + urlencode(SEARCH)).status_code == 400
    assert client.get("/lookup/?" + urlencode(SEARCH | {"reason": "t1"})).status_code == 303


def test_the_reason_is_optional_by_default(client, sandbox, agent):
    assert search(client).status_code == 303


def test_a_missing_reason_and_a_bad_identifier_are_reported_together(
    client, reasons_required, agent
):
    """One round of corrections: both fields' messages come back at once."""
    response = search(client, identifierValue="0999")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["reason"] == [REASON_REQUIRED]
    assert "identifierValue" in errors


def test_the_search_page_marks_the_reason_required(client, reasons_required, agent):
    page = parse(client.get("/").content)
    assert page.find("input", id="id_reason", required=True)
    labels = page.find_all("label", class_="required")
    assert "id_reason" in [label["for"] for label in labels]
    assert page.find("div", id="id_reason_help").text.startswith("Required by your organisation")
