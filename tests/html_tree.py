"""Pages as parsed HTML, for tests that check a page's structure.

Tests find elements by tag and attributes and read their attributes and text, instead of matching
markup with regular expressions or substrings, which break on attribute order, spacing, quoting
and entities, and cannot tell which element a piece of markup belongs to:

    page = parse(response.content.decode())
    source = page.find("select", name="source")
    assert [option.text for option in source.find_all("option", selected=True)] == ["INSTORE"]

Attribute filters: a string is the exact value (for `class_`, a class the element has), True asks
that the attribute be present, False that it be absent; underscores stand for hyphens
(`aria_current="page"`, `data_embed=True`). Text is the visible text with entities decoded and
whitespace collapsed. Built on Python's html.parser, which tolerates what browsers tolerate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Element", "parse"]

# Elements that never have content or an end tag.
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_SPACE = re.compile(r"\s+")


@dataclass(eq=False)
class Element:
    """One element of a parsed page (the page itself is a root element with tag "")."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        """An attribute's value ("" for one written without a value); KeyError if absent."""
        return self.attrs[name] or ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The text inside, entities decoded, whitespace (and <br>) collapsed to single spaces
        and stripped."""
        return _SPACE.sub(" ", "".join(self._texts())).strip()

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag == "br":
                yield "\n"
            else:
                yield from child._texts()

    def iter(self) -> Iterator[Element]:
        """Every element inside, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def matches(self, tag: str | None = None, /, **attrs: str | bool) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for key, wanted in attrs.items():
            name = "class" if key == "class_" else key.replace("_", "-")
            if wanted is True or wanted is False:
                if (name in self.attrs) is not wanted:
                    return False
            elif name == "class":
                if not set(wanted.split()) <= self.classes:
                    return False
            elif name not in self.attrs or (self.attrs[name] or "") != wanted:
                return False
        return True

    def find_all(self, tag: str | None = None, /, **attrs: str | bool) -> list[Element]:
        """The elements inside with this tag (any tag for None) whose attributes match."""
        return [element for element in self.iter() if element.matches(tag, **attrs)]

    def find(self, tag: str | None = None, /, **attrs: str | bool) -> Element:
        """The one element inside that matches; fails the test unless exactly one does."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag or '*'} {attrs}"
        return found[0]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        # Close the nearest open element of this tag (and any left open inside it); an end tag
        # with no open element, as browsers do, is ignored.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str | bytes) -> Element:
    """The page as a tree of elements; its root holds the top-level elements."""
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return parser.root
