"""The cells of the pages as Labels (text, note, colour), decided here so the templates only print
them: tiers, cards, contact channels, subscriptions, promotions, expiries, renewal confirmed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from customers.capillary.records import (
    Card,
    CommChannel,
    PointsExpiry,
    Program,
    PromotionalPoint,
    Subscription,
)
from customers.pages import glossary
from customers.pages.cards import NO_STATUS
from customers.pages.gaps import tier_note
from customers.pages.numbers import DASH, format_moment


@dataclass(frozen=True, slots=True)
class Label:
    """A value as a cell shows it: its text and a note after it in smaller type. badge names
    the colour class (status-ok, ...) of a coloured label; empty says the answer holds no value,
    and the text then says why; strong sets the text in bold. The `label` tag prints one."""

    text: str
    note: str = ""
    badge: str = ""
    empty: bool = False
    strong: bool = False


# Colours of card status labels (customer.css); any other status is shown neutral.
_CARD_STATUS_BADGES: Mapping[str, str] = {
    "ACTIVE": "status-ok",
    "SUSPENDED": "status-warn",
    "NOT_ISSUED": "status-info",
    "EXPIRED": "status-muted",
    "DELETED": "status-bad",
}

# What a subscription's priority means for the member.
_MESSAGE_KINDS: Mapping[str, Promise] = {
    "TRANS": pgettext_lazy("messages", "transactional"),
    "BULK": pgettext_lazy("messages", "promotional (bulk)"),
}


def renewal_confirmed(program: Program) -> Label | None:
    """renewConfirmed from the document, when it came: whether Capillary confirms the renewal."""
    summary = program.renew_summary
    if summary is None or summary.renew_confirmed is None:
        return None
    if summary.renew_confirmed:
        return Label(pgettext("renewal", "confirmed"), badge="status-ok")
    return Label(pgettext("renewal", "not confirmed yet"), badge="status-muted")


def tier_label(program: Program) -> Label:
    """A program's current tier, noting the top tier or naming the next one."""
    if program.current_tier is None:
        return Label(DASH)
    if program.is_top_tier:
        note = _("top tier")
    elif program.next_tier is not None:
        # Translators: %(tier)s is the name of the next tier.
        note = _("next: %(tier)s") % {"tier": program.next_tier.name}
    else:
        note = ""
    return Label(program.current_tier.name, note=note)


def current_tier(program: Program) -> Label:
    """A program's current tier in bold, with what its description adds."""
    if program.current_tier is None:
        return Label(_("no tier"), empty=True)
    return Label(program.current_tier.name, note=tier_note(program.current_tier), strong=True)


def next_tier(program: Program) -> Label:
    """The next tier by name, with what its description adds (nextSlabDescription)."""
    if program.is_top_tier:
        return Label(_("none: this is the top tier"))
    if program.next_tier is None:
        return Label(_("not sent"), empty=True)
    return Label(program.next_tier.name, note=tier_note(program.next_tier))


def card_status(card: Card) -> Label:
    """A card's status as a coloured label, with the reason the backend gave and its history
    as far as the document carries it: since when, by whom, and the status before."""
    status = card.status
    if status is None:
        return Label(str(NO_STATUS), empty=True)
    badge = _CARD_STATUS_BADGES.get(status.status.upper(), "status-neutral")
    since = format_moment(status.created_on)
    # createdByUser is a name, where Capillary's status log sends it; createdBy is listed by
    # the document without saying what it identifies (in its by-id sample it equals the
    # card's entityId): shown as the field says, "created by N", never as a user id.
    by = status.created_by_user or (str(status.created_by) if status.created_by else "")
    # A blocked card without a reason says so: the agent must not guess one for the caller.
    blocked = badge in ("status-warn", "status-bad")
    reason = status.reason or (_("no reason in this answer") if blocked else "")
    note = " \N{MIDDLE DOT} ".join(
        part
        for part in (
            reason,
            # Translators: since when a card has its status.
            _("since %(date)s") % {"date": since} if since else "",
            # Translators: Capillary's createdBy of a card's status: a user's name, or an id
            # the document does not explain (shown as sent).
            _("created by %(who)s") % {"who": by} if by else "",
            # Translators: the card's status before this one, as Capillary names it.
            _("was %(status)s") % {"status": status.previous_label}
            if status.previous_label
            else "",
        )
        if part
    )
    return Label(card.status_label, note=note, badge=badge)


def card_transactions(card: Card) -> Label:
    """Whether the card may be used in transactions (transactionNotAllowed)."""
    if card.transaction_not_allowed is None:
        return Label(_("not sent"), empty=True)
    if card.transaction_not_allowed:
        return Label(pgettext("transactions", "not allowed"), badge="status-bad")
    return Label(pgettext("transactions", "allowed"))


def card_series(card: Card) -> Label:
    return Label(card.series_name or str(card.series_id or "") or DASH, note=card.series_code)


def card_kind(card: Card) -> str:
    if card.is_digital:
        return pgettext("card", "Digital")
    if card.type.upper() == "PHYSICAL":
        return pgettext("card", "Physical")
    kind = card.type.lower()
    return kind[:1].upper() + kind[1:] if kind else DASH


def card_issued(card: Card) -> Label:
    """The card's issuedDate; a missing date is not in this answer, never "not issued" (that
    is a status, NOT_ISSUED)."""
    if card.issued_on is None:
        return Label(DASH)
    return Label(format_moment(card.issued_on))


def channel_kind(channel: CommChannel) -> str:
    """Where a contact channel reaches the member: home, office or not said."""
    if channel.residence:
        return pgettext("contact channel", "home")
    return pgettext("contact channel", "office") if channel.office else DASH


def subscription_messages(subscription: Subscription) -> str:
    """Which messages a subscription is about: transactional, promotional (bulk), ..."""
    priority = subscription.priority
    known = _MESSAGE_KINDS.get(priority)
    return str(known) if known is not None else priority or DASH


def subscription_choice(subscription: Subscription) -> Label:
    if subscription.opted_in:
        return Label(str(_CHOICE_WORDS["optin"]), badge="status-ok")
    choice = (subscription.type or "").lower()
    known = _CHOICE_WORDS.get(choice)
    return Label(str(known) if known else choice or _("unknown"), badge="status-muted")


# A subscription's choice as Capillary spells it, in words.
_CHOICE_WORDS: Mapping[str, Promise] = {
    "optout": gettext_lazy("opted out"),
    "opt_out": gettext_lazy("opted out"),
    "optin": gettext_lazy("opted in"),
}


def promotion_source(promotion: PromotionalPoint) -> Label:
    """What issued promotional points: the source's type in words, with its id when it has one
    ("Goodwill"; Capillary sends id -1 for goodwill points)."""
    kind = promotion.source_type.replace("_", " ").strip().capitalize()
    number = promotion.source_id
    return Label(kind or DASH, note=f"#{number}" if number is not None else "")


def linked_partners(program: Program) -> Label:
    """A program's linked partner programs, by name; "none" only for a list sent empty."""
    if not program.linked_partner_programs:
        if not program.linked_partners_sent:
            return Label(_("not in this answer"), empty=True)
        return Label(pgettext("partner programs", "none"), empty=True)
    return Label(pgettext("list separator", ", ").join(program.linked_partners))


def promotion_issued(promotion: PromotionalPoint) -> Label:
    """When promotional points were issued, noting where."""
    till = promotion.issued_at
    return Label(format_moment(promotion.issued_on) or DASH, note=till.label if till else "")


def expiry_kind(batch: PointsExpiry) -> str:
    """What kind of points expire and how, in words: "points from purchases, on a fixed
    date"."""
    kind = glossary.expiry_words(batch.points_type) or DASH
    how = glossary.expiry_words(batch.expiry_type)
    # Translators: what kind of points expire, and how ("points from purchases, on a fixed date").
    return _("%(kind)s, %(how)s") % {"kind": kind, "how": how} if how else kind
