"""The one search box as the server answers it (no JavaScript): real HTTP to the sandbox
through the views, as a browser without JavaScript posts the form."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from customers.audit.models import Action, AuditEntry, Outcome
from customers.pages import glossary
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

AARAV = 5000001
PRIYA = 5000002


def search(client: Client, text: str, **fields: str):
    """The search form as a browser without JavaScript sends it: the box, the default source
    and the three empty structured rows."""
    data = {
        "q": text,
        "source": "INSTORE",
        "accountId": "",
        "identifierName": ["mobile", "", ""],
        "identifierValue": ["", "", ""],
        "embed": ["mlp", "points", "alternateCurrencies", "expirySchedules"],
        "reason": "",
        **fields,
    }
    return client.post("/lookup/", data)


def signed_in(group: str) -> Client:
    user = User.objects.create_user(group.split()[0].lower())
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("+91 99990 00001", AARAV),
        ("Mobile: 919999000001, a@b.c", AARAV),
        ("  919999000002\n", PRIYA),
        ("Email: PRIYA.NAIR@sandbox.example\n+91-99990-00002", PRIYA),
        ("SBXC00010001 (91) 99990 00001", AARAV),
        ("external id: SBX-0002; 0091 99990 00002", PRIYA),
        ("Hi, the customer's mobile is +91 99990 00001", AARAV),
        ("Name: Aarav Sharma, Mobile: +91 99990 00001", AARAV),
        ("Aarav Sharma 919999000001", AARAV),
        ("919999000001 (home)", AARAV),
        ("+91 9999000001 x12", AARAV),
        ("(+91) 99990-00001", AARAV),
        ("\u202a+91 99990 00001\u202c", AARAV),
        ("\ufeff\u0669\u0661\u0669\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0662", PRIYA),
    ],
)
def test_a_messy_paste_finds_the_member_with_a_303_and_no_identifier_in_the_url(
    client, sandbox, agent, text, customer
):
    response = search(client, text)

    assert response.status_code == 303
    assert response["Location"] == f"/customers/{customer}/"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.customer_id) == (
        Action.LOOKUP,
        Outcome.FOUND,
        str(customer),
    )


def test_what_the_box_understood_comes_back_as_chips_with_the_box_filled_in(
    client, sandbox, agent
):
    """A search that finds no one shows the paste again and what it was read as (here a card
    alone, which this org cannot answer without the mobile), so the agent sees how each value
    was taken and can label one that was read wrong."""
    response = search(client, "SBXC00010001, 919876500000")

    assert response.status_code == 404
    page = parse(response.content.decode())
    assert page.find("textarea", id="id_q").text == "SBXC00010001, 919876500000"
    chips = page.find("div", id="id_q_chips")
    assert [chip.text.split() for chip in chips.find_all("li")] == [
        ["Card", "number", "SBXC00010001"],
        ["Mobile", "919876500000"],
    ]
    # The structured rows stay folded away under Advanced, empty.
    assert not page.find("details", class_="advanced").attrs.get("open")


def test_two_values_of_one_type_are_refused_next_to_the_box_and_audited_masked(
    client, sandbox, agent
):
    response = search(client, "919999000001 919999000002")

    assert response.status_code == 400
    page = parse(response.content.decode())
    errors = page.find("ul", id="id_identifiers_error").text
    assert "2 values read as mobile" in errors
    assert page.find("textarea", id="id_q")["aria-invalid"] == "true"
    entry = AuditEntry.objects.get()
    assert entry.outcome == Outcome.INVALID
    assert entry.identifiers_display == "mobile 91******0001, mobile 91******0002"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give at least one identifier"),
        ("0999 1234", "a +91 mobile has 10 digits after the country code"),
        ("mobile:", "Nothing in the search box"),
        ("Aarav Sharma", "Names cannot be searched: ask the caller for their mobile."),
    ],
)
def test_an_empty_or_wrong_box_is_answered_next_to_it_not_with_a_500(
    client, sandbox, agent, text, message
):
    response = search(client, text)

    assert response.status_code == 400
    page = parse(response.content.decode())
    assert message in page.find("ul", id="id_identifiers_error").text


def test_the_box_and_the_structured_rows_together_make_one_search(client, sandbox, agent):
    """A row filled in under Advanced joins the box's identifiers (the mobile decides)."""
    response = search(
        client,
        "gupta.family@sandbox.example",
        identifierName=["mobile", "", ""],
        identifierValue=["919999000004", "", ""],
    )

    assert response.status_code == 303
    assert response["Location"] == "/customers/5000004/"


def test_the_search_page_puts_the_box_first_and_the_rest_under_a_closed_advanced(
    client, sandbox, agent
):
    page = parse(client.get("/").content.decode())
    form = page.find("form", id="search-form")

    assert form.find("textarea", id="id_q", autofocus=True)
    advanced = form.find("details", class_="advanced")
    assert "open" not in advanced.attrs
    for field in ("source", "accountId", "identifierValue", "embed", "gapToUpgrade"):
        assert advanced.find_all(name=field), field
    assert not advanced.find_all("textarea")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("SBX-0001 SBX-0002", ["SBX-0001", "SBX-0002"]),
        ("card: SBXC00010001 card: SBXC00020002", ["SBXC00010001", "SBXC00020002"]),
        ("aarav.sharma@sandbox.example priya.nair@sandbox.example", ["aarav", "priya"]),
    ],
)
def test_a_refused_box_shows_the_values_but_the_audit_detail_has_none_of_them(
    client, sandbox, agent, text, values
):
    response = search(client, text)

    assert response.status_code == 400
    page = parse(response.content.decode())
    assert "2 values read as" in page.find("ul", id="id_identifiers_error").text
    chips = page.find("div", id="id_q_chips").text
    assert all(value in chips for value in values)
    entry = AuditEntry.objects.get()
    assert entry.outcome == Outcome.INVALID
    assert entry.detail
    for value in values:
        assert value.casefold() not in entry.detail.casefold()


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("SBX-0001 SBX-0002", {}),
        ("card: SBXC00010001 card: SBXC00020002", {}),
        ("919999000001 919999000002", {}),
        (
            "SBX-0001",
            {"identifierName": ["externalId", "", ""], "identifierValue": ["SBX-0002", "", ""]},
        ),
    ],
)
def test_a_clash_in_the_box_is_explained_once_in_plain_words(client, sandbox, agent, text, rows):
    response = search(client, text, **rows)

    assert response.status_code == 400
    page = parse(response.content.decode())
    messages = [li.text for li in page.find("ul", id="id_identifiers_error").find_all("li")]
    assert len(messages) == 1, messages
    assert "one lookup takes one of each type" in messages[0]
    for api_name in ("externalId", "cardnumber", "identifierName", "given twice"):
        assert api_name not in messages[0]
    assert AuditEntry.objects.get().outcome == Outcome.INVALID


def test_the_rows_messages_shown_under_the_box_name_types_as_the_chips_do(client, sandbox, agent):
    response = search(
        client,
        "a@b.c",
        identifierName=["externalId", "externalId", "cardnumber"],
        identifierValue=["SBX-0001", "SBX-0002", "SBXC00010001,1"],
    )

    assert response.status_code == 400
    page = parse(response.content.decode())
    messages = page.find("ul", id="id_identifiers_error").text
    assert "external id is given twice" in messages
    assert "card number value contains a comma" in messages
    assert "externalId" not in messages
    assert "cardnumber" not in messages


def test_ignored_words_are_shown_as_ignored_chips_and_not_searched_or_audited(
    client, sandbox, agent
):
    """Without JavaScript too the agent sees which words were left out of the search."""
    response = search(client, "Name: Aarav Sharma, Mobile: +91 98765 00000")

    assert response.status_code == 404
    page = parse(response.content.decode())
    chips = [chip.text.split() for chip in page.find("div", id="id_q_chips").find_all("li")]
    assert chips == [
        ["Ignored", "Name"],
        ["Ignored", "Aarav"],
        ["Ignored", "Sharma"],
        ["Mobile", "919876500000"],
    ]
    kinds = [chip["class"] for chip in page.find("div", id="id_q_chips").find_all("li")]
    assert kinds == ["chip chip-ignored"] * 3 + ["chip chip-mobile"]
    entry = AuditEntry.objects.get()
    assert entry.identifiers_display == "mobile 91******0000"
    assert "Aarav" not in str(entry.__dict__)


def test_the_search_page_hands_the_servers_identifier_names_to_the_chips(client, sandbox, agent):
    """lookup.js names the chips' types from the page's JSON, which is the server's one table:
    the same words as the form's rows, the server's chips and the member's pages."""
    page = parse(client.get("/").content.decode())

    names = json.loads(page.find("script", id="identifier-types").text)
    assert names == glossary.identifier_types()
    assert names["wechat"] == glossary.identifier_label("WECHAT") == "WeChat"
    rows = page.find_all("select", name="identifierName")[0]
    offered = {option["value"]: option.text for option in rows.find_all("option")}
    assert {value: offered[value] for value in names if value != "mobile"} == {
        value: name for value, name in names.items() if value != "mobile"
    }
    assert offered["mobile"] == "Mobile (with country code)"


def test_a_local_number_as_callers_say_it_finds_the_member(client, sandbox, agent):
    """`99990 00003` with the org's country code (91 in the sandbox) is Meera's mobile."""
    response = search(client, "99990 00003")

    assert response.status_code == 303
    assert response["Location"] == "/customers/5000003/"
