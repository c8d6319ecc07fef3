from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = gettext_lazy("Customer lookup")

    def ready(self) -> None:
        from customers import (
            capillary,
            checks,  # noqa: F401  (registers the system checks)
            masking,
        )
        from customers.accounts import language  # noqa: F401  (keeps a user's language on sign-in)
        from customers.platform import metrics

        # The boundary imports nothing of the app: it is lent what it needs here.
        capillary.configure(
            record_call=metrics.record_call, mask_identifier=masking.mask_identifier
        )
