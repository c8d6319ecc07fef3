"""The audit list at a laptop's 1366x768: every column on screen, no sideways scrolling
(issue 26, the auditor's day). Chromium through Playwright, as tests/test_browser.py."""

import pytest
from django.contrib.auth.models import User

from customers.audit.models import AuditEntry
from tests.lookup.test_browser import PASSWORD, browser, log_in, new_tab, role_group, shoot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


def test_the_audit_list_fits_a_laptop_screen(browser, live_server):
    """At 1366 px the list scrolled sideways and hid its last columns behind the filters."""
    auditor = User.objects.create_user("auditor", password=PASSWORD, is_staff=True)
    auditor.groups.add(role_group("Auditors"))
    for n in range(30):
        AuditEntry.objects.log_action(
            user=None,
            username=f"store.manager.{n}@retail-north.example",
            role="store manager",
            action="view_section",
            outcome="rate_limited",
            identifiers=[
                ("mobile", f"9198765{n:05d}"),
                ("email", f"customer.number.{n}@example.com"),
                ("externalId", f"EXT-{n:08d}-LOYALTY"),
            ],
            customer_id=f"{5000000 + n}",
            backend_code="8015",
        )
    with new_tab(browser, live_server.url) as page:
        page.set_viewport_size(LAPTOP)
        log_in(page, "auditor", landing="/admin/customers/auditentry/")
        shoot(page, "audit-list-1366")
        assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
        # The table's own box scrolls sideways in the admin's layout: none of it may be hidden.
        results = page.locator(".results")
        assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), results.evaluate(
            "e => [e.scrollWidth, e.clientWidth]"
        )
        headers = page.locator("#result_list thead th")
        assert headers.count() >= 8
        for n in range(headers.count()):
            box = headers.nth(n).bounding_box()
            assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], (
                headers.nth(n).inner_text(),
                box,
            )
