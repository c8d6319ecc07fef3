from django.core.management.base import BaseCommand, CommandParser

from customers.sandbox import seeding


class Command(BaseCommand):
    help = (
        "Replace the sandbox's members by the showcase members plus N generated ones. "
        "Deterministic: the same seed gives the same members."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members",
            type=int,
            default=seeding.DEFAULT_GENERATED,
            help=f"generated members besides the showcase (default {seeding.DEFAULT_GENERATED})",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args: object, members: int, seed: int, **options: object) -> None:
        total = seeding.seed(members=max(0, members), seed=seed)
        self.stdout.write(f"Sandbox seeded: {total} members (seed {seed}).")
