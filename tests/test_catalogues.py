"""The catalogue check of `make check-messages` (customers/management/commands/check_messages.py),
on copies of locale/: it fails on a string the catalogues lack, a fuzzy or untranslated entry
(when completeness is asked for) and an entry msgfmt --check refuses."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from customers.management.commands.check_messages import catalogue_problems, extraction_changes

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def locale_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def append(path: Path, entry: str) -> None:
    path.write_text(path.read_text() + "\n" + entry)


def test_the_shipped_catalogues_are_complete_and_have_no_error():
    """Every entry of every shipped catalogue translated, none fuzzy, msgfmt --check clean."""
    assert catalogue_problems(ROOT / "locale", complete=True) == []


def test_a_fuzzy_entry_fails_the_complete_check(locale_copy):
    append(
        locale_copy / "hi/LC_MESSAGES/djangojs.po",
        '#, fuzzy\nmsgid "A string a translator left fuzzy"\nmsgstr "अधूरा"\n',
    )
    # Every other entry translated, so only the fuzzy one is left.
    for path in locale_copy.glob("*/LC_MESSAGES/*.po"):
        path.write_text(path.read_text().replace('msgstr ""\n\n', 'msgstr "x"\n\n'))

    problems = catalogue_problems(locale_copy, complete=True)

    assert any(p.startswith("hi/djangojs.po: 1 fuzzy") for p in problems), problems


def test_an_untranslated_entry_fails_only_the_complete_check(locale_copy):
    append(locale_copy / "ar/LC_MESSAGES/django.po", 'msgid "Not translated yet"\nmsgstr ""\n')

    assert any(
        "ar/django.po" in p and "untranslated" in p
        for p in catalogue_problems(locale_copy, complete=True)
    )
    assert catalogue_problems(locale_copy, complete=False) == []


def test_a_translation_without_the_placeholder_fails_msgfmt_check(locale_copy):
    append(
        locale_copy / "zh_Hans/LC_MESSAGES/django.po",
        '#, python-format\nmsgid "%(count)s cards"\nmsgstr "卡片"\n',
    )

    problems = catalogue_problems(locale_copy, complete=False)

    assert len(problems) == 1 and problems[0].startswith(
        "zh_Hans/django.po: msgfmt --check failed"
    )


def test_a_fuzzy_header_fails(locale_copy):
    path = locale_copy / "hi/LC_MESSAGES/django.po"
    path.write_text(path.read_text().replace('msgid ""\n', '#, fuzzy\nmsgid ""\n', 1))

    assert catalogue_problems(locale_copy, complete=False) == [
        "hi/django.po: the header is marked fuzzy"
    ]


def test_a_string_missing_from_a_catalogue_fails_and_one_the_code_dropped_too(locale_copy):
    path = locale_copy / "ar/LC_MESSAGES/djangojs.po"
    text, replaced = re.subn(
        r'msgid "Copied"\nmsgstr "[^"\n]*"\n',
        'msgid "A string no code has"\nmsgstr "x"\n',
        path.read_text(),
    )
    assert replaced == 1
    path.write_text(text)

    problems = extraction_changes(ROOT, locale_copy)

    assert problems == [
        "ar/djangojs.po: not in the catalogue (run make messages): 'Copied'",
        "ar/djangojs.po: no longer in the code (run make messages): 'A string no code has'",
    ]
    # Nothing of the copy or the project was written.
    assert "A string no code has" in path.read_text()


def test_the_command_names_what_is_wrong(settings, locale_copy):
    (locale_copy / "hi/LC_MESSAGES/djangojs.po").unlink()
    settings.LOCALE_PATHS = [locale_copy]

    with pytest.raises(CommandError, match=r"hi/djangojs\.po: missing"):
        call_command("check_messages")


# The names makemessages (xgettext) knows as translation calls: a string marked through any
# other name never reaches a catalogue, and no re-extraction can notice.
KEYWORDS = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
KEYWORDS |= {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_strings_are_marked_only_through_names_makemessages_extracts():
    """`gettext as _` is the one alias; `gettext_lazy as _lazy` hid 74 strings once."""
    import ast

    aliased = []
    for path in [*(ROOT / "customers").rglob("*.py"), *(ROOT / "lookupsite").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for name in node.names:
                    as_ = name.asname or name.name
                    if name.name in KEYWORDS and as_ != name.name and as_ != "_":
                        aliased.append(f"{path.relative_to(ROOT)}: {name.name} as {as_}")
                    if as_ == "_" and name.name != "gettext":
                        aliased.append(f"{path.relative_to(ROOT)}: {name.name} as _")
    assert aliased == []


def test_the_supplement_of_djangos_own_strings_is_checked_too(locale_copy):
    """locale/django/hi (Django's strings its Hindi catalogue lacks) is no code's extraction,
    but an error in it fails the check like one in ours."""
    supplement = locale_copy / "django/hi/LC_MESSAGES/django.po"
    assert [p for p in catalogue_problems(locale_copy, complete=True) if "django/hi" in p] == []
    append(supplement, '#, python-format\nmsgid "Delete %(name)s"\nmsgstr "हटाएँ"\n')
    [problem] = [p for p in catalogue_problems(locale_copy, complete=False) if "django/hi" in p]
    assert "msgfmt --check failed" in problem
