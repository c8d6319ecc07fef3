"""The foundation: login everywhere, settings from the environment, production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html_tree import parse

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    "/",
    "/lookup/?source=INSTORE&identifierName=mobile&identifierValue=919999000001",
    "/customers/1/",
    "/admin/",
]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python in a fresh process with only the given settings-related variables."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "lookupsite.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client, url):
    """Every page but the login page asks for a login first, and comes back after it."""
    response = client.get(url)
    assert response.status_code == 302
    login = reverse("admin:login") if url.startswith("/admin/") else reverse("login")
    assert response["Location"].startswith(login + "?next=")


@pytest.mark.django_db
def test_it_serves_the_login_page_in_the_admin_style(client):
    """The login page is Django admin's, branded Customer Lookup, and needs no login."""
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = parse(response.content)
    assert page.find("title").text == "Log in | Customer Lookup"
    assert page.find("form", id="login-form").find("input", name="username")
    assert any(link["href"].endswith("admin/css/base.css") for link in page.find_all("link"))


@pytest.mark.django_db
def test_it_logs_a_user_in_and_shows_the_search(client, django_user_model):
    """A support agent who logs in lands on the search page."""
    from django.contrib.auth.models import Group

    agent = django_user_model.objects.create_user("agent", password="a-long-password-1")
    agent.groups.add(Group.objects.get(name="Support agents"))
    response = client.post(
        reverse("login"), {"username": "agent", "password": "a-long-password-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("customers:search")
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_offers_no_self_service_password_reset(client):
    """Accounts are managed in the admin; there is no reset page that would try to send mail."""
    assert client.get("/accounts/password_reset/").status_code == 404
    assert client.get(reverse("password_change")).status_code == 302


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    """With DEBUG off a missing SECRET_KEY fails loudly instead of defaulting."""
    result = run_python("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_it_reads_settings_from_the_environment():
    """DATABASE_URL, REDIS_URL and the lookup settings come from environment variables."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.LOOKUP_API_BASE_URL, s.LOOKUP_API_TIMEOUT, s.SANDBOX_ENABLED, s.DEBUG)"
    )
    result = run_python(
        code,
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/3",
        LOOKUP_API_BASE_URL="https://eu.api.capillarytech.com",
        LOOKUP_API_TIMEOUT="4.5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "customers.platform.cache.RedisCache",
        "https://eu.api.capillarytech.com",
        "4.5",
        "False",
        "False",
    ]


def test_it_defaults_to_sqlite_local_memory_and_the_sandbox():
    """Out of the box: SQLite, a local memory cache and the embedded sandbox."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "repr(s.LOOKUP_API_BASE_URL), s.SANDBOX_ENABLED)"
    )
    result = run_python(code, SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "''",
        "True",
    ]


def test_the_deployment_checks_warn_about_a_per_process_cache():
    """Without a shared cache gunicorn's workers would each count rate limits on their own."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "customers.W001" in result.stdout + result.stderr


def test_it_passes_the_deployment_checks_with_production_values(tmp_path):
    """`manage.py check --deploy` is clean with the production values of .env.example."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            # A database of its own: a developer's db.sqlite3 may hold the demo accounts.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": "x7Kp2vQ9mZ4tR8wL1nB6cY3hJ5fD0sGaE2uI9oP7kV4qW1zX8m3",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_COOKIES": "true",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "LOOKUP_API_BASE_URL": "https://eu.api.capillarytech.com",
            "LOOKUP_API_USERNAME": "till.eu.1",
            "LOOKUP_API_PASSWORD": "secret",
            "SANDBOX_ENABLED": "false",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
