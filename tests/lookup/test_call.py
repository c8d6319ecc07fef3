"""The agent's call, through Django's test client: a session that expires mid-call, and a form
that always opens with the org's defaults. (The whole call in a browser:
tests/lookup/test_browser_call.py.)"""

import pytest
from django.test import Client

from customers.capillary.query import DEFAULT_EMBEDS
from tests.html_tree import parse
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


def ticked(response) -> set[str]:
    page = parse(response.content.decode())
    return {box["value"] for box in page.find_all("input", name="embed", checked=True)}


def expire_sessions(client) -> None:
    """What SESSION_IDLE_SECONDS without a request does: the session is gone, the cookie not,
    in whichever store keeps sessions (the database, or the cache on the Redis path)."""
    client.session.delete()


def test_a_search_after_the_session_expired_leads_to_a_sign_in_page_that_says_so(
    agent, client, sandbox
):
    expire_sessions(client)

    pressed = client.post("/lookup/", {"q": "919999000001", "embed": ["mlp", "points"]})
    sign_in = client.get(pressed["Location"])

    assert pressed.status_code == 302
    # The search is not in the URL: the browser keeps it (static/customers/lookup.js).
    assert "919999000001" not in pressed["Location"]
    text = " ".join(parse(sign_in.content.decode()).text.split())
    assert "Your session expired after 30 minutes without use." in text
    assert "Your search is kept" in text


def test_a_first_visit_to_the_sign_in_page_says_nothing_of_an_expired_session(sandbox):
    first = Client()

    sign_in = first.get(first.get("/")["Location"])

    assert "session expired" not in sign_in.content.decode()


def test_back_from_signing_in_the_form_opens_with_the_org_defaults(agent, sandbox):
    """Signing in again after an interrupted search comes back to /lookup/?confirm=1 with
    nothing in it: the form has the org's boxes ticked, not none (whose search would say
    "nothing urgent" of a member whose points expire in 20 days)."""
    client = Client()
    pressed = client.post("/lookup/", {"q": "919999000001"})
    sign_in = client.get(pressed["Location"])
    back = client.post(
        sign_in.wsgi_request.get_full_path(), {"username": "agent", "password": PASSWORD}
    )
    assert back["Location"] == "/lookup/?confirm=1"

    form = client.get(back["Location"])

    assert form.status_code == 200
    assert ticked(form) == set(DEFAULT_EMBEDS)
    assert "This search came from a link" not in form.content.decode()


def test_lookup_typed_in_the_address_bar_opens_the_search_with_the_defaults(
    agent, client, sandbox
):
    form = client.get("/lookup/")

    assert form.status_code == 200
    assert ticked(form) == set(DEFAULT_EMBEDS)
    assert ticked(client.get("/")) == set(DEFAULT_EMBEDS)


def test_a_form_sent_with_nothing_in_it_comes_back_with_the_defaults(agent, client, sandbox):
    response = client.post("/lookup/", {"q": "", "reason": ""})

    assert ticked(response) == set(DEFAULT_EMBEDS)


def test_the_search_page_says_how_many_lookups_are_left_and_when_the_count_restarts(
    agent, client, sandbox, settings, one_rate_window
):
    settings.LOOKUP_RATE_LIMIT = "5/h"
    one_rate_window("5/h")
    for mobile in ("919999000001", "919999000002"):
        client.post("/lookup/", {"source": "INSTORE", "q": mobile, "embed": ["mlp"]})

    note = parse(client.get("/").content.decode()).find("p", id="rate-allowance").text

    assert note.startswith("3 lookups of 5 left until ")
    assert note.endswith("when the count starts again.")


def test_without_a_rate_limit_the_search_page_says_nothing_of_one(
    agent, client, sandbox, settings
):
    settings.LOOKUP_RATE_LIMIT = "off"

    assert parse(client.get("/").content.decode()).find_all("p", id="rate-allowance") == []
