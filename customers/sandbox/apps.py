from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "customers.sandbox"
    label = "sandbox"
    verbose_name = "Lookup API sandbox"

    def ready(self) -> None:
        from customers import capillary

        from . import (
            api,
            checks,  # noqa: F401  (registers the system check)
        )

        # With LOOKUP_API_BASE_URL unset, the client answers from this app, in-process.
        capillary.configure(
            in_process=capillary.InProcess(
                api.IN_PROCESS_BASE_URL, api.respond_in_process, api.latency_seconds
            )
        )
