"""The search page's recent lookups: one row per member, latest first, the name as the role
sees names (in full for agents, masked for store managers)."""

import pytest

from tests.html_tree import parse
from tests.lookup.test_search_box import AARAV, PRIYA, search, signed_in

pytestmark = pytest.mark.django_db


def test_recent_lookups_show_one_row_per_member_latest_first_with_the_name(client, sandbox, agent):
    """An agent, who may see names, picks out a caller ringing back by name; mobiles stay
    masked."""
    for text in ("919999000001", "919999000002", "+91 99990 00001", "919876500000"):
        search(client, text)

    section = parse(client.get("/").content.decode()).find("section", class_="recent-lookups")
    rows = section.find("tbody").find_all("tr")

    cells = [[cell.text.strip() for cell in row.find_all("td")] for row in rows]
    assert len(rows) == 3
    # Latest first: the unknown mobile, then Aarav (found again, so moved up), then Priya.
    assert cells[0][0] == "No member" and "91******0000" in cells[0][1]
    assert cells[0][2].lower() == "not found"
    assert cells[1][0].startswith("Aarav Sharma") and str(AARAV) in cells[1][0]
    assert cells[1][2].lower() == "found" and "2 lookups" in cells[1][3]
    assert cells[2][0].startswith("Priya Nair") and str(PRIYA) in cells[2][0]
    assert "1 lookup" not in cells[2][3]
    assert "919999000001" not in section.text


def test_a_store_manager_sees_the_names_of_recent_lookups_masked(sandbox):
    manager = signed_in("Store managers")
    search(manager, "919999000001")

    section = parse(manager.get("/").content.decode()).find("section", class_="recent-lookups")

    assert "A**** S*****" in section.text
    assert "Aarav" not in section.text


def test_a_search_that_cannot_be_sent_shows_the_search_page_with_the_recent_lookups(
    client, sandbox, agent
):
    """The refused search comes back on the search page, which still lists the user's lookups
    (the view hands them to the page: the page reads neither the database nor the request)."""
    search(client, "919999000001")

    refused = search(client, "919999000001 919999000002")

    assert refused.status_code == 400
    section = parse(refused.content.decode()).find("section", class_="recent-lookups")
    rows = section.find("tbody").find_all("tr")
    assert len(rows) == 1
    member = rows[0].find_all("td")[0].text.strip()
    assert member.startswith("Aarav Sharma") and str(AARAV) in member
