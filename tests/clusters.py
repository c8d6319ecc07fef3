"""A PostgreSQL cluster and a Redis server of a test's own, to stop and start at will.

The machine's PostgreSQL and Redis are shared (other runs, other developers): a fault test
never restarts them. It starts its own instead, on free loopback ports in a temporary
directory, with the same binaries (`initdb`/`pg_ctl` of PostgreSQL's installation,
`redis-server`), and removes them at the end.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

from tests.instances import free_port


def postgres_bin() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


def unavailable() -> str | None:
    """Why a cluster or a Redis of our own cannot be started here, or None."""
    if postgres_bin() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres user to run PostgreSQL as"
    return None


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Postgres:
    directory: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        self._ctl("-o", options, "-l", str(self.directory / "log"), "-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """A fast restart: every connection is cut, as in a failover or a crash."""
        self.stop()
        self.start()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url, connect_timeout=2).close()
                return
            except psycopg.Error:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


@contextmanager
def postgres() -> Iterator[Postgres]:
    """A fresh cluster (trust auth, user postgres) on a free port, removed at the end. Its
    directory is straight under the temporary directory: pytest's are root's alone, and the
    postgres user must reach it."""
    directory = Path(tempfile.mkdtemp(prefix="lookup-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    bin_dir = postgres_bin()
    assert bin_dir is not None
    subprocess.run(
        _as_postgres(
            [str(bin_dir / "initdb"), "-D", str(directory / "data"), "-U", "postgres",
             "--auth=trust", "--no-sync"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    cluster = Postgres(directory, free_port(), bin_dir)
    cluster.start()
    try:
        cluster.wait_ready()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Redis:
    directory: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Redis with an append-only file, as the README asks of a deployment: what it held
        (sessions) survives a restart."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@contextmanager
def redis_server(workdir: Path) -> Iterator[Redis]:
    directory = workdir / "redis"
    directory.mkdir()
    server = Redis(directory, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
