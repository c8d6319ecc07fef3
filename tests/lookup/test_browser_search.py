# The browser and page fixtures come from test_browser, and tests take them as arguments.
# ruff: noqa: F811
"""The one search box, members' names and the lists people scan, in Chromium (Playwright).

Shares test_browser's browser, pages and sign-in; screenshots land in test-output/screenshots/.
"""

import re

import pytest
from django.contrib.auth.models import User

from customers.lookup.detect import read
from customers.pages.glossary import identifier_types
from customers.sandbox.examples import EXAMPLES
from customers.sandbox.models import Identifier, Member
from tests.lookup.test_browser import (  # noqa: F401 (the fixtures)
    AARAV,
    MOBILE,
    PASSWORD,
    browser,
    log_in,
    new_tab,
    page,
    role_group,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def messy(mobile: str, number: int) -> str:
    """The mobile as people paste it, a different way for each example."""
    cc, rest = mobile[:2], mobile[2:]
    ways = (
        f"+{cc} {rest[:5]} {rest[5:]}",
        f"Mobile: {mobile}, a@b.c",
        f"({cc}) {rest[:5]}-{rest[5:]}",
        f"  00{cc} {rest[:4]} {rest[4:7]} {rest[7:]}\n",
        f"Phone no. +{cc}-{rest};",
    )
    return ways[number % len(ways)]


def answered_by(mobile: str) -> int:
    """The member the sandbox answers for this mobile (a merge victim answers its survivor)."""
    member = Member.objects.get(identifiers__in=Identifier.objects.filter(value=mobile)[:1])
    return member.merged_into_id or member.id


def chips(page) -> list[tuple[str, str]]:
    return [
        (chip.locator("select").input_value(), chip.locator(".chip-value").inner_text())
        for chip in page.locator("[data-chips] li").all()
    ]


def server_chips(text: str) -> list[tuple[str, str]]:
    """The chips as the server reads the text (an ignored word's type reads "ignored")."""
    return [("ignored" if item.ignored else item.kind, item.shown) for item in read(text)]


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_the_box_finds_each_showcase_member_from_a_messy_paste(page, number):
    """Each showcase member from their mobile pasted the messy way (plus, for the shared email
    example, the email): the chips show what was understood before searching, and the search
    lands on the member with no identifier in the URL."""
    example = EXAMPLES[number]
    values = dict(
        zip(example.identifier_name.split(","), example.identifier_value.split(","), strict=True)
    )
    mobile = values["mobile"]
    text = messy(mobile, number)
    if "email" in values:
        text = f"Email: {values['email']}\n{text}"
    log_in(page)
    if example.source != "INSTORE":
        page.click("#search-advanced summary")
        page.select_option("#id_source", example.source)
        if example.account_id:
            page.fill("#id_accountId", example.account_id)

    page.fill("#id_q", text)

    understood = chips(page)
    assert ("mobile", mobile) in understood
    assert understood == server_chips(text)
    if number == 1:
        shoot(page, "search-box-chips")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf"/customers/{answered_by(mobile)}/$"))
    assert mobile not in page.url


TRICKY = (
    "Mobile: 919999000001, A@B.c\nCard No: SBXC00010001; external id = SBX-0001",
    "+91 99990 00001 aarav.sharma@sandbox.example SBX-0001",
    "919999000001 919999000002",
    "Card number 9199 9900 0001",
    "ext 12345678, 1234567",
    "4111 1111 1111 1111 (91) 99990.00001",
    "mail@example.com e-mail: Card@Example.COM",
    '"919999000001". mobile:',
    "09999 000001 wechat: wx_12345",
    "call back on +91 99990 00001 today",
    "(+91) 99990-00001",
    "Hi, the customer's mobile is +91 99990 00001",
    "Name: Aarav Sharma, Mobile: +91 99990 00001 (home) x12",
    "Email - a@b.c, mobile: unknown, card: none SBXC00010001",
    "iyer-household card-1234",
    "\u202a+91 99990 00001\u202c \u2066a\u200b@b.c\u2069 \ufeffSBX\u200d-0001",
    "\uff0b\uff19\uff11 \uff19\uff19\uff19\uff19\uff10 \uff10\uff10\uff10\uff10\uff11",
    "\u0669\u0661\u0669\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0661 \U0001d7d7",
    "+91\u00a099990\u202f00001",
)


def test_the_chips_preview_exactly_what_the_server_will_read(page):
    """lookup.js follows lookup.detect: for each tricky paste the chips show the same types
    and values, in the same order, as the server reads."""
    log_in(page)
    for text in TRICKY:
        page.fill("#id_q", text)
        assert chips(page) == server_chips(text), text


def test_the_chips_name_the_types_as_the_server_does(page):
    """The chips' menus offer the types in the server's words (glossary.identifier_types,
    handed over by the page), not in a copy kept in lookup.js."""
    log_in(page)
    page.fill("#id_q", "wx-openid-1 a@b.c")
    menu = page.get_by_label("Type of a@b.c")
    offered = menu.locator("option").evaluate_all("o => o.map(x => [x.value, x.textContent])")
    assert dict(offered) == identifier_types()
    assert menu.locator("option:checked").inner_text() == "Email"


def test_a_chip_corrects_the_guess_and_removes_a_value(page):
    """A card number that looks like a mobile is read as a mobile; the chip's menu makes it a
    card number (the box gets the label), and x removes a value."""
    log_in(page)
    page.fill("#id_q", "919999000001, 919876543210 a@b.c")
    assert chips(page) == [
        ("mobile", "919999000001"),
        ("mobile", "919876543210"),
        ("email", "a@b.c"),
    ]
    assert page.locator(".chip-clash").count() == 2

    page.get_by_label("Type of 919876543210").select_option("cardnumber")

    assert page.input_value("#id_q") == "919999000001, card: 919876543210 a@b.c"
    assert chips(page)[1] == ("cardnumber", "919876543210")
    assert page.locator(".chip-clash").count() == 0
    page.get_by_role("button", name="Remove a@b.c").click()
    assert chips(page) == [("mobile", "919999000001"), ("cardnumber", "919876543210")]
    shoot(page, "search-box-corrected")


def test_an_ignored_word_is_greyed_and_its_chip_makes_it_an_external_id(page):
    """Words around a mobile are ignored, not searched; the agent who meant one as an
    external id chooses that type on its chip, which writes the label into the box."""
    log_in(page)
    page.fill("#id_q", "\u202aAarav\u202c 919999000001")
    assert chips(page) == [("ignored", "Aarav"), ("mobile", "919999000001")]
    ignored = page.locator(".chip-ignored")
    assert ignored.count() == 1
    assert ignored.evaluate("chip => getComputedStyle(chip).borderStyle") == "dashed"
    shoot(page, "search-box-ignored")

    page.get_by_label("Type of Aarav").select_option("externalId")

    assert page.input_value("#id_q") == "external id: Aarav 919999000001"
    assert chips(page) == [("externalId", "Aarav"), ("mobile", "919999000001")]
    assert page.locator(".chip-ignored").count() == 0


def test_without_javascript_the_server_reads_the_box_the_same_way(browser, live_server, sandbox):
    """JavaScript off: no live chips, but the search works and a failed one shows the chips
    the server understood."""
    user = User.objects.create_user("agent", password=PASSWORD)
    user.groups.add(role_group("Support agents"))
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.base = live_server.url
    try:
        log_in(tab)
        tab.fill("#id_q", "SBXC00010001 +91 98765 00000")
        tab.click("input[type=submit]")
        tab.wait_for_load_state()
        assert "No customer found" in tab.content()
        assert chips_text(tab) == ["Card number SBXC00010001", "Mobile 919876500000"]
        tab.fill("#id_q", "Mobile: +91 99990 00001, a@b.c")
        tab.click("input[type=submit]")
        tab.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))
    finally:
        context.close()


def chips_text(page) -> list[str]:
    return [" ".join(chip.inner_text().split()) for chip in page.locator("[data-chips] li").all()]


def test_the_agent_sees_the_name_and_a_store_manager_does_not(browser, live_server, sandbox):
    """Same member, two roles: the agent's header and overview say the name; the manager's
    show it masked. Neither sees the mobile until it is revealed."""
    for username, group in (("agent", "Support agents"), ("manager", "Store managers")):
        user = User.objects.create_user(username, password=PASSWORD)
        user.groups.add(role_group(group))
    seen = {}
    for username in ("agent", "manager"):
        with new_tab(browser, live_server.url) as tab:
            log_in(tab, username)
            tab.fill("#id_q", "+91 99990 00001")
            tab.click("input[type=submit]")
            tab.wait_for_url(re.compile(rf"/customers/{AARAV}/$"))
            seen[username] = (tab.locator("h1").first.inner_text(), tab.inner_text("main"))
            shoot(tab, f"name-{username}")
    assert "Aarav Sharma" in seen["agent"][0]
    assert "A**** S*****" in seen["manager"][0]
    assert "Aarav" not in seen["manager"][1]
    for _, text in seen.values():
        assert MOBILE not in text


def test_my_lookups_history_and_recent_lookups_fit_a_phone(page):
    """At 390 px the search page with its recent lookups, My lookups and a member's access
    history are no wider than the screen."""
    log_in(page)
    for text in ("+91 99990 00001", "919999000002", "Mobile: 919999000001", "919876500000"):
        page.goto(page.base + "/")
        page.fill("#id_q", text)
        page.click("input[type=submit]")
        page.wait_for_load_state()
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/", "recent-lookups-phone"),
        ("/my-lookups/", "my-lookups-phone"),
        (f"/customers/{AARAV}/history/", "history-phone"),
    ):
        page.goto(page.base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        shoot(page, name)
    page.goto(page.base + "/")
    rows = page.locator(".recent-lookups tbody tr")
    assert rows.count() == 3
    assert "2 lookups" in rows.nth(1).inner_text()
