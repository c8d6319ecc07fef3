from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_sandbox_in_production(app_configs: object, **kwargs: object) -> list[Warning]:
    """The sandbox answers with made-up members: it has no place in production."""
    if getattr(settings, "SANDBOX_ENABLED", False) and not settings.DEBUG:
        return [
            Warning(
                "SANDBOX_ENABLED is on with DEBUG off: /sandbox/ serves demo members.",
                hint="Set SANDBOX_ENABLED=false (and LOOKUP_API_BASE_URL) in production.",
                id="sandbox.W001",
            )
        ]
    return []
