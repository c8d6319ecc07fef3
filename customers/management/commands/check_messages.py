"""The catalogue check (`make check-messages`, part of `make check`): fails when the catalogues
in locale/ are not what the code asks for (docs/languages.md).

(a) Running makemessages again (on a copy of the project) would add or drop a msgid in any
    catalogue: a string was marked, changed or removed without `make messages`.
(b) With --complete, a catalogue has an untranslated or fuzzy entry (`msgfmt --statistics`).
(c) msgfmt --check finds an error (a placeholder the translation lacks, a bad plural form), or
    a catalogue's header is fuzzy (the compiled catalogue would then ignore its plural forms).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import chdir
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.translation import to_locale

# The options of `make messages` (the Makefile's MAKEMESSAGES): keep the two in step.
IGNORED = [".venv/*", "tests/*", "node_modules/*", "staticfiles/*", "deploy/*", "docs/*"]
DOMAINS = ("django", "djangojs")
# What is not copied to run makemessages on: never extracted from.
NOT_COPIED = shutil.ignore_patterns(
    ".venv*",
    ".git",
    "node_modules",
    "staticfiles",
    "tests",
    "docs",
    "deploy",
    "__pycache__",
    "*.sqlite3*",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "test-output",
    "*.mo",
)
STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?"
)
Key = tuple[str | None, str, str | None]


def languages() -> list[str]:
    """The locale names of the shipped languages with a catalogue (English is the source)."""
    return [to_locale(code) for code, _ in settings.LANGUAGES if not code.startswith("en")]


def entries(text: str) -> dict[Key, bool]:
    """A catalogue's entries, (msgctxt, msgid, msgid_plural) -> fuzzy; obsolete ones left out.
    Strings are compared as written in the file (their escapes kept)."""
    found: dict[Key, bool] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        fields: dict[str, str] = {}
        field = ""
        fuzzy = False
        for line in lines:
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line[2:].replace(",", " ").split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[field] = fields.get(field, "") + line.strip()[1:-1]
            else:
                field, _, rest = line.partition(" ")
                fields[field] = rest.strip()[1:-1]
        found[(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))] = fuzzy
    return found


def catalogues(locale_dir: Path) -> Iterator[tuple[str, Path]]:
    for language in languages():
        for domain in DOMAINS:
            yield f"{language}/{domain}.po", locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def supplements(locale_dir: Path) -> Iterator[tuple[str, Path]]:
    """The translations of Django's own strings its catalogues lack (locale/django/README.md):
    not extracted from our code, but checked like ours."""
    for path in sorted((locale_dir / "django").glob("*/LC_MESSAGES/*.po")):
        yield str(path.relative_to(locale_dir)), path


def extraction_changes(root: Path, locale_dir: Path) -> list[str]:
    """What running makemessages over the code in root would change in locale_dir's
    catalogues' msgids (run on a copy: nothing of root or locale_dir is written)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="check-messages-") as temporary:
        copy = Path(temporary) / "project"
        shutil.copytree(root, copy, ignore=NOT_COPIED)
        if (copy / "locale").exists():
            shutil.rmtree(copy / "locale")
        if locale_dir.is_dir():
            shutil.copytree(locale_dir, copy / "locale", ignore=NOT_COPIED)
        with chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=languages(),
                    domain=domain,
                    no_location=True,
                    no_obsolete=True,
                    no_wrap=True,
                    ignore_patterns=list(IGNORED),
                    verbosity=0,
                )
        for name, path in catalogues(locale_dir):
            extracted = copy / "locale" / path.relative_to(locale_dir)
            if not path.exists():
                problems.append(f"{name}: missing (run make messages)")
                continue
            now = set(entries(path.read_text()))
            wanted = set(entries(extracted.read_text())) if extracted.exists() else set()
            for key in sorted(wanted - now, key=str)[:20]:
                problems.append(f"{name}: not in the catalogue (run make messages): {key[1]!r}")
            for key in sorted(now - wanted, key=str)[:20]:
                problems.append(f"{name}: no longer in the code (run make messages): {key[1]!r}")
    return problems


def catalogue_problems(locale_dir: Path, *, complete: bool) -> list[str]:
    """msgfmt --check's errors and a fuzzy header, in every catalogue; with `complete`, also
    every untranslated or fuzzy entry (counted by msgfmt --statistics)."""
    problems: list[str] = []
    for name, path in [*catalogues(locale_dir), *supplements(locale_dir)]:
        if not path.exists():
            problems.append(f"{name}: missing (run make messages)")
            continue
        if entries(path.read_text()).get((None, "", None)):
            problems.append(f"{name}: the header is marked fuzzy")
        # GNU gettext's msgfmt, found on PATH as makemessages and compilemessages find it.
        command = ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(path)]
        result = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C"},
            check=False,
        )
        if result.returncode != 0:
            problems.append(f"{name}: msgfmt --check failed:\n{result.stderr.strip()}")
            continue
        counts = STATISTICS.search(result.stderr)
        fuzzy = int(counts["fuzzy"] or 0) if counts else 0
        untranslated = int(counts["untranslated"] or 0) if counts else 0
        if complete and (fuzzy or untranslated):
            problems.append(
                f"{name}: {fuzzy} fuzzy and {untranslated} untranslated ({result.stderr.strip()})"
            )
    return problems


class Command(BaseCommand):
    help = "Fail when the catalogues in locale/ miss a string of the code, or have an error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--complete",
            action="store_true",
            help="also fail on any untranslated or fuzzy entry",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if shutil.which("msgfmt") is None or shutil.which("xgettext") is None:
            raise CommandError("GNU gettext is missing: apt-get install gettext.")
        root = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = extraction_changes(root, locale_dir) + catalogue_problems(
            locale_dir, complete=options["complete"]
        )
        if problems:
            raise CommandError("The catalogues need work:\n" + "\n".join(problems))
        self.stdout.write(
            "The catalogues hold every string of the code"
            + (", all translated." if options["complete"] else ".")
        )
