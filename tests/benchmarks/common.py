"""What the benchmarks share: percentiles, tables, the machine, a clock around a request."""

import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

import django
import requests

from tests import instances


def setup_django() -> None:
    """Django in the benchmark process itself, for the app's own query and auth helpers.

    The process only builds values with them; the instances under test are separate processes.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lookupsite.settings")
    os.environ.setdefault("SECRET_KEY", instances.SECRET_KEY)
    django.setup()


def require_services() -> None:
    reason = instances.services_unavailable()
    if reason:
        sys.exit(f"The benchmarks need PostgreSQL and Redis on 127.0.0.1: {reason}")


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {model}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def timed(call: Callable[[], requests.Response], expect: int = 200) -> float:
    """Milliseconds the call took; fails loudly on an unexpected status."""
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != expect:
        raise RuntimeError(
            f"{response.request.method} {response.request.path_url.split('?')[0]} answered "
            f"{response.status_code}, expected {expect}."
        )
    return elapsed


def p(samples: Sequence[float], percent: int) -> float:
    """The percent-th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered)) - 1))]


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table; numbers right-aligned."""
    cells = [[str(h) for h in headers], *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if i else value.ljust(width)
            for i, (value, width) in enumerate(zip(row, widths, strict=True))
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([f"\n{title}", rule, line(cells[0]), rule, *map(line, cells[1:]), rule])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


SANDBOX_USER, SANDBOX_PASSWORD = "sandbox.till", "sandbox-password"


def sandbox_backend(
    stack: ExitStack, workdir: str, name: str, *, latency_ms: int = 0, threads: int = 4
) -> tuple[instances.Gunicorn, dict[str, str]]:
    """The sandbox as its own gunicorn instance, standing in for Capillary, on a PostgreSQL and
    a Redis database of the benchmark's own (closed with `stack`); returns it and the
    environment of an app instance that calls it."""
    database = stack.enter_context(instances.postgres_database(f"{name}_{os.getpid()}"))
    cache = stack.enter_context(instances.redis_database())
    common = {
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": cache,
        "STATIC_ROOT": str(Path(workdir) / "static"),
        "SANDBOX_USERNAME": SANDBOX_USER,
        "SANDBOX_PASSWORD": SANDBOX_PASSWORD,
    }
    backend_env = instances.instance_env(
        **common,
        LOOKUP_API_BASE_URL="",
        SANDBOX_ENABLED="true",
        SANDBOX_LATENCY_MS=str(latency_ms),
    )
    instances.prepare(backend_env, members=50)
    backend = stack.enter_context(
        instances.gunicorn(backend_env, Path(workdir), name="sandbox", workers=2, threads=threads)
    )
    app_env = instances.instance_env(
        **common,
        LOOKUP_API_BASE_URL=f"{backend.url}/sandbox",
        LOOKUP_API_USERNAME=SANDBOX_USER,
        LOOKUP_API_PASSWORD=SANDBOX_PASSWORD,
        SANDBOX_ENABLED="false",
        LOOKUP_RATE_LIMIT="off",
    )
    return backend, app_env
