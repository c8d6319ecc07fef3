"""Contact details only through Reveal: the raw tab is masked as the pages are, and the ticket
summary keeps revealed values masked unless the agent asks for them."""

import pytest

from customers.capillary.query import DEFAULT_EMBEDS
from customers.sandbox.examples import EXAMPLES
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

MOBILE = "919999000001"
EMAIL = "aarav.sharma@sandbox.example"
AARAV = 5000001


def found(client, mobile: str = MOBILE) -> str:
    response = client.post(
        "/lookup/",
        {"source": "INSTORE", "q": mobile, "embed": list(DEFAULT_EMBEDS), "reason": "t 1"},
    )
    assert response.status_code == 303, response.content.decode()[:500]
    return response["Location"]


def raw_text(client, overview: str) -> str:
    response = client.get(f"{overview}raw/")
    assert response.status_code == 200
    return parse(response.content.decode()).find("pre", class_="raw-json").text


SHOWCASE_MOBILES = sorted(
    {
        e.identifier_value
        for e in EXAMPLES
        if e.identifier_name == "mobile" and e.source == "INSTORE"
    }
)


@pytest.mark.parametrize("mobile", SHOWCASE_MOBILES)
def test_the_raw_tab_shows_no_mobile_or_email_of_any_showcase_member(
    sandbox, agent, client, mobile
):
    overview = found(client, mobile)

    text = raw_text(client, overview)

    assert mobile not in text
    assert not any(digits in text for digits in SHOWCASE_MOBILES)
    assert "@sandbox.example" not in text
    assert '"firstName"' in text  # the document is there, masked


def test_a_revealed_mobile_shows_in_the_raw_tab_and_the_email_stays_masked(sandbox, agent, client):
    overview = found(client)
    client.post(f"{overview}reveal/", {"field": "mobile", "next": overview})

    text = raw_text(client, overview)

    assert MOBILE in text
    assert EMAIL not in text


def test_the_ticket_summary_keeps_a_revealed_mobile_masked_unless_asked(sandbox, agent, client):
    overview = found(client)
    page = parse(client.get(overview).content.decode())
    assert page.find_all("textarea", id="copy-summary-revealed") == []
    assert page.find_all("input", id="include-revealed") == []

    client.post(f"{overview}reveal/", {"field": "mobile", "next": overview})
    page = parse(client.get(overview).content.decode())

    masked = page.find("textarea", id="copy-summary").text
    with_revealed = page.find("textarea", id="copy-summary-revealed").text
    assert MOBILE not in masked
    assert MOBILE in with_revealed
    assert page.find("input", id="include-revealed").matches(checked=False)
