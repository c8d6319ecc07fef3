"""The one place the app talks HTTP to the lookup backend (Capillary's customer API).

`get_client()` returns the process's `LookupClient`: one `requests.Session` with pooled keep-alive
connections, auth from settings (`auth`), a timeout on every call, bounded retries for GETs,
errors mapped onto `exceptions`, and one structured log line per call with identifiers masked.

The package imports nothing of the app: what it needs from it (counting calls in the metrics,
masking identifiers in its log lines, an embedded backend answered in-process) it is lent once
at start-up through `configure()` (customers.apps, customers.sandbox.apps).

Reference: Capillary API docs, "Get Customer Details" (lookup and v2 by id), "Basic
Authentication", "OAuth", "Errors and Warnings".
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

from customers.capillary.auth import OAuthToken, basic_authorization
from customers.capillary.deadline import Deadline, DeadlineAdapter
from customers.capillary.deadline import active as _active
from customers.capillary.exceptions import (
    KNOWN_CODES,
    BackendError,
    BackendUnavailable,
    BadResponse,
    ConfigurationError,
    InvalidQuery,
    NotAllowed,
    RateLimited,
    error_class,
)
from customers.capillary.query import ALL, LookupQuery
from customers.capillary.records import Customer, ShapeError
from customers.capillary.transport import LocalAdapter

logger = logging.getLogger("customers.capillary")


def _count_nothing(endpoint: str, outcome: str, code: int | None, seconds: float) -> None:
    pass


def _hide(name: str, value: str) -> str:
    return "*" * min(len(value), 12)


@dataclass(frozen=True)
class InProcess:
    """A backend answered inside the process through a transport adapter (the embedded sandbox):
    its base URL, the function that answers a request, and the latency it simulates."""

    base_url: str
    respond: Callable[..., Any]
    latency_seconds: Callable[[], float]


@dataclass(frozen=True)
class Hooks:
    """What the app lends the boundary. Until it does: nothing counted, every identifier in a
    log line hidden whole, and no in-process backend."""

    record_call: Callable[[str, str, int | None, float], None] = _count_nothing
    mask_identifier: Callable[[str, str], str] = _hide
    in_process: InProcess | None = None


_hooks = Hooks()


def configure(**hooks: Any) -> None:
    """Lends the boundary what it needs from the app (the fields of `Hooks`); the next
    `get_client()` builds its client with them."""
    global _hooks, _client
    with _client_lock:
        _hooks = replace(_hooks, **hooks)
        _client = None


LOOKUP_PATH = "/v2/customers/lookup/customerDetails"
CUSTOMER_PATH = "/v2/customers/{customer_id}"
OAUTH_PATH = "/v3/oauth/token/generate"

# A customer document is tens of kilobytes; anything far bigger is not one, and is not read.
MAX_BODY_BYTES = 5 * 1024 * 1024
# A customer document nests about eight levels deep. Far deeper JSON is not one, and every
# recursive walk of it (parsing, caching, rendering the raw page) would fail on it.
MAX_JSON_DEPTH = 64
MAX_ATTEMPTS = 3
BACKOFF_BASE_SECONDS = 0.25
BACKOFF_CAP_SECONDS = 2.0
# A Retry-After longer than this is not waited for: the agent gets "rate limited" at once.
MAX_RETRY_AFTER_SECONDS = 5.0
# A 3-second connect timeout outlasts one lost SYN (TCP retransmits after 3 s).
MAX_CONNECT_TIMEOUT_SECONDS = 3.05
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Reference: lookup-api "Errors": 429 and 503 are retried with backoff, honouring Retry-After.
RETRY_AFTER_STATUSES = frozenset({429, 503})
REQUEST_ID_HEADERS = ("X-Cap-Requestid", "X-Cap-Request-Id")
TOO_SLOW = "The lookup service took too long to answer."


@dataclass(frozen=True)
class LookupResponse:
    customer: Customer
    request_id: str
    latency_ms: float
    status: int
    attempts: int


@dataclass
class _Call:
    """What one call did, for its log line and its exception."""

    method: str
    path: str
    params: Mapping[str, str]
    started: float
    # The whole call's deadline: its timer shuts the call's sockets when it passes.
    deadline: Deadline | None = None
    attempts: int = 0
    status: int | None = None
    request_id: str = ""

    @property
    def latency_ms(self) -> float:
        return round((time.monotonic() - self.started) * 1000, 1)


# A base URL requests cannot even send to: a configuration problem, not a backend one.
URL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)
BAD_BASE_URL = "LOOKUP_API_BASE_URL is not a valid http(s) URL."


def masked_params(params: Mapping[str, str]) -> dict[str, str]:
    """The wire parameters as they may be logged: each identifier value masked by its type."""
    shown = dict(params)
    if "identifierValue" in shown:
        names = shown.get("identifierName", "").split(",")
        values = shown["identifierValue"].split(",")
        shown["identifierValue"] = ",".join(
            _hooks.mask_identifier(name, value)
            for name, value in itertools.zip_longest(names, values, fillvalue="")
        )
    return shown


class LookupClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        basic: tuple[str, str] | None = None,
        oauth: tuple[str, str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # The whole call, retries and waits included, so an agent never waits minutes.
        self.budget = 2 * timeout
        self._authorization = basic_authorization(*basic) if basic else ""
        self._oauth = OAuthToken(self.base_url, *oauth) if oauth else None
        if session is None:
            session = requests.Session()
            session.mount(
                self.base_url + "/", DeadlineAdapter(pool_connections=4, pool_maxsize=16)
            )
        session.headers.update({"Accept": "application/json"})
        self.session = session

    def lookup(self, query: LookupQuery) -> LookupResponse:
        """GET /v2/customers/lookup/customerDetails for the query's identifiers."""
        if not query.identifiers:
            raise InvalidQuery({"identifierName": ["Give at least one identifier."]})
        return self._get_customer(LOOKUP_PATH, query.to_params())

    def get_customer(self, customer_id: str, query: LookupQuery | None = None) -> LookupResponse:
        """GET /v2/customers/{id}, with what of the query that call takes (LookupQuery.by_id:
        its sources, embeds and flags; never identifiers or gaps); source ALL without one."""
        customer_id = str(customer_id).strip()
        if not customer_id:
            raise InvalidQuery({"customerId": ["Give a customer id."]})
        sent, _ = (query or LookupQuery(source=ALL)).by_id()
        params = sent.to_params()
        return self._get_customer(
            CUSTOMER_PATH.format(customer_id=quote(customer_id, safe="")), params
        )

    def _get_customer(self, path: str, params: dict[str, str]) -> LookupResponse:
        deadline = Deadline(self.budget)
        call = _Call("GET", path, params, time.monotonic(), deadline=deadline)
        try:
            with deadline:
                response, document = self._request(call)
            errors = document.get("errors")
            if errors:
                # Reference: "Errors and Warnings": a 2xx body with errors is a failure.
                raise _error_for(response.status_code, document, call)
            customer = self._parse_customer(document, call)
        except BackendError as error:
            _log(call, error)
            raise
        _log(call, None)
        return LookupResponse(
            customer=customer,
            request_id=call.request_id,
            latency_ms=call.latency_ms,
            status=response.status_code,
            attempts=call.attempts,
        )

    def _parse_customer(self, document: dict[str, Any], call: _Call) -> Customer:
        try:
            return Customer.from_json(document)
        except ShapeError as error:
            raise _error(
                BadResponse, call, "The customer document had an unexpected shape."
            ) from error

    def _request(self, call: _Call) -> tuple[requests.Response, dict[str, Any]]:
        """Send a GET with retries; return the response and its JSON object, or raise."""
        assert call.deadline is not None
        deadline = call.deadline.at
        renewed = False
        while True:
            call.attempts += 1
            # An error reports the attempt that decided it, not an earlier one.
            call.status, call.request_id = None, ""
            token = self._oauth_token(deadline) if self._oauth else ""
            headers = (
                {"X-CAP-API-OAUTH-TOKEN": token}
                if token
                else {"Authorization": self._authorization}
            )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _error(BackendUnavailable, call, TOO_SLOW)
            try:
                response = self.session.get(
                    self.base_url + call.path,
                    params=call.params,
                    headers=headers,
                    timeout=self._timeouts(remaining),
                    stream=True,
                    # Redirects would carry the OAuth header to wherever they point.
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                self._send_failed(call, deadline, error)
                continue

            call.status = response.status_code
            call.request_id = request_id_of(response)
            if response.status_code == 401 and self._oauth and not renewed:
                # Reference: "OAuth": a token can be revoked before its ttl; renew it once.
                response.close()
                self._oauth.discard(token)
                renewed = True
                continue
            retry_after = (
                _retry_after(response) if response.status_code in RETRY_AFTER_STATUSES else None
            )
            if response.status_code in RETRY_STATUSES:
                wait = self._next_wait(call, deadline, retry_after)
                if wait is not None:
                    response.close()
                    self._sleep(call, wait)
                    continue
            document = _read_json(response, call, deadline)
            if not 200 <= response.status_code < 300:
                raise _error_for(response.status_code, document, call, retry_after=retry_after)
            if not isinstance(document, dict):
                raise _error(BadResponse, call, "The lookup service did not send a JSON object.")
            return response, document

    def _timeouts(self, remaining: float) -> tuple[float, float]:
        """(connect, read) timeouts for one attempt: neither past the lookup's deadline."""
        read = min(self.timeout, remaining)
        return min(MAX_CONNECT_TIMEOUT_SECONDS, read), read

    def _send_failed(self, call: _Call, deadline: float, error: requests.RequestException) -> None:
        """Raise the error a failed send means, or wait before retrying it."""
        if _expired(call):
            # The deadline's timer shut the socket: the backend was too slow, whatever broke.
            raise _error(BackendUnavailable, call, TOO_SLOW) from error
        if isinstance(error, requests.exceptions.SSLError):
            # A refused certificate does not get better by asking again.
            raise _error(
                BackendUnavailable, call, "The lookup service's TLS certificate was refused."
            ) from error
        if isinstance(error, URL_ERRORS):
            raise _error(ConfigurationError, call, BAD_BASE_URL) from error
        if isinstance(error, requests.ConnectTimeout):
            self._retry_or_raise(call, deadline, error, "in time")
        elif isinstance(error, requests.Timeout):
            # A read timeout is not retried: the backend may still be working on the first try.
            raise _error(BackendUnavailable, call, TOO_SLOW) from error
        elif isinstance(error, requests.ConnectionError):
            # GETs are safe to repeat, so a refused or reset connection is tried again.
            self._retry_or_raise(call, deadline, error, "")
        else:
            raise _error(BadResponse, call, "The request to the lookup service failed.") from error

    def _next_wait(self, call: _Call, deadline: float, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None if no retry is left."""
        if call.attempts >= MAX_ATTEMPTS:
            return None
        if retry_after is not None:
            if retry_after > MAX_RETRY_AFTER_SECONDS:
                return None
            wait = retry_after
        else:
            backoff = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (call.attempts - 1))
            # Jitter keeps many workers from retrying in step.
            wait = backoff * random.uniform(0.5, 1.0)
        # Only retry if the next attempt still has time to succeed within the budget.
        if time.monotonic() + wait + min(1.0, self.timeout / 2) > deadline:
            return None
        return wait

    def _retry_or_raise(
        self, call: _Call, deadline: float, error: requests.RequestException, detail: str
    ) -> None:
        """Wait before retrying a failed connection, or raise if no retry is left."""
        wait = self._next_wait(call, deadline, None)
        if wait is None:
            message = f"Could not connect to the lookup service {detail}".strip() + "."
            raise _error(BackendUnavailable, call, message) from error
        self._sleep(call, wait)

    def _sleep(self, call: _Call, wait: float) -> None:
        logger.info(
            "retrying %s %s after attempt=%d status=%s request_id=%s wait_s=%.2f",
            call.method,
            call.path,
            call.attempts,
            call.status if call.status is not None else "-",
            call.request_id or "-",
            wait,
        )
        time.sleep(wait)

    def _oauth_token(self, deadline: float) -> str:
        assert self._oauth is not None
        return self._oauth.get(lambda key, secret: self._fetch_token(key, secret, deadline))

    def _fetch_token(self, key: str, secret: str, deadline: float) -> tuple[str, float]:
        """POST /v3/oauth/token/generate once (a POST is not retried). Reference: "OAuth"."""
        call = _Call("POST", OAUTH_PATH, {}, time.monotonic(), attempts=1, deadline=_active())
        remaining = max(0.1, deadline - call.started)
        try:
            try:
                response = self.session.post(
                    self.base_url + OAUTH_PATH,
                    json={"key": key, "secret": secret},
                    timeout=self._timeouts(remaining),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                if isinstance(error, URL_ERRORS):
                    raise _error(ConfigurationError, call, BAD_BASE_URL) from error
                if _expired(call) or isinstance(error, requests.Timeout):
                    raise _error(
                        BackendUnavailable, call, "The OAuth token request timed out."
                    ) from error
                if isinstance(error, requests.ConnectionError):
                    raise _error(
                        BackendUnavailable, call, "Could not connect to the lookup service."
                    ) from error
                raise
            call.status = response.status_code
            call.request_id = request_id_of(response)
            document = _read_json(response, call, deadline)
            if response.status_code in (401, 403) or (
                200 <= response.status_code < 300
                and isinstance(document, dict)
                and document.get("errors")
            ):
                raise _error(
                    NotAllowed,
                    call,
                    "The lookup service refused the app's OAuth credentials "
                    "(LOOKUP_API_OAUTH_KEY / LOOKUP_API_OAUTH_SECRET).",
                    code=_first_error_code(document),
                )
            if not 200 <= response.status_code < 300:
                raise _error_for(response.status_code, document, call)
            data = document.get("data") if isinstance(document, dict) else None
            token = data.get("accessToken") if isinstance(data, dict) else None
            ttl = data.get("ttlSeconds") if isinstance(data, dict) else None
            if (
                not isinstance(token, str)
                or not token
                or not isinstance(ttl, int | float)
                or ttl <= 0
            ):
                raise _error(
                    BadResponse, call, "The OAuth token response had an unexpected shape."
                )
        except BackendError as error:
            _log(call, error)
            raise
        _log(call, None)
        return token, float(ttl)


def request_id_of(response: requests.Response) -> str:
    """The backend's request id; response headers are case-insensitive already."""
    for header in REQUEST_ID_HEADERS:
        value = response.headers.get(header)
        if value:
            return value.strip()[:200]
    return ""


def _read_json(response: requests.Response, call: _Call, deadline: float) -> Any:
    """Read at most MAX_BODY_BYTES within the time budget and decode it; None if not JSON on an
    error status (the status still says what happened), BadResponse if not JSON on success."""
    ok = 200 <= response.status_code < 300
    try:
        declared = int(response.headers.get("Content-Length", "0"))
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        response.close()
        raise _error(BadResponse, call, "The lookup service's answer was too large to read.")
    body = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                raise _error(
                    BadResponse, call, "The lookup service's answer was too large to read."
                )
            if time.monotonic() > deadline:
                raise _error(BackendUnavailable, call, TOO_SLOW)
    except requests.RequestException as error:
        if _expired(call):
            # The deadline's timer shut the socket under a body that came too slowly.
            raise _error(BackendUnavailable, call, TOO_SLOW) from error
        if isinstance(error, requests.exceptions.ChunkedEncodingError):
            raise _error(BadResponse, call, "The lookup service's answer was cut off.") from error
        if isinstance(error, requests.ConnectionError):
            # requests reports a read timeout while streaming the body as a ConnectionError.
            raise _error(BackendUnavailable, call, TOO_SLOW) from error
        raise _error(
            BadResponse, call, "The lookup service's answer could not be read."
        ) from error
    finally:
        response.close()
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        # RecursionError: JSON nested deeper than Python's recursion limit.
        if ok:
            raise _error(
                BadResponse, call, "The lookup service did not answer with JSON it could read."
            ) from error
        return None
    if _deeper_than(document, MAX_JSON_DEPTH):
        if ok:
            raise _error(BadResponse, call, "The lookup service's answer was nested too deeply.")
        return None
    return document


def _expired(call: _Call) -> bool:
    return call.deadline is not None and call.deadline.expired


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether JSON nests more than `limit` objects or arrays deep (walked without recursion)."""
    stack = [(document, 1)] if isinstance(document, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _first_error(document: Any) -> dict[str, Any]:
    """The first error with a code we know, else the first error, from the error envelope."""
    errors = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(errors, list):
        return {}
    items = [e for e in errors if isinstance(e, dict)]
    for item in items:
        if _code(item) in KNOWN_CODES:
            return item
    return items[0] if items else {}


def _first_error_code(document: Any) -> int | None:
    return _code(_first_error(document))


def _code(item: Mapping[str, Any]) -> int | None:
    try:
        return int(item["code"])
    except (KeyError, TypeError, ValueError):
        return None


def _error_for(
    status: int, document: Any, call: _Call, *, retry_after: float | None = None
) -> BackendError:
    """Map a backend failure onto the exception tree (`error_class`)."""
    item = _first_error(document)
    code = _code(item)
    message = item["message"] if isinstance(item.get("message"), str) else ""
    kind = error_class(status, code, message, has_body=document is not None)
    if kind is BadResponse and not message:
        message = (
            "The lookup service address did not answer as the API (check LOOKUP_API_BASE_URL)."
        )
    if kind is RateLimited:
        return _error(kind, call, message[:500], code=code, retry_after=retry_after)
    return _error(kind, call, message[:500], code=code)


def _error(
    kind: type[BackendError], call: _Call, message: str = "", **kwargs: Any
) -> BackendError:
    return kind(
        message,
        status_code=call.status,
        request_id=call.request_id,
        attempts=call.attempts,
        **kwargs,
    )


def _log(call: _Call, error: BackendError | None) -> None:
    """One line per call: enough to trace it, nothing that identifies a person or authenticates;
    and the call counted in the metrics."""
    endpoint = {LOOKUP_PATH: "lookup", OAUTH_PATH: "oauth"}.get(call.path, "customer")
    _hooks.record_call(
        endpoint,
        type(error).__name__ if error else "ok",
        error.code if error else None,
        time.monotonic() - call.started,
    )
    fields = {
        "method": call.method,
        "path": call.path,
        "params": masked_params(call.params),
        "status": call.status,
        "code": error.code if error else None,
        "error": type(error).__name__ if error else None,
        "latency_ms": call.latency_ms,
        "attempts": call.attempts,
        "request_id": call.request_id,
    }
    logger.log(
        logging.WARNING if error else logging.INFO,
        "%s %s params=%s status=%s code=%s error=%s latency_ms=%s attempts=%s request_id=%s",
        call.method,
        call.path,
        json.dumps(fields["params"], separators=(",", ":")),
        fields["status"] if fields["status"] is not None else "-",
        fields["code"] if fields["code"] is not None else "-",
        fields["error"] or "-",
        fields["latency_ms"],
        fields["attempts"],
        fields["request_id"] or "-",
        extra={"lookup_call": fields},
    )


_client_lock = threading.Lock()
_client: tuple[tuple[Any, ...], LookupClient] | None = None


def get_client() -> LookupClient:
    """The process's client, rebuilt when the settings it depends on change."""
    global _client
    key = (
        settings.LOOKUP_API_BASE_URL,
        settings.LOOKUP_API_USERNAME,
        settings.LOOKUP_API_PASSWORD,
        settings.LOOKUP_API_OAUTH_KEY,
        settings.LOOKUP_API_OAUTH_SECRET,
        settings.LOOKUP_API_TIMEOUT,
        settings.SANDBOX_USERNAME,
        settings.SANDBOX_PASSWORD,
    )
    with _client_lock:
        if _client is None or _client[0] != key:
            _client = (key, _build_client())
        return _client[1]


def _build_client() -> LookupClient:
    timeout = float(settings.LOOKUP_API_TIMEOUT)
    if not settings.LOOKUP_API_BASE_URL:
        # The embedded sandbox, answered in-process by a transport adapter: no socket, no server.
        backend = _hooks.in_process
        if backend is None:
            raise ConfigurationError(
                "LOOKUP_API_BASE_URL is unset and no embedded backend is installed: set it, or "
                "add customers.sandbox to INSTALLED_APPS."
            )
        session = requests.Session()
        session.mount(
            backend.base_url,
            LocalAdapter(backend.base_url, backend.respond, backend.latency_seconds),
        )
        return LookupClient(
            backend.base_url,
            timeout=timeout,
            basic=(settings.SANDBOX_USERNAME, settings.SANDBOX_PASSWORD),
            session=session,
        )
    if settings.LOOKUP_API_OAUTH_KEY and settings.LOOKUP_API_OAUTH_SECRET:
        return LookupClient(
            settings.LOOKUP_API_BASE_URL,
            timeout=timeout,
            oauth=(settings.LOOKUP_API_OAUTH_KEY, settings.LOOKUP_API_OAUTH_SECRET),
        )
    if settings.LOOKUP_API_USERNAME and settings.LOOKUP_API_PASSWORD:
        return LookupClient(
            settings.LOOKUP_API_BASE_URL,
            timeout=timeout,
            basic=(settings.LOOKUP_API_USERNAME, settings.LOOKUP_API_PASSWORD),
        )
    raise ConfigurationError(
        "LOOKUP_API_BASE_URL is set but no credentials are: set LOOKUP_API_USERNAME and "
        "LOOKUP_API_PASSWORD (Basic) or LOOKUP_API_OAUTH_KEY and LOOKUP_API_OAUTH_SECRET (OAuth)."
    )
