"""Search, lookup and the customer pages, through Django's test client against the sandbox.

Failures of the backend are played by a real HTTP server on loopback (tests.faultserver).
"""

import logging
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from customers.audit.models import Action, AuditEntry, Outcome
from customers.capillary.records import Customer
from customers.lookup import services
from customers.pages.tabs import SECTIONS
from customers.sandbox.examples import showcase
from tests.faultserver import errors, refused_url, reply
from tests.html_tree import Element, parse

pytestmark = pytest.mark.django_db

MOBILE = "919999000001"
AARAV = 5000001
LOOKUP_PATH = "/v2/customers/lookup/customerDetails"


@pytest.fixture
def server(fault_backend):
    """A misbehaving backend on loopback, with Basic credentials and a short timeout."""
    return fault_backend


def lookup_url(**params: str) -> str:
    defaults = {"source": "INSTORE", "identifierName": "mobile", "identifierValue": MOBILE}
    defaults.update(params)
    return "/lookup/?" + urlencode(defaults)


def links_of(html: str) -> list[str]:
    """Every href and form action of a page."""
    page = parse(html)
    return [e[name] for name in ("href", "action") for e in page.find_all(**{name: True})]


def page_of(response) -> Element:
    return parse(response.content.decode())


def selected(page: Element, name: str) -> list[str]:
    """The values of the options selected in the form's select of this name."""
    return [o["value"] for o in page.find("select", name=name).find_all("option", selected=True)]


def request_ids(page: Element) -> list[str]:
    """The ids a failure page lists under "request ids"."""
    return [code.text for code in page.find("dl", class_="request-ids").find_all("code")]


# The search page


def test_the_search_page_offers_every_field_with_sensible_defaults(client, sandbox, agent):
    """Source (INSTORE), identifier rows, 14 grouped embeds with defaults, advanced options."""
    response = client.get("/")
    form = page_of(response).find("form", id="search-form")

    assert response.status_code == 200
    assert selected(form, "source") == ["INSTORE"]
    assert len(form.find_all("input", name="identifierValue")) == 3
    embeds = form.find_all("input", type="checkbox", name="embed")
    assert len(embeds) == 14
    ticked = {box["value"] for box in embeds if "checked" in box.attrs}
    assert {"mlp", "points", "alternateCurrencies", "subscriptions", "segments"} <= ticked
    assert "ignoreCardDetails" not in ticked
    legends = [legend.text for legend in form.find_all("legend")]
    assert {"Tiers & points", "Cards", "Profile"} <= set(legends)
    assert form.find("details").find_all("input", name="gapToUpgrade")
    assert form.find_all("input", name="includedFraudDetails")
    assert form.find_all("input", name="reason")
    assert form.find("textarea", id="id_q", autofocus=True)
    assert response["X-Request-ID"]


def test_the_search_form_asks_for_fraud_details_by_default_and_can_be_unticked(
    client, sandbox, agent
):
    """The fresh form ticks includedFraudDetails (advanced options stay folded); a search
    sent without it keeps it unticked when the form comes back."""
    fresh = page_of(client.get("/"))
    assert fresh.find("input", name="includedFraudDetails", value="true", checked=True)
    assert fresh.find("details", class_="advanced", open=False)

    refused = page_of(client.get(lookup_url(identifierValue="0999")))
    assert refused.find("input", name="includedFraudDetails", value="true", checked=False)
    assert refused.find("details", class_="advanced", open=True)


def test_a_search_with_the_forms_defaults_shows_a_fraud_mark(client, sandbox, agent):
    """The confirmed-fraud member searched as the form sends it by default gets the badge next
    to the name and the status in the copy summary."""
    defaults = [("source", "INSTORE"), ("identifierName", "mobile")]
    defaults += [("identifierValue", "919999000006"), ("includedFraudDetails", "true")]
    defaults += [("embed", name) for name in ("mlp", "points", "customerStatus")]

    response = client.get("/lookup/?" + urlencode(defaults), follow=True)
    page = page_of(response)

    assert page.find("h1").find("span", class_="fraud-badge").text == "Fraud: CONFIRMED"
    assert "Fraud status: CONFIRMED" in page.find("textarea", id="copy-summary").text
    assert "Include fraud details”" not in page.text


def test_recent_lookups_show_masked_identifiers_and_link_by_customer_id(client, sandbox, agent):
    """The search page lists the user's own lookups, masked, linking to /customers/<id>/."""
    client.get(lookup_url())
    other = User.objects.create_user("other")
    AuditEntry.objects.log_action(
        user=other,
        action=Action.LOOKUP,
        outcome=Outcome.FOUND,
        identifiers=[("email", "someone@example.com")],
        customer_id="5000002",
    )

    html = client.get("/").content.decode()
    recent = parse(html).find("section", class_="recent-lookups")

    assert "91******0001" in recent.text
    assert MOBILE not in html
    assert [a["href"] for a in recent.find("table").find_all("a")] == [f"/customers/{AARAV}/"]
    assert "5000002" not in html


# Lookup


def test_a_form_search_redirects_to_the_customer_page(client, sandbox, agent):
    """The form's repeated fields, spare rows left empty, find the member."""
    query = urlencode(
        [
            ("source", "INSTORE"),
            ("accountId", ""),
            ("identifierName", "mobile"),
            ("identifierValue", "+91 99990 00001"),
            ("identifierName", ""),
            ("identifierValue", ""),
            ("identifierName", ""),
            ("identifierValue", ""),
            ("embed", "mlp"),
            ("embed", "points"),
            ("reason", "ticket 4711"),
        ]
    )
    response = client.get("/lookup/?" + query)

    assert response.status_code == 303
    assert response["Location"] == f"/customers/{AARAV}/"


def test_a_pasted_api_query_string_redirects_to_the_customer_page(client, sandbox, agent):
    """The API's own comma-joined lists work too (dual eligibility: the mobile decides)."""
    response = client.get(
        "/lookup/?source=INSTORE&identifierName=email,mobile"
        "&identifierValue=gupta.family@sandbox.example,919999000004"
        "&embed=mlp,points,subscriptions&gapToUpgrade=0"
    )

    assert response.status_code == 303
    assert re.fullmatch(r"/customers/\d+/", response["Location"])
    page = client.get(response["Location"])
    assert page.context["customer"].id == int(response["Location"].split("/")[2])


def test_a_lookup_writes_one_audit_entry_with_masked_identifiers(client, sandbox, agent):
    """Action lookup, outcome found, backend request id and latency, the reason, no plaintext."""
    client.get(lookup_url(embed="mlp,points", reason="ticket 4711"))

    entry = AuditEntry.objects.get(action=Action.LOOKUP)
    assert entry.outcome == Outcome.FOUND
    assert entry.customer_id == str(AARAV)
    assert entry.request_id and entry.app_request_id
    assert entry.latency_ms is not None
    assert entry.reason == "ticket 4711"
    assert entry.embeds == "mlp,points"
    assert entry.identifiers == [{"name": "mobile", "value": "91******0001"}]
    assert MOBILE not in str(entry.identifiers)


def test_the_page_a_lookup_lands_on_is_audited_once_with_the_lookup(client, sandbox, agent):
    """Lookup then its redirect: one entry. Every later page view has its own entry."""
    client.get(lookup_url(), follow=True)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [Action.LOOKUP]

    client.get(f"/customers/{AARAV}/")
    client.get(lookup_url(), follow=False)
    client.get(f"/customers/{AARAV}/cards/")  # not the landing: the next overview is a view
    client.get(f"/customers/{AARAV}/")

    views = AuditEntry.objects.filter(action=Action.VIEW_SECTION).order_by("pk")
    assert [entry.detail for entry in views] == [
        "overview (cached)",
        "cards (cached)",
        "overview (cached)",
    ]


def test_a_landing_that_had_to_call_the_backend_again_is_audited(client, sandbox, agent):
    """The lookup's answer gone before the redirect arrived: that backend call has its entry."""
    response = client.get(lookup_url())
    query = services.page_query(AARAV, user=agent)
    cache.delete(services._key(agent, AARAV, services._entry_query(query)))

    client.get(response["Location"])

    entry = AuditEntry.objects.get(action=Action.VIEW_SECTION)
    assert (entry.outcome, entry.detail) == (Outcome.OK, "overview")
    assert entry.latency_ms is not None


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_lookup_link_from_another_site_opens_the_search_filled_in(
    client, sandbox, agent, backend_calls, site
):
    """Another site's link cannot run a lookup (and audit a reason) in the agent's name: the
    search opens with its values and a note, nothing is called, spent or written."""
    response = client.get(lookup_url(reason="ticket 666"), HTTP_SEC_FETCH_SITE=site)
    page = page_of(response)

    assert response.status_code == 200
    assert "This search came from a link" in page.text
    assert page.find("input", id="id_identifierValue_1")["value"] == MOBILE
    assert page.find("input", name="reason")["value"] == "ticket 666"
    assert backend_calls() == []
    assert not AuditEntry.objects.exists()


def test_a_cross_site_link_writes_nothing_for_someone_who_may_not_look_up(client, sandbox):
    """An auditor sent a lookup link by another site gets the 403 page; the other site's
    identifiers and reason are not written to the audit trail in the auditor's name."""
    auditor = User.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    client.force_login(auditor)

    response = client.get(lookup_url(reason="ticket 666"), HTTP_SEC_FETCH_SITE="cross-site")

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_lookup_link_followed_through_signing_in_opens_the_search_filled_in(
    client, sandbox, backend_calls
):
    """Signed out, the link leads to the sign-in page; signing in returns to the lookup with
    `confirm`, which opens the search filled in: the link may have come from another site."""
    user = User.objects.create_user("agent", password="agent-password-1")
    user.groups.add(Group.objects.get(name="Support agents"))
    to_login = client.get(lookup_url(reason="ticket 666"))
    assert to_login["Location"].startswith("/accounts/login/?next=")

    signed_in = client.post(
        to_login["Location"], {"username": "agent", "password": "agent-password-1"}
    )
    assert "confirm=1" in signed_in["Location"]
    response = client.get(signed_in["Location"])
    page = page_of(response)

    assert response.status_code == 200
    assert "This search came from a link" in page.text
    assert page.find("input", id="id_identifierValue_1")["value"] == MOBILE
    assert page.find("input", name="reason")["value"] == "ticket 666"
    assert backend_calls() == []
    # Only the sign-in is in the audit trail: no lookup was attempted.
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [Action.SIGN_IN]
    # Pressing Search sends the form without `confirm`: the lookup runs.
    assert client.get(lookup_url(reason="ticket 666")).status_code == 303


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_REFERER": "https://tickets.example.com/issue/4711"},
        {"HTTP_ORIGIN": "https://tickets.example.com"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_without_sec_fetch_site_the_origin_or_referer_tells_another_sites_link(
    client, sandbox, agent, backend_calls, header
):
    """A browser that sends no Sec-Fetch-Site still names the page the link was on: another
    origin's link (or an opaque one) opens the search filled in, and nothing runs."""
    response = client.get(lookup_url(), **header)

    assert response.status_code == 200
    assert "This search came from a link" in page_of(response).text
    assert backend_calls() == []
    assert not AuditEntry.objects.exists()


def test_a_link_on_this_sites_own_pages_runs_without_sec_fetch_site(client, sandbox, agent):
    """A Referer of this site (a bookmark list, the app's own pages) is the agent's own."""
    response = client.get(lookup_url(), HTTP_REFERER="http://testserver/my-lookups/")

    assert response.status_code == 303


@pytest.mark.parametrize("site", [None, "none", "same-origin"])
def test_a_lookup_typed_pasted_or_submitted_here_runs(client, sandbox, agent, site):
    """The address bar ("none"), the search form ("same-origin") and clients that send no
    Sec-Fetch-Site header run the lookup straight away."""
    headers = {} if site is None else {"HTTP_SEC_FETCH_SITE": site}

    response = client.get(lookup_url(), **headers)

    assert response.status_code == 303
    assert AuditEntry.objects.get().action == Action.LOOKUP


def test_invalid_input_shows_the_search_again_filled_in_with_errors_next_to_fields(
    client, sandbox, agent
):
    """400, the typed values kept, each message next to its field, audited as invalid."""
    response = client.get(
        "/lookup/?source=MARTJACK&identifierName=mobile&identifierValue=0999 1234"
        "&embed=mlp&gapToRenew=soon"
    )
    page = page_of(response)

    assert response.status_code == 400
    assert selected(page, "source") == ["MARTJACK"]
    assert page.find("input", id="id_identifierValue_1")["value"] == "0999 1234"
    assert "Give the account id" in page.find("ul", id="id_accountId_error").text
    assert "country code" in page.find("ul", id="id_identifiers_error").text
    advanced = page.find("details", class_="advanced", open=True)
    assert any(
        "gapToRenew must be a whole number" in errors.text
        for errors in advanced.find_all("ul", class_="errorlist")
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome) == (Action.LOOKUP, Outcome.INVALID)


def test_a_refused_paste_shows_the_rows_the_query_checked(client, sandbox, agent):
    """A pasted comma-joined list comes back as one form row per identifier, as validated."""
    response = client.get(
        "/lookup/",
        {
            "source": "INSTORE",
            "identifierName": "MOBILE,Email",
            "identifierValue": "919999000001,nobody",
        },
    )

    assert response.status_code == 400
    rows = [(row.name, row.value) for row in response.context["form"].rows if row.name]
    assert rows == [("mobile", "919999000001"), ("email", "nobody")]


def test_a_comma_inside_a_form_value_is_refused_in_words(client, sandbox, agent):
    """The API cannot carry a comma inside a value: the form says so instead of guessing."""
    response = client.get(
        "/lookup/?"
        + urlencode(
            [
                ("source", "INSTORE"),
                ("identifierName", "externalId"),
                ("identifierValue", "A,B"),
                ("identifierName", "mobile"),
                ("identifierValue", MOBILE),
            ]
        )
    )

    assert response.status_code == 400
    assert "contains a comma" in response.content.decode()


def test_not_found_explains_8015_and_keeps_the_search_filled_in(client, sandbox, agent):
    """404 with the three documented reasons, what to try, the request ids and the search."""
    response = client.get(
        lookup_url(identifierName="email", identifierValue="gupta.family@sandbox.example")
    )
    page = page_of(response)
    reasons = [item.text for item in page.find("ul", class_="reasons").find_all("li")]

    assert response.status_code == 404
    assert "8015" in page.text
    assert any(reason.startswith("An identifier is wrong") for reason in reasons)
    assert any("primary identifier" in reason for reason in reasons)
    assert not any("The account id is missing" in reason for reason in reasons)
    steps = [item.text for item in page.find("ol", class_="not-found-steps").find_all("li")]
    assert steps[0].startswith("Add the member's mobile: this org finds members by their mobile")
    assert "an email alone" in steps[0]
    edit = page.find("div", class_="not-found-actions").find("a", class_="button")
    assert (edit.text, edit["href"]) == ("Edit the search", "#search-again")
    again = page.find("form", id="search-form")
    typed = again.find("input", id="id_identifierValue_1")["value"]
    assert typed == "gupta.family@sandbox.example"
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.backend_code) == (Outcome.NOT_FOUND, "8015")
    assert entry.request_id and entry.request_id in request_ids(page)
    assert response["X-Request-ID"] in request_ids(page)


@pytest.mark.parametrize(
    ("action", "status", "words"),
    [
        (
            errors(503, 4001, "Authorization status unavailable", request_id="req-503"),
            503,
            "unavailable",
        ),
        (reply(200, b"<html>not json</html>", request_id="req-bad"), 502, "could not read"),
        (
            errors(403, 1044, "No permission to view the customer", request_id="req-403"),
            403,
            "did not allow",
        ),
        (errors(400, 8069, "Customer is merged", request_id="req-merged"), 410, "merged"),
        (errors(400, 8013, "Invalid customer identifier", request_id="req-8013"), 400, "refused"),
        (
            errors(
                429, 0, "Too many requests", request_id="req-429", headers={"Retry-After": "60"}
            ),
            429,
            "busy",
        ),
    ],
)
def test_each_backend_failure_has_its_own_page_with_both_request_ids(
    client, sandbox, agent, server, action, status, words
):
    """Unavailable, nonsense, not allowed, merged, refused, rate limited: a clear page each."""
    server.on(LOOKUP_PATH, action)

    response = client.get(lookup_url())
    page = page_of(response)

    assert response.status_code == status
    assert words in page.text
    entry = AuditEntry.objects.get()
    assert entry.request_id.startswith("req-")
    assert entry.request_id in request_ids(page)
    assert response["X-Request-ID"] in request_ids(page)
    retry = page.find("p", class_="failure-actions").find("a", class_="button")
    assert retry.text == "Try again" and retry["href"].startswith("/lookup/?")
    if status == 429:
        assert response["Retry-After"] == "60"
        assert entry.outcome == Outcome.RATE_LIMITED
    else:
        assert entry.outcome in (Outcome.ERROR, Outcome.NOT_FOUND)


def test_a_backend_that_is_down_gives_a_503_page_not_a_500(client, sandbox, agent, settings):
    """Nothing listening on the API address: "unavailable", with the app's request id."""
    settings.LOOKUP_API_BASE_URL = refused_url()
    settings.LOOKUP_API_USERNAME = "till.one"
    settings.LOOKUP_API_PASSWORD = "till-password"
    settings.LOOKUP_API_TIMEOUT = 0.5

    response = client.get(lookup_url())

    assert response.status_code == 503
    assert "Could not connect" in response.content.decode()
    assert response["X-Request-ID"] in response.content.decode()


def test_a_backend_without_credentials_is_a_configuration_page(client, sandbox, agent, settings):
    """A base URL without credentials: tell the agent an administrator must configure it."""
    settings.LOOKUP_API_BASE_URL = "http://127.0.0.1:9"
    settings.LOOKUP_API_USERNAME = ""
    settings.LOOKUP_API_PASSWORD = ""
    settings.LOOKUP_API_OAUTH_KEY = ""

    response = client.get(lookup_url())

    assert response.status_code == 503
    assert "not configured" in response.content.decode()


def test_the_apps_own_rate_limit_answers_a_friendly_429(client, sandbox, agent, one_rate_window):
    """Over LOOKUP_RATE_LIMIT: 429 with when to retry, audited as rate limited."""
    sandbox.LOOKUP_RATE_LIMIT = "1/h"
    one_rate_window("1/h")
    client.get(lookup_url())

    response = client.get(lookup_url())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "lookup limit of 1/h" in response.content.decode()
    assert AuditEntry.objects.filter(outcome=Outcome.RATE_LIMITED).count() == 1


def test_customer_pages_spend_from_the_same_rate_limit_as_lookups(
    client, sandbox, agent, backend_calls, one_rate_window
):
    """With 1/h, the lookup spends the one call: its cached page is free, every deep link to
    another customer, the tiers days and a refresh get the 429 page, audited rate limited."""
    sandbox.LOOKUP_RATE_LIMIT = "1/h"
    one_rate_window("1/h")
    client.get(lookup_url())

    assert client.get(f"/customers/{AARAV}/").status_code == 200
    refused = [client.get(f"/customers/{AARAV + n}/").status_code for n in range(1, 7)]
    days = client.get(f"/customers/{AARAV}/tiers/?days=30")
    refresh = client.post(f"/customers/{AARAV}/refresh/")

    assert refused == [429] * 6
    assert days.status_code == refresh.status_code == 429
    assert "lookup limit of 1/h" in refresh.content.decode()
    assert int(days["Retry-After"]) > 0
    assert len(backend_calls()) == 1
    limited = AuditEntry.objects.filter(outcome=Outcome.RATE_LIMITED)
    assert limited.count() == 8
    assert limited.filter(customer_id=str(AARAV + 1), detail="overview: app rate limit").exists()
    assert limited.filter(detail="refresh: app rate limit").exists()


# Customer pages


def test_the_redirect_and_every_tab_reuse_the_lookup_without_another_backend_call(
    client, sandbox, agent, backend_calls
):
    """One backend call for the lookup; the overview and all tabs come from the cache."""
    response = client.get(
        lookup_url(embed="mlp,points,alternateCurrencies", gapToUpgrade="0", gapToRenew="0"),
        follow=True,
    )
    assert response.status_code == 200
    for section in list(SECTIONS)[1:]:
        assert client.get(f"/customers/{AARAV}/{section}/").status_code == 200

    assert len(backend_calls()) == 1


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_renders_its_template_with_the_agreed_context(
    client, sandbox, agent, section
):
    """The context every section template relies on, and one view_section/raw_view entry."""
    client.get(lookup_url(), follow=True)  # the landing page is the lookup's: see below
    path = f"/customers/{AARAV}/" + ("" if section == "overview" else f"{section}/")

    response = client.get(path)

    assert response.status_code == 200
    assert f"customers/customer/{section}.html" in [t.name for t in response.templates]
    context = response.context
    assert isinstance(context["customer"], Customer) and context["customer"].id == AARAV
    assert context["section"] == section
    assert timezone.is_aware(context["fetched_at"])
    assert context["request_id"] and context["latency_ms"] is not None
    assert context["pii_unmasked"] is False
    # An agent sees members' names (view_member_name); nothing else is revealed.
    assert context["revealed"] == {"name"}
    assert context["can_reveal"] and context["can_see_raw"]
    assert context["history_summary"] is None
    assert context["days"] == 0
    assert str(AARAV) in context["title"]
    entry = AuditEntry.objects.exclude(action=Action.LOOKUP).get()
    expected = Action.RAW_VIEW if section == "raw" else Action.VIEW_SECTION
    assert (entry.action, entry.outcome, entry.customer_id) == (expected, Outcome.OK, str(AARAV))
    assert section in entry.detail


def test_pii_unmasked_by_default_is_an_org_setting_for_those_allowed(client, sandbox, agent):
    """PII_UNMASKED_BY_DEFAULT shows values unmasked to users holding the permission."""
    sandbox.PII_UNMASKED_BY_DEFAULT = True
    client.get(lookup_url())

    assert client.get(f"/customers/{AARAV}/").context["pii_unmasked"] is True


def test_the_tiers_page_fetches_the_gaps_for_the_chosen_days(
    client, sandbox, agent, backend_calls
):
    """?days=N asks for gapToUpgrade=N&gapToRenew=N with mlp once, then reuses it."""
    client.get(lookup_url(embed="points"))

    first = client.get(f"/customers/{AARAV}/tiers/?days=30")
    second = client.get(f"/customers/{AARAV}/tiers/?days=30")

    assert first.status_code == second.status_code == 200
    assert first.context["days"] == 30
    assert any(p.upgrade_strategies for p in first.context["customer"].programs)
    assert second.context["request_id"] == first.context["request_id"]
    assert len(backend_calls()) == 2
    assert '"gapToUpgrade":"30"' in backend_calls()[-1].getMessage()


@pytest.mark.parametrize("days", ["\u00b2", "\u0967\u0966", "\uff13\uff10", "-1", "x", "9999"])
def test_days_that_are_not_a_number_of_days_are_ignored_with_a_note(client, sandbox, agent, days):
    """ "²" or Devanagari digits pass str.isdigit(); the page ignores them like any non-number,
    and says so instead of silently showing other days."""
    client.get(lookup_url(embed="mlp"))

    response = client.get(f"/customers/{AARAV}/tiers/", {"days": days})

    assert response.status_code == 200
    assert response.context["days"] == 0
    assert "is not a number of days from 0 to 3660" in response.content.decode()


def test_the_tiers_page_keeps_a_pasted_query_s_own_upgrade_and_renew_days(
    client, sandbox, agent, backend_calls
):
    """gapToUpgrade=30&gapToRenew=90 from a pasted query: the tiers page shows that answer as
    asked (no second call), and says the renewal gaps are as of 90 days."""
    client.get(lookup_url(embed="mlp", gapToUpgrade="30", gapToRenew="90"))

    response = client.get(f"/customers/{AARAV}/tiers/")

    assert response.context["days"] == 30 and response.context["renew_days"] == 90
    assert "gaps to renew are as of 90 days" in response.content.decode()
    assert len(backend_calls()) == 1


def test_a_lookup_without_gap_days_asks_for_todays_gaps_and_the_tiers_page_reuses_it(
    client, sandbox, agent, backend_calls
):
    """A lookup with tiers but no gap days asks for both gaps as of today in its one call (the
    overview answers with them), so the tiers page needs no second call."""
    client.get(lookup_url(embed="mlp"))

    response = client.get(f"/customers/{AARAV}/tiers/")

    assert response.context["days"] == 0
    assert any(p.upgrade_strategies for p in response.context["customer"].programs)
    assert len(backend_calls()) == 1
    assert '"gapToUpgrade":"0","gapToRenew":"0"' in backend_calls()[0].getMessage()


def test_refresh_fetches_again_and_returns_to_the_page(client, sandbox, agent, backend_calls):
    """POST refresh: a new backend call, a new request id, back to where it was posted from."""
    client.get(lookup_url())
    before = client.get(f"/customers/{AARAV}/cards/").context["request_id"]

    response = client.post(f"/customers/{AARAV}/refresh/", {"next": f"/customers/{AARAV}/cards/"})

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{AARAV}/cards/"
    after = client.get(f"/customers/{AARAV}/cards/").context["request_id"]
    assert after != before
    assert len(backend_calls()) == 2


def test_a_wechat_only_member_keeps_their_pages_after_the_answer_expired(
    client, sandbox, agent, backend_calls
):
    """Without a kept answer (LOOKUP_CACHE_SECONDS=0) the pages ask by id in the lookup's
    WECHAT account, where the member is, instead of INSTORE's 8065 not found."""
    sandbox.LOOKUP_CACHE_SECONDS = 0
    found = client.get(
        lookup_url(source="WECHAT", accountId="wechat-cn-01", identifierValue="919999000011")
    )

    page = client.get(found["Location"])
    cards = client.get(found["Location"] + "cards/")

    assert found.status_code == 303
    assert page.status_code == cards.status_code == 200
    assert page.context["customer"].id == cards.context["customer"].id
    assert '"source":"WECHAT"' in backend_calls()[-1].getMessage()


def test_the_tiers_page_shows_the_lookups_own_gaps(client, sandbox, agent, backend_calls):
    """A lookup with gapToUpgrade=30&gapToRenew=90 answers the tiers page as asked (renew 90
    days, not 30): no other call."""
    looked_up = client.get(lookup_url(embed="mlp", gapToUpgrade="30", gapToRenew="90"))
    lookup_id = AuditEntry.objects.get(action=Action.LOOKUP).request_id

    response = client.get(f"/customers/{AARAV}/tiers/")

    assert looked_up.status_code == 303
    assert response.status_code == 200
    assert response.context["request_id"] == lookup_id
    assert len(backend_calls()) == 1


@pytest.mark.parametrize(
    ("params", "asked"),
    [
        ({"embed": "mlp", "gapToUpgrade": "30", "gapToRenew": "90"}, '"gapToRenew":"90"'),
        ({"embed": "mlp"}, '"gapToUpgrade":"0"'),
    ],
)
def test_refresh_on_the_tiers_page_refreshes_what_it_shows(
    client, sandbox, agent, backend_calls, params, asked
):
    """The refresh follows the tiers page's rule: the lookup's gaps, else today's."""
    client.get(lookup_url(**params))
    tiers = f"/customers/{AARAV}/tiers/"
    before = client.get(tiers).context["request_id"]

    response = client.post(f"/customers/{AARAV}/refresh/", {"next": tiers})
    after = client.get(tiers).context["request_id"]

    assert response["Location"] == tiers
    assert after != before
    assert asked in backend_calls()[-1].getMessage()


def test_refresh_never_redirects_off_the_customers_pages(client, sandbox, agent):
    """A `next` elsewhere (another site, another page) falls back to the overview."""
    client.get(lookup_url())
    for target in ("https://evil.example/", "/admin/", "//evil.example/customers/5000001/"):
        response = client.post(f"/customers/{AARAV}/refresh/", {"next": target})
        assert response["Location"] == f"/customers/{AARAV}/"


def test_a_refresh_that_fails_shows_the_failure_page(client, sandbox, agent, settings):
    """The backend down at refresh time: a 503 page with a retry link, not a 500."""
    client.get(lookup_url())
    settings.LOOKUP_API_BASE_URL = refused_url()
    settings.LOOKUP_API_USERNAME = "till.one"
    settings.LOOKUP_API_PASSWORD = "till-password"
    settings.LOOKUP_API_TIMEOUT = 0.5

    response = client.post(f"/customers/{AARAV}/refresh/")

    assert response.status_code == 503
    retry = page_of(response).find("p", class_="failure-actions").find("a", class_="button")
    assert retry["href"] == f"/customers/{AARAV}/"


def test_a_deep_link_to_a_merged_customer_explains_the_merge(client, sandbox, agent):
    """By id, a merge victim answers 8069: a 410 page with the backend's request id."""
    response = client.get("/customers/5000008/")

    assert response.status_code == 410
    html = response.content.decode()
    assert "merged" in html and "8069" in html
    entry = AuditEntry.objects.get()
    assert entry.backend_code == "8069" and entry.request_id in html


def test_not_found_in_a_source_with_accounts_also_names_the_account_reason(client, sandbox, agent):
    """Outside INSTORE the accountId reason can apply, so it is listed with the other two."""
    response = client.get(
        lookup_url(source="WECHAT", accountId="wechat-cn-01", identifierValue="919999999999")
    )
    html = response.content.decode()

    assert response.status_code == 404
    for reason in ("An identifier is wrong", "primary identifier", "The account id is missing"):
        assert reason in html


def test_not_found_in_all_sources_names_the_account_reason_too(client, sandbox, agent):
    """The app sends ALL without an accountId, which the reference asks of every source but
    INSTORE: when ALL answers 8015 the page lists that reason with the other two."""
    response = client.get(lookup_url(source="ALL", identifierValue="919999999999"))

    assert response.status_code == 404
    reasons = [
        item.text for item in parse(response.content).find("ul", class_="reasons").find_all("li")
    ]
    assert len(reasons) == 3
    assert reasons[2].startswith("The account id is missing: this search asked all sources")


def test_not_found_in_instore_leaves_out_the_account_reason(client, sandbox, agent):
    """INSTORE takes no accountId, so the account reason cannot apply to it."""
    response = client.get(lookup_url(source="INSTORE", identifierValue="919999999999"))

    assert response.status_code == 404
    assert "The account id is missing" not in response.content.decode()


def test_a_deep_link_to_an_unknown_customer_is_not_found(client, sandbox, agent):
    """An id with no member: 404 naming the id and the source asked, no identifier reasons, no
    search form (nothing was typed), no 500."""
    response = client.get("/customers/4999999/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "No customer with id 4999999 in INSTORE." in html
    assert "for the given identifiers" not in html
    assert "An identifier is wrong" not in html
    assert parse(html).find_all("form", id="search-form") == []


def test_no_customer_page_links_to_a_url_with_an_identifier(client, sandbox, agent):
    """Deep links use the customer id only: no mobile, email or card number in any URL."""
    client.get(lookup_url(embed=",".join(["mlp", "points", "subscriptions", "segments"])))
    customer = client.get(f"/customers/{AARAV}/").context["customer"]
    secrets = [MOBILE, *customer.emails, *customer.mobiles, *customer.card_numbers]
    secrets += [s.replace("@", "%40") for s in customer.emails]

    for section in SECTIONS:
        path = f"/customers/{AARAV}/" + ("" if section == "overview" else f"{section}/")
        for url in links_of(client.get(path).content.decode()):
            assert not any(secret in url for secret in secrets), url


def test_reveal_is_remembered_for_the_session_and_audited(client, sandbox, agent):
    """POST reveal: the field joins `revealed` for this customer, one reveal entry with reason."""
    client.get(lookup_url())

    response = client.post(
        f"/customers/{AARAV}/reveal/",
        {
            "field": "mobile",
            "reason": "member on the phone",
            "next": f"/customers/{AARAV}/profile/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{AARAV}/profile/"
    page = client.get(f"/customers/{AARAV}/profile/")
    assert page.context["revealed"] == {"mobile", "name"}
    assert client.get("/customers/5000002/").context["revealed"] == {"name"}
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert (entry.outcome, entry.detail, entry.reason) == (
        Outcome.OK,
        "mobile",
        "member on the phone",
    )


def test_reveal_refuses_a_field_name_that_is_not_one(client, sandbox, agent):
    """Markup or an empty name is not a field: nothing is revealed, and the attempt is audited
    as invalid (every request on member data leaves one entry)."""
    response = client.post(f"/customers/{AARAV}/reveal/", {"field": "<script>"})

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert entry.outcome == Outcome.INVALID
    assert str(AARAV) not in client.session.get("revealed", {})


def test_customer_pages_only_take_numeric_ids(client, sandbox, agent):
    """A customer URL with anything but digits is simply not a page."""
    assert client.get("/customers/919999000001x/").status_code == 404
    assert client.get("/customers/abc/cards/").status_code == 404


def test_my_lookups_lists_only_the_users_own_entries_newest_first(client, sandbox, agent):
    """The user's own lookups, views and reveals, masked."""
    client.get(lookup_url())
    client.get(f"/customers/{AARAV}/cards/")
    other = User.objects.create_user("other")
    AuditEntry.objects.log_action(
        user=other, action=Action.LOOKUP, outcome=Outcome.FOUND, customer_id="5000002"
    )

    response = client.get("/my-lookups/")
    html = response.content.decode()

    assert response.status_code == 200
    assert [e.username for e in response.context["page"].object_list] == ["agent", "agent"]
    assert "91******0001" in html and MOBILE not in html
    assert "5000002" not in html


def test_history_shows_an_agent_only_their_own_accesses(client, sandbox, agent):
    """An agent's history of a customer holds their own entries, without the staff summary."""
    client.get(lookup_url())
    other = User.objects.create_user("other")
    AuditEntry.objects.log_action(
        user=other, action=Action.VIEW_SECTION, outcome=Outcome.OK, customer_id=str(AARAV)
    )

    response = client.get(f"/customers/{AARAV}/history/")

    assert response.status_code == 200
    assert {e.username for e in response.context["page"].object_list} == {"agent"}
    assert response.context["history_summary"] is None


def test_history_shows_an_auditor_everyone_and_the_staff_count(client, sandbox, agent):
    """Auditors see every access to the customer and "viewed by N staff"."""
    client.get(lookup_url())
    auditor = User.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    client.force_login(auditor)

    response = client.get(f"/customers/{AARAV}/history/")

    assert response.status_code == 200
    assert response.context["history_summary"].staff_count == 1
    assert "Viewed by 1 staff member in the last 30 days" in response.content.decode()
    assert "agent" in response.content.decode()


def test_the_staff_count_is_computed_for_the_overview_only(client, sandbox):
    """The count of staff who viewed the member is an audit-log query: only the overview shows
    it, so the other tabs do not run it."""
    client.force_login(User.objects.create_superuser("root"))
    client.get(lookup_url())

    overview = client.get(f"/customers/{AARAV}/")
    cards = client.get(f"/customers/{AARAV}/cards/")

    assert overview.context["history_summary"].staff_count == 1
    assert cards.context["history_summary"] is None
    tabs = page_of(cards).find("nav", class_="customer-tabs")
    assert tabs.find("a", href=f"/customers/{AARAV}/history/").text == "History"


def test_every_response_carries_a_fresh_request_id(client, sandbox, agent):
    """X-Request-ID is a uuid4 hex, different per request, even on the login page."""
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    client.logout()
    login = client.get("/accounts/login/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert len({first, second, login}) == 3


# What the backend returned is on the pages, for every showcase member


def showcase_params() -> list[dict[str, str]]:
    rows = []
    for row in showcase():
        params = {k: v for k, v in row.items() if k not in ("shows", "description")}
        params["embed"] = ",".join(
            ["mlp", "points", "alternateCurrencies", "subscriptions", "segments", "customerStatus"]
        )
        params["includedFraudDetails"] = "true"
        params["includedAllUserGroup2"] = "true"
        params["gapToUpgrade"] = "0"
        params["gapToRenew"] = "0"
        rows.append(params)
    return rows


@pytest.mark.parametrize("params", showcase_params(), ids=lambda p: p["identifierValue"][-4:])
def test_every_showcase_member_renders_on_every_section_with_its_data(
    client, sandbox, agent, params
):
    """Every section of every showcase member renders; programs, tiers, currencies, warnings and
    card statuses the backend returned are on the pages."""
    found = client.get("/lookup/?" + urlencode(params))
    assert found.status_code == 303, found.content.decode()[:500]
    base = found["Location"]
    pages = {}
    for section in SECTIONS:
        response = client.get(base if section == "overview" else f"{base}{section}/")
        assert response.status_code == 200, section
        pages[section] = response.content.decode()
    customer = client.get(base).context["customer"]

    def on(section: str, text: str) -> None:
        escaped = text.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
        assert text in pages[section] or escaped in pages[section], (section, text)

    for warning in customer.warnings:
        on("overview", str(warning.code))
    for program in customer.programs:
        on("programs", program.title)
        if program.current_tier:
            on("programs", program.current_tier.name)
            on("tiers", program.current_tier.name)
    for currency in customer.alternate_currencies:
        on("currencies", currency.name)
    for card in customer.cards[:20]:
        on("cards", card.status_label)


def test_a_failure_is_logged_with_both_request_ids_and_no_identifier(
    client, sandbox, agent, caplog
):
    """The warning line carries the backend's and the app's request ids, never the mobile."""
    logger = logging.getLogger("customers.lookup.views")
    logger.addHandler(caplog.handler)
    try:
        response = client.get(lookup_url(identifierValue="919999999999"))
    finally:
        logger.removeHandler(caplog.handler)

    lines = [r.getMessage() for r in caplog.records if r.name == "customers.audit.audited"]
    assert len(set(lines)) == 1
    entry = AuditEntry.objects.get()
    for request_id in (entry.request_id, response["X-Request-ID"]):
        assert request_id in lines[0]
    assert "919999999999" not in lines[0]


def test_an_unhandled_error_is_logged_with_the_request_id(sandbox, agent, caplog):
    """A broken setting makes the lookup fail with a 500; the log line names the request id."""
    from django.test import Client

    sandbox.LOOKUP_RATE_LIMIT = "not a rate"
    client = Client(raise_request_exception=False)
    client.force_login(agent)
    logger = logging.getLogger("customers.request")
    logger.addHandler(caplog.handler)
    try:
        response = client.get(lookup_url())
    finally:
        logger.removeHandler(caplog.handler)

    assert response.status_code == 500
    lines = {r.getMessage() for r in caplog.records if r.name == "customers.request"}
    assert len(lines) == 1
    line = lines.pop()
    assert "ImproperlyConfigured" in line and "/lookup/" in line
    assert response["X-Request-ID"] in line


def test_an_entry_about_a_customer_id_that_is_not_a_number_still_lists(client, sandbox, agent):
    """My lookups links an entry's customer by id only when it is one: an odd id (from a
    backend or an old release) is shown as text, not a 500."""
    AuditEntry.objects.log_action(
        user=agent, action=Action.LOOKUP, outcome=Outcome.FOUND, customer_id="c-17"
    )

    response = client.get("/my-lookups/")

    assert response.status_code == 200
    assert "c-17" in page_of(response).text


def test_not_found_in_a_source_offers_a_one_click_search_in_the_stores_source(
    client, sandbox, agent
):
    """Aarav has no WeChat profile: the page says to try INSTORE, and its button posts that
    search (identifiers in the POST body, never in a URL), which finds him."""
    response = client.get(lookup_url(source="WECHAT", accountId="wechat-cn-01"))
    page = page_of(response)

    assert response.status_code == 404
    steps = [item.text for item in page.find("ol", class_="not-found-steps").find_all("li")]
    assert "The member may have no profile in WECHAT under that account: try INSTORE." in steps
    assert not any("Add the member's" in step for step in steps)  # the mobile was given
    other = page.find("form", class_="other-source-form")
    assert other["method"] == "post" and other["action"] == "/lookup/"
    assert other.find("button").text == "Search INSTORE"
    assert not [link for link in links_of(response.content.decode()) if MOBILE in link]
    fields = {
        field["name"]: field["value"]
        for field in other.find_all("input")
        if field["name"] != "csrfmiddlewaretoken"
    }
    assert fields["source"] == "INSTORE" and "accountId" not in fields

    found = client.post("/lookup/", fields)

    assert found.status_code == 303
    assert found["Location"] == f"/customers/{AARAV}/"


def test_not_found_in_the_stores_source_offers_all_sources_only_to_who_may_search_there(
    client, sandbox, agent
):
    """From INSTORE the other place to look is all sources; a store manager, who may search
    INSTORE only, is offered none and told to check the identifiers."""
    response = client.get(lookup_url(identifierValue="919999999999"))
    other = page_of(response).find("form", class_="other-source-form")
    # All sources need an account id (every source but INSTORE): the offer asks for it.
    assert other.find("button").text == "Search all sources with this account id"
    typed = other.find("input", name="accountId", required=True)
    assert typed["type"] == "text"
    assert other.find("label", **{"for": typed["id"]})

    manager = User.objects.create_user("manager")
    manager.groups.add(Group.objects.get(name="Store managers"))
    client.force_login(manager)
    response = client.get(lookup_url(identifierValue="919999999999"))
    page = page_of(response)
    assert response.status_code == 404
    assert not page.find_all("form", class_="other-source-form")
    steps = [item.text for item in page.find("ol", class_="not-found-steps").find_all("li")]
    assert steps == ["Check each identifier for a typo: the search is filled in below to edit."]
