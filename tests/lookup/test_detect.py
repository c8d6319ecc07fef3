"""The one search box's reading of a paste (lookup.detect): each rule of its docstring, the
ambiguous cases, and how a correction (a label) changes the reading."""

import pytest

from customers.lookup.detect import clean, detect, guess, identifier_problems, read, relabel


def found(text: str) -> list[tuple[str, str]]:
    return [(item.kind, item.value) for item in detect(text)]


def ignored(text: str) -> list[str]:
    return [item.raw for item in read(text) if item.ignored]


@pytest.mark.parametrize(
    "text",
    [
        "919999000001",
        "+91 99990 00001",
        "+91-99990-00001",
        "0091 99990 00001",
        "(91) 99990.00001",
        "  +919999000001  ",
        '"919999000001".',
        "(+91) 99990-00001",
        "+91\u00a099990\u00a000001",
    ],
)
def test_a_mobile_in_any_common_formatting_is_read_as_the_same_mobile(text):
    assert found(text) == [("mobile", "919999000001")]


def test_labels_commas_and_new_lines_separate_a_messy_paste():
    text = "Mobile: 919999000001, A@B.c\nCard No: SBXC00010001; external id = SBX-0001"
    assert found(text) == [
        ("mobile", "919999000001"),
        ("email", "a@b.c"),
        ("cardnumber", "SBXC00010001"),
        ("externalId", "SBX-0001"),
    ]


@pytest.mark.parametrize("comma", ["\u060c", "\u061b", "\uff0c", "\u3001"])
def test_an_arabic_or_chinese_keyboards_comma_separates_values_too(comma):
    """Arabic keyboards type U+060C and U+061B, Chinese input U+FF0C and U+3001: each separates
    like a comma."""
    assert found(f"919999000001{comma} a@b.c") == [("mobile", "919999000001"), ("email", "a@b.c")]


def test_spaces_separate_values_but_not_the_groups_of_a_phone_number():
    assert found("+91 99990 00001 aarav.sharma@sandbox.example SBX-0001") == [
        ("mobile", "919999000001"),
        ("email", "aarav.sharma@sandbox.example"),
        ("externalId", "SBX-0001"),
    ]
    # Two mobiles written one after the other are two values, not one 24-digit number.
    assert found("919999000001 919999000002") == [
        ("mobile", "919999000001"),
        ("mobile", "919999000002"),
    ]


def test_a_numeric_card_number_that_looks_like_a_mobile_reads_as_a_mobile_until_labelled():
    """The ambiguous case: 8 to 15 digits are a mobile (what callers give most); a label is
    how the agent says otherwise, and the label wins."""
    assert found("919999000001") == [("mobile", "919999000001")]
    assert found("card: 919999000001") == [("cardnumber", "919999000001")]
    assert found("Card number 9199 9900 0001") == [("cardnumber", "919999000001")]


def test_a_numeric_external_id_reads_as_a_mobile_unless_it_is_short_or_labelled():
    assert found("12345678") == [("mobile", "12345678")]
    assert found("external id: 12345678") == [("externalId", "12345678")]
    assert found("ext 12345678") == [("externalId", "12345678")]
    # Fewer than 8 digits cannot be a mobile with its country code.
    assert found("1234567") == [("externalId", "1234567")]


def test_a_mobile_without_its_country_code_stays_a_mobile_so_the_query_can_say_so(settings):
    """`0...` is not searched as an external id: without an org country code the query refuses
    it with the message about the country code."""
    settings.DEFAULT_COUNTRY_CODE = ""
    assert found("09999 000001") == [("mobile", "09999000001")]


def test_payment_style_card_numbers_and_letter_digit_codes_are_card_numbers():
    assert found("4111 1111 1111 1111") == [("cardnumber", "4111111111111111")]
    assert found("4111111111111111") == [("cardnumber", "4111111111111111")]
    assert found("SBXC00010001") == [("cardnumber", "SBXC00010001")]
    # A dash, or fewer than 8 characters, makes it an external id.
    assert found("SBX-0001 ABC123") == [("externalId", "SBX-0001"), ("externalId", "ABC123")]
    assert found("iyer-household") == [("externalId", "iyer-household")]


def test_an_email_is_anything_with_an_at_sign_and_labels_do_not_break_addresses():
    assert found("mail@example.com") == [("email", "mail@example.com")]
    assert found("e-mail: Card@Example.COM") == [("email", "card@example.com")]
    assert guess("not an email@") == "email"


def test_a_label_gives_its_type_to_the_first_value_after_it_only():
    assert found("card: 919999000001 a@b.c") == [
        ("cardnumber", "919999000001"),
        ("email", "a@b.c"),
    ]
    assert found("wechat: wx_12345") == [("wechat", "wx_12345")]


def test_the_same_value_twice_counts_once_and_empty_text_or_a_bare_label_reads_as_nothing():
    assert found("919999000001, +91 99990 00001") == [("mobile", "919999000001")]
    assert found("") == []
    assert found(" ,\n ; ") == []
    assert found("mobile:") == []


def test_two_values_of_one_type_are_a_problem_the_agent_resolves():
    items = detect("919999000001 919999000002, a@b.c")
    problems = identifier_problems(items)
    assert len(problems) == 1
    assert "2 values read as mobile" in problems[0]
    assert identifier_problems(detect("919999000001, a@b.c")) == []


def test_relabel_writes_the_chosen_type_before_the_value_and_replaces_an_old_label():
    text = "Mobile: 919999000001, a@b.c"
    first = detect(text)[0]
    changed = relabel(text, first, "cardnumber")
    assert changed == "card: 919999000001, a@b.c"
    assert found(changed) == [("cardnumber", "919999000001"), ("email", "a@b.c")]
    plain = "12345678"
    assert found(relabel(plain, detect(plain)[0], "externalId")) == [("externalId", "12345678")]


def test_positions_point_at_the_value_as_written():
    text = "call back on +91 99990 00001 today"
    item = next(item for item in detect(text) if item.kind == "mobile")
    assert text[item.start : item.end] == "+91 99990 00001"
    assert item.raw == "+91 99990 00001"


def test_very_long_text_is_read_up_to_the_limit_without_error():
    text = "a@b.c " * 2000
    assert found(text) == [("email", "a@b.c")]


@pytest.mark.parametrize(
    "text",
    [
        # Direction marks and isolates a chat or a spreadsheet wraps a number in.
        "\u202a+91 99990 00001\u202c",
        "\u2066+91 99990 00001\u2069",
        "\u200e919999000001\u200f",
        # A byte order mark and zero-width characters from a copied cell.
        "\ufeff919999000001",
        "9199\u200b9900\u200c0001\u200d",
        # Digits of other scripts: full-width, Arabic-Indic.
        "\uff0b\uff19\uff11 \uff19\uff19\uff19\uff19\uff10 \uff10\uff10\uff10\uff10\uff11",
        "\u0669\u0661\u0669\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0661",
    ],
)
def test_invisible_characters_and_other_scripts_digits_do_not_change_the_mobile(text):
    assert found(text) == [("mobile", "919999000001")]


def test_cleaning_drops_format_characters_and_writes_digits_in_ascii_only():
    assert clean("a\u200b@b.c\ufeff") == "a@b.c"
    assert clean("\u0663\uff14\U0001d7d3") == "345"
    # Superscripts are not decimal digits: kept as they are, and not a mobile.
    assert clean("\u00b2") == "\u00b2"
    assert found("91999900000\u00b9") != [("mobile", "9199990000019")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hi, the customer's mobile is +91 99990 00001", ["Hi", "the", "customer's"]),
        ("Aarav Sharma 919999000001", ["Aarav", "Sharma"]),
        ("Name: Aarav Sharma, Mobile: +91 99990 00001", ["Name", "Aarav", "Sharma"]),
        ("919999000001 (home)", ["home"]),
        ("+91 9999000001 x12", ["x12"]),
        ("mobile: unknown, 919999000001", ["unknown"]),
        ("Mobile no. is: +91 99990 00001", []),
    ],
)
def test_names_and_chatter_around_a_mobile_are_ignored_not_read_as_external_ids(text, words):
    assert found(text) == [("mobile", "919999000001")]
    assert ignored(text) == words


def test_a_label_skips_is_and_a_dash_and_takes_only_a_value_of_its_kind():
    assert found("Email - a@b.c") == [("email", "a@b.c")]
    assert found("the email is A@B.c thanks") == [("email", "a@b.c")]
    assert ignored("the email is A@B.c thanks") == ["the", "thanks"]
    # A value that cannot be of the label's type is read on its own.
    assert found("card: none SBXC00010001") == [("cardnumber", "SBXC00010001")]
    # A dash without spaces is part of a value, not a label's separator.
    assert found("card-1234") == [("externalId", "card-1234")]


def test_words_alone_or_with_digits_or_labelled_stay_external_ids():
    assert found("iyer-household") == [("externalId", "iyer-household")]
    # Letters alone are a name, which cannot be searched: nothing is found.
    assert found("gold member") == []
    assert ignored("gold member") == ["gold", "member"]
    assert found("919999000001 SBX-0001") == [
        ("mobile", "919999000001"),
        ("externalId", "SBX-0001"),
    ]
    assert found("919999000001 external id: household") == [
        ("mobile", "919999000001"),
        ("externalId", "household"),
    ]


def test_the_clash_message_leaves_the_values_out():
    """The message goes to the audit trail: the values typed must not be in it."""
    for text in ("SBX-0001 SBX-0002", "card: SBXC00010001 card: SBXC00020002"):
        (problem,) = identifier_problems(detect(text))
        for value in ("SBX-0001", "SBX-0002", "SBXC00010001", "SBXC00020002"):
            assert value not in problem
        assert "2 values read as" in problem
    (problem,) = identifier_problems(detect("SBX-0001"), given=["externalId"])
    assert "rows under Advanced" in problem
    assert identifier_problems(detect("SBX-0001"), given=["mobile"]) == []


def test_relabel_works_on_the_cleaned_text_its_positions_are_in():
    text = "\u202a919999000001\u202c a@b.c"
    first = detect(text)[0]
    assert relabel(text, first, "cardnumber") == "card: 919999000001 a@b.c"


@pytest.mark.parametrize(
    ("typed", "value", "shown"),
    [
        ("99990 00003", "919999000003", "+91 99990 00003"),
        ("099990 00003", "919999000003", "+91 99990 00003"),
        ("9123456789", "919123456789", "+91 9123456789"),
        ("+91 99990 00003", "919999000003", "919999000003"),
        ("0091 99990 00003", "919999000003", "919999000003"),
        ("919999000003", "919999000003", "919999000003"),
        ("+44 7700 900123", "447700900123", "447700900123"),
    ],
)
def test_a_national_number_is_completed_with_the_orgs_country_code(settings, typed, value, shown):
    settings.DEFAULT_COUNTRY_CODE = "91"

    (item,) = read(typed)

    assert (item.kind, item.value, item.shown, item.problem) == ("mobile", value, shown, "")


@pytest.mark.parametrize("typed", ["0999 1234", "+91 9999 0003"])
def test_a_number_that_cannot_be_a_mobile_of_the_org_says_why(settings, typed):
    settings.DEFAULT_COUNTRY_CODE = "91"

    (problem,) = identifier_problems(detect(typed))

    assert "a +91 mobile has 10 digits after the country code" in problem
    assert "9999" not in problem and "1234" not in problem


def test_without_a_country_code_a_national_number_is_searched_as_typed(settings):
    settings.DEFAULT_COUNTRY_CODE = ""

    assert found("99990 00003") == [("mobile", "9999000003")]
