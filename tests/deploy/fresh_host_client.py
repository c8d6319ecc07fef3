"""An agent's browser, reduced to HTTP: run by the fresh-host test inside the container's network
namespace (`nsenter -n`), it signs in over HTTPS through nginx and looks a member up.

    python fresh_host_client.py once ORIGIN CERTIFICATE RESULT
    python fresh_host_client.py load ORIGIN CERTIFICATE RESULT STOP-FILE

The site's name resolves to 127.0.0.1 (the container's DNS is the test's /etc/hosts); the
certificate is the self-signed one nginx serves. The user's password is in $SITE_PASSWORD.
`once` writes what one sign-in and lookup answered; `load` has clients looking up until
STOP-FILE exists and writes every answer. Standard library and requests only.
"""

import json
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

MOBILE = "919999000001"
CUSTOMER_ID = "5000001"
TIMEOUT = 20

_getaddrinfo = socket.getaddrinfo


def _resolve(site: str) -> None:
    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        return _getaddrinfo("127.0.0.1" if host == site else host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def sign_in(origin: str, certificate: str) -> requests.Session:
    session = requests.Session()
    session.verify = certificate
    session.trust_env = False  # the certificate above, not one named by the environment
    page = session.get(f"{origin}/accounts/login/", timeout=TIMEOUT)
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the sign-in page has no CSRF token"
    answer = session.post(
        f"{origin}/accounts/login/",
        data={
            "username": "admin",
            "password": os.environ["SITE_PASSWORD"],
            "csrfmiddlewaretoken": token.group(1),
        },
        headers={"Referer": f"{origin}/accounts/login/"},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"signing in answered {answer.status_code}"
    return session


def look_up(origin: str, session: requests.Session) -> requests.Response:
    """The search form's lookup: the member's mobile, answered by a redirect to their page."""
    home = session.get(f"{origin}/", timeout=TIMEOUT)
    form = re.search(r'<form[^>]*id="search-form"[^>]*>', home.text)
    assert form, f"no search form on the home page ({home.status_code})"
    action = re.search(r'action="([^"]+)"', form.group(0))
    method = re.search(r'method="([^"]+)"', form.group(0))
    fields = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
    url = origin + (action.group(1) if action else "/lookup/")
    if method and method.group(1).lower() == "post":
        fields["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
        return session.post(
            url,
            data=fields,
            headers={"Referer": f"{origin}/"},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    return session.get(url, params=fields, timeout=TIMEOUT, allow_redirects=False)


def once(origin: str, certificate: str) -> dict[str, object]:
    session = sign_in(origin, certificate)
    found = look_up(origin, session)
    member = session.get(
        origin + found.headers.get("Location", "/"), timeout=TIMEOUT, allow_redirects=False
    )
    return {
        "lookup_status": found.status_code,
        "lookup_location": found.headers.get("Location", ""),
        "member_status": member.status_code,
        "member_page_names_member": "Aarav" in member.text,
        "secure_session_cookie": any(c.name == "sessionid" and c.secure for c in session.cookies),
    }


def load(origin: str, certificate: str, stop: Path, clients: int = 3) -> list[list[object]]:
    results: list[list[object]] = []
    sessions = [sign_in(origin, certificate) for _ in range(clients)]

    def run(session: requests.Session) -> None:
        deadline = time.monotonic() + 600
        while not stop.exists() and time.monotonic() < deadline:
            started = time.time()
            try:
                status: object = look_up(origin, session).status_code
            except Exception as error:  # a failed request, counted; the loop goes on
                status = f"{type(error).__name__}: {error}"
            results.append([started, status])
            time.sleep(0.1)  # an agent's pace, many times over

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> None:
    mode, origin, certificate, result = sys.argv[1:5]
    _resolve(urlsplit(origin).hostname or "")
    if mode == "once":
        outcome: object = once(origin, certificate)
    else:
        outcome = load(origin, certificate, Path(sys.argv[5]))
    Path(result).write_text(json.dumps(outcome))


if __name__ == "__main__":
    main()
