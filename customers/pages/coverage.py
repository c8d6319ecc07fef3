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

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    "with_advice",
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
    that (the labels of customers.lookup.forms, which a test keeps equal), and its name (the
    key of BLOCKS; LABELS has it in the user's language)."""

    name: str
    keys: tuple[str, ...]
    asked_by: str
    box: str | Promise


BLOCKS: dict[str, Block] = {
    block.name: block
    for block in (
        Block(
            "fraud details",
            ("fraudDetails",),
            FRAUD_DETAILS,
            gettext_lazy("Include fraud details"),
        ),
        Block(
            "expiry schedule",
            ("expirySchedules",),
            "expirySchedules",
            gettext_lazy("Points expiry schedule"),
        ),
        Block(
            "expired points", ("expiredPoints",), "expiredPoints", gettext_lazy("Expired points")
        ),
        Block(
            "promotional points",
            ("promotionalPoints",),
            "promotionalPoints",
            gettext_lazy("Promotional points"),
        ),
        Block(
            "customer status",
            ("customerStatus",),
            "customerStatus",
            gettext_lazy("Customer status"),
        ),
        Block("user groups", (), "userGroup", gettext_lazy("Include user group loyalty details")),
        Block("cards", ("cardDetails",), IGNORE_CARDS, gettext_lazy("Leave cards out (faster)")),
        Block(
            "programs", ("loyaltyProgramDetails",), MLP, gettext_lazy("Tiers per program (mlp)")
        ),
        Block("points summary", ("pointsSummary",), "points", gettext_lazy("Points summary")),
        Block(
            "subscriptions", ("subscriptionInfo",), "subscriptions", gettext_lazy("Subscriptions")
        ),
        Block("segments", ("segments",), "segments", gettext_lazy("Segments")),
        Block(
            "alternate currencies",
            ("alternateCurrencyDetails",),
            "alternateCurrencies",
            gettext_lazy("Alternate currencies"),
        ),
        Block(
            "customer image", ("customerImage",), "customerImage", gettext_lazy("Customer image")
        ),
    )
}


# The blocks' and gaps' names as pages say them, by name.
LABELS: dict[str, Promise] = {
    "fraud details": gettext_lazy("fraud details"),
    "expiry schedule": gettext_lazy("expiry schedule"),
    "expired points": gettext_lazy("expired points"),
    "promotional points": gettext_lazy("promotional points"),
    "customer status": gettext_lazy("customer status"),
    "user groups": gettext_lazy("user groups"),
    "cards": gettext_lazy("cards"),
    "programs": gettext_lazy("programs"),
    "points summary": gettext_lazy("points summary"),
    "subscriptions": gettext_lazy("subscriptions"),
    "segments": gettext_lazy("segments"),
    "alternate currencies": gettext_lazy("alternate currencies"),
    "customer image": gettext_lazy("customer image"),
    "gap to upgrade": gettext_lazy("gap to upgrade"),
    "gap to renew": gettext_lazy("gap to renew"),
}


def with_advice(sentence: str, advice: str) -> str:
    """A sentence followed by the advice sentence that goes with it, when there is one."""
    if not advice:
        return sentence
    # Translators: two sentences, one after the other.
    return _("%(sentence)s %(advice)s") % {"sentence": sentence, "advice": advice}


@dataclass(frozen=True)
class Coverage:
    """One block of one answer: `state` is one of SHOWN, NONE, NOT_ASKED, NOT_SENT, LEFT_OUT,
    BY_ID or UNKNOWN; `box` the search form's box a new search needs ticked (or unticked, for
    the cards), "" where a new search cannot bring the block."""

    name: str
    state: str
    box: str | Promise = ""
    untick: bool = False

    @property
    def label(self) -> str:
        """The block's name in the user's language ("fraud details")."""
        return str(LABELS.get(self.name, self.name))

    @property
    def known(self) -> bool:
        """The answer says what the block holds: its figures, or none."""
        return self.state in (SHOWN, NONE)

    @property
    def reason(self) -> str:
        """Why the block is not in this answer, in words an agent can repeat; "" when it is."""
        if self.state == NOT_ASKED:
            return _("not asked for in this search")
        if self.state == NOT_SENT:
            return _("asked for, and Capillary sent none")
        if self.state == LEFT_OUT:
            return _("left out on purpose by this search")
        if self.state == BY_ID:
            return _("the page was fetched again by id, and that call cannot ask for it")
        if self.state == UNKNOWN:
            return _("not in this answer")
        return ""

    @property
    def not_in_answer(self) -> str:
        """'Fraud details: not in this answer (not asked for in this search)', "" when known."""
        return self._not_in_answer(stop=False)

    def _not_in_answer(self, *, stop: bool) -> str:
        if self.known:
            return ""
        values = {"block": self.label[:1].upper() + self.label[1:], "reason": self.reason}
        if self.state == UNKNOWN:
            if stop:
                return _("%(block)s: not in this answer.") % values
            return _("%(block)s: not in this answer") % values
        # Translators: %(block)s is a block of the answer ("Fraud details"); %(reason)s why.
        if stop:
            return _("%(block)s: not in this answer (%(reason)s).") % values
        return _("%(block)s: not in this answer (%(reason)s)") % values

    @property
    def advice(self) -> str:
        """The exact search-again advice where a new search can bring the block, else ""."""
        if self.state == BY_ID:
            return _("Look the member up again from the search to see it.")
        if not self.box:
            return ""
        # Translators: %(box)s is a tick box of the search form, by its label.
        if self.untick:
            return _("Search again with “%(box)s” unticked.") % {"box": self.box}
        return _("Search again with “%(box)s” ticked.") % {"box": self.box}


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
        return Coverage(name, NOT_ASKED, str(gettext_lazy("Tiers per program (mlp)")))
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
    return with_advice(found._not_in_answer(stop=True), found.advice)
