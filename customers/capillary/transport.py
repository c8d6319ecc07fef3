"""A requests transport adapter that answers calls with a function in this process.

The embedded sandbox is served this way when LOOKUP_API_BASE_URL is unset: the client's code
path is the production one (session, auth, timeouts, errors, logs) with no socket. The function
is plain Python, never Django's request handler, whose request_started/finished signals would
close the calling request's database connection.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

# (method, path below the base URL, query parameters, headers, body) -> (status, headers, body)
Responder = Callable[
    [str, str, dict[str, str], dict[str, str], bytes], tuple[int, dict[str, str], bytes]
]


def _timeout_seconds(timeout: object) -> float | None:
    """The read budget from requests' timeout argument (a number or a (connect, read) pair)."""
    if isinstance(timeout, tuple):
        timeout = timeout[1] if len(timeout) > 1 else timeout[0]
    return float(timeout) if isinstance(timeout, int | float) else None


class LocalAdapter(BaseAdapter):
    """Mounted on `base_url`; `latency()` seconds are waited before each answer, and a latency
    over the call's read timeout ends it as a read timeout, as a slow server would."""

    def __init__(
        self, base_url: str, respond: Responder, latency: Callable[[], float] = lambda: 0.0
    ) -> None:
        super().__init__()
        self.root = urlsplit(base_url).path
        self.respond = respond
        self.latency = latency

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: object = None,
        verify: object = True,
        cert: object = None,
        proxies: object = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        path = url.path[len(self.root) :] if url.path.startswith(self.root) else url.path
        latency = self.latency()
        budget = _timeout_seconds(timeout)
        if budget is not None and latency > budget:
            time.sleep(budget)
            raise requests.ReadTimeout(f"no answer within {budget}s", request=request)
        time.sleep(latency)
        body = request.body or b""
        status, headers, content = self.respond(
            request.method or "GET",
            path or "/",
            dict(parse_qsl(url.query, keep_blank_values=True)),
            {name: str(value) for name, value in request.headers.items()},
            body.encode() if isinstance(body, str) else bytes(body),  # type: ignore[arg-type]
        )
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response._content_consumed = True
        response.reason = "OK" if status < 400 else "Error"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release: no sockets are opened."""
