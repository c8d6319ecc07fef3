"""Two gunicorn instances on one PostgreSQL and one Redis agree: the scale-out path.

The instances run as a deployment runs them (DEBUG off, collected static files, the project's
gunicorn.conf.py) on a database and a Redis database of the test's own, and are driven over
real HTTP. Needs PostgreSQL (user postgres, trust auth) and Redis on 127.0.0.1; skipped when
they are unreachable, failed instead when REQUIRE_SERVICES is set.
"""

import json
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from tests import instances

pytestmark = pytest.mark.services

# A generated sandbox member (seed_sandbox numbers them from 6000001, mobiles from 917000000000).
MOBILE = "917000000000"
CUSTOMER_ID = "6000001"
LOOKUP = "/lookup/?" + urlencode(
    {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
)
TIMEOUT = instances.TIMEOUT


@dataclass(frozen=True)
class Pair:
    a: instances.Gunicorn
    b: instances.Gunicorn


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    reason = instances.services_unavailable()
    if reason:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
        pytest.skip(reason)
    workdir: Path = tmp_path_factory.mktemp("scaleout")
    with ExitStack() as stack:
        database = stack.enter_context(
            instances.postgres_database(f"lookup_scaleout_{os.getpid()}")
        )
        cache = stack.enter_context(instances.redis_database())
        env = instances.instance_env(
            DATABASE_URL=database,
            DATABASE_CONN_MAX_AGE="60",
            REDIS_URL=cache,
            STATIC_ROOT=str(workdir / "static"),
            LOOKUP_API_BASE_URL="",
            SANDBOX_ENABLED="true",
            LOOKUP_RATE_LIMIT="3/d",
        )
        instances.prepare(env, members=5)
        a = stack.enter_context(instances.gunicorn(env, workdir, name="a"))
        b = stack.enter_context(instances.gunicorn(env, workdir, name="b"))
        yield Pair(a, b)


def test_a_lookup_on_one_instance_is_in_the_audit_list_on_the_other(pair: Pair):
    """An agent's lookup and page on A appear, masked, in the auditor's audit list on B."""
    agent = instances.login(pair.a.url, "agent")
    lookup = agent.get(pair.a.url + LOOKUP, timeout=TIMEOUT, allow_redirects=False)
    assert lookup.status_code == 303
    assert lookup.headers["Location"] == f"/customers/{CUSTOMER_ID}/"
    page = agent.get(pair.a.url + lookup.headers["Location"], timeout=TIMEOUT)
    assert page.status_code == 200

    auditor = instances.login(pair.b.url, "auditor")
    # Searched by the app request id A gave the lookup: the very entry A wrote.
    found = auditor.get(
        f"{pair.b.url}/admin/customers/auditentry/",
        params={"q": lookup.headers["X-Request-ID"]},
        timeout=TIMEOUT,
    )
    assert found.status_code == 200
    assert CUSTOMER_ID in found.text
    assert "agent" in found.text
    assert MOBILE not in found.text
    history = auditor.get(f"{pair.b.url}/customers/{CUSTOMER_ID}/history/", timeout=TIMEOUT)
    assert history.status_code == 200
    assert "agent" in history.text


def test_a_session_made_on_one_instance_works_on_the_other(pair: Pair):
    """The session cookie A sets signs the user in on B too; without it B asks to sign in."""
    manager = instances.login(pair.a.url, "manager")
    on_b = requests.Session()
    on_b.cookies.set("sessionid", manager.cookies["sessionid"])
    signed_in = on_b.get(pair.b.url + "/", timeout=TIMEOUT, allow_redirects=False)
    assert signed_in.status_code == 200
    anonymous = requests.get(pair.b.url + "/", timeout=TIMEOUT, allow_redirects=False)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")


def test_the_lookup_rate_limit_is_counted_across_instances(pair: Pair, one_rate_window):
    """With a limit of 3 lookups, three on A leave none for the same user on B."""
    one_rate_window("3/d")
    on_a = instances.login(pair.a.url, "admin")
    on_b = instances.login(pair.b.url, "admin")
    for _ in range(3):
        allowed = on_a.get(pair.a.url + LOOKUP, timeout=TIMEOUT, allow_redirects=False)
        assert allowed.status_code == 303
    refused = on_b.get(pair.b.url + LOOKUP, timeout=TIMEOUT, allow_redirects=False)
    assert refused.status_code == 429


def test_the_access_log_has_the_path_and_request_id_but_never_the_query_string(pair: Pair):
    """gunicorn's access line for a lookup is JSON with method, path, status, duration and the
    request id; the identifier in the query string is nowhere in the instance's output."""
    agent = instances.login(pair.a.url, "agent")
    lookup = agent.get(pair.a.url + LOOKUP, timeout=TIMEOUT, allow_redirects=False)
    request_id = lookup.headers["X-Request-ID"]
    line = _access_line(pair.a, request_id)
    assert line["method"] == "GET"
    assert line["path"] == "/lookup/"
    assert line["status"] == lookup.status_code
    assert line["duration_ms"] >= 0
    assert MOBILE not in pair.a.log()
    assert MOBILE not in pair.b.log()


def test_a_load_balancer_sees_both_instances_healthy(pair: Pair):
    for server in (pair.a, pair.b):
        response = requests.get(server.url + "/healthz", timeout=TIMEOUT)
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "breaker": "closed",
        }


def test_an_instance_that_lost_postgresql_and_redis_reports_both(tmp_path: Path):
    """Started on a database that does not exist and a Redis port nobody listens on: it still
    starts, answers 503 naming both, and the passwords in their URLs reach neither the answer
    nor the log."""
    reason = instances.services_unavailable()
    if reason:
        pytest.skip(reason)
    env = instances.instance_env(
        DATABASE_URL=f"postgres://postgres:db-password-7@127.0.0.1:5432/missing_{os.getpid()}",
        REDIS_URL=f"redis://:cache-password-7@127.0.0.1:{instances.free_port()}/0",
        STATIC_ROOT=str(tmp_path / "static"),
        SANDBOX_ENABLED="false",
        LOOKUP_API_BASE_URL="http://127.0.0.1:9/",
    )
    instances.manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    with instances.gunicorn(env, tmp_path, name="broken", workers=1, threads=2) as server:
        response = requests.get(server.url + "/healthz", timeout=TIMEOUT)
        log = server.log()

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "unavailable",
        "breaker": "unknown",
    }
    request_id = response.headers["X-Request-ID"]
    [line] = [
        json.loads(text)
        for text in log.splitlines()
        if f"the database is unavailable request_id={request_id}" in text
    ]
    assert "OperationalError" in line["exception"]  # the cause, in the JSON line
    for secret in ("db-password-7", "cache-password-7"):
        assert secret not in response.text
        assert secret not in log


def _access_line(server: instances.Gunicorn, request_id: str) -> dict:
    # gunicorn writes the line just after the response: allow it a moment.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for text in server.log().splitlines():
            if request_id in text and text.startswith("{"):
                line = json.loads(text)
                if line.get("request_id") == request_id:
                    return line
        time.sleep(0.1)
    raise AssertionError(f"No access line with request id {request_id}.")
