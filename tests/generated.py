"""Customer documents generated from the shape Capillary's document allows (hypothesis strategies).

Every optional block is present with figures, present and empty, null, or absent, and the gaps
sit in every position the reference allows (inside a program or at the document's root,
`upgradeBasedOn` or `upgrade_based_on`, `gapToRenewSummary` as an object or an array). Figures
range from tiny decimals to billions, negative balances included; names come in other scripts;
timestamps carry offsets other than the server's. Values are invented.

`documents()` is the strategy; `MISSING` marks a block left out, so tests can tell what the
answer did not carry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

# How an optional block comes: with figures, empty, null, or not at all.
FULL, EMPTY, NULL, MISSING = "full", "empty", "null", "missing"
PRESENCE = st.sampled_from((FULL, EMPTY, NULL, MISSING))

OFFSETS = ("+05:30", "+08:00", "Z", "-04:00", "+00:00", "+13:45")
NAMES = ("Asha", "ليلى", "रवि", "陈", "Zoë", "", "*****")
CARD_STATES = ("ACTIVE", "SUSPENDED", "EXPIRED", "DELETED", "NOT_ISSUED")
FRAUD = ("NOT_FRAUD", "MARKED", "CONFIRMED", "RECONFIRMED", "INTERNAL", "NONE")

# Figures as Capillary sends them: floats (420.0), from tiny decimals to billions, negative ones.
figures = st.one_of(
    st.sampled_from((0.0, 0.004, 0.0025, 99.999, -0.005, -350.0, 420.0, 1234567890.5)),
    st.decimals(
        min_value=Decimal("-1000000"),
        max_value=Decimal("10000000000"),
        places=3,
        allow_nan=False,
        allow_infinity=False,
    ).map(float),
)
counts = st.integers(min_value=0, max_value=5_000_000)


@st.composite
def stamps(draw: st.DrawFn) -> str:
    """A timestamp with an offset (dates near midnight, where a shifted zone changes the day)."""
    year = draw(st.integers(min_value=2016, max_value=2030))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.integers(min_value=1, max_value=28))
    clock = draw(st.sampled_from(("00:00:00", "00:30:00", "10:30:00", "23:59:59")))
    offset = draw(st.sampled_from(OFFSETS))
    return f"{year:04d}-{month:02d}-{day:02d}T{clock}{offset}"


@st.composite
def plain_dates(draw: st.DrawFn) -> str:
    moment = draw(st.dates(min_value=_date(2016), max_value=_date(2125)))
    return moment.isoformat()


def _date(year: int) -> Any:
    from datetime import date

    return date(year, 1, 1)


def _block(draw: st.DrawFn, full: Any, empty: Any) -> tuple[str, Any]:
    presence = draw(PRESENCE)
    return presence, {FULL: full, EMPTY: empty, NULL: None}.get(presence)


@st.composite
def upgrade_strategies(draw: st.DrawFn) -> list[dict[str, Any]]:
    spelling = draw(st.sampled_from(("upgradeBasedOn", "upgrade_based_on")))
    return [
        {
            spelling: draw(
                st.sampled_from(("CUMULATIVE_PURCHASES", "CURRENT_POINTS", "TRACKER_VALUE_BASED"))
            ),
            "upgradeThreshold": draw(figures),
            "customerUpgradeEntityValues": {
                "currentValue": draw(figures),
                "gapToUpgrade": draw(figures),
                "valueValidUpto": draw(plain_dates()),
            },
        }
        for _ in range(draw(st.integers(min_value=1, max_value=2)))
    ]


@st.composite
def renew_summaries(draw: st.DrawFn) -> Any:
    summary = {
        "tierExpiryDate": draw(plain_dates()),
        "renewConfirmed": draw(st.booleans()),
        "renewStrategies": [
            {
                "renewBasedOn": draw(st.sampled_from(("VISITS", "PURCHASE", "POINTS"))),
                "renewThreshold": draw(figures),
                "customerRenewEntityValue": draw(figures),
                "customerGapToRenewValue": draw(figures),
                "trackerEntityIdentifiers": [],
            }
            for _ in range(draw(st.integers(min_value=0, max_value=3)))
        ],
    }
    return draw(st.sampled_from((summary, [summary])))


@st.composite
def programs(draw: st.DrawFn, program_id: int) -> dict[str, Any]:
    serial = draw(st.integers(min_value=1, max_value=5))
    current = draw(st.sampled_from(("Blue", "Silver", "Gold", "Black", "ذهبي")))
    top = draw(st.booleans())
    program: dict[str, Any] = {
        "programId": program_id,
        "programTitle": f"Program {program_id}",
        "currentSlab": current,
        "slabSNo": serial,
        "nextSlab": draw(st.sampled_from(("", current))) if top else "Next",
        "nextSlabSerialNumber": -1 if top else serial + 1,
        "slabExpiryDate": draw(st.one_of(stamps(), st.just("2121-02-18T23:59:59+05:30"))),
        "programPointsToCurrencyRatio": draw(figures),
    }
    for key in (
        "loyaltyPoints",
        "lifetimePoints",
        "redeemed",
        "expired",
        "returned",
        "adjusted",
        "delayedPoints",
        "totalAvailablePoints",
        "cumulativePurchases",
    ):
        if draw(st.booleans()):
            program[key] = draw(figures)
    return program


@st.composite
def cards(draw: st.DrawFn, number: int) -> dict[str, Any]:
    card: dict[str, Any] = {
        "cardId": 700 + number,
        "cardNumber": f"gen{number:04d}",
        "type": draw(st.sampled_from(("DIGITAL", "PHYSICAL"))),
        "statusInfo": {
            "status": draw(st.sampled_from(CARD_STATES)),
            "isActive": draw(st.booleans()),
            "createdOn": draw(stamps()),
            "createdBy": 50016843,
        },
        "transactionNotAllowed": draw(st.booleans()),
        "expiryDays": draw(st.integers(min_value=0, max_value=900)),
    }
    if draw(st.booleans()):
        card["expiryDate"] = draw(plain_dates())
    return card


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A customer document: every optional block FULL, EMPTY, NULL or MISSING, gaps in any
    allowed position. The blocks' presence is recorded under the key "_presence" (removed
    before the document is served: tests pop it)."""
    presence: dict[str, str] = {}
    doc: dict[str, Any] = {"id": draw(st.integers(min_value=1, max_value=10**9))}
    first, last = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
    profile: dict[str, Any] = {
        "firstName": first,
        "lastName": last,
        "source": "INSTORE",
        "accountId": "",
        "attribution": {"createDate": draw(stamps()), "modifiedDate": draw(stamps())},
        "autoUpdateTime": draw(stamps()),
        "identifiers": [{"type": "mobile", "value": "919800000011"}],
    }
    if draw(st.booleans()):
        profile["identifiersAll"] = [{"type": "email", "value": "only.here@example.com"}]
    doc["profiles"] = [profile]

    count = draw(st.integers(min_value=0, max_value=3))
    items = [draw(programs(2500 + n)) for n in range(count)]
    where = draw(st.sampled_from(("program", "root", "none")))
    if where == "program":
        for item in items:
            if draw(st.booleans()):
                item["upgradeStrategies"] = draw(st.one_of(upgrade_strategies(), st.just([])))
            if draw(st.booleans()):
                item["gapToRenewSummary"] = draw(renew_summaries())
    elif where == "root":
        doc["upgradeStrategies"] = draw(upgrade_strategies())
        doc["gapToRenewSummary"] = draw(renew_summaries())
    presence["gaps"] = where
    state, value = _block(draw, items, [])
    if not items and state == FULL:
        state, value = EMPTY, []
    presence["loyaltyProgramDetails"] = state
    if state != MISSING:
        doc["loyaltyProgramDetails"] = value
    if draw(st.booleans()):
        doc["pointsSummary"] = draw(programs(2599))

    blocks = {
        "fraudDetails": (
            {"status": draw(st.sampled_from(FRAUD)), "markedBy": {}, "modifiedOn": draw(stamps())},
            {},
        ),
        "expirySchedules": (
            [
                {"points": draw(figures), "expiryDate": draw(plain_dates()), "programId": 2500}
                for _ in range(draw(st.integers(min_value=1, max_value=3)))
            ],
            [],
        ),
        "expiredPoints": (
            [{"points": draw(figures), "expiryDate": draw(plain_dates()), "programId": 2500}],
            [],
        ),
        "promotionalPoints": (
            {
                "customerPromotionType": [
                    {
                        "points": draw(figures),
                        "promotionName": "Goodwill Promotion",
                        "issuedOn": draw(stamps()),
                        "expiryDate": draw(stamps()),
                        "programId": 2500,
                    }
                ],
                "transactionPromotionType": [],
                "lineitemPromotionType": [],
            },
            {"customerPromotionType": [], "transactionPromotionType": []},
        ),
        "customerStatus": (
            {"label": "Active", "status": "ACTIVE", "createdOn": draw(stamps())},
            {},
        ),
        "cardDetails": ([draw(cards(n)) for n in range(draw(st.integers(1, 8)))], []),
        "subscriptionInfo": (
            {"subscriptions": [{"channel": "SMS", "priority": "BULK", "type": "OPTOUT"}]},
            {"subscriptions": []},
        ),
        "userGroup2LoyaltyDetails": (
            [{"id": 41, "groupName": "Family"}, {"id": 42, "groupName": "Office"}],
            [],
        ),
    }
    for key, (full, empty) in blocks.items():
        state, value = _block(draw, full, empty)
        presence[key] = state
        if state != MISSING:
            doc[key] = value
    doc["warnings"] = []
    doc["_presence"] = presence
    return doc
