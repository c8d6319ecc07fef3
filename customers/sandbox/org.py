"""The sandbox org's configuration: sources, programs, tier ladders and strategies.

A real Capillary org is configured in its admin console; the sandbox's one org is fixed here so
that every member, every document and the README describe the same setup.
"""

from dataclasses import dataclass

PRIMARY_IDENTIFIER = "mobile"
DUAL_ELIGIBILITY = True

# Capillary's identifier names as the lookup takes them, keyed by their lowercase spelling
# (the API matches them case-insensitively), with the spelling used in response documents.
IDENTIFIER_TYPES = {
    "mobile": "mobile",
    "email": "email",
    "externalid": "externalId",
    "cardnumber": "cardNumber",
    "wechat": "wechat",
    "cardexternalid": "cardExternalId",
}

# INSTORE has no accounts; every other source is reached through one of its account ids.
SOURCES: dict[str, tuple[str, ...]] = {
    "INSTORE": (),
    "WECHAT": ("wechat-cn-01",),
    "MARTJACK": ("mj-web-01",),
    "MOBILE_APP": ("mapp-01",),
    "MAPP_SDK": ("sdk-01",),
    "FACEBOOK": ("fb-01",),
    "LINE": ("line-01",),
    "WEB_ENGAGE": ("we-01",),
    "WHATSAPP": ("wa-01",),
}
ALL_SOURCES = "ALL"

# Renewal and tracker values count over a moving window of this many days.
WINDOW_DAYS = 365
# Capillary's way of saying "does not expire": a date about a hundred years away.
NEVER_DAYS = 36500


@dataclass(frozen=True)
class Tier:
    serial: int
    name: str
    description: str
    # Value of the program's upgrade entity needed to reach this tier (0 for the base tier).
    threshold: float


@dataclass(frozen=True)
class RenewStrategy:
    based_on: str  # VISITS | PURCHASE | POINTS
    threshold: float


@dataclass(frozen=True)
class Program:
    id: int
    title: str
    description: str
    upgrade_based_on: str  # CUMULATIVE_PURCHASES | CURRENT_POINTS | TRACKER_VALUE_BASED
    tiers: tuple[Tier, ...]
    renew: tuple[RenewStrategy, ...]
    points_to_currency: float = 1.0
    alternate_currency: str = ""

    def tier(self, serial: int) -> Tier:
        return self.tiers[serial - 1]

    def next_tier(self, serial: int) -> Tier | None:
        return self.tiers[serial] if serial < len(self.tiers) else None


def _ladder(*names: tuple[str, float]) -> tuple[Tier, ...]:
    return tuple(
        Tier(serial=i, name=name, description=f"{name} tier", threshold=float(threshold))
        for i, (name, threshold) in enumerate(names, start=1)
    )


MAIN_PROGRAMS = (
    Program(
        id=1101,
        title="Sandbox Rewards",
        description="Default program for the sandbox org",
        upgrade_based_on="CUMULATIVE_PURCHASES",
        tiers=_ladder(("Blue", 0), ("Silver", 10000), ("Gold", 50000), ("Platinum", 150000)),
        renew=(RenewStrategy("PURCHASE", 40000.0), RenewStrategy("VISITS", 6.0)),
        alternate_currency="Stars",
    ),
    Program(
        id=1102,
        title="Sandbox Travel",
        description="Points for flights and hotels",
        upgrade_based_on="CURRENT_POINTS",
        tiers=_ladder(("Explorer", 0), ("Voyager", 2000), ("Captain", 8000)),
        renew=(RenewStrategy("POINTS", 1500.0),),
        points_to_currency=0.5,
    ),
    Program(
        id=1103,
        title="Sandbox Dining Club",
        description="Spend tracked over a moving year",
        upgrade_based_on="TRACKER_VALUE_BASED",
        tiers=_ladder(("Bronze", 0), ("Silver", 5000), ("Gold", 20000)),
        renew=(RenewStrategy("VISITS", 12.0),),
        alternate_currency="Dining Credits",
    ),
)

# Partner programs make the org big enough for a member enrolled in dozens of programs.
PARTNER_PROGRAMS = tuple(
    Program(
        id=1200 + n,
        title=f"Partner Program {n:02d}",
        description=f"Coalition partner {n:02d}",
        upgrade_based_on="CUMULATIVE_PURCHASES",
        tiers=_ladder(("Member", 0), ("Plus", 20000)),
        renew=(RenewStrategy("PURCHASE", 10000.0),),
    )
    for n in range(1, 34)
)

PROGRAMS: dict[int, Program] = {p.id: p for p in MAIN_PROGRAMS + PARTNER_PROGRAMS}
DEFAULT_PROGRAM_ID = 1101

TRACKER = {
    "tracker_name": "1 Year Spend Tracker",
    "tracker_type": "BILL_AMOUNT",
    "tracker_mode": "MOVING_WINDOW",
    "tracker_case_period_type": "DAYS",
    "tracker_case_period_value": str(WINDOW_DAYS),
}


@dataclass(frozen=True)
class GroupProgram:
    id: int
    title: str
    description: str
    program_ids: tuple[int, ...]


GROUP_PROGRAM = GroupProgram(
    id=900,
    title="Sandbox Group Rewards",
    description="Points pooled across the sandbox's own programs",
    program_ids=tuple(p.id for p in MAIN_PROGRAMS),
)

CARD_SERIES = {
    21: {"name": "Sandbox Classic", "code": "SBX-C", "type": "PHYSICAL", "maxActiveCards": 2},
    22: {"name": "Sandbox Digital", "code": "SBX-D", "type": "DIGITAL", "maxActiveCards": 500},
}

ORG_ID = 50100
