"""Builders for a sandbox member's stored data (`Member.data`).

Every date is a day offset from today (negative: in the past), so a member keeps the same story
whatever day the sandbox runs: points expiring in 20 days always expire in 20 days.

The ledger per member:
- `lots`: points earned (or adjusted) in one go, each in one state: available, redeemed,
  expired, returned, delayed (not yet released) or adjusted (a manual credit, not lifetime);
- `bills`: purchases, which count as visits, purchase amount and tracker value.
"""

from typing import Any

from . import org


def profile(
    source: str,
    first: str,
    last: str,
    mobile: str,
    *,
    account: str = "",
    email: str = "",
    external_id: str = "",
    wechat: str = "",
    created: int = -900,
    modified: int = -30,
    till: str = "sandbox.till.01",
) -> dict[str, Any]:
    identifiers = [{"type": "mobile", "value": mobile}]
    if email:
        identifiers.append({"type": "email", "value": email})
    if external_id:
        identifiers.append({"type": "externalId", "value": external_id})
    if wechat:
        identifiers.append({"type": "wechat", "value": wechat})
    return {
        "source": source,
        "accountId": account,
        "firstName": first,
        "lastName": last,
        "identifiers": identifiers,
        "created": created,
        "modified": modified,
        "till": till,
    }


def lot(
    program: int, points: float, day: int, expires: int, state: str = "available"
) -> dict[str, Any]:
    return {"p": program, "points": float(points), "day": day, "exp": expires, "state": state}


def bill(program: int, amount: float, day: int) -> dict[str, Any]:
    return {"p": program, "amount": float(amount), "day": day}


def enrolment(program: int, slab: int = 1, tier_expiry: int = org.NEVER_DAYS) -> dict[str, Any]:
    return {"p": program, "slab": slab, "tierExpiry": tier_expiry}


def card(
    number: str,
    series: int,
    status: str,
    day: int,
    expires: int | None = 730,
    *,
    blocked: bool | None = None,
    days_left: int | None = None,
) -> dict[str, Any]:
    """A card; `expires` None sends no expiry date (then `days_left` is expiryDays), `blocked`
    sets transactionNotAllowed (default: any status but ACTIVE)."""
    item: dict[str, Any] = {
        "number": number,
        "series": series,
        "status": status,
        "day": day,
        "exp": expires,
    }
    if blocked is not None:
        item["blocked"] = blocked
    if days_left is not None:
        item["daysLeft"] = days_left
    return item


def currency(
    program: int, earned: float, redeemed: float = 0, expired: float = 0, **more: Any
) -> dict[str, Any]:
    """Alternate currency balances; `earned` is what is left to spend."""
    return {
        "p": program,
        "earned": float(earned),
        "redeemed": float(redeemed),
        "expired": float(expired),
        "returned": float(more.get("returned", 0)),
        "delayedEarned": float(more.get("delayed", 0)),
    }


def member(profiles: list[dict[str, Any]], **blocks: Any) -> dict[str, Any]:
    """A member's data with every optional block present (empty when not given)."""
    data: dict[str, Any] = {
        "profiles": profiles,
        "masked": False,
        "fraud": None,
        "extendedFields": {},
        "fields": {},
        "segments": {},
        "status": {"label": "Active", "status": "ACTIVE", "reason": "", "day": -400},
        "subscriptions": [],
        "enrolments": [],
        "lots": [],
        "bills": [],
        "currencies": [],
        "promotions": [],
        "cards": [],
        "userGroups": [],
        # How the answer departs from the usual shape (documents.reshape): gaps at the root,
        # another time zone, blocks the answer leaves out, fields set by hand.
        "shape": {},
    }
    data.update(blocks)
    return data
