"""The backend's warnings in plain language: what the known codes mean, and the warnings as a
page lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.capillary.records import BackendWarning, Customer

# What the backend's known warnings mean for the agent, by code; the page shows the backend's own
# code and text next to it.
WARNING_EXPLANATIONS: Mapping[int, Promise] = {
    8050: gettext_lazy("This member has profiles in several sources; this answer combines them."),
    91001: gettext_lazy("Point details could not be loaded: points figures may be missing."),
    91009: gettext_lazy(
        "The account searched for was merged into another: Capillary answered with the surviving "
        "account."
    ),
}
# The warning that says the number searched belonged to a merged account.
MERGED = 91009
# What to do or say, worded per org (settings), for a fraud flag and a merged account.
# An org's own wording (LOOKUP_FRAUD_ADVICE, ...) is shown as written, in every language.
DEFAULT_FRAUD_ADVICE = gettext_lazy(
    "What to do: make no changes to this account and pass the call to your fraud team; tell "
    "the caller the account is being reviewed."
)
DEFAULT_MERGED_ADVICE = gettext_lazy(
    "What to do: put this account's customer id in the ticket; tell the caller the account "
    "they asked about was merged into this one."
)


def fraud_advice() -> str:
    return str(getattr(settings, "LOOKUP_FRAUD_ADVICE", "") or DEFAULT_FRAUD_ADVICE)


def merged_advice() -> str:
    return str(getattr(settings, "LOOKUP_MERGED_ADVICE", "") or DEFAULT_MERGED_ADVICE)


def warning_sentence(warning: BackendWarning) -> str:
    """A warning as one plain sentence for the agent: what it means for this call, with what
    to do for a merged account; the backend's own words for one the app has no words for."""
    explanation = warning_explanation(warning)
    if not explanation:
        message = (warning.message or "").strip()
        # Translators: %(message)s is the loyalty service's own message, as sent (English).
        return (
            _("The loyalty service added a note: %(message)s") % {"message": message}
            if message
            else ""
        )
    if warning.code == MERGED:
        # Translators: two sentences: what the warning means, then what to do.
        return _("%(sentence)s %(advice)s") % {"sentence": explanation, "advice": merged_advice()}
    return explanation


def warning_explanation(warning: BackendWarning) -> str:
    """A known warning in plain language, "" for one the app has no words for."""
    known = WARNING_EXPLANATIONS.get(warning.code) if warning.code is not None else None
    return str(known) if known is not None else ""


@dataclass(frozen=True, slots=True)
class WarningLine:
    """One backend warning as listed: its code, its message, its own status flag as sent
    ("status false"; "" when not sent) and the app's words for it."""

    code: str
    message: str
    explanation: str
    status: str = ""
    sentence: str = ""


def warning_lines(customer: Customer) -> tuple[WarningLine, ...]:
    return tuple(
        WarningLine(
            str(warning.code) if warning.code is not None else _("no code"),
            warning.message or _("(no message)"),
            warning_explanation(warning),
            # Translators: the warning's own status flag as sent ("status false").
            ""
            if warning.status is None
            else _("status %(flag)s") % {"flag": str(warning.status).lower()},
            warning_sentence(warning),
        )
        for warning in customer.warnings
    )
