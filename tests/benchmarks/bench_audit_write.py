"""Benchmark: what the audit trail's hash chain adds to one audit write on PostgreSQL.

Side by side, in alternating blocks so that drift hits both alike: an entry written through
`log_action` (the chain: the head row locked and advanced, the digest computed, the head updated)
and the same entry written as before the chain (one INSERT of the entry and one of its identifier
hash, in a transaction). The plain write also skips log_action's masking and clipping, so the
difference slightly overstates the chain. Then both with several writers at once, as several
instances' threads write: the chain makes them take turns on the head row.

    python -m tests.benchmarks.bench_audit_write [--writes 400] [--writers 8]
"""

import argparse
import os
import threading
import time
from collections.abc import Callable

from tests import instances
from tests.benchmarks.common import machine, p, require_services, table

MOBILE = "919999000001"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writes", type=int, default=400, help="writes of each kind, alone")
    parser.add_argument("--writers", type=int, default=8, help="threads writing at once")
    args = parser.parse_args()
    require_services()
    print(f"Machine: {machine()}")
    name = f"lookup_bench_audit_write_{os.getpid()}"
    with instances.postgres_database(name) as database:
        env = instances.instance_env(DATABASE_URL=database)
        instances.manage(env, "migrate", "--no-input")
        os.environ.update(env)
        import django

        django.setup()
        chained, plain = writers()
        one = alone(chained, plain, args.writes)
        many = together(chained, plain, args.writers, max(20, args.writes // args.writers))
    print(
        table(
            f"6. One audit write on PostgreSQL, {args.writes} of each, alternating blocks of 20",
            ["write", "p50 ms", "p95 ms", "mean ms"],
            one,
        )
    )
    print(
        table(
            f"6b. {args.writers} writers at once (threads, one connection each)",
            ["write", "writes/s", "mean ms per write"],
            many,
        )
    )


def writers() -> tuple[Callable[[], None], Callable[[], None]]:
    from django.db import transaction

    from customers.audit.models import AuditEntry, AuditIdentifier
    from customers.masking import identifier_hash

    fields = {
        "role": "agent",
        "client_ip": "127.0.0.1",
        "action": "lookup",
        "outcome": "found",
        "source": "INSTORE",
        "customer_id": "5000001",
        "request_id": "bench-cap",
        "app_request_id": "bench-app",
        "latency_ms": 55,
    }

    def chained() -> None:
        AuditEntry.objects.log_action(user=None, identifiers=[("mobile", MOBILE)], **fields)

    def plain() -> None:
        entry = AuditEntry(identifiers=[{"name": "mobile", "value": "91******0001"}], **fields)
        with transaction.atomic():
            entry.save()
            AuditIdentifier.objects.bulk_create(
                [AuditIdentifier(entry=entry, name="mobile", value_hash=identifier_hash(MOBILE))]
            )

    return chained, plain


def alone(chained: Callable, plain: Callable, writes: int) -> list[list[object]]:
    times: dict[str, list[float]] = {"chained": [], "plain": []}
    for write in (chained, plain, chained, plain):  # warm-up
        write()
    for _ in range(max(1, writes // 20)):
        for kind, write in (("chained", chained), ("plain", plain)):
            for _ in range(20):
                start = time.perf_counter()
                write()
                times[kind].append((time.perf_counter() - start) * 1000)
    rows = [
        [label, p(times[kind], 50), p(times[kind], 95), sum(times[kind]) / len(times[kind])]
        for kind, label in (("plain", "as before the chain"), ("chained", "log_action (chain)"))
    ]
    rows.append(
        [
            "the chain adds",
            p(times["chained"], 50) - p(times["plain"], 50),
            p(times["chained"], 95) - p(times["plain"], 95),
            rows[1][3] - rows[0][3],
        ]
    )
    return rows


def together(chained: Callable, plain: Callable, writers: int, each: int) -> list[list[object]]:
    from django.db import connection

    rows = []
    for label, write in (("as before the chain", plain), ("log_action (chain)", chained)):

        def work(write: Callable = write) -> None:
            try:
                for _ in range(each):
                    write()
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(writers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        total = writers * each
        rows.append([label, total / elapsed, elapsed * 1000 * writers / total])
    return rows


if __name__ == "__main__":
    main()
