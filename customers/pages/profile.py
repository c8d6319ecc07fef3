"""Which profile is the member's (the one of the source and account searched, Capillary answering
with others too), and the facts the overview reads from it: status, fraud, loyalty,
registration, last change and the source profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from customers.capillary.query import ALL as ALL_SOURCES
from customers.capillary.query import FRAUD_DETAILS
from customers.capillary.records import (
    Attribution,
    CommChannel,
    Customer,
    FraudDetails,
    Identifier,
    Profile,
    person_name,
)
from customers.pages import coverage, glossary
from customers.pages.labels import Label
from customers.pages.numbers import DASH, format_moment


@dataclass(frozen=True, slots=True)
class MemberProfile:
    """The profile a page reads the member from, and how it says where a fact came from.

    Capillary answers with other sources' profiles too (its published lookup sample asked for
    WECHAT and answered with an INSTORE profile alone), so the profile is picked by the source
    and account searched; `note` is "" when it is theirs and says which profile it is
    otherwise ("from the INSTORE profile"). `differing` names the facts (name, registered,
    mobile, email) on which the customer's profiles disagree."""

    profile: Profile | None
    note: str = ""
    differing: frozenset[str] = frozenset()

    @property
    def identifiers_note(self) -> str:
        """What to say over the member's identifiers: whose profile they are from, and whether
        other profiles have other mobiles or emails."""
        if self.profile is not None and self.differing & {"mobile", "email"}:
            return self.note_for("mobile" if "mobile" in self.differing else "email")
        return self.note

    def note_for(self, fact: str) -> str:
        """What to say after one fact: where it came from, when that is worth saying."""
        if self.profile is None:
            return ""
        if fact in self.differing:
            where = self.note or f"from the {_profile_name(self.profile)} profile"
            return f"{where}; other profiles differ"
        return self.note


def _profile_name(profile: Profile) -> str:
    source = glossary.source_name(profile.source) or "unnamed"
    return f"{source} (account {profile.account_id})" if profile.account_id else source


def _facts_of(profile: Profile) -> dict[str, object]:
    def values(kind: str) -> frozenset[str]:
        items: tuple[Identifier | CommChannel, ...] = (*profile.identifiers, *profile.channels)
        return frozenset(item.value for item in items if item.type.lower() == kind and item.value)

    name = person_name(profile.first_name, profile.last_name)
    return {
        "name": name,
        "registered": profile.attribution.registered_on,
        "mobile": values("mobile"),
        "email": values("email"),
    }


def member_profile(customer: Customer, source: str = "", account_id: str = "") -> MemberProfile:
    """The member's profile for a search in this source and account (see MemberProfile)."""
    if not customer.profiles:
        return MemberProfile(None)
    facts = [_facts_of(profile) for profile in customer.profiles]
    differing = frozenset(
        fact
        for fact in ("name", "registered", "mobile", "email")
        if len({known[fact] for known in facts if known[fact]}) > 1
    )
    searched = source.strip().upper()
    specific = searched not in ("", ALL_SOURCES)
    chosen = customer.profile_for(searched, account_id) if specific else None
    if chosen is not None and (not account_id or chosen.account_id == account_id):
        return MemberProfile(chosen, "", differing)
    profile = chosen or customer.profiles[0]
    if specific or len(customer.profiles) > 1:
        return MemberProfile(profile, f"from the {_profile_name(profile)} profile", differing)
    return MemberProfile(profile, "", differing)


# What the pages say beside a fraud status the document gives no meaning (INTERNAL).
UNEXPLAINED_FRAUD = "as sent: Capillary's document does not say what this status means"


def fraud_sentence(fraud: FraudDetails) -> str:
    """A flagged fraud status with when and by whom, as far as the document says."""
    since = format_moment(fraud.modified_on)
    marker = fraud.marked_by.label if fraud.marked_by is not None else ""
    details = ", ".join(
        part
        for part in (f"since {since}" if since else "", f"marked by {marker}" if marker else "")
        if part
    )
    return f"{fraud.status} ({details})" if details else fraud.status


def _by(till: Any) -> str:
    return f" by {till.label}" if till is not None else ""


def registration(profile: Profile | None, fmt: str = "DATE_FORMAT") -> str:
    """When and where the profile was registered ("12 Jan 2024 at Store 4"), "" if not sent."""
    if profile is None or profile.attribution.registered_on is None:
        return ""
    till = profile.attribution.registered_at
    at = f" at {till.label}" if till is not None else ""
    return f"{format_moment(profile.attribution.registered_on, fmt)}{at}"


def last_change(attribution: Attribution, fmt: str = "DATETIME_FORMAT") -> str:
    """When and by whom the profile was last changed, "" if not sent."""
    if attribution.modified_on is None:
        return ""
    return format_moment(attribution.modified_on, fmt) + _by(attribution.modified_by)


def _last_update(profile: Profile | None) -> Label:
    if profile is None:
        return Label("not sent", empty=True)
    # attribution.modifiedBy goes with its own modifiedDate; autoUpdateTime is another date,
    # with no one named for it.
    modified = profile.attribution.modified_on
    if modified is not None:
        return Label(
            format_moment(modified, "DATETIME_FORMAT") + _by(profile.attribution.modified_by)
        )
    if profile.updated_on is not None:
        return Label(format_moment(profile.updated_on, "DATETIME_FORMAT"))
    return Label("not sent", empty=True)


def _absent(customer: Customer, block: str, embed: str, query: Any, left_out: Any) -> Label:
    """A fact whose block the answer did not carry: why, as far as the search tells."""
    found = coverage.coverage(customer, block, query, left_out) if query is not None else None
    if found is None or found.state == coverage.NOT_ASKED:
        return Label(f"not in this answer ({glossary.not_asked(embed)})", empty=True)
    advice = f" {found.advice}" if found.advice else ""
    return Label(f"not in this answer ({found.reason}).{advice}", empty=True)


def _customer_status(customer: Customer, query: Any = None, left_out: Any = ()) -> Label:
    status = customer.customer_status
    if status is None:
        return _absent(customer, "customer status", "customerStatus", query, left_out)
    note = f"({status.reason})" if status.reason else ""
    return Label(status.label or status.status or DASH, note=note)


def _fraud(customer: Customer, query: Any = None, left_out: Any = ()) -> Label:
    fraud = customer.fraud_details
    if fraud is None:
        return _absent(customer, "fraud details", FRAUD_DETAILS, query, left_out)
    if fraud.is_unexplained:
        details = fraud_sentence(fraud).removeprefix(fraud.status).strip().strip("()")
        note = "; ".join(part for part in (UNEXPLAINED_FRAUD, details) if part)
        return Label(fraud.status, note=note, badge="status-neutral")
    if not fraud.is_flagged:
        return Label("not flagged", badge="status-ok")
    details = fraud_sentence(fraud).removeprefix(fraud.status).strip().strip("()")
    return Label(fraud.status, note=details, badge="status-bad")


def _loyalty(customer: Customer) -> Label:
    info = customer.loyalty_info
    if info is None:
        return Label(DASH)
    return Label("loyalty member" if info.is_loyalty else info.loyalty_type or DASH)


def _source_profiles(customer: Customer) -> Label:
    if not customer.profiles:
        return Label("none", empty=True)
    return Label(
        ", ".join(
            (glossary.source_name(profile.source) or DASH)
            + (f" ({profile.account_id})" if profile.account_id else "")
            for profile in customer.profiles
        )
    )


def member_facts(
    customer: Customer,
    chosen: MemberProfile | None = None,
    query: Any = None,
    left_out: Any = (),
) -> tuple[tuple[str, Label], ...]:
    """The overview's facts after the name and id, as (title, value), read from the member's
    profile (member_profile), each noting where it came from when that is worth saying."""
    chosen = chosen or member_profile(customer)
    profile = chosen.profile
    registered = registration(profile)
    update = _last_update(profile)
    return (
        ("Status", _customer_status(customer, query, left_out)),
        ("Fraud", _fraud(customer, query, left_out)),
        ("Loyalty", _loyalty(customer)),
        (
            "Registered",
            Label(registered, note=chosen.note_for("registered"))
            if registered
            else Label("not sent", empty=True),
        ),
        ("Last profile update", update if update.empty else Label(update.text, chosen.note)),
        ("Source profiles", _source_profiles(customer)),
    )
