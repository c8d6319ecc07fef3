"""The app's tables, by concern: Django looks for them here (app label `customers`)."""

from customers.accounts.models import LanguagePreference
from customers.audit.models import AuditChain, AuditEntry, AuditIdentifier
from customers.insights.models import AuditDay, AuditDayCount, AuditDayMember
from customers.platform.models import Counter

__all__ = [
    "AuditChain",
    "AuditDay",
    "AuditDayCount",
    "AuditDayMember",
    "AuditEntry",
    "AuditIdentifier",
    "Counter",
    "LanguagePreference",
]
