"""Random input thrown at /lookup/: never a 500, always a page that says something."""

import pytest
from django.contrib.auth.models import Group, User
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from customers.capillary.query import EMBEDS, IDENTIFIER_NAMES, SOURCES
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

# Unicode with everything a person or a paste can bring: control characters, commas, RTL marks,
# emoji, combining characters, NUL; and the values real members have.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
REAL_VALUES = st.sampled_from(
    ["919999000001", "+91 99990 00001", "gupta.family@sandbox.example", "SBX-0001", ""]
)
VALUES = st.one_of(
    TEXT,
    REAL_VALUES,
    st.text(alphabet=",\t\n\r\x00\x7f ;", max_size=10),
    st.text(min_size=500, max_size=3000),
)
NAMES = st.one_of(st.sampled_from([*IDENTIFIER_NAMES, "Email", "cardNumber", ""]), TEXT)
EMBED = st.one_of(st.sampled_from([*EMBEDS, "gapDetails", "MLP"]), TEXT)
LISTS = st.integers(min_value=0, max_value=6)
MEMBER = {"source": ["INSTORE"], "identifierName": ["mobile"], "identifierValue": ["919999000001"]}


@st.composite
def plausible_params(draw) -> dict[str, list[str]]:
    """A query an agent could mean: real types, members' values or unknown numbers, real embeds
    (so lookups also find members or answer not found)."""
    names = draw(st.lists(st.sampled_from(IDENTIFIER_NAMES), min_size=1, max_size=3, unique=True))
    mobile = st.one_of(st.just("919999000001"), st.from_regex(r"\A91[0-9]{10}\Z"))
    values = {
        "mobile": mobile,
        "email": st.one_of(st.just("gupta.family@sandbox.example"), st.emails()),
    }
    return {
        "source": [draw(st.sampled_from(["INSTORE", "INSTORE", "WECHAT"]))],
        "identifierName": names,
        "identifierValue": [draw(values.get(name, VALUES)) for name in names],
        "embed": draw(st.lists(st.sampled_from(EMBEDS), max_size=14)),
    }


@st.composite
def lookup_params(draw) -> dict[str, list[str]]:
    """A query as the form sends it (repeated fields) or as pasted (comma-joined lists)."""
    count = draw(LISTS)
    names = [draw(NAMES) for _ in range(count)]
    values = [draw(VALUES) for _ in range(draw(st.sampled_from([count, count, count + 1])))]
    embeds = draw(st.lists(EMBED, max_size=8))
    if draw(st.booleans()):
        names, values, embeds = [",".join(names)], [",".join(values)], [",".join(embeds)]
    params = {
        "source": [draw(st.one_of(st.sampled_from(SOURCES), TEXT))],
        "identifierName": names,
        "identifierValue": values,
        "embed": embeds,
    }
    for optional in (
        "accountId",
        "gapToUpgrade",
        "gapToRenew",
        "userGroup2Id",
        "includedFraudDetails",
        "reason",
    ):
        if draw(st.booleans()):
            params[optional] = [draw(st.one_of(TEXT, st.integers(-5, 400).map(str)))]
    return params


@pytest.fixture
def agent_client(client, settings):
    from customers.sandbox.seeding import seed

    settings.LOOKUP_API_BASE_URL = ""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_LATENCY_MS = 0
    settings.LOOKUP_RATE_LIMIT = "100000/h"
    seed()
    user = User.objects.create_user("agent")
    user.groups.add(Group.objects.get(name="Support agents"))
    client.force_login(user)
    return client


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.one_of(lookup_params(), plausible_params()))
@example(params={**MEMBER, "embed": ["mlp"], "gapToUpgrade": ["\u00b2"]})
@example(params={**MEMBER, "embed": ["mlp"], "gapToRenew": ["\u0967\u0966"]})
@example(params={**MEMBER, "userGroup2Id": ["\u00b9"]})
@example(params={**MEMBER, "identifierValue": ["91999900000\u00b9"]})
@example(params={**MEMBER, "identifierValue": ["\u0669\u0661" + "9" * 10]})
@example(params={**MEMBER, "source": ["INSTORE\x00"]})
@example(params={**MEMBER, "source": ["WECHAT"], "accountId": ["wechat\x00cn-01"]})
@example(params={**MEMBER, "source": ["ALL"], "accountId": ["\x00"]})
@example(params={"source": ["INSTORE"], "identifierName": ["\x00"], "identifierValue": ["0"]})
def test_random_input_never_breaks_the_lookup(agent_client, params):
    """Any mix of identifiers, embeds and options gives a redirect or a page with a message."""
    response = agent_client.get("/lookup/", params)

    # 200: parameters that say nothing open the search page, as /lookup/ typed does.
    assert response.status_code in (200, 303, 400, 403, 404, 410, 429, 502, 503)
    if response.status_code == 303:
        assert response["Location"].startswith("/customers/")
        return
    html = response.content.decode()
    page = parse(html)
    assert page.find_all(class_="errornote") or page.find_all(class_="failure-message")
    assert response["X-Request-ID"] in html or response.status_code == 400
