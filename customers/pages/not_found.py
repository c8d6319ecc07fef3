"""What a search that found no one should try next, and another source to search in one click."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from customers.capillary.query import ALL as ALL_SOURCES
from customers.capillary.query import INSTORE
from customers.pages import glossary


@dataclass(frozen=True, slots=True)
class NotFoundHelp:
    """What the not-found page advises, derived from what was searched: the steps most likely
    to help first, and another source to search in one click (`fields` is that search as the
    lookup form posts it; "" and () when there is none to offer). `needs_account`: that
    search needs the account id the agent types (all sources, from a search without one:
    Capillary makes it mandatory for every source but INSTORE), so the form asks for it."""

    steps: tuple[str, ...]
    other_source: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    needs_account: bool = False


def _source_words(source: str) -> str:
    return "all sources" if source == ALL_SOURCES else source


def not_found_help(
    query: Any,
    *,
    primary: str,
    allowed: Collection[str] | None,
    reason: str = "",
) -> NotFoundHelp:
    """The not-found page's advice for a search (a LookupQuery; None when it is not known).

    With dual eligibility an org finds a member by its primary identifier only: a search
    without it (an email or card alone where the mobile is primary) is told to add it. A search
    in a source where the member may have no profile is offered the stores' source (INSTORE),
    and one in INSTORE all sources, where the user may search there, saying before the search
    that it needs an account id. A search of all sources without an account id leads with it:
    Capillary's document makes it mandatory there and lists its absence among 8015's reasons."""
    if query is None or not getattr(query, "identifiers", ()):
        return NotFoundHelp(("Check the identifiers, then search again.",))
    steps = []
    if query.source == ALL_SOURCES and not query.account_id:
        # Capillary's document makes the account id mandatory for every source but INSTORE and
        # lists its absence among 8015's reasons: that comes first.
        steps.append(
            "Give the account id and search again: Capillary needs one for every source but "
            f"{INSTORE}, all sources included, and answers “not found” without it (the "
            "Account id box under Advanced)."
        )
    names = [name for name, _ in query.identifiers]
    if primary and primary.casefold() not in {name.casefold() for name in names}:
        wanted = glossary.identifier_word(primary)
        given = " and ".join(dict.fromkeys(glossary.identifier_word(n) for n in names))
        steps.append(
            f"Add the member's {wanted}: this org finds members by their {wanted}, and "
            f"{'an' if given[:1] in 'aeiou' else 'a'} {given} alone may not find them."
        )
    # All sources already hold INSTORE's profile: from there, no other source to try.
    other = {INSTORE: ALL_SOURCES, ALL_SOURCES: ""}.get(query.source, INSTORE)
    may = bool(other) and (allowed is None or other in allowed)
    fields: tuple[tuple[str, str], ...] = ()
    if may:
        where = _source_words(query.source)
        account = " under that account" if query.account_id else ""
        needs = (
            " with the account id of the source the member signed up in (Capillary needs one "
            f"for every source but {INSTORE})"
            if other == ALL_SOURCES
            else ""
        )
        steps.append(
            f"The member may have no profile in {where}{account}: try "
            f"{_source_words(other)}{needs}."
        )
        there = dataclasses.replace(query, source=other, account_id="")
        fields = tuple(there.to_params().items())
        if reason:
            fields += (("reason", reason),)
    steps.append("Check each identifier for a typo: the search is filled in below to edit.")
    # All sources need an account id: the offer carries the one searched, else asks for it.
    needs_account = may and other == ALL_SOURCES and not query.account_id
    return NotFoundHelp(tuple(steps), other if may else "", fields, needs_account)
