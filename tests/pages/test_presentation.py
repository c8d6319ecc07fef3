"""Sentences and figures of the customer pages (customers.pages)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from customers.capillary.records import (
    BackendWarning,
    Card,
    CommChannel,
    Customer,
    PointsExpiry,
    Program,
    PromotionalPoint,
    Subscription,
    Tier,
)
from customers.pages.backend_warnings import warning_explanation, warning_lines
from customers.pages.gaps import (
    group_upgrade_sentence,
    progress_caption,
    renew_sentence,
    renewal_note,
    strategy_kind,
    tier_note,
    upgrade_sentence,
    value_valid_sentence,
)
from customers.pages.heading import display_name, heading
from customers.pages.labels import (
    Label,
    card_issued,
    card_kind,
    card_series,
    card_status,
    card_transactions,
    channel_kind,
    current_tier,
    expiry_kind,
    next_tier,
    promotion_issued,
    promotion_source,
    renewal_confirmed,
    subscription_choice,
    subscription_messages,
    tier_label,
)
from customers.pages.numbers import Shown, format_moment, format_number, shown
from customers.pages.profile import last_change, member_facts, member_profile, registration
from customers.pages.programs import (
    currency_by_state,
    points_by_state,
    points_headline,
    tier_ladder,
)
from customers.pages.summary import copy_summary
from customers.pages.tabs import SECTIONS, tabs
from customers.templatetags.customer_tags import figure
from tests import documents

MOBILE = "919800000011"
EMAIL = "asha@example.com"


@pytest.fixture(autouse=True)
def _british_english():
    """Dates read "31 Dec 2026" and numbers "1,250" whatever the machine's locale."""
    with translation.override("en-gb"), timezone.override("UTC"):
        yield


def program(**fields: Any) -> Program:
    data: dict[str, Any] = {
        "programId": 7,
        "programTitle": "Rewards",
        "currentSlab": "Silver",
        "slabSNo": 2,
        "nextSlab": "Gold",
        "nextSlabSerialNumber": 3,
        "slabExpiryDate": "2026-12-31T23:59:59+00:00",
        "loyaltyPoints": 3750.0,
        "delayedPoints": 150.0,
    }
    data.update(fields)
    return Program.from_json(data)


def upgrade(based_on: str, threshold: float, current: float, gap: float, until: str) -> dict:
    return {
        "upgradeBasedOn": based_on,
        "upgradeThreshold": threshold,
        "customerUpgradeEntityValues": {
            "currentValue": current,
            "gapToUpgrade": gap,
            "valueValidUpto": until,
        },
    }


def renew(based_on: str, threshold: float, current: float, gap: float | None) -> dict:
    item: dict[str, Any] = {
        "renewBasedOn": based_on,
        "renewThreshold": threshold,
        "customerRenewEntityValue": current,
    }
    if gap is not None:
        item["customerGapToRenewValue"] = gap
    return item


def with_renewal(expiry: str, *strategies: dict, **fields: Any) -> Program:
    return program(
        slabExpiryDate=f"{expiry}T23:59:59+00:00",
        gapToRenewSummary={"tierExpiryDate": expiry, "renewStrategies": list(strategies)},
        **fields,
    )


# Gap to upgrade


def test_the_upgrade_sentence_names_the_gap_and_the_next_tier_and_no_deadline():
    """Points to go and the tier they lead to. valueValidUpto is the date until which the
    current value stays valid, not a deadline to reach Gold by: it is worded as such, apart."""
    rewards = program(
        upgradeStrategies=[upgrade("CURRENT_POINTS", 5000, 3750, 1250, "2026-12-31")]
    )
    [step] = rewards.upgrade_strategies

    assert upgrade_sentence(rewards, step) == "Needs 1,250 more points to reach Gold."
    assert value_valid_sentence(step) == (
        "The current value (3,750 points) stays valid until 31 Dec 2026."
    )
    assert progress_caption(step) == "3,750 of 5,000 points (75%)"


def test_a_never_lapsing_value_gives_no_date_and_purchases_read_as_amounts():
    """Cumulative purchases never lapse: the ~100-years-away date is left out of the sentence."""
    rewards = program(
        upgradeStrategies=[upgrade("CUMULATIVE_PURCHASES", 50000, 32000, 18000, "2126-10-01")]
    )
    [step] = rewards.upgrade_strategies

    assert upgrade_sentence(rewards, step) == "Needs 18,000 more in purchases to reach Gold."


def test_a_tracker_strategy_names_its_tracker():
    """Tracker-based upgrades say which tracker counts."""
    strategy = upgrade("TRACKER_VALUE_BASED", 20000, 7000, 13000, "2027-01-29")
    strategy["upgradeEntityIdentifiers"] = {"tracker_name": "1 Year Spend Tracker"}
    rewards = program(upgradeStrategies=[strategy])

    assert upgrade_sentence(rewards, rewards.upgrade_strategies[0]) == (
        "Needs 13,000 more on the 1 Year Spend Tracker to reach Gold."
    )
    assert value_valid_sentence(rewards.upgrade_strategies[0]) == (
        "The current value (7,000 on the 1 Year Spend Tracker) stays valid until 29 Jan 2027."
    )


def test_the_top_tier_has_nothing_to_reach():
    """In the top tier (nextSlabSerialNumber -1) the sentence says so instead of a gap."""
    top = program(currentSlab="Platinum", slabSNo=4, nextSlab="", nextSlabSerialNumber=-1)
    step = program(
        upgradeStrategies=[upgrade("POINTS", 1, 0, 1, "2026-01-01")]
    ).upgrade_strategies[0]

    assert upgrade_sentence(top, step) == "Already in the top tier (Platinum)."
    assert [(rung.name, rung.state) for rung in tier_ladder(top)] == [
        ("", "reached"),
        ("Platinum", "current"),
    ]


def test_a_met_upgrade_gap_says_the_goal_is_met():
    """A zero gap is not "needs 0 more": the goal is met."""
    rewards = program(upgradeStrategies=[upgrade("CURRENT_POINTS", 5000, 5200, 0, "2026-12-31")])

    assert (
        upgrade_sentence(rewards, rewards.upgrade_strategies[0])
        == "Meets the points goal for Gold."
    )


def test_missing_upgrade_figures_are_said_to_be_missing_never_zero():
    """A strategy without current value and gap gives no made-up numbers."""
    rewards = program(upgradeStrategies=[{"upgradeBasedOn": "POINTS", "upgradeThreshold": 5000}])
    [step] = rewards.upgrade_strategies

    assert upgrade_sentence(rewards, step) == "The backend sent no figures for reaching Gold."
    assert progress_caption(step) == ""
    assert step.percent is None


# Gap to renew


def test_the_renew_sentence_counts_visits_until_the_tier_expires():
    """What keeps the tier, by the tier expiry date."""
    gold = with_renewal("2026-12-31", renew("VISITS", 6, 4, 2), currentSlab="Gold", slabSNo=3)
    [step] = gold.renew_strategies

    assert renew_sentence(gold, step) == "Needs 2 more visits by 31 Dec 2026 to keep Gold."
    assert progress_caption(step) == "4 of 6 visits (66.6%)"


def test_one_visit_is_singular():
    """ "1 more visit", not "1 more visits"."""
    gold = with_renewal("2026-12-31", renew("VISITS", 6, 5, 1), currentSlab="Gold")

    assert renew_sentence(gold, gold.renew_strategies[0]) == (
        "Needs 1 more visit by 31 Dec 2026 to keep Gold."
    )


def test_a_met_renewal_says_so_with_the_expiry_date():
    """A zero gap to renew reads as met, with the date the tier runs to."""
    gold = with_renewal("2026-12-31", renew("PURCHASE", 40000, 41000, 0), currentSlab="Gold")

    assert renew_sentence(gold, gold.renew_strategies[0]) == (
        "Meets the purchases goal to keep Gold (tier expires 31 Dec 2026)."
    )


def test_a_never_expiring_tier_needs_nothing_to_keep():
    """Capillary's ~100-years-away expiry means the tier does not expire."""
    base = with_renewal("2125-11-01", renew("VISITS", 6, 0, 6), currentSlab="Blue", slabSNo=1)

    assert base.tier_never_expires
    assert format_moment(base.tier_expiry_date) == "no expiry"
    assert renew_sentence(base, base.renew_strategies[0]) == (
        "Blue does not expire: nothing is needed to keep it."
    )


def test_missing_renew_figures_are_said_to_be_missing():
    """Only a threshold: the page does not invent a gap."""
    gold = with_renewal(
        "2026-12-31", {"renewBasedOn": "VISITS", "renewThreshold": 6}, currentSlab="Gold"
    )

    assert renew_sentence(gold, gold.renew_strategies[0]) == (
        "The backend sent no figures for keeping Gold."
    )


def two_conditions(program_id: int) -> Program:
    """Gold in a program whose renewal lists visits and purchases, the visits already met."""
    return with_renewal(
        "2026-12-31",
        renew("VISITS", 6, 6, 0),
        renew("PURCHASE", 40000, 28000, 12000),
        programId=program_id,
        currentSlab="Gold",
        slabSNo=3,
    )


@override_settings(TIER_RENEWAL_RULES="")
def test_without_a_configured_rule_several_renewal_conditions_claim_neither_any_nor_all():
    """Capillary does not say whether one condition or all of them keep the tier: unless the
    org said so, the page lists the conditions, says that the program's rule decides, and no
    sentence claims that meeting one keeps the tier."""
    gold = two_conditions(1101)
    visits, purchases = gold.renew_strategies

    assert renewal_note(gold) == (
        "Capillary does not say whether one of these or all of them keep Gold: "
        "the program's own rule decides."
    )
    assert renew_sentence(gold, visits) == ("Meets the visits goal (tier expires 31 Dec 2026).")
    assert renew_sentence(gold, purchases) == (
        "This condition needs 12,000 more in purchases by 31 Dec 2026."
    )


@override_settings(TIER_RENEWAL_RULES="1101:any, 1103:ALL")
def test_the_configured_renewal_rule_decides_the_sentences():
    """TIER_RENEWAL_RULES says per program whether any one or all conditions keep the tier."""
    anyone, everything, unknown = (two_conditions(number) for number in (1101, 1103, 1102))

    assert renewal_note(anyone) == "Meeting any one of these keeps Gold."
    assert renew_sentence(anyone, anyone.renew_strategies[0]) == (
        "Meets the visits goal, which keeps Gold (tier expires 31 Dec 2026)."
    )
    assert renew_sentence(anyone, anyone.renew_strategies[1]) == (
        "12,000 more in purchases by 31 Dec 2026 would keep Gold."
    )
    assert renewal_note(everything) == "All of these are needed to keep Gold."
    assert renew_sentence(everything, everything.renew_strategies[1]) == (
        "Needs 12,000 more in purchases by 31 Dec 2026 to keep Gold."
    )
    assert renewal_note(unknown).endswith("the program's own rule decides.")


def test_renew_confirmed_is_shown_as_the_document_sends_it():
    """renewConfirmed true, false or absent: confirmed, not confirmed yet, or nothing."""

    def confirmed(value: Any) -> Label | None:
        summary: dict[str, Any] = {"tierExpiryDate": "2026-12-31", "renewStrategies": []}
        if value is not None:
            summary["renewConfirmed"] = value
        return renewal_confirmed(program(gapToRenewSummary=summary))

    assert confirmed(True) == Label("confirmed", badge="status-ok")
    assert confirmed(False) == Label("not confirmed yet", badge="status-muted")
    assert confirmed(None) is None


# Points, tiers, numbers and dates


def test_points_by_state_keeps_every_state_and_leaves_absent_ones_empty():
    """Each state once, in a fixed order; a state the backend did not send stays None."""
    rewards = program(redeemed=800.0, expired=200.0, adjusted=-50.0)
    lines = {line.key: line.value for line in points_by_state(rewards)}

    assert list(lines)[:8] == [
        "available",
        "pending",
        "available_and_pending",
        "lifetime",
        "redeemed",
        "expired",
        "returned",
        "adjusted",
    ]
    assert lines["available"] == Decimal("3750.0")
    assert lines["pending"] == Decimal("150.0")
    assert lines["adjusted"] == Decimal("-50.0")
    assert lines["returned"] is None
    assert figure(lines["returned"]) == "\N{EM DASH}"


def test_the_ladder_never_names_a_tier_the_document_does_not_name():
    """The document names only the current and the next tier: lower tiers are counted, not
    called "Tier 1"."""
    ladder = tier_ladder(
        program(currentSlab="Gold", slabSNo=3, nextSlab="Platinum", nextSlabSerialNumber=4)
    )

    assert [(rung.name, rung.state, rung.label) for rung in ladder] == [
        ("", "reached", "2 lower tiers"),
        ("Gold", "current", "current"),
        ("Platinum", "next", "next"),
    ]


def test_a_named_next_tier_is_shown_even_with_serial_number_minus_one():
    """Capillary's published mlp fragment: Tier1, next "Tier2" with nextSlabSerialNumber -1.
    The member is not called top tier, and Tier2 is the next rung and the upgrade's target."""
    fragment = program(
        currentSlab="Tier1",
        slabSNo=1,
        nextSlab="Tier2",
        nextSlabSerialNumber=-1,
        nextSlabDescription="",
        upgradeStrategies=[upgrade("CURRENT_POINTS", 500, 300, 200, "2118-12-29")],
    )

    assert [(rung.name, rung.state) for rung in tier_ladder(fragment)] == [
        ("Tier1", "current"),
        ("Tier2", "next"),
    ]
    assert tier_label(fragment) == Label("Tier1", note="next: Tier2")
    assert next_tier(fragment).text == "Tier2"
    assert upgrade_sentence(fragment, fragment.upgrade_strategies[0]) == (
        "Needs 200 more points to reach Tier2."
    )


def test_a_base_tier_ladder_starts_at_the_current_tier():
    """Serial 1 has nothing below it."""
    ladder = tier_ladder(
        program(currentSlab="Blue", slabSNo=1, nextSlab="Silver", nextSlabSerialNumber=2)
    )

    assert [(rung.name, rung.state) for rung in ladder] == [
        ("Blue", "current"),
        ("Silver", "next"),
    ]


def test_numbers_are_grouped_without_float_noise_and_never_rounded():
    """Whole numbers lose ".0", fractions keep every decimal sent (rounding to two places made
    a ratio of 0.0025 read "0", 0.004 points "0 points", 99.999 "100" and -0.005 "-0"), None
    stays empty."""
    assert format_number(Decimal("1250.0")) == "1,250"
    assert format_number(Decimal("1234567")) == "1,234,567"
    assert format_number(Decimal("0.30000")) == "0.3"
    assert format_number(Decimal("1234.567")) == "1,234.567"
    assert format_number(Decimal("0.0025")) == "0.0025"
    assert format_number(Decimal("0.004")) == "0.004"
    assert format_number(Decimal("99.999")) == "99.999"
    assert format_number(Decimal("-0.005")) == "-0.005"
    assert format_number(Decimal("1234567890.504")) == "1,234,567,890.504"
    assert format_number(Decimal("1E-7")) == "0.0000001"
    assert format_number(None) == ""


def test_timestamps_are_shown_in_the_orgs_time_zone(settings):
    """A timestamp late on 31 December UTC is already 1 January in India: dates follow the
    org's zone (ORG_TIME_ZONE), not the server's, and a time shown names its zone; a date sent
    without a time is never shifted."""
    moment = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)

    assert format_moment(moment) == "31 Dec 2026"
    settings.ORG_TIME_ZONE = "Asia/Kolkata"
    assert format_moment(moment) == "1 Jan 2027"
    assert format_moment(moment, "DATETIME_FORMAT") == "1 Jan 2027, 1:30 a.m. (Asia/Kolkata)"
    with timezone.override("America/New_York"):
        assert format_moment(moment) == "1 Jan 2027"
        assert format_moment(date(2026, 3, 5)) == "5 Mar 2026"
    assert format_moment(None) == ""


# Masking


def test_pii_is_masked_unless_unmasked_or_revealed():
    """The same value is masked, shown to a role that sees PII, or shown once revealed."""
    assert shown(MOBILE, "mobile") == Shown("91******0011", "masked")
    assert shown(MOBILE, "mobile", unmasked=True).text == MOBILE
    assert shown(MOBILE, "mobile", revealed={"Mobile"}).text == MOBILE
    assert shown(MOBILE, "mobile", revealed={"email"}).masked
    assert shown("Asha Verma", "name").text == "A*** V****"


def test_capillarys_mask_is_not_data_and_not_our_mask():
    """ "*****" from the backend is named as such, even for users who see PII."""
    result = shown("*****", "email", unmasked=True)

    assert result.state == "capillary"
    assert result.text == "masked by Capillary"
    assert shown("", "email").state == "empty"


def test_card_numbers_and_external_ids_are_shown_and_sensitive_fields_masked(settings):
    """Card numbers and external ids are not contact details; SENSITIVE_FIELDS are."""
    settings.SENSITIVE_FIELDS = ["dob"]

    assert shown("CARD0000042", "cardNumber") == Shown("CARD0000042", "shown")
    assert shown("EXT-0042", "externalId").state == "shown"
    assert shown("1990-01-01", "dob") == Shown("********", "masked")
    assert shown("Pune", "city").state == "shown"


# Headline and copy summary


def customer(**fields: Any) -> Customer:
    data: dict[str, Any] = {
        "id": 4242,
        "profiles": [
            {
                "firstName": "Asha",
                "lastName": "Verma",
                "source": "INSTORE",
                "identifiers": [
                    {"type": "mobile", "value": MOBILE},
                    {"type": "email", "value": EMAIL},
                    {"type": "externalId", "value": "EXT-0042"},
                ],
                "attribution": {"createDate": "2023-01-10T11:00:00+00:00"},
            }
        ],
        "loyaltyProgramDetails": [
            {
                "programTitle": "Rewards",
                "currentSlab": "Silver",
                "slabSNo": 2,
                "nextSlab": "Gold",
                "slabExpiryDate": "2026-12-31T23:59:59+00:00",
                "loyaltyPoints": 3750.0,
                "delayedPoints": 150.0,
                "upgradeStrategies": [upgrade("CURRENT_POINTS", 5000, 3750, 1250, "2026-12-31")],
            },
            {"programTitle": "Travel", "currentSlab": "Explorer", "loyaltyPoints": 10.0},
        ],
        "warnings": [{"code": 8050, "message": "Same Customer found in other sources"}],
        "fraudDetails": {"status": "MARKED"},
    }
    data.update(fields)
    return Customer.from_json(data)


def test_the_points_headline_reads_the_main_program_first():
    """Available and pending points of the first program, and how many others there are."""
    assert points_headline(customer()) == (
        "3,750 points available to redeem in Rewards (150 pending); 1 more program"
    )
    assert points_headline(customer(loyaltyProgramDetails=[])) == ""


def test_the_copy_summary_is_masked_like_the_page():
    """No plaintext mobile, email or name for a user who sees masked values."""
    text = copy_summary(customer(), fetched_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))

    assert MOBILE not in text
    assert EMAIL not in text
    assert "Asha" not in text
    assert "Mobile: 91******0011" in text
    assert "Name: A*** V****" in text
    assert "External id: EXT-0042" in text
    assert (
        "Rewards: Silver (tier expiry: 31 Dec 2026), 3,750 points available to redeem, "
        "150 pending" in text
    )
    assert "  Needs 1,250 more points to reach Gold." in text
    assert "  The current value (3,750 points) stays valid until 31 Dec 2026." in text
    assert "Fraud status: MARKED" in text
    assert "Note: This member has profiles in several sources; this answer combines them." in text
    assert "Registered: 10 Jan 2023" in text
    assert "Data as of 25 Nov 2026" in text


@pytest.mark.parametrize(
    ("based_on", "words"),
    [
        ("CUMULATIVE_PURCHASES", "purchases"),
        ("CURRENT_POINTS", "points"),
        ("TRACKER_VALUE_BASED", "tracked spend"),
        ("VISITS", "visits"),
        ("PURCHASE", "purchases"),
        ("POINTS", "points"),
        ("TRACKER", "tracked value"),
        ("LIFETIME_POINTS", "lifetime points"),
        ("current_points", "points"),
    ],
)
def test_strategy_kinds_read_as_words(based_on, words):
    """Known kinds get plain words ("tracked spend"); others their code lower-cased."""
    assert strategy_kind(based_on) == words


@pytest.mark.parametrize(
    ("name", "description", "note"),
    [
        ("Silver", "Silver tier", ""),
        ("Silver", "silver", ""),
        ("Silver", "Silver tier: 5% off every bill", "5% off every bill"),
        ("Silver", "Silver - free delivery", "free delivery"),
        ("Silver", "Silverado members", "Silverado members"),
        ("Silver", "For members with 5 visits", "For members with 5 visits"),
        ("Silver", "", ""),
    ],
)
def test_a_tier_description_does_not_repeat_the_tier_name(name, description, note):
    """A description that only restates the name adds nothing; one that goes on keeps the rest."""
    tier = Tier(name=name, description=description, serial_number=2)

    assert tier_note(tier) == note


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (8050, "This member has profiles in several sources; this answer combines them."),
        (91001, "Point details could not be loaded: points figures may be missing."),
        (
            91009,
            "The account searched for was merged into another: Capillary answered with the "
            "surviving account.",
        ),
        (12345, ""),
        (None, ""),
    ],
)
def test_known_backend_warnings_get_a_plain_language_line(code, words):
    """8050, 91001 and 91009 are explained; unknown or code-less warnings are not."""
    warning = BackendWarning(code=code, message="Same Customer found in other sources")

    assert warning_explanation(warning) == words


def test_the_copy_summary_explains_a_known_warning_under_the_backends_text():
    """A ticket gets the warning's plain sentence, not the backend's code."""
    text = copy_summary(customer())

    assert "Note: This member has profiles in several sources; this answer combines them." in text
    assert "8050" not in text


def test_the_copy_summary_shows_what_the_user_may_see():
    """Unmasked for roles that see PII; only the revealed kind otherwise."""
    assert MOBILE in copy_summary(customer(), unmasked=True)
    revealed = copy_summary(customer(), revealed={"email"})
    assert EMAIL in revealed
    assert MOBILE not in revealed


def test_the_display_name_falls_back_to_the_id_and_is_masked():
    """Headings name the customer masked, or by id when there is no usable name."""
    assert display_name(customer()) == "A*** V****"
    assert display_name(customer(), unmasked=True) == "Asha Verma"
    nameless = customer(profiles=[{"firstName": "*****", "lastName": "*****"}])
    assert display_name(nameless, unmasked=True) == "Customer 4242"
    assert "Name: masked by Capillary" in copy_summary(nameless, unmasked=True)


def test_the_tab_bar_lists_the_sections_in_order_then_the_history():
    """One tab per section, in SECTIONS' order with its title, the current one marked; the
    access history closes the bar and is never current (it is not a section)."""
    bar = tabs(customer(), "cards", can_see_raw=True)

    assert [(tab.name, tab.title) for tab in bar] == [
        *SECTIONS.items(),
        ("history", "History"),
    ]
    assert [tab.name for tab in bar if tab.current] == ["cards"]
    assert bar[-1].url_name == "customers:history"


def test_the_raw_tab_is_only_for_users_who_may_see_it():
    """Without the raw permissions the bar has every other section and the history."""
    names = [tab.name for tab in tabs(customer(), "overview", can_see_raw=False)]

    assert "raw" not in names
    assert names == [*(name for name in SECTIONS if name != "raw"), "history"]


def test_the_cards_tab_counts_the_cards_and_no_other_tab_counts():
    """The number of cards beside the Cards title, also when there is none."""
    cards = [{"cardNumber": f"C{n}", "statusInfo": {"status": "ACTIVE"}} for n in range(3)]

    def counts(member: Customer) -> dict[str, int | None]:
        return {tab.name: tab.count for tab in tabs(member, "cards", can_see_raw=True)}

    with_cards = counts(customer(cardDetails=cards))
    assert with_cards.pop("cards") == 3
    assert set(with_cards.values()) == {None}
    assert counts(customer())["cards"] == 0


# Labels: the cells and facts the pages print


def test_the_heading_names_the_member_masked_and_carries_their_badges():
    """The masked name with the id, the flagged fraud status, the status and the tiers."""
    member = customer(customerStatus={"label": "Active", "status": "ACTIVE"})

    top = heading(member)

    assert (top.name, top.numbered, top.fraud, top.status) == (
        "A*** V****",
        True,
        "MARKED",
        "Active",
    )
    assert top.tiers == (("Silver", "Rewards"), ("Explorer", "Travel"))
    nameless = heading(customer(profiles=[], fraudDetails={"status": "NOT_FRAUD"}))
    assert (nameless.name, nameless.numbered, nameless.fraud) == ("Customer 4242", False, "")


def test_warning_lines_say_when_the_backend_sent_no_code_or_message():
    """A warning without a code or message still gets a line, in words."""
    lines = warning_lines(customer(warnings=[{}, {"code": 91009, "message": "x"}]))

    assert [(line.code, line.message) for line in lines] == [
        ("no code", "(no message)"),
        ("91009", "x"),
    ]
    assert lines[1].explanation.startswith("The account searched for was merged")


def test_the_member_facts_say_what_the_answer_holds_and_what_it_left_out():
    """Status with its reason, a flagged fraud status in red since its date, the loyalty kind,
    registration, last update and source profiles; absent blocks are empty with the reason."""
    member = customer(
        customerStatus={"label": "Blocked", "reason": "chargeback"},
        fraudDetails={"status": "CONFIRMED", "modifiedOn": "2026-03-01T10:00:00+00:00"},
        loyaltyInfo={"loyaltyType": "loyalty"},
    )

    facts = dict(member_facts(member))

    assert facts["Status"] == Label("Blocked", note="(chargeback)")
    assert facts["Fraud"] == Label("CONFIRMED", note="since 1 Mar 2026", badge="status-bad")
    assert facts["Loyalty"].text == "loyalty member"
    assert facts["Registered"].text == "10 Jan 2023"
    assert facts["Last profile update"] == Label("not sent", empty=True)
    assert facts["Source profiles"].text == "In store"
    bare = dict(member_facts(Customer.from_json({"id": 1})))
    assert bare["Status"].empty and "tick “Customer status”" in bare["Status"].text
    assert bare["Fraud"].empty and bare["Source profiles"] == Label("none", empty=True)
    clear = dict(member_facts(customer(fraudDetails={"status": "NOT_FRAUD"})))
    assert clear["Fraud"] == Label("not flagged", badge="status-ok")


def test_registration_and_changes_name_the_till():
    """ "12 Jan 2024 at Store 4" and "... by Store 4"; nothing when the answer has no date."""
    profile = customer(
        profiles=[
            {
                "source": "INSTORE",
                "attribution": {
                    "createDate": "2024-01-12T09:00:00+00:00",
                    "createdBy": {"name": "Store 4"},
                    "modifiedDate": "2024-02-01T09:30:00+00:00",
                    "modifiedBy": {"code": "till.7"},
                },
            }
        ]
    ).primary_profile

    assert registration(profile) == "12 Jan 2024 at Store 4"
    assert last_change(profile.attribution, "DATE_FORMAT") == "1 Feb 2024 by till.7"
    assert registration(None) == ""
    assert last_change(customer().primary_profile.attribution) == ""


def test_tier_labels_note_the_top_tier_the_next_one_and_the_description():
    """The overview's tier cell and the programs page's current and next tier."""
    top = program(nextSlab="", nextSlabSerialNumber=-1, currentSlabDescription="Silver: 5% off")

    assert tier_label(program()) == Label("Silver", note="next: Gold")
    assert tier_label(top).note == "top tier"
    assert tier_label(program(currentSlab="")).text == "\N{EM DASH}"
    assert current_tier(top) == Label("Silver", note="5% off", strong=True)
    assert next_tier(top).text == "none: this is the top tier"
    assert next_tier(program()).text == "Gold"
    assert next_tier(program(currentSlab="", nextSlab="")).empty


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        ("ACTIVE", "status-ok"),
        ("suspended", "status-warn"),
        ("NOT_ISSUED", "status-info"),
        ("EXPIRED", "status-muted"),
        ("DELETED", "status-bad"),
        ("LOST", "status-neutral"),
    ],
)
def test_card_statuses_are_coloured_by_status(status, badge):
    """Each known status has its colour, any other is neutral; the reason is the note."""
    card = Card.from_json({"statusInfo": {"status": status, "label": "L", "reason": "why"}})

    assert card_status(card) == Label("L", note="why", badge=badge)


def test_card_cells_fall_back_to_words_or_a_dash():
    """Series name, else its id, else a dash; the type in words; a missing issue date is a
    dash, not "not issued"."""
    card = Card.from_json({"seriesId": 21, "seriesCode": "GOLD", "type": "PHYSICAL"})
    digital = Card.from_json({"seriesName": "Sandbox", "type": "DIGITAL"})

    assert card_status(card) == Label("no status", empty=True)
    assert card_series(card) == Label("21", note="GOLD")
    assert card_series(Card.from_json({})).text == "\N{EM DASH}"
    assert card_kind(card) == "Physical"
    assert card_kind(digital) == "Digital"
    assert card_issued(card) == Label("\N{EM DASH}")


def test_channels_subscriptions_promotions_and_expiry_read_as_words():
    """Home or office, transactional or promotional, opted in in green; issued at a till."""
    home = CommChannel.from_json({"type": "email", "meta": {"residence": True}})
    office = CommChannel.from_json({"type": "email", "meta": {"office": True}})
    promotion = PromotionalPoint.list_from_json(
        {
            "customerPromotionType": [
                {"issuedOn": "2026-05-02T00:00:00+00:00", "issuedAt": {"name": "Store 4"}}
            ]
        }
    )[0]

    assert [channel_kind(c) for c in (home, office)] == ["home", "office"]
    assert channel_kind(CommChannel.from_json({})) == "\N{EM DASH}"
    bulk = Subscription.from_json({"priority": "BULK", "type": "OPTOUT"})
    assert subscription_messages(bulk) == "promotional (bulk)"
    assert subscription_choice(bulk) == Label("opted out", badge="status-muted")
    opted_in = Subscription.from_json({"priority": "TRANS", "type": "OPTIN"})
    assert subscription_choice(opted_in).badge == "status-ok"
    assert promotion_issued(promotion) == Label("2 May 2026", note="Store 4")
    batch = PointsExpiry.from_json({"pointsType": "REGULAR", "expiryType": "FIXED"})
    assert expiry_kind(batch) == "points from purchases, on a fixed date"
    assert expiry_kind(PointsExpiry.from_json({})) == "\N{EM DASH}"


def test_ladder_rungs_say_their_state_in_words():
    """Lower tiers counted, current (and top tier), tiers between counted, and next."""
    ladder = tier_ladder(
        program(currentSlab="Gold", slabSNo=3, nextSlab="Diamond", nextSlabSerialNumber=5)
    )
    top = tier_ladder(program(nextSlab="", nextSlabSerialNumber=-1))

    assert [rung.label for rung in ladder] == ["2 lower tiers", "current", "1 more tier", "next"]
    assert top[-1].label == "current \N{MIDDLE DOT} top tier"


# Documents shaped like Capillary's published samples (tests/documents.py)


def test_a_currency_reads_earned_as_available_and_total_available_as_with_pending():
    """earned is what can be spent, delayedEarned what is pending, totalAvailable the two
    together: the currency is never quoted as having its total available to redeem."""
    [stars] = Customer.from_json(
        {"id": 1, "alternateCurrencyDetails": documents.alternate_currencies_shape()}
    ).alternate_currencies

    lines = {line.key: (line.label, line.value, line.hint) for line in currency_by_state(stars)}

    assert lines["available"] == (
        "Available to redeem",
        Decimal("120.0"),
        "Capillary field: earned",
    )
    assert lines["pending"] == ("Pending", Decimal("30.0"), "Capillary field: delayedEarned")
    assert lines["available_and_pending"] == (
        "Available to redeem and pending",
        Decimal("150.0"),
        "Capillary field: totalAvailable",
    )
    assert lines["expired"][1:] == (Decimal("10.0"), "Capillary field: expired")
    assert lines["returned"][1:] == (Decimal("5.0"), "Capillary field: returned")
    assert lines["pending_expired"][1] == Decimal("1.0")
    assert lines["pending_returned"][1] == Decimal("3.0")


def test_points_and_currencies_use_the_same_words_for_the_same_states():
    """One glossary: a state has one label whether it is points or a currency."""
    currency = Customer.from_json(
        {"id": 1, "alternateCurrencyDetails": documents.alternate_currencies_shape()}
    ).alternate_currencies[0]
    points = {line.key: line.label for line in points_by_state(program())}
    money = {line.key: line.label for line in currency_by_state(currency)}

    assert {key: points[key] for key in points.keys() & money.keys()} == {
        key: money[key] for key in points.keys() & money.keys()
    }
    assert len(points.keys() & money.keys()) >= 8


def test_the_copy_summary_quotes_currencies_in_the_glossarys_words():
    """The summary says what can be spent, and the pending amount apart."""
    text = copy_summary(customer(alternateCurrencyDetails=documents.alternate_currencies_shape()))

    assert "Stars (Harbour Rewards): 120 available to redeem, 30 pending" in text


def test_the_profile_of_the_source_searched_is_picked_with_a_visible_fallback():
    """Capillary's published lookup asked for WECHAT and got an INSTORE profile alone: the page
    reads that profile and says it is the INSTORE one; a search in INSTORE reads it plainly."""
    answer = Customer.from_json(documents.lookup_sample_shape())

    wechat = member_profile(answer, "WECHAT", "wx-account-9")
    instore = member_profile(answer, "INSTORE")

    assert wechat.profile.source == "INSTORE"
    assert wechat.note == "from the In store profile"
    assert instore.profile.source == "INSTORE" and instore.note == ""
    summary = copy_summary(answer, unmasked=True, source="WECHAT", account_id="wx-account-9")
    assert "Mobile: 919800000077 (from the In store profile)" in summary


def test_the_searched_profile_is_read_even_when_another_comes_first():
    """Profiles in any order: the WECHAT search reads the WECHAT profile; where profiles disagree
    each fact says which profile it came from."""
    document = documents.complete_document()
    document["profiles"][1]["identifiers"].append({"type": "mobile", "value": "919800000099"})
    document["profiles"].reverse()
    answer = Customer.from_json(document)

    instore = member_profile(answer, "INSTORE")
    wechat = member_profile(answer, "WECHAT", "wx-account-1")

    assert (instore.profile.source, wechat.profile.source) == ("INSTORE", "WECHAT")
    assert instore.differing == {"name", "registered", "mobile"}
    assert instore.note_for("name") == "from the In store profile; other profiles differ"
    assert (
        wechat.note_for("name")
        == "from the WeChat (account wx-account-1) profile; other profiles differ"
    )
    assert display_name(answer, unmasked=True, profile=wechat.profile) == "Asha V"
    assert instore.identifiers_note == "from the In store profile; other profiles differ"
    facts = dict(member_facts(answer, instore))
    assert facts["Registered"].note == "from the In store profile; other profiles differ"


def test_who_marked_a_member_as_fraud_and_when():
    """markedBy and modifiedOn of fraudDetails, in the facts and the copy summary."""
    flagged = customer(
        fraudDetails={
            "status": "CONFIRMED",
            "markedBy": {"code": "risk.team", "name": "Risk team", "type": "TILL"},
            "modifiedOn": "2026-03-01T10:00:00+00:00",
        }
    )

    fraud = dict(member_facts(flagged))["Fraud"]
    assert (fraud.text, fraud.note) == ("CONFIRMED", "since 1 Mar 2026, marked by Risk team")
    assert "Fraud status: CONFIRMED (since 1 Mar 2026, marked by Risk team)" in (
        copy_summary(flagged)
    )


def test_a_card_says_whether_it_takes_transactions_and_since_when_its_status_holds():
    """transactionNotAllowed and statusInfo's createdOn/createdBy from the published by-id card."""
    card = Card.from_json(documents.by_id_card_shape())

    assert card_transactions(card) == Label("not allowed", badge="status-bad")
    status = card_status(card)
    assert status.text == "ACTIVE"
    assert status.note == "since 2 May 2022 \N{MIDDLE DOT} created by 60300517"
    allowed = Card.from_json({**documents.by_id_card_shape(), "transactionNotAllowed": False})
    assert card_transactions(allowed).text == "allowed"


def test_a_suspended_card_without_a_reason_says_the_answer_carries_none():
    """The agent must not guess why a card is blocked: the page says no reason was sent."""
    card = Card.from_json(
        {"cardNumber": "1", "statusInfo": {"status": "SUSPENDED", "createdBy": 70001}}
    )

    assert card_status(card).note == ("no reason in this answer \N{MIDDLE DOT} created by 70001")


def test_promotional_points_name_their_source():
    """promotionSource's type in words (its id -1 means none)."""
    [goodwill] = PromotionalPoint.list_from_json(documents.promotional_points_shape())

    assert promotion_source(goodwill) == Label("Goodwill")


def test_a_user_groups_own_gap_to_upgrade_is_worded():
    """The group's gapToUpgrade names no tier: "its next tier"."""
    [group] = Customer.from_json({"id": 1, "userGroup2": documents.user_group_shape()}).user_groups

    [step] = group.upgrade_strategies
    assert group_upgrade_sentence(step) == (
        "The group needs 1,800 more points to reach its next tier."
    )
    assert group.renew_summary.renew_confirmed is False
