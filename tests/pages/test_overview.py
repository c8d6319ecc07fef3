"""The overview answers what members call about: per program the tier, points, the next expiry
and both gaps, and a "Needs attention" list, from the one lookup the default search makes.

Through the views with the test client against the embedded sandbox (real HTTP is the browser
test's part); the showcase members' data is in customers/sandbox/examples.py.
"""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.utils.html import strip_tags

from customers.capillary.query import DEFAULT_EMBEDS
from customers.capillary.records import Customer
from customers.pages.cards import cards_view
from customers.pages.not_found import not_found_help
from customers.pages.numbers import format_moment
from customers.pages.overview import needs_attention
from customers.pages.tabs import SECTIONS
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

AARAV = 5000001
LARGE = 5000014


def lookup(client, mobile: str) -> str:
    """The default search (the form's default blocks) for one mobile: the overview's URL."""
    found = client.post(
        "/lookup/",
        {
            "source": "INSTORE",
            "identifierName": "mobile",
            "identifierValue": mobile,
            "embed": list(DEFAULT_EMBEDS),
            "includedFraudDetails": "on",
            "reason": "ticket 1",
        },
    )
    assert found.status_code == 303, found.content[:500]
    return found["Location"]


def search(client, mobile: str) -> str:
    """The overview's text after the default search for one mobile."""
    page = client.get(lookup(client, mobile))
    assert page.status_code == 200
    return " ".join(strip_tags(page.content.decode()).split())


def test_the_default_search_answers_expiry_and_both_gaps_in_one_call(
    sandbox, agent, client, backend_calls
):
    """Aarav's 900 travel points expire in 20 days: the overview says so at the top, and every
    program has a sentence for the gap to upgrade and one for keeping the tier."""
    text = search(client, "919999000001")
    assert len(backend_calls()) == 1
    due = format_moment(date.today() + timedelta(days=20))
    attention = text.split("Needs attention", 1)[1].split("Tier and points per program", 1)[0]
    assert re.search(rf"900 points in [^.]+ expire on {re.escape(due)} \(in 20 days\)", attention)
    programs = text.split("Tier and points per program", 1)[1]
    assert f"900 points on {due} (in 20 days)" in programs
    assert "No upgrade figures" not in programs
    assert "No renewal figures" not in programs
    assert re.search(r"Needs [\d,]+ more [^.]* to reach \w+", programs)
    assert "to keep" in programs or "nothing is needed to keep it" in programs
    # The summary for a ticket says it too, in the same words.
    assert re.search(rf"Needs attention: 900 points in [^.]+ expire on {re.escape(due)}", text)


def attention_of(document: dict, today: date) -> list[str]:
    return [item.text for item in needs_attention(Customer.from_json(document), today)]


def program(number: int, **fields) -> dict:
    return {"programId": number, "programTitle": f"P{number}", "currentSlab": "Gold", **fields}


def test_needs_attention_lists_the_most_urgent_first_and_only_what_is_due():
    today = date(2026, 12, 1)
    document = {
        "id": 1,
        "loyaltyProgramDetails": [
            program(1, slabExpiryDate="2027-01-20", loyaltyPoints=10, delayedPoints=5),
            program(2, slabExpiryDate="2027-06-01"),
            program(3, slabExpiryDate="2026-12-10", gapToRenewSummary={"renewConfirmed": True}),
        ],
        "expirySchedules": [
            {"points": 300, "expiryDate": "2026-12-25", "programId": 1},
            {"points": 200, "expiryDate": "2026-12-25", "programId": 1},
            {"points": 50, "expiryDate": "2027-03-01", "programId": 2},
        ],
        "fraudDetails": {"status": "CONFIRMED"},
        "cardDetails": [
            {"cardNumber": "1", "statusInfo": {"status": "SUSPENDED"}},
            {"cardNumber": "2", "statusInfo": {"status": "SUSPENDED"}},
            {"cardNumber": "3", "statusInfo": {"status": "ACTIVE"}},
        ],
        "warnings": [{"code": 91009, "message": "merged"}],
    }
    texts = attention_of(document, today)
    assert texts[0].startswith("Marked as fraud: CONFIRMED")
    assert "What to do: make no changes to this account" in texts[0]
    assert texts[1].startswith("500 points in P1 expire on")
    assert "(in 24 days)" in texts[1]
    assert texts[2].startswith("Gold in P1 ends on") and "(in 50 days)" in texts[2]
    # No page direction (it would reach the ticket): the item itself links to the cards.
    assert texts[3] == "2 cards suspended."
    assert texts[4].startswith("The account searched for was merged into another")
    assert "What to do: put this account's customer id in the ticket" in texts[4]
    assert texts[5].startswith("5 points pending in P1")
    assert len(texts) == 6  # P2's expiry is months away, P3's tier is renewed
    # The card trouble links to the Cards tab filtered to those cards.
    cards = needs_attention(Customer.from_json(document), today)[3]
    assert cards.cards_filter == "SUSPENDED"


def test_card_trouble_in_needs_attention_opens_the_cards_it_counts(sandbox, agent, client):
    """Rajesh's suspended and expired cards: the item links to his Cards tab (two statuses,
    so unfiltered), which lists the 120 cards it counts among the rest."""
    base = lookup(client, "919999000014")
    item = parse(client.get(base).content).find("ul", class_="attention-list").find("a")
    assert item.text == "60 cards suspended and 60 cards expired."
    assert item["href"] == base + "cards/"
    assert "300 cards" in client.get(item["href"]).content.decode()


def test_a_member_with_nothing_due_has_nothing_to_attend_to():
    today = date(2026, 12, 1)
    document = {
        "id": 1,
        "loyaltyProgramDetails": [program(1, slabExpiryDate="2121-01-01", loyaltyPoints=10)],
        "expirySchedules": [{"points": 50, "expiryDate": "2027-03-01", "programId": 1}],
    }
    assert attention_of(document, today) == []


# Words of the API an agent should never have to read: its block and flag names, field names
# (any camelCase word), error class names and HTTP statuses.
API_WORDS = re.compile(
    r"\b(?:mlp|embeds?|slabs?|cardnumber|[a-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+(?:[A-Z][a-z]+)*"
    r"(?:NotFound|Error|Exception|Invalid\w*)|HTTP(?: status)?|status \d{3})\b"
)
TAG = re.compile(r"<[^>]*>")
HIDDEN = re.compile(
    r"<(script|style|template)\b.*?</\1>|<details class=\"[^\"]*\badvanced\b.*?</details>", re.S
)


def visible_text(html: str) -> str:
    """A page's text as read (tags, scripts and the Advanced options dropped)."""
    return " ".join(unescape(TAG.sub(" ", HIDDEN.sub(" ", html))).split())


@pytest.mark.parametrize("mobile", ["919999000001", "919999000014", "919999000002"])
def test_no_api_word_reaches_an_agent_outside_the_raw_tab(sandbox, agent, client, mobile):
    """Every customer page but the raw response, in the words of the glossary: no block, field
    or error class name of the API."""
    base = lookup(client, mobile)
    for section in SECTIONS:
        if section == "raw":
            continue
        url = base + ("" if section == "overview" else f"{section}/")
        html = client.get(url).content.decode()
        words = sorted(set(API_WORDS.findall(visible_text(html))))
        assert words == [], f"{section}: {words}"


def test_a_member_opened_by_id_says_in_plain_words_what_that_call_cannot_carry(
    sandbox, agent, client
):
    """A link by customer id with nothing looked up first (a shared link, a lookup from another
    day) is fetched by id, which carries no gaps and no customer status: every page says so in
    the glossary's words, and asks for a lookup instead of naming the API's blocks."""
    base = "/customers/5000001/"
    overview = visible_text(client.get(base).content.decode())
    assert "customer status or gaps to upgrade and renew: look the member up again" in overview
    assert (
        "No upgrade figures in this answer (the page was fetched again by id, and that call "
        "cannot ask for it). Look the member up again from the search to see it."
    ) in overview
    for section in SECTIONS:
        if section == "raw":
            continue
        url = base + ("" if section == "overview" else f"{section}/")
        words = sorted(set(API_WORDS.findall(visible_text(client.get(url).content.decode()))))
        assert words == [], f"{section}: {words}"


def test_the_lists_agents_read_name_no_api_word(sandbox, agent, client):
    """Recent lookups, My lookups and a member's history after a search that found the member
    and one by external id that found no one: identifier types and outcomes in plain words."""
    lookup(client, "919999000001")
    missed = {"source": "INSTORE", "identifierName": "externalId", "identifierValue": "NOPE-0404"}
    assert client.post("/lookup/", missed).status_code == 404
    pages = {
        url: visible_text(client.get(url).content.decode())
        for url in ("/", "/my-lookups/", "/customers/5000001/history/")
    }
    for url, text in pages.items():
        assert API_WORDS.findall(text) == [], url
    assert "External id *****0404" in pages["/"] and "Mobile 91******0001" in pages["/"]
    assert "External id *****0404" in pages["/my-lookups/"]
    assert "No customer found" in pages["/my-lookups/"]


def test_not_found_advice_asks_for_the_primary_identifier_only_where_the_org_has_one():
    from customers.capillary.query import LookupQuery

    searched = LookupQuery(
        source="INSTORE", identifiers=(("email", "a@b.c"), ("cardnumber", "C1"))
    )
    help = not_found_help(searched, primary="mobile", allowed=None)
    assert help.steps[0] == (
        "Add the member's mobile: this org finds members by their mobile, and an email and "
        "card number alone may not find them."
    )
    assert help.other_source == "ALL"
    assert ("identifierValue", "a@b.c,C1") in help.fields
    plain = not_found_help(searched, primary="", allowed=None)
    assert not any("Add the member's" in step for step in plain.steps)
    # From all sources there is no other to try (INSTORE would send the agent back and forth).
    everywhere = not_found_help(
        LookupQuery(source="ALL", identifiers=(("mobile", "919999999999"),)),
        primary="mobile",
        allowed=None,
    )
    assert everywhere.other_source == "" and everywhere.fields == ()
    assert not any("try" in step for step in everywhere.steps)


def test_cards_are_filtered_by_status_sorted_and_paged_on_the_server(sandbox, agent, client):
    """Rajesh's 300 cards: 25 a page, a status filter that counts, sorting both ways, and
    whatever a URL asks that does not apply shows page 1 of all cards, never an error."""
    base = lookup(client, "919999000014") + "cards/"

    first = client.get(base).content.decode()
    assert "300 cards" in first and "Page 1 of 12" in first
    assert first.count('class="card-number"') == 25

    suspended = client.get(base, {"status": "Suspended", "sort": "-expiry", "page": "2"})
    html = suspended.content.decode()
    assert "60 of 300 cards: Suspended" in html and "Page 2 of 3" in html
    assert html.count('class="card-number"') == 25
    rows = parse(html).find("table", class_="cards-table").find("tbody").find_all("tr")
    assert all(row.find_all("td")[0].text.startswith("Suspended") for row in rows)
    # Sorted by expiry, latest first: page 2 goes on where page 1 left off.
    customer = suspended.context["customer"]
    latest_first = cards_view(customer.cards, status="Suspended", sort="-expiry")
    dates = [card.expiry_date for card in latest_first.cards]
    assert dates == sorted(dates, reverse=True)
    second = cards_view(customer.cards, status="Suspended", sort="-expiry", page="2")
    assert second.cards[0].expiry_date <= dates[-1]

    for odd in ({"status": "<script>", "page": "999"}, {"sort": "x", "page": "-1"}):
        response = client.get(base, odd)
        assert response.status_code == 200
        assert "Page 1 of 12" in response.content.decode()


def test_the_not_found_advice_names_no_api_word(sandbox, agent, client):
    """The failure box (the search form below is the search page's own) in plain words: no
    accountId, error class or HTTP status."""
    response = client.post(
        "/lookup/",
        {"source": "WECHAT", "accountId": "wechat-cn-01", "identifierName": "email",
         "identifierValue": "nobody@sandbox.example", "reason": "ticket 2"},
    )  # fmt: skip
    assert response.status_code == 404
    html = response.content.decode()
    failure = html[html.index('<div class="module failure"') : html.index('id="search-again"')]
    text = visible_text(failure)
    assert "Add the member's mobile" in text and "try INSTORE" in text
    assert API_WORDS.findall(text) == []


def test_the_what_to_do_lines_are_worded_per_org(settings):
    settings.LOOKUP_FRAUD_ADVICE = "Transfer the caller to Risk on extension 4411."
    settings.LOOKUP_MERGED_ADVICE = "Quote the surviving id in Zendesk."
    document = {
        "id": 1,
        "fraudDetails": {"status": "CONFIRMED"},
        "warnings": [{"code": 91009, "message": "merged"}],
    }

    texts = attention_of(document, date(2026, 11, 1))

    assert texts[0].endswith("Transfer the caller to Risk on extension 4411.")
    assert texts[1].endswith("Quote the surviving id in Zendesk.")
