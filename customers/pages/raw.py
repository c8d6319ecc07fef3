"""The raw tab's document, masked as the pages are.

The backend's answer holds every mobile, email and name in full; the raw tab shows it to support
agents, who see contact details only through an audited Reveal. So the document is walked and
every value the pages would mask is masked here by the same rules (masking.mask_for_page): the
members' names, identifiers and channels by their type, fields named like an identifier or
listed in SENSITIVE_FIELDS. A kind the agent revealed for this member is shown in full, as on the
pages; emails inside any other text are masked unless the email was revealed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from customers import masking
from customers.capillary.records import is_masked

# Keys whose value is a person's name.
NAME_KEYS = frozenset({"firstname", "lastname", "middlename", "fullname"})
# Keys of a dict holding one identifier or channel: {"type": "mobile", "value": "91..."}.
TYPE_KEY, VALUE_KEY = "type", "value"


def masked_document(
    document: Any, *, revealed: Collection[str] = (), unmasked: bool = False
) -> Any:
    """A copy of `document` with what the pages mask masked."""
    kinds = {str(kind).strip().lower() for kind in revealed}
    return _walk(document, kinds, key="", unmasked=unmasked)


def masked_json(document: Any, *, revealed: Collection[str] = (), unmasked: bool = False) -> str:
    """The masked document, pretty-printed for the raw tab."""
    shown = masked_document(document, revealed=revealed, unmasked=unmasked)
    return json.dumps(shown, indent=2, ensure_ascii=False, default=str)


def _walk(value: Any, revealed: set[str], *, key: str, unmasked: bool) -> Any:
    if isinstance(value, Mapping):
        kind = value.get(TYPE_KEY)
        if (
            isinstance(kind, str)
            and VALUE_KEY in value
            and not isinstance(value[VALUE_KEY], (Mapping, list, tuple))
        ):
            masked = {
                k: _walk(v, revealed, key=k, unmasked=unmasked)
                for k, v in value.items()
                if k != VALUE_KEY
            }
            masked[VALUE_KEY] = _scalar(value[VALUE_KEY], kind, revealed, identifier=True)
            return {k: masked[k] for k in value}
        return {k: _walk(v, revealed, key=str(k), unmasked=unmasked) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk(item, revealed, key=key, unmasked=unmasked) for item in value]
    if isinstance(value, str) and not unmasked:
        lowered = key.strip().lower()
        if lowered in NAME_KEYS:
            return _scalar(value, "name", revealed)
        masked = _scalar(value, key, revealed)
        if masked != value or "email" in revealed:
            return masked
        return masking.ANY_EMAIL_IN_TEXT.sub(lambda found: masking.mask_email(found[0]), value)
    return value


def _scalar(value: Any, kind: str, revealed: set[str], *, identifier: bool = False) -> Any:
    if value is None or not str(value).strip():
        return value
    if kind.strip().lower() in revealed or is_masked(str(value)):
        return value
    return masking.mask_for_page(kind, value, identifier=identifier)
