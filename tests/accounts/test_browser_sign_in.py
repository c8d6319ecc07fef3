"""The company sign-in in a real browser: Chromium signs in on a real OpenID Connect provider's
own page (Node's oidc-provider on loopback), lands in the app with the role its groups map to,
and signs out of both.

Screenshots go to test-output/screenshots/ like the other browser tests'.
"""

import re

import pytest

from customers.audit.models import Action, AuditEntry
from tests.lookup.test_browser import (  # noqa: F401 (browser: a fixture)
    browser,
    new_tab,
    role_group,
    shoot,
)
from tests.oidcprovider import PASSWORD, OidcProvider, configure, require_node

MOBILE = "919999000001"
AARAV = 5000001

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The provider for this module, its client returning to the live server."""
    require_node()
    provider = OidcProvider(tmp_path_factory.mktemp("oidc-browser"), [live_server.url])
    yield provider
    provider.stop()


@pytest.fixture
def company(settings, provider, sandbox):
    """The live server configured for the provider; the role groups as the migration makes them
    (each transactional test's flush empties the table)."""
    for name in ("Support agents", "Store managers", "Auditors"):
        role_group(name)
    return configure(settings, provider)


@pytest.fixture
def tab(browser, live_server, company):  # noqa: F811 (browser is the imported fixture)
    """A fresh browser context, no one signed in; CSP violations on the app's pages fail."""
    with new_tab(browser, live_server.url) as page:
        yield page


def sign_in_at_the_company(page, username: str, screenshot: str = "") -> None:
    """From the app's front door to the provider's page, signed in there, back in the app."""
    page.goto(page.base + "/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.click("#company-sign-in")
    page.wait_for_selector("text=Test Company sign-in")
    if screenshot:
        shoot(page, screenshot)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(page.base)))
    page.wait_for_load_state()


def test_an_agent_signs_in_at_the_company_and_looks_up_a_showcase_member(tab):
    """ana.agent (cs-agents) signs in on the provider's page, lands on the search as a support
    agent and finds the showcase member by mobile; both are in the audit trail."""
    sign_in_at_the_company(tab, "ana.agent", screenshot="company-sign-in-provider")

    assert tab.url == tab.base + "/"
    tab.fill("#id_q", MOBILE)
    tab.fill("#id_reason", "ticket 8080")
    tab.click("input[type=submit]")
    tab.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))
    shoot(tab, "company-sign-in-agent-overview")

    actions = list(AuditEntry.objects.order_by("id").values_list("action", "username"))
    assert actions == [
        (Action.ROLE_CHANGE, "ana.agent"),
        (Action.SIGN_IN, "ana.agent"),
        (Action.LOOKUP, "ana.agent"),
    ]
    assert AuditEntry.objects.get(action=Action.SIGN_IN).detail == "by company sign-in"


def test_the_sign_in_page_shows_the_company_sign_in_first(tab):
    tab.goto(tab.base + "/accounts/login/")
    shoot(tab, "company-sign-in-login-page")

    button = tab.locator("#company-sign-in")
    assert button.inner_text() == "Sign in with Test Company"
    form = tab.locator("#login-form")
    assert button.bounding_box()["y"] < form.bounding_box()["y"]


def test_an_auditor_signs_in_and_lands_on_the_audit_list_with_the_sign_ins(tab):
    """cora.compliance (compliance) lands on the audit list, where the sign-ins are, and the
    action filter finds them."""
    sign_in_at_the_company(tab, "cora.compliance")

    tab.wait_for_url(re.compile(r"/admin/customers/auditentry/$"))
    tab.goto(tab.base + "/admin/customers/auditentry/?action=sign_in")
    shoot(tab, "company-sign-in-auditor-audit-list")
    rows = tab.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "cora.compliance" in rows.first.inner_text()
    assert "sign in" in rows.first.inner_text()
    tab.goto(tab.base + "/admin/customers/auditentry/?action=role_change")
    tab.click("#result_list tbody tr th a")
    assert "added Auditors; staff status given" in tab.locator("#content-main").inner_text()


def test_a_user_in_no_mapped_group_sees_the_no_role_page(tab):
    sign_in_at_the_company(tab, "nick.nogroup")

    assert tab.locator("h1").first.inner_text() == "You have no role in Customer Lookup"
    shoot(tab, "company-sign-in-no-role")
    tab.goto(tab.base + "/")
    tab.wait_for_url(re.compile(r"/accounts/login/"))


def test_signing_out_ends_the_provider_session_and_removal_from_the_group_refuses(tab, provider):
    """Log out leaves the app and, after the provider's own confirmation, the provider: the
    next sign-in asks for the password again. Removed from cs-agents meanwhile, ana is refused."""
    sign_in_at_the_company(tab, "ana.agent")
    tab.click("#logout-form button")
    tab.wait_for_selector("text=Sign out of Test Company?")
    shoot(tab, "company-sign-out-provider")
    tab.click("button[name=logout]")
    tab.wait_for_url(re.compile(re.escape(tab.base) + r"/accounts/login/"))
    assert AuditEntry.objects.filter(action=Action.SIGN_OUT, username="ana.agent").exists()

    provider.set_groups("ana.agent", ["marketing"])
    # The provider asks for the password again: its session ended with the app's.
    sign_in_at_the_company(tab, "ana.agent")

    assert tab.locator("h1").first.inner_text() == "You have no role in Customer Lookup"
    assert AuditEntry.objects.filter(
        action=Action.ROLE_CHANGE, detail__endswith="removed Support agents"
    ).exists()
