"""Every page on generated documents (tests/generated.py): every optional block present,
empty, null or absent, gaps in every allowed position. For each page: it renders (no 500), it
makes no "none" / "nothing" / "no ..." claim about a block the answer did not carry, and every
program's balance it shows is the document's, to the last decimal."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from customers.capillary.query import LookupQuery
from customers.capillary.records import Customer
from customers.pages.numbers import format_number
from customers.pages.summary import copy_summary
from tests import generated
from tests.pages.test_truth import render, text_of

SECTIONS = ("overview", "programs", "cards", "currencies", "tiers", "profile")
QUERY = LookupQuery(
    source="INSTORE",
    embed=("mlp", "points", "expirySchedules", "expiredPoints", "promotionalPoints"),
    included_fraud_details=True,
    included_user_group2_loyalty_details=True,
    gap_to_upgrade=0,
    gap_to_renew=0,
)
# What a page may say only when the answer carried the block (empty or not).
CLAIMS = {
    "fraudDetails": ("no fraud flag",),
    "expirySchedules": ("none due", "No points due to expire.", "no points expiring"),
    "cardDetails": ("No cards on this customer.", "no card problem"),
    "userGroup2LoyaltyDetails": ("Not in a user group.",),
    "promotionalPoints": ("No promotional points.",),
    "expiredPoints": ("The answer lists no expired batches",),
}
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
@PROPERTY
@given(generated.documents())
def test_no_page_claims_what_the_answer_did_not_carry(document):
    presence = document.pop("_presence")
    customer = Customer.from_json(document)
    pages = {section: text_of(render(section, customer, QUERY)) for section in SECTIONS}
    pages["summary"] = copy_summary(customer, query=QUERY)

    for key, phrases in CLAIMS.items():
        if presence[key] in (generated.FULL, generated.EMPTY):
            continue
        for name, text in pages.items():
            for phrase in phrases:
                assert phrase not in text, (name, key, presence[key], phrase)
    programs_page = pages["programs"]
    for program in customer.all_programs:
        if program.loyalty_points is not None:
            assert format_number(program.loyalty_points) in programs_page
    for raw in document.get("loyaltyProgramDetails") or []:
        if "loyaltyPoints" in raw:
            shown = format_number(Decimal(repr(raw["loyaltyPoints"])))
            assert shown in programs_page, shown
