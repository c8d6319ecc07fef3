"""Benchmark: the app's overhead over the backend, throughput under concurrency, memory.

The sandbox runs as its own gunicorn instance with SANDBOX_LATENCY_MS (50 ms by default), and
the app as another instance pointed at it through LOOKUP_API_BASE_URL, both on a PostgreSQL
database and a Redis database of the benchmark's own. Everything is on loopback.

1. Overhead: p50/p95 of a lookup (the search form's POST) followed to the customer page (the
   303 and the page timed apart), against a direct call to the sandbox with the same query,
   measured side by side; the cached re-open of the page; and GET /healthz, what one bare
   request costs. The headline is the overhead in units of that bare request.
2. Throughput: wrk with 32 connections posting the search (one backend call each, redirects
   not followed), against the ideal of connections / backend latency; errors counted; the CPU
   each process group used per request, which is the bound on a small machine.
5. Memory: RSS and PSS of each gunicorn worker after the load.

    python -m tests.benchmarks.bench_lookup [--latency-ms 50] [--samples 200]
        [--connections 32] [--duration 20]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from tests import instances
from tests.benchmarks.common import (
    SANDBOX_PASSWORD,
    SANDBOX_USER,
    machine,
    p,
    require_services,
    sandbox_backend,
    setup_django,
    table,
    timed,
)

MOBILE = "917000000000"  # the first generated sandbox member
TIMEOUT = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load")
    args = parser.parse_args()
    require_services()
    setup_django()
    print(f"Machine: {machine()}")

    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        # Enough threads that the backend never queues: it stands in for Capillary.
        backend, app_env = sandbox_backend(
            stack, workdir, "lookup_bench", latency_ms=args.latency_ms, threads=args.connections
        )
        # The shipped defaults of gunicorn.conf.py: workers and threads are not overridden. The
        # one signed-in agent of the load stands for a floor of agents: the bulkheads, which
        # would refuse one person's 32 lookups at once, are opened to the threads gunicorn runs.
        app_env.update(LOOKUP_CALLS_PER_USER=str(args.connections), LOOKUP_CALLS_PER_WORKER="16")
        app = stack.enter_context(
            instances.gunicorn(app_env, Path(workdir), name="app", workers=None, threads=None)
        )
        overhead(app, backend, args)
        throughput(app, backend, args)
        memory(app, backend)


SEARCH = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}


def search_form(session: requests.Session, app: instances.Gunicorn) -> dict[str, str]:
    """The search form's fields as the browser sends them, CSRF token included."""
    session.get(app.url + "/", timeout=TIMEOUT).raise_for_status()
    return {**SEARCH, "csrfmiddlewaretoken": session.cookies["csrftoken"]}


def overhead(app: instances.Gunicorn, backend: instances.Gunicorn, args) -> None:
    from customers.capillary.client import basic_authorization
    from customers.capillary.query import LookupQuery

    # Exactly the query the app sends for this lookup.
    query = LookupQuery.from_params(
        {"source": ["INSTORE"], "identifierName": ["mobile"], "identifierValue": [MOBILE]}
    )
    direct = requests.Session()
    direct.headers.update(
        {
            "Accept": "application/json",
            "Authorization": basic_authorization(SANDBOX_USER, SANDBOX_PASSWORD),
        }
    )
    backend_url = f"{backend.url}/sandbox/v2/customers/lookup/customerDetails"
    agent = instances.login(app.url, "agent")
    search = search_form(agent, app)
    first = agent.post(app.url + "/lookup/", data=search, timeout=TIMEOUT, allow_redirects=False)
    page_url = app.url + first.headers["Location"]

    def backend_call() -> float:
        return timed(lambda: direct.get(backend_url, params=query.to_params(), timeout=TIMEOUT))

    def lookup_then_page() -> tuple[float, float]:
        """The two requests a browser makes: the search form's POST (303) and the page it lands
        on, which the 303 carries a landing cookie for."""
        redirect = timed(
            lambda: agent.post(
                app.url + "/lookup/", data=search, timeout=TIMEOUT, allow_redirects=False
            ),
            expect=303,
        )
        return redirect, timed(lambda: agent.get(page_url, timeout=TIMEOUT))

    def reopen() -> float:
        return timed(lambda: agent.get(page_url, timeout=TIMEOUT))

    def health() -> float:
        return timed(lambda: anonymous.get(app.url + "/healthz", timeout=TIMEOUT))

    anonymous = requests.Session()
    for _ in range(10):
        backend_call(), lookup_then_page(), reopen(), health()
    results: dict[str, list[float]] = {
        "direct": [],
        "lookup": [],
        "redirect": [],
        "landing": [],
        "reopen": [],
        "health": [],
    }
    # Interleaved, so drift in the machine's load touches all of them alike.
    for _ in range(args.samples):
        results["direct"].append(backend_call())
        redirect, landing = lookup_then_page()
        results["redirect"].append(redirect)
        results["landing"].append(landing)
        results["lookup"].append(redirect + landing)
        results["reopen"].append(reopen())
        results["health"].append(health())
    d50, d95 = p(results["direct"], 50), p(results["direct"], 95)

    def row(label: str, name: str, ratio: bool = False) -> list[object]:
        p50, p95 = p(results[name], 50), p(results[name], 95)
        ratios = [f"{p50 / d50:.2f}x", f"{p95 / d95:.2f}x"] if ratio else ["", ""]
        return [label, p50, p95, *ratios, f"{p50 - d50:+.1f}" if ratio else ""]

    rows = [
        row("direct backend call (sandbox)", "direct", ratio=True),
        row("lookup -> customer page (app)", "lookup", ratio=True),
        row("  the lookup, answered 303", "redirect", ratio=True),
        row("  the page it lands on", "landing"),
        row("cached re-open of the page", "reopen"),
        row("GET /healthz: no session, 1 query", "health"),
    ]
    print(
        table(
            f"1. Lookup overhead: backend latency {args.latency_ms} ms, "
            f"{args.samples} samples each, interleaved",
            ["request", "p50 ms", "p95 ms", "p50 ratio", "p95 ratio", "p50 over direct ms"],
            rows,
        )
    )
    overhead_ms = p(results["lookup"], 50) - d50
    bare = p(results["health"], 50)
    print(
        f"\n   HEADLINE: a lookup followed to its page costs {overhead_ms:.1f} ms over the "
        f"backend's own time, {overhead_ms / bare:.1f} bare requests (GET /healthz p50 "
        f"{bare:.1f} ms; target: at most 3)."
    )


def throughput(app: instances.Gunicorn, backend: instances.Gunicorn, args) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("\n2. Throughput: skipped, wrk is not installed.")
        return
    agent = instances.login(app.url, "agent")
    search = search_form(agent, app)
    cookie = f"sessionid={agent.cookies['sessionid']}; csrftoken={agent.cookies['csrftoken']}"
    script = Path(tempfile.mkdtemp()) / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(requests.compat.urlencode(search))}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Referer"] = "{app.url}/"\n'
    )
    groups = _process_groups(app, backend)
    before = {name: _cpu(pids) for name, pids in groups.items()}
    machine_before = _machine_busy()
    started = time.monotonic()
    # The load generator's own CPU is in the children's times of this process.
    children_before = _children_cpu()
    result = subprocess.run(
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(args.connections),
            "--duration",
            f"{args.duration}s",
            "--timeout",
            "10s",
            "--latency",
            "--header",
            f"Cookie: {cookie}",
            "--script",
            str(script),
            app.url + "/lookup/",
        ],
        capture_output=True,
        text=True,
        timeout=args.duration + 60,
        check=True,
    )
    elapsed = time.monotonic() - started
    cpu = {name: _cpu(pids) - before[name] for name, pids in groups.items()}
    cpu["load generator (wrk)"] = _children_cpu() - children_before
    # Whatever else ran on the machine meanwhile takes cores the app did not get.
    cpu["other processes"] = max(0.0, _machine_busy() - machine_before - sum(cpu.values()))
    report = _parse_wrk(result.stdout)
    ideal = args.connections / (args.latency_ms / 1000)
    requests_done = max(1, report["requests"])
    print(
        table(
            f"2. Throughput: POST /lookup/ (one backend call each, 303 not followed), "
            f"{args.connections} connections, {args.duration} s",
            ["measure", "value"],
            [
                ["requests/s", report["rps"]],
                ["ideal: connections / backend latency", ideal],
                ["share of the ideal", f"{report['rps'] / ideal:.0%}"],
                ["latency p50 ms", report["p50"]],
                ["latency p90 ms", report["p90"]],
                ["latency p99 ms", report["p99"]],
                ["requests", report["requests"]],
                ["errors (non-2xx/3xx)", report["non_2xx"]],
                ["errors (socket: connect, read, write, timeout)", report["socket_errors"]],
            ],
        )
    )
    print(
        table(
            f"   CPU during the load ({os.cpu_count()} cores: at most {os.cpu_count()}.0 busy)",
            ["process group", "busy cores", "CPU ms per request"],
            [
                [name, seconds / elapsed, seconds * 1000 / requests_done]
                for name, seconds in [*cpu.items(), ("total", sum(cpu.values()))]
            ],
        )
    )


def memory(app: instances.Gunicorn, backend: instances.Gunicorn) -> None:
    rows = []
    for name, server in (("app", app), ("sandbox", backend)):
        rows.append([f"{name} master", *_mib(instances.memory_kib(server.process.pid))])
        for number, pid in enumerate(sorted(server.worker_pids()), 1):
            rows.append([f"{name} worker {number}", *_mib(instances.memory_kib(pid))])
    print(table("5. Memory after the load", ["process", "RSS MiB", "PSS MiB"], rows))


def _mib(kib: tuple[int, int]) -> list[float]:
    return [value / 1024 for value in kib]


def _process_groups(app: instances.Gunicorn, backend: instances.Gunicorn) -> dict[str, list[int]]:
    return {
        "app (gunicorn)": [app.process.pid, *app.worker_pids()],
        "sandbox backend (gunicorn)": [backend.process.pid, *backend.worker_pids()],
        "PostgreSQL": _pids_named("postgres"),
        "Redis": _pids_named("redis-server"),
    }


def _pids_named(name: str) -> list[int]:
    pids = []
    for pid in Path("/proc").iterdir():
        try:
            if pid.name.isdigit() and (pid / "comm").read_text().strip() == name:
                pids.append(int(pid.name))
        except OSError:
            continue
    return pids


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += instances.cpu_seconds(pid)
        except (OSError, IndexError, ValueError):
            continue
    return total


def _machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (not idle, not waiting for I/O)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _parse_wrk(output: str) -> dict[str, float | int]:
    def number(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    def millis(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(number(r"(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": ", ".join(socket.groups()) if socket else "0, 0, 0, 0",
        "p50": millis("50%"),
        "p90": millis("90%"),
        "p99": millis("99%"),
    }


if __name__ == "__main__":
    main()
