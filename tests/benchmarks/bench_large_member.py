"""How long each page of the largest showcase member takes to render, and how big it is.

Run: `SECRET_KEY=test-only-not-secret python -m tests.benchmarks.bench_large_member [--runs 9]`
(not collected by pytest). Rajesh (5000014, 36 programs, 300 cards) as the default search asks
for him (its blocks, fraud details, both gaps as of today) is built by the sandbox, parsed with
Customer.from_json and rendered on every section as the section views render it, the cards page
also filtered, sorted and on its last page. The table gives the median and the slowest of the
runs in milliseconds and the page's size; the budget is 100 ms a page. The pages' heights at
1366x768 are measured by the browser test (lookup/test_browser.py, under five screen heights).
Nothing here touches the database or the network.
"""

import argparse
import os
import platform
import statistics
import time

import django

LARGE = 5000014
BUDGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per page (median)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lookupsite.settings")
    django.setup()

    from django.test import override_settings

    from customers.capillary.query import DEFAULT_EMBEDS
    from customers.capillary.records import Customer
    from customers.pages.tabs import SECTIONS
    from customers.sandbox import documents, examples
    from tests.pages.test_sections import render

    member = next(m for m in examples.members() if m.id == LARGE)
    options = documents.Options(
        source="INSTORE",
        embed=frozenset(DEFAULT_EMBEDS),
        fraud=True,
        gap_to_upgrade=0,
        gap_to_renew=0,
    )
    document = documents.customer_document(LARGE, member.data, options, [])
    customer = Customer.from_json(document)
    pages = [(section, "") for section in SECTIONS]
    pages += [
        ("cards", "?page=12"),
        ("cards", "?status=Suspended&sort=-expiry&page=2"),
    ]
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows = []
    with override_settings(STORAGES=storages):
        for section, query in pages:
            html = render(section, customer, query)  # untimed: loads the templates
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                render(section, customer, query)
                times.append((time.perf_counter() - start) * 1000)
            median, worst = statistics.median(times), max(times)
            rows.append(
                [
                    f"{section}{query}",
                    f"{median:.1f}",
                    f"{worst:.1f}",
                    f"{len(html) / 1024:.0f}",
                    "yes" if median < BUDGET_MS else "NO",
                ]
            )

    print(
        f"Largest member {LARGE}: {len(customer.programs)} programs, {len(customer.cards)} "
        f"cards; median and slowest of {args.runs} renders, milliseconds"
    )
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    header = ["page", "median ms", "slowest ms", "HTML KB", f"< {BUDGET_MS:.0f} ms"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
