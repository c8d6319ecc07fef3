from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """What the admin base templates expect, for the pages outside the admin."""
    return {
        "site_header": "Customer Lookup",
        "site_title": "Customer Lookup",
        "site_url": "/",
        "has_permission": request.user.is_authenticated,
    }
