"""The showcase members: each demonstrates something an agent meets at the till.

`showcase()` lists how to look each of them up; `members()` gives their stored data to seeding.
"""

from dataclasses import dataclass
from typing import Any

from . import org
from .ledger import bill, card, currency, enrolment, lot, member, profile

SUBSCRIBED = [
    {"channel": "EMAIL", "priority": "TRANS", "type": "OPTIN"},
    {"channel": "SMS", "priority": "TRANS", "type": "OPTIN"},
    {"channel": "EMAIL", "priority": "BULK", "type": "OPTOUT"},
    {"channel": "SMS", "priority": "BULK", "type": "OPTIN"},
]


@dataclass(frozen=True)
class Example:
    source: str
    identifier_name: str
    identifier_value: str
    shows: tuple[str, ...]
    description: str
    account_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row in the API's own parameter names; accountId only where the source needs it."""
        row: dict[str, Any] = {"source": self.source}
        if self.account_id:
            row["accountId"] = self.account_id
        row["identifierName"] = self.identifier_name
        row["identifierValue"] = self.identifier_value
        row["shows"] = list(self.shows)
        row["description"] = self.description
        return row


@dataclass(frozen=True)
class ShowcaseMember:
    id: int
    data: dict[str, Any]
    merged_into: int | None = None


def _aarav() -> ShowcaseMember:
    return ShowcaseMember(
        5000001,
        member(
            [
                profile(
                    "INSTORE",
                    "Aarav",
                    "Sharma",
                    "919999000001",
                    email="aarav.sharma@sandbox.example",
                    external_id="SBX-0001",
                    created=-1200,
                )
            ],
            extendedFields={"city": "Bengaluru", "gender": "Male"},
            fields={"preferred_store": "Indiranagar"},
            segments={"Value": "High spender", "Lifecycle": "Active"},
            subscriptions=SUBSCRIBED,
            enrolments=[enrolment(1101, 2, 75), enrolment(1102, 1), enrolment(1103, 2, 200)],
            bills=[
                bill(1101, 8000, -400),
                bill(1101, 6000, -300),
                bill(1101, 5000, -200),
                bill(1101, 4000, -120),
                bill(1101, 5000, -60),
                bill(1101, 4000, -10),
                bill(1103, 3000, -300),
                bill(1103, 2500, -100),
                bill(1103, 1500, -20),
            ],
            lots=[
                lot(1101, 2400, -90, 300),
                lot(1101, 800, -250, 115, "redeemed"),
                lot(1101, 200, -400, -20, "expired"),
                lot(1101, 50, -5, 360, "adjusted"),
                lot(1102, 900, -345, 20),
                lot(1102, 700, -60, 200),
                lot(1102, 400, -200, 165, "redeemed"),
                lot(1102, 300, -400, -30, "expired"),
                lot(1102, 100, -40, 325, "returned"),
                lot(1102, 150, -2, 363, "delayed"),
                lot(1103, 320, -100, 265),
            ],
            currencies=[
                currency(1101, 120, redeemed=30, expired=10, delayed=15),
                currency(1103, 40, redeemed=5, returned=2),
            ],
            promotions=[
                {"p": 1101, "points": 200.0, "name": "Goodwill Promotion", "day": -15, "exp": 350}
            ],
            cards=[card("SBXC00010001", 21, "ACTIVE", -1100)],
        ),
    )


def _priya() -> ShowcaseMember:
    return ShowcaseMember(
        5000002,
        member(
            [
                profile(
                    "INSTORE",
                    "Priya",
                    "Nair",
                    "919999000002",
                    email="priya.nair@sandbox.example",
                    external_id="SBX-0002",
                )
            ],
            enrolments=[enrolment(1101)],
            bills=[bill(1101, 2500, -80), bill(1101, 1500, -12)],
            lots=[lot(1101, 400, -80, 285), lot(1101, 150, -12, 353, "delayed")],
            cards=[
                card("SBXD00020001", 22, "ACTIVE", -400),
                card("SBXC00020002", 21, "SUSPENDED", -700),
                card("SBXC00020003", 21, "EXPIRED", -1500, -35),
                card("SBXD00020004", 22, "NOT_ISSUED", -3),
                card("SBXC00020005", 21, "DELETED", -900),
            ],
            subscriptions=SUBSCRIBED[:2],
        ),
    )


def _meera() -> ShowcaseMember:
    return ShowcaseMember(
        5000003,
        member(
            [
                profile(
                    "INSTORE", "Meera", "Iyer", "919999000003", email="meera.iyer@sandbox.example"
                )
            ],
            enrolments=[enrolment(1101, 4, 300), enrolment(1102, 3, 240)],
            bills=[bill(1101, 30000, -20 - 45 * n) for n in range(6)],
            lots=[
                lot(1101, 9000, -50, 310),
                lot(1101, 3000, -300, 65, "redeemed"),
                lot(1102, 9500, -30, 335),
                lot(1102, 600, -200, 165, "redeemed"),
            ],
            userGroups=[
                {
                    "id": 3918001,
                    "externalId": "iyer-household",
                    "name": "Iyer Household",
                    "primary": True,
                    "activeMembers": 3,
                    "points": 5400.0,
                    "lifetimePoints": 6000.0,
                    "contribution": 3200.0,
                    "slab": "Gold",
                    "slabSNo": 3,
                },
                {
                    "id": 3918002,
                    "externalId": "iyer-office",
                    "name": "Iyer Office Pool",
                    "primary": False,
                    "activeMembers": 5,
                    "points": 1200.0,
                    "lifetimePoints": 1800.0,
                    "contribution": 250.0,
                    "slab": "Silver",
                    "slabSNo": 2,
                },
            ],
        ),
    )


def _gupta(customer_id: int, first: str, mobile: str) -> ShowcaseMember:
    return ShowcaseMember(
        customer_id,
        member(
            [profile("INSTORE", first, "Gupta", mobile, email="gupta.family@sandbox.example")],
            enrolments=[enrolment(1101)],
            bills=[bill(1101, 1200, -40)],
            lots=[lot(1101, 120, -40, 325)],
        ),
    )


def _simple(customer_id: int, first: str, last: str, mobile: str, **blocks: Any) -> ShowcaseMember:
    profiles = blocks.pop("profiles", None) or [profile("INSTORE", first, last, mobile)]
    blocks.setdefault("enrolments", [enrolment(1101)])
    blocks.setdefault("bills", [bill(1101, 3000, -25)])
    blocks.setdefault("lots", [lot(1101, 300, -25, 340)])
    return ShowcaseMember(customer_id, member(profiles, **blocks))


def _large() -> ShowcaseMember:
    programs = list(org.PROGRAMS)
    return ShowcaseMember(
        5000014,
        member(
            [
                profile(
                    "INSTORE",
                    "Rajesh",
                    "Krishnamurthy",
                    "919999000014",
                    email="rajesh.k@sandbox.example",
                    external_id="SBX-0014",
                )
            ],
            enrolments=[enrolment(p, 2 if p % 3 == 0 else 1, 180) for p in programs],
            bills=[bill(p, 12000 + 500 * (p % 7), -30 - p % 50) for p in programs]
            + [bill(1101, 7000, -200), bill(1103, 9000, -150)],
            lots=[lot(p, 500 + 10 * (p % 11), -60, 300) for p in programs]
            + [lot(p, 100, -200, 160, "redeemed") for p in programs],
            cards=[
                card(
                    f"SBXD0014{n:04d}",
                    22,
                    ("ACTIVE", "ACTIVE", "SUSPENDED", "EXPIRED", "DELETED")[n % 5],
                    -1000 + n,
                    -10 if n % 5 == 3 else 700,
                )
                for n in range(1, 301)
            ],
        ),
    )


def _layla() -> ShowcaseMember:
    """Gaps at the document's root, a points-to-currency ratio of 0.0025, and a tier whose two
    expiry dates differ (slabExpiryDate at midnight +05:30, the renew summary's the day before)."""
    return _simple(
        5000015,
        "ليلى",
        "حداد",
        "919999000015",
        enrolments=[enrolment(1101, 2, 110)],
        bills=[bill(1101, 9000, -60), bill(1101, 6000, -200), bill(1101, 3000, -500)],
        lots=[lot(1101, 1500, -60, 300), lot(1101, 600, -200, 160)],
        shape={
            "gapsAt": "root",
            "programs": {1101: {"programPointsToCurrencyRatio": 0.0025}},
            "slabExpiry": {1101: [111, "00:00:00"]},
        },
    )


def _ravi() -> ShowcaseMember:
    """Eight cards, one in each state and ACTIVE ones that may not work."""
    return _simple(
        5000016,
        "रवि",
        "शर्मा",
        "919999000016",
        cards=[
            card("SBXD00160001", 22, "ACTIVE", -300),
            card("SBXD00160002", 22, "ACTIVE", -40, None, days_left=15),
            card("SBXC00160003", 21, "ACTIVE", -800, -20),
            card("SBXC00160004", 21, "ACTIVE", -500, blocked=True),
            card("SBXC00160005", 21, "SUSPENDED", -700),
            card("SBXC00160006", 21, "EXPIRED", -1500, -35),
            card("SBXC00160007", 21, "DELETED", -900),
            card("SBXD00160008", 22, "NOT_ISSUED", -3, None),
        ],
    )


def _chen() -> ShowcaseMember:
    """Registered at half past midnight in +08:00 (another day in UTC), the base tier of Sandbox
    Travel with a tier expiry date, and the top tier of Sandbox Rewards naming itself next."""
    return _simple(
        5000017,
        "静",
        "陈",
        "919999000017",
        profiles=[profile("INSTORE", "静", "陈", "919999000017", created=-400)],
        enrolments=[enrolment(1101, 4, 200), enrolment(1102, 1, 50)],
        bills=[bill(1101, 40000, -30 - 50 * n) for n in range(4)],
        lots=[lot(1101, 16000, -30, 330), lot(1102, 300, -15, 350)],
        shape={
            "zone": "+08:00",
            "clock": "00:30:00",
            "programs": {1101: {"nextSlab": "Platinum", "nextSlabSerialNumber": 4}},
            "slabExpiry": {1102: [50, "23:59:59"]},
        },
    )


def _tomas() -> ShowcaseMember:
    """An answer missing blocks it was asked for (fraud details, expiry schedule, customer
    status, subscriptions), with promotional points expiring within 30 days and points expired."""
    return _simple(
        5000018,
        "Tomás",
        "Ibáñez",
        "919999000018",
        lots=[
            lot(1101, 700, -100, 250),
            lot(1101, 200, -400, -20, "expired"),
        ],
        promotions=[{"p": 1101, "points": 150.0, "name": "Birthday Bonus", "day": -40, "exp": 12}],
        subscriptions=SUBSCRIBED,
        shape={"drop": ["fraudDetails", "expirySchedules", "customerStatus", "subscriptionInfo"]},
    )


def _fatima() -> ShowcaseMember:
    """Tiny and huge figures and a negative balance: -350 points to redeem after a correction,
    0.004 points expiring in 10 days, 99.999 dining points, purchases in the billions, and
    fraud marked (not confirmed)."""
    return _simple(
        5000019,
        "فاطمة",
        "السيد",
        "919999000019",
        enrolments=[enrolment(1101), enrolment(1102, 3, 300), enrolment(1103)],
        bills=[bill(1101, 2_500_000_000, -30), bill(1103, 120, -10)],
        lots=[
            lot(1101, 650, -80, 280),
            lot(1101, -1000, -5, org.NEVER_DAYS, "adjusted"),
            lot(1102, 1_234_567_890.5, -20, 345),
            lot(1102, 0.004, -3, 10),
            lot(1103, 99.999, -10, 355),
        ],
        fraud={"status": "MARKED", "day": -4, "by": "sandbox.risk"},
    )


def members() -> list[ShowcaseMember]:
    """Every showcase member's stored data, in customer-id order."""
    return [
        _aarav(),
        _priya(),
        _meera(),
        _gupta(5000004, "Rohan", "919999000004"),
        _gupta(5000005, "Kavya", "919999000005"),
        _simple(
            5000006,
            "Vikram",
            "Rao",
            "919999000006",
            fraud={"status": "CONFIRMED", "day": -12, "by": "sandbox.risk"},
        ),
        _simple(
            5000007,
            "Ananya",
            "Das",
            "919999000007",
            profiles=[
                profile("INSTORE", "Ananya", "Das", "919999000007", created=-700),
                profile(
                    "MOBILE_APP", "Ananya", "Das", "919999000007", account="mapp-01", created=-300
                ),
                profile(
                    "WECHAT",
                    "Ananya",
                    "Das",
                    "919999000007",
                    account="wechat-cn-01",
                    wechat="wx_ananya_das",
                    created=-100,
                ),
            ],
        ),
        _simple(5000008, "Sanjay", "Mehta", "919999000008"),
        _simple(
            5000009,
            "Sanjay",
            "Mehta",
            "919999000009",
            extendedFields={"merged_from": "5000008"},
        ),
        _simple(
            5000010,
            "Neha",
            "Kulkarni",
            "919999000010",
            masked=True,
            profiles=[
                profile(
                    "INSTORE",
                    "Neha",
                    "Kulkarni",
                    "919999000010",
                    email="neha.k@sandbox.example",
                    external_id="SBX-0010",
                )
            ],
        ),
        _simple(
            5000011,
            "伟",
            "李",
            "919999000011",
            profiles=[
                profile(
                    "WECHAT",
                    "伟",
                    "李",
                    "919999000011",
                    account="wechat-cn-01",
                    wechat="wx_li_wei",
                    till="sandbox.wechat",
                )
            ],
        ),
        _simple(
            5000012,
            "Zoë",
            "Ångström-Łukasiewicz",
            "919999000012",
            extendedFields={"city": "Malmö", "nickname": "Zoë 🌟"},
        ),
        _simple(5000013, "", "", "919999000013"),
        _large(),
        _layla(),
        _ravi(),
        _chen(),
        _tomas(),
        _fatima(),
    ]


MERGED_INTO = {5000008: 5000009}


def showcase() -> list[dict[str, Any]]:
    """How to look up each showcase member: the rows `sandbox_examples` prints."""
    return [example.as_dict() for example in EXAMPLES]


EXAMPLES = (
    Example(
        "INSTORE",
        "mobile",
        "919999000001",
        ("multi-program", "upgrade-gap", "renew-gap", "alternate-currencies"),
        "Silver in Sandbox Rewards with three programs; try embed=mlp with gapToUpgrade=30 "
        "and gapToRenew=90: 900 travel points expire in 20 days and old bills leave the "
        "renewal window, so the gaps grow.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000002",
        ("base-tier", "cards"),
        "Base tier (no renewal summary) with five cards: active, suspended, expired, "
        "not issued and deleted.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000003",
        ("top-tier", "group-loyalty"),
        "Platinum and Captain (no next tier); member of two user groups "
        "(includedUserGroup2LoyaltyDetails, includedAllUserGroup2).",
    ),
    Example(
        "INSTORE",
        "email,mobile",
        "gupta.family@sandbox.example,919999000004",
        ("dual-eligibility",),
        "The email is shared by Rohan and Kavya Gupta: the mobile decides (Rohan). "
        "The email alone answers 8015.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000006",
        ("fraud",),
        "Confirmed fraud: fraudDetails with includedFraudDetails=true.",
    ),
    Example(
        "ALL",
        "mobile",
        "919999000007",
        ("warnings", "non-instore"),
        "Profiles in INSTORE, MOBILE_APP and WECHAT: source=ALL combines them with warning 8050.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000008",
        ("merged", "warnings"),
        "A merge victim: the lookup answers its survivor 5000009 with warning 91009; "
        "/v2/customers/5000008 answers 8069.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000010",
        ("masked-by-capillary",),
        "PII masked by Capillary: names, mobile and email come back as *****.",
    ),
    Example(
        "WECHAT",
        "mobile",
        "919999000011",
        ("non-instore", "unicode-names"),
        "Only a WeChat profile (account wechat-cn-01), named 李伟; INSTORE answers 8015.",
        account_id="wechat-cn-01",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000012",
        ("unicode-names",),
        "Zoë Ångström-Łukasiewicz from Malmö.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000013",
        ("empty-names",),
        "No first or last name on the profile.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000014",
        ("large", "multi-program", "cards"),
        f"Enrolled in all {len(org.PROGRAMS)} programs with 300 cards.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000015",
        ("root-gaps", "upgrade-gap", "renew-gap", "unicode-names"),
        "ليلى حداد (Arabic): with gapToUpgrade and gapToRenew, the gaps come at the document's "
        "root (upgrade_based_on, the renew summary as an array); a points-to-currency ratio of "
        "0.0025; the tier's two expiry dates differ by a day.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000016",
        ("card-states", "cards", "unicode-names"),
        "रवि शर्मा (Hindi): eight cards, every state; of the four ACTIVE ones one is past its "
        "expiry date, one allows no transactions and one has 15 days left and no date.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000017",
        ("offset-zone", "base-tier", "top-tier", "unicode-names"),
        "陈静: timestamps in +08:00, registered at half past midnight; the base tier of Sandbox "
        "Travel with an expiry date, and Platinum naming itself as the next tier.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000018",
        ("missing-blocks",),
        "Tomás Ibáñez: the answer leaves out fraud details, the expiry schedule, the customer "
        "status and subscriptions even when asked; promotional points expire in 12 days.",
    ),
    Example(
        "INSTORE",
        "mobile",
        "919999000019",
        ("tiny-and-huge", "negative-balance", "fraud", "unicode-names"),
        "فاطمة السيد (Arabic): -350 points after a correction, 0.004 points expiring in 10 "
        "days, 99.999 dining points, purchases in the billions; fraud marked.",
    ),
)
