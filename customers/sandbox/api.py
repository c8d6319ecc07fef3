"""The sandbox's one entry point: a request in, Capillary's answer out.

`respond()` is plain Python (no Django request or response), so the HTTP views and the
in-process transport adapter serve byte-for-byte the same answers. It only touches the ORM and
the cache, both of which use the calling thread's own connections.
"""

import json
import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings

from . import auth, documents, org
from .documents import Options, error_document, warning
from .models import Identifier, Member

Response = tuple[int, dict[str, str], bytes]

CUSTOMER_BY_ID = re.compile(r"^/v2/customers/(\d+)/?$")
LOOKUP = "/v2/customers/lookup/customerDetails"
OAUTH_PATH = "/v3/oauth/token/generate"

# Where the client reaches the sandbox in-process (capillary.transport.LocalAdapter): no socket.
IN_PROCESS_BASE_URL = "http://sandbox.invalid/sandbox"

# Error codes and messages: README "Sandbox assumptions" lists each with its source.
NOT_FOUND = (8015, "Customer not found for the given identifiers")
MISSING = (11013, "identifierName, identifierValue, source can not be empty")
INVALID_SOURCE = (8003, "Invalid source")
INVALID_ACCOUNT = (8011, "Invalid source account")
INVALID_IDENTIFIER = (8013, "Invalid customer identifier")
MERGED = (8069, "Customer is merged into another account")
NOT_IN_SOURCE = (8065, "No customer found in the given source")

# What GET /v2/customers/{id} takes, as Capillary's reference ("Get Customer Details", v2 by id)
# lists it: fewer sources and embeds than the lookup, and no gapToUpgrade or gapToRenew.
BY_ID_SOURCES = frozenset({"INSTORE", "MARTJACK", "WECHAT", "LINE", org.ALL_SOURCES})
BY_ID_EMBEDS = frozenset(
    {
        "points",
        "subscriptions",
        "mlp",
        "userGroup",
        "gapDetails",
        "promotionalPoints",
        "expirySchedules",
        "expiredPoints",
        "customerImage",
        "returnedPoints",
        "associatedImages",
        "segments",
    }
)


class Failure(Exception):
    """An answer in Capillary's error envelope."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def enabled() -> bool:
    return bool(getattr(settings, "SANDBOX_ENABLED", False))


def latency_seconds() -> float:
    return max(0, int(getattr(settings, "SANDBOX_LATENCY_MS", 0))) / 1000


def respond(
    method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> Response:
    """Answer one sandbox call; `path` is relative to the sandbox root (e.g. /v2/customers/7)."""
    try:
        status, document = _route(method.upper(), path, query, headers, body)
    except Failure as failure:
        status, document = failure.status, error_document(failure.code, failure.message)
    response_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Cap-Requestid": uuid.uuid4().hex,
    }
    return status, response_headers, json.dumps(document, ensure_ascii=False).encode()


def respond_in_process(
    method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> Response:
    """`respond` for the in-process transport: a plain 404 while SANDBOX_ENABLED is off, as
    the HTTP views answer."""
    if not enabled():
        return 404, {"Content-Type": "text/plain"}, b"Not Found"
    return respond(method, path, query, headers, body)


def _route(
    method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> tuple[int, dict[str, Any]]:
    match = CUSTOMER_BY_ID.match(path)
    if path.rstrip("/") == OAUTH_PATH:
        _allow(method, "POST")
        return 200, _token(body)
    if path.rstrip("/") == LOOKUP or match:
        _allow(method, "GET")
        if not auth.authenticated(headers):
            raise Failure(401, 401, "Unauthorized: invalid or missing credentials")
        if match:
            return _by_id(int(match.group(1)), query)
        return _lookup(query)
    raise Failure(404, 404, "Resource not found")


def _allow(method: str, allowed: str) -> None:
    if method != allowed:
        raise Failure(405, 405, "Method not allowed")


def _token(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    token = auth.issue_token(str(payload.get("key") or ""), str(payload.get("secret") or ""))
    if token is None:
        raise Failure(401, 401, "Invalid key or secret")
    return {"data": {"accessToken": token, "ttlSeconds": auth.token_ttl()}, "errors": None}


def _source(query: Mapping[str, str], sources: Collection[str] | None = None) -> tuple[str, str]:
    """The validated source and account id (empty for INSTORE and ALL); `sources` limits the
    sources an endpoint takes (the by-id call's, which reads a missing source as ALL)."""
    source = query.get("source", "").strip().upper()
    if not source:
        if sources is None:
            raise Failure(400, *MISSING)
        return org.ALL_SOURCES, ""
    if source != org.ALL_SOURCES and source not in org.SOURCES:
        raise Failure(400, *INVALID_SOURCE)
    if sources is not None and source not in sources:
        raise Failure(400, *INVALID_SOURCE)
    if source in (org.ALL_SOURCES, "INSTORE"):
        # accountId does not apply to INSTORE (nor to the ALL view over every profile).
        return source, ""
    account = query.get("accountId", "").strip()
    if not account:
        raise Failure(400, *NOT_FOUND)
    if account not in org.SOURCES[source]:
        raise Failure(400, *INVALID_ACCOUNT)
    return source, account


def _options(query: Mapping[str, str], source: str, account: str, *, by_id: bool) -> Options:
    """What the request asks for. By id: only the embeds that call takes, no gaps, and
    fraudDetails only with includedFraudDetails=true (Capillary's by-id sample has none without
    it); the lookup answers fraudDetails always, as its published sample does without the flag."""

    def flag(name: str) -> bool:
        return query.get(name, "").strip().lower() == "true"

    def number(name: str) -> int | None:
        value = query.get(name, "").strip()
        return int(value) if value.isascii() and value.isdigit() and not by_id else None

    embed = frozenset(e.strip() for e in query.get("embed", "").split(",") if e.strip())
    return Options(
        source=source,
        account_id=account,
        embed=embed & BY_ID_EMBEDS if by_id else embed,
        fraud=flag("includedFraudDetails") or not by_id,
        gap_to_upgrade=number("gapToUpgrade"),
        gap_to_renew=number("gapToRenew"),
        user_group=flag("includedUserGroup2LoyaltyDetails"),
        user_group_id=number("userGroup2Id"),
        all_user_groups=flag("includedAllUserGroup2"),
    )


def _lookup(query: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    names = query.get("identifierName", "").strip()
    values = query.get("identifierValue", "").strip()
    if not names or not values or not query.get("source", "").strip():
        raise Failure(400, *MISSING)
    source, account = _source(query)
    pairs = list(zip(names.split(","), values.split(","), strict=False))
    if len(names.split(",")) != len(values.split(",")) or any(
        name.strip().lower() not in org.IDENTIFIER_TYPES for name, _ in pairs
    ):
        raise Failure(400, *INVALID_IDENTIFIER)
    # Dual eligibility: secondary identifiers may be shared, so only the primary one decides,
    # and without it there is no answer (Capillary sends this 8015 with HTTP 200).
    deciding = [
        (n.strip().lower(), v.strip())
        for n, v in pairs
        if n.strip().lower() == org.PRIMARY_IDENTIFIER or not org.DUAL_ELIGIBILITY
    ]
    if not deciding:
        return 200, error_document(*NOT_FOUND)
    name, value = deciding[0]
    matches = Identifier.objects.filter(type=name, value=value)
    if source != org.ALL_SOURCES:
        matches = matches.filter(source=source, account_id=account)
    member_id = matches.values_list("member_id", flat=True).first()
    if member_id is None:
        raise Failure(404, *NOT_FOUND)
    member = Member.objects.get(pk=member_id)
    warnings = []
    if member.merged_into_id is not None:
        member = Member.objects.get(pk=member.merged_into_id)
        warnings.append(
            warning(91009, "Retrieved survivor account for the requested merge victim")
        )
    return 200, _document(member, _options(query, source, account, by_id=False), warnings)


def _by_id(customer_id: int, query: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    source, account = _source(query, BY_ID_SOURCES)
    member = Member.objects.filter(pk=customer_id).first()
    if member is None:
        raise Failure(404, *NOT_FOUND)
    if member.merged_into_id is not None:
        raise Failure(400, *MERGED)
    if source != org.ALL_SOURCES and not any(
        p["source"] == source and p.get("accountId", "") == account
        for p in member.data["profiles"]
    ):
        raise Failure(404, *NOT_IN_SOURCE)
    return 200, _document(member, _options(query, source, account, by_id=True), [])


def _document(member: Member, options: Options, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    sources = {p["source"] for p in member.data["profiles"]}
    if options.source == org.ALL_SOURCES and len(sources) > 1:
        warnings.append(warning(8050, "Same Customer found in other sources, Combining"))
    return documents.customer_document(member.id, member.data, options, warnings)
