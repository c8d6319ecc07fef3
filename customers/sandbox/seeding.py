"""Seeding the sandbox: the showcase members plus generated ones, deterministically.

`seed()` replaces every sandbox member, so running it twice with the same arguments leaves
exactly the same rows (idempotent) and the same seed always generates the same members.
"""

import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from . import examples, org
from .documents import upgrade_value
from .ledger import bill, card, currency, enrolment, lot, member, profile
from .models import Identifier, Member

DEFAULT_GENERATED = 300
GENERATED_FIRST_ID = 6000001
BATCH_SIZE = 2000

FIRST_NAMES = [
    "Aditi",
    "Arjun",
    "Bhavna",
    "Chetan",
    "Deepa",
    "Farhan",
    "Gauri",
    "Harish",
    "Isha",
    "Jatin",
    "Kiran",
    "Lakshmi",
    "Manoj",
    "Nisha",
    "Omkar",
    "Pooja",
    "Rahul",
    "Sneha",
    "Tarun",
    "Uma",
    "Varun",
    "Yamini",
    "Zara",
    "Ishaan",
    "Diya",
    "Kabir",
    "Anika",
    "Dev",
    "Riya",
    "Sahil",
]
LAST_NAMES = [
    "Acharya",
    "Bhat",
    "Chopra",
    "Desai",
    "Fernandes",
    "Ghosh",
    "Hegde",
    "Iyengar",
    "Joshi",
    "Kamath",
    "Menon",
    "Naidu",
    "Pillai",
    "Reddy",
    "Saxena",
    "Thakur",
    "Verma",
    "Banerjee",
    "Chatterjee",
    "Malhotra",
    "Shetty",
    "Pandey",
    "Srinivasan",
    "Qureshi",
]
CARD_STATUSES = ("ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "EXPIRED")


def seed(members: int = 0, seed: int = 1) -> int:
    """Replace the sandbox's members by the showcase plus `members` generated ones.

    Returns how many members the sandbox now holds. With members=0 only the showcase members
    are written, which is quick enough for a test's setup.
    """
    rows = [(m.id, m.data) for m in examples.members()]
    rows += list(_generated(members, seed))
    with transaction.atomic():
        # Identifiers first: deleting them is one statement, and then members have no
        # dependants left for the deletion collector to walk.
        Identifier.objects.all().delete()
        Member.objects.update(merged_into=None)
        Member.objects.all().delete()
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            Member.objects.bulk_create(
                [
                    Member(id=customer_id, data=data, merged_into_id=_merged(customer_id))
                    for customer_id, data in batch
                ]
            )
            Identifier.objects.bulk_create(
                [
                    identifier
                    for customer_id, data in batch
                    for identifier in identifiers_of(customer_id, data)
                ]
            )
    return len(rows)


def _merged(customer_id: int) -> int | None:
    return examples.MERGED_INTO.get(customer_id)


def identifiers_of(customer_id: int, data: dict[str, Any]) -> Iterator[Identifier]:
    """The index rows for one member: every profile identifier, and cards on the first one."""
    for position, prof in enumerate(data["profiles"]):
        source, account = prof["source"], prof.get("accountId", "")
        for item in prof["identifiers"]:
            yield Identifier(
                member_id=customer_id,
                source=source,
                account_id=account,
                type=item["type"].lower(),
                value=item["value"],
            )
        if position == 0:
            for item in data.get("cards", []):
                yield Identifier(
                    member_id=customer_id,
                    source=source,
                    account_id=account,
                    type="cardnumber",
                    value=item["number"],
                )


def _generated(count: int, seed: int) -> Iterator[tuple[int, dict[str, Any]]]:
    rng = random.Random(seed)
    for n in range(count):
        yield GENERATED_FIRST_ID + n, _generated_member(rng, n)


def _generated_member(rng: random.Random, n: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    # Mobile numbers and emails depend on n only, so they stay unique whatever the seed.
    mobile = f"9170{n:08d}"
    created = -rng.randint(30, 2500)
    prof = profile(
        "INSTORE",
        first,
        last,
        mobile,
        email=f"member{n:06d}@sandbox.example",
        external_id=f"GEN-{n:06d}",
        created=created,
        modified=rng.randint(created, 0),
        till=f"sandbox.till.{rng.randint(1, 9):02d}",
    )
    programs = [1101] + [p for p in (1102, 1103) if rng.random() < 0.3]
    bills, lots, enrolments = [], [], []
    for program_id in programs:
        program = org.PROGRAMS[program_id]
        program_bills = [
            bill(program_id, rng.randrange(200, 9000, 50), -rng.randint(1, 700))
            for _ in range(rng.randint(0, 12))
        ]
        program_lots = [
            lot(program_id, rng.randrange(50, 2000, 10), -(d := rng.randint(1, 700)), 365 - d)
            for _ in range(rng.randint(0, 6))
        ]
        for item in program_lots:
            if item["exp"] < 0:
                item["state"] = "expired"
            elif rng.random() < 0.25:
                item["state"] = "redeemed"
        value = upgrade_value(program.upgrade_based_on, program_bills, program_lots, 0)
        slab = sum(1 for tier in program.tiers if tier.threshold <= value)
        enrolments.append(enrolment(program_id, slab, rng.randint(20, 360)))
        bills += program_bills
        lots += program_lots
    cards = [
        card(f"SBXG{n:06d}{k}", rng.choice((21, 22)), rng.choice(CARD_STATUSES), created + k)
        for k in range(rng.randint(0, 2))
    ]
    currencies = [currency(1101, rng.randint(0, 300))] if rng.random() < 0.2 else []
    return member(
        [prof],
        enrolments=enrolments,
        bills=bills,
        lots=lots,
        cards=cards,
        currencies=currencies,
        extendedFields={"city": rng.choice(("Mumbai", "Pune", "Chennai", "Delhi", "Kochi"))},
    )
