from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, object]:
    """What the admin base templates expect, for the pages outside the admin."""
    return {
        "site_header": _("Customer Lookup"),
        "site_title": _("Customer Lookup"),
        "site_url": "/",
        "has_permission": request.user.is_authenticated,
    }
