from django.db import models


class Member(models.Model):
    """A sandbox customer: its id is the customer id the API answers with.

    `data` holds the member's profiles, enrolments and ledger with dates stored as day offsets
    from today, so a showcase member shows the same gaps and expiries whatever day it is.
    """

    id = models.BigIntegerField(primary_key=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merge_victims"
    )
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"sandbox member {self.id}"


class Identifier(models.Model):
    """One identifier of one source profile; the lookup resolves through this table only."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="identifiers")
    source = models.CharField(max_length=20)
    account_id = models.CharField(max_length=40, blank=True)
    # Lowercase identifier name, as matched case-insensitively by the lookup.
    type = models.CharField(max_length=20)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["type", "value"], name="sandbox_identifier_lookup")]

    def __str__(self) -> str:
        return f"{self.type} of sandbox member {self.member_id}"
