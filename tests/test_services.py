"""The lookup services: what is fetched, what is kept, and for whom."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from customers import services
from customers.capillary.exceptions import CustomerMerged, CustomerNotFound
from customers.capillary.query import DEFAULT_EMBEDS, LookupQuery
from customers.exceptions import LookupRateLimited, SourceNotAllowed
from customers.services import (
    customer_fetch,
    customer_lookup,
    tiers_days,
)

pytestmark = pytest.mark.django_db

MOBILE = "919999000001"
AARAV = 5000001
WECHAT_ONLY = 919999000011


def query(**params: str) -> LookupQuery:
    defaults = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
    defaults.update(params)
    return LookupQuery.from_params({name: [value] for name, value in defaults.items()})


def answer_key(user: User, lookup: LookupQuery) -> str:
    """Where the answer to `lookup` is kept for `user` and the customer."""
    return services._key(user, AARAV, services._entry_query(lookup))


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
    """The answer and the remembered query are under the user's and the customer's ids, and
    neither holds the mobile number that was searched for."""
    lookup = query()
    customer_lookup(lookup, user=agent)

    key = answer_key(agent, lookup)
    answer = cache.get(key)
    remembered = cache.get(f"customers:query:{agent.pk}:{AARAV}")
    assert key.startswith(f"customers:result:{agent.pk}:{AARAV}:") and MOBILE not in key
    assert answer["document"]["id"] == AARAV
    assert remembered["source"] == "INSTORE" and "identifiers" not in remembered
    assert MOBILE not in repr(remembered)


def test_another_user_does_not_get_a_cached_answer(sandbox, agent, backend_calls):
    """Answers are kept per user: a colleague's page calls the backend itself."""
    customer_lookup(query(), user=agent)
    other = User.objects.create_user("colleague")
    other.groups.add(Group.objects.get(name="Support agents"))

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


def test_once_the_answer_expired_a_page_fetches_by_id_with_the_lookups_query(
    sandbox, agent, backend_calls
):
    """Without a kept answer the page asks by id with the lookup's source, account and blocks,
    remembered far longer than the answer."""
    lookup = query(embed="points")
    customer_lookup(lookup, user=agent)
    cache.delete(answer_key(agent, lookup))

    data = customer_fetch(AARAV, user=agent)

    assert not data.from_cache
    assert data.query.embed == ("points",)
    assert data.customer.points_summary is not None
    assert len(backend_calls()) == 2


def test_a_wechat_only_member_is_fetched_by_id_in_wechat_once_the_answer_expired(
    sandbox, agent, backend_calls
):
    """A member only in WECHAT is asked for in WECHAT with the lookup's account, not INSTORE."""
    lookup = query(source="WECHAT", accountId="wechat-cn-01", identifierValue=str(WECHAT_ONLY))
    looked_up = customer_lookup(lookup, user=agent)
    cache.delete(services._key(agent, looked_up.customer.id, services._entry_query(lookup)))

    data = customer_fetch(looked_up.customer.id, user=agent)

    assert data.customer.id == looked_up.customer.id
    assert (data.query.source, data.query.account_id) == ("WECHAT", "wechat-cn-01")
    assert len(backend_calls()) == 2


def test_a_customer_never_looked_up_is_fetched_with_the_default_blocks(sandbox, agent):
    """A deep link to a customer the user never looked up asks INSTORE for the default blocks."""
    data = customer_fetch(AARAV, user=agent)

    assert (data.query.source, data.query.embed) == ("INSTORE", DEFAULT_EMBEDS)
    assert data.customer.programs


def test_a_page_fetched_by_id_asks_for_the_fraud_status_by_default(sandbox, agent):
    """Without a remembered lookup the default query sets includedFraudDetails, so a fraud
    mark shows on the confirmed-fraud member's pages."""
    fraud = customer_lookup(query(identifierValue="919999000006"), user=agent).customer.id
    cache.clear()

    data = customer_fetch(fraud, user=agent)

    assert data.query.included_fraud_details
    assert data.customer.fraud_details.status == "CONFIRMED"


def test_a_store_manager_never_looked_up_is_asked_in_instore_when_allowed(sandbox):
    """A page by id of a customer never looked up asks INSTORE (no accountId needed) when the
    user may use it, whatever the order of STORE_MANAGER_SOURCES."""
    sandbox.STORE_MANAGER_SOURCES = ["MARTJACK", "INSTORE"]
    manager = User.objects.create_user("manager")
    manager.groups.add(Group.objects.get(name="Store managers"))

    assert customer_fetch(AARAV, user=manager).query.source == "INSTORE"


def test_a_source_the_user_may_not_use_is_refused_before_any_call(sandbox, agent, backend_calls):
    """A store manager restricted to MARTJACK gets no INSTORE page, cached or not."""
    customer_lookup(query(), user=agent)
    sandbox.STORE_MANAGER_SOURCES = ["MARTJACK"]
    manager = User.objects.create_user("manager")
    manager.groups.add(Group.objects.get(name="Store managers"))

    with pytest.raises(SourceNotAllowed) as refused:
        customer_fetch(AARAV, user=manager, query=customer_fetch(AARAV, user=agent).query)
    with pytest.raises(SourceNotAllowed):
        customer_lookup(query(), user=manager)

    assert (refused.value.source, refused.value.allowed) == ("INSTORE", ["MARTJACK"])
    assert len(backend_calls()) == 1


def test_every_backend_call_spends_from_the_lookup_rate_limit(
    sandbox, agent, backend_calls, one_rate_window
):
    """Lookup, by-id fetch, days fetch and refresh share one limit; cached pages spend nothing."""
    sandbox.LOOKUP_RATE_LIMIT = "3/h"
    one_rate_window("3/h")
    customer_lookup(query(embed="points"), user=agent)
    for _ in range(5):
        customer_fetch(AARAV, user=agent)
    customer_fetch(5000002, user=agent)
    customer_fetch(AARAV, user=agent, days=30)

    for call in (
        lambda: customer_fetch(AARAV, user=agent, refresh=True),
        lambda: customer_fetch(AARAV, user=agent, days=60),
        lambda: customer_fetch(5000003, user=agent),
        lambda: customer_lookup(query(), user=agent),
    ):
        with pytest.raises(LookupRateLimited) as limited:
            call()
        assert limited.value.limit == 3 and limited.value.retry_after > 0
    assert customer_fetch(AARAV, user=agent).from_cache
    assert len(backend_calls()) == 3


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"embed": "points"}, 0),
        ({"embed": "mlp"}, 0),
        ({"embed": "mlp", "gapToUpgrade": "30", "gapToRenew": "90"}, None),
        ({"embed": "mlp", "gapToRenew": "90"}, 90),
        ({"embed": "mlp", "gapToUpgrade": "0"}, 0),
    ],
)
def test_the_tiers_page_uses_the_lookups_gaps_or_asks_for_todays(sandbox, agent, params, days):
    """With both gaps asked the main answer serves the tiers page as asked; with one, both are
    asked as of that day; with none, as of today."""
    customer_lookup(query(**params), user=agent)

    assert tiers_days(services.page_query(AARAV, user=agent)) == days


def test_the_tiers_page_of_a_customer_never_looked_up_asks_for_todays_gaps(sandbox, agent):
    """No lookup, no gaps asked: the tiers page asks for days=0."""
    data = customer_fetch(AARAV, user=agent, tiers=True)

    assert (data.query.gap_to_upgrade, data.query.gap_to_renew) == (0, 0)


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
    """Not found (here: a member's mobile in a source they have no profile in) keeps neither
    an answer nor a query for the customer's pages."""
    lookup = query(source="WECHAT", accountId="wechat-cn-01")
    with pytest.raises(CustomerNotFound):
        customer_lookup(lookup, user=agent)

    assert cache.get(answer_key(agent, lookup)) is None
    assert cache.get(f"customers:query:{agent.pk}:{AARAV}") is None


def test_with_caching_off_the_redirect_still_reuses_the_lookup(
    sandbox, agent, backend_calls, one_rate_window
):
    """LOOKUP_CACHE_SECONDS=0 still serves the page the lookup redirects to from its answer:
    one backend call, one unit of the rate limit."""
    sandbox.LOOKUP_CACHE_SECONDS = 0
    sandbox.LOOKUP_RATE_LIMIT = "1/h"
    one_rate_window("1/h")
    customer_lookup(query(), user=agent)

    assert customer_fetch(AARAV, user=agent).from_cache
    assert len(backend_calls()) == 1


def test_a_remembered_query_from_an_older_release_is_ignored(sandbox, agent):
    """A remembered query that no longer fits LookupQuery (a field renamed in a deploy) is
    treated as none: the default query, not a 500."""
    cache.set(f"customers:query:{agent.pk}:{AARAV}", {"source": "INSTORE", "renamed": 1})

    assert customer_fetch(AARAV, user=agent).query.source == "INSTORE"


def test_a_manager_limited_to_sources_with_accounts_is_asked_to_search_first(
    sandbox, agent, backend_calls
):
    """Sources other than INSTORE and ALL need an accountId only a lookup tells: a page by id
    of a customer never looked up is refused before any backend call."""
    sandbox.STORE_MANAGER_SOURCES = ["MARTJACK"]
    manager = User.objects.create_user("manager")
    manager.groups.add(Group.objects.get(name="Store managers"))

    with pytest.raises(SourceNotAllowed):
        customer_fetch(AARAV, user=manager)
    assert backend_calls() == []


def test_a_new_lookup_with_other_blocks_replaces_what_the_pages_show(sandbox, agent):
    """The tiers page's answer is kept per query: a second lookup of the same customer with
    other blocks is not answered from the first one's."""
    customer_lookup(query(embed="mlp"), user=agent)
    first = customer_fetch(AARAV, user=agent, days=0)
    customer_lookup(query(embed="mlp,alternateCurrencies"), user=agent)

    second = customer_fetch(AARAV, user=agent, days=0)

    assert not second.from_cache
    assert second.request_id != first.request_id
    assert "alternateCurrencies" in second.query.embed
