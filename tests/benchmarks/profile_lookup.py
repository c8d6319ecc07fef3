"""Profile: where one lookup followed to its page spends its time, in the app's own process.

The sandbox runs as its own gunicorn instance (no added latency) on a PostgreSQL and a Redis
database of the profile's own, and the app runs in this process on the same database and cache,
through Django's whole request handler (every middleware, CSRF checks on), under cProfile. Each
round is what a browser does: the search form's POST (answered 303) and the page it lands on;
then a cached re-open of the page and GET /healthz for comparison. It prints the time per
request by part (the parts overlap: the backend call includes parsing its answer), the database
queries and cache commands each request makes, and the functions that take the most time.

    python -m tests.benchmarks.profile_lookup [--rounds 300] [--top 25] [--cpu] [--times-only]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tests import instances
from tests.benchmarks.common import machine, require_services, sandbox_backend, table

ROOT = Path(__file__).resolve().parents[2]
MOBILE = "917000000000"  # the first generated sandbox member
SEARCH = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}

# (label, module path fragment, function name): the cumulative time of these, per request.
PARTS: tuple[tuple[str, str, str], ...] = (
    ("whole request (Django's handler)", "django/core/handlers/base.py", "get_response"),
    ("backend call, its answer read", "customers/capillary/client.py", "_request"),
    ("customer document parsed to records", "customers/capillary/records.py", "from_json"),
    ("session loaded", "django/contrib/sessions/backends/base.py", "_get_session"),
    ("session saved", "django/contrib/sessions/middleware.py", "process_response"),
    ("user loaded", "django/contrib/auth/__init__.py", "get_user"),
    ("permissions checked", "django/contrib/auth/models.py", "has_perm"),
    ("CSRF checked", "django/middleware/csrf.py", "process_view"),
    ("answer kept in / read from the cache", "customers/lookup/services.py", "_entry"),
    ("audit entry written", "customers/models.py", "log_action"),
    ("page rendered", "django/shortcuts.py", "render"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--cpu", action="store_true", help="profile CPU time only (steadier on a busy machine)"
    )
    parser.add_argument(
        "--times-only", action="store_true", help="no profiler: wall times and round trips"
    )
    args = parser.parse_args()
    require_services()
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        _backend, app_env = sandbox_backend(stack, workdir, "lookup_profile")
        os.environ.update(app_env, ALLOWED_HOSTS="testserver")
        profile(args)


def profile(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.login(username="agent", password=instances.DEMO_PASSWORD.format("agent"))
    client.get("/")
    token = client.cookies["csrftoken"].value

    def lookup() -> Any:
        response = client.post("/lookup/", {**SEARCH, "csrfmiddlewaretoken": token})
        assert response.status_code == 303, response.status_code
        return response

    landing = lookup()["Location"]

    def page() -> None:
        assert client.get(landing).status_code == 200

    def reopen() -> None:
        assert client.get(landing).status_code == 200

    anonymous = Client()

    def health() -> None:
        assert anonymous.get("/healthz").status_code == 200

    requests = {"lookup (POST, 303)": lookup, "the page it lands on": page}
    others = {"cached re-open of the page": reopen, "GET /healthz": health}
    for _ in range(20):
        lookup(), page(), reopen(), health()

    counts: dict[str, Counter[str]] = {}
    timings: dict[str, list[float]] = {name: [] for name in (*requests, *others)}
    profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    with counting(connection, counts, "db"), counting_cache(counts):
        for _ in range(args.rounds):
            for name, request in requests.items():
                counts["current"] = Counter({name: 1})
                if not args.times_only:
                    profiler.enable()
                timings[name].append(_timed(request))
                profiler.disable()
            for name, request in others.items():
                counts["current"] = Counter({name: 1})
                timings[name].append(_timed(request))
    per_round = args.rounds

    print(
        table(
            f"Wall time per request, median of {args.rounds} (in process: no HTTP server)",
            ["request", "ms", "database queries", "cache commands"],
            [
                [
                    name,
                    sorted(values)[len(values) // 2],
                    counts.get(f"db:{name}", Counter()).total() / args.rounds,
                    counts.get(f"cache:{name}", Counter()).total() / args.rounds,
                ]
                for name, values in timings.items()
            ],
        )
    )
    if args.times_only:
        return
    stats = pstats.Stats(profiler)
    print(
        table(
            "Where the lookup and its page spend it (ms per round of both, under cProfile; "
            "parts overlap)",
            ["part", "ms"],
            [[label, _cumulative(stats, path, name) / per_round] for label, path, name in PARTS],
        )
    )
    for kind in ("db", "cache"):
        for name in (*requests, *others):
            shown = counts.get(f"{kind}:{name}", Counter())
            print(f"\n{kind} per request, {name}:")
            for statement, number in shown.most_common(12):
                print(f"  {number / args.rounds:5.1f}  {statement[:110]}")
    for title, column in (("own", 2), ("cumulative", 3)):
        print(f"\nTop {args.top} functions by {title} time (ms per round):")
        rows = sorted(stats.stats.items(), key=lambda item: item[1][column], reverse=True)
        for (path, line, name), (_cc, _nc, own, cumulative, _callers) in rows[: args.top]:
            where = path.split("site-packages/")[-1].split(str(ROOT) + "/")[-1]
            print(
                f"  {own * 1000 / per_round:6.2f} own {cumulative * 1000 / per_round:7.2f} cum"
                f"  {where}:{line} {name}"
            )


def _timed(request: Callable[[], object]) -> float:
    started = time.perf_counter()
    request()
    return (time.perf_counter() - started) * 1000


def _cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    """Milliseconds spent in (and under) functions `name` of files ending in `path`; nested
    calls of the same function are counted once by cProfile's cumulative time."""
    return 1000 * sum(
        values[3]
        for (file, _line, function), values in stats.stats.items()
        if file.endswith(path) and function == name
    )


@contextmanager
def counting(connection: Any, counts: dict[str, Counter[str]], kind: str):
    """Counts each SQL statement under the request being timed."""

    def wrapper(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        current = next(iter(counts["current"]), "")
        counts.setdefault(f"{kind}:{current}", Counter())[_shape(sql)] += 1
        return execute(sql, params, many, context)

    counts["current"] = Counter()
    with connection.execute_wrapper(wrapper):
        yield


@contextmanager
def counting_cache(counts: dict[str, Counter[str]]):
    """Counts each Redis command under the request being timed."""
    from django.core.cache import cache

    client_class = type(cache._cache)
    originals = {}
    for method in ("get", "set", "add", "delete", "incr", "get_many", "touch", "has_key"):
        original = getattr(client_class, method, None)
        if original is None:
            continue
        originals[method] = original

        def counted(self: Any, *args: Any, _method: str = method, **kwargs: Any) -> Any:
            current = next(iter(counts["current"]), "")
            # The key's kind, without the prefix, version and per-user or random parts.
            key = ":".join(str(args[0]).split(":")[2:4]) if args else ""
            key = re.sub(r"[0-9a-z]{16,}|:\d+$", "…", key)
            counts.setdefault(f"cache:{current}", Counter())[f"{_method} {key}"] += 1
            return originals[_method](self, *args, **kwargs)

        setattr(client_class, method, counted)
    try:
        yield
    finally:
        for method, original in originals.items():
            setattr(client_class, method, original)


def _shape(sql: str) -> str:
    """A statement without its values: SELECT ... FROM "auth_user" WHERE ..."""
    words = sql.split()
    table_index = next((i for i, w in enumerate(words) if w.upper() in {"FROM", "INTO"}), 0)
    return " ".join(words[:1] + words[table_index : table_index + 2])


if __name__ == "__main__":
    main()
