"""Response documents in Capillary's shapes, built from a member's stored data.

Every figure is derived from the member's ledger (see ledger.py) as of a day: points add up
(loyaltyPoints = lifetimePoints - redeemed - expired - returned + adjusted), and gaps as of
today + N leave out what expires or leaves the moving window before that day.
"""

import json
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from math import fsum
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from . import org

# The sandbox org lives in India, like Capillary's samples: timestamps carry +05:30.
ORG_TZ = timezone(timedelta(hours=5, minutes=30))
MASK = "*****"
MASKED_TYPES = ("mobile", "email")


def today() -> date:
    """Today in the org's zone (ORG_TIME_ZONE: the sandbox org's own, Asia/Kolkata, unless set),
    the day the pages count "in N days" from."""
    return datetime.now(ZoneInfo(settings.ORG_TIME_ZONE)).date()


@dataclass(frozen=True)
class Options:
    """What the request asked for: the source view, embeds and flags."""

    source: str = org.ALL_SOURCES
    account_id: str = ""
    embed: frozenset[str] = frozenset()
    fraud: bool = False
    gap_to_upgrade: int | None = None
    gap_to_renew: int | None = None
    user_group: bool = False
    user_group_id: int | None = None
    all_user_groups: bool = False


def error_document(
    code: int, message: str, warnings: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "warnings": warnings or [],
        "errors": [{"status": False, "code": code, "message": message}],
    }


def warning(code: int, message: str) -> dict[str, Any]:
    return {"status": False, "code": code, "message": message}


def _day(base: date, offset: int) -> str:
    return (base + timedelta(days=offset)).isoformat()


def _stamp(base: date, offset: int, clock: str = "10:30:00") -> str:
    return f"{_day(base, offset)}T{clock}+05:30"


def _till(code: str) -> dict[str, Any]:
    return {"id": 70000 + sum(code.encode()), "code": code, "name": code, "type": "TILL"}


def customer_document(
    customer_id: int, data: dict[str, Any], options: Options, warnings: list[dict[str, Any]]
) -> dict[str, Any]:
    base = today()
    masked = bool(data.get("masked"))
    # Every source's profile, in the member's own order, whatever the source asked: Capillary's
    # published lookup sample asked for WECHAT and answered with an INSTORE profile.
    profiles = list(data.get("profiles", []))
    first = profiles[0]
    doc: dict[str, Any] = {
        "id": customer_id,
        "profiles": [
            _profile(customer_id, p, data, base, masked, i == 0) for i, p in enumerate(profiles)
        ],
        "loyaltyInfo": {
            "loyaltyType": "loyalty" if data.get("enrolments") else "non_loyalty",
            "attributionV2": {
                "createDate": _stamp(base, first["created"]),
                "createdBy": _till(first["till"]),
                "modifiedBy": _till(first["till"]),
                "modifiedDate": _stamp(base, first["modified"]),
                "createdFromSource": first["source"].lower(),
            },
            "lifetimePurchases": fsum(b["amount"] for b in data.get("bills", [])),
        },
        "segments": dict(data.get("segments", {})) if "segments" in options.embed else {},
        "associatedWith": first["till"],
        "extendedFields": dict(data.get("extendedFields", {})),
    }
    if options.fraud:
        doc["fraudDetails"] = _fraud(data.get("fraud"), base)
    if "mlp" in options.embed:
        doc["loyaltyProgramDetails"] = [
            _program_details(customer_id, e, data, base, options) for e in data["enrolments"]
        ]
        group = _group_details(data)
        if group:
            doc["groupLoyaltyProgramDetails"] = [group]
    if "points" in options.embed:
        doc["pointsSummary"] = _points_summary(customer_id, data, base)
    if "ignoreCardDetails" not in options.embed:
        doc["cardDetails"] = [_card(customer_id, c, base) for c in data.get("cards", [])]
    if "alternateCurrencies" in options.embed:
        doc["alternateCurrencyDetails"] = [_currency(c) for c in data.get("currencies", [])]
    if "subscriptions" in options.embed:
        doc["subscriptionInfo"] = {"subscriptions": list(data.get("subscriptions", []))}
    if "promotionalPoints" in options.embed:
        doc["promotionalPoints"] = _promotions(data, base)
    if "expirySchedules" in options.embed:
        doc["expirySchedules"] = _schedules(data, base, ("available", "adjusted"), future=True)
    if "expiredPoints" in options.embed:
        doc["expiredPoints"] = _schedules(data, base, ("expired",), future=False)
    if "customerStatus" in options.embed:
        status = data["status"]
        doc["customerStatus"] = {
            "label": status["label"],
            "status": status["status"],
            "reason": status.get("reason", ""),
            "createdOn": _stamp(base, status["day"]),
            "isActive": status["status"] == "ACTIVE",
        }
    if options.user_group or options.all_user_groups or options.user_group_id is not None:
        doc["userGroup2LoyaltyDetails"] = _user_groups(data, options)
    doc["warnings"] = warnings
    return reshape(doc, data.get("shape") or {})


_OFFSET_STAMP = re.compile(r"T(\d{2}:\d{2}:\d{2})\+05:30")


def reshape(doc: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """The answer in one of the other shapes Capillary's document allows (a member's "shape"):

    - "gapsAt": "root": the one program's upgradeStrategies and gapToRenewSummary move to the
      document's root, as the reference's response table lists them, with the table's
      `upgrade_based_on` spelling and the renew summary as an array;
    - "zone": "+08:00" (and "clock"): timestamps carry that offset instead of the org's +05:30,
      registration-like stamps at that clock time (half past midnight shows a day moving);
    - "drop": top-level blocks the answer leaves out even when asked for;
    - "programs": {program id: {field: value}}: fields of loyaltyProgramDetails set by hand;
    - "slabExpiry": {program id: [days from today, clock]}: its slabExpiryDate (a base tier
      with a date, or a tier ending at midnight, the renew summary's date the day before).
    """
    if not shape:
        return doc

    def of(key: str, program_id: int) -> Any:
        # Stored as JSON, the program ids are strings.
        values = shape.get(key, {})
        return values.get(str(program_id), values.get(program_id))

    for program in doc.get("loyaltyProgramDetails", []):
        program.update(of("programs", program["programId"]) or {})
        if expiry := of("slabExpiry", program["programId"]):
            days, clock = expiry
            program["slabExpiryDate"] = _stamp(today(), days, clock)
    if shape.get("gapsAt") == "root":
        for program in doc.get("loyaltyProgramDetails", []):
            upgrades = program.pop("upgradeStrategies", None)
            renew = program.pop("gapToRenewSummary", None)
            if upgrades is not None:
                doc["upgradeStrategies"] = [
                    {("upgrade_based_on" if k == "upgradeBasedOn" else k): v for k, v in u.items()}
                    for u in upgrades
                ]
            if renew is not None:
                doc["gapToRenewSummary"] = [renew]
    for key in shape.get("drop", ()):
        doc.pop(key, None)
    if zone := shape.get("zone"):
        clock = shape.get("clock", "")
        text = json.dumps(doc, ensure_ascii=False)

        def rezoned(match: re.Match[str]) -> str:
            time = clock if clock and match[1] == "10:30:00" else match[1]
            return f"T{time}{zone}"

        doc = json.loads(_OFFSET_STAMP.sub(rezoned, text))
    return doc


def _profile(
    customer_id: int,
    prof: dict[str, Any],
    data: dict[str, Any],
    base: date,
    masked: bool,
    with_cards: bool,
) -> dict[str, Any]:
    def shown(kind: str, value: str) -> str:
        return MASK if masked and kind in MASKED_TYPES else value

    identifiers = [
        {"type": i["type"], "value": shown(i["type"], i["value"])} for i in prof["identifiers"]
    ]
    if with_cards:
        identifiers += [
            {
                "type": "cardNumber",
                "value": c["number"],
                "seriesId": c["series"],
                "statusLabel": c["status"],
            }
            for c in data.get("cards", [])
        ]
    channels = [
        {
            "type": i["type"],
            "value": shown(i["type"], i["value"]),
            "primary": True,
            "verified": i["type"] == "mobile",
            "meta": {"residence": False, "office": False},
            "attributes": {},
        }
        for i in prof["identifiers"]
        if i["type"] in ("mobile", "email", "wechat")
    ]
    till = _till(prof["till"])
    return {
        "firstName": MASK if masked else prof["firstName"],
        "lastName": MASK if masked else prof["lastName"],
        "attribution": {
            "createDate": _stamp(base, prof["created"]),
            "createdBy": till,
            "modifiedBy": till,
            "modifiedDate": _stamp(base, prof["modified"]),
        },
        "fields": dict(data.get("fields", {})),
        "identifiers": identifiers,
        "commChannels": channels,
        "source": prof["source"],
        "userId": customer_id,
        "accountId": prof.get("accountId", ""),
        "conflictingProfileList": [],
        "autoUpdateTime": _stamp(base, prof["modified"], "18:50:23"),
        "identifiersAll": [dict(i) for i in identifiers if i["type"] != "cardNumber"],
    }


def _fraud(fraud: dict[str, Any] | None, base: date) -> dict[str, Any]:
    if not fraud:
        return {"markedBy": {}, "modifiedOn": _stamp(base, -1000), "status": "NOT_FRAUD"}
    return {
        "markedBy": _till(fraud.get("by", "sandbox.risk")),
        "modifiedOn": _stamp(base, fraud["day"]),
        "status": fraud["status"],
    }


def points(data: dict[str, Any], program_id: int) -> dict[str, float]:
    """The program's point totals; they add up by construction."""
    totals: dict[str, float] = defaultdict(float)
    for item in data.get("lots", []):
        if item["p"] == program_id:
            totals[item["state"]] += item["points"]
    lifetime = fsum(totals[s] for s in ("available", "redeemed", "expired", "returned"))
    loyalty = totals["available"] + totals["adjusted"]
    return {
        "redeemed": totals["redeemed"],
        "expired": totals["expired"],
        "returned": totals["returned"],
        "adjusted": totals["adjusted"],
        "lifetimePoints": lifetime,
        "loyaltyPoints": loyalty,
        "delayedPoints": totals["delayed"],
        "delayedReturnedPoints": 0.0,
        "delayedExpiredPoints": 0.0,
        "totalAvailablePoints": loyalty + totals["delayed"],
        "totalReturnedPoints": totals["returned"],
    }


def upgrade_value(
    based_on: str, bills: list[dict[str, Any]], lots: list[dict[str, Any]], day: int
) -> float:
    """The upgrade entity's value as of `day` (an offset from today), lapsed values left out."""
    if based_on == "CURRENT_POINTS":
        return fsum(
            x["points"]
            for x in lots
            if x["state"] in ("available", "adjusted") and x["exp"] >= day
        )
    if based_on == "TRACKER_VALUE_BASED":
        return fsum(b["amount"] for b in bills if b["day"] + org.WINDOW_DAYS > day)
    return fsum(b["amount"] for b in bills)


def _valid_upto(
    based_on: str, bills: list[dict[str, Any]], lots: list[dict[str, Any]], day: int
) -> int:
    if based_on == "CURRENT_POINTS":
        ends = [
            x["exp"] for x in lots if x["state"] in ("available", "adjusted") and x["exp"] >= day
        ]
    elif based_on == "TRACKER_VALUE_BASED":
        ends = [b["day"] + org.WINDOW_DAYS - 1 for b in bills if b["day"] + org.WINDOW_DAYS > day]
    else:
        ends = []
    return min(ends, default=org.NEVER_DAYS)


def renew_value(
    based_on: str, bills: list[dict[str, Any]], lots: list[dict[str, Any]], day: int
) -> float:
    """What counts towards renewal as of `day`: the moving window ending that day."""
    in_window = [b for b in bills if b["day"] + org.WINDOW_DAYS > day]
    if based_on == "VISITS":
        return float(len(in_window))
    if based_on == "PURCHASE":
        return fsum(b["amount"] for b in in_window)
    return fsum(
        x["points"]
        for x in lots
        if x["state"] in ("available", "redeemed", "expired", "returned")
        and x["day"] + org.WINDOW_DAYS > day
    )


def _ledger(
    data: dict[str, Any], program_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    bills = [b for b in data.get("bills", []) if b["p"] == program_id]
    lots = [x for x in data.get("lots", []) if x["p"] == program_id]
    return bills, lots


def _slab_fields(enrolment: dict[str, Any], base: date) -> dict[str, Any]:
    program = org.PROGRAMS[enrolment["p"]]
    tier = program.tier(enrolment["slab"])
    following = program.next_tier(tier.serial)
    expiry = enrolment["tierExpiry"] if tier.serial > 1 else org.NEVER_DAYS
    return {
        "currentSlab": tier.name,
        "currentSlabDescription": tier.description,
        "slabSNo": tier.serial,
        "slabExpiryDate": _stamp(base, expiry, "23:59:59"),
        "nextSlab": following.name if following else "",
        "nextSlabSerialNumber": following.serial if following else -1,
        "nextSlabDescription": following.description if following else "",
    }


def _program_details(
    customer_id: int, enrolment: dict[str, Any], data: dict[str, Any], base: date, options: Options
) -> dict[str, Any]:
    program = org.PROGRAMS[enrolment["p"]]
    bills, lots = _ledger(data, program.id)
    doc: dict[str, Any] = {
        **points(data, program.id),
        "cumulativePurchases": fsum(b["amount"] for b in bills),
        "loyaltyId": customer_id,
        **_slab_fields(enrolment, base),
        "programId": program.id,
        "linkedPartnerPrograms": [],
        "programTitle": program.title,
        "programDescription": program.description,
        "programPointsToCurrencyRatio": program.points_to_currency,
    }
    if options.gap_to_upgrade is not None:
        doc["upgradeStrategies"] = _upgrade(
            program, enrolment, bills, lots, options.gap_to_upgrade, base
        )
    if options.gap_to_renew is not None and enrolment["slab"] > 1:
        doc["gapToRenewSummary"] = _renew(
            program, enrolment, bills, lots, options.gap_to_renew, base
        )
    return doc


def _upgrade(
    program: org.Program,
    enrolment: dict[str, Any],
    bills: list[dict[str, Any]],
    lots: list[dict[str, Any]],
    day: int,
    base: date,
) -> list[dict[str, Any]]:
    following = program.next_tier(enrolment["slab"])
    if following is None:
        return []
    based_on = program.upgrade_based_on
    value = upgrade_value(based_on, bills, lots, day)
    strategy: dict[str, Any] = {
        "upgradeBasedOn": based_on,
        "upgradeThreshold": following.threshold,
        "customerUpgradeEntityValues": {
            "currentValue": value,
            "gapToUpgrade": max(0.0, following.threshold - value),
            "valueValidUpto": _day(base, _valid_upto(based_on, bills, lots, day)),
        },
    }
    if based_on == "TRACKER_VALUE_BASED":
        strategy["upgradeEntityIdentifiers"] = dict(org.TRACKER)
    return [strategy]


def _renew(
    program: org.Program,
    enrolment: dict[str, Any],
    bills: list[dict[str, Any]],
    lots: list[dict[str, Any]],
    day: int,
    base: date,
) -> dict[str, Any]:
    strategies = []
    for rule in program.renew:
        value = renew_value(rule.based_on, bills, lots, day)
        strategies.append(
            {
                "renewBasedOn": rule.based_on,
                "renewThreshold": rule.threshold,
                "customerRenewEntityValue": value,
                "customerGapToRenewValue": max(0.0, rule.threshold - value),
                "trackerEntityIdentifiers": [],
            }
        )
    return {
        "tierExpiryDate": _day(base, enrolment["tierExpiry"]),
        # Renewal rules are alternatives: meeting any one keeps the tier.
        "renewConfirmed": any(s["customerGapToRenewValue"] == 0 for s in strategies),
        "renewStrategies": strategies,
    }


def _group_details(data: dict[str, Any]) -> dict[str, Any] | None:
    group = org.GROUP_PROGRAM
    enrolled = [e["p"] for e in data.get("enrolments", []) if e["p"] in group.program_ids]
    if not enrolled:
        return None
    totals = [points(data, p) for p in enrolled]
    return {
        "groupProgramId": group.id,
        "title": group.title,
        "description": group.description,
        "programsList": [
            {"id": p, "name": org.PROGRAMS[p].title, "description": org.PROGRAMS[p].description}
            for p in group.program_ids
        ],
        "lifetimePoints": fsum(t["lifetimePoints"] for t in totals),
        "loyaltyPoints": fsum(t["loyaltyPoints"] for t in totals),
        "promisedPoints": fsum(t["delayedPoints"] for t in totals),
        "pointsToCurrencyRatio": 1.0,
    }


def _points_summary(customer_id: int, data: dict[str, Any], base: date) -> dict[str, Any]:
    enrolment = next(
        (e for e in data.get("enrolments", []) if e["p"] == org.DEFAULT_PROGRAM_ID), None
    )
    if enrolment is None:
        return {}
    bills, _ = _ledger(data, enrolment["p"])
    return {
        **points(data, enrolment["p"]),
        "cumulativePurchases": fsum(b["amount"] for b in bills),
        "loyaltyId": customer_id,
        **_slab_fields(enrolment, base),
        "programId": enrolment["p"],
    }


def _card(customer_id: int, item: dict[str, Any], base: date) -> dict[str, Any]:
    series = org.CARD_SERIES[item["series"]]
    card_id = zlib.crc32(item["number"].encode()) % 10_000_000
    status = item["status"]
    return {
        "cardId": card_id,
        "id": card_id,
        "cardNumber": item["number"],
        "type": series["type"],
        "seriesId": item["series"],
        "seriesName": series["name"],
        "seriesCode": series["code"],
        "issuedDate": _stamp(base, item["day"]) if status != "NOT_ISSUED" else None,
        "createdDate": _day(base, item["day"]),
        **({"expiryDate": _day(base, item["exp"])} if item["exp"] is not None else {}),
        "expiryDays": item.get("daysLeft", max(0, item["exp"] or 0)),
        "maxActiveCards": series["maxActiveCards"],
        "customerId": customer_id,
        "orgId": org.ORG_ID,
        "entityId": customer_id,
        "customFields": {},
        "extendedFields": {},
        "transactionNotAllowed": item.get("blocked", status != "ACTIVE"),
        "activeAndDigital": status == "ACTIVE" and series["type"] == "DIGITAL",
        "statusInfo": {
            "status": status,
            "label": status.replace("_", " ").title(),
            "reason": "",
            # As in Capillary's status log: isActive marks this record as the card's current
            # status (true on a DELETED card's too), not an active card.
            "isActive": True,
            "createdOn": _stamp(base, item["day"]),
            "createdBy": 70001,
            "autoUpdateTime": _day(base, item["day"]),
            "actions": [],
            "id": card_id,
            "labelId": 30
            + ("ACTIVE", "SUSPENDED", "EXPIRED", "DELETED", "NOT_ISSUED").index(status),
            "entityId": card_id,
        },
    }


def _currency(item: dict[str, Any]) -> dict[str, Any]:
    program = org.PROGRAMS[item["p"]]
    earned, delayed = item["earned"], item["delayedEarned"]
    spent = item["redeemed"] + item["expired"] + item["returned"]
    return {
        "programId": program.id,
        "programName": program.title,
        "alternateCurrencyData": {
            "name": program.alternate_currency,
            "earned": earned,
            "lifetimeEarned": earned + spent,
            "redeemed": item["redeemed"],
            "expired": item["expired"],
            "returned": item["returned"],
            "delayedEarned": delayed,
            "delayedLifetimeEarned": delayed,
            "delayedReturned": 0.0,
            "delayedExpired": 0.0,
            "totalAvailable": earned + delayed,
            "totalRedeemed": item["redeemed"],
            "totalReturned": item["returned"],
            "totalExpired": item["expired"],
        },
    }


def _promotions(data: dict[str, Any], base: date) -> dict[str, Any]:
    return {
        "customerPromotionType": [
            {
                "points": p["points"],
                "issuedAt": {"code": "sandbox.till.01", "name": "Sandbox Store 01"},
                "issuedOn": _stamp(base, p["day"]),
                "expiryDate": _stamp(base, p["exp"], "23:59:59"),
                "promotionSource": {"promotionSourceId": -1, "promotionSourceType": "GOODWILL"},
                "programId": p["p"],
                "promotionName": p["name"],
            }
            for p in data.get("promotions", [])
        ],
        "transactionPromotionType": [],
        "lineitemPromotionType": [],
    }


def _schedules(
    data: dict[str, Any], base: date, states: tuple[str, ...], future: bool
) -> list[dict[str, Any]]:
    grouped: dict[tuple[int, int], float] = defaultdict(float)
    for item in data.get("lots", []):
        # A correction taking points away (a negative adjustment) is no batch that expires.
        if item["state"] in states and (item["exp"] >= 0) == future and item["points"] > 0:
            grouped[(item["p"], item["exp"])] += item["points"]
    return [
        {
            "points": total,
            "expiryDate": _day(base, expires),
            "programId": program_id,
            "pointsType": "bill_regular",
            "expiryType": "fixed",
        }
        for (program_id, expires), total in sorted(
            grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])
        )
    ]


def _user_groups(data: dict[str, Any], options: Options) -> list[dict[str, Any]]:
    groups = data.get("userGroups", [])
    if options.user_group_id is not None:
        groups = [g for g in groups if g["id"] == options.user_group_id]
    elif not options.all_user_groups:
        groups = [g for g in groups if g.get("primary")][:1]
    return [
        {
            "id": g["id"],
            "externalId": g["externalId"],
            "groupName": g["name"],
            "groupStatus": "ACTIVE",
            "primaryMember": g.get("primary", False),
            "totalActiveMembers": g["activeMembers"],
            "pointsSummaries": [
                {
                    "userGroup2Id": g["id"],
                    "programId": org.DEFAULT_PROGRAM_ID,
                    "programTitle": org.PROGRAMS[org.DEFAULT_PROGRAM_ID].title,
                    "currentSlab": g["slab"],
                    "slabSNo": g["slabSNo"],
                    "loyaltyPoints": g["points"],
                    "lifetimePoints": g["lifetimePoints"],
                    "pointsContributionToGroup": g["contribution"],
                }
            ],
        }
        for g in groups
    ]
