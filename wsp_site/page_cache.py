"""A small in-process cache of rendered public pages.

The key includes the region's `content_version`, which a flush listener bumps whenever public content
changes (instruments, their texts, municipalities, service points, organisations), and the date in the
Netherlands: an instrument's validity ends at a day change with nothing written (services.catalogue). Every worker reads the
version with the region row it loads anyway, so a publication invalidates all workers' caches at once, with
no extra query and no shared state in memory.
"""

from __future__ import annotations

import threading
import time
from functools import wraps

from cachetools import LRUCache
from flask import current_app, make_response, request
from sqlalchemy import event, update
from sqlalchemy.orm import Session
from werkzeug.http import parse_etags, unquote_etag

from wsp_site.clock import local_today
from wsp_site.models import InstrumentText, Region
from wsp_site.services.catalogue import REGION_CHANGED_KEY, VERSION_ENVIRON_KEY
from wsp_site.services.catalogue.snapshot import CONTENT_MODELS, mark_content_changed
from wsp_site.services.leads.sources import external_referrer, own_hosts

MAX_ENTRIES = 1024
CACHEABLE_MARK = "X-WSP-Cacheable"
_lock = threading.Lock()  # cachetools' caches are not thread-safe by themselves
_pages: LRUCache[tuple, tuple[bytes, str, int]] = LRUCache(maxsize=MAX_ENTRIES)
_responses: LRUCache[tuple, tuple[str, list[tuple[str, str]], bytes, str]] = LRUCache(maxsize=MAX_ENTRIES)


def clear() -> None:
    with _lock:
        _pages.clear()
        _responses.clear()


class PageCacheMiddleware:
    """Serve cached public pages before Flask runs at all (the outermost WSGI layer).

    Only responses that `cached_page` marked are stored, never one that sets a cookie. The content version
    is read at most once per PAGE_CACHE_VERSION_TTL seconds, so a publication reaches every worker within
    that time. Requests with a cookie (staff, the contact form's session) always go to Flask, and so do those
    that say where the visitor came from (a `bron`, an external referrer), so that the source is kept.
    """

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._version: tuple[float, int | None] = (0.0, None)

    def _content_version(self) -> int | None:
        ttl = self.app.config.get("PAGE_CACHE_VERSION_TTL", 1.0)
        fetched_at, version = self._version
        now = time.monotonic()
        if version is not None and now - fetched_at < ttl:
            return version
        from sqlalchemy import select

        from wsp_site.extensions import db

        try:
            with self.app.app_context():
                version = db.session.scalar(
                    select(Region.content_version).filter_by(slug=self.app.config["WSP_REGION"])
                )
        except Exception:  # noqa: BLE001 - a cache must never take the site down; Flask will answer
            return None
        self._version = (now, version)
        return version

    def _says_where_from(self, environ) -> bool:
        """A `bron` or a referrer on another site: Flask keeps it as the visit's source (public/visit.py)."""
        if "bron=" in environ.get("QUERY_STRING", ""):
            return True
        referrer = environ.get("HTTP_REFERER")
        if not referrer:
            return False
        own = own_hosts(self.app.config["SITE_URL"], environ.get("HTTP_HOST"))
        return external_referrer(referrer, own) is not None

    def __call__(self, environ, start_response):
        config = self.app.config
        if (
            not config.get("PAGE_CACHE_ENABLED", True)
            or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or environ.get("HTTP_COOKIE")
            or self._says_where_from(environ)
        ):
            return self.wsgi_app(environ, start_response)
        version = self._content_version()
        if version is None:
            return self.wsgi_app(environ, start_response)
        # What this page is kept under: the region row the page is rendered with must be at least this version
        # (services.catalogue.current_region), or a page of older content would be kept under a newer key.
        environ[VERSION_ENVIRON_KEY] = version
        key = (
            version,
            local_today(),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        with _lock:
            hit = _responses.get(key)
        if hit is not None:
            status, headers, body, etag = hit
            if _not_modified(environ, etag):
                start_response("304 NOT MODIFIED", [(k, v) for k, v in headers if k.lower() not in ("content-length",)])
                return [b""]
            start_response(status, headers)
            return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, [(k, v) for k, v in headers if k != CACHEABLE_MARK], exc_info)

        result = self.wsgi_app(environ, capture)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        headers = captured.get("headers", [])
        names = {k.lower() for k, _ in headers}
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and captured.get("status", "").startswith("200")
            and CACHEABLE_MARK.lower() in names
            and "set-cookie" not in names
        ):
            kept = [(k, v) for k, v in headers if k != CACHEABLE_MARK]
            etag = next((v for k, v in kept if k.lower() == "etag"), "")
            with _lock:
                _responses[key] = (captured["status"], kept, body, etag)
        return [body]


def _not_modified(environ, etag: str) -> bool:
    """If-None-Match as Flask's make_conditional reads it: one of the listed tags (weak or strong), or *."""
    header = environ.get("HTTP_IF_NONE_MATCH")
    if not header or not etag:
        return False
    value, _weak = unquote_etag(etag)
    return parse_etags(header).contains_weak(value)


def cached_page(view):
    """Serve a GET view from the cache when the region's content has not changed since it was rendered."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from wsp_site.services.catalogue import current_region

        if not current_app.config.get("PAGE_CACHE_ENABLED", True) or request.method != "GET":
            return view(*args, **kwargs)
        region = current_region()
        key = (region.id, region.content_version, local_today(), request.script_root, request.full_path)
        with _lock:
            hit = _pages.get(key)
        if hit is not None:
            body, mimetype, status = hit
            response = current_app.response_class(body, status=status, mimetype=mimetype)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                with _lock:
                    _pages[key] = (response.get_data(), response.mimetype, response.status_code)
        response.headers["Cache-Control"] = f"public, max-age={current_app.config['PUBLIC_CACHE_SECONDS']}"
        response.vary.add("Accept-Encoding")
        response.add_etag()
        if response.status_code == 200:
            response.headers[CACHEABLE_MARK] = "1"
        return response.make_conditional(request)

    return wrapped


def init_app(app) -> None:
    """Install the middleware outermost, so a hit skips the language middleware and Flask alike."""
    app.wsgi_app = PageCacheMiddleware(app, app.wsgi_app)


def _region_id(obj) -> int | None:
    """The region an object belongs to, also when it is new and only its relationship is set yet (its
    region_id is filled in by the flush that is about to run)."""
    if isinstance(obj, Region):
        return obj.id
    if isinstance(obj, InstrumentText):
        return _region_id(obj.instrument) if obj.instrument is not None else None
    region_id = getattr(obj, "region_id", None)
    if region_id is None and getattr(obj, "region", None) is not None:
        region_id = obj.region.id
    return region_id


@event.listens_for(Session, "before_flush")
def _bump_content_version(session: Session, _context, _instances) -> None:
    regions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Region) and obj not in session.new and session.is_modified(obj):
            # The region's own details (name, e-mail, phone, promised days) stand on every page.
            regions.add(obj.id)
        elif isinstance(obj, CONTENT_MODELS) and (
            obj in session.new or obj in session.deleted or session.is_modified(obj)
        ):
            region_id = _region_id(obj)
            if region_id is not None:
                regions.add(region_id)
    if regions:
        mark_content_changed(session)
        session.info[REGION_CHANGED_KEY] = True  # the kept region rows go when this commits (services.catalogue)
    for region_id in regions:
        session.execute(update(Region).where(Region.id == region_id).values(content_version=Region.content_version + 1))
