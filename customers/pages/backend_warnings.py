"""The backend's warnings in plain language: what the known codes mean, and the warnings as a
page lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from customers.capillary.records import BackendWarning, Customer

# What the backend's known warnings mean for the agent, by code; the page shows the backend's own
# code and text next to it.
WARNING_EXPLANATIONS: Mapping[int, str] = {
    8050: "Profiles from several sources were combined into this answer.",
    91001: "Point details could not be loaded: points figures may be missing.",
    91009: "This account was merged; you are seeing the surviving account.",
}


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


def warning_lines(customer: Customer) -> tuple[WarningLine, ...]:
    return tuple(
        WarningLine(
            str(warning.code) if warning.code is not None else "no code",
            warning.message or "(no message)",
            warning_explanation(warning),
            "" if warning.status is None else f"status {str(warning.status).lower()}",
        )
        for warning in customer.warnings
    )
