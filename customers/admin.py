"""Django's admin finds the app's registrations here: the audit trail's read-only admin."""

from customers.audit import admin  # noqa: F401
