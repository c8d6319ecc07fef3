"""A small real HTTP server on 127.0.0.1 that misbehaves on purpose, for the client's tests.

Each path gets a script: a list of actions played one per request (the last one repeats), or a
function of the request returning an action. Every request is recorded, so a test can count the
attempts the client really made and read the headers it really sent.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Action = Callable[[BaseHTTPRequestHandler], None]


def reply(
    status: int,
    body: Any = None,
    *,
    request_id: str = "",
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
    delay: float = 0.0,
) -> Action:
    """Answer with a JSON document (or raw bytes), optionally late or with a lying length."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()

    def act(handler: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header(
            "Content-Length", str(len(payload) if content_length is None else content_length)
        )
        if request_id:
            handler.send_header("X-Cap-Requestid", request_id)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)
        handler.wfile.flush()
        if content_length is not None and content_length != len(payload):
            handler.close_connection = True
            # The client may already have given up on the short body and closed its end.
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)

    return act


def errors(status: int, code: int, message: str, *, request_id: str = "", **kwargs) -> Action:
    """Capillary's error envelope."""
    body = {"warnings": [], "errors": [{"status": False, "code": code, "message": message}]}
    return reply(status, body, request_id=request_id, **kwargs)


def reset() -> Action:
    """Read the request, then drop the connection with a TCP reset and no answer."""

    def act(handler: BaseHTTPRequestHandler) -> None:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
        handler.connection.close()

    return act


def streamed(status: int, total_bytes: int, *, request_id: str = "") -> Action:
    """A body of total_bytes sent in chunks without announcing its length up front."""

    def act(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        if request_id:
            handler.send_header("X-Cap-Requestid", request_id)
        handler.end_headers()
        chunk = b" " * 65536
        sent = 0
        try:
            while sent < total_bytes:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client stopped reading, as it should
        handler.close_connection = True

    return act


def trickled(status: int, body: Any, *, every: float, headers_too: bool = False) -> Action:
    """Answer one byte at a time, `every` seconds apart: the body, or the whole answer with its
    status line and headers, so no single read ever waits as long as a read timeout."""
    payload = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nX-Cap-Requestid: req-trickle\r\n\r\n"
    ).encode()

    def act(handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        slow = head + payload if headers_too else payload
        if not headers_too:
            handler.wfile.write(head)
        try:
            for index in range(len(slow)):
                handler.wfile.write(slow[index : index + 1])
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client gave up, as it should

    return act


def nested(depth: int) -> bytes:
    """A JSON body `depth` arrays deep inside a customer-like object."""
    return b'{"id": 1, "profiles": ' + b"[" * depth + b"]" * depth + b"}"


@dataclass
class FaultServer:
    scripts: dict[str, list[Action] | Callable[[Seen], Action]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                url = urlsplit(self.path)
                request = Seen(
                    self.command,
                    url.path,
                    parse_qs(url.query, keep_blank_values=True),
                    dict(self.headers.items()),
                    self.rfile.read(length) if length else b"",
                )
                server.seen.append(request)
                server.action_for(request)(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output free of request lines

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def on(self, path: str, *actions: Action) -> None:
        """Play these actions on path, one per request; the last one repeats."""
        self.scripts[path] = list(actions)

    def answer(self, path: str, decide: Callable[[Seen], Action]) -> None:
        """Let a function of each request choose the action (for stateful fakes)."""
        self.scripts[path] = decide

    def action_for(self, request: Seen) -> Action:
        script = self.scripts.get(request.path)
        if script is None:
            return errors(404, 0, "no script for this path")
        if not isinstance(script, list):
            return script(request)
        return script.pop(0) if len(script) > 1 else script[0]

    def requests_to(self, path: str) -> list[Seen]:
        return [request for request in self.seen if request.path == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def refused_url() -> str:
    """A loopback URL where nothing listens, so connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
