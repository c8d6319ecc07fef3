"""Every position and spelling Capillary's document allows, read the same way (issue: never
say more than the answer holds). Documents are in the reference's shapes (tests/documents.py)."""

from datetime import date
from decimal import Decimal

from customers.capillary.records import Customer
from tests import documents


def test_gaps_at_the_root_belong_to_the_answers_only_program():
    """upgradeStrategies and gapToRenewSummary at the document's root, as the reference's table
    lists them, with `upgrade_based_on` and the renew summary as an array: the one program of
    the answer gets them, and says where they came from."""
    customer = Customer.from_json(documents.root_gaps_shape())

    (program,) = customer.programs
    (step,) = program.upgrade_strategies
    assert step.based_on == "CUMULATIVE_PURCHASES"
    assert step.gap == Decimal("47000.0")
    assert program.renew_summary is not None
    assert program.renew_summary.tier_expiry_date == date(2027, 3, 31)
    assert [s.gap for s in program.renew_strategies] == [Decimal("28000.0")]
    assert program.gaps_from_root and program.upgrade_sent and program.renew_sent
    assert customer.upgrade_strategies == () and customer.renew_summary is None


def test_gaps_at_the_root_with_several_programs_stay_the_members():
    """With two programs the root's gaps name no program: they are not given to either."""
    document = documents.root_gaps_shape()
    second = dict(document["loyaltyProgramDetails"][0], programId=2402, programTitle="Oasis Air")
    document["loyaltyProgramDetails"].append(second)

    customer = Customer.from_json(document)

    assert all(not p.upgrade_strategies and not p.upgrade_sent for p in customer.programs)
    assert all(p.renew_summary is None and not p.gaps_from_root for p in customer.programs)
    assert [s.gap for s in customer.upgrade_strategies] == [Decimal("47000.0")]
    assert customer.renew_summary is not None
    assert customer.renew_summary.tier_expiry_date == date(2027, 3, 31)


def test_a_programs_own_gaps_win_over_the_roots():
    """A program that carries its own upgradeStrategies keeps them; the root's stay the
    member's rather than vanish."""
    document = documents.root_gaps_shape()
    document["loyaltyProgramDetails"][0]["upgradeStrategies"] = []

    customer = Customer.from_json(document)

    (program,) = customer.programs
    assert program.upgrade_strategies == () and program.upgrade_sent
    assert program.renew_summary is not None and program.gaps_from_root
    assert [s.gap for s in customer.upgrade_strategies] == [Decimal("47000.0")]


def test_points_summary_alone_gets_the_roots_gaps_and_is_the_answers_program():
    """embed=points without mlp: pointsSummary is the answer's one program (all_programs), and
    the root's gaps are its."""
    document = documents.root_gaps_shape()
    summary = document.pop("loyaltyProgramDetails")[0]
    document["pointsSummary"] = summary

    customer = Customer.from_json(document)

    assert customer.programs == ()
    assert customer.all_programs == (customer.points_summary,)
    assert customer.points_summary is not None
    assert customer.points_summary.upgrade_strategies[0].gap == Decimal("47000.0")


def test_the_renew_summary_reads_as_an_object_or_an_array():
    """gapToRenewSummary is documented as an array and seen as an object: the same figures."""
    as_array = documents.root_gaps_shape()
    as_object = documents.root_gaps_shape()
    as_object["gapToRenewSummary"] = as_object["gapToRenewSummary"][0]

    one, other = (Customer.from_json(d).programs[0].renew_summary for d in (as_array, as_object))

    assert one == other and one is not None and one.strategies[0].threshold == Decimal("40000.0")


def test_absent_gaps_are_not_empty_gaps():
    """A program without the keys did not carry the block; an empty list is the answer's none."""
    fragment = documents.mlp_fragment_shape()
    fragment[0]["upgradeStrategies"] = []
    customer = Customer.from_json({"id": 5, "loyaltyProgramDetails": fragment})

    carried, absent = customer.programs
    assert carried.upgrade_sent and not carried.upgrade_strategies
    assert not absent.upgrade_sent and not absent.renew_sent


def test_the_answer_records_which_blocks_it_carried():
    """A block missing or null is not carried; an empty one is (it says none)."""
    document = documents.lookup_sample_shape()
    document["expirySchedules"] = []
    document["fraudDetails"] = None
    document.pop("cardDetails", None)

    customer = Customer.from_json(document)

    assert customer.carries("expirySchedules") and customer.expiry_schedules == ()
    assert not customer.carries("fraudDetails")
    assert not customer.carries("cardDetails")
    assert not customer.carries("expiredPoints")


def test_a_cards_state_is_its_status_not_is_active():
    """statusInfo.isActive marks the current status record (true on every card of the
    reference's status log, a DELETED entry included): the card's state is status."""
    cards = Customer.from_json({"id": 9, "cardDetails": documents.card_states_shape()}).cards

    assert [card.state for card in cards] == [
        *["ACTIVE"] * 4,
        "SUSPENDED",
        "EXPIRED",
        "DELETED",
        "NOT_ISSUED",
    ]
    assert sum(card.is_active for card in cards) == 4
    assert all(card.status is not None and card.status.is_active for card in cards)


def test_active_cards_that_may_not_work_say_why():
    """An ACTIVE card past its expiry date, or with transactions not allowed, is raised; the
    15 days left of a card without a date are its expiryDays."""
    cards = Customer.from_json({"id": 9, "cardDetails": documents.card_states_shape()}).cards
    today = date(2026, 12, 7)

    assert [card.active_but_unusable(today) for card in cards] == [
        (),
        (),
        ("past its expiry date",),
        ("transactions not allowed",),
        (),
        (),
        (),
        (),
    ]
    assert cards[1].expiry_days == 15 and cards[1].expiry_date is None
    sample = Customer.from_json(documents.by_id_sample_shape()).cards[0]
    assert sample.active_but_unusable(today) == ("transactions not allowed",)


def test_identifiers_only_in_identifiers_all_are_found():
    """In the by-id sample's shape a mobile and an email exist only in identifiersAll."""
    customer = Customer.from_json(documents.by_id_sample_shape())

    assert [(i.type, i.value) for i in customer.extra_identifiers] == [
        ("mobile", "6591234567"),
        ("email", "91234567@mail.example.com"),
    ]
    lookup = Customer.from_json(documents.lookup_sample_shape())
    # The lookup sample's identifiersAll repeats an identifier of its profile: nothing extra.
    assert lookup.extra_identifiers == ()


def test_a_top_tier_naming_itself_next_has_no_next_tier():
    """nextSlab repeating the current tier ("Black next: Black") is the top tier."""
    program = dict(
        documents.mlp_fragment_shape()[0], currentSlab="Black", nextSlab="black", slabSNo=5
    )
    (parsed,) = Customer.from_json({"id": 3, "loyaltyProgramDetails": [program]}).programs

    assert parsed.is_top_tier and parsed.next_tier is None and not parsed.is_base_tier


def test_the_base_tier_is_the_first_slab():
    """slabSNo 1 is the base tier (the reference sends no renewal block there)."""
    programs = Customer.from_json(
        {"id": 3, "loyaltyProgramDetails": documents.mlp_fragment_shape()}
    ).programs

    assert [p.is_base_tier for p in programs] == [False, True]


def test_two_tier_expiry_dates_are_told_apart():
    """slabExpiryDate 1 Apr 2027 (+05:30) and gapToRenewSummary's 31 Mar 2027 differ."""
    (program,) = Customer.from_json(documents.root_gaps_shape()).programs

    assert program.tier_expiry_dates_differ
    same = documents.root_gaps_shape()
    same["gapToRenewSummary"][0]["tierExpiryDate"] = "2027-04-01"
    assert not Customer.from_json(same).programs[0].tier_expiry_dates_differ


def test_figures_keep_every_decimal():
    """A points-to-currency ratio of 0.0025 stays 0.0025."""
    (program,) = Customer.from_json(documents.root_gaps_shape()).programs

    assert program.points_to_currency_ratio == Decimal("0.0025")
