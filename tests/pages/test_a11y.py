# The browser fixture comes from test_browser, and tests take it as an argument.
# ruff: noqa: F811
"""Every page is usable by everyone: axe-core finds nothing serious in light or dark mode, no page
scrolls sideways on a 390 px phone, every customer page wears the same frame, and the whole
lookup flow works from the keyboard alone.

axe-core comes from npm (tests/a11y/package.json, installed by `make test` and CI with
`npm ci`) and is injected into each page with Playwright's add_script_tag; the browser context
bypasses the page's Content Security Policy for that one script (lookup/test_browser.py checks
the policy itself). Screenshots of every page at 1366 px, 390 px and in dark mode land in
test-output/screenshots/a11y-*.png.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from customers.audit.models import AuditEntry
from customers.pages.tabs import SECTIONS
from tests.faultserver import refused_url
from tests.lookup.test_browser import (  # noqa: F401 (browser: a fixture)
    CHROMIUM,
    MOBILE,
    PASSWORD,
    SCREENSHOTS,
    browser,
    role_group,
)
from tests.people import make_user

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AARAV = 5000001
# The largest showcase member (36 programs, 300 cards).
LARGEST_MOBILE = "919999000014"
LARGEST = 5000014
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# What counts as a failure: axe's two highest impacts.
BLOCKING = ("serious", "critical")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not os.path.exists(CHROMIUM) or not AXE.exists():
    missing = CHROMIUM if not os.path.exists(CHROMIUM) else AXE
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set but {missing} is missing.", pytrace=False)
    pytest.skip(
        f"{missing} is missing: install Debian's chromium and run `make test`.",
        allow_module_level=True,
    )


@pytest.fixture
def page(browser, live_server, sandbox) -> Iterator:
    """A fresh context at 1366x768 whose pages axe can be injected into."""
    context = browser.new_context(viewport=WIDE, bypass_csp=True, reduced_motion="reduce")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.base = live_server.url
    yield tab
    context.close()


def sign_in(page, username: str, landing: str = "/") -> None:
    page.goto(page.base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(page.base + landing)


def agent() -> User:
    # A transactional test before this one flushed the groups: bring the role back first.
    role_group("Support agents")
    return make_user("agent", "Support agents")


def auditor() -> User:
    role_group("Auditors")
    return make_user("auditor", "Auditors", is_staff=True)


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),"
        " why: (v.nodes[0].any[0] || v.nodes[0].all[0] || {}).message}))"
    )
    return [
        f"{found['id']} ({found['impact']}): {found['help']} at {found['nodes']}: {found['why']}"
        for found in results
        if found["impact"] in BLOCKING
    ]


# The outermost elements that reach past the viewport's right edge, to say what is too wide.
WIDEST = """() => {
    const out = [...document.querySelectorAll('body *')].filter(
        e => e.getBoundingClientRect().right > window.innerWidth + 1);
    const classes = e => typeof e.className === 'string' && e.className.trim() ?
        '.' + e.className.trim().replace(/ +/g, '.') : '';
    return out.filter(e => !out.includes(e.parentElement)).slice(0, 5).map(
        e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes(e) +
            ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def check_page(page, name: str) -> list[str]:
    """The page as it stands (no reload: a POST's answer stays as it is) in light and dark mode
    at 1366 px, then at 390 px: axe's findings and any sideways scrolling, as lines to report;
    and a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for scheme in ("light", "dark"):
        page.set_viewport_size(WIDE)
        page.emulate_media(color_scheme=scheme)
        problems += [f"{name} {scheme}: {line}" for line in axe_violations(page)]
        suffix = "1366" if scheme == "light" else "dark"
        page.screenshot(path=str(SCREENSHOTS / f"a11y-{name}-{suffix}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    # Two frames: the resize has reached the page's scripts.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(WIDEST)
        problems.append(f"{name} at 390 px: the document is {width} px wide, by {wide}")
    problems += [f"{name} 390 px: {line}" for line in axe_violations(page)]
    page.screenshot(path=str(SCREENSHOTS / f"a11y-{name}-390.png"), full_page=True)
    page.set_viewport_size(WIDE)
    return problems


def report(problems: list[str], name: str) -> None:
    """Fails with every problem found, also written to test-output/a11y-NAME.txt to read."""
    output = SCREENSHOTS.parent / f"a11y-{name}.txt"
    output.write_text("".join(f"{line}\n" for line in problems))
    assert problems == [], f"{len(problems)} problems, listed in {output}"


def visit(page, path: str, name: str) -> list[str]:
    response = page.goto(page.base + path)
    assert response is not None and response.status < 500, path
    return check_page(page, name)


def search(page, typed: str) -> None:
    page.goto(page.base + "/")
    page.fill("#id_q", typed)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_the_agents_pages_are_accessible_and_fit_a_phone(page, settings):
    """Sign-in, search, every tab of two showcase members, their history, my lookups and the
    pages that say something went wrong (no such member, bad input, no such page, the backend
    down): no serious axe finding in light or dark mode, no sideways scrolling at 390 px."""
    agent()
    problems = visit(page, "/accounts/login/", "sign-in")
    sign_in(page, "agent")
    problems += check_page(page, "search")
    members = ((MOBILE, AARAV, "aarav"), (LARGEST_MOBILE, LARGEST, "largest"))
    for mobile, customer_id, who in members:
        search(page, mobile)
        match = re.search(r"/customers/(\d+)/$", page.url)
        assert match, page.url
        assert int(match[1]) == customer_id
        for section in SECTIONS:
            path = f"/customers/{match[1]}/" + ("" if section == "overview" else f"{section}/")
            problems += visit(page, path, f"{who}-{section}")
        problems += visit(page, f"/customers/{match[1]}/history/", f"{who}-history")
    problems += visit(page, "/my-lookups/", "my-lookups")
    search(page, "919999999999")
    assert page.get_by_text("No customer found").first.is_visible()
    problems += check_page(page, "not-found")
    search(page, "0999 1234")
    problems += check_page(page, "invalid")
    problems += visit(page, "/no-such-page/", "page-not-found")
    settings.LOOKUP_API_BASE_URL = refused_url()
    settings.LOOKUP_API_USERNAME = "till.one"
    settings.LOOKUP_API_PASSWORD = "till-password"
    settings.LOOKUP_API_TIMEOUT = 0.5
    search(page, "919999000002")  # not asked before, so not in the cache
    assert page.get_by_text("unavailable or slow").first.is_visible()
    problems += check_page(page, "backend-down")
    report(problems, "agent")


def test_the_states_axe_missed_before_are_accessible(page, settings):
    """Page states the first test does not reach: a member searched in ALL sources, whose
    identifiers heading names the profile they come from (a grey note on the heading's blue
    read at 1.15:1), with a contact detail revealed and the ticket summary's switch, and the
    search page with the rate-limit note and the session-expired sign-in page."""
    agent()
    sign_in(page, "agent")
    page.goto(page.base + "/")
    page.fill("#id_q", "919999000007")
    page.click("#search-advanced summary")
    page.select_option("#id_source", "ALL")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    assert page.locator("#identifiers-heading .note").count() == 1
    page.locator(".reveal-form button").first.click()
    page.wait_for_load_state()
    assert page.locator("#include-revealed").count() == 1
    problems = check_page(page, "profile-note-revealed")
    page.goto(page.base + "/")
    assert page.locator("#rate-allowance").is_visible()
    problems += check_page(page, "search-allowance")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": "expired-session", "url": page.base}])
    page.goto(page.base + "/")
    assert page.locator(".session-expired").is_visible()
    problems += check_page(page, "sign-in-expired")
    report(problems, "states")


def test_the_auditors_pages_are_accessible_and_fit_a_phone(page):
    """The admin's audit pages and a customer's history as the auditor sees them, and the 403
    page of a user without a role."""
    from tests.trail import days_ago, entry, local, write

    auditor()
    alice = agent()
    write([entry(alice, local(days_ago(n), 10), customer_id=str(AARAV)) for n in range(1, 4)])
    sign_in(page, "auditor", landing="/admin/customers/auditentry/")
    problems = check_page(page, "audit-list")
    for path, name in (
        ("/admin/", "admin-index"),
        ("/admin/customers/auditentry/overview/", "audit-overview"),
        ("/admin/customers/auditentry/signals/", "audit-signals"),
        ("/admin/customers/auditentry/staff/agent/", "audit-staff"),
        (f"/admin/customers/auditentry/{AuditEntry.objects.first().pk}/change/", "audit-entry"),
        (f"/customers/{AARAV}/history/", "auditor-history"),
    ):
        problems += visit(page, path, name)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    User.objects.create_user("nobody", password=PASSWORD)
    sign_in(page, "nobody")
    problems += check_page(page, "forbidden")
    report(problems, "auditor")


# One frame


def frame(page) -> dict:
    """What frames a customer page: the breadcrumb (text and link of each item), the headings in
    the customer header, and the tab bar (each tab's link, and the current one's)."""
    return page.evaluate(
        """() => {
        const all = selector => [...document.querySelectorAll(selector)];
        return {
        crumbs: [...document.querySelectorAll('.breadcrumbs li')].map(li => ({
            text: li.innerText.trim(), href: li.querySelector('a')?.getAttribute('href') || null,
            current: li.getAttribute('aria-current')})),
        headings: all('header.customer-header h1').map(h => h.innerText),
        tabs: all('nav.customer-tabs a').map(a => a.getAttribute('href')),
        current: all('nav.customer-tabs a[aria-current=page]').map(a => a.getAttribute('href')),
        navs: all('nav.customer-tabs').length,
    }; }"""
    )


def test_every_customer_page_and_the_history_share_one_frame(page):
    """The sections and the access history: the same breadcrumb (search, the customer, the page),
    one customer heading, the same tab bar with the page's own tab current."""
    agent()
    sign_in(page, "agent")
    search(page, MOBILE)
    base = f"/customers/{AARAV}/"
    paths = [base + ("" if name == "overview" else f"{name}/") for name in SECTIONS]
    paths.append(base + "history/")
    frames = {}
    for path in paths:
        page.goto(page.base + path)
        frames[path] = frame(page)
    bars = {tuple(found["tabs"]) for found in frames.values()}
    assert bars == {tuple(paths)}
    for path, found in frames.items():
        assert found["navs"] == 1, path
        assert found["current"] == [path]
        assert len(found["headings"]) == 1 and found["headings"][0], path
        crumbs = found["crumbs"]
        assert [crumb["href"] for crumb in crumbs] == ["/", base, None], path
        assert crumbs[-1]["current"] == "page"
    assert frames[base + "history/"]["crumbs"][-1]["text"] == "Access history"
    assert frames[base + "cards/"]["crumbs"][-1]["text"] == SECTIONS["cards"]


def test_the_auditors_history_links_only_to_pages_the_auditor_may_open(page):
    """An auditor may read every customer's history but look up none: their history page has
    the frame with the history tab alone, and every link on it opens (none answers 403)."""
    from tests.trail import days_ago, entry, local, write

    auditor()
    alice = agent()
    write(
        [entry(alice, local(days_ago(n), 10), customer_id=str(AARAV)) for n in range(1, 4)]
        + [entry(alice, local(days_ago(1), 11), customer_id="5000002")]
    )
    sign_in(page, "auditor", landing="/admin/customers/auditentry/")
    history = f"/customers/{AARAV}/history/"
    page.goto(page.base + history)
    found = frame(page)
    assert found["tabs"] == found["current"] == [history]
    assert [crumb["href"] for crumb in found["crumbs"]] == [
        "/admin/customers/auditentry/",
        None,
        None,
    ]
    assert page.get_by_role("link", name="Search").count() == 0
    links = page.eval_on_selector_all(
        "a[href]",
        "links => [...new Set(links.map(a => a.href))].filter(h => h.startsWith(location.origin))",
    )
    assert len(links) >= 3
    for link in links:
        response = page.request.get(link)
        assert response.status == 200, link
        assert "/accounts/login/" not in response.url, link
    # No link leads to a customer's pages, which the auditor may not open.
    assert not [link for link in links if re.search(r"/customers/\d+/(?!history/)", link)]


# The keyboard alone


def tab_to(page, test: str, presses: int = 60) -> None:
    """Tab until the focused element passes `test` (a JavaScript expression on `el`), and check
    that the focused element shows where the focus is."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => !!el && ({test}))(document.activeElement)"):
            style = page.evaluate(
                "(el => { const s = getComputedStyle(el);"
                " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })(document.activeElement)"
            )
            assert style[0] != "none" or style[2] != "none", (test, style)
            return
    raise AssertionError(f"Tab never reached {test}")


def test_the_whole_flow_works_from_the_keyboard_alone(page):
    """Sign in, search, the result, another tab and back, reveal the mobile, copy the summary:
    keys only, each control reached with Tab and showing its focus."""
    from playwright.sync_api import expect

    agent()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    page.goto(page.base + "/accounts/login/")
    page.wait_for_function("document.activeElement.id === 'id_username'")
    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/")

    page.wait_for_function("document.activeElement.name === 'q'")
    page.keyboard.type(MOBILE)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))

    tab_to(page, "el.matches('nav.customer-tabs a') && el.innerText.startsWith('Programs')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/programs/$"))
    tab_to(page, "el.matches('nav.customer-tabs a') && el.innerText.startsWith('Overview')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))

    assert MOBILE not in page.locator("#content").inner_text()
    tab_to(page, "el.matches('.reveal-button') && el.closest('form').field.value === 'mobile'")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#content")).to_contain_text(MOBILE)

    tab_to(page, "el.matches('.copy-button')")
    page.keyboard.press("Enter")
    expect(page.locator(".copy-button")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith(f"Customer {AARAV}")
    page.screenshot(path=str(SCREENSHOTS / "a11y-keyboard-copied.png"))
