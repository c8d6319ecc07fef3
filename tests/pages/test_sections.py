"""The customer section pages: every showcase member on every section shows what the backend
returned, masked as the user's role requires.

Documents come from the embedded sandbox (its API entry point, with every embed and flag), are
parsed with Customer.from_json and rendered with the section templates; the last tests go
through the views with the test client.
"""

import itertools
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils.html import escape

from customers import masking
from customers.audit.models import Action, AuditEntry
from customers.capillary.records import Customer
from customers.lookup import services
from customers.lookup.views import section_page
from customers.pages import glossary
from customers.pages.cards import CARDS_PER_PAGE
from customers.pages.glossary import source_name
from customers.pages.summary import copy_summary
from customers.pages.tabs import SECTIONS
from customers.sandbox import api, examples
from customers.sandbox.auth import basic_header
from customers.sandbox.seeding import seed
from tests import documents as samples
from tests.faultserver import reply
from tests.html_tree import Element, parse

EMBEDS = (
    "points,subscriptions,mlp,promotionalPoints,expirySchedules,expiredPoints,segments,"
    "userGroup,customerImage,cardLoyaltyDetails,customerStatus,alternateCurrencies"
)
FLAGS = {
    "embed": EMBEDS,
    "includedFraudDetails": "true",
    "includedAllUserGroup2": "true",
    "gapToUpgrade": "0",
    "gapToRenew": "0",
}
# pytest-django sets up the test database only for selected tests marked django_db: every test
# here needs it, through the module's `documents` fixture, also when run on its own.
pytestmark = pytest.mark.django_db

SANDBOX = {"SANDBOX_USERNAME": "sections.till", "SANDBOX_PASSWORD": "sections-password"}
ROWS = examples.showcase()
FETCHED_AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def row_id(row: dict[str, Any]) -> str:
    """A showcase row's name in test ids: its last identifier value."""
    return params_of(row)["identifierValue"].split(",")[-1]


def params_of(row: dict[str, Any]) -> dict[str, str]:
    """A showcase row as the lookup's query parameters, whatever the row's key spelling."""
    pick = {
        "source": ("source",),
        "accountId": ("accountId", "account_id"),
        "identifierName": ("identifierName", "identifier_name"),
        "identifierValue": ("identifierValue", "identifier_value"),
    }
    params = {}
    for name, keys in pick.items():
        value = next((row[key] for key in keys if row.get(key)), "")
        if value:
            params[name] = value
    return params


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker) -> dict[str, dict[str, Any]]:
    """The sandbox's answer for every showcase row, keyed by its last identifier value.

    Seeded inside a transaction that is rolled back, so no other test sees these rows.
    """
    answers = {}
    headers = {"Authorization": basic_header(SANDBOX["SANDBOX_USERNAME"], "sections-password")}
    with django_db_blocker.unblock(), override_settings(**SANDBOX), transaction.atomic():
        seed()
        for row in ROWS:
            query = {**params_of(row), **FLAGS}
            status, _, body = api.respond("GET", api.LOOKUP, query, headers, b"")
            assert status == 200, body
            answers[row_id(row)] = json.loads(body)
        transaction.set_rollback(True)
    return answers


def render(section: str, customer: Customer, query: str = "", **context: Any) -> str:
    request = RequestFactory().get(f"/customers/{customer.id}/{section}/{query}")
    request.user = User(username="sections-agent")
    defaults = {
        "customer": customer,
        "section": section,
        "fetched_at": FETCHED_AT,
        "request_id": "req-sections-1",
        "latency_ms": 12,
        "pii_unmasked": False,
        "revealed": set(),
        "can_reveal": True,
        "can_see_raw": True,
        "history_summary": None,
        "days": 0,
        "title": f"{section}: customer {customer.id}",
        # What the section view adds from the request (the page's address, the cards asked for).
        **section_page(request, section, customer),
    }
    defaults.update(context)
    return render_to_string(f"customers/customer/{section}.html", defaults, request=request)


def warning_codes(page: Element) -> list[str]:
    """The codes of the backend warnings the page lists."""
    return [code.text for code in page.find_all("strong", class_="warning-code")]


def tab_links(page: Element) -> list[str]:
    return [a["href"] for a in page.find("nav", class_="customer-tabs").find_all("a")]


def reveal_fields(page: Element) -> set[str]:
    """The kinds of value the page's Reveal buttons would reveal."""
    forms = [form for form in page.find_all("form") if form["action"].endswith("/reveal/")]
    return {form.find("input", name="field")["value"] for form in forms}


def values(document: dict[str, Any], kind: str) -> Iterator[str]:
    for profile in document.get("profiles", []):
        for item in profile.get("identifiers", []) + profile.get("commChannels", []):
            if item.get("type", "").lower() == kind and not masking.is_masked_by_capillary(
                item["value"]
            ):
                yield item["value"]


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_every_showcase_member_renders_on_every_section_with_its_warnings(documents, key, section):
    """No error, the customer id, the data-as-of time, and every backend warning's code."""
    document = documents[key]
    customer = Customer.from_json(document)

    page = parse(render(section, customer))

    assert f"#{customer.id}" in page.find("h1").text or f"Customer {customer.id}" in page.text
    freshness = page.find("div", class_="customer-freshness")
    assert "req-sections-1" in freshness.text
    assert freshness.find("time")["datetime"] == "2026-11-25T09:30:00+00:00"
    assert warning_codes(page) == [
        str(warning["code"]) for warning in document.get("warnings", [])
    ]
    refresh = freshness.find("form", class_="refresh-form")
    assert (refresh["method"], refresh["action"]) == ("post", f"/customers/{customer.id}/refresh/")


@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_programs_and_tiers_show_every_program_and_tier(documents, key):
    """Each program title and current tier on the overview, programs and tiers pages; the next
    tier on programs and tiers."""
    document = documents[key]
    customer = Customer.from_json(document)
    pages = {section: render(section, customer) for section in ("overview", "programs", "tiers")}

    for program in document.get("loyaltyProgramDetails", []):
        for section, page in pages.items():
            assert escape(program["programTitle"]) in page, section
            assert escape(program["currentSlab"]) in page, section
        if program["nextSlab"]:
            assert escape(program["nextSlab"]) in pages["programs"]
            assert escape(program["nextSlab"]) in pages["tiers"]
    for group in document.get("groupLoyaltyProgramDetails", []):
        assert escape(group["title"]) in pages["programs"]


@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_cards_currencies_and_profile_show_what_came_back(documents, key):
    """Every card number with its status label, every currency, every source profile and
    user group."""
    document = documents[key]
    customer = Customer.from_json(document)
    currencies, profile = (render(section, customer) for section in ("currencies", "profile"))
    # The cards come a page at a time.
    pages = -(-len(customer.cards) // CARDS_PER_PAGE)
    cards = "".join(render("cards", customer, f"?page={n}") for n in range(1, pages + 1))
    cards = cards or render("cards", customer)

    for card in document.get("cardDetails", []):
        assert card["cardNumber"] in cards
        assert escape(card["statusInfo"]["label"]) in cards
    if not document.get("cardDetails"):
        assert "No cards on this customer." in cards
    for item in document.get("alternateCurrencyDetails", []):
        assert escape(item["alternateCurrencyData"]["name"]) in currencies
        assert escape(item["programName"]) in currencies
    for source_profile in document["profiles"]:
        assert f"{source_name(source_profile['source'])} profile" in profile
    for group in document.get("userGroup2LoyaltyDetails", []):
        assert escape(group["groupName"]) in profile


@pytest.mark.parametrize("section", [section for section in SECTIONS if section != "raw"])
@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_mobiles_and_emails_are_masked_unless_the_role_sees_them(documents, key, section):
    """Masked pages carry no plaintext mobile or email; unmasked ones show them on the
    overview and profile."""
    document = documents[key]
    customer = Customer.from_json(document)
    plain = list(values(document, "mobile")) + list(values(document, "email"))

    masked_page = render(section, customer)
    for value in plain:
        assert escape(value) not in masked_page
    if section in ("overview", "profile"):
        unmasked_page = render(section, customer, pii_unmasked=True)
        for value in plain:
            assert escape(value) in unmasked_page


def test_a_revealed_kind_is_shown_and_the_others_stay_masked(documents):
    """Revealing the mobile shows it (no Reveal button for it) while the email stays masked."""
    document = documents["919999000001"]
    customer = Customer.from_json(document)

    page = render("profile", customer, revealed={"mobile"})

    assert "919999000001" in page
    assert "aarav.sharma@sandbox.example" not in page
    assert masking.mask_email("aarav.sharma@sandbox.example") in page
    assert "email" in reveal_fields(parse(page))
    assert "mobile" not in reveal_fields(parse(page))


def test_reveal_buttons_appear_only_for_users_who_may_reveal(documents):
    """A store manager sees masked values without Reveal forms."""
    customer = Customer.from_json(documents["919999000001"])

    page = render("overview", customer, can_reveal=False)

    assert masking.mask_mobile("919999000001") in page
    assert reveal_fields(parse(page)) == set()
    assert "/reveal/" not in page


def test_a_nickname_does_not_give_a_masked_name_away(documents):
    """Zoë's extended field `nickname` holds her first name: masked by the default
    SENSITIVE_FIELDS wherever the name is, the city (not personal) stays."""
    customer = Customer.from_json(documents["919999000012"])

    page = render("profile", customer, can_reveal=False)

    assert "Zoë" not in page
    assert "Malmö" in page


def test_a_line_id_and_a_whatsapp_number_are_masked_for_a_store_manager():
    """Capillary's own sample has a LINE identifier; a WhatsApp channel holds a phone number.
    Neither reaches a page in full for someone who may not see PII."""
    document = {
        "id": 4242,
        "profiles": [
            {
                "firstName": "Tom",
                "source": "INSTORE",
                "identifiers": [{"type": "line", "value": "lineAS6-private-id"}],
                "commChannels": [{"type": "whatsapp", "value": "919999000077", "primary": True}],
            }
        ],
    }
    customer = Customer.from_json(document)

    pages = render("overview", customer, can_reveal=False) + render(
        "profile", customer, can_reveal=False
    )

    assert "lineAS6-private-id" not in pages
    assert "919999000077" not in pages
    assert "********0077" in pages


def test_values_masked_by_capillary_are_named_so_with_a_notice(documents):
    """The masked showcase member: a notice, and "masked by Capillary" instead of *****."""
    customer = Customer.from_json(documents["919999000010"])

    page = parse(render("overview", customer, pii_unmasked=True))

    notice = page.find("p", class_="capillary-notice")
    assert notice.text.startswith("Capillary masked names, mobiles or emails")
    assert page.find_all("span", class_="pii-capillary")
    assert all(
        cell.text == "masked by Capillary" for cell in page.find_all(class_="pii-capillary")
    )
    for shown in (
        page.find("header", class_="customer-header"),
        page.find(class_="overview-grid"),
    ):
        assert "*****" not in shown.text


def test_the_fraud_flag_and_the_status_are_on_the_overview(documents):
    """Confirmed fraud is shown as a label in the header and the member facts."""
    page = parse(render("overview", Customer.from_json(documents["919999000006"])))

    assert page.find("h1").find("span", class_="fraud-badge").text == "Fraud: CONFIRMED"
    assert fact(page, "Fraud").find("span", class_="badge status-bad").text == "CONFIRMED"


def test_known_warnings_are_explained_in_plain_language_next_to_the_backends_text():
    """The warnings read as plain sentences; the backend's code and text stay, folded."""
    customer = Customer.from_json(
        {
            "id": 7,
            "warnings": [
                {"code": 8050, "message": "Same Customer found in other sources, Combining"},
                {"code": 4242, "message": "Something new"},
            ],
        }
    )

    page = parse(render("cards", customer))

    # Each warning once, as one plain sentence; the backend's code and text folded for support.
    known, new = page.find("section", class_="customer-warnings").find_all("li")
    assert known.text == "This member has profiles in several sources; this answer combines them."
    assert new.text == "The loyalty service added a note: Something new"
    sent = page.find("details", class_="warning-details").find_all("li")
    assert [item.text for item in sent] == [
        "8050 Same Customer found in other sources, Combining",
        "4242 Something new",
    ]
    # The overview says them in Needs attention instead: not twice on one page.
    overview = parse(render("overview", customer))
    assert overview.find_all("section", class_="customer-warnings") == []


def test_tier_wording_names_the_tier_once_and_the_strategy_in_words():
    """ "Silver" with the description "Silver tier" reads "Silver" once, and a tracker strategy
    is "based on tracked spend", not "based on tracker value based"."""
    customer = Customer.from_json(
        {
            "id": 7,
            "loyaltyProgramDetails": [
                {
                    "programTitle": "Rewards",
                    "currentSlab": "Silver",
                    "currentSlabDescription": "Silver tier",
                    "slabSNo": 2,
                    "nextSlab": "Gold",
                    "upgradeStrategies": [
                        {
                            "upgradeBasedOn": "TRACKER_VALUE_BASED",
                            "upgradeThreshold": 1000,
                            "customerUpgradeEntityValues": {
                                "currentValue": 800,
                                "gapToUpgrade": 200,
                            },
                        }
                    ],
                }
            ],
        }
    )

    programs = parse(render("programs", customer))
    tiers = render("tiers", customer)

    assert "Silver tier" not in programs.text
    current = fact(programs, "Current tier")
    assert current.text == "Silver" and current.find("strong").text == "Silver"
    assert "based on tracked spend" in tiers
    assert "tracker value based" not in tiers


def test_card_statuses_are_coloured_labels(documents):
    """Active, suspended, expired, not issued and deleted each get their own colour class."""
    page = parse(render("cards", Customer.from_json(documents["919999000002"])))
    rows = page.find("table", class_="cards-table").find("tbody").find_all("tr")

    statuses = {row.find_all("td")[0].find("span", class_="badge").text: row for row in rows}
    for css, label in (
        ("status-ok", "Active"),
        ("status-warn", "Suspended"),
        ("status-muted", "Expired"),
        ("status-info", "Not Issued"),
        ("status-bad", "Deleted"),
    ):
        assert css in statuses[label].find_all("td")[0].find("span", class_="badge").classes


def test_the_tiers_page_has_sentences_progress_bars_and_the_days_control(documents):
    """Gap sentences with <progress> bars (no inline styles) and a GET form for days."""
    page = parse(render("tiers", Customer.from_json(documents["919999000001"]), days=30))

    sentences = [p.text for p in page.find_all("p", class_="gap-sentence")]
    assert any(sentence.endswith("to reach Gold.") for sentence in sentences)
    assert any(sentence.endswith("to keep Silver.") for sentence in sentences)
    bars = page.find_all("progress", class_="gap-bar", max="100")
    assert bars and all(0 <= float(bar["value"]) <= 100 for bar in bars)
    assert page.find_all(style=True) == []
    form = page.find("form", class_="days-form", method="get")
    assert form.find("input", name="days")["value"] == "30"
    [shown] = form.find_all("a", aria_current="true")
    assert (shown["href"], shown.text) == ("?days=30", "In 30 days")


def test_the_overview_offers_the_masked_copy_summary(documents):
    """A read-only textarea with the plain-text summary, masked like the page."""
    page = parse(render("overview", Customer.from_json(documents["919999000001"])))

    summary = page.find("textarea", id="copy-summary", readonly=True)
    assert "Mobile: 91******0001" in summary.text
    assert page.find("button", class_="copy-button").text == "Copy summary"


def test_auditors_see_how_many_staff_viewed_the_member(documents):
    """The history summary links to the customer's access history."""

    class Summary:
        staff_count = 3
        days = 30
        entries = ()

    page = parse(
        render("overview", Customer.from_json(documents["919999000001"]), history_summary=Summary)
    )

    link = page.find("section", class_="overview-history").find("a")
    assert (link.text, link["href"]) == (
        "Viewed by 3 staff in the last 30 days",
        "/customers/5000001/history/",
    )


def test_the_raw_tab_and_page_follow_the_permission(documents):
    """The Raw tab only for users who may see it; the raw page shows the document."""
    customer = Customer.from_json(documents["919999000001"])

    hidden = tab_links(parse(render("overview", customer, can_see_raw=False)))
    shown = tab_links(parse(render("overview", customer, can_see_raw=True)))
    assert "/customers/5000001/raw/" not in hidden and "/customers/5000001/raw/" in shown
    assert hidden == [link for link in shown if link != "/customers/5000001/raw/"]
    raw = parse(render("raw", customer))
    assert '"programTitle": "Sandbox Rewards"' in raw.find("pre", class_="raw-json").text


@pytest.mark.parametrize("section", SECTIONS)
def test_the_tab_bar_lists_every_section_and_marks_the_current_one(documents, section):
    """One tab per section in SECTIONS' order, titled as SECTIONS says, then History; only the
    page's own tab is marked current; the cards tab counts the cards."""
    customer = Customer.from_json(documents["919999000002"])

    tabs = parse(render(section, customer)).find("nav", class_="customer-tabs").find_all("a")

    base = f"/customers/{customer.id}/"
    links = [base if name == "overview" else f"{base}{name}/" for name in SECTIONS]
    assert [tab["href"] for tab in tabs] == [*links, f"{base}history/"]
    titles = [*SECTIONS.values(), "History"]
    titles[list(SECTIONS).index("cards")] = f"Cards {len(customer.cards)}"
    assert [tab.text for tab in tabs] == titles
    current = [tab["href"] for tab in tabs if tab.attrs.get("aria-current") == "page"]
    assert current == [links[list(SECTIONS).index(section)]]


def test_absent_blocks_have_empty_states():
    """A bare document (id only) renders every section with an empty state, no error; a block
    it does not carry is "not in this answer", never "none" (it said "No cards on this
    customer." for an answer without cardDetails)."""
    customer = Customer.from_json({"id": 77})

    assert "Cards: not in this answer." in render("cards", customer)
    assert "No cards on this customer." not in render("cards", customer)
    assert "No cards on this customer." in render(
        "cards", Customer.from_json({"id": 77, "cardDetails": []})
    )
    assert "No program details" in render("programs", customer)
    assert "No alternate currencies" in render("currencies", customer)
    assert "No program details" in render("tiers", customer)
    assert "No source profiles in this answer." in render("profile", customer)
    overview = render("overview", customer)
    assert "Customer 77" in overview
    assert "No identifiers in this answer." in overview


# Words that name a state of points or currency. The glossary (pages/glossary.py) holds each
# state's one label and meaning; no page may name a state any other way.
STATE_WORDS = re.compile(
    r"\b(available|pending|promised|delayed|earned|expired|redeemed|redeemable|returned"
    r"|lifetime|adjusted|spendable|balance)\b",
    re.IGNORECASE,
)


def outside_glossary(text: str) -> list[str]:
    """The state words left in `text` once every glossary label and meaning is taken out."""
    phrases = {term.label for term in glossary.TERMS.values()}
    phrases |= {term.meaning for term in glossary.TERMS.values()}
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return STATE_WORDS.findall(text)


def own_words(element: Element) -> str:
    """The page's visible text in its own words: without what the document itself says (member
    values, the backend's status labels), API field names, the raw JSON and scripts."""

    def skipped(child: Element) -> bool:
        return child.tag in ("script", "style", "code", "pre") or bool(
            child.classes & {"pii", "badge", "api-hint"}
        )

    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child)
        elif not skipped(child):
            parts.append(own_words(child))
    return " ".join(parts)


@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_every_page_and_the_copy_summary_name_states_only_in_the_glossarys_words(documents, key):
    """Every section of every showcase member, and the copy summary, unmasked and masked: no word
    for a state of points or currency outside the glossary's labels and meanings."""
    customer = Customer.from_json(documents[key])

    for unmasked in (False, True):
        for section in SECTIONS:
            page = parse(render(section, customer, pii_unmasked=unmasked))
            assert outside_glossary(own_words(page)) == [], section
        summary = copy_summary(customer, unmasked=unmasked)
        assert outside_glossary(summary) == [], summary


def test_state_words_outside_the_glossary_are_found():
    """The check above would catch the words the pages used before the glossary."""
    assert outside_glossary("Available 120 Earned 40 Pending (delayed) Promised (pending)") == [
        "Available",
        "Earned",
        "delayed",
        "Promised",
    ]
    assert outside_glossary("3,450 points available to redeem (150 pending)") == []


def fact(page: Element, title: str) -> Element:
    """The <dd> after the <dt> of this title in the page's fact lists."""
    for facts in page.find_all("dl"):
        items = [child for child in facts.children if isinstance(child, Element)]
        for term, value in itertools.pairwise(items):
            if term.tag == "dt" and term.text == title and value.tag == "dd":
                return value
    raise AssertionError(f"no fact {title!r}")


# Through the views


def login(client, group: str) -> User:
    user = User.objects.create_user(f"user-{group.split()[0].lower()}")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def look_up(client, row: dict[str, Any]) -> str:
    """Run the lookup for a showcase row; the customer page's URL it redirects to."""
    response = client.get("/lookup/?" + urlencode({**params_of(row), **FLAGS}))
    assert response.status_code == 303, response.content[:500]
    return response["Location"]


def test_an_agent_walks_every_section_of_every_showcase_member(client, sandbox, documents):
    """Lookup, redirect, then each tab answers 200 with the member's programs and cards."""
    login(client, "Support agents")
    for row in ROWS:
        document = documents[row_id(row)]
        overview = look_up(client, row)
        assert overview == f"/customers/{document['id']}/"
        for section in SECTIONS:
            url = overview if section == "overview" else f"{overview}{section}/"
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            page = response.content.decode()
            if section == "programs":
                for program in document.get("loyaltyProgramDetails", []):
                    assert escape(program["programTitle"]) in page
            if section == "cards":
                for card in document.get("cardDetails", [])[:5]:
                    assert card["cardNumber"] in page
            codes = [str(warning["code"]) for warning in document.get("warnings", [])]
            assert warning_codes(parse(page)) == codes


def test_a_store_manager_sees_masked_values_and_no_raw_tab(client, sandbox):
    """No plaintext mobile, no Reveal form, no Raw tab."""
    login(client, "Store managers")
    overview = look_up(client, ROWS[0])

    page = client.get(overview).content.decode()

    assert "919999000001" not in page
    assert masking.mask_mobile("919999000001") in page
    assert reveal_fields(parse(page)) == set()
    assert f"{overview}raw/" not in tab_links(parse(page))
    assert f"{overview}cards/" in tab_links(parse(page))


def test_an_agent_reveals_the_mobile_and_returns_to_the_same_section(client, sandbox):
    """The Reveal form posts back to the section it was on, which then shows the mobile."""
    login(client, "Support agents")
    overview = look_up(client, ROWS[0])
    profile = f"{overview}profile/"
    assert "919999000001" not in client.get(profile).content.decode()

    response = client.post(f"{overview}reveal/", {"field": "mobile", "next": profile})

    assert response.status_code == 302
    assert response["Location"] == profile
    page = client.get(profile).content.decode()
    assert "919999000001" in page
    assert "aarav.sharma@sandbox.example" not in page


def test_a_reveal_comes_back_to_the_page_it_was_on_with_its_query(client, sandbox):
    """Every Reveal form on a page carries the page's own address, query string included (the
    view passes it: the tags read no request), and revealing goes back there."""
    login(client, "Support agents")
    overview = look_up(client, ROWS[0])
    profile = f"{overview}profile/?from=ticket-42"

    forms = [
        form
        for form in parse(client.get(profile).content.decode()).find_all("form")
        if form["action"].endswith("/reveal/")
    ]

    assert forms and {form.find("input", name="next")["value"] for form in forms} == {profile}
    field = forms[0].find("input", name="field")["value"]
    response = client.post(f"{overview}reveal/", {"field": field, "next": profile})
    assert response.status_code == 302 and response["Location"] == profile


def test_the_pages_pass_the_strict_content_security_policy(client, sandbox):
    """No inline style attributes; the stylesheet and script carry the request's nonce."""
    login(client, "Support agents")
    overview = look_up(client, ROWS[0])

    for section in SECTIONS:
        response = client.get(overview if section == "overview" else f"{overview}{section}/")
        page = parse(response.content.decode())
        assert page.find_all(style=True) == []
        [css] = [e for e in page.find_all("link") if e["href"].endswith("customers/customer.css")]
        [script] = [e for e in page.find_all("script", src=True) if "customer.js" in e["src"]]
        assert css["nonce"] and css["nonce"] == script["nonce"]


# Documents shaped like Capillary's published samples (tests/documents.py)

IMAGE_HOST = "https://files.example.com"
PHOTO = f"{IMAGE_HOST}/customerImage/60300/612300417/0"


def sample_lookup(client, fault_backend, document: dict[str, Any], **params: str) -> str:
    """Look up the document's member as the search form would, answered by the backend."""
    fault_backend.on(
        "/v2/customers/lookup/customerDetails", reply(200, document, request_id="req-s")
    )
    search = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919800000077"}
    response = client.post("/lookup/", {**search, **params, "embed": "mlp,customerImage"})
    assert response.status_code == 303, response.content[:300]
    return response["Location"]


def test_a_wechat_search_answered_with_an_instore_profile_says_whose_profile_it_shows(
    client, fault_backend
):
    """Capillary's published lookup asked for WECHAT and answered an INSTORE profile: the
    overview reads it, and says so next to the identifiers, the name and the copy summary."""
    login(client, "Support agents")
    overview = sample_lookup(
        client, fault_backend, samples.lookup_sample_shape(), source="WECHAT", accountId="wx-9"
    )

    page = parse(client.get(overview).content)

    heading = page.find("h2", id="identifiers-heading")
    assert heading.find("span", class_="note").text == "from the In store profile"
    assert (
        "Mobile: 91******0077 (from the In store profile)"
        in page.find("textarea", id="copy-summary").text
    )


def test_a_photo_is_shown_after_a_reveal_from_the_configured_host_only(
    client, fault_backend, settings
):
    """customerImage as documented (a list of filePath/secureFilePath): an agent reveals it
    (audited) and sees it from its https path; the Content Security Policy allows that host."""
    settings.CUSTOMER_IMAGE_HOSTS = [IMAGE_HOST]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'", "data:", IMAGE_HOST]}
    document = samples.lookup_sample_shape()
    document["customerImage"] = [
        {"filePath": PHOTO.replace("https", "http"), "secureFilePath": PHOTO}
    ]
    login(client, "Support agents")
    profile = sample_lookup(client, fault_backend, document) + "profile/"

    before = parse(client.get(profile).content).find("section", class_="customer-photo-section")
    assert before.find_all("img") == []
    assert reveal_fields(before) == {"image"}
    client.post(profile.replace("profile/", "reveal/"), {"field": "image", "next": profile})
    response = client.get(profile)
    [photo] = parse(response.content).find_all("img", class_="customer-photo")

    assert photo["src"] == PHOTO
    assert IMAGE_HOST in response["Content-Security-Policy"]
    assert AuditEntry.objects.filter(action=Action.REVEAL, detail__contains="image").exists()


def test_a_photo_from_a_host_not_configured_is_not_loaded(client, fault_backend, settings):
    """Without the host in CUSTOMER_IMAGE_HOSTS the browser would refuse it: the page says why."""
    settings.CUSTOMER_IMAGE_HOSTS = []
    settings.PII_UNMASKED_BY_DEFAULT = True
    document = samples.lookup_sample_shape()
    document["customerImage"] = [{"filePath": "", "secureFilePath": PHOTO}]
    login(client, "Support agents")

    section = parse(
        client.get(sample_lookup(client, fault_backend, document) + "profile/").content
    )
    photo = section.find("section", class_="customer-photo-section")
    assert photo.find_all("img") == []
    assert "CUSTOMER_IMAGE_HOSTS" in photo.text


def test_a_store_manager_never_sees_the_photo(client, fault_backend, settings):
    """Roles that may not see unmasked PII get neither the photo nor a reveal for it."""
    settings.CUSTOMER_IMAGE_HOSTS = [IMAGE_HOST]
    document = samples.lookup_sample_shape()
    document["customerImage"] = [{"secureFilePath": PHOTO}]
    login(client, "Store managers")

    page = parse(client.get(sample_lookup(client, fault_backend, document) + "profile/").content)

    photo = page.find("section", class_="customer-photo-section")
    assert photo.find_all("img") == [] and reveal_fields(photo) == set()
    assert photo.text.endswith("A photo is on file; your role does not show photos.")


def test_the_mlp_fragments_named_next_tier_is_on_the_programs_and_tiers_pages():
    """Tier1 with nextSlab "Tier2" and serial -1: next tier Tier2, never "top tier"; Silver's
    ladder counts its lower tier instead of naming it."""
    customer = Customer.from_json({"id": 7, "loyaltyProgramDetails": samples.mlp_fragment_shape()})

    programs = parse(render("programs", customer))
    tiers = parse(render("tiers", customer))

    assert "top tier" not in programs.text and "top tier" not in tiers.text
    second = programs.find_all("details", class_="program")[1]
    assert fact(second, "Next tier").text == "Tier2"
    rungs = [rung.text for rung in tiers.find_all("ol", class_="tier-ladder")[0].find_all("li")]
    assert rungs == ["1 lower tier", "Silver current", "Gold next"]
    assert "Tier 1" not in tiers.text


def test_the_tiers_page_words_value_valid_upto_and_the_renewal_rule(documents, settings):
    """Aarav's Silver: the upgrade needs no deadline, the current value's validity is its own
    sentence, and his two renewal conditions claim neither rule until TIER_RENEWAL_RULES says."""
    customer = Customer.from_json(documents["919999000001"])

    settings.TIER_RENEWAL_RULES = ""
    page = parse(render("tiers", customer))
    settings.TIER_RENEWAL_RULES = "1101:any"
    configured = parse(render("tiers", customer))

    rewards = page.find_all("details", class_="tier-program")[0]
    upgrade = rewards.find("div", class_="tier-upgrade")
    assert (
        upgrade.find("p", class_="gap-sentence").text
        == "Needs 18,000 more in purchases to reach Gold."
    )
    assert "Meeting any one" not in page.text
    assert rewards.find("p", class_="renewal-rule").text == (
        "Capillary does not say whether one of these or all of them keep Silver: the program's "
        "own rule decides."
    )
    configured_rule = configured.find_all("details", class_="tier-program")[0]
    assert configured_rule.find("p", class_="renewal-rule").text == (
        "Meeting any one of these keeps Silver."
    )


def test_the_currencies_page_quotes_earned_as_available_to_redeem(documents):
    """Aarav's Stars: 120 available to redeem (earned), 15 pending, 135 the two together; the
    bold, large figure is the 120."""
    page = parse(render("currencies", Customer.from_json(documents["919999000001"])))

    stars = page.find_all("div", class_="currency")[0]
    tiles = {
        tile.find("dt").text: tile.find("dd", class_="points-value").text
        for tile in stars.find_all("div", class_="points-tile")
    }
    assert tiles["Available to redeem"] == "120"
    assert tiles["Pending"] == "15"
    assert tiles["Available to redeem and pending"] == "135"
    assert (
        stars.find("div", class_="points-available").find("dd", class_="points-value").text
        == "120"
    )
    assert stars.find("span", class_="term", data_term="available")["title"].endswith(
        "Capillary field: earned"
    )


def test_the_cards_page_shows_card_fields_and_whether_transactions_are_allowed():
    """The published by-id card: its custom and extended fields (a card balance among them) and
    transactionNotAllowed."""
    customer = Customer.from_json({"id": 612300417, "cardDetails": [samples.by_id_card_shape()]})

    row = (
        parse(render("cards", customer))
        .find("table", class_="cards-table")
        .find("tbody")
        .find("tr")
    )

    fields = row.find("td", class_="card-fields")
    names = [term.text for term in fields.find_all("dt")]
    assert names == [
        "cardname",
        "cardscope",
        "cardtype",
        "advance_card_personalisation",
        "card_balance",
        "year_of_registration",
    ]
    assert "450" in fields.text
    assert row.find_all("td")[1].text == "not allowed"


def test_the_profile_page_shows_the_source_of_promotions_and_where_loyalty_began():
    """promotionSource of the published fragment, and loyaltyInfo's createdFromSource."""
    document = samples.lookup_sample_shape()
    document["promotionalPoints"] = samples.promotional_points_shape()

    page = parse(render("profile", Customer.from_json(document)))

    assert fact(page, "Joined from source").text == "In store"
    promotions = page.find("section", aria_labelledby="promotions-heading").find("table")
    assert [cell.text for cell in promotions.find("tbody").find("tr").find_all("td")][:2] == [
        "customer",
        "Goodwill",
    ]


def test_a_page_fetched_by_id_in_another_session_says_what_it_lacks(client, sandbox):
    """In the session of the lookup an expired answer is looked up again, alternate currencies
    and all; in another session the page comes by id and says what that call leaves out."""
    user = login(client, "Support agents")
    overview = look_up(client, ROWS[0])
    customer_id = int(overview.strip("/").split("/")[-1])

    def expire_the_answer() -> None:
        query = services.page_query(customer_id, user=user)
        cache.delete(services._key(user, customer_id, services._entry_query(query)))

    expire_the_answer()
    same = parse(client.get(f"{overview}currencies/").content)
    client.logout()
    client.force_login(user)
    expire_the_answer()
    other = parse(client.get(f"{overview}currencies/").content)

    assert same.find_all(class_="by-id-notice") == []
    assert same.find_all("div", class_="currency")
    notice = other.find("p", class_="by-id-notice")
    assert notice.text == (
        "This answer came by customer id, and Capillary's call for that returns no card "
        "loyalty details, customer status, alternate currencies or gaps to upgrade and renew: "
        "look the member up again to see them."
    )
    assert other.find_all("div", class_="currency") == []
