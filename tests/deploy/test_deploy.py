"""The production kit in deploy/, run for real: nginx from Debian in front of two gunicorn
instances started as their systemd unit says, on PostgreSQL and Redis, over HTTPS with a
throwaway certificate, and Chromium signing in and looking a member up through it.

Every file comes from deploy/, filled in by deploy/render.py with this run's paths and loopback
ports; nginx runs as the test's own process with a small main configuration around the site
file (Debian's own nginx.conf would start the package's default site on port 80). Needs
PostgreSQL and Redis on 127.0.0.1, nginx, openssl and Chromium; skipped without them, failed
instead when REQUIRE_SERVICES (or, for Chromium, REQUIRE_BROWSER) is set, as in CI.
"""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests
from requests.adapters import HTTPAdapter

from tests import instances
from tests.html_tree import parse

ROOT = instances.ROOT
DEPLOY = ROOT / "deploy"
RENDER = DEPLOY / "render.py"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
# The showcase member of the README: INSTORE, mobile 919999000001, customer 5000001.
MOBILE = "919999000001"
CUSTOMER_ID = "5000001"
# What a client might claim in X-Forwarded-For; the audit trail must not believe it.
FORGED = "203.0.113.66"
TIMEOUT = instances.TIMEOUT
METRICS_TOKEN = "deploy-test-metrics-token-not-secret"


def render(template: Path, **values: str) -> str:
    """The template filled in by deploy/render.py, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, str(RENDER), str(template), *(f"{k}={v}" for k, v in values.items())],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def directives(*texts: str) -> dict[str, list[str]]:
    """`Key=value` lines of systemd unit files, every value of each key in order."""
    found: dict[str, list[str]] = {}
    for text in texts:
        for line in text.splitlines():
            key, equals, value = line.partition("=")
            if equals and not line.startswith(("#", ";", "[")):
                found.setdefault(key.strip(), []).append(value.strip())
    return found


def environment_file(text: str) -> dict[str, str]:
    """The variables of an EnvironmentFile (later lines win, as in systemd)."""
    return {
        key: value
        for key, value in (
            line.split("=", 1) for line in text.splitlines() if line and line[0] not in "#;"
        )
    }


# --- deploy/render.py ---------------------------------------------------------------------


def test_render_fills_every_placeholder_from_arguments_or_the_environment(tmp_path):
    template = tmp_path / "t.conf"
    template.write_text("listen {{PORT}};\nroot {{APP_DIR}}/static;\n$uri {x}\n")
    result = subprocess.run(
        [sys.executable, str(RENDER), str(template), "PORT=8443"],
        capture_output=True,
        text=True,
        check=False,
        env={"APP_DIR": "/srv/lookup", "PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0
    assert result.stdout == "listen 8443;\nroot /srv/lookup/static;\n$uri {x}\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["PORT=1"], "no value for APP_DIR"),
        (["PORT=1", "APP_DIR=/a\nuser root;"], "a line break in the value of APP_DIR"),
        (["PORT"], "'PORT' is not NAME=VALUE"),
    ],
)
def test_render_prints_nothing_when_a_value_is_missing_or_unsafe(tmp_path, arguments, message):
    template = tmp_path / "t.conf"
    template.write_text("listen {{PORT}};\nroot {{APP_DIR}};\n")
    result = subprocess.run(
        [sys.executable, str(RENDER), str(template), *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert message in result.stderr


def test_every_placeholder_in_deploy_is_documented_in_the_deployment_doc():
    """An operator fills in what docs/deployment.md lists: nothing else."""
    readme = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    placeholders = {
        name
        for path in DEPLOY.rglob("*")
        if path.is_file() and path.suffix != ".py"
        for name in re.findall(r"\{\{([A-Z0-9_]+)\}\}", path.read_text(encoding="utf-8"))
    }
    assert placeholders
    assert {name for name in placeholders if f"`{name}`" not in readme} == set()


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """The units and timers as rendered, with the shared drop-in, raise no warning in
    systemd's own checker (unknown keys, bad values, programs that do not exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but systemd-analyze is missing.")
        pytest.skip("systemd-analyze is missing (Debian's systemd package).")
    units = tmp_path / "units"
    values = {
        "APP_DIR": str(ROOT),
        "USER": "root",
        "ENV_FILE": str(tmp_path / "customer-lookup.env"),
        "EXPORT_DIR": str(tmp_path / "exports"),
        "REPORT_DIR": str(tmp_path / "reports"),
        "PUBLIC_ORIGIN": "https://lookup.example.com",
    }
    for template in (DEPLOY / "systemd").rglob("*"):
        if template.is_file():
            target = units / template.relative_to(DEPLOY / "systemd")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(template, **values))
    names = ["customer-lookup-web@8001.service"] + [
        path.name for path in sorted(units.glob("*")) if path.is_file() and "@" not in path.name
    ]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"SYSTEMD_UNIT_PATH": f"{units}:", "PATH": os.environ.get("PATH", "")},
    )
    assert (result.returncode, result.stderr) == (0, "")
    unit = directives((units / "customer-lookup-.service.d" / "common.conf").read_text())
    for hardening in ("NoNewPrivileges", "ProtectSystem", "PrivateTmp", "ProtectHome"):
        assert unit[hardening] in (["yes"], ["strict"])
    assert unit["User"] == ["root"]


# --- The site: nginx, two instances, PostgreSQL, Redis ------------------------------------


class FromAddress(HTTPAdapter):
    """Connects from a given loopback address, as a client on another machine would."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Site:
    workdir: Path
    origin: str
    http_origin: str
    certificate: Path
    env: dict[str, str]
    database: str
    nginx: subprocess.Popen
    ports: dict[str, int]
    working_directory: Path
    servers: dict[str, instances.Gunicorn] = field(default_factory=dict)
    exec_start: str = ""

    @property
    def access_log(self) -> Path:
        return self.workdir / "logs" / "customer-lookup.access.log"

    @property
    def error_log(self) -> Path:
        return self.workdir / "logs" / "customer-lookup.error.log"

    def session(self, source: str = "127.0.0.1") -> requests.Session:
        """A client of the site: trusts the throwaway certificate, sends an Origin (Django
        checks it on HTTPS POSTs) and connects from `source`."""
        session = requests.Session()
        # No CA bundle or proxy from the environment: REQUESTS_CA_BUNDLE would win over verify.
        session.trust_env = False
        session.verify = str(self.certificate)
        session.headers["Origin"] = self.origin
        session.mount("https://", FromAddress(source))
        session.mount("http://", FromAddress(source))
        return session

    def start(self, name: str) -> instances.Gunicorn:
        """The instance as customer-lookup-web@PORT.service runs it."""
        port = self.ports[name]
        command = shlex.split(self.exec_start.replace("%i", str(port)))
        log_path = self.workdir / f"gunicorn-{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=self.working_directory,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = instances.Gunicorn(process, f"http://127.0.0.1:{port}", log_path)
        self.servers[name] = server
        _wait_healthy(server)
        return server

    def stop(self, name: str) -> None:
        """systemctl stop: SIGTERM to gunicorn's master, its graceful stop."""
        self.servers.pop(name).stop(graceful=True)

    def audit(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.database, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def manage(
        self, *args: str, check: bool = True, database: str | None = None
    ) -> subprocess.CompletedProcess:
        """manage.py with the instances' environment (on another database if given)."""
        env = dict(self.env)
        if database is not None:
            env["DATABASE_URL"] = database
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )


def _required(condition: bool, why: str, flag: str = "REQUIRE_SERVICES") -> None:
    if not condition:
        if os.environ.get(flag):
            pytest.fail(f"{flag} is set but {why}", pytrace=False)
        pytest.skip(why)


def _wait_healthy(server: instances.Gunicorn, timeout: float = 60) -> None:
    """Up when /healthz answers 200 for the public name (ALLOWED_HOSTS applies to it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.process.returncode}):\n{server.log()}")
        try:
            answer = requests.get(
                server.url + "/healthz", headers={"Host": "localhost"}, timeout=2
            )
            if answer.status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn was not healthy within {timeout} s:\n{server.log()}")


def _certificate(workdir: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for localhost."""
    certificate, key = workdir / "tls.crt", workdir / "tls.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return certificate, key


def _nginx_main(workdir: Path, site: Path) -> Path:
    """The smallest main configuration around the site file, in the test's own directory."""
    temp = workdir / "nginx-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {workdir}/nginx.pid;\n"
        f"error_log {workdir}/logs/nginx.error.log;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        + "".join(
            f"    {kind}_temp_path {temp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site};\n}}\n"
    )
    return config


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    reason = instances.services_unavailable()
    _required(reason is None, reason or "")
    _required(
        os.path.exists(NGINX), "nginx is missing: apt-get install nginx (.ci/run installs it)."
    )
    _required(shutil.which("openssl") is not None, "openssl is missing.")
    workdir = tmp_path_factory.mktemp("deploy")
    (workdir / "logs").mkdir()
    (workdir / "exports").mkdir()
    certificate, key = _certificate(workdir)
    ports = {name: instances.free_port() for name in ("http", "https", "a", "b")}
    origin = f"https://localhost:{ports['https']}"
    with ExitStack() as stack:
        database = stack.enter_context(instances.postgres_database(f"lookup_deploy_{os.getpid()}"))
        cache = stack.enter_context(instances.redis_database())
        env_text = render(
            DEPLOY / "customer-lookup.env",
            SERVER_NAME="localhost",
            PUBLIC_ORIGIN=origin,
            DATABASE_URL=database,
            REDIS_URL=cache,
            STATIC_ROOT=str(workdir / "static"),
            LOOKUP_API_BASE_URL="",
            LOOKUP_API_USERNAME="",
        )
        (workdir / "customer-lookup.env").write_text(env_text)
        # The secrets, as systemd hands them over (LoadCredential=): one file per variable.
        credentials = workdir / "credentials"
        credentials.mkdir()
        for name, value in {
            "SECRET_KEY": instances.SECRET_KEY,
            "AUDIT_SIGNING_KEY": "deploy-test-signing-key-not-secret",
            "AUDIT_HASH_KEY": "deploy-test-hash-key-not-secret",
            "LOOKUP_API_PASSWORD": "",
        }.items():
            (credentials / name).write_text(value + "\n")
        unit_values = {
            "APP_DIR": str(ROOT),
            "USER": "customer-lookup",
            "ENV_FILE": str(workdir / "customer-lookup.env"),
        }
        unit = directives(
            render(DEPLOY / "systemd" / "customer-lookup-web@.service", **unit_values),
            render(
                DEPLOY / "systemd" / "customer-lookup-.service.d" / "common.conf", **unit_values
            ),
        )
        [env_file] = unit["EnvironmentFile"]
        [working_directory] = unit["WorkingDirectory"]
        assert sorted(c.split(":")[0] for c in unit["LoadCredential"]) == sorted(
            p.name for p in credentials.iterdir()
        )
        env = {
            **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}},
            **environment_file(Path(env_file).read_text()),
            "CREDENTIALS_DIRECTORY": str(credentials),
            # The test's own: a load test needs no lookup rate limit, its clients (one agent in
            # four browsers) more than two backend calls at once, and a sandbox that takes a
            # moment, like Capillary, keeps requests in flight while an instance stops.
            "LOOKUP_RATE_LIMIT": "off",
            "LOOKUP_CALLS_PER_USER": "8",
            "METRICS_TOKEN": METRICS_TOKEN,
            "SANDBOX_LATENCY_MS": "300",
            # It signs in as the demo accounts, which production refuses by default.
            "DEMO_ACCOUNTS": "true",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "8",
        }
        site_conf = workdir / "customer-lookup.conf"
        site_conf.write_text(
            render(
                DEPLOY / "nginx" / "customer-lookup.conf",
                SERVER_NAME="localhost",
                HTTP_LISTEN=f"127.0.0.1:{ports['http']}",
                HTTPS_LISTEN=f"127.0.0.1:{ports['https']}",
                PUBLIC_ORIGIN=origin,
                TLS_CERTIFICATE=str(certificate),
                TLS_CERTIFICATE_KEY=str(key),
                STATIC_ROOT=str(workdir / "static"),
                INSTANCE_1=f"127.0.0.1:{ports['a']}",
                INSTANCE_2=f"127.0.0.1:{ports['b']}",
                LOG_DIR=str(workdir / "logs"),
            )
        )
        main = _nginx_main(workdir, site_conf)
        nginx = [NGINX, "-p", str(workdir), "-e", str(workdir / "logs" / "nginx.error.log")]
        checked = subprocess.run(
            [*nginx, "-t", "-c", str(main)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr

        site = Site(
            workdir=workdir,
            origin=origin,
            http_origin=f"http://localhost:{ports['http']}",
            certificate=certificate,
            env=env,
            database=database,
            nginx=None,  # started below
            working_directory=Path(working_directory),
            ports=ports,
            exec_start=unit["ExecStart"][0],
        )
        instances.prepare(env, members=5)
        stack.callback(lambda: [site.stop(name) for name in list(site.servers)])
        site.start("a")
        site.start("b")
        site.nginx = subprocess.Popen(
            [*nginx, "-c", str(main)], stderr=subprocess.PIPE, start_new_session=True
        )
        stack.callback(_stop_nginx, site.nginx)
        _wait_for_nginx(site)
        yield site


def _wait_for_nginx(site: Site, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if site.nginx.poll() is not None:
            raise RuntimeError(f"nginx exited: {site.nginx.stderr.read().decode()}")
        try:
            last = site.session().get(site.origin + "/healthz", timeout=2)
            if last.status_code == 200:
                return
        except requests.ConnectionError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer /healthz: {last}")


def _stop_nginx(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGQUIT)  # nginx's graceful shutdown
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def signed_in(site: Site, source: str = "127.0.0.1", user: str = "agent") -> requests.Session:
    return instances.login(site.origin, user, session=site.session(source))


def look_up(site: Site, session: requests.Session, mobile: str = MOBILE) -> requests.Response:
    """A lookup sent the way the search form sends it (GET or POST, with its CSRF token)."""
    form = parse(session.get(site.origin + "/", timeout=TIMEOUT).text).find(
        "form", id="search-form"
    )
    fields = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": mobile}
    url = site.origin + form["action"]
    if (form.attrs.get("method") or "get").lower() == "post":
        fields["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
        return session.post(url, data=fields, timeout=TIMEOUT, allow_redirects=False)
    return session.get(url, params=fields, timeout=TIMEOUT, allow_redirects=False)


# --- Through the proxy ------------------------------------------------------------------------


@pytest.mark.services
def test_plain_http_is_redirected_to_https(site):
    answer = requests.get(
        site.http_origin + "/accounts/login/?next=/", timeout=TIMEOUT, allow_redirects=False
    )
    assert answer.status_code == 301
    assert answer.headers["Location"] == site.origin + "/accounts/login/?next=/"


@pytest.mark.services
def test_healthz_answers_through_the_proxy_and_metrics_do_not(site):
    """/healthz is for whoever watches the site; /metrics is scraped from each instance."""
    answer = site.session().get(site.origin + "/healthz", timeout=TIMEOUT)
    assert answer.status_code == 200
    health = answer.json()
    assert (health["status"], health["database"], health["cache"]) == ("ok", "ok", "ok")
    scrape = {"Authorization": f"Bearer {METRICS_TOKEN}", "Host": "localhost"}
    direct = requests.get(site.servers["a"].url + "/metrics", headers=scrape, timeout=TIMEOUT)
    assert direct.status_code == 200
    through = site.session().get(site.origin + "/metrics", headers=scrape, timeout=TIMEOUT)
    assert through.status_code == 404


@pytest.mark.services
def test_the_audit_entry_holds_the_address_nginx_saw_not_one_the_client_claims(site):
    """A client on 127.0.0.5 that sends its own X-Forwarded-For is recorded as 127.0.0.5: the
    address nginx saw, not the forged one, nor nginx's own address that gunicorn sees."""
    agent = signed_in(site, source="127.0.0.5")
    agent.headers["X-Forwarded-For"] = FORGED
    answer = look_up(site, agent)
    assert answer.status_code in (302, 303)
    assert answer.headers["Location"] == f"/customers/{CUSTOMER_ID}/"
    [(client_ip, username)] = site.audit(
        "SELECT host(client_ip), username FROM customers_auditentry WHERE app_request_id = %s",
        answer.headers["X-Request-ID"],
    )
    assert (client_ip, username) == ("127.0.0.5", "agent")


@pytest.mark.services
def test_static_files_come_from_nginx_with_a_long_cache_life(site):
    login = parse(site.session().get(site.origin + "/accounts/login/", timeout=TIMEOUT).text)
    [stylesheet, *_] = [
        link["href"]
        for link in login.find_all("link", rel="stylesheet")
        if re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.css", link["href"])
    ]
    answer = site.session().get(site.origin + stylesheet, timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Request-ID" not in answer.headers  # nginx answered, not the app


@pytest.mark.services
def test_the_proxys_logs_hold_no_query_string(site):
    """A pasted lookup link carries the mobile in its query string; nginx's access line has
    the path only, and its error log nothing of it."""
    agent = signed_in(site)
    pasted = agent.get(
        site.origin + "/lookup/",
        params={"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE},
        timeout=TIMEOUT,
    )
    assert pasted.status_code == 200
    deadline = time.monotonic() + 5
    while pasted.headers["X-Request-ID"] not in site.access_log.read_text():
        assert time.monotonic() < deadline, "nginx did not log the lookup"
        time.sleep(0.1)
    logs = site.access_log.read_text() + site.error_log.read_text()
    assert '"path":"/lookup/"' in logs
    for secret in (MOBILE, "identifierValue", "?"):
        assert secret not in logs


@pytest.mark.services
def test_sign_in_attempts_are_limited_at_the_edge(site):
    """Thirty sign-in POSTs in a row from one address: past the burst nginx answers 429
    itself; another address is not affected."""
    spraying = site.session(source="127.0.0.9")
    statuses = [
        spraying.post(
            site.origin + "/accounts/login/",
            data={"username": f"nobody{n}", "password": "x"},
            timeout=TIMEOUT,
        ).status_code
        for n in range(30)
    ]
    assert statuses.count(429) >= 5
    assert 429 not in statuses[:20]
    elsewhere = site.session(source="127.0.0.10").get(site.origin + "/accounts/login/")
    assert elsewhere.status_code == 200


@pytest.mark.services
@pytest.mark.browser
def test_chromium_signs_in_and_looks_up_a_member_over_https(site, tmp_path):
    """From http:// the browser lands on https://, gets HSTS and secure cookies, signs in and
    finds the showcase member; a forged X-Forwarded-For does not reach the audit trail."""
    _required(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing.", flag="REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        context = browser.new_context(
            ignore_https_errors=True, extra_http_headers={"X-Forwarded-For": FORGED}
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        try:
            first = page.goto(site.http_origin + "/")
            assert page.url.startswith(site.origin + "/accounts/login/")
            assert first.headers["strict-transport-security"].startswith("max-age=31536000")
            page.fill("#id_username", "agent")
            page.fill("#id_password", instances.DEMO_PASSWORD.format("agent"))
            page.click("input[type=submit]")
            page.wait_for_url(site.origin + "/")
            page.fill("#id_q", MOBILE)
            page.click("input[type=submit]")
            page.wait_for_url(f"{site.origin}/customers/{CUSTOMER_ID}/")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "deploy-overview-over-https.png"))
            cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        finally:
            context.close()
            browser.close()

    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]
    [(client_ip,)] = site.audit(
        "SELECT host(client_ip) FROM customers_auditentry WHERE username = 'agent' "
        "AND action = 'lookup' ORDER BY id DESC LIMIT 1"
    )
    assert client_ip == "127.0.0.1"


@dataclass
class Load:
    """Bounded loops of lookups and refreshes (POSTs) through nginx, from several threads at
    once (each its own signed-in client), so that requests are in flight on an instance when
    it stops."""

    site: Site
    clients: int = 4
    limit: int = 2000
    results: list[tuple[str, int | str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> "Load":
        agents = [signed_in(self.site, source=f"127.0.0.{20 + n}") for n in range(self.clients)]
        self.threads = [threading.Thread(target=self._run, args=(a,)) for a in agents]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _run(self, agent: requests.Session) -> None:
        deadline = time.monotonic() + 180
        refresh = f"{self.site.origin}/customers/{CUSTOMER_ID}/refresh/"
        while not self.stop.is_set() and len(self.results) < self.limit:
            if time.monotonic() > deadline:
                break
            self._send("lookup", lambda: look_up(self.site, agent))
            self._send(
                "refresh",
                lambda: agent.post(
                    refresh,
                    data={"csrfmiddlewaretoken": agent.cookies["csrftoken"]},
                    timeout=TIMEOUT,
                    allow_redirects=False,
                ),
            )

    def _send(self, kind: str, send) -> None:
        try:
            self.results.append((kind, send().status_code))
        except Exception as error:  # recorded as a failed request, the loop goes on
            self.results.append((kind, f"{type(error).__name__}: {error}"))

    def failures(self) -> list[tuple[str, int | str]]:
        return [(kind, status) for kind, status in self.results if status not in (302, 303)]

    def wait_for_more(self, count: int, timeout: float = 60) -> None:
        target = len(self.results) + count
        deadline = time.monotonic() + timeout
        while len(self.results) < target:
            stopped = not any(thread.is_alive() for thread in self.threads)
            assert not stopped, f"the load ended early; first failures: {self.failures()[:5]}"
            assert time.monotonic() < deadline, f"only {len(self.results)} requests answered"
            time.sleep(0.05)


@pytest.mark.services
def test_a_rolling_restart_under_load_loses_no_request(site):
    """While clients keep looking up and refreshing (POSTs), each instance in turn is stopped
    the way systemd stops it, started again and waited for (the README's rolling deploy):
    every request is answered by the app, none by nginx's 502 or 504, and nginx did move
    requests off the stopped instance."""
    with Load(site) as load:
        for name in ("b", "a"):
            load.wait_for_more(20)
            site.stop(name)
            load.wait_for_more(20)
            site.start(name)
        load.wait_for_more(20)

    assert load.failures() == []
    assert len(load.results) >= 100
    assert re.search(
        r'"method":"POST".*"upstream_status":"502, 30[23]"', site.access_log.read_text()
    )


@pytest.mark.services
def test_verify_audit_proves_the_trail_and_names_a_row_changed_in_the_database(site):
    """After the instances wrote entries side by side, the chain and its export are intact;
    an UPDATE of one row straight in PostgreSQL is named by its entry number."""
    look_up(site, signed_in(site))
    exports = site.workdir / "exports"
    site.manage("export_audit", "--to", str(exports))
    intact = site.manage("verify_audit", "--exports", str(exports))
    assert "The audit trail is intact" in intact.stdout

    [(sequence, outcome)] = site.audit(
        "SELECT sequence, outcome FROM customers_auditentry WHERE action = 'lookup' "
        "AND sequence IS NOT NULL ORDER BY sequence LIMIT 1 OFFSET 2"
    )
    change = "UPDATE customers_auditentry SET outcome = %s WHERE sequence = %s"
    with psycopg.connect(site.database, autocommit=True) as conn:
        conn.execute(change, ["not_found", sequence])
    try:
        broken = site.manage("verify_audit", check=False)
    finally:
        with psycopg.connect(site.database, autocommit=True) as conn:
            conn.execute(change, [outcome, sequence])
    assert broken.returncode == 1
    assert f"broken at entry {sequence}: entry {sequence} (" in broken.stderr
    assert "does not match its digest" in broken.stderr


@pytest.mark.services
def test_a_pg_dump_of_the_audit_tables_restores_and_verifies(site):
    """The README's backup and restore: pg_dump of the three audit tables, a new database
    migrated, the rows restored, and verify_audit proves them intact, exports included."""
    _required(shutil.which("pg_dump") is not None, "pg_dump is missing.")
    exports = site.workdir / "exports"
    look_up(site, signed_in(site))
    site.manage("export_audit", "--to", str(exports))
    dump = site.workdir / "audit.dump"
    postgres = ["--host=127.0.0.1", "--port=5432", "--username=postgres"]
    tables = [
        f"--table=customers_{name}" for name in ("auditentry", "auditidentifier", "auditchain")
    ]
    with dump.open("wb") as out:
        subprocess.run(
            ["pg_dump", *postgres, "--format=custom", *tables, site.database.rsplit("/", 1)[1]],
            stdout=out,
            check=True,
            timeout=120,
        )
    with instances.postgres_database(f"lookup_restore_{os.getpid()}") as restored:
        site.manage("migrate", "--no-input", database=restored)
        with psycopg.connect(restored, autocommit=True) as conn:
            conn.execute("TRUNCATE customers_auditchain")
        subprocess.run(
            ["pg_restore", *postgres, "--data-only", "--disable-triggers",
             f"--dbname={restored.rsplit('/', 1)[1]}", str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        verified = site.manage(
            "verify_audit", "--exports", str(exports), check=False, database=restored
        )
    assert verified.returncode == 0, verified.stderr
    assert "The audit trail is intact" in verified.stdout
    assert "exported entries it still should, unchanged" in verified.stdout


@pytest.mark.services
@pytest.mark.parametrize(
    "source,method,path",
    [
        ("127.0.1.21", "POST", "/admin/login/"),
        ("127.0.1.22", "POST", "/admin/login"),
        ("127.0.1.23", "POST", "/accounts/%6Cogin/"),
        ("127.0.1.24", "GET", "/accounts/oidc/callback/?error=access_denied"),
        ("127.0.1.25", "GET", "/accounts/oidc/start/"),
    ],
)
def test_every_sign_in_path_is_limited_at_the_edge(site, source, method, path):
    """The proxy's limit covered /accounts/login/ only: /admin/login/ answers the same sign-in,
    and the company sign-in's callback writes a refused entry for anyone. Thirty requests in a
    row from one address: past the burst nginx answers 429 itself (issue 26, finding 8)."""
    spraying = site.session(source=source)
    statuses = [
        spraying.request(
            method,
            site.origin + path,
            data={"username": f"nobody{n}", "password": "x"} if method == "POST" else None,
            timeout=TIMEOUT,
            allow_redirects=False,
        ).status_code
        for n in range(30)
    ]
    assert statuses.count(429) >= 5, statuses
    assert 429 not in statuses[:20]


@pytest.mark.services
def test_the_proxys_own_answers_carry_its_headers(site):
    """server_tokens was off in the HTTPS server only, and static files (served by nginx) had
    neither X-Content-Type-Options nor HSTS, which the app adds only to its own answers. Now
    every answer, nginx's own included, names no nginx version and carries both headers once
    (issue 26, finding 12)."""
    login = site.session().get(site.origin + "/accounts/login/", timeout=TIMEOUT)
    stylesheet = next(
        link["href"]
        for link in parse(login.text).find_all("link", rel="stylesheet")
        if link["href"].startswith("/static/")
    )
    answers = {
        "app page": login,
        "static file": site.session().get(site.origin + stylesheet, timeout=TIMEOUT),
        "missing static file": site.session().get(site.origin + "/static/nope.css"),
        "nginx 404": site.session().get(site.origin + "/metrics", timeout=TIMEOUT),
    }
    for name, answer in answers.items():
        assert answer.headers.get("Server") == "nginx", (name, answer.headers.get("Server"))
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", name
        assert answer.headers.get("Strict-Transport-Security", "").startswith(
            "max-age=31536000"
        ), name
        assert "," not in answer.headers["Strict-Transport-Security"], name
    plain = requests.get(site.http_origin + "/", timeout=TIMEOUT, allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers.get("Server") == "nginx"
    assert plain.headers.get("X-Content-Type-Options") == "nosniff"
