"""Typed, frozen records for Capillary's customer document, parsed once from its JSON.

This is the one place where the API's field names become Python attributes: templates and
services read records, never the raw dicts.

Public names:
    Customer.from_json(data) -> Customer    the entry point; raises ShapeError
    ShapeError                              (ValueError) not an object, or no customer id
    MASKED, is_masked(value)                Capillary's PII mask ("*****") and its test
    person_name(first, last)                a name in its script's order ("Tom Sawyer", 李伟)
    NO_EXPIRY_YEAR, never_expires(moment)   dates ~100 years away mean "does not expire"
    Customer, Profile, Attribution, Till, Identifier, CommChannel, LoyaltyInfo,
    FraudDetails, Tier, Program, Progress, RenewSummary, GroupProgram, ProgramRef, Card,
    CardStatus, AlternateCurrency, Subscription, PromotionalPoint, PointsExpiry,
    CustomerImage, CustomerStatus, UserGroup, BackendWarning      the records

Example:
    customer = Customer.from_json(response.json())
    customer.display_name                   # "Tom Sawyer", or "Customer 17742"
    person_name("伟", "李")                  # "李伟": CJK names family name first
    for program in customer.programs:
        program.current_tier.name, program.loyalty_points, program.tier_never_expires
        for step in program.upgrade_strategies:
            step.based_on, step.current, step.threshold, step.gap, step.percent, step.until

Conventions:
- Numbers are Decimal (None when absent). Capillary sends floats (420.0), ints and, in some
  blocks, numeric strings ("25000"); Decimal holds all three exactly, so sums and gaps never
  show binary-float noise (0.30000000000000004) and a points balance is never rounded.
- Timestamps with an offset or Z become aware datetimes; plain YYYY-MM-DD values become dates
  (type alias Moment). A timestamp without an offset is taken as UTC so it stays comparable.
- Missing keys give None, "" or empty tuples/mappings; unknown keys are ignored; values of the
  wrong type are converted when unambiguous and dropped otherwise, never raised.
- Mappings are read-only views (MappingProxyType). Customer.raw is a read-only view of the
  document as received, not a copy: parsing stays a single cheap pass.
- repr() leaves out names, identifier and channel values, card numbers and every free-form
  mapping (custom and extended fields, raw blocks), so a record that reaches a log or a
  traceback carries no PII.
"""

from customers.capillary.records.cards import (
    AlternateCurrency,
    Card,
    CardStatus,
    CustomerImage,
    CustomerStatus,
    PointsExpiry,
    PromotionalPoint,
    Subscription,
    UserGroup,
)
from customers.capillary.records.convert import (
    MASKED,
    NO_EXPIRY_YEAR,
    Moment,
    ShapeError,
    is_masked,
    never_expires,
)
from customers.capillary.records.customer import Customer
from customers.capillary.records.profile import (
    Attribution,
    BackendWarning,
    CommChannel,
    FraudDetails,
    Identifier,
    LoyaltyInfo,
    Profile,
    Till,
    person_name,
)
from customers.capillary.records.programs import (
    GroupProgram,
    Program,
    ProgramRef,
    Progress,
    RenewSummary,
    Tier,
)

__all__ = [
    "MASKED",
    "NO_EXPIRY_YEAR",
    "AlternateCurrency",
    "Attribution",
    "BackendWarning",
    "Card",
    "CardStatus",
    "CommChannel",
    "Customer",
    "CustomerImage",
    "CustomerStatus",
    "FraudDetails",
    "GroupProgram",
    "Identifier",
    "LoyaltyInfo",
    "Moment",
    "PointsExpiry",
    "Profile",
    "Program",
    "ProgramRef",
    "Progress",
    "PromotionalPoint",
    "RenewSummary",
    "ShapeError",
    "Subscription",
    "Tier",
    "Till",
    "UserGroup",
    "is_masked",
    "never_expires",
    "person_name",
]
