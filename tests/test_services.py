"""The lookup services: what is fetched, what is kept, and for whom."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from customers.exceptions import CustomerMerged, CustomerNotFound
from customers.query import DEFAULT_EMBEDS, LookupQuery
from customers.services import customer_fetch, customer_lookup

pytestmark = pytest.mark.django_db

MOBILE = "919999000001"
AARAV = 5000001


@pytest.fixture
def sandbox(settings):
    """The embedded sandbox, reached in-process and seeded with its showcase members."""
    from customers.sandbox.seeding import seed

    settings.LOOKUP_API_BASE_URL = ""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_LATENCY_MS = 0
    settings.LOOKUP_CACHE_SECONDS = 120
    seed()
    return settings


@pytest.fixture
def backend_calls(caplog):
    """The client's log lines, one per backend call (the customers logger does not propagate)."""
    logger = logging.getLogger("customers.client")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="customers.client")

    def calls() -> list[logging.LogRecord]:
        # A record can reach caplog twice (its own handler and the root's): count each once.
        records = {id(r): r for r in caplog.records if r.name == "customers.client"}
        return [r for r in records.values() if r.getMessage().startswith("GET ")]

    yield calls
    logger.removeHandler(caplog.handler)


@pytest.fixture
def agent():
    return User.objects.create_user("agent")


def query(**params: str) -> LookupQuery:
    defaults = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
    defaults.update(params)
    return LookupQuery.from_params({name: [value] for name, value in defaults.items()})


def test_a_lookup_is_kept_so_the_customer_page_makes_no_second_call(sandbox, agent, backend_calls):
    """After a lookup, fetching the same customer for the same user is served from the cache."""
    response = customer_lookup(query(embed="mlp,points"), user=agent)
    data = customer_fetch(response.customer.id, user=agent)

    assert len(backend_calls()) == 1
    assert data.from_cache
    assert data.customer.id == AARAV
    assert data.request_id == response.request_id
    assert data.query.embed == ("mlp", "points")
    assert data.query.identifiers == ()


def test_the_cache_is_keyed_by_user_and_customer_id_never_by_an_identifier(sandbox, agent):
    """No cache key holds the mobile number that was searched for."""
    customer_lookup(query(), user=agent)

    keys = list(cache._cache.keys())  # the local-memory cache the tests run with
    assert any(f":{agent.pk}:{AARAV}" in key for key in keys)
    assert not any(MOBILE in key for key in keys)


def test_another_user_does_not_get_a_cached_answer(sandbox, agent, backend_calls):
    """Answers are kept per user: a colleague's page calls the backend itself."""
    customer_lookup(query(), user=agent)
    other = User.objects.create_user("colleague")

    data = customer_fetch(AARAV, user=other)

    assert not data.from_cache
    assert len(backend_calls()) == 2


def test_refresh_calls_again_with_the_lookups_embeds(sandbox, agent, backend_calls):
    """A refresh skips the cache and asks by id for the blocks the lookup asked for."""
    first = customer_lookup(query(embed="points"), user=agent)

    data = customer_fetch(AARAV, user=agent, refresh=True)

    assert not data.from_cache
    assert data.request_id != first.request_id
    assert data.query.embed == ("points",)
    assert "loyaltyProgramDetails" not in data.customer.raw
    assert data.customer.points_summary is not None
    assert len(backend_calls()) == 2
    assert customer_fetch(AARAV, user=agent).request_id == data.request_id


def test_once_the_answer_expired_a_page_fetches_by_id_with_default_embeds(
    sandbox, agent, backend_calls
):
    """Without a kept answer the page asks by id for the default blocks."""
    sandbox.LOOKUP_CACHE_SECONDS = 0
    customer_lookup(query(embed="points"), user=agent)

    data = customer_fetch(AARAV, user=agent)

    assert not data.from_cache
    assert data.query.embed == DEFAULT_EMBEDS
    assert data.customer.programs
    assert len(backend_calls()) == 2


def test_gap_days_are_fetched_with_mlp_and_kept_per_number_of_days(sandbox, agent, backend_calls):
    """The tiers page's days ask for gapToUpgrade/gapToRenew N days ahead, cached per N."""
    customer_lookup(query(embed="points"), user=agent)

    thirty = customer_fetch(AARAV, user=agent, days=30)
    again = customer_fetch(AARAV, user=agent, days=30)
    today = customer_fetch(AARAV, user=agent, days=0)

    assert thirty.query.gap_to_upgrade == thirty.query.gap_to_renew == 30
    assert "mlp" in thirty.query.embed and "points" in thirty.query.embed
    assert any(program.upgrade_strategies for program in thirty.customer.programs)
    assert again.from_cache and again.request_id == thirty.request_id
    assert not today.from_cache and today.query.gap_to_upgrade == 0
    assert len(backend_calls()) == 3


def test_days_the_lookup_already_asked_for_reuse_its_answer(sandbox, agent, backend_calls):
    """A lookup made with gapToUpgrade=gapToRenew=30 answers the tiers page for 30 days."""
    looked_up = customer_lookup(query(embed="mlp", gapToUpgrade="30", gapToRenew="30"), user=agent)

    data = customer_fetch(AARAV, user=agent, days=30)

    assert data.from_cache and data.request_id == looked_up.request_id
    assert len(backend_calls()) == 1


def test_fetched_at_is_an_aware_time_of_the_backend_call(sandbox, agent):
    """ "Data as of" is when the backend answered, kept with the cached answer."""
    before = timezone.now()
    customer_lookup(query(), user=agent)
    data = customer_fetch(AARAV, user=agent)

    assert timezone.is_aware(data.fetched_at)
    assert before <= data.fetched_at <= timezone.now()


def test_fetch_errors_are_the_clients_errors(sandbox, agent):
    """An unknown id is not found; a merge victim by id is merged (8069)."""
    with pytest.raises(CustomerNotFound):
        customer_fetch(4999999, user=agent)
    with pytest.raises(CustomerMerged) as merged:
        customer_fetch(5000008, user=agent)
    assert merged.value.code == 8069
    assert merged.value.request_id


def test_a_failed_lookup_keeps_nothing(sandbox, agent):
    """Not found leaves the cache empty."""
    with pytest.raises(CustomerNotFound):
        customer_lookup(query(identifierValue="919999999999"), user=agent)
    assert not [key for key in cache._cache.keys() if "customers:result" in key]
