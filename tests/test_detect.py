"""The one search box's reading of a paste (customers.detect): each rule of its docstring, the
ambiguous cases, and how a correction (a label) changes the reading."""

import pytest

from customers.detect import detect, guess, identifier_problems, relabel


def read(text: str) -> list[tuple[str, str]]:
    return [(item.kind, item.value) for item in detect(text)]


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
    ],
)
def test_a_mobile_in_any_common_formatting_is_read_as_the_same_mobile(text):
    assert read(text) == [("mobile", "919999000001")]


def test_labels_commas_and_new_lines_separate_a_messy_paste():
    text = "Mobile: 919999000001, A@B.c\nCard No: SBXC00010001; external id = SBX-0001"
    assert read(text) == [
        ("mobile", "919999000001"),
        ("email", "a@b.c"),
        ("cardnumber", "SBXC00010001"),
        ("externalId", "SBX-0001"),
    ]


def test_spaces_separate_values_but_not_the_groups_of_a_phone_number():
    assert read("+91 99990 00001 aarav.sharma@sandbox.example SBX-0001") == [
        ("mobile", "919999000001"),
        ("email", "aarav.sharma@sandbox.example"),
        ("externalId", "SBX-0001"),
    ]
    # Two mobiles written one after the other are two values, not one 24-digit number.
    assert read("919999000001 919999000002") == [
        ("mobile", "919999000001"),
        ("mobile", "919999000002"),
    ]


def test_a_numeric_card_number_that_looks_like_a_mobile_reads_as_a_mobile_until_labelled():
    """The ambiguous case: 8 to 15 digits are a mobile (what callers give most); a label is
    how the agent says otherwise, and the label wins."""
    assert read("919999000001") == [("mobile", "919999000001")]
    assert read("card: 919999000001") == [("cardnumber", "919999000001")]
    assert read("Card number 9199 9900 0001") == [("cardnumber", "919999000001")]


def test_a_numeric_external_id_reads_as_a_mobile_unless_it_is_short_or_labelled():
    assert read("12345678") == [("mobile", "12345678")]
    assert read("external id: 12345678") == [("externalId", "12345678")]
    assert read("ext 12345678") == [("externalId", "12345678")]
    # Fewer than 8 digits cannot be a mobile with its country code.
    assert read("1234567") == [("externalId", "1234567")]


def test_a_mobile_without_its_country_code_stays_a_mobile_so_the_query_can_say_so():
    """`0...` is not searched as an external id: the query refuses it with the message about
    the country code."""
    assert read("09999 000001") == [("mobile", "09999000001")]


def test_payment_style_card_numbers_and_letter_digit_codes_are_card_numbers():
    assert read("4111 1111 1111 1111") == [("cardnumber", "4111111111111111")]
    assert read("4111111111111111") == [("cardnumber", "4111111111111111")]
    assert read("SBXC00010001") == [("cardnumber", "SBXC00010001")]
    # A dash, or fewer than 8 characters, makes it an external id.
    assert read("SBX-0001 ABC123") == [("externalId", "SBX-0001"), ("externalId", "ABC123")]
    assert read("iyer-household") == [("externalId", "iyer-household")]


def test_an_email_is_anything_with_an_at_sign_and_labels_do_not_break_addresses():
    assert read("mail@example.com") == [("email", "mail@example.com")]
    assert read("e-mail: Card@Example.COM") == [("email", "card@example.com")]
    assert guess("not an email@") == "email"


def test_a_label_gives_its_type_to_the_first_value_after_it_only():
    assert read("card: 919999000001 a@b.c") == [
        ("cardnumber", "919999000001"),
        ("email", "a@b.c"),
    ]
    assert read("wechat: wx_12345") == [("wechat", "wx_12345")]


def test_the_same_value_twice_counts_once_and_empty_text_or_a_bare_label_reads_as_nothing():
    assert read("919999000001, +91 99990 00001") == [("mobile", "919999000001")]
    assert read("") == []
    assert read(" ,\n ; ") == []
    assert read("mobile:") == []


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
    assert read(changed) == [("cardnumber", "919999000001"), ("email", "a@b.c")]
    plain = "12345678"
    assert read(relabel(plain, detect(plain)[0], "externalId")) == [("externalId", "12345678")]


def test_positions_point_at_the_value_as_written():
    text = "call back on +91 99990 00001 today"
    item = next(item for item in detect(text) if item.kind == "mobile")
    assert text[item.start : item.end] == "+91 99990 00001"
    assert item.raw == "+91 99990 00001"


def test_very_long_text_is_read_up_to_the_limit_without_error():
    text = "a@b.c " * 2000
    assert read(text) == [("email", "a@b.c")]


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
