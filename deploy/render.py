#!/usr/bin/env python3
"""Fills the {{NAME}} placeholders of a file in deploy/ and prints the result.

    python3 deploy/render.py TEMPLATE [NAME=VALUE ...] > OUTPUT

A value comes from a NAME=VALUE argument, or else from the environment variable NAME. Nothing
is printed if a placeholder has no value, or a value holds a line break (which would add lines
of configuration): the exit status is 2 and the message names them. Values go in as given.
Only the standard library: it runs with Debian's python3 before the app is installed.
"""

import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PLACEHOLDER = re.compile(r"\{\{([A-Z][A-Z0-9_]*)\}\}")


class RenderError(Exception):
    pass


def render(template: str, values: Mapping[str, str]) -> str:
    names = sorted(set(PLACEHOLDER.findall(template)))
    missing = [name for name in names if name not in values]
    if missing:
        raise RenderError(f"no value for {', '.join(missing)}")
    multiline = [name for name in names if "\n" in values[name] or "\r" in values[name]]
    if multiline:
        raise RenderError(f"a line break in the value of {', '.join(multiline)}")
    return PLACEHOLDER.sub(lambda match: values[match[1]], template)


def main(arguments: Sequence[str], environment: Mapping[str, str]) -> int:
    if not arguments or arguments[0] in {"-h", "--help"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    template, *pairs = arguments
    values = dict(environment)
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not PLACEHOLDER.fullmatch(f"{{{{{name}}}}}"):
            print(f"render.py: {pair!r} is not NAME=VALUE", file=sys.stderr)
            return 2
        values[name] = value
    try:
        sys.stdout.write(render(Path(template).read_text(encoding="utf-8"), values))
    except (OSError, RenderError) as error:
        print(f"render.py: {template}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
