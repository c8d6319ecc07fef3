"""Whether the member's photo may be shown: only from a host settings.CUSTOMER_IMAGE_HOSTS allows,
the hosts the Content Security Policy lets images come from."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def photo_allowed(url: str) -> bool:
    """Whether a customer photo's address is on a host settings.CUSTOMER_IMAGE_HOSTS allows
    (the Content Security Policy's img-src allows those hosts and no other)."""
    origin = image_origin(url)
    return bool(origin) and origin in {
        image_origin(host) for host in getattr(settings, "CUSTOMER_IMAGE_HOSTS", ())
    }


def image_origin(url: str) -> str:
    """scheme://host[:port] of an http(s) URL, lower-cased; "" for anything else."""
    parts = urlsplit(str(url).strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
