"""What keeps a tier: whether a program's renewal needs any one of its conditions or all of them.

Capillary's document lists a tier's renewal conditions (gapToRenewSummary.renewStrategies) but
not how they combine: each org configures that per program. The app says which only when the
org has told it, in settings.TIER_RENEWAL_RULES ("1101:any,1103:all", by program id, and "*:any"
for every program not named); for any other program the pages list the conditions and say that
the program's rule decides. With the sandbox on, the sandbox org's rule is the default ("*:any":
any one condition keeps the tier).

Public names:
    ANY, ALL                             the two rules
    parse_rules(text) -> dict[int | str, str]  ImproperlyConfigured for a malformed setting
    rule_for(program_id) -> str | None   the configured rule, None when the org has not said
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["ALL", "ANY", "EVERY", "parse_rules", "rule_for"]

ANY = "any"
ALL = "all"
# The key of the rule for every program the setting does not name.
EVERY = "*"


@functools.lru_cache(maxsize=8)
def parse_rules(text: str) -> dict[int | str, str]:
    """Program id (or EVERY) -> rule, from "1101:any,1103:all,*:any" (spaces and case ignored,
    empty = none)."""
    rules: dict[int | str, str] = {}
    for item in filter(None, (part.strip() for part in str(text).split(","))):
        program, _, rule = item.partition(":")
        program, rule = program.strip(), rule.strip().lower()
        named = program.isascii() and program.isdigit()
        if not (named or program == EVERY) or rule not in (ANY, ALL):
            raise ImproperlyConfigured(
                f"TIER_RENEWAL_RULES: {item!r} is not <program id>:any, <program id>:all "
                "or *:any / *:all."
            )
        rules[int(program) if named else EVERY] = rule
    return rules


def rule_for(program_id: int | None) -> str | None:
    """The program's renewal rule as the org configured it, None when it has not said."""
    if program_id is None:
        return None
    try:
        rules = parse_rules(getattr(settings, "TIER_RENEWAL_RULES", ""))
    except ImproperlyConfigured:
        # The system check reports the setting; a page does not guess meanwhile.
        return None
    return rules.get(program_id, rules.get(EVERY))
