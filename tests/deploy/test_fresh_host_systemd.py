"""A fresh Debian 13 host, booted with systemd as PID 1, following docs/fresh-host.md.

The test makes (or reuses, from a cache folder outside the clone) a Debian 13 root with
debootstrap, boots it under systemd-nspawn without a network, and runs every `sh` block of
docs/fresh-host.md in order, in one root shell inside it: the page is the test's script. Three
blocks stand for what an operator does by hand (the page marks them "replaced in the test").
From outside the container it then checks what an operator would: sign-in and a lookup over
HTTPS through nginx, every timer's job run once, the audit trail verified and an edited row
caught, the journal's JSON lines free of identifiers, the web unit's `systemd-analyze security`
exposure, a deploy under load that loses no request, the backup restored and verified, and
everything back after a reboot.

Needs root, systemd-nspawn, debootstrap and overlayfs; skipped without them, failed instead when
REQUIRE_SYSTEMD is set (CI sets it). FRESH_HOST_CACHE names the cache folder
(default /var/cache/customer-lookup-test). Run it with -s (or -rP) to see the figures: the
time of each phase and the exposure of each unit.
"""

import fcntl
import hashlib
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
WALKTHROUGH = REPO / "docs" / "fresh-host.md"
CLIENT = Path(__file__).with_name("fresh_host_client.py")
CACHE = Path(os.environ.get("FRESH_HOST_CACHE", "/var/cache/customer-lookup-test"))
SUITE = "trixie"  # Debian 13: python3 is 3.13 (the app needs 3.12 or newer)
# The base besides step 1's packages: systemd as PID 1 with its bus, and openssl with the CA
# store for the self-signed certificate that stands for certbot's.
BASE_PACKAGES = ["systemd", "systemd-sysv", "dbus", "ca-certificates", "openssl", "adduser"]
SITE = "lookup.example.com"
MOBILE = "919999000001"
EMAIL = "aarav.sharma@sandbox.example"
WEB_UNITS = ["customer-lookup-web@8001.service", "customer-lookup-web@8002.service"]
MAX_EXPOSURE = 3.0
ROOT_ENVIRONMENT = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": "/root",
    "LANG": "C.UTF-8",
}
BOUND = 1200  # seconds for the whole test; each step has its own, shorter bound as well

# --- The walkthrough ---------------------------------------------------------------------------


@dataclass
class Block:
    section: str
    text: str
    replaced: str = ""  # the page's reason, when the test runs its own commands instead


def walkthrough() -> list[Block]:
    """Every ```sh block of the page in order, with its section heading and its marker."""
    blocks, section, marker = [], "", ""
    lines = iter(WALKTHROUGH.read_text().splitlines())
    for line in lines:
        if line.startswith("## "):
            section, marker = line[3:].strip(), ""
        elif line.startswith("<!-- replaced in the test:"):
            marker = line.removeprefix("<!-- replaced in the test:").removesuffix("-->").strip()
        elif line.strip() == "```sh":
            body = []
            for inner in lines:
                if inner.strip() == "```":
                    break
                body.append(inner)
            blocks.append(Block(section, "\n".join(body) + "\n", marker))
            marker = ""
    return blocks


def step_one_install() -> str:
    """Step 1's `apt-get install` line."""
    [install] = [
        line.strip()
        for block in walkthrough()
        for line in block.text.splitlines()
        if line.startswith("apt-get install")
    ]
    return install


def step_one_packages() -> list[str]:
    return step_one_install().split("-y", 1)[1].split()


def replacement(block: Block, password: str) -> str:
    """The test's commands for a block the page marks as done by hand, checked to be that block."""
    if "capillary_url=" in block.text:
        assert "repository=" in block.text and "site=" in block.text
        return (
            f"site={SITE}\nrepository=/kit/repo\n"
            "capillary_url= capillary_till= capillary_password=\n"
            # DNS: the name points at this host.
            'echo "127.0.0.1 $site" >> /etc/hosts\n'
        )
    if block.text.strip() == "manage createsuperuser":
        return (
            f"DJANGO_SUPERUSER_PASSWORD='{password}' manage createsuperuser --no-input"
            " --username admin --email admin@example.com\n"
        )
    if "certbot certonly" in block.text:
        return (
            "systemctl stop nginx\n"
            'install -d -m 0700 "/etc/letsencrypt/live/$site"\n'
            'openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$site" '
            '-addext "subjectAltName=DNS:$site" -keyout "/etc/letsencrypt/live/$site/privkey.pem" '
            '-out "/etc/letsencrypt/live/$site/fullchain.pem" 2>/dev/null\n'
            'cp "/etc/letsencrypt/live/$site/fullchain.pem" '
            '"/usr/local/share/ca-certificates/$site.crt"\n'
            "update-ca-certificates >/dev/null\n"
        )
    raise AssertionError(f"no replacement for the block marked {block.replaced!r}:\n{block.text}")


def test_the_walkthrough_marks_exactly_what_the_test_replaces():
    """Three blocks are done by hand (settings, superuser's prompt, certbot); every other block
    runs as written, and step 1's packages are what the test's Debian root holds."""
    blocks = walkthrough()
    replaced = [block for block in blocks if block.replaced]
    assert len(replaced) == 3
    for block in replaced:
        replacement(block, "x")
    assert not any("certbot certonly" in b.text for b in blocks if not b.replaced)
    assert {"python3", "python3-venv", "postgresql", "nginx"} <= set(step_one_packages())
    assert any(b.section.startswith("Zero-downtime") for b in blocks)
    assert any(b.section.startswith("Backup") for b in blocks)


def test_the_app_takes_its_secrets_from_systemd_credentials(tmp_path):
    """The units pass the secrets as credentials (LoadCredential=): a file per variable in
    $CREDENTIALS_DIRECTORY. The app starts with SECRET_KEY from there alone; a variable the
    environment sets wins; a file not named as a variable is ignored."""
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "SECRET_KEY").write_text("key-from-credentials\n")
    (credentials / "AUDIT_HASH_KEY").write_text("hash-from-credentials\n")
    (credentials / "AUDIT_SIGNING_KEY").write_text("signing-from-credentials\n")
    (credentials / "debug").write_text("true\n")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "PYTHONPATH"}
    }
    environment |= {
        "CREDENTIALS_DIRECTORY": str(credentials),
        "AUDIT_SIGNING_KEY": "signing-from-environment",
        "DJANGO_SETTINGS_MODULE": "lookupsite.settings",
    }
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.SECRET_KEY == 'key-from-credentials', s.AUDIT_HASH_KEY == 'hash-from-"
            "credentials', s.AUDIT_SIGNING_KEY == 'signing-from-environment', s.DEBUG)",
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (read.returncode, read.stdout.split()) == (0, ["True", "True", "True", "False"]), (
        read.stderr[-2000:]
    )


# --- The Debian root and the wheels, cached between runs ---------------------------------------


def _mirror() -> str:
    """The host's own Debian mirror, from its apt sources (no registry is named here)."""
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.exists():
        found = re.search(r"^URIs:\s*(\S+)", sources.read_text(), re.MULTILINE)
        if found:
            return found.group(1)
    for listing in [
        Path("/etc/apt/sources.list"),
        *Path("/etc/apt/sources.list.d").glob("*.list"),
    ]:
        if listing.exists():
            found = re.search(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)", listing.read_text(), re.MULTILINE)
            if found:
                return found.group(1)
    raise RuntimeError("no Debian mirror in the host's apt sources")


@dataclass
class Timings:
    phases: list[tuple[str, float]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def mark(self, name: str, since: float) -> None:
        took = time.monotonic() - since
        self.phases.append((name, took))
        print(f"[fresh-host] {name}: {took:.1f} s", flush=True)

    def remaining(self) -> float:
        left = BOUND - (time.monotonic() - self.started)
        assert left > 0, f"the fresh-host test ran over its bound of {BOUND} s"
        return left


def debian_root(timings: Timings) -> Path:
    """Debian 13 with step 1's packages, installed by step 1's own apt-get line, made once per
    package list and reused: step 1 then finds everything installed, with no network."""
    install = step_one_install()
    key = hashlib.sha256(f"{SUITE} {BASE_PACKAGES} {install} v3".encode()).hexdigest()[:12]
    root = CACHE / f"debian-{SUITE}-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (root / ".complete").exists():
            print(f"[fresh-host] Debian root reused from {root}", flush=True)
            return root
        started = time.monotonic()
        building = CACHE / f".building-{key}"
        shutil.rmtree(building, ignore_errors=True)
        bound = min(900, timings.remaining())
        subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(BASE_PACKAGES)}",
                SUITE,
                str(building),
                _mirror(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=bound,
        )
        # Step 1's packages, as its own apt-get line installs them (recommended ones too), in
        # the root run as a container without init, so nothing starts: fetched with the host's
        # network, installed without it (PostgreSQL's cluster takes port 5432 even where the
        # host has a PostgreSQL of its own).
        for network, command in (
            ([], f"apt-get update -qq && {install} --download-only -qq >/dev/null"),
            (["--private-network"], f"{install} -qq >/dev/null && apt-get clean"),
        ):
            subprocess.run(
                [
                    "systemd-nspawn",
                    "--quiet",
                    "-D",
                    str(building),
                    "--register=no",
                    "--keep-unit",
                    *network,
                    "--setenv=DEBIAN_FRONTEND=noninteractive",
                    "sh",
                    "-ec",
                    command,
                ],
                check=True,
                stdin=subprocess.DEVNULL,
                timeout=bound,
            )
        # Offline from here: apt has no source to fetch from, so step 1's apt-get update has
        # nothing to do and apt-get install finds every package installed.
        (building / "etc/apt/sources.list").write_text("")
        shutil.rmtree(root, ignore_errors=True)
        building.rename(root)
        _prune("debian-", keep=root)
        (root / ".complete").write_text(install + "\n")
        timings.mark("Debian root: debootstrap and step 1's packages (cold cache)", started)
        return root


def _prune(prefix: str, keep: Path) -> None:
    """The cache keeps one root and one wheel folder: those of an older package list or lock
    file go when the new ones are made."""
    for old in CACHE.glob(f"{prefix}*"):
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _root_python(root: Path) -> str:
    found = subprocess.run(
        [
            "chroot",
            str(root),
            "python3",
            "-c",
            "import sys; print('%d.%d' % sys.version_info[:2])",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return found.stdout.strip()


def wheelhouse(root: Path, timings: Timings) -> Path:
    """The lock file's wheels for the root's Python (setuptools among them, to install the
    project itself), downloaded by the host's pip: the container has no network."""
    lock = REPO / "requirements" / "app.txt"
    python = _root_python(root)
    key = hashlib.sha256(lock.read_bytes() + python.encode()).hexdigest()[:12]
    wheels = CACHE / f"wheels-{key}"
    with open(CACHE / ".lock", "w") as cache_lock:
        fcntl.flock(cache_lock, fcntl.LOCK_EX)
        if not (wheels / ".complete").exists():
            started = time.monotonic()
            _download(wheels, python, lock)
            _prune("wheels-", keep=wheels)
            timings.mark("pip download (cold cache)", started)
    return wheels


def _download(wheels: Path, python: str, lock: Path) -> None:
    shutil.rmtree(wheels, ignore_errors=True)
    target = [
        "--only-binary=:all:",
        f"--python-version={python}",
        "--implementation=cp",
        f"--abi=cp{python.replace('.', '')}",
        "--abi=abi3",
        "--abi=none",
        *[
            f"--platform={p}"
            for p in ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")
        ],
        "--platform=linux_x86_64",
        "--platform=any",
    ]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--dest",
            str(wheels),
            *target,
            "--require-hashes",
            "-r",
            str(lock),
        ],
        check=True,
        timeout=300,
    )
    (wheels / ".complete").write_text("")


def kit(tmp_path: Path, wheels: Path) -> Path:
    """What the container sees at /kit: the repository (a clone of the checkout under test,
    with its uncommitted changes to tracked files committed) and the wheels."""
    kit = tmp_path / "kit"
    repo = kit / "repo"
    snapshot = _git(REPO, "stash", "create").strip() or _git(REPO, "rev-parse", "HEAD").strip()
    subprocess.run(
        ["git", "clone", "--quiet", "--no-checkout", str(REPO), str(repo)], check=True, timeout=60
    )
    _git(repo, "fetch", "--quiet", str(REPO), snapshot)
    _git(repo, "checkout", "--quiet", "-B", "main", snapshot)
    shutil.copytree(wheels, kit / "wheels")
    return kit


def _git(where: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *arguments],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "fresh-host test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "fresh-host test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
        },
    ).stdout


# --- The container -----------------------------------------------------------------------------


@dataclass
class Container:
    """A copy-on-write view of the cached root (overlayfs), booted by systemd-nspawn."""

    lower: Path
    kit: Path
    work: Path
    timings: Timings
    process: subprocess.Popen[bytes] | None = None
    pid: int = 0

    @property
    def root(self) -> Path:
        return self.work / "root"

    def mount(self) -> None:
        for name in ("upper", "scratch", "root"):
            (self.work / name).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                f"lowerdir={self.lower},upperdir={self.work / 'upper'},"
                f"workdir={self.work / 'scratch'}",
                str(self.root),
            ],
            check=True,
            timeout=30,
        )

    def boot(self) -> None:
        started = time.monotonic()
        with open(self.work / "console.log", "ab") as console:
            self.process = self._nspawn(console)
        deadline = time.monotonic() + 60
        while not self.pid:
            assert self.process.poll() is None, self.console()
            assert time.monotonic() < deadline, "systemd did not start in the container"
            children = subprocess.run(
                ["ps", "-o", "pid=,comm=", "--ppid", str(self.process.pid)],
                capture_output=True,
                text=True,
            ).stdout.split()
            if children[1:2] == ["systemd"]:
                self.pid = int(children[0])
            time.sleep(0.2)
        # systemctl answers once PID 1's bus is up: until then it fails at once, and is asked
        # again.
        while True:
            state = self.run("systemctl", "is-system-running", "--wait", timeout=120, check=False)
            if state.stdout.strip() or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert state.stdout.strip() == "running", (
            state.stdout + state.stderr + self.run("systemctl", "--failed", check=False).stdout
        )
        self.timings.mark("boot to is-system-running", started)

    def _nspawn(self, console: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                "systemd-nspawn",
                "-D",
                str(self.root),
                "--boot",
                "--register=no",
                "--keep-unit",
                "--private-network",
                f"--bind-ro={self.kit}:/kit",
                "--machine=fresh-host",
            ],
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def nsenter(self, *command: str, network_only: bool = False) -> list[str]:
        namespaces = ["-n"] if network_only else ["-m", "-u", "-i", "-n", "-p", "-C"]
        return ["nsenter", "-t", str(self.pid), *namespaces, "--", *command]

    def run(
        self, *command: str, timeout: float = 60, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.nsenter(*command),
            env=ROOT_ENVIRONMENT,
            capture_output=True,
            text=True,
            timeout=min(timeout, self.timings.remaining()),
        )
        if check:
            assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}"
        return done

    def reboot(self) -> None:
        assert self.process is not None
        started = time.monotonic()
        self.run("systemctl", "reboot", check=False)
        self.process.wait(timeout=90)  # nspawn ends when its container reboots
        self.pid = 0
        self.timings.mark("reboot: shut down", started)
        self.boot()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # nspawn's clean shutdown of the container
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)

    def unmount(self) -> None:
        subprocess.run(["umount", str(self.root)], check=False, timeout=60)

    def console(self) -> str:
        return (self.work / "console.log").read_text(errors="replace")[-4000:]


class Shell:
    """One root shell in the container, as an operator's session: each block is sourced in it,
    so its variables, functions and working directory carry over to the next."""

    def __init__(self, container: Container, environment: dict[str, str]) -> None:
        self.container = container
        self.count = 0
        self.process = subprocess.Popen(
            container.nsenter(
                "env",
                "-i",  # a root login's environment, nothing of the test's
                *[f"{k}={v}" for k, v in (ROOT_ENVIRONMENT | environment).items()],
                "bash",
                "--noprofile",
                "--norc",
            ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.source("set -eo pipefail\ncd /root\n", "shell")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def source(self, text: str, title: str, timeout: float = 600) -> str:
        """Runs the commands; the shell exits on the first that fails, which fails the test."""
        self.count += 1
        script = self.container.root / "root" / f"walkthrough-{self.count:02d}.sh"
        script.write_text(text)
        marker = f"__block_{self.count}_done__"
        assert self.process.stdin is not None
        self.process.stdin.write(f"source /root/{script.name} </dev/null\necho {marker}\n")
        self.process.stdin.flush()
        output: list[str] = []
        deadline = time.monotonic() + min(timeout, self.container.timings.remaining())
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"{title}: no end within {timeout} s:\n{''.join(output)}"
                ) from None
            if line is None:
                raise AssertionError(f"{title}: a command failed:\n{text}\n---\n{''.join(output)}")
            if line.strip() == marker:
                return "".join(output)
            output.append(line)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _can_boot() -> str:
    """Why this machine cannot run the test, or ''."""
    if os.geteuid() != 0:
        return "needs root (debootstrap, mount, systemd-nspawn)"
    for tool in ("systemd-nspawn", "debootstrap", "nsenter", "chroot"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian's systemd-container, debootstrap, util-linux)"
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "overlayfs is not available"
    if not (REPO / "requirements" / "app.txt").exists():
        return "requirements/app.txt (the lock file) is missing"
    return ""


def _cannot_run(reason: str) -> NoReturn:
    if os.environ.get("REQUIRE_SYSTEMD"):
        pytest.fail(f"REQUIRE_SYSTEMD is set but the fresh host cannot run here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def host(tmp_path_factory) -> Iterator[tuple[Container, Shell, str, Timings]]:
    reason = _can_boot()
    if reason:
        _cannot_run(reason)
    timings = Timings()
    tmp_path = tmp_path_factory.mktemp("fresh-host")
    try:
        root = debian_root(timings)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        _cannot_run(f"no Debian root could be made here (debootstrap, the mirror): {error}")
    started = time.monotonic()
    container = Container(root, kit(tmp_path, wheelhouse(root, timings)), tmp_path, timings)
    timings.mark("kit: repository clone and wheels", started)
    container.mount()
    shell = None
    try:
        try:
            container.boot()
        except AssertionError as error:  # before any of the project runs: the machine's doing
            _cannot_run(f"systemd-nspawn could not boot the root here: {error}")
        shell = Shell(container, {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/kit/wheels"})
        yield container, shell, secrets.token_urlsafe(24), timings
    finally:
        if shell is not None:
            shell.close()
        container.stop()
        container.unmount()
        total = time.monotonic() - timings.started
        print(f"[fresh-host] total: {total:.1f} s", flush=True)


# --- The test ----------------------------------------------------------------------------------


def _client(container: Container, password: str, mode: str, result: Path, *extra: str):
    certificate = container.root / "etc/letsencrypt/live" / SITE / "fullchain.pem"
    command = container.nsenter(
        sys.executable,
        str(CLIENT),
        mode,
        f"https://{SITE}",
        str(certificate),
        str(result),
        *extra,
        network_only=True,
    )
    return subprocess.Popen(command, env={**os.environ, "SITE_PASSWORD": password})


def _sign_in_and_look_up(container: Container, password: str, tmp: Path) -> dict[str, object]:
    result = tmp / "once.json"
    client = _client(container, password, "once", result)
    assert client.wait(timeout=60) == 0
    return json.loads(result.read_text())


def _exposure(container: Container, unit: str) -> float:
    report = container.run("systemd-analyze", "security", "--no-pager", unit, check=False)
    found = re.search(r"Overall exposure level for \S+: ([0-9.]+)", report.stdout)
    assert found, report.stdout + report.stderr
    return float(found.group(1))


@pytest.mark.process  # a container of its own: left out of make test-fast
@pytest.mark.timeout(BOUND + 60)  # pytest-timeout: the fixture's setup and teardown included
def test_a_fresh_host_follows_the_walkthrough_and_runs_the_site(host, tmp_path):
    container, shell, password, timings = host
    blocks = walkthrough()
    operations = ("Zero-downtime", "Backup")
    steps = [b for b in blocks if not b.section.startswith(operations)]
    deploy = [b for b in blocks if b.section.startswith("Zero-downtime")]
    backup = [b for b in blocks if b.section.startswith("Backup")]

    # Step 1's packages are what the root holds, installed (apt-get install finds them).
    installed = container.run(
        "dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\\n", *step_one_packages()
    ).stdout
    assert all(line.endswith(" installed") for line in installed.splitlines()), installed

    # The walkthrough, block by block, as written (the three by-hand blocks replaced).
    for number, block in enumerate(steps, 1):
        started = time.monotonic()
        text = replacement(block, password) if block.replaced else block.text
        output = shell.source(text, f"{block.section} (block {number})")
        print(f"--- {block.section}\n{output.strip()}", flush=True)
        timings.mark(f"walkthrough: {block.section[:50]}", started)

    # HTTPS sign-in and a lookup through nginx, from outside the container.
    seen = _sign_in_and_look_up(container, password, tmp_path)
    assert seen["lookup_status"] in (302, 303) and seen["lookup_location"].endswith("/5000001/"), (
        seen
    )
    assert seen["member_status"] == 200 and seen["member_page_names_member"], seen
    assert seen["secure_session_cookie"], seen

    # Every timer listed, and each one's job run once by hand, successfully.
    timers = sorted(p.name for p in (REPO / "deploy/systemd").glob("*.timer"))
    listed = container.run("systemctl", "list-timers", "--all", "--no-legend", "customer-lookup-*")
    assert sorted(re.findall(r"customer-lookup-[\w-]+\.timer", listed.stdout)) == timers
    jobs = [timer.removesuffix(".timer") + ".service" for timer in timers]
    jobs.sort(key=lambda job: "verify" in job)  # the export first: verify reads its files
    for job in jobs:
        started = time.monotonic()
        container.run("systemctl", "start", job, timeout=180)
        result = container.run("systemctl", "show", "-p", "Result", "--value", job).stdout.strip()
        assert result == "success", container.run("journalctl", "-u", job, "--no-pager").stdout
        timings.mark(f"job {job}", started)

    # verify_audit passes, then names the row an attacker edited (the row is put back after).
    verified = shell.source("manage verify_audit 2>&1\n", "verify_audit")
    assert "The audit trail is intact" in verified, verified
    edited = shell.source(
        "psql_() { runuser -u postgres -- psql --quiet --no-align --tuples-only"
        ' --dbname=customer-lookup -c "$1"; }\n'
        "edited=$(psql_ 'SELECT max(sequence) FROM customers_auditentry')\n"
        'before=$(psql_ "SELECT outcome FROM customers_auditentry WHERE sequence = $edited")\n'
        "psql_ \"UPDATE customers_auditentry SET outcome = 'denied' WHERE sequence = $edited\"\n"
        "if manage verify_audit 2>&1; then echo verify_audit_status=0;"
        " else echo verify_audit_status=$?; fi\n"
        "psql_ \"UPDATE customers_auditentry SET outcome = '$before' WHERE sequence = $edited\"\n"
        "echo edited_row=$edited\n",
        "verify_audit on an edited row",
    )
    assert "verify_audit_status=0" not in edited, edited
    assert "verify_audit_status=" in edited, edited
    row = re.search(r"edited_row=(\d+)", edited)
    assert row and f"broken at entry {row.group(1)}:" in edited, edited
    shell.source("manage verify_audit\n", "verify_audit after the row is put back")

    # The journal holds the app's lines as JSON objects (gunicorn's access lines with the path
    # but no query string, the app's own with their logger), and no identifier.
    journal = container.run(
        "journalctl", "-u", "customer-lookup-*", "-o", "cat", "--no-pager"
    ).stdout
    records = [json.loads(line) for line in journal.splitlines() if line.startswith("{")]
    lookups = [r for r in records if r.get("path") == "/lookup/"]
    assert lookups and all(r.get("status") in (302, 303, "302", "303") for r in lookups), lookups
    assert any("logger" in r and "message" in r for r in records), journal[-3000:]
    assert MOBILE not in journal and MOBILE[-10:] not in journal and EMAIL not in journal
    print(f"[fresh-host] journal: {len(records)} JSON lines, no identifier", flush=True)

    # The units' sandbox: the web unit's exposure, and every timer's job sandboxed the same way.
    exposures = {unit: _exposure(container, unit) for unit in [WEB_UNITS[0], *jobs]}
    for unit, score in exposures.items():
        print(f"[fresh-host] systemd-analyze security {unit}: {score}", flush=True)
    assert all(score <= MAX_EXPOSURE for score in exposures.values()), exposures
    environment = container.run("systemctl", "show", "-p", "Environment", WEB_UNITS[0]).stdout
    assert "SECRET_KEY" not in environment
    gunicorn = container.run("systemctl", "show", "-p", "MainPID", "--value", WEB_UNITS[0])
    environ = (container.root / "proc").exists() and container.run(
        "cat", f"/proc/{gunicorn.stdout.strip()}/environ"
    ).stdout
    assert environ and "SECRET_KEY=" not in environ and "CREDENTIALS_DIRECTORY=" in environ

    # A zero-downtime deploy of a new commit, with clients looking up all along. The test's own
    # setting, in a drop-in beside the walkthrough's files: one user looking up several times a
    # second is not held to the per-user lookup limit.
    dropin = container.root / "etc/systemd/system/customer-lookup-web@.service.d/load-test.conf"
    dropin.parent.mkdir(parents=True, exist_ok=True)
    dropin.write_text("[Service]\nEnvironment=LOOKUP_RATE_LIMIT=off LOOKUP_CALLS_PER_USER=8\n")
    container.run("systemctl", "daemon-reload")
    container.run("systemctl", "restart", *WEB_UNITS, timeout=120)
    before = container.run("readlink", "-f", "/opt/customer-lookup/current").stdout.strip()
    _git(container.kit / "repo", "commit", "--quiet", "--allow-empty", "-m", "The next release")
    stop, result = tmp_path / "stop", tmp_path / "load.json"
    load = _client(container, password, "load", result, str(stop))
    time.sleep(3)
    started, deploy_began = time.monotonic(), time.time()
    for block in deploy:
        print(shell.source(block.text, block.section, timeout=300).strip(), flush=True)
    timings.mark("zero-downtime deploy", started)
    deploy_ended = time.time()
    time.sleep(3)
    stop.write_text("")
    assert load.wait(timeout=60) == 0
    answers = json.loads(result.read_text())
    during = [a for a in answers if deploy_began <= a[0] <= deploy_ended]
    failed = [a for a in answers if a[1] not in (302, 303)]
    print(
        f"[fresh-host] lookups: {len(answers)} in all, {len(during)} while the deploy ran,"
        f" {len(failed)} failed",
        flush=True,
    )
    assert failed == [] and len(during) >= 20, failed[:5]
    after = container.run("readlink", "-f", "/opt/customer-lookup/current").stdout.strip()
    assert after != before
    for unit in WEB_UNITS:
        main_pid = container.run("systemctl", "show", "-p", "MainPID", "--value", unit).stdout
        cwd = container.run("readlink", f"/proc/{main_pid.strip()}/cwd").stdout.strip()
        assert cwd == after, f"{unit} runs {cwd}, not the new release {after}"

    # The backup and restore drill, verified against the signed exports.
    started = time.monotonic()
    for block in backup:
        drill = shell.source(block.text, block.section, timeout=300)
        print(drill.strip(), flush=True)
    timings.mark("backup and restore drill", started)

    # A reboot: everything back.
    shell.close()
    container.reboot()
    for unit in [*WEB_UNITS, "nginx.service", *timers]:
        assert (
            container.run("systemctl", "is-active", unit, check=False).stdout.strip() == "active"
        ), unit
    seen = _sign_in_and_look_up(container, password, tmp_path)
    assert seen["lookup_status"] in (302, 303) and seen["member_status"] == 200, seen

    print("[fresh-host] timings:", flush=True)
    for name, took in timings.phases:
        print(f"[fresh-host]   {took:7.1f} s  {name}", flush=True)
