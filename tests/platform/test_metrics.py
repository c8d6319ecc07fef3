"""GET /metrics: Prometheus metrics for an operator, behind a bearer token."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from customers.capillary.client import LOOKUP_PATH
from customers.platform.resilience import BULKHEADS
from tests.documents import complete_document
from tests.faultserver import errors, reply

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-3f9a"


@pytest.fixture
def server(fault_backend, settings):
    """The backend on loopback, a breaker that opens after two failures, and a token."""
    settings.LOOKUP_BREAKER_FAILURES = 2
    settings.LOOKUP_BREAKER_SECONDS = 30
    settings.METRICS_TOKEN = TOKEN
    return fault_backend


def scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample of the endpoint, by name and labels."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def lookup(client, mobile: str = "919800000011") -> int:
    url = f"/lookup/?source=INSTORE&identifierName=mobile&identifierValue={mobile}"
    return client.get(url).status_code


def test_metrics_are_a_404_until_a_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_ask_for_the_token_and_refuse_a_wrong_one(client, settings):
    """Not public: no token or a wrong one is a 401, signed in or not; nothing is shown."""
    settings.METRICS_TOKEN = TOKEN
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401
        assert b"lookup_" not in response.content
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_backend_calls_are_counted_by_outcome_and_code_with_their_latency(client, agent, server):
    """A found member, a not-found (8015) and an unknown code: three calls, each counted under
    its outcome and code; the latency histogram counts them too."""
    before = scrape(client)
    server.on(LOOKUP_PATH, reply(200, complete_document()))
    assert lookup(client) == 303
    server.on(LOOKUP_PATH, errors(404, 8015, "Customer not found"))
    assert lookup(client) == 404
    server.on(LOOKUP_PATH, errors(400, 999_999, "Something new"))
    lookup(client)

    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    calls = "lookup_backend_calls_total"
    assert grew(calls, endpoint="lookup", outcome="ok", code="none") == 1
    assert grew(calls, endpoint="lookup", outcome="CustomerNotFound", code="8015") == 1
    assert grew(calls, endpoint="lookup", outcome="InvalidRequest", code="other") == 1
    assert grew("lookup_backend_call_seconds_count", endpoint="lookup") == 3


def test_the_breaker_calls_in_flight_and_refusals_are_shown(client, agent, server):
    """Two failures open the breaker (state 2); the refused lookup is counted by its reason;
    calls in flight are what the bulkheads hold."""
    before = scrape(client)
    assert value(before, "lookup_breaker_state") == 0
    server.on(LOOKUP_PATH, errors(500, 0, "Internal error"))
    # Two members (the breaker counts each member's failures once), then a third lookup.
    lookup(client, "919800000011")
    lookup(client, "919800000012")
    lookup(client)
    with BULKHEADS.slot("someone"):
        after = scrape(client)

    assert value(after, "lookup_breaker_state") == 2
    refused = "lookup_refusals_total"
    assert (
        value(after, refused, reason="circuit_open")
        - value(before, refused, reason="circuit_open")
        == 1
    )
    assert value(after, "lookup_backend_calls_in_flight") == 1


def test_refused_sources_and_throttled_sign_ins_are_counted(client, server, settings):
    """A store manager asking WECHAT, and a third wrong password under a limit of two."""
    from django.contrib.auth.models import Group, User

    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = User.objects.create_user("manager", password="right-password-1")
    manager.groups.add(Group.objects.get(name="Store managers"))
    before = scrape(client)
    for _ in range(3):
        client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    client.force_login(manager)
    client.get("/lookup/?source=WECHAT&accountId=wechat-cn-01&identifierName=mobile"
               "&identifierValue=919800000011")  # fmt: skip
    after = scrape(client)

    def grew(reason: str) -> float:
        refused = "lookup_refusals_total"
        return value(after, refused, reason=reason) - value(before, refused, reason=reason)

    assert (grew("sign_in_throttled"), grew("source_not_allowed")) == (1, 1)
