"""A small in-process cache of rendered public pages.

The key includes the region's `content_version`, which a flush listener bumps whenever public content
changes (instruments, their texts, municipalities, service points, organisations). Every worker reads the
version with the region row it loads anyway, so a publication invalidates all workers' caches at once, with
no extra query and no shared state in memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, make_response, request
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from wsp_site.models import Instrument, InstrumentText, Municipality, Organisation, Region, ServicePoint

CONTENT_MODELS = (Instrument, InstrumentText, Municipality, Organisation, ServicePoint)
MAX_ENTRIES = 1024
_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[bytes, str, int]] = OrderedDict()


def clear() -> None:
    with _lock:
        _pages.clear()


def cached_page(view):
    """Serve a GET view from the cache when the region's content has not changed since it was rendered."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from wsp_site.services.catalogue import current_region

        if not current_app.config.get("PAGE_CACHE_ENABLED", True) or request.method != "GET":
            return view(*args, **kwargs)
        region = current_region()
        key = (region.id, region.content_version, request.script_root, request.full_path)
        with _lock:
            hit = _pages.get(key)
            if hit is not None:
                _pages.move_to_end(key)
        if hit is not None:
            body, mimetype, status = hit
            response = current_app.response_class(body, status=status, mimetype=mimetype)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                with _lock:
                    _pages[key] = (response.get_data(), response.mimetype, response.status_code)
                    while len(_pages) > MAX_ENTRIES:
                        _pages.popitem(last=False)
        response.headers["Cache-Control"] = f"public, max-age={current_app.config['PUBLIC_CACHE_SECONDS']}"
        response.vary.add("Accept-Encoding")
        response.add_etag()
        return response.make_conditional(request)

    return wrapped


def _region_ids(obj) -> set[int]:
    if isinstance(obj, InstrumentText):
        instrument = obj.instrument
        return {instrument.region_id} if instrument is not None and instrument.region_id else set()
    region_id = getattr(obj, "region_id", None)
    return {region_id} if region_id else set()


@event.listens_for(Session, "before_flush")
def _bump_content_version(session: Session, _context, _instances) -> None:
    regions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, CONTENT_MODELS) and (
            obj in session.new or obj in session.deleted or session.is_modified(obj)
        ):
            regions |= _region_ids(obj)
    for region_id in regions:
        session.execute(update(Region).where(Region.id == region_id).values(content_version=Region.content_version + 1))
