"""The backend's warnings in plain language: what the known codes mean, and the warnings as a
page lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from customers.capillary.records import BackendWarning, Customer

# What the backend's known warnings mean for the agent, by code; the page shows the backend's own
# code and text next to it.
WARNING_EXPLANATIONS: Mapping[int, str] = {
    8050: "This member has profiles in several sources; this answer combines them.",
    91001: "Point details could not be loaded: points figures may be missing.",
    91009: (
        "The account searched for was merged into another: Capillary answered with the surviving "
        "account."
    ),
}
# The warning that says the number searched belonged to a merged account.
MERGED = 91009
# What to do or say, worded per org (settings), for a fraud flag and a merged account.
DEFAULT_FRAUD_ADVICE = (
    "What to do: make no changes to this account and pass the call to your fraud team; tell "
    "the caller the account is being reviewed."
)
DEFAULT_MERGED_ADVICE = (
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
        return f"The loyalty service added a note: {message}" if message else ""
    if warning.code == MERGED:
        return f"{explanation} {merged_advice()}"
    return explanation


def warning_explanation(warning: BackendWarning) -> str:
    """A known warning in plain language, "" for one the app has no words for."""
    return WARNING_EXPLANATIONS.get(warning.code, "") if warning.code is not None else ""


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
            str(warning.code) if warning.code is not None else "no code",
            warning.message or "(no message)",
            warning_explanation(warning),
            "" if warning.status is None else f"status {str(warning.status).lower()}",
            warning_sentence(warning),
        )
        for warning in customer.warnings
    )
