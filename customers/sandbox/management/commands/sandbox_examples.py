import json

from django.core.management.base import BaseCommand, CommandParser

from customers.sandbox.examples import showcase

COLUMNS = ("source", "accountId", "identifierName", "identifierValue", "shows")


class Command(BaseCommand):
    help = "List the sandbox's showcase members and how to look each one up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args: object, **options: object) -> None:
        rows = showcase()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        cells = [
            [", ".join(row.get(c, "")) if c == "shows" else row.get(c, "") for c in COLUMNS]
            for row in rows
        ]
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(COLUMNS)]
        line = "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))
        self.stdout.write(line.rstrip())
        self.stdout.write("  ".join("-" * w for w in widths))
        for row, cell in zip(rows, cells, strict=True):
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(cell, widths, strict=True)).rstrip()
            )
            self.stdout.write(f"    {row['description']}")
