"""The tab bar of a customer's pages: SECTIONS (URL name -> title, in tab order) and the tabs a
user may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from customers.capillary.records import Customer

# A customer's pages, in the order of their tabs: URL name -> title.
SECTIONS: dict[str, Promise] = {
    "overview": pgettext_lazy("tab", "Overview"),
    "programs": pgettext_lazy("tab", "Programs"),
    "cards": pgettext_lazy("tab", "Cards"),
    "currencies": pgettext_lazy("tab", "Currencies"),
    "tiers": pgettext_lazy("tab", "Tiers"),
    "profile": pgettext_lazy("tab", "Profile"),
    "raw": pgettext_lazy("tab", "Raw response"),
}
# The last tab: who looked the customer up.
HISTORY = pgettext_lazy("tab", "History")


@dataclass(frozen=True, slots=True)
class Tab:
    """One tab of a customer's pages. name is its URL name in the customers namespace; count,
    when set, is shown beside the title."""

    name: str
    title: str
    current: bool = False
    count: int | None = None

    @property
    def url_name(self) -> str:
        return f"customers:{self.name}"


def tabs(
    customer: Customer | None, section: str, *, can_see_raw: bool, can_lookup: bool = True
) -> tuple[Tab, ...]:
    """The tab bar of a customer page: the sections in SECTIONS' order, the raw response only
    for users who may see it, the cards tab with the number of cards; then the history.

    The history page has the same bar without a customer (it fetches none, so no card count),
    and for a user who may not look customers up (an auditor) only the history: the bar links
    to no page its user may not open."""
    sections = tuple(
        Tab(
            name,
            str(title),
            current=name == section,
            count=len(customer.cards) if name == "cards" and customer is not None else None,
        )
        for name, title in SECTIONS.items()
        if can_lookup and (name != "raw" or can_see_raw)
    )
    # Who looked the customer up closes the bar: a page of the audit trail, not of the
    # backend's answer (no lookup, no entry of its own), in the same frame.
    return (*sections, Tab("history", str(HISTORY), current=section == "history"))
