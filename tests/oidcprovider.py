"""A real OpenID Connect provider on loopback for the sign-in tests: tests/oidc/server.mjs, the
Node library `oidc-provider` (installed by `npm ci` in tests/oidc, as .ci/run does).

Its users live in a JSON file it reads at every sign-in, so a test moves a user between groups
by calling `set_groups`. Without Node or the installed package the tests that need it are
skipped, unless REQUIRE_OIDC is set (as in CI), when they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.utils.csp import CSP

FOLDER = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "customer-lookup"
CLIENT_SECRET = "test-client-secret-not-real-0123456789"
# Clients whose ID tokens the provider changes after signing them (see server.mjs).
WRONG_AUDIENCE = "customer-lookup-wrong-audience"
EXPIRED = "customer-lookup-expired"
PASSWORD = "company-password-1"
# The provider's test users: name -> groups at the provider.
USERS: dict[str, list[str]] = {
    "ana.agent": ["cs-agents"],
    "mo.manager": ["retail-managers"],
    "cora.compliance": ["compliance"],
    "nick.nogroup": ["marketing"],
}
GROUP_ROLES = "cs-agents:Support agents,retail-managers:Store managers,compliance:Auditors"
STARTUP_SECONDS = 20


def require_node() -> None:
    """Skips (or, with REQUIRE_OIDC, fails) when the provider cannot run here."""
    missing = None
    if shutil.which("node") is None:
        missing = "node is not installed"
    elif not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        missing = "oidc-provider is not installed (run `npm ci` in tests/oidc)"
    if missing:
        if os.environ.get("REQUIRE_OIDC"):
            pytest.fail(f"REQUIRE_OIDC is set but {missing}.", pytrace=False)
        pytest.skip(f"{missing}: the company sign-in tests need it.")


class OidcProvider:
    """The provider process: started on a free loopback port, stopped by `stop`."""

    def __init__(self, folder: Path, app_urls: list[str]) -> None:
        self.users_file = folder / "users.json"
        self.set_users({name: list(groups) for name, groups in USERS.items()})
        config = folder / "config.json"
        clients = [
            {
                "client_id": client_id,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{url}/accounts/oidc/callback/" for url in app_urls],
                "post_logout_redirect_uris": [f"{url}/accounts/login/" for url in app_urls],
                **({"tamper": tamper} if tamper else {}),
            }
            for client_id, tamper in (
                (CLIENT_ID, None),
                (WRONG_AUDIENCE, "audience"),
                (EXPIRED, "expired"),
            )
        ]
        config.write_text(json.dumps({"users": str(self.users_file), "clients": clients}))
        self.process = subprocess.Popen(
            ["node", str(FOLDER / "server.mjs"), str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.issuer = self._read_issuer()

    def _read_issuer(self) -> str:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()))
        reader.start()
        reader.join(STARTUP_SECONDS)
        if not line or not line[0].strip():
            self.stop()
            raise RuntimeError("The OpenID Connect provider did not start.")
        return json.loads(line[0])["issuer"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def set_users(self, users: dict[str, list[str]]) -> None:
        self.users_file.write_text(
            json.dumps(
                {name: {"password": PASSWORD, "groups": groups} for name, groups in users.items()}
            )
        )

    def set_groups(self, username: str, groups: list[str]) -> None:
        users = json.loads(self.users_file.read_text())
        users[username]["groups"] = groups
        self.users_file.write_text(json.dumps(users))

    def reset(self) -> None:
        self.set_users({name: list(groups) for name, groups in USERS.items()})

    def sign_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Signs in on the provider's own page over HTTP, as a browser would, and returns the
        URL it sends the browser back to (the app's callback, with code and state)."""
        session = requests.Session()
        url = authorize_url
        for _ in range(10):
            if not url.startswith(self.issuer):
                return url
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="password"' in response.text:
                response = session.post(
                    url,
                    data={"username": username, "password": password},
                    allow_redirects=False,
                    timeout=10,
                )
            if not response.is_redirect:
                raise AssertionError(f"The provider answered {response.status_code} at {url}.")
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("The provider redirected too often.")


def configure(settings, provider: OidcProvider) -> OidcProvider:
    """Points the app (pytest-django's `settings`) at `provider`, its users back in their
    groups."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    settings.OIDC_PROVIDER_NAME = "Test Company"
    # As settings.py does for OIDC_ISSUER: signing out redirects the form's POST there.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, provider.issuer]}
    provider.reset()
    return provider


def path_of(url: str) -> str:
    """The path and query of an absolute URL, for Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
