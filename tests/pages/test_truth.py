"""Never say more than the answer holds: what the pages say about documents shaped like
Capillary's reference (tests/documents.py), for each point of the issue."""

import dataclasses
import html
import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import RequestFactory

from customers.capillary.query import LookupQuery
from customers.capillary.records import BackendWarning, Customer
from customers.lookup.views import section_page
from customers.pages import glossary, labels, overview
from customers.pages.backend_warnings import warning_sentence
from customers.pages.not_found import not_found_help
from customers.pages.numbers import format_number
from customers.pages.summary import copy_summary
from tests import documents
from tests.pages import test_sections as sections
from tests.pages.test_overview import API_WORDS, visible_text

TODAY = date(2026, 12, 7)
SEARCH = LookupQuery(
    source="INSTORE",
    identifiers=(("mobile", "919800000011"),),
    embed=("mlp", "points", "expirySchedules"),
    included_fraud_details=True,
    gap_to_upgrade=0,
    gap_to_renew=0,
)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def render(section: str, customer: Customer, lookup: LookupQuery | None = None) -> str:
    """The section as the customer's page renders it, for an answer to `lookup` (the page's
    context carries the query, as the customer views give it)."""
    request = RequestFactory().get(f"/customers/{customer.id}/{section}/")
    request.user = User(username="truth-agent")
    context = {
        "customer": customer,
        "section": section,
        "fetched_at": sections.FETCHED_AT,
        "request_id": "req-truth-1",
        "latency_ms": 12,
        "pii_unmasked": False,
        "revealed": set(),
        "can_reveal": True,
        "can_see_raw": True,
        "history_summary": None,
        "days": 0,
        "title": section,
        "query": lookup,
        "left_out": (),
        **section_page(request, section, customer),
    }
    return render_to_string(f"customers/customer/{section}.html", context, request=request)


# 1. Known, unknown, none


def test_nothing_urgent_claims_only_what_the_answer_covers():
    """The lookup sample without fraudDetails and without an expiry schedule: Needs attention
    does not say "no fraud flag" or "no points expiring"; it names what it could not check."""
    document = documents.lookup_sample_shape()
    del document["fraudDetails"]
    customer = Customer.from_json(document)

    checks = overview.attention_checks(customer, SEARCH)

    assert checks.nothing_urgent == (
        "Nothing urgent in what this answer covers: no tier ending within 60 days, "
        "no card problem."
    )
    assert checks.not_checked == (
        "Not checked: expiry schedule (asked for, and Capillary sent none); "
        "fraud details (asked for, and Capillary sent none)."
    )
    page = text_of(render("overview", customer, SEARCH))
    assert "no fraud flag" not in page and "Not checked: expiry schedule" in page
    # The fraud fact says why, and does not send the agent to tick a box the search ticked.
    assert "not in this answer (asked for, and Capillary sent none)." in page
    assert "Include fraud details" not in visible_text(render("overview", customer, SEARCH))


def test_next_expiry_is_none_due_only_when_the_schedule_came():
    customer = Customer.from_json(documents.lookup_sample_shape())
    missing = overview.program_answers(customer, today=TODAY, query=SEARCH)
    carried = overview.program_answers(
        Customer.from_json({**documents.lookup_sample_shape(), "expirySchedules": []}),
        today=TODAY,
        query=SEARCH,
    )

    assert {a.expiry for a in missing} == {
        "not in this answer (asked for, and Capillary sent none)"
    }
    assert {a.expiry for a in carried} == {"none due"}


def test_search_again_only_where_it_can_help_naming_the_box():
    """Gaps asked for and not sent: no advice to look again. Gaps not asked: the box to tick."""
    (silver, _) = Customer.from_json(
        {"id": 1, "loyaltyProgramDetails": documents.mlp_fragment_shape()}
    ).programs

    asked = overview.upgrade_answer(silver, SEARCH)
    not_asked = overview.upgrade_answer(silver, LookupQuery(source="INSTORE", embed=("mlp",)))

    assert asked == "No upgrade figures came for this program, though the search asked for them."
    assert "again" not in asked
    assert not_asked.endswith("Search again with “Tiers per program (mlp)” ticked.")


def test_cards_left_out_and_user_groups_missing_are_not_none():
    document = documents.lookup_sample_shape()
    del document["cardDetails"]
    ignored = dataclasses.replace(SEARCH, embed=(*SEARCH.embed, "ignoreCardDetails"))
    customer = Customer.from_json(document)

    cards = text_of(render("cards", customer, ignored))
    profile = text_of(render("profile", customer, SEARCH))

    assert "No cards on this customer" not in cards
    assert "Cards: not in this answer (left out on purpose by this search)." in cards
    assert "Not in a user group" not in profile
    assert "User groups: not in this answer (not asked for in this search)." in profile


# 2. Every position and spelling (records: tests/capillary/test_shapes.py)


def test_root_gaps_are_quoted_on_the_overview():
    customer = Customer.from_json(documents.root_gaps_shape())

    (answer,) = overview.program_answers(customer, today=TODAY, query=SEARCH)

    assert answer.upgrade == "Needs 47,000 more in purchases to reach Gold."
    assert "Needs 28,000 more in purchases" in answer.keep


# 3. Cards by their status


def test_cards_count_and_attention_come_from_the_status():
    customer = Customer.from_json({"id": 9, "cardDetails": documents.card_states_shape()})

    summary = copy_summary(customer)
    attention = [item.text for item in overview.needs_attention(customer, TODAY)]

    assert "Cards: 8 (4 ACTIVE)" in summary
    assert (
        "1 ACTIVE card past its expiry date and 1 ACTIVE card transactions not allowed: may not "
        "work at the till."
    ) in attention
    cards = text_of(render("cards", customer))
    assert "(15 days left)" in cards
    assert "created by 60300517" in cards and "user id" not in cards


# 4. Dates in the org's zone


def test_dates_follow_the_org_zone_and_date_only_fields_never_shift(settings):
    """Registered at 00:30 +08:00 is 1 Jan 2024 in an org in +08:00, the zone named with the
    time; the tier's two expiry dates are both shown with what each is."""
    settings.ORG_TIME_ZONE = "Asia/Singapore"
    sample = Customer.from_json(documents.by_id_sample_shape())
    page = text_of(render("overview", sample))
    assert "1 Jan 2024" in page and "31 Dec 2023" not in page

    settings.ORG_TIME_ZONE = "Asia/Kolkata"
    customer = Customer.from_json(documents.root_gaps_shape())
    both = text_of(render("overview", customer, SEARCH))
    assert (
        "Two tier expiry dates: 1 Apr 2027 (the tier's own) and 31 Mar 2027 (the renewal "
        "summary's); Capillary sends both and does not say why they differ."
    ) in both
    summary = copy_summary(customer, fetched_at=date(2026, 12, 7))
    assert "tier expiry: 1 Apr 2027" in summary
    assert API_WORDS.findall(visible_text(render("overview", customer, SEARCH))) == []


# 5. Gaps keep their "as of"


def test_gaps_asked_days_ahead_keep_their_as_of():
    customer = Customer.from_json(documents.root_gaps_shape())
    ahead = dataclasses.replace(SEARCH, gap_to_upgrade=30, gap_to_renew=30)

    (answer,) = overview.program_answers(customer, today=TODAY, query=ahead)
    summary = copy_summary(customer, query=ahead)

    assert answer.upgrade == (
        "Needs 47,000 more in purchases to reach Gold (as of 30 days from today)."
    )
    assert "(as of 30 days from today)" in answer.keep
    assert "Needs 47,000 more in purchases to reach Gold (as of 30 days from today)." in summary


# 6. Figures as precise as they came


def test_figures_keep_their_decimals_and_a_negative_balance_is_raised():
    document = documents.root_gaps_shape()
    document["loyaltyProgramDetails"][0]["loyaltyPoints"] = -350.0
    document["expirySchedules"] = [
        {"points": 0.004, "expiryDate": "2026-12-17", "programId": 2401}
    ]
    customer = Customer.from_json(document)

    attention = [item.text for item in overview.needs_attention(customer, TODAY)]
    programs = text_of(render("programs", customer))

    assert "Below zero in Oasis Rewards: -350 points available to redeem." in attention
    assert any(text.startswith("0.004 points in Oasis Rewards expire") for text in attention)
    assert "0.0025" in programs
    assert format_number(customer.programs[0].points_to_currency_ratio) == "0.0025"


# 7. Fraud and redemption


@pytest.mark.parametrize("status", ["MARKED", "CONFIRMED"])
def test_a_fraud_status_does_not_promise_redemption(status):
    document = documents.lookup_sample_shape()
    document["fraudDetails"]["status"] = status
    customer = Customer.from_json(document)

    (first, *_) = overview.needs_attention(customer, TODAY)

    assert first.text.startswith(f"Marked as fraud: {status}")
    assert "the org's fraud rules may block redeeming them" in first.text


# 8. Tiers


def test_a_base_tier_is_never_raised_as_ending_and_a_top_tier_has_no_next(settings):
    settings.TIER_RENEWAL_RULES = "*:any"
    fragment = documents.mlp_fragment_shape()
    fragment[1]["slabExpiryDate"] = "2027-01-10T23:59:59+05:30"  # the base tier, 34 days left
    fragment[0].update(currentSlab="Black", nextSlab="Black", slabSNo=5)
    customer = Customer.from_json({"id": 3, "loyaltyProgramDetails": fragment})

    attention = [item.text for item in overview.needs_attention(customer, TODAY)]
    tiers = text_of(render("tiers", customer))

    assert not any("Tier1" in text and "ends" in text for text in attention)
    assert "Black next" not in tiers and "Already in the top tier (Black)." in tiers
    assert "Base tier: there is nothing to renew." in tiers


# 9. identifiersAll


def test_identifiers_only_in_identifiers_all_are_shown_masked():
    customer = Customer.from_json(documents.by_id_sample_shape())

    page = text_of(render("overview", customer))
    summary = copy_summary(customer)

    assert "only in the full identifier list" in page
    assert API_WORDS.findall(visible_text(render("overview", customer))) == []
    assert API_WORDS.findall(summary) == []
    assert "6591234567" not in page and "6591234567" not in summary
    assert "Mobile (full identifier list only): 65****4567" in summary


# 10. All sources


def test_a_not_found_after_all_without_account_id_leads_with_it():
    query = dataclasses.replace(SEARCH, source="ALL")

    help_all = not_found_help(query, primary="mobile", allowed=None)
    help_instore = not_found_help(SEARCH, primary="mobile", allowed=None)

    assert help_all.steps[0].startswith("Give the account id and search again")
    assert any("with the account id of the source" in step for step in help_instore.steps)


# Remaining items of the field-by-field check


def _two_programs_with_root_gaps() -> dict:
    """The root-gaps answer (the reference's response table: gaps at the root) with a second
    program, so the root's gaps name no program."""
    document = documents.root_gaps_shape()
    second = {
        **document["loyaltyProgramDetails"][0],
        "programId": 2402,
        "programTitle": "Dune Club",
        "currentSlab": "Sand",
        "nextSlab": "Stone",
    }
    document["loyaltyProgramDetails"].append(second)
    return document


def test_root_gaps_of_several_programs_are_shown_and_not_called_missing():
    customer = Customer.from_json(_two_programs_with_root_gaps())

    answers = overview.program_answers(customer, today=TODAY, query=SEARCH)
    page = text_of(render("overview", customer, SEARCH))
    tiers = text_of(render("tiers", customer, SEARCH))
    summary = copy_summary(customer, query=SEARCH)

    for answer in answers:
        assert "No upgrade figures" not in answer.upgrade
        assert "No renewal figures" not in answer.keep
        assert "Gaps at the document's root, program not named" in answer.upgrade
    for text in (page, tiers, summary):
        assert "No upgrade figures" not in text and "No renewal figures" not in text
        assert "Gaps at the document's root, program not named" in text
        assert "Needs 47,000 more in purchases to reach the next tier." in text
        assert "Needs 28,000 more in purchases by 31 Mar 2027 to keep the tier." in text
    assert "renewal not confirmed yet" in tiers


def test_root_gaps_naming_a_program_by_id_are_that_programs():
    document = _two_programs_with_root_gaps()
    document["upgradeStrategies"][0]["programId"] = 2402
    document["gapToRenewSummary"][0]["programId"] = 2402
    customer = Customer.from_json(document)

    oasis, dune = overview.program_answers(customer, today=TODAY, query=SEARCH)

    assert dune.upgrade == "Needs 47,000 more in purchases to reach Stone."
    assert "Needs 28,000 more in purchases" in dune.keep
    assert oasis.upgrade.startswith("No upgrade figures came for this program")
    assert overview.root_gap_lines(customer, SEARCH) == ()


def _ending_soon(renew: object) -> Customer:
    document = documents.root_gaps_shape()
    document["loyaltyProgramDetails"][0]["slabExpiryDate"] = "2027-01-10T23:59:59+05:30"
    if renew is None:
        del document["gapToRenewSummary"]
    else:
        document["gapToRenewSummary"] = renew
    return Customer.from_json(document)


def test_not_renewed_yet_only_when_the_answer_says_renew_confirmed_false():
    said_no = documents.root_gaps_shape()["gapToRenewSummary"]
    said_no[0]["tierExpiryDate"] = "2027-01-10"
    unsaid = [{key: value for key, value in said_no[0].items() if key != "renewConfirmed"}]
    said_yes = [{**said_no[0], "renewConfirmed": True}]

    def ending(renew: object) -> list[str]:
        items = overview.needs_attention(_ending_soon(renew), TODAY)
        return [item.text for item in items if "ends on" in item.text]

    (no,) = ending(said_no)
    (absent,) = ending(unsaid)
    (no_block,) = ending(None)

    assert "and is not renewed yet" in no
    for text in (absent, no_block):
        assert "not renewed" not in text
        assert "renewal not in this answer" in text
    assert "Needs 28,000 more in purchases" in absent
    assert ending(said_yes) == []
    assert "not renewed" not in copy_summary(_ending_soon(unsaid))


def test_linked_partner_programs_are_none_only_when_an_empty_list_came():
    document = documents.lookup_sample_shape()  # both programs send an empty list
    del document["loyaltyProgramDetails"][1]["linkedPartnerPrograms"]
    customer = Customer.from_json(document)

    sent, absent = customer.programs

    assert labels.linked_partners(sent).text == "none"
    assert labels.linked_partners(absent).text == "not in this answer"
    page = text_of(render("programs", customer))
    assert "Linked partner programs none" in page
    assert "Linked partner programs not in this answer" in page


def test_a_card_without_an_issued_date_is_not_called_not_issued():
    card = documents.by_id_card_shape()
    del card["issuedDate"]
    customer = Customer.from_json({"id": 5, "cardDetails": [card]})

    cards = text_of(render("cards", customer))

    assert labels.card_issued(customer.cards[0]).text == "—"
    assert "not issued" not in cards.lower().replace("not_issued", "")


def test_an_internal_fraud_status_is_shown_as_sent_not_as_a_flag():
    document = documents.lookup_sample_shape()
    document["fraudDetails"]["status"] = "INTERNAL"
    customer = Customer.from_json(document)

    attention = [item.text for item in overview.needs_attention(customer, TODAY)]
    page = text_of(render("overview", customer, SEARCH))
    summary = copy_summary(customer)

    for text in (*attention, page, summary):
        assert "Marked as fraud" not in text and "not flagged" not in text
    assert any(text.startswith("Fraud status INTERNAL") for text in attention)
    assert "Capillary's document does not say what this status means" in page
    assert "Fraud status: INTERNAL" in summary
    assert "fraud-badge" not in render("overview", customer, SEARCH)


def test_words_no_stronger_than_the_document():
    """The glossary, the merged-account advice, the ratio's name and the card status's
    createdBy say no more than lookup-api.md does."""
    meanings = " ".join(term.meaning for term in glossary.TERMS.values())
    for claim in ("spent on rewards", "program's delay", "because a purchase was returned"):
        assert claim not in meanings.lower()
    merged = warning_sentence(BackendWarning(status=None, code=91009, message="Retrieved"))
    assert "points" not in merged
    document = documents.lookup_sample_shape()
    programs = text_of(render("programs", Customer.from_json(document)))
    assert "Value of one point" not in programs and "Points-to-currency ratio" in programs


def test_the_all_sources_offer_asks_for_the_account_id():
    """From INSTORE (no account id) the offer of all sources asks for the id; from a source
    searched with one there is no ALL offer to carry it (INSTORE is offered instead)."""
    from_instore = not_found_help(SEARCH, primary="mobile", allowed=None)
    wechat = dataclasses.replace(SEARCH, source="WECHAT", account_id="22232")
    from_wechat = not_found_help(wechat, primary="mobile", allowed=None)

    assert from_instore.other_source == "ALL" and from_instore.needs_account
    assert "accountId" not in dict(from_instore.fields)
    assert from_wechat.other_source == "INSTORE" and not from_wechat.needs_account
