import dataclasses
import json
import time
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customers.capillary.records import (
    MASKED,
    Customer,
    Program,
    ShapeError,
    is_masked,
    never_expires,
)
from tests.documents import complete_document, large_document, masked_document

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def customer() -> Customer:
    return Customer.from_json(complete_document())


def program(customer: Customer, program_id: int) -> Program:
    return next(item for item in customer.programs if item.program_id == program_id)


# The document and its shape


@pytest.mark.parametrize("data", [None, [], [{"id": 1}], "{}", 42, 4.2, True])
def test_it_refuses_anything_but_an_object(data):
    """A document that is not a JSON object raises ShapeError, a ValueError."""
    with pytest.raises(ShapeError):
        Customer.from_json(data)
    assert issubclass(ShapeError, ValueError)


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"id": None},
        {"id": "abc"},
        {"id": {}},
        {"id": True},
        {"id": 0},
        {"id": -5},
        {"id": "²"},
    ],
)
def test_it_refuses_a_document_without_a_customer_id(document):
    """An object without a usable customer id raises ShapeError."""
    with pytest.raises(ShapeError):
        Customer.from_json(document)


def test_it_reads_a_customer_id_sent_as_a_string():
    """A numeric id sent as a string is parsed rather than refused."""
    assert Customer.from_json({"id": "17742"}).id == 17742


def test_it_parses_a_sparse_document_with_only_an_id():
    """Every block is optional: with only `id`, everything else is empty or None."""
    customer = Customer.from_json({"id": 7})
    assert customer.id == 7
    assert customer.associated_with == ""
    assert dict(customer.extended_fields) == {}
    assert dict(customer.segments) == {}
    for name in (
        "warnings",
        "profiles",
        "programs",
        "group_programs",
        "cards",
        "alternate_currencies",
        "subscriptions",
        "promotional_points",
        "expiry_schedules",
        "expired_points",
        "user_groups",
    ):
        assert getattr(customer, name) == (), name
    assert customer.loyalty_info is None
    assert customer.fraud_details is None
    assert customer.points_summary is None
    assert customer.customer_status is None
    assert customer.customer_image_url == ""
    assert customer.primary_profile is None
    assert customer.display_name == "Customer 7"
    assert customer.masked_by_capillary is False
    assert customer.mobiles == customer.emails == customer.card_numbers == ()
    assert customer.external_ids == ()


def test_it_keeps_top_level_fields_and_warnings(customer):
    """id, associatedWith, extended fields, segments and warnings are read."""
    assert customer.id == 4242
    assert customer.associated_with == "store.till.7"
    assert customer.extended_fields["city"] == "Pune"
    assert customer.extended_fields["dob_year"] == 1990
    assert dict(customer.segments) == {"Value": "High", "Lifecycle": "Active"}
    assert len(customer.warnings) == 1
    assert customer.warnings[0].code == 8050
    assert customer.warnings[0].message == "Same Customer found in other sources"


def test_it_keeps_the_raw_document_read_only(customer):
    """The raw document is available as a mapping that cannot be changed."""
    assert customer.raw["id"] == 4242
    assert "loyaltyProgramDetails" in customer.raw
    with pytest.raises(TypeError):
        customer.raw["id"] = 1  # type: ignore[index]
    assert json.loads(customer.raw_json)["id"] == 4242


def test_its_reprs_carry_no_personal_data(customer):
    """Names, identifier and channel values and card numbers stay out of repr()."""
    text = repr(customer)
    assert "Card(" in text
    assert "Profile(" in text
    for secret in ("Asha", "Verma", "919800000011", "asha@example.com", "CARD0000042"):
        assert secret not in text
    assert "EXT-0042" not in text


def test_its_records_are_frozen(customer):
    """Records cannot be changed after parsing, nor can their mappings."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        customer.id = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        customer.programs[0].loyalty_points = Decimal(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        customer.extended_fields["city"] = "Delhi"  # type: ignore[index]


# Profiles, identifiers and channels


def test_it_reads_profiles_with_their_attribution(customer):
    """Names, source, account, user id and who registered and last changed the profile."""
    profile = customer.primary_profile
    assert profile is customer.profiles[0]
    assert (profile.first_name, profile.last_name, profile.full_name) == (
        "Asha",
        "Verma",
        "Asha Verma",
    )
    assert (profile.source, profile.account_id, profile.user_id) == ("INSTORE", "", 4242)
    assert profile.updated_on == datetime(2024, 3, 2, 9, 15, tzinfo=IST)
    attribution = profile.attribution
    assert attribution.registered_on == datetime(2023, 1, 10, 11, 0, tzinfo=IST)
    assert attribution.registered_at.code == "store.till.7"
    assert attribution.registered_at.name == "Store 7 till"
    assert attribution.registered_at.id == 5001
    assert attribution.registered_at.type == "TILL"
    assert attribution.modified_on == datetime(2024, 3, 1, 18, 45, 10, tzinfo=UTC)
    assert attribution.modified_by.label == "HQ"
    assert dict(profile.fields) == {"preferred_store": "Pune Central", "newsletter": "true"}
    assert customer.profiles[1].source == "WECHAT"
    assert customer.profiles[1].account_id == "wx-account-1"
    assert customer.display_name == "Asha Verma"


def test_it_reads_identifiers_including_card_series_and_status(customer):
    """Identifiers keep type and value; card identifiers also series id and status label."""
    identifiers = customer.primary_profile.identifiers
    assert [(item.type, item.value) for item in identifiers] == [
        ("mobile", "919800000011"),
        ("email", "asha@example.com"),
        ("externalId", "EXT-0042"),
        ("cardNumber", "CARD0000042"),
    ]
    card = identifiers[3]
    assert card.is_card
    assert (card.series_id, card.status_label) == (31, "ACTIVE")
    assert identifiers[0].series_id is None
    assert identifiers[0].status_label == ""
    assert customer.primary_profile.identifiers_all[0].value == "EXT-0042"


def test_it_reads_communication_channels(customer):
    """Channels keep type, value, primary, verified and the residence/office flags."""
    mobile, email = customer.primary_profile.channels
    assert (mobile.type, mobile.value, mobile.primary, mobile.verified) == (
        "mobile",
        "919800000011",
        True,
        True,
    )
    assert (mobile.residence, mobile.office) == (True, False)
    assert mobile.attributes["operator"] == "any"
    assert (email.type, email.primary, email.verified) == ("email", True, False)


def test_it_collects_identifier_values_across_profiles(customer):
    """mobiles, emails, external ids and card numbers are distinct and in document order."""
    assert customer.mobiles == ("919800000011",)
    assert customer.emails == ("asha@example.com",)
    assert customer.external_ids == ("EXT-0042",)
    assert customer.card_numbers == ("CARD0000042", "DIGI0000042")


# Loyalty, fraud, programs


def test_it_reads_loyalty_info_and_fraud_details(customer):
    """Loyalty type, lifetime purchases, loyalty attribution and the fraud status."""
    info = customer.loyalty_info
    assert info.is_loyalty
    assert info.lifetime_purchases == Decimal("56000.5")
    assert info.attribution.registered_at.code == "store.till.7"
    assert info.attribution.created_from_source == "instore"
    fraud = customer.fraud_details
    assert fraud.status == "MARKED"
    assert fraud.is_flagged
    assert fraud.marked_by.code == "hq.till"
    assert fraud.modified_on == datetime(2024, 2, 1, 10, 0, tzinfo=IST)


@pytest.mark.parametrize(
    ("status", "flagged"),
    [
        ("NOT_FRAUD", False),
        ("NONE", False),
        ("", False),
        ("MARKED", True),
        ("CONFIRMED", True),
        ("RECONFIRMED", True),
        ("INTERNAL", False),
    ],
)
def test_it_flags_fraud_only_for_a_marking_status(status, flagged):
    """NOT_FRAUD and NONE are clear; MARKED, CONFIRMED, RECONFIRMED are flagged; INTERNAL, to
    which the document gives no meaning, is neither (shown as sent)."""
    customer = Customer.from_json({"id": 1, "fraudDetails": {"status": status}})
    assert customer.fraud_details.is_flagged is flagged
    assert customer.fraud_details.is_unexplained is (status == "INTERNAL")


def test_it_reads_a_programs_tiers_and_every_points_figure(customer):
    """Program, current and next tier with serial numbers, tier expiry and all points."""
    main = program(customer, 700)
    assert (main.title, main.description, main.loyalty_id) == (
        "Main Rewards",
        "The main program",
        9900,
    )
    assert main.points_to_currency_ratio == Decimal("0.25")
    assert (main.current_tier.name, main.current_tier.serial_number) == ("Silver", 2)
    assert main.current_tier.description == "Tier 2"
    assert (main.next_tier.name, main.next_tier.serial_number) == ("Gold", 3)
    assert main.next_tier.description == "Tier 3"
    assert not main.is_top_tier
    assert main.tier_expiry_date == datetime(2026, 12, 31, 23, 59, 59, tzinfo=IST)
    assert not main.tier_never_expires
    figures = {
        "loyalty_points": "1250.0",
        "lifetime_points": "4000.0",
        "redeemed": "2500.0",
        "expired": "150.0",
        "returned": "100.0",
        "adjusted": "0.0",
        "delayed_points": "75.0",
        "delayed_returned_points": "5.0",
        "delayed_expired_points": "2.0",
        "total_available_points": "1250.0",
        "total_returned_points": "105.0",
        "cumulative_purchases": "56000.5",
    }
    assert {name: getattr(main, name) for name in figures} == {
        name: Decimal(value) for name, value in figures.items()
    }
    assert main.linked_partner_programs[0]["partnerProgramName"] == "Airline"


def test_a_named_next_tier_is_kept_even_with_serial_number_minus_one():
    """Capillary's published mlp fragment has nextSlab "Tier2" with nextSlabSerialNumber -1:
    the member is not on the top tier, and the next tier keeps its name (its serial number is
    unknown)."""
    customer = Customer.from_json(
        {
            "id": 1,
            "loyaltyProgramDetails": [
                {
                    "currentSlab": "Tier1",
                    "slabSNo": 1,
                    "nextSlab": "Tier2",
                    "nextSlabSerialNumber": -1,
                    "nextSlabDescription": "",
                }
            ],
        }
    )
    [program] = customer.programs
    assert not program.is_top_tier
    assert program.next_tier.name == "Tier2"
    assert program.next_tier.serial_number is None


def test_it_recognises_the_top_tier_by_an_empty_next_tier(customer):
    """An empty nextSlab marks the top tier."""
    partner = program(customer, 701)
    assert partner.is_top_tier
    assert partner.next_tier is None
    assert partner.current_tier.name == "Platinum"


def test_it_does_not_call_a_program_without_tiers_top_tier():
    """A program without any tier data is not presented as being on the top tier."""
    customer = Customer.from_json({"id": 1, "loyaltyProgramDetails": [{"programId": 5}]})
    assert customer.programs[0].current_tier is None
    assert not customer.programs[0].is_top_tier


def test_it_gives_gap_to_upgrade_progress(customer):
    """Upgrade strategies give current value, threshold, gap, percent and valid-until date."""
    (step,) = program(customer, 700).upgrade_strategies
    assert step.based_on == "CUMULATIVE_PURCHASES"
    assert step.current == Decimal("56000.5")
    assert step.threshold == Decimal("80000.0")
    assert step.gap == Decimal("23999.5")
    assert step.percent == Decimal("70.0")
    assert step.until == date(2026, 12, 31)
    assert not step.met


def test_it_accepts_the_snake_case_upgrade_spelling(customer):
    """upgrade_based_on and its snake_case siblings read like the camelCase ones."""
    (step,) = program(customer, 702).upgrade_strategies
    assert step.based_on == "TRACKER_VALUE_BASED"
    assert (step.current, step.threshold, step.gap) == (
        Decimal(9786),
        Decimal(25000),
        Decimal(15214),
    )
    assert step.percent == Decimal("39.1")
    assert step.until == date(2027, 5, 6)
    assert step.identifiers[0]["tracker_name"] == "2 Years Tracker"


def test_it_gives_gap_to_renew_progress_from_an_object(customer):
    """A renew summary object gives per-strategy figures with the tier expiry date."""
    summary = program(customer, 700).renew_summary
    assert summary.tier_expiry_date == date(2026, 12, 31)
    assert summary.renew_confirmed is False
    visits, purchase = program(customer, 700).renew_strategies
    assert (visits.based_on, visits.current, visits.threshold, visits.gap) == (
        "VISITS",
        Decimal("9.0"),
        Decimal("12.0"),
        Decimal("3.0"),
    )
    assert visits.percent == Decimal("75.0")
    assert visits.identifiers[0]["trackerName"] == "Store visits"
    assert visits.until == date(2026, 12, 31)
    assert purchase.percent == Decimal("40.0")


def test_it_gives_gap_to_renew_progress_from_a_list(customer):
    """The documented array form of gapToRenewSummary reads like the object form."""
    partner = program(customer, 701)
    assert partner.renew_summary.renew_confirmed is True
    assert partner.renew_summary.never_expires
    (points,) = partner.renew_strategies
    assert (points.based_on, points.gap, points.percent) == ("POINTS", Decimal(0), Decimal(100))
    assert points.met
    assert points.never_expires


def test_it_has_no_renew_strategies_without_a_renew_summary(customer):
    """A program without gapToRenewSummary has no renew summary and no strategies."""
    assert program(customer, 702).renew_summary is None
    assert program(customer, 702).renew_strategies == ()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Gap missing: derived from threshold minus current.
        ({"currentValue": 250, "valueValidUpto": "2026-01-01"}, ("250", "750", "25.0")),
        # Current missing: derived from threshold minus gap.
        ({"gapToUpgrade": 100}, ("900", "100", "90.0")),
        # Beyond the threshold: 100 percent, no negative gap.
        ({"currentValue": 1500}, ("1500", "0", "100")),
        # Rounded down so 99.99 never shows as done.
        ({"currentValue": 999.99}, ("999.99", "0.01", "99.9")),
    ],
)
def test_it_derives_the_missing_progress_figure(values, expected):
    """From any two of current, threshold and gap the third and the percent follow."""
    document = {
        "id": 1,
        "loyaltyProgramDetails": [
            {
                "upgradeStrategies": [
                    {
                        "upgradeBasedOn": "CURRENT_POINTS",
                        "upgradeThreshold": 1000,
                        "customerUpgradeEntityValues": values,
                    }
                ]
            }
        ],
    }
    (step,) = Customer.from_json(document).programs[0].upgrade_strategies
    assert (step.current, step.gap, step.percent) == tuple(Decimal(item) for item in expected)


def test_it_leaves_percent_unknown_without_a_threshold():
    """Without a threshold the percent is None rather than a guess."""
    document = {
        "id": 1,
        "loyaltyProgramDetails": [
            {"upgradeStrategies": [{"customerUpgradeEntityValues": {"currentValue": 5}}]}
        ],
    }
    (step,) = Customer.from_json(document).programs[0].upgrade_strategies
    assert (step.current, step.threshold, step.gap, step.percent) == (Decimal(5), None, None, None)


def test_it_reads_the_points_summary_and_group_programs(customer):
    """pointsSummary parses like a program; group programs list their member programs."""
    summary = customer.points_summary
    assert summary.current_tier.name == "Silver"
    assert summary.next_tier.name == "Gold"
    assert summary.loyalty_points == Decimal("1250.0")
    assert summary.program_id is None
    (group,) = customer.group_programs
    assert (group.group_program_id, group.title, group.description) == (
        700,
        "Group Rewards",
        "All brands",
    )
    assert [(item.id, item.name) for item in group.programs] == [
        (700, "Main Rewards"),
        (701, "Partner Club"),
    ]
    assert (group.lifetime_points, group.loyalty_points, group.promised_points) == (
        Decimal("58500.0"),
        Decimal("55750.0"),
        Decimal("75.0"),
    )
    assert group.points_to_currency_ratio == Decimal("1.0")


# Cards, currencies, subscriptions, promotions, expiries


def test_it_reads_cards_with_their_status(customer):
    """Card numbers, series, dates, flags and statusInfo are read."""
    plastic, digital = customer.cards
    assert (plastic.card_id, plastic.card_number, plastic.external_id) == (
        880,
        "CARD0000042",
        "card-ext-42",
    )
    assert (plastic.series_id, plastic.series_name, plastic.series_code) == (
        31,
        "Gold plastic",
        "GP31",
    )
    assert plastic.issued_on == datetime(2023, 1, 10, 11, 5, tzinfo=UTC)
    assert plastic.created_on == date(2023, 1, 10)
    assert plastic.expiry_date == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)
    assert (plastic.expiry_days, plastic.max_active_cards) == (1480, 2)
    assert (plastic.customer_id, plastic.org_id, plastic.entity_id) == (4242, 100, 5001)
    assert plastic.custom_fields["embossed_name"] == "ASHA V"
    assert plastic.extended_fields["card_balance"] == 12.5
    assert (plastic.transaction_not_allowed, plastic.active_and_digital) == (False, False)
    assert not plastic.is_digital
    assert plastic.is_active
    assert plastic.status_label == "Active"
    status = plastic.status
    assert (status.status, status.label, status.reason, status.is_active) == (
        "ACTIVE",
        "Active",
        "",
        True,
    )
    assert status.created_on == datetime(2023, 1, 10, 11, 5, tzinfo=UTC)
    assert (status.created_by, status.id, status.label_id, status.entity_id) == (
        5001,
        990,
        12,
        880,
    )
    assert status.updated_on == date(2023, 1, 10)
    assert digital.is_digital
    assert not digital.is_active
    assert digital.status.reason == "Reported lost"
    assert digital.never_expires


def test_it_reads_alternate_currencies(customer):
    """Each program's alternate currency keeps every documented figure."""
    (stars,) = customer.alternate_currencies
    assert (stars.program_id, stars.program_name, stars.name) == (700, "Main Rewards", "Stars")
    assert (stars.earned, stars.lifetime_earned, stars.redeemed) == (
        Decimal("40.0"),
        Decimal("90.0"),
        Decimal("50.0"),
    )
    assert (stars.delayed_earned, stars.delayed_lifetime_earned) == (
        Decimal("5.0"),
        Decimal("5.0"),
    )
    assert (stars.total_available, stars.total_redeemed) == (Decimal("40.0"), Decimal("50.0"))
    assert stars.expired == stars.returned == stars.delayed_returned == Decimal(0)
    assert stars.delayed_expired == stars.total_returned == stars.total_expired == Decimal(0)


def test_it_reads_subscriptions_and_promotional_points(customer):
    """Subscriptions keep channel, priority and opt-in; promotions keep their kind."""
    email, sms = customer.subscriptions
    assert (email.channel, email.priority, email.opted_in) == ("EMAIL", "TRANS", True)
    assert (sms.channel, sms.priority, sms.opted_in) == ("SMS", "BULK", False)
    goodwill, double = customer.promotional_points
    assert (goodwill.kind, goodwill.points, goodwill.promotion_name) == (
        "customer",
        Decimal("200.0"),
        "Goodwill",
    )
    assert goodwill.issued_at.label == "Store 7 till"
    assert goodwill.issued_on == datetime(2024, 1, 5, 12, 0, tzinfo=IST)
    assert goodwill.expiry_date == datetime(2024, 12, 31, 23, 59, 59, tzinfo=IST)
    assert goodwill.promotion_source["promotionSourceType"] == "GOODWILL"
    assert goodwill.program_id == 700
    assert (double.kind, double.points, double.issued_at) == (
        "transaction",
        Decimal("20.0"),
        None,
    )


def test_it_reads_expiry_schedules_and_expired_points(customer):
    """Points batches keep points, date, program and type; far-future ones never expire."""
    soon, never = customer.expiry_schedules
    assert (soon.points, soon.expiry_date, soon.program_id) == (
        Decimal("400.0"),
        date(2026, 4, 27),
        700,
    )
    assert (soon.points_type, soon.expiry_type) == ("bill_regular", "fixed")
    assert not soon.never_expires
    assert never.never_expires
    (expired,) = customer.expired_points
    assert (expired.points, expired.expiry_date) == (Decimal("150.0"), date(2024, 1, 31))


def test_it_falls_back_to_the_iso_expiry_date():
    """When expiryDate is unusable, expiryDateISO is read instead."""
    document = {"id": 1, "expirySchedules": [{"expiryDateISO": "2026-04-27T00:00:00Z"}]}
    (schedule,) = Customer.from_json(document).expiry_schedules
    assert schedule.expiry_date == datetime(2026, 4, 27, tzinfo=UTC)


# Image, status, user groups


def test_it_reads_the_customer_image_url(customer):
    """An http(s) image URL is kept, from a string or an object."""
    assert customer.customer_image_url == "https://images.example.com/customers/4242.png"
    nested = Customer.from_json({"id": 1, "customerImage": {"filePath": "https://img.example/1"}})
    assert nested.customer_image_url == "https://img.example/1"


def test_it_reads_the_documented_list_of_images_preferring_the_secure_path():
    """customerImage is documented as a list of {filePath, secureFilePath}: each is a picture,
    shown from its https path; an entry with no http(s) path is kept but not shown."""
    customer = Customer.from_json(
        {
            "id": 1,
            "customerImage": [
                {
                    "filePath": "http://files.example.com/customerImage/100/1/0",
                    "secureFilePath": "https://files.example.com/customerImage/100/1/0",
                },
                {"filePath": "customerImage/100/1/1", "secureFilePath": ""},
            ],
        }
    )

    first, second = customer.images
    assert first.url == "https://files.example.com/customerImage/100/1/0"
    assert second.url == ""
    assert customer.customer_image_url == first.url
    assert "files.example.com" not in repr(customer)


@pytest.mark.parametrize("image", ["javascript:alert(1)", "data:text/html,x", 5, ["x"], ""])
def test_it_drops_an_image_that_is_not_an_http_url(image):
    """Anything but an http(s) URL is dropped: it would land in an <img src>."""
    assert Customer.from_json({"id": 1, "customerImage": image}).customer_image_url == ""


def test_it_reads_the_customer_status_and_keeps_it_raw(customer):
    """Label, status, reason and date are read when present; the raw mapping keeps the rest."""
    status = customer.customer_status
    assert (status.label, status.status, status.reason) == ("Active", "ACTIVE", "Welcome")
    assert status.created_on == datetime(2023, 1, 10, 11, 0, tzinfo=IST)
    assert status.raw["labelId"] == 7


def test_it_reads_a_customer_status_given_as_a_status_log():
    """A status log ({"data": [...]}) gives its active entry."""
    document = {
        "id": 1,
        "customerStatus": {
            "data": [
                {"label": "Active", "status": "ACTIVE", "isActive": False},
                {"label": "Suspended", "status": "SUSPENDED", "isActive": True, "reason": "x"},
                {"label": "Deleted", "status": "DELETED", "isActive": False},
            ]
        },
    }
    status = Customer.from_json(document).customer_status
    assert (status.label, status.status, status.reason) == ("Suspended", "SUSPENDED", "x")
    assert len(status.raw["data"]) == 3


def test_it_keeps_user_group_blocks_raw_with_accessors(customer):
    """userGroup blocks stay raw mappings with a few typed accessors."""
    (group,) = customer.user_groups
    assert group.key == "userGroup2"
    assert (group.id, group.name, group.external_id, group.status) == (
        3900,
        "Verma family",
        "family-42",
        "ACTIVE",
    )
    assert group.created_on == datetime(2024, 1, 1, tzinfo=UTC)
    assert (group.max_group_size, group.total_active_members) == (6, 3)
    assert group.extended_fields["ug_status"] == "Active"
    (diamond,) = group.programs
    assert (diamond.program_id, diamond.current_tier.name, diamond.is_top_tier) == (
        973,
        "Diamond",
        True,
    )
    assert group.raw["pointsSummaries"][0]["pointsContributionToGroup"] == 0.0
    (step,) = group.upgrade_strategies
    assert (step.based_on, step.gap, step.percent) == ("CURRENT_POINTS", Decimal("1500.0"), 25)
    assert step.never_expires
    assert group.renew_summary.never_expires
    assert group.renew_summary.strategies == ()


def test_it_reads_user_groups_given_as_a_list():
    """A userGroup block that is a list gives one group per object in it."""
    document = {"id": 1, "userGroups": [{"id": 1, "name": "A"}, "junk", {"id": 2}]}
    groups = Customer.from_json(document).user_groups
    assert [(group.id, group.name) for group in groups] == [(1, "A"), (2, "")]


# Masking, dates, tolerance


def test_it_recognises_values_masked_by_capillary():
    """`*****` names, mobiles, emails and channels are masked, never data."""
    customer = Customer.from_json(masked_document())
    profile = customer.primary_profile
    assert customer.masked_by_capillary
    assert profile.name_masked
    assert profile.full_name == ""
    assert profile.first_name == MASKED
    assert customer.display_name == "Customer 5151"
    assert all(channel.masked for channel in profile.channels)
    assert customer.mobiles == customer.emails == ()
    # External ids and cards are never masked by Capillary.
    assert customer.external_ids == ("EXT-5151",)
    assert customer.card_numbers == ("CARD0005151",)


def test_it_does_not_call_a_plain_document_masked(customer):
    """A document with real values is not reported as masked."""
    assert not customer.masked_by_capillary
    assert not customer.primary_profile.name_masked


def test_it_reports_a_single_masked_channel():
    """One masked channel value is enough for masked_by_capillary."""
    document = {
        "id": 1,
        "profiles": [{"firstName": "Ann", "commChannels": [{"type": "email", "value": "*****"}]}],
    }
    customer = Customer.from_json(document)
    assert customer.masked_by_capillary
    assert customer.display_name == "Ann"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("*****", True),
        ("********", True),
        ("***", True),
        (" ***** ", True),
        ("", False),
        ("   ", False),
        ("a****", False),
        ("91******0001", False),
        (None, False),
        (5, False),
    ],
)
def test_it_tells_a_mask_from_a_value(value, masked):
    """Only asterisks are Capillary's mask; a value that merely contains stars is data."""
    assert is_masked(value) is masked


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (date(2121, 2, 18), True),
        (datetime(2125, 11, 19, 23, 59, 59, tzinfo=UTC), True),
        (date(2100, 1, 1), True),
        (date(2099, 12, 31), False),
        (date(2026, 12, 31), False),
        (None, False),
    ],
)
def test_it_reads_dates_a_hundred_years_away_as_no_expiry(moment, expected):
    """Tier and points expiry dates from 2100 on mean "does not expire"."""
    assert never_expires(moment) is expected


def test_it_marks_far_future_tier_expiry_as_never_expiring():
    """A 2121 tier expiry date is "no expiry" on the program."""
    document = {
        "id": 1,
        "loyaltyProgramDetails": [{"slabExpiryDate": "2121-02-18T23:59:59+05:30"}],
    }
    assert Customer.from_json(document).programs[0].tier_never_expires


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-18T20:31:15+05:30", datetime(2021, 2, 18, 20, 31, 15, tzinfo=IST)),
        ("2021-11-23T10:01:33Z", datetime(2021, 11, 23, 10, 1, 33, tzinfo=UTC)),
        ("2021-11-23T10:01:33.250Z", datetime(2021, 11, 23, 10, 1, 33, 250000, tzinfo=UTC)),
        # Without an offset: taken as UTC so it compares with the others.
        ("2021-11-23T10:01:33", datetime(2021, 11, 23, 10, 1, 33, tzinfo=UTC)),
        ("2021-11-23", date(2021, 11, 23)),
        (" 2021-11-23 ", date(2021, 11, 23)),
        ("23/11/2021", None),
        ("", None),
        (1637661693000, None),
        (None, None),
    ],
)
def test_it_parses_timestamps_into_aware_datetimes_and_dates(text, expected):
    """ISO timestamps become aware datetimes, plain dates become dates, the rest None."""
    document = {"id": 1, "fraudDetails": {"modifiedOn": text}}
    parsed = Customer.from_json(document).fraud_details.modified_on
    assert parsed == expected
    assert type(parsed) is type(expected)
    if isinstance(parsed, datetime):
        assert parsed.tzinfo is not None


def test_it_ignores_unknown_keys_everywhere():
    """New keys at any level do not disturb parsing."""
    document = complete_document()
    document["brandNewBlock"] = {"anything": [1, 2]}
    document["profiles"][0]["newProfileField"] = "x"
    document["profiles"][0]["identifiers"][0]["newIdentifierField"] = {"y": 1}
    document["loyaltyProgramDetails"][0]["newProgramField"] = 3
    document["loyaltyProgramDetails"][0]["upgradeStrategies"][0]["newStrategyField"] = []
    document["cardDetails"][0]["statusInfo"]["newStatusField"] = None
    parsed, plain = Customer.from_json(document), Customer.from_json(complete_document())
    for field in dataclasses.fields(Customer):
        if field.name != "raw":
            assert getattr(parsed, field.name) == getattr(plain, field.name), field.name


def test_it_parses_numbers_sent_as_strings_and_drops_garbage():
    """Numeric strings are parsed; non-numeric strings and other types become None."""
    document = {
        "id": 1,
        "loyaltyProgramDetails": [
            {
                "programId": "1219",
                "slabSNo": "2",
                "loyaltyPoints": "1000.50",
                "lifetimePoints": "lots",
                "redeemed": True,
                "expired": [1],
                "returned": {"v": 1},
                "adjusted": "NaN",
                "delayedPoints": "Infinity",
                "currentSlab": 5,
                "nextSlab": None,
                "nextSlabSerialNumber": "3.0",
                "loyaltyId": "1e999999",
            }
        ],
    }
    (parsed,) = Customer.from_json(document).programs
    assert parsed.program_id == 1219
    assert parsed.current_tier.serial_number == 2
    assert parsed.current_tier.name == "5"
    assert parsed.loyalty_points == Decimal("1000.50")
    assert parsed.lifetime_points is None
    assert parsed.redeemed is None
    assert parsed.expired is None
    assert parsed.returned is None
    assert parsed.adjusted is None
    assert parsed.delayed_points is None
    assert parsed.loyalty_id is None
    assert parsed.is_top_tier


def test_it_tolerates_wrong_types_for_blocks():
    """A block of the wrong type (string for list, list for object ...) is treated as absent."""
    document = {
        "id": 1,
        "profiles": {"firstName": "not a list"},
        "loyaltyInfo": ["not an object"],
        "fraudDetails": "MARKED",
        "loyaltyProgramDetails": "none",
        "pointsSummary": [],
        "groupLoyaltyProgramDetails": {},
        "cardDetails": [None, 5, "card"],
        "alternateCurrencyDetails": [{"alternateCurrencyData": "x"}],
        "subscriptionInfo": {"subscriptions": {"channel": "SMS"}},
        "promotionalPoints": [],
        "expirySchedules": {"points": 1},
        "expiredPoints": None,
        "customerStatus": "ACTIVE",
        "segments": ["a"],
        "extendedFields": "x",
        "warnings": "careful",
        "associatedWith": None,
    }
    customer = Customer.from_json(document)
    assert customer.profiles == customer.programs == customer.cards == ()
    assert customer.loyalty_info is customer.fraud_details is customer.points_summary is None
    assert customer.alternate_currencies == customer.subscriptions == ()
    assert customer.promotional_points == customer.expiry_schedules == ()
    assert customer.expired_points == customer.warnings == customer.group_programs == ()
    assert customer.customer_status is None
    assert dict(customer.segments) == dict(customer.extended_fields) == {}
    assert customer.associated_with == ""


def test_it_reads_booleans_sent_as_strings():
    """ "true"/"false" strings are read as booleans, anything else as unknown."""
    document = {
        "id": 1,
        "profiles": [
            {
                "commChannels": [
                    {"type": "email", "primary": "true", "verified": "FALSE"},
                    {"type": "email", "primary": "yes", "verified": 1},
                ]
            }
        ],
        "cardDetails": [{"statusInfo": {"isActive": "maybe", "status": "ACTIVE"}}],
    }
    customer = Customer.from_json(document)
    first, second = customer.primary_profile.channels
    assert (first.primary, first.verified) == (True, False)
    assert (second.primary, second.verified) == (False, True)
    assert customer.cards[0].status.is_active is None
    assert customer.cards[0].is_active


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["*****", "2121-01-01", "2024-01-01T00:00:00Z", "12.5", "-1", ""]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node, path=()):
    """Every (path, value) position in a JSON document."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


DOCUMENT_PATHS = [path for path in _paths(complete_document()) if path and path != ("id",)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DOCUMENT_PATHS), json_values)
def test_it_never_crashes_on_a_wrong_typed_value_anywhere(path, value):
    """Any JSON value in place of any field of a complete document still parses."""
    document = complete_document()
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    customer = Customer.from_json(document)
    assert customer.id == 4242
    assert customer.display_name
    assert all(isinstance(value, str) for value in (*customer.mobiles, *customer.card_numbers))
    assert json.loads(customer.raw_json)["id"] == 4242
    for group in customer.user_groups:
        assert group.id is None or isinstance(group.id, int)
        assert isinstance(group.name, str)
        assert all(isinstance(item, Program) for item in group.programs)


def test_it_parses_a_large_member_cheaply():
    """50 programs and 500 cards parse well within a generous bound (a few ms in practice)."""
    document = large_document(programs=50, cards=500)
    Customer.from_json(document)
    best = min(_seconds(lambda: Customer.from_json(document)) for _ in range(5))
    customer = Customer.from_json(document)
    assert len(customer.programs) == 50
    assert len(customer.cards) == 500
    assert best < 0.25


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
