"""How long parsing and rendering a member takes, by the member's size.

Run: `SECRET_KEY=test-only-not-secret python -m tests.benchmarks.bench_render [--runs 7]`
(not collected by pytest). Members of 1, 10 and 50 programs with 10, 100 and 500 cards are built
with the sandbox's document builder; each is parsed with Customer.from_json and rendered on every
section, and the table shows the median of the runs in milliseconds. Nothing here touches the
database or the network.
"""

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import django

PROGRAM_COUNTS = (1, 10, 50)
CARD_COUNTS = (10, 100, 500)
EMBEDS = frozenset(
    {
        "points",
        "subscriptions",
        "mlp",
        "promotionalPoints",
        "expirySchedules",
        "expiredPoints",
        "segments",
        "customerStatus",
        "alternateCurrencies",
    }
)


def build_document(programs: int, cards: int) -> dict[str, Any]:
    """A Capillary-shaped document with this many programs and cards.

    The sandbox org has fewer programs than the largest size, so its program blocks are
    repeated under new ids and titles beyond that: the shape is the same, only the count grows.
    """
    from customers.sandbox import documents, org
    from customers.sandbox.ledger import bill, card, currency, enrolment, lot, member, profile

    ids = list(org.PROGRAMS)[: min(programs, len(org.PROGRAMS))]
    data = member(
        [profile("INSTORE", "Bench", "Member", "919999999999", email="bench@sandbox.example")],
        enrolments=[enrolment(p, 2, 180) for p in ids],
        bills=[bill(p, 12000, -30) for p in ids],
        lots=[lot(p, 800, -60, 300) for p in ids]
        + [lot(p, 100, -200, 160, "redeemed") for p in ids],
        currencies=[currency(1101, 120, redeemed=30), currency(1103, 40)],
        cards=[
            card(f"SBXB{n:08d}", 21 + n % 2, ("ACTIVE", "SUSPENDED", "EXPIRED")[n % 3], -900 + n)
            for n in range(cards)
        ],
    )
    options = documents.Options(embed=EMBEDS, fraud=True, gap_to_upgrade=0, gap_to_renew=0)
    document = documents.customer_document(5999999, data, options, [])
    details = document["loyaltyProgramDetails"]
    template = details[-1]
    for n in range(len(details), programs):
        details.append({**template, "programId": 9000 + n, "programTitle": f"Bench Program {n}"})
    return document


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lookupsite.settings")
    django.setup()

    from django.test import override_settings

    from customers.capillary.records import Customer
    from customers.pages.tabs import SECTIONS

    # The section views' context, as the section tests render it: one place for that contract.
    from tests.pages.test_sections import render as render_section

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def render(customer: Customer, section: str) -> str:
        return render_section(section, customer)

    header = ["programs", "cards", "JSON KB", "parse", *SECTIONS, "all"]
    rows = []
    with override_settings(STORAGES=storages):
        for programs in PROGRAM_COUNTS:
            for cards in CARD_COUNTS:
                document = build_document(programs, cards)
                text = json.dumps(document)
                customer = Customer.from_json(json.loads(text))
                # One untimed pass loads and compiles the templates.
                for section in SECTIONS:
                    render(customer, section)
                parse = median_ms(
                    lambda text=text: Customer.from_json(json.loads(text)), args.runs
                )
                by_section = [
                    median_ms(lambda s=section, c=customer: render(c, s), args.runs)
                    for section in SECTIONS
                ]
                rows.append(
                    [str(programs), str(cards), f"{len(text) / 1024:.0f}", f"{parse:.1f}"]
                    + [f"{ms:.1f}" for ms in by_section]
                    + [f"{sum(by_section):.1f}"]
                )

    print(f"Render benchmark: median of {args.runs} runs, milliseconds (parse = json + records)")
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
