"""Which profile is the member's (the one of the source and account searched, Capillary answering
with others too), and the facts the overview reads from it: status, fraud, loyalty,
registration, last change and the source profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

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
            where = self.note or _from_profile(self.profile)
            # Translators: %(where)s says which profile a fact is from ("from the INSTORE
            # profile").
            return _("%(where)s; other profiles differ") % {"where": where}
        return self.note


def _from_profile(profile: Profile) -> str:
    # Translators: %(profile)s is a source's name, with its account ("In store (account 7)").
    return _("from the %(profile)s profile") % {"profile": _profile_name(profile)}


def _profile_name(profile: Profile) -> str:
    source = glossary.source_name(profile.source) or pgettext("source", "unnamed")
    if not profile.account_id:
        return source
    return _("%(source)s (account %(account)s)") % {
        "source": source,
        "account": profile.account_id,
    }


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
        return MemberProfile(profile, _from_profile(profile), differing)
    return MemberProfile(profile, "", differing)


def _fraud_details(fraud: FraudDetails) -> str:
    """Since when and by whom a fraud status was set, as far as the document says."""
    since = format_moment(fraud.modified_on)
    marker = fraud.marked_by.label if fraud.marked_by is not None else ""
    values = {"date": since, "marker": marker}
    if since and marker:
        # Translators: %(marker)s is who marked the member (a till or a user, as sent).
        return _("since %(date)s, marked by %(marker)s") % values
    if since:
        return _("since %(date)s") % values
    return _("marked by %(marker)s") % values if marker else ""


# What the pages say beside a fraud status the document gives no meaning (INTERNAL).
UNEXPLAINED_FRAUD = gettext_lazy(
    "as sent: Capillary's document does not say what this status means"
)


def fraud_sentence(fraud: FraudDetails) -> str:
    """A flagged fraud status with when and by whom, as far as the document says."""
    details = _fraud_details(fraud)
    if not details:
        return fraud.status
    # Translators: %(status)s is Capillary's fraud status as sent (keep it as it is).
    return _("%(status)s (%(details)s)") % {"status": fraud.status, "details": details}


def _by(moment: str, till: Any) -> str:
    if till is None:
        return moment
    # Translators: when something was done, and by whom (a till or a user, as sent).
    return _("%(date)s by %(who)s") % {"date": moment, "who": till.label}


def registration(profile: Profile | None, fmt: str = "DATE_FORMAT") -> str:
    """When and where the profile was registered ("12 Jan 2024 at Store 4"), "" if not sent."""
    if profile is None or profile.attribution.registered_on is None:
        return ""
    till = profile.attribution.registered_at
    when = format_moment(profile.attribution.registered_on, fmt)
    if till is None:
        return when
    # Translators: when a member registered, and where (a store or till, as sent).
    return _("%(date)s at %(till)s") % {"date": when, "till": till.label}


def last_change(attribution: Attribution, fmt: str = "DATETIME_FORMAT") -> str:
    """When and by whom the profile was last changed, "" if not sent."""
    if attribution.modified_on is None:
        return ""
    return _by(format_moment(attribution.modified_on, fmt), attribution.modified_by)


def _last_update(profile: Profile | None) -> Label:
    if profile is None:
        return Label(_("not sent"), empty=True)
    # attribution.modifiedBy goes with its own modifiedDate; autoUpdateTime is another date,
    # with no one named for it.
    modified = profile.attribution.modified_on
    if modified is not None:
        return Label(
            _by(format_moment(modified, "DATETIME_FORMAT"), profile.attribution.modified_by)
        )
    if profile.updated_on is not None:
        return Label(format_moment(profile.updated_on, "DATETIME_FORMAT"))
    return Label(_("not sent"), empty=True)


def _absent(customer: Customer, block: str, embed: str, query: Any, left_out: Any) -> Label:
    """A fact whose block the answer did not carry: why, as far as the search tells."""
    found = coverage.coverage(customer, block, query, left_out) if query is not None else None
    if found is None or found.state == coverage.NOT_ASKED:
        # Translators: %(how)s says how to ask for it ("or not asked for: tick ...").
        return Label(
            _("not in this answer (%(how)s)") % {"how": glossary.not_asked(embed)}, empty=True
        )
    # Translators: %(reason)s says why ("not asked for in this search").
    sentence = _("not in this answer (%(reason)s).") % {"reason": found.reason}
    return Label(coverage.with_advice(sentence, found.advice), empty=True)


def _customer_status(customer: Customer, query: Any = None, left_out: Any = ()) -> Label:
    status = customer.customer_status
    if status is None:
        return _absent(customer, "customer status", "customerStatus", query, left_out)
    # Translators: the reason Capillary gave for the customer's status, as sent.
    note = _("(%(reason)s)") % {"reason": status.reason} if status.reason else ""
    return Label(status.label or status.status or DASH, note=note)


def _fraud(customer: Customer, query: Any = None, left_out: Any = ()) -> Label:
    fraud = customer.fraud_details
    if fraud is None:
        return _absent(customer, "fraud details", FRAUD_DETAILS, query, left_out)
    if fraud.is_unexplained:
        details = _fraud_details(fraud)
        note = (
            # Translators: %(details)s says since when and by whom ("since 3 Mar 2025, marked
            # by Store 4").
            _("as sent: Capillary's document does not say what this status means; %(details)s")
            % {"details": details}
            if details
            else str(UNEXPLAINED_FRAUD)
        )
        return Label(fraud.status, note=note, badge="status-neutral")
    if not fraud.is_flagged:
        return Label(pgettext("fraud", "not flagged"), badge="status-ok")
    return Label(fraud.status, note=_fraud_details(fraud), badge="status-bad")


def _loyalty(customer: Customer) -> Label:
    info = customer.loyalty_info
    if info is None:
        return Label(DASH)
    return Label(_("loyalty member") if info.is_loyalty else info.loyalty_type or DASH)


def _source_profiles(customer: Customer) -> Label:
    if not customer.profiles:
        return Label(pgettext("source profiles", "none"), empty=True)
    return Label(
        pgettext("list separator", ", ").join(
            # Translators: a source's name and, in brackets, the account id of its profile.
            _("%(source)s (%(account)s)")
            % {
                "source": glossary.source_name(profile.source) or DASH,
                "account": profile.account_id,
            }
            if profile.account_id
            else glossary.source_name(profile.source) or DASH
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
        (_("Status"), _customer_status(customer, query, left_out)),
        (_("Fraud"), _fraud(customer, query, left_out)),
        (_("Loyalty"), _loyalty(customer)),
        (
            _("Registered"),
            Label(registered, note=chosen.note_for("registered"))
            if registered
            else Label(_("not sent"), empty=True),
        ),
        (
            _("Last profile update"),
            update if update.empty else Label(update.text, chosen.note),
        ),
        (_("Source profiles"), _source_profiles(customer)),
    )
