"""The page's language: the shipped set only (any other browser language gets English), the
header's picker, and a signed-in user's choice kept for them, on any browser."""

import re

import pytest
from django.test import Client

from customers.accounts.models import LanguagePreference
from customers.audit.models import AuditEntry
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

GERMAN = "de-DE,de;q=0.9"
ARABIC = "ar-SA,ar;q=0.9"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode())[0]


def test_a_german_browser_gets_the_sign_in_page_in_english():
    response = Client(headers={"accept-language": GERMAN}).get("/accounts/login/")

    assert html_tag(response) == '<html lang="en-gb" dir="ltr">'
    assert response["Content-Language"] == "en-gb"
    assert "Anmelden" not in response.content.decode()


def test_an_arabic_browser_gets_a_right_to_left_page(agent, client):
    response = client.get("/", headers={"accept-language": ARABIC})

    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_an_indian_english_browser_gets_english_with_indias_grouping_and_a_us_one_the_default():
    india = Client(headers={"accept-language": "en-IN,en;q=0.9"}).get("/accounts/login/")
    us = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/accounts/login/")

    assert html_tag(india) == '<html lang="en-in" dir="ltr">'
    assert html_tag(us) == '<html lang="en-gb" dir="ltr">'


def test_the_picker_offers_the_four_languages_by_their_own_names(agent, client):
    page = client.get("/", headers={"accept-language": "en-IN"}).content.decode()
    form = page[page.index('<form class="language-form"') :]
    form = form[: form.index("</form>")]

    assert 'action="/i18n/setlang/"' in form
    assert "csrfmiddlewaretoken" in form
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)"( selected)?>([^<]+)<', form)
    assert [(value, lang, name) for value, lang, _, name in options] == [
        ("en-gb", "en-gb", "English"),
        ("hi", "hi", "हिन्दी"),
        ("ar", "ar", "العربية"),
        ("zh-hans", "zh-hans", "简体中文"),
    ]
    # India's English is English in the picker.
    assert [value for value, _, selected, _ in options if selected] == ["en-gb"]


def test_the_sign_in_page_has_the_picker_too():
    page = Client().get("/accounts/login/").content.decode()

    assert 'action="/i18n/setlang/"' in page
    assert 'lang="zh-hans"' in page


def test_a_chosen_language_is_kept_for_the_user_and_beats_the_browser_on_another_one(agent):
    first = Client(headers={"accept-language": GERMAN})
    first.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    chosen = first.post("/i18n/setlang/", {"language": "hi", "next": "/"})

    assert chosen.status_code == 302 and chosen["Location"] == "/"
    assert html_tag(first.get("/")) == '<html lang="hi" dir="ltr">'

    # Another browser, set to Arabic: signing in brings Hindi.
    other = Client(headers={"accept-language": ARABIC})
    assert html_tag(other.get("/accounts/login/")) == '<html lang="ar" dir="rtl">'
    other.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert html_tag(other.get("/")) == '<html lang="hi" dir="ltr">'

    # Signed out there, its sign-in page stays in the user's language (the cookie).
    other.post("/accounts/logout/")
    assert html_tag(other.get("/accounts/login/")) == '<html lang="hi" dir="ltr">'


def test_choosing_again_changes_the_kept_language(agent, client):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert LanguagePreference.objects.get(user=agent).language == "zh-hans"
    assert html_tag(client.get("/", headers={"accept-language": ARABIC})) == (
        '<html lang="zh-hans" dir="ltr">'
    )


@pytest.mark.parametrize("language", ["de", "xx-invalid", "", "../../etc"])
def test_a_language_outside_the_set_is_not_kept_and_changes_nothing(agent, client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})

    assert response.status_code == 302
    assert not LanguagePreference.objects.exists()
    assert html_tag(client.get("/", headers={"accept-language": GERMAN})) == (
        '<html lang="en-gb" dir="ltr">'
    )


def test_choosing_a_language_needs_the_forms_csrf_token(agent):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent)

    assert browser.post("/i18n/setlang/", {"language": "hi"}).status_code == 403
    assert not LanguagePreference.objects.exists()


def test_a_language_chosen_before_signing_in_is_the_sign_in_pages():
    browser = Client(headers={"accept-language": GERMAN})
    browser.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/login/"})

    assert html_tag(browser.get("/accounts/login/")) == '<html lang="ar" dir="rtl">'
    assert not LanguagePreference.objects.exists()


def test_the_javascript_catalogue_loads_before_our_scripts_without_signing_in(agent, client):
    page = client.get("/").content.decode()
    catalogue = Client().get("/i18n/js/")

    assert catalogue.status_code == 200
    assert "javascript" in catalogue["Content-Type"]
    assert "django.gettext" in catalogue.content.decode()
    assert page.index('src="/i18n/js/"') < page.index("customers/lookup.js")


def test_choosing_a_language_on_a_searchs_own_url_does_not_search_again(agent, client, sandbox):
    """The not-found page of a GET lookup is the lookup's URL: back there the search would run
    again (an audited lookup, a backend call); the picker returns to the search page instead."""
    found = "/lookup/?identifierName=mobile&identifierValue=919999999999&source=INSTORE"
    client.get(found)
    lookups = AuditEntry.objects.count()

    response = client.post(
        "/i18n/setlang/", {"language": "hi"}, headers={"referer": "http://testserver" + found}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert AuditEntry.objects.count() == lookups


@pytest.mark.parametrize(
    ("fields", "headers"),
    [
        ({"next": "https://evil.example/"}, {}),
        ({"next": "//evil.example/"}, {}),
        ({}, {"referer": "https://evil.example/page"}),
    ],
)
def test_the_picker_never_sends_anyone_to_another_site(agent, client, fields, headers):
    response = client.post("/i18n/setlang/", {"language": "ar", **fields}, headers=headers)

    assert response.status_code == 302
    assert response["Location"] == "/"
