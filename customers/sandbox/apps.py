from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "customers.sandbox"
    label = "sandbox"
    verbose_name = "Lookup API sandbox"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system check)
