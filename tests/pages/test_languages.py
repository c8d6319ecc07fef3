# The browser fixture comes from test_browser, and tests take it as an argument.
# ruff: noqa: F811
"""Every page in each language the app ships: a browser set to Hindi, Arabic or Simplified Chinese
reads the sign-in, every page of three showcase members, their history and the auditor's pages in
that language, with no English sentence left outside member data (names, identifiers, the org's
program and tier names, which the pages isolate in <bdi>, and Capillary's codes, in <code>); axe
finds nothing serious and nothing scrolls sideways at 390 px. German gets the whole page in
English. Screenshots of each language's overview land in test-output/screenshots/lang-*.png.
"""

import json
import re

import pytest
from django.conf import settings

from customers.audit.models import AuditEntry
from customers.pages import glossary
from customers.pages.tabs import SECTIONS
from tests.lookup.test_browser import SCREENSHOTS, browser  # noqa: F401 (browser: a fixture)
from tests.pages.test_a11y import AXE, PHONE, WIDE, WIDEST, agent, auditor, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not AXE.exists():
    pytest.skip("axe-core is missing: run `make test`.", allow_module_level=True)

# Browser locale -> the language the page must be in.
LANGUAGES = {"hi": "hi", "ar": "ar", "zh-CN": "zh-hans"}
# Aarav (three programs, gaps, currencies), रवि शर्मा (eight cards), فاطمة السيد (fraud, a
# negative balance, tiny and huge figures).
MEMBERS = ("919999000001", "919999000016", "919999000019")

# The text a reader sees, less what is not ours to translate: member data in <bdi>, codes and
# field names in <code>, what is marked translate="no", and the language switcher's own names.
OUR_TEXT = """() => {
    // .readonly: an audit entry's stored values, shown as recorded on its admin page.
    const skip = 'bdi, code, kbd, samp, script, style, noscript, [translate="no"], [hidden],'
        + ' .readonly,'
        + ' .language-form option, #user-tools strong, [aria-hidden="true"]';
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip) || !parent.getClientRects().length) continue;
        const text = node.textContent.trim();
        if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]'))
        if (!el.closest(skip))
            for (const attr of ['placeholder', 'aria-label', 'title', 'alt'])
                if (el.getAttribute(attr)) out.push(el.getAttribute(attr));
    return out;
}"""
# An English word: two or more Latin letters, not all capitals (codes such as ACTIVE or INSTORE
# are Capillary's) and not a camelCase field name or a unit such as "px".
ENGLISH_WORD = re.compile(r"(?<![\w@./-])[A-Z]?[a-z]{2,}(?![\w@/-])")
# Names that stay as they are in every language: the product's and Capillary's, the API's
# field names the glossary's hints cite, the users the tests sign in as.
KEPT = {"Customer", "Lookup", "Capillary", "English", "mlp", "WeChat", "agent", "auditor"}
# Units and the API's words some sentences quote: milliseconds, the embed parameter, and the
# type label the search box reads before a value ("card: 9198...").
KEPT |= {"ms", "embed", "embeds", "card"}
KEPT |= {name for term in glossary.TERMS.values() for name in term.fields.values()}


def member_data(*mobiles: str) -> list[str]:
    """Every string of the sandbox's answers for these members (values and keys: names, the
    org's program, tier, segment and field names, statuses as sent), longest first: what the
    pages show as it came, never translated."""
    from customers.sandbox import api, auth

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                found.add(str(key))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.strip():
            found.add(value.strip())

    login = auth.basic_header(settings.SANDBOX_USERNAME, settings.SANDBOX_PASSWORD)
    for mobile in mobiles:
        query = {
            "source": "INSTORE",
            "identifierName": "mobile",
            "identifierValue": mobile,
            "embed": "mlp,points,alternateCurrencies,expirySchedules,subscriptions,segments,"
            "customerStatus",
            "includedFraudDetails": "true",
            "includedUserGroup2LoyaltyDetails": "true",
            "gapToUpgrade": "0",
            "gapToRenew": "0",
        }
        _status, _headers, body = api.respond(
            "GET", api.LOOKUP, query, {"Authorization": login}, b""
        )
        walk(json.loads(body))
    return sorted(found, key=len, reverse=True)


def english_left(page, data: list[str]) -> list[str]:
    """The texts on the page holding an English word outside member data and codes."""
    found = []
    for text in page.evaluate(OUR_TEXT):
        ours = text
        for value in data:
            ours = ours.replace(value, " ")
        words = [word for word in ENGLISH_WORD.findall(ours) if word not in KEPT]
        if words:
            found.append(text[:120])
    return sorted(set(found))


def check(page, language: str, name: str, data: list[str]) -> list[str]:
    """The page in `language`: its <html> attributes, English left over, axe's serious findings
    at 1366 px, and sideways scrolling and axe at 390 px."""
    problems = []
    lang, direction = page.evaluate(
        "[document.documentElement.lang, document.documentElement.dir]"
    )
    if lang != language or direction != ("rtl" if language == "ar" else "ltr"):
        problems.append(f"{name}: <html lang={lang!r} dir={direction!r}>")
    problems += [f"{name}: English: {text!r}" for text in english_left(page, data)]
    problems += [f"{name}: {line}" for line in axe_violations(page)]
    page.set_viewport_size(PHONE)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{name} at 390 px: {width} px wide, by {page.evaluate(WIDEST)}")
    page.set_viewport_size(WIDE)
    return problems


def sign_in(page, username: str) -> None:
    from tests.people import PASSWORD

    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def context_for(browser, live_server, sandbox):
    """A fresh browser context whose Accept-Language is the given locale."""
    contexts = []

    def new(locale: str):
        context = browser.new_context(
            viewport=WIDE, locale=locale, bypass_csp=True, reduced_motion="reduce"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        tab = context.new_page()
        tab.base = live_server.url
        return tab

    yield new
    for context in contexts:
        context.close()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_agents_pages_are_whole_in_the_browsers_language(context_for, locale):
    language = LANGUAGES[locale]
    page = context_for(locale)
    data = member_data(*MEMBERS)
    agent()
    page.goto(page.base + "/accounts/login/")
    problems = check(page, language, "sign-in", data)
    sign_in(page, "agent")
    problems += check(page, language, "search", data)
    for mobile in MEMBERS:
        page.goto(page.base + "/")
        page.fill("#id_q", mobile)
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r"/customers/\d+/$"))
        base = page.url
        for section in SECTIONS:
            if section != "overview":
                page.goto(base + f"{section}/")
            problems += check(page, language, f"{mobile} {section}", data)
        if mobile == MEMBERS[0]:
            page.goto(base)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"lang-{language}-overview.png"))
            page.set_viewport_size(PHONE)
            page.screenshot(path=str(SCREENSHOTS / f"lang-{language}-overview-390.png"))
            page.set_viewport_size(WIDE)
        page.goto(base + "history/")
        problems += check(page, language, f"{mobile} history", data)
    page.goto(page.base + "/my-lookups/")
    problems += check(page, language, "my-lookups", data)
    page.goto(page.base + "/")
    page.fill("#id_q", "919999999999")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    problems += check(page, language, "not-found", data)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_auditors_pages_are_whole_in_the_browsers_language(context_for, locale):
    from tests.trail import days_ago, entry, local, write

    language = LANGUAGES[locale]
    page = context_for(locale)
    data = member_data(MEMBERS[0])
    auditor()
    someone = agent()
    write([entry(someone, local(days_ago(n), 10), customer_id="5000001") for n in range(1, 4)])
    page.goto(page.base + "/accounts/login/")
    sign_in(page, "auditor")
    # An entry's name (its time, user, action and outcome codes), as the admin titles it.
    data += [str(entry) for entry in AuditEntry.objects.all()]
    problems = []
    for path in (
        "/admin/customers/auditentry/",
        "/admin/customers/auditentry/overview/",
        "/admin/customers/auditentry/signals/",
        "/admin/customers/auditentry/staff/agent/",
        f"/admin/customers/auditentry/{AuditEntry.objects.first().pk}/change/",
        "/customers/5000001/history/",
    ):
        page.goto(page.base + path)
        problems += check(page, language, path, data)
    assert problems == [], "\n".join(problems)


def test_a_language_not_shipped_gets_the_whole_page_in_english(context_for):
    page = context_for("de-DE")
    agent()
    page.goto(page.base + "/accounts/login/")
    sign_in(page, "agent")
    page.fill("#id_q", MEMBERS[0])
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    assert page.evaluate("document.documentElement.lang").startswith("en")
    text = page.inner_text("main")
    # English sentences, English grouping: no German word or German thousands separator.
    assert "points" in text
    assert not re.search(r"\d\.\d{3}\b", text), "a German thousands separator"
    assert not re.search(r"\b(Punkte|Kunde|Suche|und)\b", page.inner_text("body"))
