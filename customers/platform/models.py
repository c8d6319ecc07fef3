"""The platform's one table: counters every worker shares when the cache is not Redis."""

from django.db import models


class Counter(models.Model):
    """One fixed window's count of events (lookups, failed sign-ins), shared by every worker of
    every instance through the database when the cache is not Redis: `customers.platform.counters`
    bumps it with one atomic statement, where the database cache would read, then write."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.IntegerField(default=0)
    # A little after the window ends; rows past it are deleted as new windows start.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.key} {self.count}"
