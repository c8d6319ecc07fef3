"""The audit trail: one append-only row per lookup, section view, reveal, raw view and export.

Like Django's admin `LogEntry`, rows are written through one manager method,
`AuditEntry.objects.log_action(...)`, through the named writers `log_lookup`, `log_view`,
`log_reveal` and `log_export`, and never changed.
Identifier values are stored masked, with a keyed hash per value for search, so the table never
becomes a second copy of the members' PII. Each entry joins a hash chain as it is written
(customers/audit/chain.py), so `manage.py verify_audit` can prove the trail unchanged. The custom
permissions that define the roles live here too, on the model they mostly concern.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from customers import masking
from customers.accounts.roles import may_see_all_audit, role_of
from customers.audit import chain as audit_chain
from customers.platform.ratelimit import client_ip as request_client_ip

# How many entries prune_audit deletes per statement, to keep transactions and memory small.
PRUNE_BATCH = 5000
# Who a refused sign-in names when nothing was typed or the provider named no one (a callback
# with an error and no session). Not a valid username (Django's allow no parentheses or
# spaces), so it is never mistaken for an account.
NO_USERNAME = "(no username given)"


class AuditEntryImmutableError(Exception):
    """Raised on any attempt to change or delete an audit entry outside prune_audit."""


APPEND_ONLY = "Audit entries are append-only; `manage.py prune_audit` removes old ones."


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Rows are added, never changed or removed in bulk (prune_audit deletes past this)."""

    def update(self, **kwargs: object) -> int:
        raise AuditEntryImmutableError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutableError(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    """A row that is saved once and never changed or deleted one by one."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutableError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutableError(APPEND_ONLY)


class Action(models.TextChoices):
    LOOKUP = "lookup", pgettext_lazy("audit", "lookup")
    VIEW_SECTION = "view_section", pgettext_lazy("audit", "view section")
    REVEAL = "reveal", pgettext_lazy("audit", "reveal")
    RAW_VIEW = "raw_view", pgettext_lazy("audit", "raw view")
    EXPORT = "export", pgettext_lazy("audit", "export")
    REFUSED = "refused", pgettext_lazy("audit", "refused")
    SIGN_IN = "sign_in", pgettext_lazy("audit", "sign in")
    SIGN_OUT = "sign_out", pgettext_lazy("audit", "sign out")
    ROLE_CHANGE = "role_change", pgettext_lazy("audit", "role change")
    # prune_audit's record of a retention run: how many entries went, where the trail starts.
    PRUNE = "prune", pgettext_lazy("audit", "prune")


class Outcome(models.TextChoices):
    FOUND = "found", pgettext_lazy("audit", "found")
    NOT_FOUND = "not_found", pgettext_lazy("audit", "not found")
    INVALID = "invalid", pgettext_lazy("audit", "invalid input")
    ERROR = "error", pgettext_lazy("audit", "error")
    RATE_LIMITED = "rate_limited", pgettext_lazy("audit", "rate limited")
    FORBIDDEN = "forbidden", pgettext_lazy("audit", "forbidden")
    OK = "ok", pgettext_lazy("audit", "ok")


@dataclass(frozen=True)
class CustomerHistory:
    """Who accessed one member's data recently: the entries and how many staff they were."""

    entries: "models.QuerySet[Any]"
    staff_count: int
    days: int


def _clip(value: object, field: str, model: type[models.Model] | None = None) -> str:
    """The value as text that fits the column: an audit write never fails on a long value."""
    # Without control characters: PostgreSQL refuses a NUL, and an audit write must not fail.
    text = masking.plain_text(value)
    column = (model or AuditEntry)._meta.get_field(field)
    return text[: getattr(column, "max_length", None)]


def _about(subject: str, detail: str) -> str:
    """An entry's detail: what it was about, and what went wrong if anything did."""
    return f"{subject}: {detail}" if detail else subject


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def by(self, user: Any) -> "AuditEntryQuerySet":
        """The entries `user` wrote themselves (none for an anonymous visitor)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def visible_to(self, user: Any) -> "AuditEntryQuerySet":
        """Every entry for auditors and superusers; only their own for everyone else."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if may_see_all_audit(user):
            return self
        return self.filter(user=user)

    def customer_history(self, customer_id: str, days: int = 30) -> CustomerHistory:
        """The entries about one member in the last `days` days, newest first, and the number
        of distinct staff who saw the member ("viewed by 3 staff in the last 30 days"): refused
        attempts are in the entries but did not view anything."""
        since = timezone.now() - timedelta(days=days)
        entries = self.filter(customer_id=str(customer_id), created_at__gte=since)
        viewed = entries.filter(outcome__in=(Outcome.FOUND, Outcome.OK)).exclude(username="")
        staff = viewed.values("username").distinct().count()
        return CustomerHistory(entries=entries, staff_count=staff, days=days)

    def links(self, after: int = 0) -> Iterator[audit_chain.Link]:
        """The chained entries after entry `after` as the chain's links, in its order, read in
        chunks."""
        entries = self.filter(sequence__gt=after).order_by("sequence").prefetch_related("hashes")
        for row in entries.iterator(2000):
            entry = cast("AuditEntry", row)
            hashes = [(hashed.name, hashed.value_hash) for hashed in entry.hashes.all()]
            yield audit_chain.Link(
                sequence=cast(int, entry.sequence),
                previous_digest=entry.previous_digest,
                digest=entry.digest,
                content=audit_chain.content_of(entry, hashes),
            )

    def prunable(self, before: datetime) -> tuple[int, "AuditEntryQuerySet"]:
        """The entry the chain will start at once the entries created before `before` are gone,
        and those entries.

        The chained entries go as a prefix of the chain, up to the first one created at or
        after `before` (with several instances' clocks, a slightly older one after it stays a
        little longer), so what remains is one unbroken chain. Entries older than the chain
        (no sequence) go by their date.
        """
        chained = self.filter(sequence__isnull=False)
        start = (
            chained.filter(created_at__gte=before)
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        if start is None:
            newest = chained.order_by("-sequence").values_list("sequence", flat=True).first()
            start = (newest or 0) + 1
        doomed = self.filter(
            models.Q(sequence__lt=start) | models.Q(sequence__isnull=True, created_at__lt=before)
        )
        return start, doomed

    def prune(self, before: datetime) -> int:
        """Deletes the entries created before `before`, oldest first, in batches; returns how
        many.

        Only the prune_audit command calls this: it is the retention policy, and the one way an
        audit entry leaves the table. A prune record (an entry of its own) is written first,
        naming how many go and the entry the trail starts at from then on: `verify_audit` then
        tells this run from entries deleted by anything else, even if it stops half way.
        """
        start, doomed = self.prunable(before)
        count = doomed.count()
        if not count:
            return 0
        AuditEntry.objects.log_action(
            user=None,
            action=Action.PRUNE,
            outcome=Outcome.OK,
            detail=audit_chain.prune_detail(
                start, count, f"{before.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
            ),
        )
        deleted = 0
        old = doomed.order_by("pk")
        while batch := list(old.values_list("pk", flat=True)[:PRUNE_BATCH]):
            with transaction.atomic():
                models.QuerySet.delete(AuditEntry.objects.filter(pk__in=batch))
            deleted += len(batch)
        return deleted


AuditEntryManagerBase = models.Manager.from_queryset(AuditEntryQuerySet)


class AuditEntryManager(AuditEntryManagerBase):  # type: ignore[type-arg]
    def log_action(
        self,
        *,
        user: Any,
        action: str,
        outcome: str,
        role: str | None = None,
        client_ip: str | None = None,
        source: str = "",
        account_id: str = "",
        identifiers: Iterable[tuple[str, object]] = (),
        embeds: Sequence[str] | str = (),
        customer_id: str = "",
        backend_code: str | int = "",
        request_id: str = "",
        app_request_id: str = "",
        latency_ms: int | float | None = None,
        reason: str = "",
        detail: str = "",
        username: str | None = None,
    ) -> "AuditEntry":
        """Records one audited action; the only way an audit entry is written.

        `identifiers` are (name, value) pairs as the user gave them: each is stored as its type,
        its masked value and its keyed hash, never in plain text. The source, the accountId and
        the names of identifiers and embeds are kept only when they have the shape of one, else
        masked (`masking.mask_token`): a mobile typed as a name is still a mobile. `reason` and
        `detail` are free text, stored with every email address and phone number masked.
        `username` is "who" when there is no user: the name a failed sign-in tried.
        """
        if action not in Action.values:
            raise ValueError(f"Unknown audit action {action!r}.")
        if outcome not in Outcome.values:
            raise ValueError(f"Unknown audit outcome {outcome!r}.")
        if user is not None and not user.is_authenticated:
            user = None
        pairs = [
            # Without control characters: PostgreSQL's JSON refuses a NUL in a typed name.
            (masking.plain_text(name).strip(), value)
            for name, value in identifiers
            if value is not None and str(value).strip()
        ]
        if isinstance(embeds, str):
            embeds = embeds.split(",")
        embeds = [masking.mask_token(e) for e in embeds if e and e.strip()]
        entry = AuditEntry(
            user=user,
            username=_clip(
                user.get_username() if user is not None else username or "", "username"
            ),
            role=_clip(role if role is not None else role_of(user), "role"),
            client_ip=client_ip or None,
            action=action,
            outcome=outcome,
            source=_clip(masking.mask_token(source), "source"),
            account_id=_clip(masking.mask_token(account_id), "account_id"),
            identifiers=[
                {
                    "name": masking.mask_token(name)[:32],
                    "value": masking.mask_identifier(name, value)[:100],
                }
                for name, value in pairs
            ],
            embeds=_clip(",".join(embeds), "embeds"),
            customer_id=_clip(customer_id, "customer_id"),
            backend_code=_clip(backend_code, "backend_code"),
            request_id=_clip(request_id, "request_id"),
            app_request_id=_clip(app_request_id, "app_request_id"),
            latency_ms=max(0, round(latency_ms)) if latency_ms is not None else None,
            reason=_clip(masking.redact_for_audit(reason), "reason"),
            detail=_clip(masking.redact_for_audit(detail), "detail"),
        )
        hashes = [
            (
                _clip(masking.mask_token(name), "name", AuditIdentifier),
                masking.identifier_hash(value),
            )
            for name, value in pairs
        ]
        with transaction.atomic(using=self.db):
            # The chain's head stays locked until this transaction ends: writers on every
            # instance take their turn, so each entry's number and previous digest are unique.
            chain = AuditChain.objects.db_manager(self.db)
            entry.sequence, entry.previous_digest = chain.advance()
            # Stamped in turn too, so on one clock the times follow the chain's order.
            entry.created_at = timezone.now()
            content = audit_chain.content_of(entry, hashes)
            entry.digest = audit_chain.digest(entry.sequence, entry.previous_digest, content)
            entry.save(using=self.db)
            AuditIdentifier.objects.db_manager(self.db).bulk_create(
                AuditIdentifier(entry=entry, name=name, value_hash=value_hash)
                for name, value_hash in hashes
            )
            chain.filter(pk=AuditChain.HEAD).update(digest=entry.digest)
        return entry

    def log_request(self, request: HttpRequest, **kwargs: Any) -> "AuditEntry":
        """log_action with the user, their role, the client IP and the app's request id taken
        from the request (any of them can still be passed explicitly)."""
        user = getattr(request, "user", None)
        kwargs.setdefault("user", user)
        kwargs.setdefault("client_ip", request_client_ip(request))
        kwargs.setdefault("app_request_id", getattr(request, "request_id", ""))
        return self.log_action(**kwargs)

    # One named writer per action, as Django's admin has log_addition and log_change: callers
    # say what happened in their own words, and the columns are filled here.

    def log_lookup(
        self,
        request: HttpRequest,
        *,
        outcome: str,
        source: str = "",
        account_id: str = "",
        identifiers: Iterable[tuple[str, object]] = (),
        embeds: Sequence[str] | str = (),
        reason: str = "",
        **result: Any,
    ) -> "AuditEntry":
        """A search by identifiers, as typed (refused, invalid) or as sent (the rest)."""
        return self.log_request(
            request,
            action=Action.LOOKUP,
            outcome=outcome,
            source=source,
            account_id=account_id,
            identifiers=identifiers,
            embeds=embeds,
            reason=reason,
            **result,
        )

    def log_view(
        self,
        request: HttpRequest,
        *,
        section: str,
        outcome: str,
        cached: bool = False,
        detail: str = "",
        **result: Any,
    ) -> "AuditEntry":
        """A customer page (a section, or refresh) opened, from the cache or not; the raw
        document is a raw view. `detail` says why it failed."""
        return self.log_request(
            request,
            action=Action.RAW_VIEW if section == "raw" else Action.VIEW_SECTION,
            outcome=outcome,
            detail=f"{section} (cached)" if cached else _about(section, detail),
            **result,
        )

    def log_reveal(
        self,
        request: HttpRequest,
        *,
        field: str,
        outcome: str,
        reason: str = "",
        detail: str = "",
        **result: Any,
    ) -> "AuditEntry":
        """A masked field of a customer shown unmasked; `detail` says why it was not."""
        return self.log_request(
            request,
            action=Action.REVEAL,
            outcome=outcome,
            detail=_about(field, detail),
            reason=reason,
            **result,
        )

    def log_export(
        self, request: HttpRequest, *, rows: int, filters: str, search: str = ""
    ) -> "AuditEntry":
        """An export of the audit trail: how many entries, with which filters; the search term
        is kept as an identifier (masked and hashed), since it may be a member's mobile."""
        return self.log_request(
            request,
            action=Action.EXPORT,
            outcome=Outcome.OK,
            identifiers=[("search", search)] if search else (),
            detail=f"{rows} entries; filters: {filters or 'none'}",
        )

    # Signing in and out. `method` says how: "password" or "company sign-in" (the provider).

    def log_sign_in(self, request: HttpRequest, *, method: str) -> "AuditEntry":
        """The request's user has just signed in."""
        return self.log_request(
            request, action=Action.SIGN_IN, outcome=Outcome.OK, detail=f"by {method}"
        )

    def log_sign_in_failed(
        self, request: HttpRequest, *, method: str, username: str, outcome: str, why: str
    ) -> "AuditEntry":
        """A sign-in as `username` (what was typed or what the provider said; NO_USERNAME when
        empty) was refused: `outcome` says how (invalid, forbidden, rate limited, error), `why`
        in words."""
        # Without control characters: a typed NUL is no account's name (and PostgreSQL
        # refuses it in a query).
        named = masking.plain_text(username).strip()
        # The role the named account holds (none for a name no account has): a refusal says
        # nothing about what its user may do, and must not change the role pages show.
        account = get_user_model().objects.filter(username=named).first() if named else None
        return self.log_request(
            request,
            user=None,
            role=role_of(account),
            # A name no account has is whatever was typed, a member's mobile or email too:
            # kept only when it has the shape of a name (masking.mask_token).
            username=(named if account else masking.mask_token(named)) or NO_USERNAME,
            action=Action.SIGN_IN,
            outcome=outcome,
            detail=f"by {method}: {why}",
        )

    def log_sign_out(self, request: HttpRequest, *, method: str) -> "AuditEntry":
        """The request's user is signing out (written before the session ends)."""
        return self.log_request(
            request, action=Action.SIGN_OUT, outcome=Outcome.OK, detail=f"by {method}"
        )

    def log_role_change(self, request: HttpRequest, *, user: Any, change: str) -> "AuditEntry":
        """The provider's groups changed `user`'s roles, as `change` says, at a sign-in."""
        return self.log_request(
            request,
            user=user,
            action=Action.ROLE_CHANGE,
            outcome=Outcome.OK,
            detail=f"from the company sign-in: {change}",
        )


class AuditEntry(AppendOnlyModel):
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now, editable=False)
    # SET_NULL keeps the trail when an account is deleted; `username` keeps who it was. The
    # (user, created_at) index below serves user lookups, so the column needs no index of its own.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="audit_entries",
    )
    username = models.CharField(gettext_lazy("who"), max_length=150, blank=True)
    role = models.CharField(gettext_lazy("role"), max_length=20, blank=True)
    client_ip = models.GenericIPAddressField(gettext_lazy("client IP"), null=True, blank=True)
    action = models.CharField(gettext_lazy("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=20, choices=Outcome.choices)
    source = models.CharField(gettext_lazy("source"), max_length=32, blank=True)
    account_id = models.CharField(gettext_lazy("account id"), max_length=64, blank=True)
    # [{"name": "mobile", "value": "91******0001"}, ...]: types and masked values, in order.
    identifiers = models.JSONField(gettext_lazy("identifiers"), default=list, blank=True)
    embeds = models.CharField(gettext_lazy("embeds"), max_length=500, blank=True)
    customer_id = models.CharField(gettext_lazy("customer id"), max_length=64, blank=True)
    backend_code = models.CharField(gettext_lazy("backend code"), max_length=16, blank=True)
    request_id = models.CharField(gettext_lazy("backend request id"), max_length=100, blank=True)
    app_request_id = models.CharField(gettext_lazy("app request id"), max_length=100, blank=True)
    latency_ms = models.PositiveIntegerField(
        gettext_lazy("backend latency (ms)"), null=True, blank=True
    )
    reason = models.CharField(gettext_lazy("reason"), max_length=500, blank=True)
    # What was viewed, revealed or exported: a section or field name, an export's row count.
    detail = models.CharField(gettext_lazy("detail"), max_length=500, blank=True)
    # The hash chain (customers/audit/chain.py): the entry's place in it, the digest of the
    # entry before it, and its own digest over both and its content. Empty on entries older
    # than the chain (and on generate_audit's synthetic ones); nullable or with a database
    # default, so the release before the chain, still running during a rolling deploy, goes on
    # writing entries (outside the chain).
    sequence = models.BigIntegerField(
        gettext_lazy("sequence"), null=True, blank=True, editable=False
    )
    previous_digest = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    digest = models.CharField(
        gettext_lazy("digest"), max_length=64, blank=True, editable=False, db_default=""
    )

    objects = AuditEntryManager()

    class Meta:
        verbose_name = gettext_lazy("audit entry")
        verbose_name_plural = gettext_lazy("audit entries")
        ordering = ["-created_at", "-id"]
        # No add, change or delete permission exists to be granted: the trail is append-only.
        default_permissions = ()
        permissions = [
            ("lookup_customer", "Can look up customers"),
            ("view_unmasked_pii", "Can see unmasked names, mobiles and emails"),
            ("view_member_name", "Can see members' names unmasked"),
            ("view_raw_response", "Can see the raw API response"),
            ("view_all_audit", "Can view every audit entry"),
            ("export_audit", "Can export audit entries"),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="audit_created_idx"),
            models.Index(fields=["user", "-created_at"], name="audit_user_created_idx"),
            models.Index(fields=["username", "-created_at"], name="audit_username_created_idx"),
            models.Index(fields=["customer_id", "-created_at"], name="audit_customer_created_idx"),
            # The list filtered by action and outcome, newest first, without a sort: at 10M rows
            # a rare pair took 390 ms walking the date index, 1 ms on this one.
            models.Index(
                fields=["action", "outcome", "-created_at"], name="audit_action_outcome_time_idx"
            ),
            # The lookup volume filter counts lookups per user in the last 24 hours from the
            # index alone (an index-only scan): 620 ms at 10M rows without it, 20 ms with it.
            models.Index(
                fields=["action", "-created_at", "user"], name="audit_action_time_user_idx"
            ),
            models.Index(fields=["request_id"], name="audit_request_idx"),
            models.Index(fields=["app_request_id"], name="audit_app_request_idx"),
        ]
        constraints = [
            # Partial, so adding it to a table of entries older than the chain writes no index
            # rows; it also orders the walks of verify_audit, export_audit and prune_audit.
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(sequence__isnull=False),
                name="audit_sequence_unique",
            ),
        ]

    def __str__(self) -> str:
        who = self.username or "-"
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.outcome}"

    @property
    def identifier_types(self) -> str:
        return ", ".join(str(item.get("name", "")) for item in self._identifier_items())

    @property
    def identifiers_display(self) -> str:
        """`mobile 91******0001, email j***@e***.com`: masked, safe to show anywhere."""
        return ", ".join(
            f"{item.get('name', '')} {item.get('value', '')}".strip()
            for item in self._identifier_items()
        )

    def _identifier_items(self) -> list[dict[str, object]]:
        items = self.identifiers if isinstance(self.identifiers, list) else []
        return [item for item in items if isinstance(item, dict)]


class AuditIdentifier(AppendOnlyModel):
    """The keyed hash of one identifier value of an entry, indexed for the auditor's search:
    append-only like its entry, which it leaves only with it (prune_audit's cascade)."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="hashes")
    name = models.CharField(max_length=32)
    value_hash = models.CharField(max_length=64, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name} {self.value_hash[:12]}"


class AuditChainManager(models.Manager["AuditChain"]):
    def advance(self) -> tuple[int, str]:
        """The next entry's sequence number and the digest before it.

        One UPDATE takes both and locks the head row until the caller's transaction ends: a
        row lock on PostgreSQL, the database's write lock on SQLite (taken by the first
        statement, so two writers never both read first and then deadlock upgrading).
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        statement = (
            f"UPDATE {quote(self.model._meta.db_table)} "  # noqa: S608 (names, not input)
            f"SET {quote('sequence')} = {quote('sequence')} + 1 WHERE {quote('id')} = %s "
            f"RETURNING {quote('sequence')}, {quote('digest')}"
        )
        for _ in range(2):
            with connection.cursor() as cursor:
                cursor.execute(statement, [AuditChain.HEAD])
                row = cursor.fetchone()
            if row is not None:
                return int(row[0]), str(row[1])
            self._restart()
        raise RuntimeError("The audit chain's head row could not be created.")

    def _restart(self) -> None:
        """The head row is gone (a flushed database, a restore of the entries alone): it starts
        again from the newest chained entry."""
        newest = (
            AuditEntry.objects.db_manager(self.db)
            .filter(sequence__isnull=False)
            .order_by("-sequence")
            .values_list("sequence", "digest")
            .first()
        )
        sequence, digest = newest or (0, audit_chain.GENESIS)
        try:
            with transaction.atomic(using=self.db):
                self.create(pk=AuditChain.HEAD, sequence=sequence, digest=digest)
        except IntegrityError:
            pass  # another writer made it meanwhile


class AuditChain(models.Model):
    """The head of the audit trail's hash chain: the newest entry's sequence and digest.

    One row, which every audit write locks for the moment between taking its number and
    committing (AuditChainManager.advance), so instances writing at once agree on one order.
    verify_audit also compares it with the newest entry, to notice entries missing at the end.
    """

    HEAD = 1

    sequence = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, default=audit_chain.GENESIS)

    objects = AuditChainManager()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"audit chain at entry {self.sequence}"
