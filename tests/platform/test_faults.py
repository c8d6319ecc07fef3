"""Fault tests with real processes: PostgreSQL restarted under load, Redis stopped and started,
the backend flapping. The app recovers each time without being restarted, and nothing is
lost: every answer that showed member data has its audit entry, and none has two.

PostgreSQL and Redis here are the test's own (`tests.clusters`), never the machine's shared
ones. What each shared part does when it fails (the README's operations section):

- PostgreSQL (audit trail, users, sessions without Redis): fails closed. An audit entry that
  cannot be written means the member data is not shown: the request ends in the 500 page.
- Redis (sessions, rate limits, the sign-in throttle, cached answers): fails closed. Who is
  signed in and how many lookups they made cannot be known, so nothing is shown.
- The circuit breaker's state (in the cache): fails open. The breaker only saves waiting; when
  it cannot be read, calls go ahead, bounded by the client's deadline.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests

from tests import clusters, instances
from tests.documents import complete_document
from tests.faultserver import FaultServer, Seen, errors, reply
from tests.platform.test_support_floor import lookup_path

pytestmark = pytest.mark.services

TIMEOUT = 20


@pytest.fixture(scope="module")
def cluster() -> Iterator[clusters.Postgres]:
    reason = clusters.unavailable()
    if reason:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
        pytest.skip(reason)
    with clusters.postgres() as own:
        yield own


def database(cluster: clusters.Postgres, name: str) -> str:
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Load:
    """Lookups sent by one signed-in agent from two threads, each answer recorded."""

    base_url: str
    session: requests.Session
    # (what the agent saw, the app's request id): "member" (the redirect to its page),
    # "sign-in" (sent to the login page), or the HTTP status of any other answer.
    answers: list[tuple[str, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    # Members looked up in turn (the sandbox's one member when empty), as agents look up
    # different people: the breaker counts each member's failures once.
    mobiles: tuple[str, ...] = ()

    def _path(self) -> str:
        if not self.mobiles:
            return lookup_path()
        return lookup_path(self.mobiles[len(self.answers) % len(self.mobiles)])

    def run_while(self, faults: Callable[[], None], *, seconds: float) -> None:
        """Sends lookups for `seconds` while `faults` does its damage, in this thread."""
        threads = [threading.Thread(target=self._loop) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            started = time.monotonic()
            faults()
            time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(timeout=60)
        self._stop.clear()

    def one(self) -> str:
        try:
            response = self.session.get(
                self.base_url + self._path(),
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException:
            self.answers.append(("no answer", ""))
            return "no answer"
        location = response.headers.get("Location", "")
        seen = (
            "member"
            if location.startswith("/customers/")
            else "sign-in"
            if location.startswith("/accounts/login/")
            else str(response.status_code)
        )
        self.answers.append((seen, response.headers.get("X-Request-ID", "")))
        return seen

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.one()

    def seen(self) -> set[str]:
        return {seen for seen, _ in self.answers}

    def shown(self) -> list[str]:
        """The request ids of the answers that showed a member (the redirect to its page)."""
        return [request_id for seen, request_id in self.answers if seen == "member"]


def audit_entries(database_url: str) -> list[tuple[str, str, str]]:
    """The lookups' entries (signing in has entries of its own)."""
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT app_request_id, outcome, detail FROM customers_auditentry "
            "WHERE action = 'lookup'"
        ).fetchall()


def assert_nothing_lost(load: Load, database_url: str) -> list[tuple[str, str, str]]:
    """Every answer that showed a member has exactly one entry, "found"; no request has two."""
    entries = audit_entries(database_url)
    by_request = {}
    for request_id, outcome, detail in entries:
        assert request_id not in by_request, f"two entries for request {request_id}"
        by_request[request_id] = (outcome, detail)
    shown = load.shown()
    assert shown
    for request_id in shown:
        assert by_request[request_id][0] == "found"
    return entries


def wait_healthy(base_url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base_url + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the instance did not become healthy again")


def app_env(workdir: Path, database_url: str, **values: str) -> dict[str, str]:
    return instances.instance_env(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        STATIC_ROOT=str(workdir / "static"),
        LOOKUP_RATE_LIMIT="100000/h",
        **values,
    )


def test_a_postgresql_restart_under_load_loses_no_entry_and_needs_no_app_restart(
    cluster, tmp_path
):
    """PostgreSQL restarts (fast shutdown: every connection cut) while an agent looks members
    up: requests during the gap fail (500) and show nothing; every member shown has its entry;
    once PostgreSQL is back, the same session looks up again, on the same app processes."""
    url = database(cluster, "restart")
    env = app_env(tmp_path, url)
    instances.prepare(env, members=5)
    with instances.gunicorn(env, tmp_path, name="pg", workers=2, threads=4) as server:
        pids = set(server.worker_pids())
        load = Load(server.url, instances.login(server.url, "agent"))

        def restart() -> None:
            time.sleep(1.5)
            cluster.restart()

        load.run_while(restart, seconds=6)
        wait_healthy(server.url)
        after = [load.one() for _ in range(5)]
        same_processes = set(server.worker_pids()) == pids

    assert after == ["member"] * 5
    assert same_processes
    assert load.seen() <= {"member", "500"}
    assert_nothing_lost(load, url)


def test_redis_stopped_and_started_under_load_loses_no_entry(cluster, tmp_path):
    """Redis (sessions, rate limits) stops for two seconds: requests then fail closed (500,
    nothing shown) and /healthz names the cache; once it is back the same session works again
    (Redis keeps an append-only file), with no app restart and every member shown audited."""
    url = database(cluster, "redis")
    with clusters.redis_server(tmp_path) as own_redis:
        env = app_env(tmp_path, url, REDIS_URL=own_redis.url)
        instances.prepare(env, members=5)
        with instances.gunicorn(env, tmp_path, name="redis", workers=2, threads=4) as server:
            load = Load(server.url, instances.login(server.url, "agent"))
            health: list[int] = []

            def outage() -> None:
                time.sleep(1.5)
                own_redis.stop()
                time.sleep(0.5)
                health.append(requests.get(server.url + "/healthz", timeout=TIMEOUT).status_code)
                time.sleep(1.5)
                own_redis.start()

            load.run_while(outage, seconds=6)
            wait_healthy(server.url)
            after = [load.one() for _ in range(5)]

    assert health == [503]
    assert after == ["member"] * 5
    assert load.seen() - {"member"}
    assert load.seen() <= {"member", "sign-in", "500"}
    assert_nothing_lost(load, url)


def test_a_flapping_backend_opens_and_closes_the_breaker_and_every_request_is_audited(
    cluster, tmp_path
):
    """The backend alternates between answering and failing every half second: each lookup is
    a member or a 503 page (never a 500), the breaker spares the backend some calls, every
    request has exactly one entry, and once the backend is steady lookups succeed again."""
    flapping = threading.Event()
    flapping.set()

    def answer(request: Seen):
        if flapping.is_set() and int(time.monotonic() * 2) % 2:
            return errors(500, 0, "Internal error", request_id="req-down")
        return reply(200, complete_document(), request_id="req-up")

    url = database(cluster, "flapping")
    with ExitStack() as stack:
        backend = FaultServer()
        stack.callback(backend.close)
        backend.answer("/v2/customers/lookup/customerDetails", answer)
        env = app_env(
            tmp_path,
            url,
            LOOKUP_API_BASE_URL=backend.url,
            LOOKUP_API_USERNAME="till.one",
            LOOKUP_API_PASSWORD="till-password",
            LOOKUP_API_TIMEOUT="1",
            LOOKUP_BREAKER_FAILURES="3",
            LOOKUP_BREAKER_SECONDS="1",
            SANDBOX_ENABLED="false",
        )
        instances.prepare(env, members=1)
        server = stack.enter_context(
            instances.gunicorn(env, tmp_path, name="flap", workers=2, threads=4)
        )
        load = Load(
            server.url,
            instances.login(server.url, "agent"),
            mobiles=tuple(f"9198000000{n:02d}" for n in range(10)),
        )
        load.run_while(lambda: None, seconds=6)
        flapping.clear()
        time.sleep(1.5)  # past the cool-down
        after = [load.one() for _ in range(5)]
        sent = len(backend.requests_to("/v2/customers/lookup/customerDetails"))

    assert after == ["member"] * 5
    assert load.seen() == {"member", "503"}
    entries = assert_nothing_lost(load, url)
    answered = [request_id for _, request_id in load.answers]
    assert sorted(e[0] for e in entries) == sorted(answered)
    refused = [e for e in entries if e[2] == "CircuitOpen"]
    assert refused
    assert sent <= len(answered) - len(refused)
