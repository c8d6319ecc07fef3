"""Benchmark: the audit admin, the per-customer history and the auditor's insights on a large
audit table.

Fills a PostgreSQL database with N synthetic audit entries (`manage.py generate_audit`), counts
the daily roll-ups (`manage.py rollup_audit`, as cron would), starts the app under gunicorn,
signs in as the demo auditor and times each page over HTTP: the list, its filters, the date
drill-down, search by identifier hash and by customer id, an entry, and a member's access
history (table 4); the overview, the signals, a staff member's page and the list's signal filter
(table 4b), and the overview when it counts itself what cron has not (yesterday's last hours,
or a whole day so far). The
instance runs in a time zone where it is about 22:00, so today, which the pages count live, is
nearly a whole day of entries: the worst case. The tables show p50 and p95 of several requests
per page.

    python -m tests.benchmarks.bench_audit [--rows 1000000] [--samples 9] [--keep]
        [--database NAME] [--redis URL]

--rows 10000000 is the 10-million-row run: generating the rows takes about ten times as long
as for a million (the database needs some 10 GB). --keep leaves the database in place, and a
later run with the same --rows reuses it instead of generating the rows again.
"""

import argparse
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from tests import instances
from tests.benchmarks.common import machine, p, require_services, table, timed

# One entry written through log_action with a known identifier, for search by hash; its
# customer id is one the synthetic rows use too, so the history has a realistic length.
KNOWN_MOBILE = "919812345678"
KNOWN_CUSTOMER = "4242"
KNOWN_ENTRY = f"""
from django.contrib.auth import get_user_model
from customers.audit.models import AuditEntry
AuditEntry.objects.log_action(
    user=get_user_model().objects.get(username="agent"), action="lookup", outcome="found",
    source="INSTORE", identifiers=[("mobile", "{KNOWN_MOBILE}")], customer_id="{KNOWN_CUSTOMER}",
)
"""
TARGET_MS = 300
INSIGHTS_TARGET_MS = 500
# Every signal on, so each is counted and timed.
INSIGHTS_SETTINGS = {
    "AUDIT_BUSINESS_HOURS": "Mon-Fri 08:00-18:00",
    "LOOKUP_REASON_REQUIRED": "true",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database for a later run")
    parser.add_argument(
        "--database", help="the PostgreSQL database's name (default lookup_bench_audit_<rows>)"
    )
    parser.add_argument(
        "--redis",
        help="a Redis database of your own (redis://127.0.0.1:6379/N), for runs beside others: "
        "by default the first empty one is taken, which another run may take too",
    )
    args = parser.parse_args()
    require_services()
    print(f"Machine: {machine()}")
    name = args.database or f"lookup_bench_audit_{args.rows}"
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        reuse = instances.database_exists(name) and _entries(name) >= args.rows
        database = f"{instances.POSTGRES}/{name}" if reuse else instances.create_database(name)
        if not args.keep:
            stack.callback(instances.drop_database, name)
        cache = args.redis or stack.enter_context(instances.redis_database())
        env = instances.instance_env(
            DATABASE_URL=database,
            DATABASE_CONN_MAX_AGE="60",
            REDIS_URL=cache,
            STATIC_ROOT=str(Path(workdir) / "static"),
            **INSIGHTS_SETTINGS,
        )
        instances.prepare(env, members=1)
        if reuse:
            print(f"Reusing {name} ({_entries(name):,} audit entries).")
        else:
            started = time.monotonic()
            instances.manage(
                env,
                "generate_audit",
                str(args.rows),
                "--force",
                "--batch-size",
                "10000",
                timeout=36_000,
            )
            instances.manage(env, "shell", "--command", KNOWN_ENTRY)
            print(f"Generated {args.rows:,} entries in {time.monotonic() - started:,.0f} s.")
        _analyze(name)
        # Today is counted live, so a page costs most at the end of the day: the instance runs
        # in a time zone where it is about 22:00, today nearly a whole day of entries.
        env["TIME_ZONE"] = late_evening_zone()
        there = datetime.now(ZoneInfo(env["TIME_ZONE"]))
        print(f"TIME_ZONE {env['TIME_ZONE']}: {there:%H:%M} there, today is counted live.")
        started = time.monotonic()
        counted = instances.manage(env, "rollup_audit", timeout=36_000).strip()
        print(f"rollup_audit: {counted} ({time.monotonic() - started:,.1f} s)")
        server = stack.enter_context(
            instances.gunicorn(env, Path(workdir), name="audit", workers=1, threads=4)
        )
        rows = measure(server, name, args.samples)
        insight_rows = measure_insights(server, name, args.samples)
    print(
        table(
            f"4. Audit admin on PostgreSQL, {args.rows:,} entries, {args.samples} requests each",
            ["page", "p50 ms", "p95 ms", f"p50 < {TARGET_MS} ms"],
            rows,
        )
    )
    print(
        table(
            f"4b. Audit insights on PostgreSQL, {args.rows:,} entries, "
            f"{args.samples} requests each",
            ["page", "p50 ms", "p95 ms", f"p50 < {INSIGHTS_TARGET_MS} ms"],
            insight_rows,
        )
    )


def measure(server: instances.Gunicorn, name: str, samples: int) -> list[list[object]]:
    auditor = instances.login(server.url, "auditor")
    user_id, newest = _user_and_newest(name)
    changelist = "/admin/customers/auditentry/"
    pages = {
        "list (newest first)": changelist,
        "list, page 50": f"{changelist}?p=50",
        "filter: action=lookup": f"{changelist}?action__exact=lookup",
        "filter: action + outcome (rare)": (
            f"{changelist}?action__exact=raw_view&outcome__exact=error"
        ),
        "filter: one user": f"{changelist}?user__id__exact={user_id}",
        "filter: role=agent": f"{changelist}?role=agent",
        "filter: source=WECHAT": f"{changelist}?source=WECHAT",
        "filter: heavy users (>50 lookups/24h)": f"{changelist}?heavy=50",
        "date drill-down: one day": (
            f"{changelist}?created_at__year={newest.year}&created_at__month={newest.month}"
            f"&created_at__day={newest.day}"
        ),
        "search: full mobile (by hash)": f"{changelist}?q={KNOWN_MOBILE}",
        "search: customer id": f"{changelist}?q={KNOWN_CUSTOMER}",
        "one entry": f"{changelist}{_known_entry(name)}/change/",
        "customer access history": f"/customers/{KNOWN_CUSTOMER}/history/",
    }
    return [
        _timed_row(auditor, server.url + path, label, samples, TARGET_MS)
        for label, path in pages.items()
    ]


def measure_insights(server: instances.Gunicorn, name: str, samples: int) -> list[list[object]]:
    auditor = instances.login(server.url, "auditor")
    base = "/admin/customers/auditentry/"
    pages = {
        "overview, 90 days": f"{base}overview/",
        "overview, 7 days": f"{base}overview/?days=7",
        "signals, 7 days": f"{base}signals/",
        "signals, 90 days": f"{base}signals/?days=90",
        "staff member's page, 90 days": f"{base}staff/synthetic-001/",
        "list: signal after hours (7 days)": f"{base}?signal=after_hours",
        "list: signal many staff (7 days)": f"{base}?signal=many_staff",
    }
    rows = [
        _timed_row(auditor, server.url + path, label, samples, INSIGHTS_TARGET_MS)
        for label, path in pages.items()
    ]
    # Without cron, the first visit of a day counts yesterday's last hours, and a visit after a
    # day without any counts the day so far: each forgotten before each request, so each
    # request counts it.
    cases = {
        "overview, yesterday not counted (first visit of a day)": 1,
        "overview, today not counted (first visit in ~22 hours)": 0,
    }
    for label, days_back in cases.items():
        times = []
        for _ in range(samples):
            _forget(name, days_back)
            times.append(timed(lambda: _get(auditor, f"{server.url}{base}overview/")))
        p50 = p(times, 50)
        rows.append([label, p50, p(times, 95), "yes" if p50 < INSIGHTS_TARGET_MS else "NO"])
    return rows


def _timed_row(session, url: str, label: str, samples: int, target: int) -> list[object]:
    """p50 and p95 of `samples` requests after two warm-up ones, against `target` ms."""
    for _ in range(2):
        timed(lambda: _get(session, url))
    times = [timed(lambda: _get(session, url)) for _ in range(samples)]
    p50 = p(times, 50)
    return [label, p50, p(times, 95), "yes" if p50 < target else "NO"]


def _get(session, url: str):
    # Redirects are not followed: a session lost midway fails the run instead of timing the
    # sign-in page.
    return session.get(url, timeout=120, allow_redirects=False)


def _forget(name: str, days_back: int) -> None:
    """Drops the counts of the newest counted day (0) or the one before (1)."""
    with _connect(name) as conn:
        day = conn.execute(
            "SELECT day FROM customers_auditday ORDER BY day DESC OFFSET %s LIMIT 1", [days_back]
        ).fetchone()[0]
        for table in ("customers_auditdaycount", "customers_auditdaymember"):
            conn.execute(f"DELETE FROM {table} WHERE day_id = %s", [day])  # noqa: S608
        conn.execute("DELETE FROM customers_auditday WHERE day = %s", [day])


def late_evening_zone(hour: int = 22) -> str:
    """A fixed-offset zone (Etc/GMT±N, whose sign is inverted) where it is now `hour`
    o'clock or a little after."""
    offset = (hour - time.gmtime().tm_hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}"


def _connect(name: str) -> psycopg.Connection:
    return psycopg.connect(f"{instances.POSTGRES}/{name}", autocommit=True, connect_timeout=5)


def _entries(name: str) -> int:
    with _connect(name) as conn:
        try:
            return conn.execute("SELECT count(*) FROM customers_auditentry").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0


def _analyze(name: str) -> None:
    # Fresh statistics, as autovacuum would have gathered on a table that grew over months.
    with _connect(name) as conn:
        conn.execute("VACUUM ANALYZE customers_auditentry")
        conn.execute("VACUUM ANALYZE customers_auditidentifier")


def _user_and_newest(name: str) -> tuple[int, object]:
    with _connect(name) as conn:
        user_id = conn.execute(
            "SELECT id FROM auth_user WHERE username = 'synthetic-001'"
        ).fetchone()[0]
        newest = conn.execute("SELECT max(created_at) FROM customers_auditentry").fetchone()[0]
    return user_id, newest


def _known_entry(name: str) -> int:
    with _connect(name) as conn:
        return conn.execute(
            "SELECT entry_id FROM customers_auditidentifier ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]


if __name__ == "__main__":
    main()
