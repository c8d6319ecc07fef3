"""What an answer covers: a block shown, "none", or not in this answer and why.

Every block of Capillary's document is optional (lookup-api.md section 3): what comes depends on
the embeds and flags asked for and on the org. A missing block is not "none": the pages say
"none" only when the answer carries the block empty, and otherwise that it is not in this
answer, with the reason when it is knowable (not asked for, asked for and not sent, left out on
purpose, or left out by the by-id call) and, only where a new search can bring it, the exact
box of the search form to tick.

Public names:
    SHOWN, NONE, NOT_ASKED, NOT_SENT, LEFT_OUT, BY_ID, UNKNOWN     the states
    Coverage                                                       one block's state and words
    coverage(customer, block, query=, left_out=) -> Coverage       a top-level block
    gap_coverage(program, kind, query=, left_out=) -> Coverage     one program's gaps
    empty_text(customer, key, none_text, query=, left_out=) -> str  what an empty section says
    BLOCKS                                                         the blocks it knows
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from customers.capillary.query import (
    FRAUD_DETAILS,
    GAP_TO_RENEW,
    GAP_TO_UPGRADE,
    MLP,
    LookupQuery,
)
from customers.capillary.records import Customer, Program

__all__ = [
    "BLOCKS",
    "BY_ID",
    "LEFT_OUT",
    "NONE",
    "NOT_ASKED",
    "NOT_SENT",
    "SHOWN",
    "UNKNOWN",
    "Coverage",
    "coverage",
    "empty_text",
    "gap_coverage",
]

SHOWN = "shown"
NONE = "none"
NOT_ASKED = "not asked"
NOT_SENT = "not sent"
LEFT_OUT = "left out"
BY_ID = "by id"
UNKNOWN = "unknown"

IGNORE_CARDS = "ignoreCardDetails"
USER_GROUP_FLAGS = ("includedUserGroup2LoyaltyDetails", "includedAllUserGroup2")


@dataclass(frozen=True)
class Block:
    """A top-level block: its keys in the document, what asks for it, the search form's box for
    that (the labels of customers.lookup.forms, which a test keeps equal), and its name."""

    name: str
    keys: tuple[str, ...]
    asked_by: str
    box: str


BLOCKS: dict[str, Block] = {
    block.name: block
    for block in (
        Block("fraud details", ("fraudDetails",), FRAUD_DETAILS, "Include fraud details"),
        Block(
            "expiry schedule",
            ("expirySchedules",),
            "expirySchedules",
            "Points expiry schedule",
        ),
        Block("expired points", ("expiredPoints",), "expiredPoints", "Expired points"),
        Block(
            "promotional points",
            ("promotionalPoints",),
            "promotionalPoints",
            "Promotional points",
        ),
        Block("customer status", ("customerStatus",), "customerStatus", "Customer status"),
        Block("user groups", (), "userGroup", "Include user group loyalty details"),
        Block("cards", ("cardDetails",), IGNORE_CARDS, "Leave cards out (faster)"),
        Block("programs", ("loyaltyProgramDetails",), MLP, "Tiers per program (mlp)"),
        Block("points summary", ("pointsSummary",), "points", "Points summary"),
        Block("subscriptions", ("subscriptionInfo",), "subscriptions", "Subscriptions"),
        Block("segments", ("segments",), "segments", "Segments"),
        Block(
            "alternate currencies",
            ("alternateCurrencyDetails",),
            "alternateCurrencies",
            "Alternate currencies",
        ),
        Block("customer image", ("customerImage",), "customerImage", "Customer image"),
    )
}


@dataclass(frozen=True)
class Coverage:
    """One block of one answer: `state` is one of SHOWN, NONE, NOT_ASKED, NOT_SENT, LEFT_OUT,
    BY_ID or UNKNOWN; `box` the search form's box a new search needs ticked (or unticked, for
    the cards), "" where a new search cannot bring the block."""

    name: str
    state: str
    box: str = ""
    untick: bool = False

    @property
    def known(self) -> bool:
        """The answer says what the block holds: its figures, or none."""
        return self.state in (SHOWN, NONE)

    @property
    def reason(self) -> str:
        """Why the block is not in this answer, in words an agent can repeat; "" when it is."""
        return {
            NOT_ASKED: "not asked for in this search",
            NOT_SENT: "asked for, and Capillary sent none",
            LEFT_OUT: "left out on purpose by this search",
            BY_ID: "the page was fetched again by id, and that call cannot ask for it",
            UNKNOWN: "not in this answer",
        }.get(self.state, "")

    @property
    def not_in_answer(self) -> str:
        """'Fraud details: not in this answer (not asked for in this search)', "" when known."""
        if self.known:
            return ""
        why = f" ({self.reason})" if self.state != UNKNOWN else ""
        return f"{self.name.capitalize()}: not in this answer{why}"

    @property
    def advice(self) -> str:
        """The exact search-again advice where a new search can bring the block, else ""."""
        if self.state == BY_ID:
            return "Look the member up again from the search to see it."
        if not self.box:
            return ""
        verb = "untick" if self.untick else "tick"
        return f"Search again with “{self.box}” {verb}ed."


def _asked(block: Block, query: LookupQuery) -> bool:
    if block.asked_by == FRAUD_DETAILS:
        return query.included_fraud_details
    if block.asked_by == "userGroup":
        return (
            "userGroup" in query.embed
            or query.included_user_group2_loyalty_details
            or query.included_all_user_group2
            or query.user_group2_id is not None
        )
    if block.asked_by == IGNORE_CARDS:
        return IGNORE_CARDS not in query.embed
    return block.asked_by in query.embed


def _present(customer: Customer, block: Block) -> tuple[bool, bool]:
    """(carried, empty) for the block in this answer."""
    if block.asked_by == "userGroup":
        groups = [key for key in customer.carried if key.startswith("userGroup")]
        return bool(groups), not customer.user_groups
    carried = [key for key in block.keys if customer.carries(key)]
    if not carried:
        return False, False
    value = customer.raw.get(carried[0])
    if block.name == "promotional points":
        return True, not customer.promotional_points
    if block.name == "subscriptions":
        return True, not customer.subscriptions
    return True, not value


def coverage(
    customer: Customer,
    block: str,
    query: LookupQuery | None = None,
    left_out: Collection[str] = (),
) -> Coverage:
    """What this answer says about a top-level block (a name of BLOCKS). Without the query
    (a page that does not know it) a missing block is UNKNOWN: "not in this answer"."""
    spec = BLOCKS[block]
    carried, empty = _present(customer, spec)
    if carried:
        return Coverage(spec.name, NONE if empty else SHOWN)
    if query is None:
        return Coverage(spec.name, UNKNOWN)
    if spec.asked_by in left_out:
        return Coverage(spec.name, BY_ID)
    if spec.asked_by == IGNORE_CARDS and not _asked(spec, query):
        return Coverage(spec.name, LEFT_OUT, spec.box, untick=True)
    if not _asked(spec, query):
        return Coverage(spec.name, NOT_ASKED, spec.box)
    return Coverage(spec.name, NOT_SENT)


GAP_NAMES = {GAP_TO_UPGRADE: "gap to upgrade", GAP_TO_RENEW: "gap to renew"}


def gap_coverage(
    program: Program,
    kind: str,
    query: LookupQuery | None = None,
    left_out: Collection[str] = (),
) -> Coverage:
    """What the answer says about one program's gap to upgrade or to renew (kind is
    GAP_TO_UPGRADE or GAP_TO_RENEW). The reference sends no renewal block for a base tier and
    no upgrade for a top tier: there it is "none", never "search again"."""
    name = GAP_NAMES[kind]
    upgrade = kind == GAP_TO_UPGRADE
    sent = program.upgrade_sent if upgrade else program.renew_sent
    figures = program.upgrade_strategies if upgrade else program.renew_summary
    if figures:
        return Coverage(name, SHOWN)
    if sent or (program.is_top_tier if upgrade else program.is_base_tier):
        return Coverage(name, NONE)
    if query is None:
        return Coverage(name, UNKNOWN)
    if kind in left_out:
        return Coverage(name, BY_ID)
    days = query.gap_to_upgrade if upgrade else query.gap_to_renew
    if MLP not in query.embed or days is None:
        return Coverage(name, NOT_ASKED, "Tiers per program (mlp)")
    return Coverage(name, NOT_SENT)


# The document's key (or the embed / flag asking for it) -> the block's name in BLOCKS.
BY_KEY: dict[str, str] = {
    **{key: block.name for block in BLOCKS.values() for key in block.keys},
    **{block.asked_by: block.name for block in BLOCKS.values()},
    "userGroup2LoyaltyDetails": "user groups",
}


def empty_text(
    customer: Customer,
    key: str,
    none_text: str,
    query: LookupQuery | None = None,
    left_out: Collection[str] = (),
) -> str:
    """What a section with nothing to show says: `none_text` ("No expired points.") only when
    the answer carried the block empty; else that it is not in this answer, why, and how a new
    search can bring it where one can."""
    found = coverage(customer, BY_KEY[key], query, left_out)
    if found.known:
        return none_text
    advice = f" {found.advice}" if found.advice else ""
    return f"{found.not_in_answer}.{advice}"
