"""One deadline per backend call, enforced on the sockets themselves.

requests' timeouts are per socket operation: a read timeout of 10 s starts again with every
byte, so a backend that trickles its headers or its body a byte at a time holds a thread for as
long as it likes. A `Deadline` ends that: every connection the call uses while the deadline is
active (`with deadline:`) is registered by `DeadlineAdapter`'s connection classes, and when the
deadline passes a timer shuts those sockets down. The blocked read returns at once, requests
raises, and the client, seeing `deadline.expired`, reports the call as too slow.

A connection outlives the call that used it (keep-alive): it answers to the deadline that used
it last, so an old call's timer never shuts a socket another call has since taken from the pool.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_active = threading.local()


class Deadline:
    """`seconds` from now; while active in this thread, its call's sockets close when it ends."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list[HTTPConnection] = []
        self._over = False
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def __enter__(self) -> Deadline:
        self._timer.start()
        _active.deadline = self
        return self

    def __exit__(self, *exc_info: object) -> None:
        _active.deadline = None
        with self._lock:
            self._over = True
            self._connections.clear()
        self._timer.cancel()

    def watch(self, connection: HTTPConnection) -> None:
        """The call is about to send a request on `connection`: it is this deadline's now."""
        with self._lock:
            connection.deadline = self  # type: ignore[attr-defined]
            self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.expired = True
            for connection in self._connections:
                if getattr(connection, "deadline", None) is self:
                    _shut(connection)


def active() -> Deadline | None:
    """The deadline of the call this thread is making, if any."""
    return getattr(_active, "deadline", None)


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        # shutdown, not close: it wakes a read blocked in another thread. The base class's
        # method, so an SSL socket is shut at the TCP level without touching its TLS state.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watched:
    """Registers the connection with the active deadline before each request it sends."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = active()
        if deadline is not None:
            deadline.watch(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]
        if deadline is not None and deadline.expired:
            # It passed while connecting, before there was a socket to shut.
            _shut(self)  # type: ignore[arg-type]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections answer to the active `Deadline`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
