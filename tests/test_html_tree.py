"""The parsed-HTML helper the page tests read structure with (tests.html_tree)."""

import pytest

from tests.html_tree import parse

PAGE = """
<form id="f" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
  <select name="source"><option value="ALL">ALL</option><option value="INSTORE" selected>INSTORE
  </select>
  <label><input type="checkbox" name="embed" value="mlp" checked data-embed> Tiers &amp; points
  </label>
  <input type="checkbox" name="embed" value="points" data-embed>
</form>
<p class="note big">One<br>two &lt;three&gt;</p>
<nav><a href="/a/" aria-current="page">A</a><a href="/b/">B</a></nav>
"""


def test_elements_are_found_by_tag_and_attributes():
    """Exact values, a class among several, presence or absence, hyphens as underscores."""
    page = parse(PAGE)

    assert [box["value"] for box in page.find_all("input", checked=True)] == ["mlp"]
    assert [box["value"] for box in page.find_all(data_embed=True, checked=False)] == ["points"]
    assert page.find(class_="big").tag == "p"
    assert page.find("a", aria_current="page")["href"] == "/a/"
    assert page.find("form", id="f").find("input", type="hidden")["value"] == "t"


def test_void_elements_hold_nothing():
    """An input has no end tag: what follows it is its sibling, not its child; an end tag
    closes what was left open inside its element."""
    page = parse(PAGE)

    select = page.find("select", name="source")
    assert [option["value"] for option in select.find_all("option")] == ["ALL", "INSTORE"]
    assert len(page.find("form").find_all("input")) == 3
    assert page.find("label").text == "Tiers & points"
    assert parse("<div><p>a<span>b</div><i>c</i>").find("div").text == "ab"


def test_text_is_decoded_and_collapsed():
    """Entities read as characters, line breaks and runs of space as one space."""
    assert parse(PAGE).find("p").text == "One two <three>"
    assert parse("<div>\n  a\n\n b </div>").find("div").text == "a b"


@pytest.mark.parametrize("tag", ["table", "a"])
def test_find_fails_unless_exactly_one_element_matches(tag):
    """find is for the one element a test is about: none or several is a failure."""
    with pytest.raises(AssertionError, match=r"\d+ elements match"):
        parse(PAGE).find(tag)
