"""The top of every customer page: the member's name as the user may see it, the fraud status when
flagged, the status and the first programs' tiers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _

from customers.capillary.records import Customer, Profile
from customers.pages.numbers import shown


def display_name(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    profile: Profile | None = None,
) -> str:
    """The customer's name as the user may see it, or "Customer <id>" when there is none: the
    given profile's name first (the member's, see member_profile), else any profile's."""
    # Customer.display_name falls back to "Customer <id>" in English (records know no language).
    name = (profile.full_name if profile is not None else "") or customer.display_name
    if name == f"Customer {customer.id}":
        return unnamed(customer)
    return shown(name, "name", unmasked=unmasked, revealed=revealed).text


def unnamed(customer: Customer) -> str:
    """What a customer without a name is called: "Customer 6000001"."""
    return _("Customer %(id)s") % {"id": customer.id}


@dataclass(frozen=True, slots=True)
class Heading:
    """The top of every customer page: the name as the user may see it (with the id when there
    is a name), the fraud status when flagged, the status and the first programs' tiers as
    (tier, program) pairs."""

    name: str
    numbered: bool
    fraud: str
    status: str
    tiers: tuple[tuple[str, str], ...]
    # How many programs the member is in: the badges show the first few ("3 of 36 programs").
    programs: int = 0


def heading(
    customer: Customer,
    *,
    unmasked: bool = False,
    revealed: Collection[str] = (),
    profile: Profile | None = None,
) -> Heading:
    status = customer.customer_status
    fraud = customer.fraud_details
    name = display_name(customer, unmasked=unmasked, revealed=revealed, profile=profile)
    return Heading(
        name=name,
        numbered=name != unnamed(customer),
        fraud=fraud.status if fraud is not None and fraud.is_flagged else "",
        status=(status.label or status.status) if status is not None else "",
        tiers=tuple(
            (program.current_tier.name, program.title)
            for program in customer.programs[:3]
            if program.current_tier is not None
        ),
        programs=len(customer.programs),
    )
