"""What keeps a tier: whether a program's renewal needs any one of its conditions or all of them.

Capillary's document lists a tier's renewal conditions (gapToRenewSummary.renewStrategies) but
not how they combine: each org configures that per program. The app says which only when the
org has told it, in settings.TIER_RENEWAL_RULES ("1101:any,1103:all", by program id); for any
other program the pages list the conditions and say that the program's rule decides.

Public names:
    ANY, ALL                             the two rules
    parse_rules(text) -> dict[int, str]  ImproperlyConfigured for a malformed setting
    rule_for(program_id) -> str | None   the configured rule, None when the org has not said
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["ALL", "ANY", "parse_rules", "rule_for"]

ANY = "any"
ALL = "all"


@functools.lru_cache(maxsize=8)
def parse_rules(text: str) -> dict[int, str]:
    """Program id -> rule, from "1101:any,1103:all" (spaces and case ignored, empty = none)."""
    rules: dict[int, str] = {}
    for item in filter(None, (part.strip() for part in str(text).split(","))):
        program, _, rule = item.partition(":")
        program, rule = program.strip(), rule.strip().lower()
        if not program.isascii() or not program.isdigit() or rule not in (ANY, ALL):
            raise ImproperlyConfigured(
                f"TIER_RENEWAL_RULES: {item!r} is not <program id>:any or <program id>:all."
            )
        rules[int(program)] = rule
    return rules


def rule_for(program_id: int | None) -> str | None:
    """The program's renewal rule as the org configured it, None when it has not said."""
    if program_id is None:
        return None
    try:
        return parse_rules(getattr(settings, "TIER_RENEWAL_RULES", "")).get(program_id)
    except ImproperlyConfigured:
        # The system check reports the setting; a page does not guess meanwhile.
        return None
