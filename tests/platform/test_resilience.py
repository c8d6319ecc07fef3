"""Bulkheads, the circuit breaker and the backend's hostile answers, through the pages.

The backend is a real misbehaving HTTP server on loopback; the caps are held the way a slow
call holds them, through `BULKHEADS.slot`, so the page an agent sees when they are full can be
read without timing threads against each other (the gunicorn tests do that).
"""

import time
from contextlib import ExitStack
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User

from customers.audit.models import AuditEntry, Outcome
from customers.capillary.client import LOOKUP_PATH
from customers.platform.resilience import BULKHEADS, breaker_state
from tests.documents import complete_document
from tests.faultserver import errors, nested, reply
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

MOBILE = "919800000011"
SEARCH = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}


@pytest.fixture
def server(fault_backend, settings):
    """The backend on loopback answering a member, and a breaker that opens after three
    failures for two seconds."""
    settings.LOOKUP_BREAKER_FAILURES = 3
    settings.LOOKUP_BREAKER_SECONDS = 2
    settings.LOOKUP_CALLS_PER_USER = 2
    settings.LOOKUP_CALLS_PER_WORKER = 8
    fault_backend.on(LOOKUP_PATH, reply(200, complete_document(), request_id="req-ok"))
    return fault_backend


def lookup_url(mobile: str = MOBILE) -> str:
    return "/lookup/?" + urlencode(
        {"source": "INSTORE", "identifierName": "mobile", "identifierValue": mobile}
    )


def other_member(n: int) -> str:
    """The mobile of another member each time: the breaker counts a member's failures once."""
    return f"91980000{n:04d}"


def held(*user_keys: str) -> ExitStack:
    """Bulkhead slots held as calls still waiting on the backend would hold them."""
    stack = ExitStack()
    for key in user_keys:
        stack.enter_context(BULKHEADS.slot(key))
    return stack


def test_a_user_with_two_calls_in_flight_is_refused_at_once_and_others_are_not(
    client, agent, server
):
    """Two of the agent's calls still waiting: a third is a 429 page at once, audited, with no
    call to the backend; another user's lookup goes through."""
    other = User.objects.create_user("second-agent")
    other.groups.add(Group.objects.get(name="Support agents"))

    with held(str(agent.pk), str(agent.pk)):
        refused = client.get(lookup_url())
        client.force_login(other)
        allowed = client.get(lookup_url())

    assert refused.status_code == 429
    assert "Your earlier lookups are still running" in refused.content.decode()
    assert refused["Retry-After"] == "5"
    assert allowed.status_code == 303
    assert len(server.requests_to(LOOKUP_PATH)) == 1
    entry = AuditEntry.objects.get(user=agent)
    assert (entry.outcome, entry.detail) == (Outcome.RATE_LIMITED, "lookups in flight")
    assert entry.identifiers_display == "mobile 91******0011"


def test_the_busy_page_of_a_search_offers_to_send_it_again(client, agent, server):
    """Refused from the search form's POST: "Try again" posts the same search (nothing typed
    is lost), as the backend's failure pages do."""
    with held(str(agent.pk), str(agent.pk)):
        response = client.post("/lookup/", {**SEARCH, "reason": "ticket 42"})

    assert response.status_code == 429
    retry = parse(response.content).find("form", class_="retry-form")
    fields = {field["name"]: field["value"] for field in retry.find_all("input", type="hidden")}
    assert fields["identifierValue"] == MOBILE
    assert fields["reason"] == "ticket 42"


def test_a_worker_with_its_calls_in_flight_refuses_more_with_a_busy_page(
    client, agent, server, settings
):
    """As many calls in flight as LOOKUP_CALLS_PER_WORKER, from other users: a 503 page that
    says the app is busy, audited as an error, without calling the backend."""
    settings.LOOKUP_CALLS_PER_WORKER = 3
    with held("101", "102", "103"):
        response = client.get(lookup_url())

    assert response.status_code == 503
    assert "The app is busy" in response.content.decode()
    assert server.requests_to(LOOKUP_PATH) == []
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.detail) == (Outcome.ERROR, "worker busy")


def test_slots_are_given_back_when_calls_end_however_they_end(client, agent, server):
    """Failed and successful calls alike free their slot: many lookups in a row all run."""
    server.on(LOOKUP_PATH, errors(404, 8015, "Customer not found"))
    for _ in range(5):
        assert client.get(lookup_url()).status_code == 404
    server.on(LOOKUP_PATH, reply(200, complete_document()))
    assert client.get(lookup_url()).status_code == 303


def test_repeated_failures_open_the_breaker_which_refuses_without_calling(client, agent, server):
    """Three 5xx in a row, for three members: the fourth lookup is not sent; its page says
    Capillary is not answering and when it is tried again, with Retry-After; the entry says
    so; /healthz shows the breaker open and still answers 200."""
    server.on(LOOKUP_PATH, errors(500, 0, "Internal error", request_id="req-500"))
    for n in range(3):
        assert client.get(lookup_url(other_member(n))).status_code == 503
    sent = len(server.requests_to(LOOKUP_PATH))

    response = client.get(lookup_url())
    health = client.get("/healthz")

    html = response.content.decode()
    assert response.status_code == 503
    assert "Capillary is not answering; retrying in 2 s." in html
    assert response["Retry-After"] == "2"
    assert len(server.requests_to(LOOKUP_PATH)) == sent
    entry = AuditEntry.objects.filter(user=agent).first()
    assert (entry.outcome, entry.detail) == (Outcome.ERROR, "CircuitOpen")
    assert health.status_code == 200
    assert health.json()["breaker"] == "open"
    assert health.json()["breaker_retry_in"] in (1, 2)


def test_after_the_cool_down_one_probe_that_succeeds_closes_the_breaker(client, agent, server):
    """Once the cool-down has passed, the next lookup is sent; its answer closes the breaker."""
    server.on(LOOKUP_PATH, errors(500, 0, "Internal error"))
    for n in range(3):
        client.get(lookup_url(other_member(n)))
    assert breaker_state().name == "open"
    server.on(LOOKUP_PATH, reply(200, complete_document(), request_id="req-back"))
    time.sleep(2.1)
    assert breaker_state().name == "half-open"

    response = client.get(lookup_url())

    assert response.status_code == 303
    assert breaker_state().name == "closed"
    assert client.get("/healthz").json()["breaker"] == "closed"


def test_a_probe_that_fails_opens_the_breaker_again(client, agent, server):
    """The probe after the cool-down times out: the breaker is open for another cool-down."""
    server.on(LOOKUP_PATH, errors(500, 0, "Internal error"))
    for n in range(3):
        client.get(lookup_url(other_member(n)))
    time.sleep(2.1)
    server.on(LOOKUP_PATH, reply(200, complete_document(), delay=1.5))

    probe = client.get(lookup_url())
    after = client.get(lookup_url())

    assert probe.status_code == 503
    assert breaker_state().name == "open"
    assert "Capillary is not answering" in after.content.decode()
    assert len(server.requests_to(LOOKUP_PATH)) == 4


def test_answers_that_are_not_outages_do_not_open_the_breaker(client, agent, server):
    """Not found, refused parameters and fraud are answers: the backend is up."""
    server.on(LOOKUP_PATH, errors(404, 8015, "Customer not found"))
    for _ in range(6):
        client.get(lookup_url())
    assert breaker_state().name == "closed"


def test_a_breaker_whose_cache_is_down_lets_calls_through(client, agent, server, settings):
    """The breaker fails open: with its cache unreachable, the lookup is sent as usual."""
    from tests.instances import free_port

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    from customers.platform.resilience import _before_call

    assert breaker_state().name == "closed"
    assert _before_call().name == "closed"


@pytest.mark.parametrize("depth", [200_000, 900], ids=["past-recursion-limit", "deep"])
def test_a_deeply_nested_answer_is_a_bad_response_page_with_an_audit_entry(
    client, agent, server, depth
):
    """JSON nested 200,000 deep used to end in a RecursionError: a 500 and no audit entry."""
    server.on(LOOKUP_PATH, reply(200, nested(depth), request_id="req-deep"))

    response = client.get(lookup_url())

    assert response.status_code == 502
    assert "could not read" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.detail, entry.request_id) == (
        Outcome.ERROR,
        "BadResponse",
        "req-deep",
    )
