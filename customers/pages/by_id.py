"""What a page fetched by customer id cannot show of what was asked: that call takes fewer blocks,
no gaps and no source (LookupQuery.by_id)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from customers.capillary.query import GAP_TO_RENEW, GAP_TO_UPGRADE, SOURCE

# What a page fetched by id lacks, for each part of its query that call does not take.
_LEFT_OUT: Mapping[str, str] = {
    "alternateCurrencies": "alternate currencies",
    "customerStatus": "customer status",
    "cardLoyaltyDetails": "card loyalty details",
    "fleetParentDetails": "fleet parent details",
}


def left_out_notice(left_out: Collection[str], source: str = "") -> str:
    """What a page fetched by id cannot show of what was asked (see LookupQuery.by_id), "" when
    nothing that matters was left out."""
    missing = [_LEFT_OUT[key] for key in left_out if key in _LEFT_OUT]
    gaps = [
        kind
        for key, kind in ((GAP_TO_UPGRADE, "upgrade"), (GAP_TO_RENEW, "renew"))
        if key in left_out
    ]
    if gaps:
        missing.append(f"gaps to {' and '.join(gaps)}")
    sentences = []
    if missing:
        listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        sentences.append(
            "This answer came by customer id, and Capillary's call for that returns no "
            f"{listed}: look the member up again to see them."
        )
    if SOURCE in left_out:
        sentences.append(
            f"That call does not take the source {source or 'searched'}: it asked for every "
            "source's profiles."
        )
    return " ".join(sentences)
