"""gunicorn's configuration for Customer Lookup: `make serve`, or `gunicorn lookupsite.wsgi`.

Threaded workers (gthread): a request spends most of its time waiting for the lookup backend,
so a few processes with many threads each serve many agents on a small machine. Every value
comes from the environment; the command line (`--bind`, `--workers`, ...) overrides this file.

Database connections: each thread may hold one, so PostgreSQL's max_connections must exceed
instances x WEB_CONCURRENCY x GUNICORN_THREADS (plus headroom for migrations and psql).
"""

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import environ
from gunicorn import glogging

# The same .env the settings read (variables already in the environment win).
environ.Env.read_env(Path(__file__).resolve().parent / ".env")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Loopback by default: a proxy in front terminates TLS (BEHIND_HTTPS_PROXY=true). gunicorn alone
# would bind every interface when PORT is set, hence the explicit address.
bind = [f"127.0.0.1:{_int('PORT', 8000)}"]
worker_class = "gthread"
# One process per core (at least two, so one busy or restarting worker never stops the site).
workers = _int("WEB_CONCURRENCY", max(2, os.cpu_count() or 1))
threads = _int("GUNICORN_THREADS", 16)
# Above the backend's worst case: LOOKUP_API_TIMEOUT (10 s) per attempt and bounded retries.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so slow growth in memory cannot build up for weeks.
max_requests = 5000
max_requests_jitter = 500
# Django and the app are imported once, before forking: workers share that memory.
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = "info"
# gunicorn's control socket defaults to one path per user, which several instances on one host
# would fight over; nothing here uses it.
control_socket_disable = True


class AccessLogger(glogging.Logger):
    """One access line per request: method, path, status, duration and request id.

    Only the path is logged, never the query string: /lookup/?identifierValue=... carries a
    member's mobile or email. LOG_FORMAT=json writes one JSON object per line (for a log
    collector); otherwise key=value pairs.
    """

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = str(resp.status).split(None, 1)[0]
        # Set by the app's RequestIdMiddleware, never taken from the client.
        request_id = _header(resp.headers, "x-request-id")
        fields = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "status": int(status) if status.isdigit() else status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": request_id or None,
            "pid": os.getpid(),
        }
        if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
            line = json.dumps(fields, separators=(",", ":"))
        else:
            line = " ".join(
                f"{key}={'-' if value is None else value}" for key, value in fields.items()
            )
        self.access_log.info("%s", line)

    def exception(self, msg, *args, **kwargs) -> None:
        # gunicorn's "Error handling request <uri>" would carry the query string.
        super().exception(msg, *(_without_query(arg) for arg in args), **kwargs)


def _header(headers, name: str) -> str:
    for key, value in headers or ():
        if key.lower() == name:
            return str(value)[:100]
    return ""


def _without_query(value: object) -> object:
    return value.split("?", 1)[0] if isinstance(value, str) else value


logger_class = AccessLogger

# Metrics (GET /metrics): every worker writes its own to files in this directory and a scrape,
# whichever worker answers it, sums them (prometheus_client's multiprocess mode). Set before the
# app (and prometheus_client) is imported; a directory of our own is removed on exit.
_OWN_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="lookup-metrics-")


def on_starting(server) -> None:
    # A directory given in the environment may hold an earlier run's counts.
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
