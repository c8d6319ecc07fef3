"""Generated documents (tests/generated.py): every optional block present, empty, null or
absent, gaps in every allowed position; the records read them all, tell absent from none, and
keep every figure as sent."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from customers.capillary.records import Customer
from tests import generated

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(generated.documents())
def test_every_generated_document_parses_and_says_what_it_carried(document):
    presence = document.pop("_presence")
    customer = Customer.from_json(document)

    for key, state in presence.items():
        if key == "gaps":
            continue
        carried = state in (generated.FULL, generated.EMPTY)
        assert customer.carries(key) == carried, (key, state)


@PROPERTY
@given(generated.documents())
def test_root_gaps_go_to_the_one_program_or_stay_the_members(document):
    presence = document.pop("_presence")
    customer = Customer.from_json(document)
    if presence["gaps"] != "root":
        assert customer.upgrade_strategies == () and customer.renew_summary is None
        return
    targets = customer.all_programs
    if len(targets) == 1:
        assert targets[0].gaps_from_root and targets[0].upgrade_sent and targets[0].renew_sent
        assert customer.upgrade_strategies == ()
    else:
        assert customer.upgrade_strategies and customer.renew_summary is not None
        assert not any(p.gaps_from_root for p in targets)


@PROPERTY
@given(generated.documents())
def test_figures_and_card_states_are_the_documents(document):
    document.pop("_presence")
    customer = Customer.from_json(document)

    for raw, program in zip(
        document.get("loyaltyProgramDetails") or [], customer.programs, strict=True
    ):
        for key, attribute in (
            ("loyaltyPoints", "loyalty_points"),
            ("programPointsToCurrencyRatio", "points_to_currency_ratio"),
            ("cumulativePurchases", "cumulative_purchases"),
        ):
            expected = Decimal(repr(raw[key])) if key in raw else None
            assert getattr(program, attribute) == expected
    for raw, card in zip(document.get("cardDetails") or [], customer.cards, strict=True):
        assert card.is_active == (raw["statusInfo"]["status"] == "ACTIVE")
