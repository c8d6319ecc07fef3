"""The cards of a member with many: filtered by status, sorted, a page at a time."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from customers.capillary.records import Card, Moment
from customers.pages.numbers import day_of

CARDS_PER_PAGE = 25
# Sort keys the cards page offers: key -> column title.
CARD_SORTS: Mapping[str, Promise] = {
    "number": gettext_lazy("Card number"),
    "status": gettext_lazy("Status"),
    "issued": pgettext_lazy("card", "Issued"),
    "expiry": pgettext_lazy("card", "Expiry"),
}
# What a card without a status is listed (and filtered) as.
NO_STATUS = pgettext_lazy("card", "no status")


def _card_sort_key(sort: str) -> Any:
    def moment(value: Moment | None) -> tuple[int, date]:
        return (0, day_of(value)) if value is not None else (1, date.max)

    if sort == "status":
        return lambda card: (card.status_label.casefold(), card.card_number)
    if sort == "issued":
        return lambda card: moment(card.issued_on)
    if sort == "expiry":
        return lambda card: moment(card.expiry_date)
    return lambda card: card.card_number


@dataclass(frozen=True, slots=True)
class CardsView:
    """One page of a member's cards as asked: `status` ("" for all), `sort` (a CARD_SORTS key,
    "-" in front for descending), `number` of `pages`; `statuses` the statuses the member's cards
    have, with how many of each."""

    cards: tuple[Card, ...]
    matching: int
    total: int
    status: str
    sort: str
    number: int
    pages: int
    statuses: tuple[tuple[str, int], ...]


def cards_view(
    cards: Collection[Card], *, status: str = "", sort: str = "", page: str = ""
) -> CardsView:
    """The page of cards a request asks for; anything it asks that does not apply is ignored
    (an unknown status shows all, an unknown sort the document's order, page 1)."""
    counts: dict[str, int] = {}
    none = str(NO_STATUS)
    for card in cards:
        label = card.status_label or none
        counts[label] = counts.get(label, 0) + 1
    status = status if status in counts else ""
    chosen = [card for card in cards if not status or (card.status_label or none) == status]
    key = sort.removeprefix("-")
    if key in CARD_SORTS:
        chosen.sort(key=_card_sort_key(key), reverse=sort.startswith("-"))
    else:
        sort = ""
    pages = max(1, -(-len(chosen) // CARDS_PER_PAGE))
    number = int(page) if page.isascii() and page.isdigit() and 1 <= int(page) <= pages else 1
    start = (number - 1) * CARDS_PER_PAGE
    return CardsView(
        cards=tuple(chosen[start : start + CARDS_PER_PAGE]),
        matching=len(chosen),
        total=len(cards),
        status=status,
        sort=sort,
        number=number,
        pages=pages,
        statuses=tuple(sorted(counts.items())),
    )
