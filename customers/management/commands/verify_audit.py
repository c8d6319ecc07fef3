"""Proves the audit trail complete and unchanged, or names the first entry where it is not."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.audit.chain import Break, Link, Walk, entries_are
from customers.audit.export import Agreement, ExportError, read_links
from customers.audit.models import AuditChain, AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: every entry unchanged, none missing or slipped in "
        "since the first remaining one (prune_audit's deletions are recorded and accepted). "
        "With --exports DIR, also check the files export_audit wrote and that the database "
        "still holds every entry in them. Exits 1 naming the first broken entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--exports",
            type=Path,
            metavar="DIR",
            help="Also check the daily files export_audit wrote to DIR against the database.",
        )
        parser.add_argument(
            "--exports-only",
            action="store_true",
            help="Check only the files in --exports DIR (no database needed, only the key).",
        )

    def handle(
        self, *args: object, exports: Path | None, exports_only: bool, **options: object
    ) -> None:
        if exports_only and exports is None:
            raise CommandError("--exports-only needs --exports DIR.")
        try:
            if exports is not None:
                self._verify_exports(exports)
            if not exports_only:
                self._verify_database(exports)
        except ExportError as error:
            raise CommandError(f"The exports are damaged: {error}") from error

    def _verify_exports(self, directory: Path) -> None:
        walk = Walk(anchored=False)
        for link in read_links(directory):
            walk.add(link)
        _fail_at(walk.first_break(), f"The exports in {directory} are broken")
        if walk.first is None:
            self.stdout.write(f"No exported entries in {directory}.")
            return
        self.stdout.write(
            f"Exports in {directory} intact: {_extent(walk)}, each signed and linked to the one "
            "before it."
        )

    def _verify_database(self, exports: Path | None) -> None:
        # The head first: every entry up to it was committed with it; later ones may follow.
        head = AuditChain.objects.filter(pk=AuditChain.HEAD).first()
        walk = Walk(anchored=True)
        agreement = Agreement(read_links(exports)) if exports is not None else None
        at_head = None
        for link in AuditEntry.objects.links():
            walk.add(link)
            if agreement is not None:
                agreement.add(link)
            if head is not None and link.sequence == head.sequence:
                at_head = link
        broken = [walk.first_break(), _head_break(head, walk, at_head)]
        if agreement is not None:
            broken.append(agreement.finish())
        _fail_at(
            min((b for b in broken if b), key=lambda b: b.sequence, default=None),
            "The audit trail is broken",
        )
        if walk.first is None:
            self.stdout.write("The audit trail holds no chained entries yet.")
        else:
            self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {_extent(walk)}."))
            if walk.prunes:
                self.stdout.write(
                    f"It starts where prune_audit left it ({walk.prunes} runs recorded); entry "
                    f"{walk.first.sequence}'s stored previous digest anchors it."
                )
        if agreement is not None:
            self.stdout.write(
                f"The database holds the {agreement.compared} exported entries it still "
                "should, unchanged."
            )
        outside = AuditEntry.objects.filter(sequence__isnull=True).count()
        if outside:
            self.stdout.write(
                f"{outside} entries are outside the chain, which does not vouch for them: "
                "written before it began, by an older release during the upgrade to it, or by "
                "generate_audit."
            )


def _extent(walk: Walk) -> str:
    first, last = walk.first, walk.last
    assert first is not None and last is not None  # only asked of a walk that met links
    return (
        f"entries {first.sequence} to {last.sequence} ({walk.count} in all), "
        f"{first.content['created_at']} to {last.content['created_at']}"
    )


def _head_break(head: AuditChain | None, walk: Walk, at_head: Link | None) -> Break | None:
    """The chain's head, read before the walk, names the newest entry written by then: the
    trail must reach it (entries written meanwhile may follow)."""
    if head is None or head.sequence == 0:
        return None
    last = walk.last.sequence if walk.last else 0
    if last < head.sequence:
        return Break(
            last + 1,
            f"{entries_are(last + 1, head.sequence)} missing from the end of the trail (the "
            f"chain was at entry {head.sequence})",
        )
    if at_head is not None and at_head.digest != head.digest:
        return Break(head.sequence, f"entry {head.sequence} is not the one the chain recorded")
    return None


def _fail_at(broken: Break | None, heading: str) -> None:
    if broken is not None:
        raise CommandError(f"{heading} at entry {broken.sequence}: {broken.problem}.")
