"""The embedded sandbox, called over real HTTP through pytest-django's live server."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
import requests
from django.core import checks
from django.core.management import call_command
from django.db import connection

from customers.capillary.records import Customer
from customers.capillary.transport import LocalAdapter
from customers.sandbox import org
from customers.sandbox.api import IN_PROCESS_BASE_URL as SANDBOX_BASE_URL
from customers.sandbox.api import latency_seconds, respond_in_process
from customers.sandbox.auth import basic_header, basic_header_for_digest
from customers.sandbox.documents import today as documents_today
from customers.sandbox.examples import members, showcase
from customers.sandbox.models import Identifier, Member
from customers.sandbox.seeding import seed

TIMEOUT = 10
USERNAME = "sandbox.test.till"
PASSWORD = "sandbox-test-password"
LOOKUP = "/v2/customers/lookup/customerDetails"
TAGS = {
    "root-gaps",
    "card-states",
    "offset-zone",
    "missing-blocks",
    "tiny-and-huge",
    "negative-balance",
    "multi-program",
    "group-loyalty",
    "cards",
    "alternate-currencies",
    "base-tier",
    "top-tier",
    "upgrade-gap",
    "renew-gap",
    "dual-eligibility",
    "fraud",
    "warnings",
    "merged",
    "masked-by-capillary",
    "non-instore",
    "large",
    "unicode-names",
    "empty-names",
}


@pytest.fixture
def sandbox(live_server, settings) -> str:
    """The sandbox's base URL on a live server, seeded with the showcase members."""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_USERNAME = USERNAME
    settings.SANDBOX_PASSWORD = PASSWORD
    settings.SANDBOX_LATENCY_MS = 0
    seed()
    return live_server.url + "/sandbox"


def auth_headers() -> dict[str, str]:
    return {"Authorization": basic_header(USERNAME, PASSWORD), "Accept": "application/json"}


def call(
    base: str, path: str = LOOKUP, headers: dict | None = None, **params
) -> requests.Response:
    return requests.get(
        base + path,
        params=params,
        headers=auth_headers() if headers is None else headers,
        timeout=TIMEOUT,
    )


def lookup(base: str, mobile: str, source: str = "INSTORE", **params) -> dict:
    response = call(base, source=source, identifierName="mobile", identifierValue=mobile, **params)
    assert response.status_code == 200, response.text
    document = response.json()
    assert "errors" not in document
    return document


def error_code(response: requests.Response) -> int:
    body = response.json()
    assert set(body) == {"warnings", "errors"}
    [error] = body["errors"]
    assert set(error) == {"status", "code", "message"}
    assert error["status"] is False
    return error["code"]


def program(document: dict, program_id: int) -> dict:
    return next(p for p in document["loyaltyProgramDetails"] if p["programId"] == program_id)


# Authentication


def test_the_basic_header_follows_capillarys_documented_example():
    """store123 with md5 bdc87b9c... encodes to the documented header, and passwords are md5ed.

    The documentation's example is inconsistent: md5("Pass123") is 2f23fa35..., not the
    bdc87b9c... it prints. The encoding step is checked against its header, the hashing step
    against md5's own well-known value for "password".
    """
    documented = "Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc="
    assert basic_header_for_digest("store123", "bdc87b9c894da5168059e00ebffb9077") == documented
    assert basic_header("store123", "Pass123") == basic_header_for_digest(
        "store123", "2f23fa3579f3f75175793649115c1b25"
    )
    assert basic_header("u", "password") == basic_header_for_digest(
        "u", "5f4dcc3b5aa765d61d8327deb882cf99"
    )


def test_it_answers_401_in_the_envelope_without_or_with_wrong_credentials(sandbox):
    """No credentials, a plain (un-hashed) password or a wrong token: 401 with an error body."""
    wrong = [
        {},
        {"Authorization": "Basic " + "c2FuZGJveC50ZXN0LnRpbGw6c2FuZGJveC10ZXN0LXBhc3N3b3Jk"},
        {"Authorization": basic_header(USERNAME, "not-the-password")},
        {"X-CAP-API-OAUTH-TOKEN": "made-up-token"},
    ]
    for headers in wrong:
        response = call(
            sandbox,
            headers=headers,
            source="INSTORE",
            identifierName="mobile",
            identifierValue="919999000001",
        )
        assert response.status_code == 401
        assert error_code(response) == 401
        assert response.headers["X-Cap-Requestid"]


def test_the_token_endpoint_issues_tokens_the_lookup_accepts(sandbox):
    """POST key/secret (the Basic pair) gives a token that works as X-CAP-API-OAUTH-TOKEN."""
    response = requests.post(
        sandbox + "/v3/oauth/token/generate",
        json={"key": USERNAME, "secret": PASSWORD},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["errors"] is None
    assert body["data"]["ttlSeconds"] == 300
    token = body["data"]["accessToken"]
    found = call(
        sandbox,
        headers={"X-CAP-API-OAUTH-TOKEN": token},
        source="INSTORE",
        identifierName="mobile",
        identifierValue="919999000001",
    )
    assert found.status_code == 200
    assert found.json()["id"] == 5000001


def test_the_token_endpoint_refuses_a_wrong_secret_and_other_methods(sandbox):
    """A wrong secret or a body that is not JSON is 401; GET on the token path is 405."""
    for body in (json.dumps({"key": USERNAME, "secret": "nope"}), "not json", ""):
        response = requests.post(
            sandbox + "/v3/oauth/token/generate",
            data=body,
            timeout=TIMEOUT,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 401
        assert error_code(response) == 401
    assert requests.get(sandbox + "/v3/oauth/token/generate", timeout=TIMEOUT).status_code == 405


def test_tokens_stop_working_when_their_ttl_runs_out(sandbox, settings):
    """SANDBOX_TOKEN_TTL sets ttlSeconds, and after it the token is refused with 401."""
    settings.SANDBOX_TOKEN_TTL = 1
    body = requests.post(
        sandbox + "/v3/oauth/token/generate",
        json={"key": USERNAME, "secret": PASSWORD},
        timeout=TIMEOUT,
    ).json()
    assert body["data"]["ttlSeconds"] == 1
    headers = {"X-CAP-API-OAUTH-TOKEN": body["data"]["accessToken"]}
    params = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000002"}
    assert call(sandbox, headers=headers, **params).status_code == 200
    time.sleep(2.5)
    assert call(sandbox, headers=headers, **params).status_code == 401


# Switch, request ids, latency, system check


def test_it_answers_404_when_the_sandbox_is_switched_off(sandbox, settings):
    """SANDBOX_ENABLED is read per request: off means every sandbox path is a plain 404."""
    settings.SANDBOX_ENABLED = False
    response = call(sandbox, source="INSTORE", identifierName="mobile", identifierValue="1")
    assert response.status_code == 404
    assert "X-Cap-Requestid" not in response.headers
    token = requests.post(sandbox + "/v3/oauth/token/generate", json={}, timeout=TIMEOUT)
    assert token.status_code == 404


def test_every_response_carries_its_own_request_id(sandbox):
    """Successes, errors, 401s and unknown paths all carry a distinct X-Cap-Requestid."""
    responses = [
        call(sandbox, source="INSTORE", identifierName="mobile", identifierValue="919999000001"),
        call(sandbox, source="INSTORE", identifierName="mobile", identifierValue="910000000000"),
        call(sandbox, source="INSTORE"),
        call(sandbox, headers={}, source="INSTORE"),
        call(sandbox, path="/v2/nothing/here"),
        requests.post(sandbox + "/v3/oauth/token/generate", json={}, timeout=TIMEOUT),
    ]
    ids = [r.headers.get("x-cap-requestid") for r in responses]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    assert responses[4].status_code == 404
    assert error_code(responses[4]) == 404


def test_sandbox_latency_ms_delays_each_answer(sandbox, settings):
    """SANDBOX_LATENCY_MS adds at least that much time to an answer."""
    settings.SANDBOX_LATENCY_MS = 400
    started = time.monotonic()
    lookup(sandbox, "919999000002")
    assert time.monotonic() - started >= 0.4


def test_check_deploy_warns_when_the_sandbox_is_on_without_debug(settings):
    """The deploy check sandbox.W001 fires with SANDBOX_ENABLED on and DEBUG off only."""
    settings.SANDBOX_ENABLED, settings.DEBUG = True, False
    ids = [
        m.id
        for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    ]
    assert "sandbox.W001" in ids
    settings.SANDBOX_ENABLED = False
    ids = [
        m.id
        for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    ]
    assert "sandbox.W001" not in ids


# Parameter validation


def test_it_answers_11013_when_a_required_parameter_is_missing(sandbox):
    """source, identifierName and identifierValue are all required."""
    full = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"}
    for missing in full:
        params = {k: v for k, v in full.items() if k != missing}
        response = call(sandbox, **params)
        assert response.status_code == 400
        assert error_code(response) == 11013


def test_it_answers_8003_invalid_source_for_a_source_the_org_does_not_have(sandbox):
    """A source the org does not have is invalid, in the code and words of Capillary's
    published "Invalid source" error envelope."""
    response = call(
        sandbox, source="MYSPACE", identifierName="mobile", identifierValue="919999000001"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"status": False, "code": 8003, "message": "Invalid source"}
    ]


def test_it_answers_8015_without_an_account_id_for_a_non_instore_source(sandbox):
    """Every source but INSTORE needs accountId; without it the customer is not found."""
    response = call(
        sandbox, source="WECHAT", identifierName="mobile", identifierValue="919999000011"
    )
    assert response.status_code == 400
    assert error_code(response) == 8015
    unknown = call(
        sandbox,
        source="WECHAT",
        accountId="nope",
        identifierName="mobile",
        identifierValue="919999000011",
    )
    assert error_code(unknown) == 8011


def test_it_answers_8013_for_an_unknown_identifier_name_or_uneven_lists(sandbox):
    """identifierName must be one of Capillary's names, with as many values as names."""
    for names, values in (("phone", "919999000001"), ("mobile,email", "919999000001")):
        response = call(sandbox, source="INSTORE", identifierName=names, identifierValue=values)
        assert response.status_code == 400
        assert error_code(response) == 8013


def test_it_answers_8015_with_404_for_an_unknown_mobile(sandbox):
    """A primary identifier nobody has is 8015 in the documented envelope."""
    response = call(
        sandbox, source="INSTORE", identifierName="mobile", identifierValue="919999999999"
    )
    assert response.status_code == 404
    assert response.json() == {
        "warnings": [],
        "errors": [
            {
                "status": False,
                "code": 8015,
                "message": "Customer not found for the given identifiers",
            }
        ],
    }


# Identifier resolution


def test_with_dual_eligibility_the_primary_identifier_decides(sandbox):
    """The shared email listed first does not matter: each mobile finds its own Gupta."""
    for mobile, name, customer_id in (
        ("919999000004", "Rohan", 5000004),
        ("919999000005", "Kavya", 5000005),
    ):
        response = call(
            sandbox,
            source="INSTORE",
            identifierName="email,mobile",
            identifierValue=f"gupta.family@sandbox.example,{mobile}",
        )
        assert response.status_code == 200
        document = response.json()
        assert document["id"] == customer_id
        assert document["profiles"][0]["firstName"] == name


def test_a_secondary_identifier_alone_answers_8015_even_when_shared(sandbox):
    """Without the primary identifier there is no answer: 8015 in a 200 body, as Capillary does."""
    for value in ("gupta.family@sandbox.example", "aarav.sharma@sandbox.example"):
        response = call(sandbox, source="INSTORE", identifierName="email", identifierValue=value)
        assert response.status_code == 200
        assert error_code(response) == 8015
    external = call(
        sandbox, source="INSTORE", identifierName="externalId", identifierValue="SBX-0001"
    )
    assert error_code(external) == 8015


def test_identifier_names_are_matched_case_insensitively(sandbox):
    """MOBILE and mobile are the same identifier name."""
    response = call(
        sandbox, source="INSTORE", identifierName="MOBILE", identifierValue="919999000001"
    )
    assert response.json()["id"] == 5000001


def test_a_non_instore_member_is_found_only_in_its_source(sandbox):
    """A WeChat-only member: found with WECHAT and its account, 8015 in INSTORE."""
    document = lookup(sandbox, "919999000011", source="WECHAT", accountId="wechat-cn-01")
    [profile] = document["profiles"]
    assert (profile["source"], profile["accountId"]) == ("WECHAT", "wechat-cn-01")
    response = call(
        sandbox, source="INSTORE", identifierName="mobile", identifierValue="919999000011"
    )
    assert response.status_code == 404
    assert error_code(response) == 8015


# Blocks, embeds and flags

BLOCKS = [
    ({"embed": "mlp"}, "loyaltyProgramDetails"),
    ({"embed": "mlp"}, "groupLoyaltyProgramDetails"),
    ({"embed": "points"}, "pointsSummary"),
    ({"embed": "alternateCurrencies"}, "alternateCurrencyDetails"),
    ({"embed": "subscriptions"}, "subscriptionInfo"),
    ({"embed": "promotionalPoints"}, "promotionalPoints"),
    ({"embed": "expirySchedules"}, "expirySchedules"),
    ({"embed": "expiredPoints"}, "expiredPoints"),
    ({"embed": "customerStatus"}, "customerStatus"),
]


@pytest.mark.parametrize(("params", "key"), BLOCKS)
def test_each_block_appears_only_when_its_embed_or_flag_asks(sandbox, params, key):
    """Without its embed or flag the block is absent; with it, present and not empty."""
    assert key not in lookup(sandbox, "919999000001")
    assert lookup(sandbox, "919999000001", **params)[key]


def test_segments_are_filled_only_with_embed_segments(sandbox):
    """segments is always an object (as in Capillary's samples), filled only on request."""
    assert lookup(sandbox, "919999000001")["segments"] == {}
    assert lookup(sandbox, "919999000001", embed="segments")["segments"]["Value"] == "High spender"


def test_ignore_card_details_drops_the_cards(sandbox):
    """cardDetails comes by default, with several statuses, and goes with ignoreCardDetails."""
    cards = lookup(sandbox, "919999000002")["cardDetails"]
    assert {c["statusInfo"]["status"] for c in cards} == {
        "ACTIVE",
        "SUSPENDED",
        "EXPIRED",
        "NOT_ISSUED",
        "DELETED",
    }
    assert "cardDetails" not in lookup(sandbox, "919999000002", embed="ignoreCardDetails")


def test_user_group_flags_choose_which_groups_come_back(sandbox):
    """The primary group by default, every group with includedAllUserGroup2, or one by id."""

    def groups(**params) -> list[int]:
        return [
            g["id"] for g in lookup(sandbox, "919999000003", **params)["userGroup2LoyaltyDetails"]
        ]

    assert "userGroup2LoyaltyDetails" not in lookup(sandbox, "919999000003")
    assert groups(includedUserGroup2LoyaltyDetails="true") == [3918001]
    assert groups(includedAllUserGroup2="true") == [3918001, 3918002]
    assert groups(userGroup2Id="3918002") == [3918002]


def test_several_embeds_combine(sandbox):
    """Comma-separated embeds each add their block."""
    document = lookup(sandbox, "919999000001", embed="mlp,points,subscriptions")
    assert {"loyaltyProgramDetails", "pointsSummary", "subscriptionInfo"} <= set(document)


# Gaps


def test_gap_to_upgrade_drops_points_that_expire_before_the_target_day(sandbox):
    """CURRENT_POINTS: 900 of Aarav's 1600 travel points expire in 20 days, so the gap grows."""
    now = program(lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="0"), 1102)
    later = program(lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="30"), 1102)
    [today_strategy] = now["upgradeStrategies"]
    [later_strategy] = later["upgradeStrategies"]
    assert today_strategy["upgradeBasedOn"] == "CURRENT_POINTS"
    assert today_strategy["customerUpgradeEntityValues"]["currentValue"] == 1600.0
    assert later_strategy["customerUpgradeEntityValues"]["currentValue"] == 700.0
    for strategy in (today_strategy, later_strategy):
        values = strategy["customerUpgradeEntityValues"]
        assert values["gapToUpgrade"] == max(
            0.0, strategy["upgradeThreshold"] - values["currentValue"]
        )
    assert later_strategy["customerUpgradeEntityValues"]["gapToUpgrade"] == 1300.0


def test_gap_to_upgrade_covers_each_strategy(sandbox):
    """Cumulative purchases never lapse; the tracker's moving window drops old bills."""
    now = lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="0")
    later = lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="90")
    purchases_now = program(now, 1101)["upgradeStrategies"][0]
    purchases_later = program(later, 1101)["upgradeStrategies"][0]
    assert purchases_now["upgradeBasedOn"] == "CUMULATIVE_PURCHASES"
    assert purchases_now["customerUpgradeEntityValues"]["currentValue"] == 32000.0
    assert purchases_later["customerUpgradeEntityValues"]["gapToUpgrade"] == 18000.0
    tracker_now = program(now, 1103)["upgradeStrategies"][0]
    tracker_later = program(later, 1103)["upgradeStrategies"][0]
    assert tracker_now["upgradeBasedOn"] == "TRACKER_VALUE_BASED"
    assert tracker_now["customerUpgradeEntityValues"]["gapToUpgrade"] == 13000.0
    assert tracker_later["customerUpgradeEntityValues"]["gapToUpgrade"] == 16000.0


def test_gap_to_renew_counts_only_the_window_ending_on_the_target_day(sandbox):
    """PURCHASE and VISITS in the year before today + N; the gap is threshold minus value."""
    now = program(lookup(sandbox, "919999000001", embed="mlp", gapToRenew="0"), 1101)
    later = program(lookup(sandbox, "919999000001", embed="mlp", gapToRenew="90"), 1101)

    def strategies(details: dict) -> dict:
        return {s["renewBasedOn"]: s for s in details["gapToRenewSummary"]["renewStrategies"]}

    assert strategies(now)["PURCHASE"]["customerRenewEntityValue"] == 24000.0
    assert strategies(now)["VISITS"]["customerGapToRenewValue"] == 1.0
    assert strategies(later)["PURCHASE"]["customerGapToRenewValue"] == 22000.0
    assert strategies(later)["VISITS"]["customerGapToRenewValue"] == 2.0
    for strategy in [*strategies(now).values(), *strategies(later).values()]:
        assert strategy["customerGapToRenewValue"] == max(
            0.0, strategy["renewThreshold"] - strategy["customerRenewEntityValue"]
        )
    assert now["gapToRenewSummary"]["renewConfirmed"] is False
    points_renewal = program(lookup(sandbox, "919999000003", embed="mlp", gapToRenew="0"), 1102)
    assert points_renewal["gapToRenewSummary"]["renewStrategies"][0]["renewBasedOn"] == "POINTS"


def test_base_tier_members_have_no_renew_summary(sandbox):
    """gapToRenew adds nothing for a member on the first tier."""
    details = program(lookup(sandbox, "919999000002", embed="mlp", gapToRenew="0"), 1101)
    assert details["slabSNo"] == 1
    assert "gapToRenewSummary" not in details


def test_top_tier_members_have_no_next_tier_and_no_upgrade_strategy(sandbox):
    """On the top tier nextSlab is empty, its serial -1 and there is nothing to upgrade to."""
    details = program(lookup(sandbox, "919999000003", embed="mlp", gapToUpgrade="0"), 1101)
    assert (details["currentSlab"], details["nextSlab"]) == ("Platinum", "")
    assert details["nextSlabSerialNumber"] == -1
    assert details["upgradeStrategies"] == []


def test_gaps_need_embed_mlp(sandbox):
    """gapToUpgrade and gapToRenew without embed=mlp add no program details."""
    document = lookup(sandbox, "919999000001", gapToUpgrade="0", gapToRenew="0")
    assert "loyaltyProgramDetails" not in document


def test_gap_days_that_are_not_plain_digits_are_ignored(sandbox):
    """gapToUpgrade=² (a digit to Python, not a number to int) is ignored, not a 500."""
    document = lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="²", gapToRenew="-1")
    programs = document["loyaltyProgramDetails"]
    assert programs
    assert all("upgradeStrategies" not in program for program in programs)


# Points


def test_points_add_up_for_every_program_of_every_showcase_member(sandbox):
    """loyalty = lifetime - redeemed - expired - returned + adjusted; available adds delayed."""
    for example in showcase():
        if example["identifierName"] != "mobile":
            continue
        document = lookup(
            sandbox,
            example["identifierValue"],
            source=example["source"],
            accountId=example.get("accountId", ""),
            embed="mlp,points",
        )
        for details in [*document["loyaltyProgramDetails"], document.get("pointsSummary") or {}]:
            if not details:
                continue
            assert details["loyaltyPoints"] == (
                details["lifetimePoints"]
                - details["redeemed"]
                - details["expired"]
                - details["returned"]
                + details["adjusted"]
            )
            assert details["totalAvailablePoints"] == (
                details["loyaltyPoints"] + details["delayedPoints"]
            )
            assert all(isinstance(details[k], float) for k in ("loyaltyPoints", "redeemed"))


def test_alternate_currencies_add_up(sandbox):
    """lifetimeEarned = earned + redeemed + expired + returned; available adds delayed."""
    blocks = lookup(sandbox, "919999000001", embed="alternateCurrencies")[
        "alternateCurrencyDetails"
    ]
    assert {b["alternateCurrencyData"]["name"] for b in blocks} == {"Stars", "Dining Credits"}
    for block in blocks:
        data = block["alternateCurrencyData"]
        assert data["lifetimeEarned"] == (
            data["earned"] + data["redeemed"] + data["expired"] + data["returned"]
        )
        assert data["totalAvailable"] == data["earned"] + data["delayedEarned"]


def test_expiry_schedules_and_expired_points_split_the_ledger(sandbox):
    """Schedules list points still to expire; expiredPoints those already gone."""
    document = lookup(sandbox, "919999000001", embed="expirySchedules,expiredPoints,mlp")
    travel = program(document, 1102)
    scheduled = sum(s["points"] for s in document["expirySchedules"] if s["programId"] == 1102)
    expired = sum(s["points"] for s in document["expiredPoints"] if s["programId"] == 1102)
    assert scheduled == travel["loyaltyPoints"]
    assert expired == travel["expired"]


# Warnings, merges, fraud, masking, big and odd members


def test_source_all_combines_profiles_with_warning_8050(sandbox):
    """A member with profiles in three sources comes back whole, with warning 8050."""
    document = lookup(sandbox, "919999000007", source="ALL")
    assert {p["source"] for p in document["profiles"]} == {"INSTORE", "MOBILE_APP", "WECHAT"}
    assert [w["code"] for w in document["warnings"]] == [8050]


def test_other_sources_profiles_come_back_as_in_the_published_lookup_sample(sandbox):
    """Capillary's published lookup asked for WECHAT and answered with an INSTORE profile: a
    lookup in one source answers every profile of the member, in the member's order, without
    warning 8050 (the sample has none)."""
    wechat = lookup(sandbox, "919999000007", source="WECHAT", accountId="wechat-cn-01")
    instore = lookup(sandbox, "919999000007")

    for document in (wechat, instore):
        assert [p["source"] for p in document["profiles"]] == ["INSTORE", "MOBILE_APP", "WECHAT"]
        assert document["warnings"] == []


def test_a_merge_victim_resolves_to_its_survivor_with_warning_91009(sandbox):
    """The victim's mobile answers the survivor; asking for the victim by id is 8069."""
    document = lookup(sandbox, "919999000008")
    assert document["id"] == 5000009
    assert document["warnings"] == [
        {
            "status": False,
            "code": 91009,
            "message": "Retrieved survivor account for the requested merge victim",
        }
    ]
    response = call(sandbox, path="/v2/customers/5000008")
    assert response.status_code == 400
    assert error_code(response) == 8069


def test_fraud_details_show_the_members_status(sandbox):
    """CONFIRMED for the fraud member with who marked it, NOT_FRAUD with an empty markedBy for
    others (as in Capillary's published lookup sample)."""
    fraud = lookup(sandbox, "919999000006", includedFraudDetails="true")["fraudDetails"]
    assert fraud["status"] == "CONFIRMED"
    assert fraud["markedBy"]["code"] == "sandbox.risk"
    clean = lookup(sandbox, "919999000001", includedFraudDetails="true")["fraudDetails"]
    assert (clean["status"], clean["markedBy"]) == ("NOT_FRAUD", {})


def test_fraud_details_come_as_in_the_published_samples(sandbox):
    """The published lookup sample carries fraudDetails without includedFraudDetails; the
    published by-id sample has none without it."""
    assert lookup(sandbox, "919999000001")["fraudDetails"]["status"] == "NOT_FRAUD"
    by_id = call(sandbox, path="/v2/customers/5000001", source="INSTORE").json()
    assert "fraudDetails" not in by_id
    flagged = call(
        sandbox, path="/v2/customers/5000006", source="INSTORE", includedFraudDetails="true"
    ).json()
    assert flagged["fraudDetails"]["status"] == "CONFIRMED"


def test_a_member_masked_by_capillary_comes_back_with_stars(sandbox):
    """Names, mobile and email are *****; external ids are never masked."""
    [profile] = lookup(sandbox, "919999000010")["profiles"]
    assert (profile["firstName"], profile["lastName"]) == ("*****", "*****")
    values = {i["type"]: i["value"] for i in profile["identifiers"]}
    assert values == {"mobile": "*****", "email": "*****", "externalId": "SBX-0010"}
    assert {c["value"] for c in profile["commChannels"]} == {"*****"}


def test_the_large_member_has_dozens_of_programs_and_hundreds_of_cards(sandbox):
    """Every program of the org and 300 cards in one document."""
    document = lookup(sandbox, "919999000014", embed="mlp")
    assert len(document["loyaltyProgramDetails"]) == len(org.PROGRAMS) >= 30
    assert len(document["cardDetails"]) == 300


def test_unicode_and_empty_names_come_back_intact(sandbox):
    """Names outside ASCII survive the round trip; empty names stay empty strings."""
    assert lookup(sandbox, "919999000012")["profiles"][0]["lastName"] == "Ångström-Łukasiewicz"
    wechat = lookup(sandbox, "919999000011", source="WECHAT", accountId="wechat-cn-01")
    assert (wechat["profiles"][0]["firstName"], wechat["profiles"][0]["lastName"]) == ("伟", "李")
    empty = lookup(sandbox, "919999000013")["profiles"][0]
    assert (empty["firstName"], empty["lastName"]) == ("", "")


# By id


def test_customers_by_id_answers_the_same_document(sandbox):
    """/v2/customers/<id> with the same source, embeds and flags equals the lookup's document."""
    params = {
        "source": "INSTORE",
        "embed": "mlp,points,subscriptions",
        "includedFraudDetails": "true",
    }
    by_lookup = lookup(sandbox, "919999000001", **params)
    by_id = call(sandbox, path="/v2/customers/5000001", **params)
    assert by_id.status_code == 200
    assert by_id.json() == by_lookup


def test_customers_by_id_takes_only_what_its_reference_lists(sandbox):
    """By id: sources INSTORE, MARTJACK, WECHAT, LINE and ALL (another is 8003), and embeds and
    gaps outside its list add nothing (alternate currencies, customer status, strategies)."""
    refused = call(sandbox, path="/v2/customers/5000007", source="MOBILE_APP", accountId="mapp-01")
    assert (refused.status_code, error_code(refused)) == (400, 8003)
    document = call(
        sandbox,
        path="/v2/customers/5000001",
        source="INSTORE",
        embed="mlp,alternateCurrencies,customerStatus,ignoreCardDetails",
        gapToUpgrade="30",
        gapToRenew="30",
    ).json()
    assert "alternateCurrencyDetails" not in document
    assert "customerStatus" not in document
    assert document["cardDetails"]
    assert all("upgradeStrategies" not in p for p in document["loyaltyProgramDetails"])
    assert all("gapToRenewSummary" not in p for p in document["loyaltyProgramDetails"])


def test_customers_by_id_answers_8015_and_8065(sandbox):
    """An unknown id is 8015; a source where the member has no profile is 8065."""
    assert error_code(call(sandbox, path="/v2/customers/42")) == 8015
    missing = call(sandbox, path="/v2/customers/5000011", source="INSTORE")
    assert missing.status_code == 404
    assert error_code(missing) == 8065


# Showcase, seeding and the transport


def test_every_showcase_member_answers_and_every_tag_is_covered(sandbox):
    """Each row of sandbox_examples finds a member, and together they cover every tag."""
    rows = showcase()
    assert {tag for row in rows for tag in row["shows"]} >= TAGS
    for row in rows:
        response = call(
            sandbox,
            source=row["source"],
            accountId=row.get("accountId", ""),
            identifierName=row["identifierName"],
            identifierValue=row["identifierValue"],
        )
        assert response.status_code == 200
        assert "errors" not in response.json()


def test_sandbox_examples_prints_a_table_and_json():
    """--json is the showcase() list; the table names every identifier value."""
    out = StringIO()
    call_command("sandbox_examples", "--json", stdout=out)
    assert json.loads(out.getvalue()) == showcase()
    table = StringIO()
    call_command("sandbox_examples", stdout=table)
    assert all(row["identifierValue"] in table.getvalue() for row in showcase())


def snapshot() -> tuple[list, list]:
    members = list(Member.objects.order_by("id").values_list("id", "merged_into_id", "data"))
    identifiers = sorted(
        Identifier.objects.values_list("member_id", "source", "account_id", "type", "value")
    )
    return members, identifiers


@pytest.mark.django_db
def test_seeding_is_deterministic_and_idempotent():
    """Same seed, same members, no duplicates; another seed generates other members."""
    call_command("seed_sandbox", "--members", "40", "--seed", "7", stdout=StringIO())
    first = snapshot()
    call_command("seed_sandbox", "--members", "40", "--seed", "7", stdout=StringIO())
    assert snapshot() == first
    assert len(first[0]) == len(members()) + 40
    seed(members=40, seed=8)
    assert snapshot()[0] != first[0]


@pytest.mark.django_db
def test_showcase_seeding_is_quick_enough_for_a_tests_setup():
    """seed() with no generated members stays well under a second (generous bound)."""
    started = time.monotonic()
    seed()
    assert time.monotonic() - started < 3
    assert Member.objects.count() == len(members())


@pytest.mark.django_db
def test_lookups_use_the_identifier_index():
    """Identifiers carry a (type, value) index, and SQLite's planner serves the lookup by it."""
    seed(members=200)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Identifier._meta.db_table)
    assert constraints["sandbox_identifier_lookup"]["columns"] == ["type", "value"]
    query = Identifier.objects.filter(type="mobile", value="917000000150")
    if connection.vendor == "sqlite":
        assert "sandbox_identifier_lookup" in query.explain()
    assert query.get().member_id == 6000151


def test_the_transport_adapter_answers_exactly_as_http(sandbox, settings):
    """Mounted on SANDBOX_BASE_URL it gives the HTTP answer: status, headers and body."""
    session = requests.Session()
    session.mount(
        SANDBOX_BASE_URL, LocalAdapter(SANDBOX_BASE_URL, respond_in_process, latency_seconds)
    )
    cases = [
        (
            "GET",
            LOOKUP,
            {
                "source": "INSTORE",
                "identifierName": "mobile",
                "identifierValue": "919999000001",
                "embed": "mlp,points",
                "gapToUpgrade": "30",
            },
        ),
        (
            "GET",
            LOOKUP,
            {
                "source": "INSTORE",
                "identifierName": "email",
                "identifierValue": "gupta.family@sandbox.example",
            },
        ),
        ("GET", LOOKUP, {"source": "WECHAT", "identifierName": "mobile", "identifierValue": "1"}),
        ("GET", "/v2/customers/5000008", {}),
        ("GET", "/v2/customers/5000011", {"source": "WECHAT", "accountId": "wechat-cn-01"}),
    ]
    for method, path, params in cases:
        over_http = requests.request(
            method, sandbox + path, params=params, headers=auth_headers(), timeout=TIMEOUT
        )
        in_process = session.request(
            method, SANDBOX_BASE_URL + path, params=params, headers=auth_headers(), timeout=TIMEOUT
        )
        assert in_process.status_code == over_http.status_code
        assert in_process.content == over_http.content
        assert in_process.headers["Content-Type"] == over_http.headers["Content-Type"]
        assert in_process.headers["X-Cap-Requestid"]
    unauthorised = session.get(SANDBOX_BASE_URL + LOOKUP, timeout=TIMEOUT)
    assert unauthorised.status_code == 401
    token = session.post(
        SANDBOX_BASE_URL + "/v3/oauth/token/generate",
        json={"key": USERNAME, "secret": PASSWORD},
        timeout=TIMEOUT,
    ).json()["data"]["accessToken"]
    # A token issued in-process works over HTTP: both share Django's cache.
    shared = call(
        sandbox,
        headers={"X-CAP-API-OAUTH-TOKEN": token},
        source="INSTORE",
        identifierName="mobile",
        identifierValue="919999000001",
    )
    assert shared.status_code == 200


def test_the_transport_adapter_honours_the_timeout_for_latency(sandbox, settings):
    """With SANDBOX_LATENCY_MS above the timeout the call fails with a read timeout."""
    settings.SANDBOX_LATENCY_MS = 2000
    session = requests.Session()
    session.mount(
        SANDBOX_BASE_URL, LocalAdapter(SANDBOX_BASE_URL, respond_in_process, latency_seconds)
    )
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        session.get(SANDBOX_BASE_URL + LOOKUP, headers=auth_headers(), timeout=(1, 0.2))
    assert time.monotonic() - started < 1.5


def test_the_transport_adapter_answers_404_when_the_sandbox_is_off(sandbox, settings):
    """Switched off, the in-process sandbox is as absent as the HTTP one."""
    settings.SANDBOX_ENABLED = False
    session = requests.Session()
    session.mount(
        SANDBOX_BASE_URL, LocalAdapter(SANDBOX_BASE_URL, respond_in_process, latency_seconds)
    )
    assert session.get(SANDBOX_BASE_URL + LOOKUP, timeout=TIMEOUT).status_code == 404


def test_the_adapter_keeps_the_callers_database_connection(sandbox):
    """The adapter runs on the caller's thread and leaves its database connection open."""
    session = requests.Session()
    session.mount(
        SANDBOX_BASE_URL, LocalAdapter(SANDBOX_BASE_URL, respond_in_process, latency_seconds)
    )
    Member.objects.count()
    before = connection.connection
    session.get(
        SANDBOX_BASE_URL + LOOKUP,
        params={
            "source": "INSTORE",
            "identifierName": "mobile",
            "identifierValue": "919999000001",
        },
        headers=auth_headers(),
        timeout=TIMEOUT,
    )
    assert connection.connection is before
    assert connection.connection is not None


def test_the_transport_adapter_serves_concurrent_callers(sandbox):
    """Several threads share one adapter; each gets its own member back."""
    adapter = LocalAdapter(SANDBOX_BASE_URL, respond_in_process, latency_seconds)
    mobiles = [f"9199990000{n:02d}" for n in (1, 2, 3, 6, 7, 12, 13, 14)] * 3

    def one(mobile: str) -> int:
        session = requests.Session()
        session.mount(SANDBOX_BASE_URL, adapter)
        try:
            params = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": mobile}
            response = session.get(
                SANDBOX_BASE_URL + LOOKUP, params=params, headers=auth_headers(), timeout=TIMEOUT
            )
            return response.json()["profiles"][0]["identifiers"][0]["value"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(one, mobiles)) == mobiles


def test_amounts_are_floats_as_in_capillarys_samples(sandbox):
    """Points, purchases, thresholds and gaps are floats (420.0); ids and serials are ints."""
    document = lookup(sandbox, "919999000001", embed="mlp", gapToUpgrade="0", gapToRenew="0")
    integers = {
        "loyaltyId",
        "programId",
        "slabSNo",
        "nextSlabSerialNumber",
        "groupProgramId",
        "id",
    }

    def numbers(node: object, key: str = "") -> list[tuple[str, object]]:
        if isinstance(node, dict):
            return [pair for k, v in node.items() for pair in numbers(v, k)]
        if isinstance(node, list):
            return [pair for item in node for pair in numbers(item, key)]
        if isinstance(node, int | float) and not isinstance(node, bool):
            return [(key, node)]
        return []

    found = numbers(document["loyaltyProgramDetails"]) + numbers(document["loyaltyInfo"])
    assert any(key == "customerGapToRenewValue" for key, _ in found)
    assert all(isinstance(value, float) for key, value in found if key not in integers)


# Members shaped unlike the rest (the shapes Capillary's document allows)

ALL_ASKED = {
    "embed": "mlp,points,expirySchedules,customerStatus,subscriptions,promotionalPoints",
    "includedFraudDetails": "true",
    "gapToUpgrade": "0",
    "gapToRenew": "0",
}


def test_a_member_with_gaps_at_the_documents_root(sandbox):
    """919999000015: the gaps at the root, as the reference's table lists them, and the app reads
    them as the one program's."""
    document = lookup(sandbox, "919999000015", **ALL_ASKED)

    (details,) = document["loyaltyProgramDetails"]
    assert "upgradeStrategies" not in details and "gapToRenewSummary" not in details
    assert document["upgradeStrategies"][0]["upgrade_based_on"] == "CUMULATIVE_PURCHASES"
    assert isinstance(document["gapToRenewSummary"], list)
    assert details["programPointsToCurrencyRatio"] == 0.0025
    assert details["slabExpiryDate"].endswith("T00:00:00+05:30")
    (program,) = Customer.from_json(document).programs
    assert program.gaps_from_root and program.upgrade_strategies and program.renew_summary
    assert program.tier_expiry_dates_differ


def test_a_member_with_eight_cards_in_every_state(sandbox):
    """919999000016: isActive true on every card's current status record; four ACTIVE cards, of
    which one is past its date, one allows no transactions, one has days left and no date."""
    document = lookup(sandbox, "919999000016")
    cards = Customer.from_json(document).cards

    assert all(item["statusInfo"]["isActive"] for item in document["cardDetails"])
    assert sorted({card.state for card in cards}) == [
        "ACTIVE",
        "DELETED",
        "EXPIRED",
        "NOT_ISSUED",
        "SUSPENDED",
    ]
    assert len(cards) == 8 and sum(card.is_active for card in cards) == 4
    today = documents_today()
    assert [card.active_but_unusable(today) for card in cards if card.is_active] == [
        (),
        (),
        ("past its expiry date",),
        ("transactions not allowed",),
    ]
    assert [(c.expiry_date, c.expiry_days) for c in cards][1] == (None, 15)


def test_a_member_in_another_offset_with_a_base_and_a_top_tier(sandbox):
    """919999000017: +08:00 timestamps, registered at half past midnight; the base tier with an
    expiry date; Platinum naming itself next reads as the top tier."""
    document = lookup(sandbox, "919999000017", **ALL_ASKED)

    created = document["profiles"][0]["attribution"]["createDate"]
    assert created.endswith("T00:30:00+08:00")
    rewards, travel = Customer.from_json(document).programs
    assert rewards.is_top_tier and rewards.next_tier is None
    assert travel.is_base_tier and travel.tier_expiry_date is not None
    assert not travel.tier_never_expires
    assert "gapToRenewSummary" not in program(document, 1102)


def test_a_member_whose_answer_leaves_out_blocks_asked_for(sandbox):
    """919999000018: fraud details, the expiry schedule, status and subscriptions asked for and
    not sent; promotional points that expire within 30 days are."""
    document = lookup(sandbox, "919999000018", **ALL_ASKED)

    for key in ("fraudDetails", "expirySchedules", "customerStatus", "subscriptionInfo"):
        assert key not in document
    (promotion,) = document["promotionalPoints"]["customerPromotionType"]
    assert promotion["points"] == 150.0


def test_a_member_with_tiny_huge_and_negative_figures(sandbox):
    """919999000019: -350 to redeem, a batch of 0.004 points, 99.999 dining points, purchases in
    the billions, fraud marked."""
    document = lookup(sandbox, "919999000019", **ALL_ASKED)

    assert program(document, 1101)["loyaltyPoints"] == -350.0
    assert program(document, 1103)["loyaltyPoints"] == 99.999
    assert program(document, 1101)["cumulativePurchases"] == 2_500_000_000.0
    assert {"points": 0.004, "programId": 1102} in [
        {"points": b["points"], "programId": b["programId"]} for b in document["expirySchedules"]
    ]
    assert all(batch["points"] > 0 for batch in document["expirySchedules"])
    assert document["fraudDetails"]["status"] == "MARKED"
