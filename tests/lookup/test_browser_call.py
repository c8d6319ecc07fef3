# The browser fixture comes from test_browser, and tests take it as an argument.
# ruff: noqa: F811
"""The agent's whole call in Chromium, at 1366 px and on a 390 px phone: the session expires
while the agent types, and the search runs after signing in again with the same answer; a
local number finds the member; Reveal and Copy; the raw tab masked; and no cell cut off or
scrolled sideways on any tab of the largest member on a phone. Screenshots at 1366 px, 390 px
and in dark mode land in test-output/screenshots/call-*.png. Every Playwright step waits at
most 20 s (the context's default timeout), so a stuck step fails with a traceback.
"""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from customers.audit.models import Action, AuditEntry
from customers.pages.tabs import SECTIONS
from tests.lookup.test_browser import (  # noqa: F401 (the fixtures)
    AARAV,
    MOBILE,
    PASSWORD,
    SCREENSHOTS,
    browser,
    role_group,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "aarav.sharma@sandbox.example"
LARGEST_MOBILE = "919999000014"
SIZES = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
# Elements of the page's content that are wider than the screen, or scroll sideways inside
# themselves (the tab bar, one row that scrolls on purpose, left out).
SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    if (document.documentElement.scrollWidth > width + 1) {
        found.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
    }
    for (const e of document.querySelectorAll('#content *')) {
        if (e.closest('.customer-tabs, .visually-hidden')) continue;
        const style = getComputedStyle(e);
        const box = e.getBoundingClientRect();
        if (!box.width || style.position === 'absolute') continue;
        const name = e.tagName.toLowerCase() + (e.className ? '.' + e.className : '');
        if (box.right > width + 1) found.push(name + ' ends at ' + Math.round(box.right));
        if (['auto', 'scroll', 'hidden'].includes(style.overflowX)
                && e.scrollWidth > e.clientWidth + 1) {
            found.push(name + ' scrolls sideways (' + e.scrollWidth + ' > ' + e.clientWidth + ')');
        }
    }
    return found.slice(0, 10);
}"""


@pytest.fixture
def tab(browser, live_server, sandbox, request):
    size = SIZES[request.param]
    context = browser.new_context(viewport=size, reduced_motion="reduce")
    context.set_default_timeout(20_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.base = live_server.url
    page.size = request.param
    user = User.objects.create_user("agent", password=PASSWORD)
    user.groups.add(role_group("Support agents"))
    yield page
    context.close()


def shoot(page, name: str, *, dark: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if dark:
        page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(SCREENSHOTS / f"call-{name}.png"), full_page=True)
    if dark:
        page.emulate_media(color_scheme="light")


def sign_in(page) -> None:
    page.fill("#id_username", "agent")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def attention(page) -> list[str]:
    return page.locator(".needs-attention li").all_inner_texts()


def end_sessions(page) -> None:
    """The browser's session ends on the server, whichever store keeps it (the database, or the
    cache on the Redis path), as when it times out."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for cookie in page.context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            store(session_key=cookie["value"]).delete()


@pytest.mark.parametrize("tab", ["1366", "390"], indirect=True)
def test_the_agents_whole_call(tab):
    page, size = tab, tab.size
    page.goto(page.base + "/")
    sign_in(page)
    page.wait_for_url(page.base + "/")
    shoot(page, f"{size}-search")

    # The first search, as a reference answer.
    page.fill("#id_q", MOBILE)
    page.click("#search-form input[type=submit]")
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))
    first_answer = attention(page)
    assert first_answer and any("expire" in line for line in first_answer)

    # The caller rings again; the agent types, leaves the box a few choices changed and is
    # idle past the timeout: the session is gone when Search is pressed.
    page.goto(page.base + "/")
    page.fill("#id_q", f"+91 {MOBILE[2:7]} {MOBILE[7:]}")
    page.fill("#id_reason", "ticket 4711")
    page.click("#search-advanced summary")
    page.uncheck("[data-embed][value=segments]")
    end_sessions(page)
    page.click("#search-form input[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert MOBILE[2:7] not in page.url
    assert "Your session expired" in page.locator(".session-expired").inner_text()
    shoot(page, f"{size}-session-expired")
    sign_in(page)

    # Back from signing in, the kept search runs by itself: the same member, the same answer.
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))
    assert attention(page) == first_answer
    lookup = AuditEntry.objects.filter(action=Action.LOOKUP).latest("id")
    assert lookup.reason == "ticket 4711"
    assert "segments" not in lookup.embeds and "mlp" in lookup.embeds
    shoot(page, f"{size}-overview")
    if size == "1366":
        shoot(page, "dark-overview", dark=True)

    # The raw tab shows no contact detail in full.
    page.goto(page.url + "raw/")
    raw = page.locator("pre.raw-json").inner_text()
    assert MOBILE not in raw and EMAIL not in raw
    page.go_back()
    page.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))

    # Reveal the mobile: the page comes back where the agent was, the summary stays masked...
    page.locator("#identifiers-heading").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    page.get_by_role("button", name="Reveal mobile").first.click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.readyState === 'complete'")
    assert MOBILE in page.locator("#content").inner_text()
    assert abs(page.evaluate("window.scrollY") - before) < 80
    copy = page.get_by_role("button", name="Copy summary")
    copy.click()
    assert MOBILE not in page.evaluate("navigator.clipboard.readText()")
    # ...unless the agent asks for the revealed details.
    page.check("#include-revealed")
    copy.click()
    assert MOBILE in page.evaluate("navigator.clipboard.readText()")
    shoot(page, f"{size}-revealed")

    # Another caller gives their number as people say it: the local number finds them, and
    # the chip says how it is searched.
    page.goto(page.base + "/")
    page.fill("#id_q", "99990 00003")
    assert page.locator("[data-chips] .chip-value").all_inner_texts() == ["+91 99990 00003"]
    page.click("#search-form input[type=submit]")
    page.wait_for_url(re.compile(r"/customers/5000003/$"))
    shoot(page, f"{size}-local-number")

    if size == "390":
        page.goto(page.base + "/")
        page.fill("#id_q", LARGEST_MOBILE)
        page.click("#search-form input[type=submit]")
        page.wait_for_url(re.compile(r"/customers/\d+/$"))
        base = page.url
        problems = {}
        for section in SECTIONS:
            page.goto(base + ("" if section == "overview" else f"{section}/"))
            found = page.evaluate(SIDEWAYS)
            if found:
                problems[section] = found
            shoot(page, f"390-largest-{section}")
        assert problems == {}
