"""The pages' sentences as translators get them (issue 24): makemessages extracts every string
of customers/pages and the customer tags as a whole sentence with named placeholders, never a
fragment to glue; and the pages render in another language without a catalogue for it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from customers.capillary.records import Customer
from customers.pages.overview import needs_attention, program_answers
from customers.pages.summary import copy_summary
from customers.pages.tabs import SECTIONS
from tests.pages.test_sections import ROWS, documents, render, row_id  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
MARKED = ("customers/pages", "customers/templatetags")
# A conversion that is not named: "%s", "%d", "%.2f" (after "%%" is taken out).
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoau]")
NAMED = re.compile(r"%\(([^)]+)\)")
# Words that only ever glue fragments together: no msgid is one of them alone.
GLUE = {"more", "and", "or", "by", "in", "on", "of", "at", "since", "until", "points"}


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape")


def entries(po: str) -> list[dict[str, Any]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural and flags (no header)."""
    found: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": ""}
    key = ""
    for line in [*po.splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                found.append(entry)
            entry, key = {"flags": ""}, ""
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key in ("msgctxt", "msgid", "msgid_plural"):
                entry[key] += _unquote(line)
        else:
            key = line.split(" ", 1)[0].split("[", 1)[0]
            if key in ("msgctxt", "msgid", "msgid_plural"):
                entry[key] = _unquote(line)
    return found


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """makemessages (as i18n.md runs it) over a copy of the marked modules, for Hindi."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext is missing: apt-get install gettext")
    root = tmp_path_factory.mktemp("messages")
    for folder in MARKED:
        shutil.copytree(ROOT / folder, root / folder)
    (root / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[root / "locale"]):
        cwd = Path.cwd()
        try:
            os.chdir(root)
            call_command(
                "makemessages",
                locale=["hi"],
                no_location=True,
                no_obsolete=True,
                no_wrap=True,
                verbosity=0,
            )
        finally:
            os.chdir(cwd)
    po = root / "locale" / "hi" / "LC_MESSAGES" / "django.po"
    # msgfmt's own check: each entry's format is what its flags say.
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    return entries(po.read_text(encoding="utf-8"))


def test_the_pages_give_translators_a_catalogue_of_whole_sentences(catalogue):
    """Sentences like "Needs 1,250 more points to reach Gold." and their plurals are there."""
    ids = {entry["msgid"] for entry in catalogue}
    assert "Needs %(quantity)s to reach %(tier)s." in ids
    plurals = {entry["msgid"]: entry.get("msgid_plural") for entry in catalogue}
    assert plurals["%(amount)s more point"] == "%(amount)s more points"
    assert len(catalogue) > 200


def test_every_placeholder_is_named_and_valid_python_format(catalogue):
    """No "%s" a translator cannot move; every msgid formats with its own names; a plural
    has the same placeholders as its singular."""
    for entry in catalogue:
        for text in filter(None, (entry["msgid"], entry.get("msgid_plural"))):
            bare = text.replace("%%", "")
            assert not POSITIONAL.search(bare), text
            if "%" in bare:
                assert "python-format" in entry["flags"], text
                text % defaultdict(str)  # raises on a broken placeholder
        if entry.get("msgid_plural"):
            assert set(NAMED.findall(entry["msgid"])) == set(
                NAMED.findall(entry["msgid_plural"])
            ), entry


def test_no_msgid_is_a_fragment_to_glue(catalogue):
    """A msgid never starts or ends with a space (a piece of a sentence built by joining), and
    never is a lone gluing word ("more", "and"); only a list separator (", ") is a separator."""
    for entry in catalogue:
        text = entry["msgid"]
        assert text == text.strip() or entry.get("msgctxt") == "list separator", repr(text)
        assert text.lower() not in GLUE or entry.get("msgctxt"), repr(text)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [row_id(row) for row in ROWS])
def test_every_page_renders_in_hindi_without_a_catalogue(documents, key):  # noqa: F811
    """With Hindi active and no catalogue shipped yet, every sentence still formats: every page,
    the answers and the ticket summary of each showcase member."""
    customer = Customer.from_json(documents[key])
    with translation.override("hi"):
        summary = copy_summary(customer)
        needs_attention(customer)
        program_answers(customer)
        for section in SECTIONS:
            assert str(customer.id) in render(section, customer)
    assert str(customer.id) in summary
