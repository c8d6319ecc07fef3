"""The lookup services: what is fetched, what is kept, and for whom."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.utils import timezone

from customers.capillary.exceptions import CustomerMerged, CustomerNotFound
from customers.capillary.query import DEFAULT_EMBEDS, LookupQuery
from customers.errors import LookupRateLimited, SourceNotAllowed
from customers.lookup import services
from customers.lookup.services import (
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


def new_session() -> SessionBase:
    """A session of the configured engine, as a request has (never saved here)."""
    return import_module(settings.SESSION_ENGINE).SessionStore()


def cache_keys() -> list[str]:
    """Every key the app's cache holds, as the app names them (local memory or Redis)."""
    if hasattr(cache._cache, "get_client"):
        prefix = cache.make_key("")
        raw = cache._cache.get_client(None).keys(prefix + "*")
        return [key.decode().removeprefix(prefix) for key in raw]
    return [key.split(":", 2)[2] for key in list(cache._cache)]


def paths(records: list) -> list[str]:
    """The paths of the backend calls logged."""
    return [record.lookup_call["path"] for record in records]


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
    """The tiers page's days ask for gapToUpgrade/gapToRenew N days ahead, cached per N: by the
    lookup again, with the session's identifiers (the by-id call takes no gaps)."""
    session = new_session()
    customer_lookup(query(embed="points"), user=agent, session=session)

    thirty = customer_fetch(AARAV, user=agent, days=30, session=session)
    again = customer_fetch(AARAV, user=agent, days=30, session=session)
    today = customer_fetch(AARAV, user=agent, days=0, session=session)

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


# Pages fetched again: by id with what that call takes, else the lookup again in the session


LOOKUP_PATH = "/v2/customers/lookup/customerDetails"
BY_ID_PATH = f"/v2/customers/{AARAV}"


def test_within_the_session_an_expired_answer_is_looked_up_again_with_every_block(
    sandbox, agent, backend_calls
):
    """The default blocks include alternate currencies and customer status, which the by-id call
    does not return: in the session that looked the member up, the page runs the lookup again
    (identifiers from the session) and shows them, leaving nothing out."""
    session = new_session()
    lookup = query(embed=",".join(DEFAULT_EMBEDS))
    customer_lookup(lookup, user=agent, session=session)
    cache.delete(answer_key(agent, lookup))

    data = customer_fetch(AARAV, user=agent, session=session)

    assert paths(backend_calls()) == [LOOKUP_PATH, LOOKUP_PATH]
    assert data.left_out == ()
    assert data.customer.alternate_currencies
    assert data.customer.customer_status is not None
    assert data.query.identifiers == ()


def test_without_the_sessions_identifiers_a_page_comes_by_id_and_says_what_it_lacks(
    sandbox, agent, backend_calls
):
    """Another session (or none) has no identifiers: the page asks by id with only what that call
    takes, and the answer says what it could not carry."""
    lookup = query(embed=",".join(DEFAULT_EMBEDS))
    customer_lookup(lookup, user=agent, session=new_session())
    cache.delete(answer_key(agent, lookup))

    data = customer_fetch(AARAV, user=agent, session=new_session())

    [_, by_id] = backend_calls()
    assert by_id.lookup_call["path"] == BY_ID_PATH
    assert by_id.lookup_call["params"] == {
        "source": "INSTORE",
        "embed": "mlp,points,expirySchedules,subscriptions,segments",
    }
    assert set(data.left_out) == {"alternateCurrencies", "customerStatus"}
    assert data.customer.alternate_currencies == ()
    assert data.customer.programs


def test_a_query_the_by_id_call_can_serve_is_not_looked_up_again(sandbox, agent, backend_calls):
    """Blocks the by-id call takes, in a source it takes: by id, even within the session."""
    session = new_session()
    lookup = query(embed="mlp,points")
    customer_lookup(lookup, user=agent, session=session)

    customer_fetch(AARAV, user=agent, refresh=True, session=session)

    assert paths(backend_calls()) == [LOOKUP_PATH, BY_ID_PATH]


def test_a_source_the_by_id_call_does_not_take_is_looked_up_again_in_the_session(
    sandbox, agent, backend_calls
):
    """MOBILE_APP is not a by-id source: the session's identifiers run the lookup in MOBILE_APP
    again; without them the by-id call asks ALL and says so."""
    session = new_session()
    lookup = query(source="MOBILE_APP", accountId="mapp-01", identifierValue="919999000007")
    looked_up = customer_lookup(lookup, user=agent, session=session)

    again = customer_fetch(looked_up.customer.id, user=agent, refresh=True, session=session)
    elsewhere = customer_fetch(
        looked_up.customer.id, user=agent, refresh=True, session=new_session()
    )

    sent = [record.lookup_call for record in backend_calls()]
    assert [call["params"]["source"] for call in sent] == ["MOBILE_APP", "MOBILE_APP", "ALL"]
    assert again.left_out == ()
    assert "source" in elsewhere.left_out


def test_the_sessions_identifiers_are_in_no_url_cache_key_or_log_line(
    sandbox, agent, backend_calls
):
    """Kept in the session only: the cache's keys, the queries it keeps, the log lines and the
    page's query hold no mobile number (the member's document, kept for its pages, is the
    member's data)."""
    session = new_session()
    lookup = query(embed=",".join(DEFAULT_EMBEDS))
    customer_lookup(lookup, user=agent, session=session)
    cache.delete(answer_key(agent, lookup))
    data = customer_fetch(AARAV, user=agent, days=30, session=session)

    assert services.remembered_identifiers(session, AARAV) == (("mobile", MOBILE),)
    assert MOBILE not in repr(data.query)
    for key in cache_keys():
        assert MOBILE not in key
        kept = cache.get(key)
        if isinstance(kept, dict):
            assert MOBILE not in repr(kept["query"] if "document" in kept else kept)
    for record in backend_calls():
        assert MOBILE not in record.getMessage()
        assert MOBILE not in repr(record.lookup_call)


def test_identifiers_that_now_find_someone_else_fall_back_to_by_id(sandbox, agent, backend_calls):
    """The session's identifiers are only a way back to the same customer: if the lookup answers
    another one, the page asks by id instead."""
    session = new_session()
    services.remember_identifiers(session, AARAV, (("mobile", "919999000002"),))

    data = customer_fetch(AARAV, user=agent, session=session)

    assert data.customer.id == AARAV
    assert paths(backend_calls()) == [LOOKUP_PATH, BY_ID_PATH]


def test_the_session_keeps_the_identifiers_of_its_last_members_only(sandbox):
    """At most REMEMBERED_MEMBERS customers, the oldest forgotten first; the same identifiers
    again change nothing (no session save)."""
    session = new_session()
    for number in range(services.REMEMBERED_MEMBERS + 2):
        services.remember_identifiers(session, number, (("mobile", f"91999900{number:04d}"),))
    session.modified = False
    services.remember_identifiers(session, 21, (("mobile", "919999000021"),))

    assert not session.modified
    assert services.remembered_identifiers(session, 0) == ()
    assert services.remembered_identifiers(session, 2) == (("mobile", "919999000002"),)
    assert len(session[services.SESSION_IDENTIFIERS]) == services.REMEMBERED_MEMBERS
