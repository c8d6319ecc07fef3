"""The per-user lookup rate limit (shared through the cache) and the failed-login throttle."""

import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import OperationalError, connections
from django.test import Client, RequestFactory, override_settings

from customers.platform.ratelimit import Rate, check_lookup_rate, parse_rate

# Counts live in the database unless the cache is Redis.
pytestmark = pytest.mark.django_db

# Password hashing is not under test here; the fast hasher keeps these tests quick.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REDIS_URL = "redis://127.0.0.1:6379/0"
PROJECT = Path(__file__).resolve().parents[2]
HOUR = 3600
# A Unix time at the start of an hour (and of a day), so windows are predictable.
START = 1_800_000_000 - 1_800_000_000 % 86400


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def raw_redis():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)


def redis_reachable() -> bool:
    try:
        return bool(raw_redis().ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL} (CI runs one)"
)


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("120/h", Rate(120, 3600)),
        ("10/m", Rate(10, 60)),
        ("1000/d", Rate(1000, 86400)),
        ("5/15m", Rate(5, 900)),
        (" 30 / hour ", Rate(30, 3600)),
        ("2/S", Rate(2, 1)),
    ],
)
def test_it_parses_rates(text, rate):
    """Rates are a count per optional multiple of seconds, minutes, hours or days."""
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "0", "off", "None"])
def test_it_reads_empty_zero_and_off_as_no_limit(text):
    """An empty, zero or "off" rate switches the limit off."""
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["120", "abc", "120/w", "-1/h", "1.5/h"])
def test_it_refuses_a_malformed_rate(text):
    """A typo in the setting is a configuration error, not a silent "no limit"."""
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


@override_settings(LOOKUP_RATE_LIMIT="3/h")
def test_it_refuses_the_lookup_after_the_limit_within_the_window():
    """Three lookups an hour: the fourth is refused, with the seconds left in the window."""
    user = User(pk=1, username="agent")
    decisions = [check_lookup_rate(user, now=START + 600 + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.used for d in decisions] == [1, 2, 3, 4]
    assert decisions[0].retry_after == 0
    assert decisions[3].retry_after == HOUR - 603
    assert decisions[3].limit == 3


@override_settings(LOOKUP_RATE_LIMIT="3/h")
def test_it_starts_a_new_count_in_the_next_window():
    """A user refused at the end of one hour may look up again in the next."""
    user = User(pk=1, username="agent")
    for _ in range(4):
        check_lookup_rate(user, now=START + HOUR - 1)
    assert not check_lookup_rate(user, now=START + HOUR - 1).allowed
    fresh = check_lookup_rate(user, now=START + HOUR)
    assert (fresh.allowed, fresh.used) == (True, 1)


@override_settings(LOOKUP_RATE_LIMIT="2/m")
def test_it_counts_each_user_separately():
    """One user's lookups do not use up another's."""
    first, second = User(pk=1, username="a"), User(pk=2, username="b")
    for _ in range(3):
        check_lookup_rate(first, now=START)
    assert not check_lookup_rate(first, now=START).allowed
    assert check_lookup_rate(second, now=START).allowed


@override_settings(LOOKUP_RATE_LIMIT="off")
def test_it_allows_everything_when_off():
    """With the limit off every lookup is allowed."""
    user = User(pk=1, username="agent")
    assert all(check_lookup_rate(user, now=START).allowed for _ in range(500))


@needs_redis
def test_it_holds_within_one_process_on_redis():
    """With Redis as the cache, the counter behaves as with the local one."""
    prefix = f"test-{random.getrandbits(48):x}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, LOOKUP_RATE_LIMIT="3/h"):
        from django.core.cache import caches as handler

        redis_cache = handler["default"]
        try:
            user = User(pk=7, username="agent")
            allowed = [check_lookup_rate(user, now=START).allowed for _ in range(5)]
            assert allowed == [True, True, True, False, False]
            assert raw_redis().keys(f"{prefix}:*")
        finally:
            redis_cache.clear()


COUNT_LOOKUPS = """
import sys
import django

django.setup()
from django.contrib.auth.models import User
from customers.platform.ratelimit import check_lookup_rate

user = User(pk=int(sys.argv[1]), username="agent")
print(sum(check_lookup_rate(user).allowed for _ in range(int(sys.argv[2]))))
"""


@needs_redis
def test_it_holds_across_two_processes_sharing_redis(one_rate_window):
    """Two server processes with REDIS_URL set share one count: 40 attempts from each against a
    limit of 50 a day allow exactly 50 in all."""
    user_pk = random.randrange(10**12, 10**13)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lookupsite.settings",
        "SECRET_KEY": "test-only-not-secret",
        "REDIS_URL": REDIS_URL,
        "LOOKUP_RATE_LIMIT": "50/d",
    }
    one_rate_window("50/d")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_LOOKUPS, str(user_pk), "40"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        results = [process.communicate(timeout=60) for process in processes]
    finally:
        keys = raw_redis().keys(f"*lookup-rate:{user_pk}:*")
        if keys:
            raw_redis().delete(*keys)
    assert [process.returncode for process in processes] == [0, 0], results
    allowed = [int(out.strip()) for out, _ in results]
    assert sum(allowed) == 50
    assert all(count >= 10 for count in allowed)


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT="3/15m")
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_it_refuses_sign_in_after_repeated_failures_with_a_clear_message(one_rate_window):
    """After three wrong passwords, even the right one is refused for a while, and the page
    says why instead of "wrong password"."""
    one_rate_window("3/15m")
    User.objects.create_user("agent", password="right-password-1")
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(3):
        response = client.post(
            "/accounts/login/", {"username": "agent", "password": "wrong-password"}
        )
        assert b"Please enter a correct username and password" in response.content
    response = client.post(
        "/accounts/login/", {"username": "agent", "password": "right-password-1"}
    )
    assert response.status_code == 200
    assert re.search(
        rb"Too many failed sign-in attempts\. Try again in (1 minute|([2-9]|1[0-5]) minutes)\.",
        response.content,
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT="3/15m")
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_the_throttle_is_per_address_and_username(one_rate_window):
    """Failures for one username from one address do not lock out another address or another
    username."""
    one_rate_window("3/15m")
    User.objects.create_user("agent", password="right-password-1")
    User.objects.create_user("manager", password="right-password-2")
    attacker = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(4):
        attacker.post("/accounts/login/", {"username": "agent", "password": "wrong-password"})
    desk = Client(REMOTE_ADDR="198.51.100.21")
    response = desk.post("/accounts/login/", {"username": "agent", "password": "right-password-1"})
    assert response.status_code == 302
    response = attacker.post(
        "/accounts/login/", {"username": "manager", "password": "right-password-2"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT="3/15m")
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_the_admin_login_is_throttled_too(one_rate_window):
    """The admin's own login form goes through the same backend."""
    one_rate_window("3/15m")
    User.objects.create_superuser("root", password="right-password-3")
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(3):
        client.post("/admin/login/", {"username": "root", "password": "nope"})
    response = client.post("/admin/login/", {"username": "root", "password": "right-password-3"})
    assert b"Too many failed sign-in attempts" in response.content


class SlowHasher(MD5PasswordHasher):
    """Takes as long as a production password hash (PBKDF2, about 0.3 s), without its CPU."""

    def encode(self, password: str, salt: str) -> str:
        time.sleep(0.3)
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        time.sleep(0.3)
        return super().verify(password, encoded)


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURE_LIMIT="5/15m")
@override_settings(PASSWORD_HASHERS=["tests.platform.test_ratelimit.SlowHasher"])
def test_the_sign_in_throttle_holds_against_parallel_attempts(one_rate_window):
    """16 wrong passwords sent at once for one username from one address: 5 are checked, the
    other 11 refused, as if they had come one after the other."""
    User.objects.create_user("agent", password="right-password-1")
    one_rate_window("5/15m")
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="198.51.100.40")
        try:
            user = authenticate(request, username="agent", password=f"guess-{number}")
            outcomes.append("signed in" if user else "wrong password")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused"] * 11 + ["wrong password"] * 5


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT="3/15m")
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_signing_in_does_not_count_as_a_failure(one_rate_window):
    """Two failures, then the right password twice: under a limit of three, the second sign-in
    still works, because a successful one is not counted."""
    User.objects.create_user("agent", password="right-password-1")
    one_rate_window("3/15m")
    client = Client(REMOTE_ADDR="198.51.100.50")
    wrong = {"username": "agent", "password": "wrong-password"}
    right = {"username": "agent", "password": "right-password-1"}
    for _ in range(2):
        client.post("/accounts/login/", wrong)
    assert client.post("/accounts/login/", right).status_code == 302
    client.logout()
    assert client.post("/accounts/login/", right).status_code == 302


class FailingHasher(MD5PasswordHasher):
    """A password check that fails with an error, as one does when the database drops."""

    def verify(self, password: str, encoded: str) -> bool:
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT="3/15m")
def test_errors_while_checking_a_password_are_not_failed_sign_ins(settings, one_rate_window):
    """Three sign-ins that fail with an error (a 500) leave the limit untouched: once the
    check works again, the right password signs in."""
    one_rate_window("3/15m")
    settings.PASSWORD_HASHERS = FAST_HASHER
    User.objects.create_user("agent", password="right-password-1")
    client = Client(REMOTE_ADDR="198.51.100.60", raise_request_exception=False)
    right = {"username": "agent", "password": "right-password-1"}
    settings.PASSWORD_HASHERS = ["tests.platform.test_ratelimit.FailingHasher"]
    for _ in range(3):
        assert client.post("/accounts/login/", right).status_code == 500

    settings.PASSWORD_HASHERS = FAST_HASHER

    assert client.post("/accounts/login/", right).status_code == 302
