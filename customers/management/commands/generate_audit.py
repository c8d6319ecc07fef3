"""Synthetic audit entries in bulk, for measuring the audit list and filters at scale."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from customers.audit.models import Action, AuditEntry, AuditIdentifier, Outcome
from customers.insights import rollup
from customers.masking import identifier_hash, mask_mobile

# (action, weight) and (outcome, weight): roughly what a busy call centre produces.
ACTIONS = [
    (Action.LOOKUP, 60),
    (Action.VIEW_SECTION, 30),
    (Action.REVEAL, 6),
    (Action.RAW_VIEW, 4),
]
OUTCOMES = [
    (Outcome.FOUND, 80),
    (Outcome.NOT_FOUND, 12),
    (Outcome.INVALID, 4),
    (Outcome.ERROR, 2),
    (Outcome.RATE_LIMITED, 1),
    (Outcome.FORBIDDEN, 1),
]
SOURCES = ["INSTORE", "INSTORE", "INSTORE", "MARTJACK", "WECHAT"]
SYNTHETIC = "synthetic (generate_audit)"


class Command(BaseCommand):
    help = (
        "Insert N synthetic audit entries spread over the last --days days, by --users "
        "synthetic (inactive) users, for benchmarks. Refuses unless DEBUG is on or --force is "
        f"given; every row has the detail {SYNTHETIC!r}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, metavar="N", help="How many entries to insert.")
        parser.add_argument("--days", type=int, default=90, help="Spread over this many days.")
        parser.add_argument("--users", type=int, default=20, help="How many synthetic users.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off (a benchmark database only: the rows are not real).",
        )

    def handle(
        self,
        *args: object,
        count: int,
        days: int,
        users: int,
        batch_size: int,
        seed: int,
        force: bool,
        **options: object,
    ) -> None:
        if not (settings.DEBUG or force):
            raise CommandError(
                "generate_audit writes made-up audit entries; it runs with DEBUG=true, or with "
                "--force on a database that is only for benchmarks."
            )
        if count < 1 or days < 1 or users < 1 or batch_size < 1:
            raise CommandError("N, --days, --users and --batch-size must be positive.")
        rng = random.Random(seed)
        people = [
            get_user_model().objects.get_or_create(
                username=f"synthetic-{number:03d}", defaults={"is_active": False}
            )[0]
            for number in range(1, users + 1)
        ]
        now = timezone.now()
        actions, action_weights = zip(*ACTIONS, strict=True)
        outcomes, outcome_weights = zip(*OUTCOMES, strict=True)
        written = 0
        while written < count:
            size = min(batch_size, count - written)
            entries, mobiles = [], []
            for _ in range(size):
                user = rng.choice(people)
                mobile = f"91{rng.randrange(10**10):010d}"
                mobiles.append(mobile)
                entries.append(
                    AuditEntry(
                        created_at=now - timedelta(seconds=rng.uniform(0, days * 86400)),
                        user=user,
                        username=user.username,
                        role="agent",
                        client_ip=f"10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                        action=rng.choices(actions, action_weights)[0],
                        outcome=rng.choices(outcomes, outcome_weights)[0],
                        source=rng.choice(SOURCES),
                        identifiers=[{"name": "mobile", "value": mask_mobile(mobile)}],
                        embeds="points,tiers",
                        customer_id=str(rng.randrange(1, 50_000)),
                        request_id=f"synthetic-{rng.getrandbits(64):016x}",
                        latency_ms=rng.randrange(40, 900),
                        detail=SYNTHETIC,
                    )
                )
            # Bulk inserts bypass log_action on purpose: they are made-up rows, written at speed.
            with transaction.atomic():
                created = AuditEntry.objects.bulk_create(entries)
                AuditIdentifier.objects.bulk_create(
                    AuditIdentifier(entry=entry, name="mobile", value_hash=identifier_hash(mobile))
                    for entry, mobile in zip(created, mobiles, strict=True)
                )
            written += size
            self.stdout.write(f"{written}/{count}")
        # Entries landed in days that may be counted already: they are counted again.
        rollup.forget(rollup.local_date(now), first=rollup.local_date(now - timedelta(days=days)))
        self.stdout.write(self.style.SUCCESS(f"Inserted {count} synthetic audit entries."))
