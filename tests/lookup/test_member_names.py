"""Members' names for agents (view_member_name) and not for store managers, on every customer
page and in the summary; mobiles and emails stay behind an audited reveal."""

import pytest

from customers.audit.models import Action, AuditEntry, Outcome
from tests.html_tree import parse
from tests.lookup.test_search_box import AARAV, search, signed_in

pytestmark = pytest.mark.django_db


def test_an_agent_sees_the_members_name_and_a_store_manager_does_not(sandbox):
    """Agents greet callers by name on every page and in the summary; the mobile and email
    stay masked for them until revealed. Store managers see the name masked."""
    agent = signed_in("Support agents")
    manager = signed_in("Store managers")
    for client in (agent, manager):
        assert search(client, "919999000001").status_code == 303

    for section in ("", "programs/", "cards/", "profile/", "tiers/"):
        agent_page = agent.get(f"/customers/{AARAV}/{section}").content.decode()
        manager_page = manager.get(f"/customers/{AARAV}/{section}").content.decode()
        assert "Aarav Sharma" in agent_page, section
        assert "Aarav" not in manager_page, section
        assert "A**** S*****" in manager_page, section
        for page in (agent_page, manager_page):
            assert "919999000001" not in page
            assert "aarav.sharma@sandbox.example" not in page
    overview = parse(agent.get(f"/customers/{AARAV}/").content.decode())
    summary = overview.find("textarea", id="copy-summary")
    assert "Aarav Sharma" in summary.text
    assert "919999000001" not in summary.text


def test_revealing_the_mobile_is_still_audited_for_an_agent(sandbox):
    agent = signed_in("Support agents")
    search(agent, "919999000001")

    agent.post(f"/customers/{AARAV}/reveal/", {"field": "mobile", "reason": "caller verified"})

    assert "919999000001" in agent.get(f"/customers/{AARAV}/profile/").content.decode()
    reveal = AuditEntry.objects.get(action=Action.REVEAL)
    assert (reveal.outcome, reveal.detail, reveal.reason) == (
        Outcome.OK,
        "mobile",
        "caller verified",
    )
    # The name needs no reveal, so none is asked for or written.
    assert not AuditEntry.objects.filter(action=Action.REVEAL, detail="name").exists()
