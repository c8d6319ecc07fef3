"""The lookup client against a real HTTP server on loopback that misbehaves on purpose."""

import base64
import logging
import threading
import time

import pytest

from customers.capillary.client import (
    LOOKUP_PATH,
    MAX_BODY_BYTES,
    OAUTH_PATH,
    basic_authorization,
    get_client,
)
from customers.capillary.exceptions import (
    BackendUnavailable,
    BadResponse,
    ConfigurationError,
    CustomerMerged,
    CustomerNotFound,
    InvalidQuery,
    InvalidRequest,
    NotAllowed,
    RateLimited,
)
from customers.capillary.query import LookupQuery
from customers.errors import not_found_reasons
from tests.faultserver import (
    FaultServer,
    errors,
    nested,
    refused_url,
    reply,
    reset,
    streamed,
    trickled,
)

MOBILE = "919812340001"
EMAIL = "priya.sharma@example.com"
PASSWORD = "till-password-42"
OAUTH_SECRET = "oauth-secret-value-7"
CUSTOMER = {"id": 17742, "profiles": [{"firstName": "Priya", "source": "INSTORE"}]}


def query(**params: str) -> LookupQuery:
    defaults = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
    return LookupQuery.from_params({k: [v] for k, v in (defaults | params).items()})


@pytest.fixture
def server():
    fault_server = FaultServer()
    yield fault_server
    fault_server.close()


@pytest.fixture
def basic(server, settings):
    """Settings for Basic auth against the fault server, with a 2-second timeout."""
    settings.LOOKUP_API_BASE_URL = server.url
    settings.LOOKUP_API_USERNAME = "till.one"
    settings.LOOKUP_API_PASSWORD = PASSWORD
    settings.LOOKUP_API_OAUTH_KEY = ""
    settings.LOOKUP_API_OAUTH_SECRET = ""
    settings.LOOKUP_API_TIMEOUT = 2.0
    return settings


@pytest.fixture
def oauth(server, settings):
    settings.LOOKUP_API_BASE_URL = server.url
    settings.LOOKUP_API_USERNAME = ""
    settings.LOOKUP_API_PASSWORD = ""
    settings.LOOKUP_API_OAUTH_KEY = "client-key"
    settings.LOOKUP_API_OAUTH_SECRET = OAUTH_SECRET
    settings.LOOKUP_API_TIMEOUT = 2.0
    return settings


class TokenIssuer:
    """A fake OAuth backend: numbered tokens, each valid for ttl seconds unless revoked."""

    def __init__(self, server: FaultServer, ttl: float) -> None:
        self.ttl = ttl
        self.issued: dict[str, float] = {}
        self.revoked: set[str] = set()
        server.answer(OAUTH_PATH, self.issue)
        server.answer(LOOKUP_PATH, self.serve)

    def issue(self, request):
        token = f"oauth-token-{len(self.issued) + 1}"
        self.issued[token] = time.monotonic()
        return reply(200, {"data": {"accessToken": token, "ttlSeconds": self.ttl}, "errors": None})

    def serve(self, request):
        token = request.headers.get("X-CAP-API-OAUTH-TOKEN", "")
        issued = self.issued.get(token)
        if issued is None or token in self.revoked or time.monotonic() - issued > self.ttl:
            return errors(401, 0, "Invalid token", request_id="req-401")
        return reply(200, CUSTOMER, request_id=f"req-ok-{self.issued_number(token)}")

    @staticmethod
    def issued_number(token: str) -> str:
        return token.rsplit("-", 1)[1]


def timed(call):
    started = time.monotonic()
    try:
        call()
    except Exception as error:
        return error, time.monotonic() - started
    raise AssertionError("the call did not raise")


def test_basic_authorization_sends_the_md5_hex_of_the_password():
    """Basic auth is base64(username:md5hex(password)); md5("password") is well known."""
    header = basic_authorization("store123", "password")

    assert (
        header
        == "Basic " + base64.b64encode(b"store123:5f4dcc3b5aa765d61d8327deb882cf99").decode()
    )


def test_it_looks_up_a_customer_with_basic_auth_and_returns_the_request_id(server, basic):
    """A lookup sends the query and credentials and returns the parsed customer and request id."""
    server.on(LOOKUP_PATH, reply(200, CUSTOMER, request_id="req-123"))

    response = get_client().lookup(query(embed="mlp,points", gapToUpgrade="30"))

    assert response.customer.id == 17742
    assert (response.status, response.attempts, response.request_id) == (200, 1, "req-123")
    assert response.latency_ms > 0
    [seen] = server.requests_to(LOOKUP_PATH)
    assert seen.headers["Authorization"] == basic_authorization("till.one", PASSWORD)
    assert seen.headers["Accept"] == "application/json"
    assert seen.query == {
        "source": ["INSTORE"],
        "identifierName": ["mobile"],
        "identifierValue": [MOBILE],
        "embed": ["mlp,points"],
        "gapToUpgrade": ["30"],
    }


def test_it_reads_the_newer_request_id_header_case_insensitively(server, basic):
    """The request id also arrives as x-cap-request-id, in any case."""
    server.on(LOOKUP_PATH, reply(200, CUSTOMER, headers={"x-CAP-request-ID": "req-new"}))

    assert get_client().lookup(query()).request_id == "req-new"


def test_get_customer_calls_the_by_id_path_with_the_query_options_but_no_identifiers(
    server, basic
):
    """By id, the query contributes source, accountId, embed and flags, never identifiers."""
    server.on("/v2/customers/17742", reply(200, CUSTOMER, request_id="req-id"))
    options = query(source="WECHAT", accountId="22232", embed="mlp", includedFraudDetails="on")

    response = get_client().get_customer("17742", options)

    assert response.customer.id == 17742
    [seen] = server.requests_to("/v2/customers/17742")
    assert seen.query == {
        "source": ["WECHAT"],
        "accountId": ["22232"],
        "embed": ["mlp"],
        "includedFraudDetails": ["true"],
    }


def test_get_customer_sends_only_the_sources_and_embeds_the_by_id_reference_lists(server, basic):
    """Capillary's by-id reference takes INSTORE, MARTJACK, WECHAT, LINE or ALL, a shorter embed
    list and no gaps: a lookup's MOBILE_APP query is asked as ALL, and alternateCurrencies,
    customerStatus, cardLoyaltyDetails and the gap days are not sent."""
    server.on("/v2/customers/17742", reply(200, CUSTOMER))
    options = query(
        source="MOBILE_APP",
        accountId="mapp-01",
        embed="mlp,points,alternateCurrencies,customerStatus,cardLoyaltyDetails,segments",
        gapToUpgrade="30",
        gapToRenew="90",
    )

    get_client().get_customer("17742", options)

    [seen] = server.requests_to("/v2/customers/17742")
    assert seen.query == {"source": ["ALL"], "embed": ["mlp,points,segments"]}


def test_it_refuses_a_query_without_identifiers_before_calling(server, basic):
    """A lookup needs at least one identifier; nothing is sent without one."""
    with pytest.raises(InvalidQuery):
        get_client().lookup(LookupQuery(source="INSTORE"))
    assert server.seen == []


def test_a_response_slower_than_the_timeout_is_unavailable_after_one_attempt(server, basic):
    """A read timeout is not retried (the backend may still be working) and ends in time."""
    basic.LOOKUP_API_TIMEOUT = 0.5
    server.on(LOOKUP_PATH, reply(200, CUSTOMER, request_id="req-slow", delay=3))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.attempts, error.request_id, error.status_code) == (1, "", None)
    assert elapsed < 2.5
    assert len(server.requests_to(LOOKUP_PATH)) == 1


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers-and-body"])
def test_a_trickled_answer_ends_within_twice_the_timeout(server, basic, headers_too):
    """A backend sending one byte every 0.2 s never lets a single read wait for the 1 s
    timeout, yet the call ends as too slow within twice the timeout, its budget."""
    basic.LOOKUP_API_TIMEOUT = 1.0
    server.on(LOOKUP_PATH, trickled(200, CUSTOMER, every=0.2, headers_too=headers_too))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert error.message == "The lookup service took too long to answer."
    assert elapsed < 2 * 1.0 + 0.3
    assert len(server.requests_to(LOOKUP_PATH)) == 1


@pytest.mark.parametrize("depth", [200_000, 900], ids=["past-recursion-limit", "deep"])
def test_json_nested_too_deep_is_a_bad_response(server, basic, depth):
    """JSON deeper than Python's recursion limit, or far deeper than a customer document, is
    a BadResponse with the request id, not a RecursionError further on."""
    server.on(LOOKUP_PATH, reply(200, nested(depth), request_id="req-deep"))

    with pytest.raises(BadResponse) as caught:
        get_client().lookup(query())

    assert caught.value.request_id == "req-deep"


def test_a_refused_connection_is_retried_then_unavailable(basic):
    """Connection refused is retried up to three attempts, within the time budget."""
    basic.LOOKUP_API_BASE_URL = refused_url()

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.attempts, error.request_id) == (3, "")
    assert elapsed < 4


def test_a_reset_connection_is_retried_then_unavailable(server, basic):
    """A connection reset without an answer is retried, then reported as unavailable."""
    server.on(LOOKUP_PATH, reset())

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.attempts, error.request_id) == (3, "")
    assert len(server.requests_to(LOOKUP_PATH)) == 3
    assert elapsed < 4


def test_a_reset_followed_by_an_answer_succeeds_on_the_second_attempt(server, basic):
    """One reset costs one retry, and the answer's request id is returned."""
    server.on(LOOKUP_PATH, reset(), reply(200, CUSTOMER, request_id="req-after-reset"))

    response = get_client().lookup(query())

    assert (response.attempts, response.request_id) == (2, "req-after-reset")


def test_a_500_is_not_retried_and_carries_its_request_id(server, basic):
    """A 500 is reported at once as unavailable, with the backend's code and request id."""
    server.on(LOOKUP_PATH, errors(500, 9999, "Internal error", request_id="req-500"))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.status_code, error.code, error.request_id, error.attempts) == (
        500,
        9999,
        "req-500",
        1,
    )
    assert elapsed < 2


def test_502_then_503_then_success_takes_three_attempts(server, basic):
    """502 and 503 are retried with backoff; the last answer's request id is returned."""
    server.on(
        LOOKUP_PATH,
        reply(502, b"<html>Bad gateway</html>", request_id="req-502"),
        errors(503, 4001, "Authorization status unavailable", request_id="req-503"),
        reply(200, CUSTOMER, request_id="req-200"),
    )

    started = time.monotonic()
    response = get_client().lookup(query())

    assert (response.attempts, response.request_id, response.customer.id) == (3, "req-200", 17742)
    assert time.monotonic() - started < 4


def test_a_503_that_persists_is_unavailable_with_the_last_request_id_and_code(server, basic):
    """After three 503s the caller learns it is unavailable, with code 4001 and the request id."""
    server.on(
        LOOKUP_PATH,
        errors(503, 4001, "Authorization status unavailable", request_id="req-503"),
    )

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.status_code, error.code, error.request_id, error.attempts) == (
        503,
        4001,
        "req-503",
        3,
    )
    assert elapsed < 4


def test_a_429_with_a_short_retry_after_is_waited_for_then_succeeds(server, basic):
    """Retry-After is honoured: the second attempt comes after the wait the backend asked for."""
    server.on(
        LOOKUP_PATH,
        reply(429, {}, request_id="req-429", headers={"Retry-After": "1"}),
        reply(200, CUSTOMER, request_id="req-200"),
    )

    started = time.monotonic()
    response = get_client().lookup(query())
    elapsed = time.monotonic() - started

    assert (response.attempts, response.request_id) == (2, "req-200")
    assert 0.9 < elapsed < 4


def test_a_429_with_a_long_retry_after_is_rate_limited_at_once(server, basic):
    """A Retry-After beyond the limit is not waited for: RateLimited carries it to the caller."""
    server.on(LOOKUP_PATH, reply(429, {}, request_id="req-429", headers={"Retry-After": "120"}))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, RateLimited)
    assert (error.status_code, error.request_id, error.attempts, error.retry_after) == (
        429,
        "req-429",
        1,
        120.0,
    )
    assert elapsed < 1


def test_a_503_with_retry_after_is_waited_for_then_succeeds(server, basic):
    """The contract asks to honour Retry-After on 503 too: the retry waits the second asked."""
    server.on(
        LOOKUP_PATH,
        errors(503, 4001, "Authorization status unavailable", headers={"Retry-After": "1"}),
        reply(200, CUSTOMER, request_id="req-200"),
    )

    started = time.monotonic()
    response = get_client().lookup(query())

    assert (response.attempts, response.request_id) == (2, "req-200")
    assert time.monotonic() - started >= 0.9


def test_a_503_asking_for_a_long_wait_is_unavailable_without_retrying(server, basic):
    """A Retry-After beyond the client's patience ends the call: no retries into it."""
    server.on(
        LOOKUP_PATH,
        errors(503, 4001, "Authorization status unavailable", headers={"Retry-After": "120"}),
    )

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.status_code, error.attempts) == (503, 1)
    assert len(server.requests_to(LOOKUP_PATH)) == 1


def test_malformed_json_is_a_bad_response(server, basic):
    """A 200 whose body is not JSON is a bad response, not a crash."""
    server.on(LOOKUP_PATH, reply(200, b"<html>maintenance</html>", request_id="req-html"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert (error.status_code, error.request_id, error.attempts) == (200, "req-html", 1)


def test_json_cut_off_mid_document_is_a_bad_response(server, basic):
    """A body shorter than its Content-Length (the connection dropped) is a bad response."""
    body = b'{"id": 17742, "profiles": [{"firstName": "Pri'
    server.on(LOOKUP_PATH, reply(200, body, request_id="req-cut", content_length=len(body) + 500))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert (error.request_id, error.attempts) == ("req-cut", 1)
    assert elapsed < 3


def test_truncated_json_with_an_honest_length_is_a_bad_response(server, basic):
    """A complete HTTP body holding half a JSON document is a bad response."""
    server.on(LOOKUP_PATH, reply(200, b'{"id": 17742, "profiles": [', request_id="req-half"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert error.request_id == "req-half"


def test_a_body_declared_too_large_is_refused_without_reading_it(server, basic):
    """A Content-Length over the cap is refused before the body is read."""
    server.on(
        LOOKUP_PATH,
        reply(200, b"{}", request_id="req-big", content_length=MAX_BODY_BYTES + 1),
    )

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert (error.request_id, error.attempts) == ("req-big", 1)
    assert elapsed < 3


def test_a_streamed_body_over_the_cap_is_cut_off_and_refused(server, basic):
    """A body with no length that grows past the cap stops being read at the cap."""
    server.on(LOOKUP_PATH, streamed(200, 2 * MAX_BODY_BYTES, request_id="req-stream"))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert (error.request_id, error.attempts) == ("req-stream", 1)
    assert elapsed < 3


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (200, 8015, CustomerNotFound),
        (400, 8015, CustomerNotFound),
        (200, 8065, CustomerNotFound),
        (200, 8069, CustomerMerged),
        (400, 8013, InvalidRequest),
        (400, 8003, InvalidRequest),
        (400, 11013, InvalidRequest),
        (400, 8045, InvalidRequest),
        (200, 618, NotAllowed),
        (403, 4000, NotAllowed),
        (200, 1044, NotAllowed),
        (461, 0, BackendUnavailable),
        (521, 0, BackendUnavailable),
    ],
)
def test_backend_error_codes_map_onto_the_exception_tree(server, basic, status, code, kind):
    """The backend code decides the exception (also inside a 2xx), then the HTTP status."""
    server.on(LOOKUP_PATH, errors(status, code, "Backend says no", request_id="req-err"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert type(error) is kind
    assert (error.status_code, error.request_id, error.attempts) == (status, "req-err", 1)
    assert error.code == code
    assert error.message == "Backend says no"


def test_not_found_8015_carries_the_three_documented_reasons(server, basic):
    """A page can list why 8015 happens: wrong identifier, dual eligibility, missing accountId
    (the error carries the code; the pages' table has the reasons)."""
    server.on(LOOKUP_PATH, errors(200, 8015, "Customer not found for the given identifiers"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, CustomerNotFound) and error.code == 8015
    reasons = not_found_reasons(error)
    assert len(reasons) == 3
    assert any("account id" in reason for reason in reasons)


def test_a_customer_deleted_after_a_pii_request_is_not_found(server, basic):
    """The documented "deleted after PII delete request" message is a not-found."""
    server.on(LOOKUP_PATH, errors(200, 8999, "Customer is deleted after PII delete request"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, CustomerNotFound)


def test_a_rejected_password_is_not_allowed_and_not_retried(server, basic):
    """A 401 with Basic auth is not retried: the same password would fail again."""
    server.on(LOOKUP_PATH, errors(401, 0, "Authentication failed", request_id="req-401"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, NotAllowed)
    assert (error.status_code, error.request_id, error.attempts) == (401, "req-401", 1)


@pytest.mark.parametrize("body", [[1, 2], {"unexpected": True}, "text"])
def test_a_document_of_the_wrong_shape_is_a_bad_response(server, basic, body):
    """A 200 that is JSON but not a customer document is a bad response."""
    server.on(LOOKUP_PATH, reply(200, body, request_id="req-shape"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert error.request_id == "req-shape"


def test_a_redirect_is_not_followed(server, basic):
    """Credentials never follow a redirect; the caller is told the address is wrong."""
    server.on(LOOKUP_PATH, reply(302, b"", headers={"Location": server.url + "/elsewhere"}))
    server.on("/elsewhere", reply(200, CUSTOMER))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BadResponse)
    assert server.requests_to("/elsewhere") == []


def test_oauth_sends_the_token_header_and_no_basic_credentials(server, oauth):
    """OAuth fetches a token with key and secret once, then sends it as X-CAP-API-OAUTH-TOKEN."""
    TokenIssuer(server, ttl=300)

    first = get_client().lookup(query())
    second = get_client().lookup(query())

    assert (first.attempts, second.attempts) == (1, 1)
    [token_request] = server.requests_to(OAUTH_PATH)
    assert token_request.method == "POST"
    assert b'"secret": "' + OAUTH_SECRET.encode() in token_request.body
    for seen in server.requests_to(LOOKUP_PATH):
        assert seen.headers["X-CAP-API-OAUTH-TOKEN"] == "oauth-token-1"
        assert "Authorization" not in seen.headers


def test_a_401_renews_the_token_once_and_succeeds(server, oauth):
    """A revoked token is answered by 401: the client renews it once and retries."""
    issuer = TokenIssuer(server, ttl=300)
    get_client().lookup(query())
    issuer.revoked.add("oauth-token-1")

    started = time.monotonic()
    response = get_client().lookup(query())

    assert (response.attempts, response.request_id) == (2, "req-ok-2")
    assert len(server.requests_to(OAUTH_PATH)) == 2
    assert time.monotonic() - started < 4


def test_a_401_after_renewal_is_not_allowed(server, oauth):
    """If the fresh token is refused too, the client stops: NotAllowed after two attempts."""
    TokenIssuer(server, ttl=300)
    server.on(LOOKUP_PATH, errors(401, 0, "Invalid token", request_id="req-401"))

    error, elapsed = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, NotAllowed)
    assert (error.status_code, error.request_id, error.attempts) == (401, "req-401", 2)
    assert len(server.requests_to(OAUTH_PATH)) == 2
    assert elapsed < 4


def test_a_token_is_renewed_before_it_expires_during_use(server, oauth):
    """A token near the end of its ttl is replaced before use, so no call meets a 401.

    With a ttl of 2 s the client renews after 1.6 s (a fifth early); at 1.75 s the issuer would
    still take the old token, so a second token request shows the renewal came early."""
    TokenIssuer(server, ttl=2)
    get_client().lookup(query())
    time.sleep(1.75)

    response = get_client().lookup(query())

    assert (response.attempts, response.request_id) == (1, "req-ok-2")
    assert len(server.requests_to(OAUTH_PATH)) == 2
    assert len(server.requests_to(LOOKUP_PATH)) == 2


def test_the_token_is_shared_across_threads_and_client_instances(server, oauth):
    """Concurrent lookups and a rebuilt client share one token: it is fetched once."""
    TokenIssuer(server, ttl=300)
    client = get_client()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(client.lookup(query()))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    oauth.LOOKUP_API_TIMEOUT = 3.0
    rebuilt = get_client()
    rebuilt.lookup(query())

    assert rebuilt is not client
    assert len(results) == 8
    assert len(server.requests_to(OAUTH_PATH)) == 1


def test_a_refused_oauth_secret_is_not_allowed(server, oauth):
    """Wrong OAuth credentials surface as NotAllowed, and no lookup is sent."""
    server.on(OAUTH_PATH, errors(401, 0, "Invalid client", request_id="req-oauth"))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, NotAllowed)
    assert error.request_id == "req-oauth"
    assert server.requests_to(LOOKUP_PATH) == []


def test_a_real_backend_without_credentials_is_a_configuration_error(basic):
    """Pointing at a backend with no credentials fails loudly, before any call."""
    basic.LOOKUP_API_USERNAME = ""
    basic.LOOKUP_API_PASSWORD = ""

    with pytest.raises(ConfigurationError):
        get_client()


def test_get_client_is_one_instance_until_its_settings_change(server, basic):
    """The client (and its connection pool) is reused, and rebuilt when settings change."""
    first = get_client()
    assert get_client() is first

    basic.LOOKUP_API_TIMEOUT = 5.0

    assert get_client() is not first
    assert get_client().timeout == 5.0


@pytest.fixture
def client_log(caplog):
    """Capture the client's logger directly (the customers logger does not propagate)."""
    logger = logging.getLogger("customers.capillary")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="customers.capillary")
    yield caplog
    logger.removeHandler(caplog.handler)


def test_log_lines_carry_the_call_but_no_identifier_password_or_token(server, oauth, client_log):
    """Each call is logged with masked identifiers and its request id, never secrets."""
    TokenIssuer(server, ttl=300)
    get_client().lookup(query(identifierName="mobile,email", identifierValue=f"+{MOBILE},{EMAIL}"))
    server.on(LOOKUP_PATH, errors(200, 8015, "Customer not found", request_id="req-nf"))
    with pytest.raises(CustomerNotFound):
        get_client().lookup(query(identifierName="email", identifierValue=EMAIL))

    text = client_log.text
    assert "req-ok-1" in text
    assert "req-nf" in text
    assert "0001" in text
    assert "CustomerNotFound" in text
    for secret in (MOBILE, EMAIL, "priya", OAUTH_SECRET, "oauth-token-1"):
        assert secret not in text


def test_basic_auth_log_lines_never_show_the_password_or_its_digest(server, basic, client_log):
    """The Basic credentials (password, md5, header) never reach the log."""
    server.on(LOOKUP_PATH, reply(503, b"", request_id="req-503"))

    with pytest.raises(BackendUnavailable):
        get_client().lookup(query())

    header = basic_authorization("till.one", PASSWORD)
    text = client_log.text
    assert "req-503" in text
    for secret in (PASSWORD, header, header.split()[1], MOBILE):
        assert secret not in text


@pytest.fixture
def sandbox(settings):
    """The embedded sandbox, seeded with its showcase members."""
    from customers.sandbox.seeding import seed

    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_LATENCY_MS = 0
    settings.LOOKUP_API_USERNAME = ""
    settings.LOOKUP_API_PASSWORD = ""
    settings.LOOKUP_API_OAUTH_KEY = ""
    settings.LOOKUP_API_OAUTH_SECRET = ""
    settings.LOOKUP_API_TIMEOUT = 5.0
    seed()
    return settings


@pytest.fixture
def over_http(sandbox, live_server):
    """The sandbox reached over real HTTP through the live server, with Basic credentials."""
    sandbox.LOOKUP_API_BASE_URL = live_server.url + "/sandbox"
    sandbox.LOOKUP_API_USERNAME = sandbox.SANDBOX_USERNAME
    sandbox.LOOKUP_API_PASSWORD = sandbox.SANDBOX_PASSWORD
    return sandbox


@pytest.mark.django_db
def test_without_a_base_url_it_asks_the_embedded_sandbox_in_process(sandbox):
    """An empty LOOKUP_API_BASE_URL means the sandbox, answered without any socket."""
    sandbox.LOOKUP_API_BASE_URL = ""

    response = get_client().lookup(query(identifierValue="919999000001", embed="mlp"))

    assert response.customer.id == 5000001
    assert (response.status, response.attempts) == (200, 1)
    assert len(response.request_id) == 32


@pytest.mark.django_db
def test_a_sandbox_slower_than_the_timeout_is_unavailable(sandbox):
    """The in-process sandbox honours the read timeout like a real backend."""
    sandbox.LOOKUP_API_BASE_URL = ""
    sandbox.LOOKUP_API_TIMEOUT = 0.3
    sandbox.SANDBOX_LATENCY_MS = 2000

    error, elapsed = timed(lambda: get_client().lookup(query(identifierValue="919999000001")))

    assert isinstance(error, BackendUnavailable)
    assert error.attempts == 1
    assert elapsed < 2


@pytest.mark.django_db(transaction=True)
def test_it_looks_up_a_sandbox_member_over_http_from_what_an_agent_typed(over_http):
    """A mobile typed with spaces and a plus finds the member through the live server."""
    typed = LookupQuery.from_params(
        {
            "source": ["INSTORE"],
            "identifierName": ["mobile"],
            "identifierValue": ["+91 99990 00001"],
            "embed": ["mlp", "points"],
            "gapToUpgrade": ["30"],
        }
    )

    response = get_client().lookup(typed)

    assert response.customer.id == 5000001
    assert response.customer.programs
    assert (response.status, response.attempts) == (200, 1)
    assert len(response.request_id) == 32


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_answers_8015_when_the_primary_identifier_is_missing(over_http):
    """With dual eligibility, a shared email alone is not found (8015 inside HTTP 200)."""
    shared_email = query(identifierName="email", identifierValue="gupta.family@sandbox.example")

    error, _ = timed(lambda: get_client().lookup(shared_email))

    assert isinstance(error, CustomerNotFound)
    assert (error.status_code, error.code, error.attempts) == (200, 8015, 1)
    assert len(error.request_id) == 32


@pytest.mark.django_db(transaction=True)
def test_a_merge_victim_is_merged_by_id_and_its_survivor_by_lookup(over_http):
    """By id a merged customer is 8069; the lookup returns the survivor with warning 91009."""
    error, _ = timed(lambda: get_client().get_customer("5000008"))
    survivor = get_client().lookup(query(identifierValue="919999000008"))

    assert isinstance(error, CustomerMerged)
    assert error.code == 8069
    assert survivor.customer.id == 5000009
    assert [warning.code for warning in survivor.customer.warnings] == [91009]


@pytest.mark.django_db(transaction=True)
def test_it_authenticates_to_the_sandbox_with_oauth_over_http(over_http):
    """The OAuth flow works end to end against the sandbox's token endpoint."""
    over_http.LOOKUP_API_USERNAME = ""
    over_http.LOOKUP_API_PASSWORD = ""
    over_http.LOOKUP_API_OAUTH_KEY = over_http.SANDBOX_USERNAME
    over_http.LOOKUP_API_OAUTH_SECRET = over_http.SANDBOX_PASSWORD

    first = get_client().get_customer("5000001", query())
    second = get_client().get_customer("5000001", query())

    assert first.customer.id == second.customer.id == 5000001
    assert (first.attempts, second.attempts) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_not_allowed_by_the_sandbox(over_http):
    """The sandbox refuses a wrong Basic password with 401, and the client says NotAllowed."""
    over_http.LOOKUP_API_PASSWORD = "not-the-password"

    error, _ = timed(lambda: get_client().lookup(query(identifierValue="919999000001")))

    assert isinstance(error, NotAllowed)
    assert (error.status_code, error.attempts) == (401, 1)


def test_a_base_url_without_a_scheme_is_a_configuration_error_with_oauth_too(oauth):
    """The token request meets the mistyped URL first; it is still reported as configuration."""
    oauth.LOOKUP_API_BASE_URL = "api.example.invalid"

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, ConfigurationError)


def test_a_retry_after_that_is_not_a_number_is_ignored(server, basic):
    """A Retry-After of odd digits ("²") is not a wait the client can honour; no crash."""
    server.on(LOOKUP_PATH, reply(429, {}, request_id="req-429", headers={"Retry-After": "²"}))

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, RateLimited)
    assert error.request_id == "req-429"


def test_a_base_url_without_a_scheme_is_a_configuration_error(basic):
    """A mistyped LOOKUP_API_BASE_URL is reported as configuration, not as an outage."""
    basic.LOOKUP_API_BASE_URL = "api.example.invalid"

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, ConfigurationError)
    assert error.attempts == 1


def test_an_error_after_a_retry_reports_the_last_attempt_not_an_earlier_one(server, basic):
    """A 503 then a reset ends unavailable without the 503's status or request id."""
    server.on(LOOKUP_PATH, reply(503, b"", request_id="req-503"), reset())

    error, _ = timed(lambda: get_client().lookup(query()))

    assert isinstance(error, BackendUnavailable)
    assert (error.status_code, error.request_id, error.attempts) == (None, "", 3)


def test_the_boundary_masks_what_it_logs_with_what_the_app_lends_it(monkeypatch):
    """customers.capillary imports nothing of the app: its log lines mask identifiers with the
    masking the app lends at start-up, and hide them whole until it does."""
    from customers.capillary import client

    params = {"identifierName": "mobile", "identifierValue": "919999000001"}
    assert client.masked_params(params)["identifierValue"] == "91******0001"

    monkeypatch.setattr(client, "_hooks", client.Hooks())
    assert client.masked_params(params)["identifierValue"] == "************"


def test_without_a_base_url_or_an_embedded_backend_the_client_says_what_to_set(
    monkeypatch, settings
):
    from customers.capillary import ConfigurationError, client

    settings.LOOKUP_API_BASE_URL = ""
    monkeypatch.setattr(client, "_hooks", client.Hooks())
    monkeypatch.setattr(client, "_client", None)

    with pytest.raises(ConfigurationError, match=r"customers\.sandbox"):
        client.get_client()
