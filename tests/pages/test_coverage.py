"""Known, none, or not in this answer and why (customers.pages.coverage), on documents in the
reference's shapes."""

import dataclasses

import pytest

from customers.capillary.query import GAP_TO_RENEW, GAP_TO_UPGRADE, LookupQuery
from customers.capillary.records import Customer
from customers.lookup.forms import EMBED_LABELS, FLAGS
from customers.pages import coverage
from tests import documents

SEARCH = LookupQuery(
    source="INSTORE",
    embed=("mlp", "points", "expirySchedules"),
    included_fraud_details=True,
    gap_to_upgrade=0,
    gap_to_renew=0,
)


def test_a_block_missing_from_the_answer_is_never_none():
    """The lookup sample carries fraudDetails and no expirySchedules: fraud is shown; the
    schedule asked for and not sent is "not in this answer", with the reason and no advice to
    search again (a new search cannot bring it)."""
    customer = Customer.from_json(documents.lookup_sample_shape())

    fraud = coverage.coverage(customer, "fraud details", SEARCH)
    schedule = coverage.coverage(customer, "expiry schedule", SEARCH)

    assert fraud.state == coverage.SHOWN and fraud.known
    assert schedule.state == coverage.NOT_SENT and not schedule.known
    assert schedule.not_in_answer == (
        "Expiry schedule: not in this answer (asked for, and Capillary sent none)"
    )
    assert schedule.advice == ""


def test_an_empty_block_is_none_and_a_block_not_asked_names_the_box():
    """An empty expirySchedules says none; expiredPoints not asked for names its box."""
    document = documents.lookup_sample_shape()
    document["expirySchedules"] = []
    customer = Customer.from_json(document)

    assert coverage.coverage(customer, "expiry schedule", SEARCH).state == coverage.NONE
    expired = coverage.coverage(customer, "expired points", SEARCH)
    assert expired.state == coverage.NOT_ASKED
    assert expired.advice == "Search again with “Expired points” ticked."


def test_cards_left_out_on_purpose_are_not_no_cards():
    """With ignoreCardDetails the answer has no cardDetails: left out, untick to get them."""
    document = documents.lookup_sample_shape()
    del document["cardDetails"]
    query = dataclasses.replace(SEARCH, embed=(*SEARCH.embed, "ignoreCardDetails"))

    cards = coverage.coverage(Customer.from_json(document), "cards", query)

    assert cards.state == coverage.LEFT_OUT
    assert cards.advice == "Search again with “Leave cards out (faster)” unticked."


def test_without_the_query_a_missing_block_is_only_not_in_this_answer():
    customer = Customer.from_json(documents.lookup_sample_shape())

    status = coverage.coverage(customer, "customer status")

    assert status.state == coverage.UNKNOWN
    assert status.not_in_answer == "Customer status: not in this answer"


def test_a_block_the_by_id_call_cannot_ask_for_says_so():
    customer = Customer.from_json(documents.by_id_sample_shape())
    query = dataclasses.replace(SEARCH, embed=(*SEARCH.embed, "customerStatus"))

    status = coverage.coverage(customer, "customer status", query, left_out=("customerStatus",))

    assert status.state == coverage.BY_ID
    assert status.advice == "Look the member up again from the search to see it."


def test_gaps_per_program():
    """Gaps asked and sent empty are none; not asked name the tiers box; a base tier's renewal
    and a top tier's upgrade are none by the reference, never "search again"."""
    fragment = documents.mlp_fragment_shape()  # Silver (2) and Tier1 (the base)
    fragment[0]["upgradeStrategies"] = []
    silver, base = Customer.from_json({"id": 1, "loyaltyProgramDetails": fragment}).programs

    assert coverage.gap_coverage(silver, GAP_TO_UPGRADE, SEARCH).state == coverage.NONE
    assert coverage.gap_coverage(silver, GAP_TO_RENEW, SEARCH).state == coverage.NOT_SENT
    assert coverage.gap_coverage(base, GAP_TO_RENEW, SEARCH).state == coverage.NONE
    plain = LookupQuery(source="INSTORE", embed=("mlp",))
    not_asked = coverage.gap_coverage(silver, GAP_TO_RENEW, plain)
    assert not_asked.state == coverage.NOT_ASKED and "Tiers per program" in not_asked.advice


@pytest.mark.parametrize("block", sorted(coverage.BLOCKS))
def test_the_boxes_named_are_the_search_forms(block):
    """Advice names a box the search form really has, in its own words."""
    labels = {*EMBED_LABELS.values(), *(label for _, label in FLAGS)}
    assert coverage.BLOCKS[block].box in labels
