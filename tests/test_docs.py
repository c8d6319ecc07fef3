"""The README is a short front door, and every link in it and in docs/ leads somewhere.

A reader follows links: from the README to each document, between documents to a section, to
the screenshots. A link to a file that moved or a heading that was renamed fails here, naming it.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
DOCUMENTS = sorted(DOCS.glob("*.md"))
README_LIMIT = 30_000  # bytes

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def prose(text: str) -> str:
    """The text a reader sees as Markdown: code blocks and code spans hold no links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file: lower case, punctuation
    dropped, spaces as dashes, a repeated heading numbered -1, -2, ..."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(prose(path.read_text(encoding="utf-8")))
        if not SCHEME.match(target)
    ]


def broken_links(path: Path) -> list[str]:
    """Each relative link of the file whose file or section does not exist."""
    broken = []
    for target in relative_links(path):
        file_part, _, fragment = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif fragment and destination.suffix == ".md" and fragment not in anchors(destination):
            broken.append(f"{target}: no such section")
    return broken


def test_the_readme_stays_a_front_door_under_30_kb():
    assert README.stat().st_size < README_LIMIT


@pytest.mark.parametrize(
    "path", [README, *DOCUMENTS], ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_relative_link_leads_to_an_existing_file_and_section(path):
    assert broken_links(path) == []


def linked_files(path: Path) -> set[Path]:
    return {(path.parent / target.partition("#")[0]).resolve() for target in relative_links(path)}


def test_the_readme_links_to_every_document_and_each_links_back():
    assert DOCUMENTS
    unlisted = [doc for doc in DOCUMENTS if doc not in linked_files(README)]
    not_linking_back = [doc for doc in DOCUMENTS if README not in linked_files(doc)]
    assert unlisted == []
    assert not_linking_back == []


def test_a_link_to_a_missing_section_is_reported(tmp_path):
    """The checker itself: a renamed heading or a moved file is caught, not waved through."""
    (tmp_path / "other.md").write_text("# Other\n\n## Several instances: PostgreSQL and Redis\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\nSee [ok](other.md#several-instances-postgresql-and-redis), "
        "[gone](other.md#several-instances), [moved](missing.md), [here](#page), "
        "`[not a link](nowhere.md)` and [web](https://example.com/x).\n\n"
        "```\n[in code](nowhere.md)\n```\n"
    )
    assert broken_links(page) == [
        "other.md#several-instances: no such section",
        "missing.md: no such file",
    ]
