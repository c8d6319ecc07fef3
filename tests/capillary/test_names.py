"""A member's name in its script's order: the one place names are composed (person_name, which
Profile.full_name, the pages, the ticket summary and the recent lookups all go through)."""

import pytest

from customers.capillary.records import Customer, person_name


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        # Chinese, Japanese and Korean: family name first, no space between the parts.
        ("伟", "李", "李伟"),
        ("静", "陈", "陈静"),
        ("太郎", "山田", "山田太郎"),
        ("さくら", "佐藤", "佐藤さくら"),
        ("ケンジ", "タナカ", "タナカケンジ"),
        ("ユーコ", "サトー", "サトーユーコ"),  # the long-vowel mark is Katakana's
        ("민준", "김", "김민준"),
        # Every other script: first name, a space, last name.
        ("Tom", "Sawyer", "Tom Sawyer"),
        ("रवि", "शर्मा", "रवि शर्मा"),
        ("فاطمة", "السيد", "فاطمة السيد"),
        ("Tomás", "Ibáñez", "Tomás Ibáñez"),
        # Parts in different scripts keep "first last"; a missing part leaves no space.
        ("Wei", "李", "Wei 李"),
        ("伟", "Li", "伟 Li"),
        ("伟", "", "伟"),
        ("", "李", "李"),
        ("", "", ""),
        ("  伟 ", " 李", "李伟"),
    ],
)
def test_a_name_reads_in_its_scripts_order(first, last, name):
    assert person_name(first, last) == name


def test_the_order_follows_the_name_not_the_page_language(settings):
    """The same name reads family name first whatever language the page is in."""
    from django.utils import translation

    for language in ("en-gb", "ar", "hi"):
        with translation.override(language):
            assert person_name("伟", "李") == "李伟"
            assert person_name("Wei", "Li") == "Wei Li"


def test_the_customer_and_its_profiles_compose_names_the_same_way():
    customer = Customer.from_json(
        {"id": 8, "profiles": [{"firstName": "伟", "lastName": "李", "source": "WECHAT"}]}
    )
    assert customer.profiles[0].full_name == "李伟"
    assert customer.display_name == "李伟"
