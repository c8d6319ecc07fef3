"""Names and numbers in any script, as Chromium draws them: the Arabic showcase member's overview
on a left-to-right and a right-to-left page, on a phone.

The bug this guards against: an Arabic name pulled the customer number beside it into its own
right-to-left run, so the heading read "5000019# فاطمة" (the `#` after the digits, the number
on the wrong side of the name). The screenshots are saved in test-output/screenshots/.
"""

import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.lookup.test_browser import SCREENSHOTS, browser, log_in, look_up
from tests.people import PASSWORD, role_group

FATIMA = "919999000019"
PHONE = {"width": 390, "height": 844}

__all__ = ["browser"]  # the module's one Chromium (a fixture), shared with the lookup tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each character of an element's text is drawn: one rectangle per code point.
CHARACTER_BOXES = """element => {
    const text = element.firstChild;
    const boxes = [];
    for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const box = range.getBoundingClientRect();
        boxes.push({char: text.data[i], x: box.x, right: box.right, y: box.y});
    }
    return boxes;
}"""


def overview(browser, live_server, locale: str):
    """Fatima's overview at 390 px for a support agent whose browser asks for `locale`."""
    user = User.objects.create_user("agent", password=PASSWORD)
    user.groups.add(role_group("Support agents"))
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.base = live_server.url
    log_in(tab)
    look_up(tab, FATIMA)
    return context, tab


def reads_left_to_right(boxes: list[dict]) -> bool:
    """Each character starts right of the one before it: `#5000019` as written."""
    return all(a["x"] < b["x"] for a, b in itertools.pairwise(boxes))


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_an_arabic_name_leaves_the_customer_number_beside_it_whole(
    browser, live_server, sandbox, locale
):
    """The heading reads name, then `#5000019`, in the page's direction: on an English page
    the name on the left, on an Arabic (right-to-left) page on the right; the `#` before the
    digits either way, and nothing wider than the phone."""
    context, tab = overview(browser, live_server, locale)
    try:
        rtl = locale == "ar"
        direction = tab.evaluate("document.documentElement.dir")
        if rtl and direction != "rtl":
            # Only where the settings offer no Arabic: the page is mirrored by hand.
            tab.evaluate("document.documentElement.dir = 'rtl'")
        assert tab.evaluate("getComputedStyle(document.body).direction") == (
            "rtl" if rtl else "ltr"
        )
        name = tab.locator(".customer-header h1 .customer-name")
        number = tab.locator(".customer-header h1 .customer-id bdi")
        assert number.inner_text() == "#5000019"
        assert name.inner_text() == "فاطمة السيد"

        digits = number.evaluate(CHARACTER_BOXES)
        assert "".join(box["char"] for box in digits) == "#5000019"
        assert reads_left_to_right(digits), digits

        name_box, number_box = name.bounding_box(), number.bounding_box()
        assert name_box is not None and number_box is not None
        if abs(name_box["y"] - number_box["y"]) < name_box["height"] / 2:
            # On one line: the name comes first in the reading direction.
            if rtl:
                assert number_box["x"] + number_box["width"] <= name_box["x"] + 1
            else:
                assert name_box["x"] + name_box["width"] <= number_box["x"] + 1
        else:
            assert name_box["y"] < number_box["y"]

        # The breadcrumb names the member in the same isolated way.
        crumb = tab.locator("ol.breadcrumbs bdi").first
        assert crumb.inner_text() == "فاطمة السيد"

        # A negative balance keeps its minus sign before the digits.
        for figure in tab.locator("bdi[dir=ltr]").all():
            text = figure.inner_text()
            if text[:1] in ("-", "\N{MINUS SIGN}") and figure.is_visible():
                boxes = figure.evaluate(CHARACTER_BOXES)
                assert reads_left_to_right(boxes), text

        # Nothing is wider than the phone: no sideways scrolling, the heading inside the screen.
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for box in (name_box, number_box):
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"overview-{'rtl' if rtl else 'ltr'}-arabic-name-phone.png"
        tab.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {Path(shot)}")
    finally:
        context.close()


def test_the_font_stack_draws_arabic_with_an_arabic_font(browser, live_server, sandbox):
    """The Arabic name is drawn with a font made for Arabic (Noto Naskh/Sans Arabic here), from
    the system's fonts: the stack's fallbacks are used and nothing is downloaded."""
    context, tab = overview(browser, live_server, "ar")
    try:
        fonts_used = used_fonts(tab, ".customer-header h1 .customer-name")
        assert any("Arabic" in family for family in fonts_used), fonts_used
        downloads = tab.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(r => /\\.(woff2?|ttf|otf)(\\?|$)/.test(r.name)).length"
        )
        assert downloads == 0
    finally:
        context.close()


def used_fonts(tab, selector: str) -> list[str]:
    """The families Chromium drew the element's own text with (DevTools' platform fonts)."""
    session = tab.context.new_cdp_session(tab)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [font["familyName"] for font in fonts]
