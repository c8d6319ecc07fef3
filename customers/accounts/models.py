"""What is kept for each user of the app beyond Django's own tables: the language they chose."""

from django.conf import settings
from django.db import models


class LanguagePreference(models.Model):
    """The language a user chose on the page (i18n/setlang/): kept for them, so it follows
    them to another browser and wins over the browser's own (customers/accounts/language.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
    )
    language = models.CharField(max_length=16)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.language}"
