"""Plain words on every screen an agent sees: every page of every showcase member, read as a
support agent, holds no word only an integrator reads (timings, request ids, warning codes,
the API's enum and source names, "status false") outside the folded "For support" line and
the raw tab."""

import re
from html import unescape

import pytest

from customers.capillary.query import DEFAULT_EMBEDS
from customers.pages.tabs import SECTIONS
from customers.sandbox.examples import EXAMPLES

pytestmark = pytest.mark.django_db

INTEGRATOR_WORDS = re.compile(
    r"\b\d+(?:\.\d+)? ms\b|request id|\b(?:8050|91001|91009|8015)\b|status (?:true|false)"
    r"|\bINSTORE\b|\bWECHAT\b|\bMOBILE_APP\b|\bbill_\w+|\boptout\b|\bopt_out\b"
    r"|Points to currency|\bNOT_FRAUD\b|\b[A-Z]+_[A-Z_]+\b",
)
FOLDED = re.compile(
    r"<(script|style|template)\b.*?</\1>"
    r"|<details class=\"[^\"]*\b(?:advanced|for-support)\b.*?</details>",
    re.S,
)
TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", FOLDED.sub(" ", html))).split())


def search(client, example) -> str:
    params = example.as_dict()
    response = client.post(
        "/lookup/",
        {
            "source": params["source"],
            "accountId": params.get("accountId", ""),
            "identifierName": params["identifierName"].split(","),
            "identifierValue": params["identifierValue"].split(","),
            "embed": list(DEFAULT_EMBEDS),
            "includedFraudDetails": "true",
        },
    )
    assert response.status_code == 303, example
    return response["Location"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.identifier_value.split(",")[0])
def test_no_integrator_word_on_any_page_of_a_showcase_member(sandbox, agent, client, example):
    base = search(client, example)
    found = {}
    for section in SECTIONS:
        if section == "raw":
            continue
        html = client.get(base + ("" if section == "overview" else f"{section}/")).content
        words = sorted(set(INTEGRATOR_WORDS.findall(visible_text(html.decode()))))
        if words:
            found[section] = words
    assert found == {}
