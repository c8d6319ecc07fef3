"""The lookup query: both parameter styles, normalisation, and refusals an agent understands."""

from urllib.parse import quote

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from customers.capillary.exceptions import InvalidQuery
from customers.capillary.query import (
    EMBEDS,
    IDENTIFIER_NAMES,
    SOURCES,
    LookupQuery,
    split_identifiers,
)


def parse(query_string: str) -> LookupQuery:
    """Parse a query string exactly as a view would: `dict(request.GET.lists())`."""
    return LookupQuery.from_params(dict(QueryDict(query_string).lists()))


def refusal(query_string: str) -> dict[str, list[str]]:
    with pytest.raises(InvalidQuery) as caught:
        parse(query_string)
    return caught.value.errors


def test_the_constants_cover_the_documented_values():
    """Five identifier types, fourteen embeds, INSTORE among the sources."""
    assert IDENTIFIER_NAMES == ("mobile", "email", "externalId", "cardnumber", "wechat")
    assert len(EMBEDS) == 14
    assert "gapDetails" not in EMBEDS
    assert "INSTORE" in SOURCES


def test_the_api_query_string_and_the_form_fields_give_the_same_query():
    """Comma-joined lists (the API's own) and repeated fields (the form's) are equivalent."""
    pasted = parse(
        "source=WECHAT&accountId=22232&identifierName=mobile,email"
        "&identifierValue=919999000001,a@b.com&embed=mlp,points&gapToUpgrade=30"
    )
    form = parse(
        "source=WECHAT&accountId=22232&identifierName=mobile&identifierName=email"
        "&identifierValue=919999000001&identifierValue=a@b.com&embed=mlp&embed=points"
        "&gapToUpgrade=30"
    )

    assert pasted == form
    assert pasted.identifiers == (("mobile", "919999000001"), ("email", "a@b.com"))
    assert pasted.embed == ("mlp", "points")
    assert pasted.gap_to_upgrade == 30


def test_identifier_order_is_kept():
    """The order the agent gave is the order sent: the backend pairs names with values."""
    query = parse(
        "source=INSTORE&identifierName=email,mobile&identifierValue=a@b.com,919999000001"
    )

    assert [name for name, _ in query.identifiers] == ["email", "mobile"]


def test_to_params_is_the_wire_form_and_parses_back_to_the_same_query():
    """to_params joins lists with commas, sends true flags, and round-trips."""
    query = parse(
        "source=MOBILE_APP&accountId=mapp-01&identifierName=mobile&identifierName=externalId"
        "&identifierValue=919999000001&identifierValue=SBX-1&embed=mlp&includedFraudDetails=on"
        "&includedAllUserGroup2=true&userGroup2Id=42&gapToRenew=0"
    )

    params = query.to_params()

    assert params == {
        "source": "MOBILE_APP",
        "accountId": "mapp-01",
        "identifierName": "mobile,externalId",
        "identifierValue": "919999000001,SBX-1",
        "embed": "mlp",
        "includedFraudDetails": "true",
        "includedAllUserGroup2": "true",
        "userGroup2Id": "42",
        "gapToRenew": "0",
    }
    assert LookupQuery.from_params({k: [v] for k, v in params.items()}) == query


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("+91 99990 00001", "919999000001"),
        ("0091-9999-000001", "919999000001"),
        ("(91) 9999.000001", "919999000001"),
        ("919999000001", "919999000001"),
    ],
)
def test_mobile_numbers_are_sent_as_digits_with_the_country_code(typed, sent):
    """Spaces, dashes, dots, brackets, + and a leading 00 are what people type; digits are sent."""
    query = LookupQuery.from_params(
        {"source": ["INSTORE"], "identifierName": ["mobile"], "identifierValue": [typed]}
    )

    assert query.identifiers == (("mobile", sent),)


def test_emails_are_trimmed_and_lower_cased_and_cards_trimmed():
    """What a person pastes (spaces, capitals) is normalised before sending."""
    query = parse(
        "source=INSTORE&identifierName=email&identifierName=cardnumber"
        "&identifierValue=%20Priya.Sharma@Example.COM%20&identifierValue=%20CARD-0042%20"
    )

    assert query.identifiers == (
        ("email", "priya.sharma@example.com"),
        ("cardnumber", "CARD-0042"),
    )


def test_names_embeds_and_sources_are_accepted_in_any_case():
    """Email, EXTERNALID, cardNumber, POINTS and instore mean the documented spellings."""
    query = parse(
        "source=instore&identifierName=Email,EXTERNALID,cardNumber"
        "&identifierValue=a@b.com,X1,C1&embed=POINTS,MLP"
    )

    assert query.source == "INSTORE"
    assert [name for name, _ in query.identifiers] == ["email", "externalId", "cardnumber"]
    assert query.embed == ("points", "mlp")


def test_empty_form_rows_are_ignored_and_repeated_embeds_collapse():
    """A row left empty in the form is not an identifier; embed=mlp twice is mlp once."""
    query = parse(
        "source=INSTORE&identifierName=mobile&identifierName="
        "&identifierValue=919999000001&identifierValue=&embed=mlp&embed=mlp,,points"
    )

    assert query.identifiers == (("mobile", "919999000001"),)
    assert query.embed == ("mlp", "points")


def test_an_account_id_given_for_instore_is_dropped():
    """accountId does not apply to INSTORE, so a pasted one is not sent."""
    query = parse(
        "source=INSTORE&accountId=22232&identifierName=mobile&identifierValue=919999000001"
    )

    assert query.account_id == ""
    assert "accountId" not in query.to_params()


def test_source_all_needs_no_account_id():
    """ALL reads every source profile of the customer, so no one account is asked for."""
    query = parse("source=ALL&identifierName=mobile&identifierValue=919999000007")

    assert query.to_params()["source"] == "ALL"
    assert "accountId" not in query.to_params()


def test_every_other_source_still_needs_an_account_id():
    """WECHAT without an accountId is refused next to the accountId field."""
    with pytest.raises(InvalidQuery) as refused:
        parse("source=WECHAT&identifierName=mobile&identifierValue=919999000011")

    assert "accountId" in refused.value.errors


def test_unknown_parameters_are_ignored():
    """Other form fields (csrf token, reason) are not the query's business."""
    query = parse(
        "csrfmiddlewaretoken=x&reason=ticket-9&source=INSTORE"
        "&identifierName=mobile&identifierValue=919999000001"
    )

    assert query.to_params() == {
        "source": "INSTORE",
        "identifierName": "mobile",
        "identifierValue": "919999000001",
    }


@pytest.mark.parametrize(
    ("query_string", "param", "words"),
    [
        ("identifierName=mobile&identifierValue=919999000001", "source", "source"),
        (
            "source=IN-STORE&identifierName=mobile&identifierValue=919999000001",
            "source",
            "capitals, digits and underscores",
        ),
        (
            "source=WECHAT&identifierName=mobile&identifierValue=919999000001",
            "accountId",
            "except INSTORE",
        ),
        ("source=INSTORE", "identifierName", "at least one"),
        ("source=INSTORE&identifierName=mobile&identifierValue=", "identifierValue", "empty"),
        ("source=INSTORE&identifierName=mobile", "identifierValue", "empty"),
        (
            "source=INSTORE&identifierName=email&identifierValue=a,b@c.com",
            "identifierValue",
            "comma",
        ),
        (
            "source=INSTORE&identifierName=email&identifierName=mobile"
            "&identifierValue=a,b@c.com&identifierValue=919999000001",
            "identifierValue",
            "comma",
        ),
        (
            "source=INSTORE&identifierName=mobile,mobile&identifierValue=919999000001,919999000002",
            "identifierName",
            "twice",
        ),
        ("source=INSTORE&identifierName=phone&identifierValue=1", "identifierName", "Unknown"),
        (
            "source=INSTORE&identifierName=mobile,email&identifierValue=919999000001",
            "identifierValue",
            "one value per identifier",
        ),
        (
            "source=INSTORE&identifierName=&identifierName=email&identifierValue=9&identifierValue=a@b.c",
            "identifierName",
            "no type",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=07700900123",
            "identifierValue",
            "country code",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=12345",
            "identifierValue",
            "8 to 15",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=91abc",
            "identifierValue",
            "digits",
        ),
        ("source=INSTORE&identifierName=email&identifierValue=nobody", "identifierValue", "@"),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001&embed=mlp,bogus",
            "embed",
            "Unknown embed",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001&embed=gapDetails",
            "embed",
            "deprecated",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001&gapToUpgrade=30",
            "gapToUpgrade",
            "mlp",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001"
            "&embed=mlp&gapToRenew=-1",
            "gapToRenew",
            "0 or more",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001&userGroup2Id=abc",
            "userGroup2Id",
            "whole number",
        ),
        (
            "source=INSTORE&identifierName=mobile&identifierValue=919999000001"
            "&includedFraudDetails=maybe",
            "includedFraudDetails",
            "true or false",
        ),
    ],
)
def test_it_refuses_what_cannot_be_sent_with_a_message_under_the_parameter(
    query_string, param, words
):
    """Each refusal names the parameter and says, in words, what to change."""
    errors = refusal(query_string)

    assert param in errors
    assert any(words.lower() in message.lower() for message in errors[param])


MEMBER = "source=INSTORE&identifierName=mobile&identifierValue=919999000001"


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ("&embed=mlp&gapToUpgrade=%C2%B2", "gapToUpgrade"),
        ("&embed=mlp&gapToRenew=%E0%A5%A9", "gapToRenew"),
        ("&userGroup2Id=%C2%B9", "userGroup2Id"),
        ("&userGroup2Id=%EF%BC%94%EF%BC%92", "userGroup2Id"),
    ],
)
def test_numbers_in_other_scripts_are_refused_not_a_crash(extra, param):
    """ "²", "¹", Devanagari or full-width digits pass str.isdigit() but are no number to send."""
    errors = refusal(MEMBER + extra)

    assert param in errors
    assert any("whole number" in message for message in errors[param])


@pytest.mark.parametrize(
    "typed", ["91999900000\u00b9", "\u0669\u0661" + "9" * 10, "\uff19\uff11" + "\uff19" * 10]
)
def test_a_mobile_in_non_ascii_digits_is_refused_not_sent(typed):
    """Only ASCII digits are a mobile number the API can match."""
    errors = refusal(f"source=INSTORE&identifierName=mobile&identifierValue={quote(typed)}")

    assert any("only contain digits" in message for message in errors["identifierValue"])


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"source": ["INSTORE\x00"]}, "source"),
        ({"source": ["WE\x07CHAT"], "accountId": ["wechat-cn-01"]}, "source"),
        ({"source": ["WECHAT"], "accountId": ["wechat\x00cn-01"]}, "accountId"),
        ({"source": ["ALL"], "accountId": ["\x1b[31m"]}, "accountId"),
        ({"source": ["MARTJACK"], "accountId": ["sh\x85op"]}, "accountId"),
    ],
)
def test_control_characters_in_source_or_account_are_refused(params, param):
    """A NUL or other control character is refused with a message, never sent or stored."""
    member = {"identifierName": ["mobile"], "identifierValue": ["919999000001"]}
    with pytest.raises(InvalidQuery) as refused:
        LookupQuery.from_params({**member, **params})

    assert any("control character" in message for message in refused.value.errors[param])


@pytest.mark.parametrize("source", ["TMALL", "JD", "ECOMMERCE", "WEBSITE", "zalo", "MAPP_SDK"])
def test_any_source_of_the_documented_shape_is_accepted_with_its_account(source):
    """The reference lists sources as examples; an org's own source passes, with its accountId
    (every source but INSTORE and ALL needs one: ALL without one is sent, and warned about)."""
    query = parse(
        f"source={source}&accountId=acct-7&identifierName=mobile&identifierValue=919999000001"
    )

    assert (query.source, query.account_id) == (source.upper(), "acct-7")
    assert "accountId" in refusal(
        f"source={source}&identifierName=mobile&identifierValue=919999000001"
    )


def test_card_external_id_is_an_identifier_name_too():
    """Older documentation's cardExternalId is accepted, in the API's spelling, in any case."""
    query = parse("source=INSTORE&identifierName=CARDEXTERNALID&identifierValue=orea7")

    assert query.identifiers == (("cardExternalId", "orea7"),)
    assert query.to_params()["identifierName"] == "cardExternalId"


def test_all_problems_are_reported_at_once():
    """An agent sees every problem in one go, not one per submit."""
    errors = refusal(
        "source=MOON SHOP&identifierName=phone&identifierValue=1&embed=bogus&gapToRenew=x"
    )

    assert set(errors) == {"source", "identifierName", "embed", "gapToRenew"}


def test_messages_and_repr_never_echo_identifier_values():
    """Errors and the query's repr are safe to log: no typed identifier appears in them."""
    with pytest.raises(InvalidQuery) as caught:
        parse("source=INSTORE&identifierName=email&identifierValue=secret.person,x@example.com")
    query = parse("source=INSTORE&identifierName=mobile&identifierValue=919812340001")

    assert "secret.person" not in str(caught.value)
    assert "919812340001" not in repr(query)


@given(
    names=st.permutations(IDENTIFIER_NAMES).map(lambda names: names[:3]),
    mobile=st.integers(min_value=10**9, max_value=10**10 - 1),
    text=st.text(alphabet="abcdefghij0123456789-_.", min_size=1, max_size=12),
)
def test_both_styles_agree_for_any_valid_values(names, mobile, text):
    """Whatever valid values are typed, the pasted and the form style parse identically."""
    typed = {"mobile": f"+91 {mobile}", "email": f" {text}@Example.com"}
    values = [typed.get(name, text) for name in names]
    pasted = {
        "source": ["INSTORE"],
        "identifierName": [",".join(names)],
        "identifierValue": [",".join(values)],
    }
    form = {"source": ["INSTORE"], "identifierName": list(names), "identifierValue": values}

    assert LookupQuery.from_params(pasted) == LookupQuery.from_params(form)


@pytest.mark.parametrize(
    ("params", "names", "values"),
    [
        (
            {"identifierName": ["mobile,email"], "identifierValue": ["919999000001,a@b.c"]},
            ["mobile", "email"],
            ["919999000001", "a@b.c"],
        ),
        (
            {"identifierName": ["mobile", "", "email"], "identifierValue": ["9", "", "a,b"]},
            ["mobile", "email"],
            ["9", "a,b"],
        ),
        ({"identifierName": ["mobile, email"]}, ["mobile", "email"], ["", ""]),
        (
            {"identifierName": ["mobile,email"], "identifierValue": ["9"]},
            ["mobile", "email"],
            ["9"],
        ),
    ],
)
def test_split_identifiers_gives_the_rows_the_query_checks(params, names, values):
    """Comma-joined lists are split, the form's empty rows dropped, a value's comma kept."""
    assert split_identifiers(params) == (names, values)


def test_every_source_but_instore_lacks_an_account_id_without_one():
    """Capillary's document: accountId is mandatory for every source except INSTORE. ALL is
    still sent without one, but the query knows it lacks it (the not-found page leads with it)."""
    assert parse("source=ALL&identifierName=mobile&identifierValue=919999000001").lacks_account_id
    with_account = parse(
        "source=ALL&accountId=mapp-01&identifierName=mobile&identifierValue=919999000001"
    )
    assert not with_account.lacks_account_id
    instore = parse("source=INSTORE&identifierName=mobile&identifierValue=919999000001")
    assert not instore.lacks_account_id
