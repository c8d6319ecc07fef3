"""A requests transport adapter that serves the sandbox in-process.

The lookup client mounts `SandboxAdapter` on SANDBOX_BASE_URL when LOOKUP_API_BASE_URL is unset,
so one process needs no network call to itself. It calls the same `api.respond()` as the HTTP
views and never runs Django's request handler: that handler's request_started/finished signals
would close the calling request's database connection.
"""

import io
import time
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .api import enabled, latency_seconds, respond

SANDBOX_BASE_URL = "http://sandbox.invalid/sandbox"


def _timeout_seconds(timeout: object) -> float | None:
    """The read budget from requests' timeout argument (a number or a (connect, read) pair)."""
    if isinstance(timeout, tuple):
        timeout = timeout[1] if len(timeout) > 1 else timeout[0]
    return float(timeout) if isinstance(timeout, int | float) else None


class SandboxAdapter(BaseAdapter):
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
        root = urlsplit(SANDBOX_BASE_URL).path
        path = url.path[len(root) :] if url.path.startswith(root) else url.path
        latency = latency_seconds()
        budget = _timeout_seconds(timeout)
        if budget is not None and latency > budget:
            time.sleep(budget)
            raise requests.ReadTimeout(f"sandbox did not answer within {budget}s", request=request)
        time.sleep(latency)
        if enabled():
            body = request.body or b""
            if isinstance(body, str):
                body = body.encode()
            status, headers, content = respond(
                request.method or "GET",
                path or "/",
                dict(parse_qsl(url.query, keep_blank_values=True)),
                dict(request.headers),
                body,
            )
        else:
            status, headers, content = 404, {"Content-Type": "text/plain"}, b"Not Found"
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
