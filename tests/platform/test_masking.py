"""The masking rules: one module, every rule, never a crash."""

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from customers.masking import (
    identifier_hash,
    is_masked_by_capillary,
    mask_email,
    mask_identifier,
    mask_mobile,
    mask_name,
    mask_value,
    redact_text,
)

MASKERS = [mask_email, mask_mobile, mask_name]
ANY_VALUE = st.one_of(st.none(), st.integers(), st.floats(), st.text(), st.binary())


def test_it_masks_an_email_to_first_letters_and_top_level_domain():
    """An email keeps the first letter of each part and the top-level domain."""
    assert mask_email("john@example.com") == "j***@e***.com"
    assert mask_email("  Anna.Lee@mail.example.co.uk ") == "A***@m***.uk"


def test_it_masks_a_mobile_keeping_country_code_and_last_four():
    """A mobile keeps its two-digit country code and last four digits, with or without
    punctuation."""
    assert mask_mobile("919999000001") == "91******0001"
    assert mask_mobile("+91 99990-00001") == "91******0001"


def test_it_masks_a_short_number_without_revealing_more_than_half():
    """A number too short to be a mobile with country code keeps at most half its digits."""
    assert mask_mobile("123456") == "***456"
    assert mask_mobile("12") == "*2"


def test_it_masks_a_name_keeping_initials():
    """Each word of a name keeps its first letter."""
    assert mask_name("John Smith") == "J*** S****"


def test_it_masks_unicode_names_and_emails():
    """Accented, hyphenated and CJK names and internationalised emails mask by characters."""
    assert mask_name("José Müller-Lüdenscheidt") == "J*** M*****-L***********"
    assert mask_name("王小明") == "***"
    assert mask_email("ünïcode@exämple.de") == "ü***@e***.de"
    # A decomposed accent is composed first, so it is masked with its letter.
    assert mask_name("Jose\u0301") == "J***"


def test_it_keeps_the_last_four_of_cards_external_ids_and_wechat_ids():
    """Non-contact identifiers keep their last four characters, which staff read back."""
    assert mask_identifier("cardnumber", "1234567890123456") == "************3456"
    assert mask_identifier("externalId", "EXT-00042-77") == "********2-77"
    assert mask_identifier("wechat", "wx_abcdefgh") == "*******efgh"
    assert mask_identifier("mobile", "919999000001") == "91******0001"
    assert mask_identifier("email", "john@example.com") == "j***@e***.com"


def test_it_returns_values_capillary_already_masked_unchanged():
    """`*****` from Capillary's own PII masking is shown as Capillary sent it."""
    for masker in MASKERS:
        assert masker("*****") == "*****"
    assert mask_identifier("externalId", "*****") == "*****"
    assert mask_value("dob", "*****") == "*****"
    assert is_masked_by_capillary("*****")


def test_it_masks_a_typed_value_that_merely_contains_stars():
    """A value with stars and digits is data, not Capillary's mask, and is masked."""
    assert not is_masked_by_capillary("919999000001*****")
    assert "9999000001" not in mask_identifier("mobile", "919999000001*****")


@override_settings(SENSITIVE_FIELDS=["dob", "Address"])
def test_it_masks_custom_fields_marked_sensitive_and_leaves_others():
    """Fields named in SENSITIVE_FIELDS are fully masked, case-insensitively; identifier-like
    fields use their identifier's rule; the rest show as they are."""
    assert mask_value("dob", "1990-05-17") == "********"
    assert mask_value("ADDRESS", "12 High Street") == "********"
    assert mask_value("email", "john@example.com") == "j***@e***.com"
    assert mask_value("favourite_store", "Bandra") == "Bandra"
    assert mask_value("dob", "") == ""
    assert mask_value("tier", None) == ""


def test_it_caps_the_length_of_a_mask():
    """A very long value does not make a very long mask."""
    assert len(mask_identifier("externalId", "x" * 10_000)) <= 16
    assert len(mask_mobile("9" * 500)) <= 18


def test_it_masks_one_letter_names_whole():
    """In `李 伟` each part is one character: the initial would be the whole name."""
    assert mask_name("李 伟") == "* *"
    assert mask_name("J Smith") == "* S****"


def test_it_redacts_emails_and_long_numbers_in_free_text():
    """A reason typed by staff loses any email and phone number it contains."""
    text = redact_text("Member 919999000001 (john@example.com) called, ticket 4512")
    assert text == "Member 91******0001 (j***@e***.com) called, ticket 4512"


def test_it_leaves_digit_runs_inside_request_ids_alone():
    """Hex request ids often hold nine digits in a row; they stay whole so logs can be traced,
    while a number standing alone in a logged query string is still masked."""
    line = "GET /lookup/?identifierValue=919999000001&x=1 request_id=ad810289559124c4baeaa930"
    assert redact_text(line) == (
        "GET /lookup/?identifierValue=91******0001&x=1 request_id=ad810289559124c4baeaa930"
    )


@override_settings(AUDIT_HASH_KEY="key-one")
def test_it_hashes_the_same_identifier_typed_differently_alike():
    """The hash ignores spaces, `+`, dashes and letter case, so an auditor finds a lookup
    whichever way the number or address was typed."""
    assert identifier_hash("+91 99990-00001") == identifier_hash("919999000001")
    assert identifier_hash("John@Example.com ") == identifier_hash("john@example.com")
    assert identifier_hash("919999000001") != identifier_hash("919999000002")
    assert len(identifier_hash("919999000001")) == 64


def test_it_keys_the_hash_with_the_audit_hash_key():
    """Another key gives another hash: the hashes cannot be matched without the key."""
    with override_settings(AUDIT_HASH_KEY="key-one"):
        first = identifier_hash("919999000001")
    with override_settings(AUDIT_HASH_KEY="key-two"):
        second = identifier_hash("919999000001")
    assert first != second


@pytest.mark.parametrize("masker", [*MASKERS, redact_text, identifier_hash])
@given(value=ANY_VALUE)
def test_it_never_raises_on_any_value(masker, value):
    """Any value at all (None, numbers, bytes, control characters, huge text) gives a string."""
    assert isinstance(masker(value), str)


@given(name=st.text(max_size=20), value=ANY_VALUE)
def test_it_never_raises_on_any_identifier_or_field(name, value):
    """mask_identifier and mask_value take any name and any value."""
    assert isinstance(mask_identifier(name, value), str)
    assert isinstance(mask_value(name, value), str)


@given(digits=st.text(alphabet="0123456789", min_size=10, max_size=15))
def test_it_never_shows_a_whole_mobile(digits):
    """A masked mobile is its country code, stars, and its last four digits: nothing between."""
    masked = mask_mobile(digits)
    assert masked[:2] == digits[:2]
    assert masked[-4:] == digits[-4:]
    assert set(masked[2:-4]) == {"*"}


@given(value=st.text(min_size=8, max_size=200).filter(lambda v: v.strip().strip("*")))
def test_it_never_returns_a_long_identifier_unmasked(value):
    """Whatever the identifier type, a value of eight or more characters comes back changed."""
    for name in ("mobile", "email", "externalId", "cardnumber", "wechat"):
        assert mask_identifier(name, value) != value.strip() or len(value.strip()) < 2


def test_the_log_filter_masks_identifiers_in_every_line():
    """A log line through the configured console handler never carries a full mobile or
    email, also when it is URL-encoded in a logged query string."""
    import logging

    from django.conf import settings

    from customers.masking import RedactingLogFilter

    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["redact"]
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /lookup/?identifierValue=919999000001,john%40example.com HTTP/1.1", 302),
        None,
    )
    assert RedactingLogFilter().filter(record)
    line = record.getMessage()
    assert "9999000001" not in line
    assert "john" not in line
    assert line == '"GET /lookup/?… HTTP/1.1" 302'


@pytest.mark.parametrize(
    "query",
    [
        "identifierValue=%2B919999000001",
        "identifierValue=%20+91%20999%20900%200001",
        "identifierValue=%EF%BC%99%EF%BC%91%EF%BC%99%EF%BC%99",
        "identifierValue=919999000009identifierName=mobile",
    ],
)
def test_the_log_filter_drops_query_strings_however_they_are_encoded(query):
    """An identifier can hide in a query string in many encodings: the query goes whole."""
    import logging

    from customers.masking import RedactingLogFilter

    line = (f"GET /lookup/?{query} HTTP/1.1", 400)
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s', line, None)
    RedactingLogFilter().filter(record)
    assert record.getMessage() == '"GET /lookup/?… HTTP/1.1" 400'


def test_the_log_filter_keeps_the_status_and_size_of_a_development_server_line():
    """runserver logs '"<request line>" <status> <size>': "200 285314" is not a phone number,
    and a 500 must stay visible as a 500."""
    import logging

    from customers.masking import RedactingLogFilter

    for args, expected in (
        (("GET /static/admin/js/jquery.js HTTP/1.1", "200", "285314"), "200 285314"),
        (("POST /accounts/login/ HTTP/1.1", "500", "145562"), "500 145562"),
        (("GET /lookup/?identifierValue=919999000001 HTTP/1.1", "302", "0"), "302 0"),
    ):
        record = logging.LogRecord(
            "django.server", logging.INFO, __file__, 1, '"%s" %s %s', args, None
        )
        assert RedactingLogFilter().filter(record)
        assert record.getMessage().endswith(f'HTTP/1.1" {expected}')
        assert "919999000001" not in record.getMessage()
    # The server's other lines (a malformed request) keep their own format, and are masked.
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        __file__,
        1,
        "code %d, message %s",
        (400, "Bad request syntax ('GET /lookup/?identifierValue=919999000001&reason=a b')"),
        None,
    )
    assert RedactingLogFilter().filter(record)
    assert record.getMessage() == "code 400, message Bad request syntax ('GET /lookup/?… b')"


def test_the_log_filter_keeps_customer_ids_in_paths():
    """`/customers/123456789/` is a customer id, not a phone number: it stays traceable."""
    assert redact_text("page=/customers/123456789012/ mobile 919999000001") == (
        "page=/customers/123456789012/ mobile 91******0001"
    )


def filtered_error_record():
    """An error record whose exception quotes an email, after the console's redacting filter."""
    import logging
    import sys

    from customers.masking import RedactingLogFilter

    try:
        raise ValueError("no customer for john@example.com")
    except ValueError:
        record = logging.LogRecord(
            "customers", logging.ERROR, __file__, 1, "lookup failed", (), sys.exc_info()
        )
    assert RedactingLogFilter().filter(record)
    return record


def test_the_log_filter_masks_identifiers_in_tracebacks_too():
    """An exception's message can quote an email; the formatted traceback is masked as well."""
    import logging

    text = logging.Formatter().format(filtered_error_record())
    assert "john@example.com" not in text
    assert "j***@e***.com" in text
    assert "Traceback" in text


def test_json_log_lines_keep_the_masked_traceback():
    """LOG_FORMAT=json: the line after the filter still carries the traceback, masked."""
    import json

    from lookupsite.log import JsonFormatter

    record = filtered_error_record()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "lookup failed"
    assert "ValueError: no customer for j***@e***.com" in line["exception"]


def test_pages_mask_contact_details_and_show_cards_and_external_ids():
    """On a page, names, mobiles, emails and WeChat ids are masked; card numbers and external
    ids are shown (staff read them back; Capillary never masks them); other fields follow
    SENSITIVE_FIELDS."""
    from customers.masking import mask_for_page

    assert mask_for_page("name", "John Smith") == "J*** S****"
    assert mask_for_page("Mobile", "919999000001") == "91******0001"
    assert mask_for_page("wechat", "wx-lee-2024") == "*******2024"
    assert mask_for_page("cardnumber", "CARD-0001") == "CARD-0001"
    assert mask_for_page("externalId", "SBX-0001") == "SBX-0001"
    assert mask_for_page("dob", "1990-01-01") == "********"
    assert mask_for_page("favourite_store", "Bandra") == "Bandra"


def test_pages_mask_every_identifier_or_channel_type_but_cards_and_external_ids():
    """LINE ids, WhatsApp numbers, push tokens and types Capillary may add later are ways to
    reach the member: masked as identifiers, whatever their name."""
    from customers.masking import mask_for_page

    assert mask_for_page("line", "lineAS6-private-id", identifier=True) == "************e-id"
    assert mask_for_page("whatsapp", "919999000077", identifier=True) == "********0077"
    assert mask_for_page("mobilePush", "token-abcdef", identifier=True) == "********cdef"
    assert mask_for_page("cardnumber", "CARD-0001", identifier=True) == "CARD-0001"
    assert mask_for_page("externalId", "SBX-0001", identifier=True) == "SBX-0001"
    # The same words as custom fields' names follow SENSITIVE_FIELDS, as before.
    assert mask_for_page("line", "Prime", identifier=False) == "Prime"


def test_the_log_filter_masks_phone_numbers_however_written_but_keeps_addresses():
    """Dots, parentheses and a leading + are phone formatting too; an IPv4 address is not a
    phone number, however many digits it has."""
    line = "from 192.168.100.200 about 91.9999.000001 and +1 (555) 123-4567"
    assert redact_text(line) == "from 192.168.100.200 about 91******0001 and 15*****4567"
