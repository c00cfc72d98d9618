"""Which site sent an employer: the `bron` a municipal site passes on, else the host of the referring page.

Retention keeps exactly what this needs (a URL is cut to its origin), so the report is the same afterwards.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def url_origin(value: str | None) -> str | None:
    """scheme://host of a URL (no path, query or credentials); None when it is not a URL."""
    if not value or "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:
        return None
    return f"{parts.scheme.lower()}://{host}" if host else None


def source_key(source: str | None, referrer: str | None, own_host: str | None) -> str | None:
    """The bron text, or the host of a URL (the bron, else the referrer); None: unknown, or this site itself."""
    if source and source.strip():
        origin = url_origin(source)
        return urlsplit(origin).hostname if origin else source.strip()
    origin = url_origin(referrer)
    host = urlsplit(origin).hostname if origin else None
    return host if host and host != own_host else None


def own_host() -> str | None:
    return urlsplit(current_app.config["SITE_URL"]).hostname
