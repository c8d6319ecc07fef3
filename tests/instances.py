"""Real app instances on loopback, for the scale-out test and the benchmarks.

A PostgreSQL database and a Redis database of their own, manage.py in a subprocess, gunicorn
processes started with the project's gunicorn.conf.py, and logged-in `requests` sessions:
the app driven from outside, as a deployment runs it.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
import requests
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Redis databases these helpers may take (0 and 1 belong to development and the CI test run).
REDIS_DATABASES = range(2, 16)
# The key a run sets in the Redis database it takes (the app's keys have the prefix "lookup").
REDIS_CLAIM = "tests:instances:claimed-by"
# Only for these throwaway instances; never a real deployment's key.
SECRET_KEY = "instances-only-not-secret-4c1f9e7a2b8d6350e1f7a9c3b5d2e8f0"
TIMEOUT = 10
# The demo accounts `manage.py demo_users` creates, one per role.
DEMO_PASSWORD = "demo-{}-2026"


def services_unavailable() -> str | None:
    """Why PostgreSQL or Redis on 127.0.0.1 cannot be used, or None when both answer."""
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) is unreachable: {error}"
    try:
        _redis(0).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_HOST}:{REDIS_PORT} is unreachable: {error}"
    return None


def _redis(number: int) -> redis.Redis:
    return redis.Redis(
        host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=3, socket_connect_timeout=3
    )


def _maintenance(statement: sql.Composable) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def create_database(name: str) -> str:
    """A new, empty PostgreSQL database `name` (replacing one of that name); returns its URL."""
    drop_database(name)
    _maintenance(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{POSTGRES}/{name}"


def drop_database(name: str) -> None:
    # FORCE ends the connections gunicorn's threads may still hold.
    _maintenance(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A new PostgreSQL database for the duration of the block; yields its URL."""
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


@contextmanager
def redis_database() -> Iterator[str]:
    """An empty Redis database for the duration of the block, flushed at its end.

    Only an empty database is taken, so a run never flushes data that is someone else's, and
    it is claimed at once with a key of its own (SET NX): two runs that find one empty at the
    same moment do not both take it (the instances may write nothing for a while, and the first
    run to end would flush the other's sessions).
    """
    for number in REDIS_DATABASES:
        client = _redis(number)
        if client.dbsize() == 0 and client.set(REDIS_CLAIM, os.getpid(), nx=True):
            try:
                yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}"
            finally:
                client.flushdb()
            return
    raise RuntimeError(f"No empty Redis database among {list(REDIS_DATABASES)}.")


def instance_env(**values: str) -> dict[str, str]:
    """The environment of an instance: production mode (DEBUG off), plus `values`.

    Only a few variables are inherited, so the developer's shell cannot change what is tested.
    """
    inherited = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "lookupsite.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "LOG_FORMAT": "json",
        # The tests sign in as the demo accounts, which production refuses by default.
        "DEMO_ACCOUNTS": "true",
        **values,
    }


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """Runs `manage.py args` with `env`; returns its output, raises with it on failure."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def prepare(env: dict[str, str], *, members: int = 20) -> None:
    """Migrates, collects static files, seeds the sandbox and creates the demo users."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "seed_sandbox", "--members", str(members))
    # demo_users refuses to run with DEBUG off: known passwords are for throwaway databases.
    manage({**env, "DEBUG": "true"}, "demo_users")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """A running gunicorn master with its workers."""

    process: subprocess.Popen
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        return [pid for pid in _pids() if _parent_of(pid) == self.process.pid]

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def stop(self, graceful: bool = False) -> None:
        """Quick shutdown (SIGINT), or with `graceful` the one systemd asks for (SIGTERM: the
        requests in flight finish); the whole process group is killed if it takes too long."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
            try:
                self.process.wait(timeout=40 if graceful else 15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


@contextmanager
def gunicorn(
    env: dict[str, str],
    log_dir: Path,
    *,
    name: str,
    workers: int | None = 2,
    threads: int | None = 4,
) -> Iterator[Gunicorn]:
    """A gunicorn instance of the app on a free loopback port, stopped at the end.

    `workers` or `threads` None leaves that to gunicorn.conf.py (and its environment variables).
    """
    port = free_port()
    log_path = log_dir / f"gunicorn-{name}-{port}.log"
    command = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}"]
    if workers is not None:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    command.append("lookupsite.wsgi")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Gunicorn(process, f"http://127.0.0.1:{port}", log_path)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def login(
    base_url: str,
    username: str,
    password: str | None = None,
    *,
    session: requests.Session | None = None,
) -> requests.Session:
    """A `requests` session signed in through the login form (a demo user by default); pass
    `session` to sign in one set up already (a certificate to trust, an address to use)."""
    session = session or requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=TIMEOUT)
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("The login page has no CSRF token.")
    response = session.post(
        f"{base_url}/accounts/login/",
        data={
            "username": username,
            "password": DEMO_PASSWORD.format(username) if password is None else password,
            "csrfmiddlewaretoken": token.group(1),
        },
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"Signing in as {username} answered {response.status_code}.")
    return session


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB; PSS shares the pages workers share by fork."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    pss = rss
    if rollup.exists():
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup.read_text(), re.M).group(1))
    return rss, pss


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
