"""Benchmark: the search as the agent feels it, in Chromium, against the backend's own time.

The sandbox runs as its own gunicorn instance answering in SANDBOX_LATENCY_MS (300 ms by
default, a slow Capillary), the app as another in production mode (DEBUG off, collected static
files, gunicorn.conf.py's workers) pointed at it; PostgreSQL and Redis of the benchmark's own.

Chromium (Playwright) signs in, and for each sample opens the search, types a showcase mobile
and presses Search; the overview's own navigation timing says how long from the press (the
navigation's start: the form's POST) to its load event, split into the POST answered 303 (the
lookup, backend included), the page it lands on, and the browser's work until `load` (styles,
scripts, layout). Side by side, interleaved, the direct call to the backend with the same
query. The headline is the ratio of the two medians (target: at most 1.10).

    python -m tests.benchmarks.bench_browser [--latency-ms 300] [--samples 30]
"""

import argparse
import tempfile
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

CHROMIUM = "/usr/bin/chromium"
MOBILE = "919999000001"  # Aarav, the showcase member of several programs
TIMEOUT = 30
TARGET = 1.10
# The overview's navigation timing, in ms from the navigation's start (the Search press).
NAVIGATION = """() => {
    const n = performance.getEntriesByType('navigation')[0];
    return {redirect: n.redirectEnd || n.fetchStart, response: n.responseEnd,
            dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
            transfer: performance.getEntriesByType('resource').length};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"\nSearch to overview in Chromium: skipped, {CHROMIUM} is missing.")
        return
    require_services()
    setup_django()
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        backend, app_env = sandbox_backend(
            stack, workdir, "browser_bench", latency_ms=args.latency_ms, threads=8
        )
        app = stack.enter_context(
            instances.gunicorn(app_env, Path(workdir), name="app", workers=None, threads=None)
        )
        measure(app, backend, args)


def direct_session() -> requests.Session:
    from customers.capillary.client import basic_authorization

    session = requests.Session()
    session.headers.update(
        {
            "Accept": "application/json",
            "Authorization": basic_authorization(SANDBOX_USER, SANDBOX_PASSWORD),
        }
    )
    return session


def the_query() -> dict[str, str]:
    """Exactly the query the app sends for the search form's defaults."""
    from customers.capillary.query import DEFAULT_EMBEDS, DEFAULT_FLAGS, LookupQuery
    from customers.lookup.services import with_gaps_as_of_today

    params = {
        "source": ["INSTORE"],
        "identifierName": ["mobile"],
        "identifierValue": [MOBILE],
        "embed": [",".join(DEFAULT_EMBEDS)],
        **{flag: ["true"] for flag in DEFAULT_FLAGS},
    }
    return with_gaps_as_of_today(LookupQuery.from_params(params)).to_params()


def measure(app: instances.Gunicorn, backend: instances.Gunicorn, args) -> None:
    from playwright.sync_api import sync_playwright

    direct = direct_session()
    backend_url = f"{backend.url}/sandbox/v2/customers/lookup/customerDetails"
    query = the_query()

    def backend_call() -> float:
        return timed(lambda: direct.get(backend_url, params=query, timeout=TIMEOUT))

    results: dict[str, list[float]] = {
        "direct": [],
        "search": [],
        "redirect": [],
        "landing": [],
        "browser": [],
    }
    files: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(TIMEOUT * 1000)
        page = context.new_page()
        page.goto(app.url + "/accounts/login/")
        page.fill("#id_username", "agent")
        page.fill("#id_password", instances.DEMO_PASSWORD.format("agent"))
        page.click("input[type=submit]")
        page.wait_for_url(app.url + "/")

        def search() -> dict[str, float]:
            page.goto(app.url + "/")
            page.fill("#id_q", MOBILE)
            with page.expect_navigation(url=f"{app.url}/customers/**", wait_until="load"):
                page.click("#search-form input[type=submit]")
            return page.evaluate(NAVIGATION)

        for _ in range(5):  # warm up: connections, caches, the browser's static files
            backend_call(), search()
        for _ in range(args.samples):
            results["direct"].append(backend_call())
            timing = search()
            results["search"].append(timing["load"])
            results["redirect"].append(timing["redirect"])
            results["landing"].append(timing["response"] - timing["redirect"])
            results["browser"].append(timing["load"] - timing["response"])
            files.append(int(timing["transfer"]))
        browser.close()

    d50, d95 = p(results["direct"], 50), p(results["direct"], 95)

    def row(label: str, name: str, ratio: bool = False) -> list[object]:
        p50, p95 = p(results[name], 50), p(results[name], 95)
        ratios = [f"{p50 / d50:.2f}x", f"{p95 / d95:.2f}x"] if ratio else ["", ""]
        return [label, p50, p95, *ratios]

    print(
        table(
            f"Search to overview in Chromium: backend latency {args.latency_ms} ms, "
            f"{args.samples} samples each, interleaved",
            ["measured", "p50 ms", "p95 ms", "p50 ratio", "p95 ratio"],
            [
                row("direct backend call (sandbox)", "direct", ratio=True),
                row("Search pressed -> overview loaded", "search", ratio=True),
                row("  the POST, answered 303", "redirect", ratio=True),
                row("  the overview's response", "landing"),
                row("  the browser, response to load", "browser"),
            ],
        )
    )
    ratio = p(results["search"], 50) / d50
    print(
        f"\n   HEADLINE: Search to the overview's load event takes {ratio:.2f} times the direct "
        f"backend call ({p(results['search'], 50):.0f} ms against {d50:.0f} ms; target: at "
        f"most {TARGET:.2f}); the page loads {max(files) if files else 0} files."
    )


if __name__ == "__main__":
    main()
