"""Where an employer came from: the source (`bron`) a lead records, found once at the start of the visit.

A source is the `bron` a link passes (a municipal deep link `?bron=lopik.nl`, the embed's `embed-<slug>`), or
else the host of an external page that linked here (the referrer). The site itself never counts: not its own
host (SITE_URL's, or the host the request came in on) as a `bron` or a referrer, and not a label of its own
(INTERNAL_LABELS: the finder once sent `bron=wegwijzer`; how the employer moved around the site says nothing
about who sent them). The referrer is kept without its query string and fragment (they can hold anything).

The public blueprint keeps what this finds in the visitor's session (public/visit.py), so the lead gets it
whichever way the employer reaches the contact form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

INTERNAL_LABELS = frozenset({"wegwijzer"})
SOURCE_MAX = 300  # Lead.source
REFERRER_MAX = 500  # Lead.referrer


@dataclass(frozen=True)
class VisitSource:
    bron: str | None = None  # what the lead stores as its source
    referrer: str | None = None  # the external page the visitor came from, if any (scheme://host/path)

    def as_dict(self) -> dict:
        return {"bron": self.bron, "referrer": self.referrer}

    @classmethod
    def from_dict(cls, data) -> VisitSource | None:
        if not isinstance(data, dict):
            return None
        bron, referrer = data.get("bron"), data.get("referrer")
        return cls(
            bron=bron[:SOURCE_MAX] if isinstance(bron, str) else None,
            referrer=referrer[:REFERRER_MAX] if isinstance(referrer, str) else None,
        )


def host_of(value: str | None) -> str | None:
    """The host a URL or a bare 'host[:port][/path]' names, in lower case; None when there is none."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        parts = urlsplit(text if "://" in text else f"//{text}")
        host = parts.hostname
    except ValueError:
        return None
    return host.lower() if host else None


def own_hosts(site_url: str, request_host: str | None) -> frozenset[str]:
    """The hosts that are this site itself: SITE_URL's and the one the request came in on."""
    return frozenset(host for host in (host_of(site_url), host_of(request_host)) if host)


def clean_bron(value: str | None, own: Iterable[str]) -> str | None:
    """The `bron` as a source, or None: empty, a label of the site's own, or the site's own host."""
    text = (value or "").strip()[:SOURCE_MAX]
    if not text or text.lower() in INTERNAL_LABELS or host_of(text) in set(own):
        return None
    return text


def external_referrer(value: str | None, own: Iterable[str]) -> str | None:
    """scheme://host/path of a referrer on another site; None for the site's own pages and for non-URLs."""
    if not value or "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https") or host.lower() in set(own):
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2]}{parts.path}"[:REFERRER_MAX]


def arrival_source(bron: str | None, referrer: str | None, own: Iterable[str]) -> VisitSource | None:
    """What one request says about where the visitor came from (None: nothing, e.g. a page of this site).

    A `bron` wins; else the external referrer's host is the source, and the referrer is kept beside it."""
    own = frozenset(own)
    kept_bron = clean_bron(bron, own)
    kept_referrer = external_referrer(referrer, own)
    if kept_bron is None and kept_referrer is None:
        return None
    return VisitSource(bron=kept_bron or host_of(kept_referrer), referrer=kept_referrer)
