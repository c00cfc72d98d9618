"""Parts of a page rendered once per region content version, not on every request (issue 17).

A template wraps a part that depends only on the region's published content, the language and a few values it
names itself in a call block:

    {% call fragment("header", region, endpoint) %} ... {% endcall %}

The first request renders the body and keeps the result; later ones get it back without rendering. The key is
the fragment's name, the region's id and `content_version` (of the region row each request has, as the
catalogue snapshot's key: a publication through one process is served fresh by every other within
REGION_ROW_TTL, services.catalogue.current_region), the day (the catalogue's validity), the language, the
script root (/en, the links' prefix) and the values after the region (`vary`: say the current endpoint for a menu's aria-current, or a form field's
prefilled choice). Anything else the body reads must be the same for every request with that key: never a
CSRF token, a flashed message, a form's errors or a submitted text. Such parts stay outside the block, or the
block passes `when=False` for that request (it is then rendered, and kept nowhere).

Nothing is kept when the request's session has content changes of its own that it has not committed (a
preview, a dry run), when templates reload (development), or when FRAGMENT_CACHE_ENABLED is false. Kept per
worker in an LRU (FRAGMENTS_KEPT entries; snapshot.clear() empties it with the catalogue's copies); the entries
of older versions simply fall out of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache
from flask import current_app, request

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.i18n import current_lang
from wsp_site.services.catalogue.snapshot import content_changed_in, kept_in_app

FRAGMENTS_KEPT = 512  # a few hundred parts of a few KB each per worker: header, footer, menus, form fields

_lock = threading.Lock()


def _kept() -> LRUCache:
    return kept_in_app("wsp_fragments", FRAGMENTS_KEPT)


def _enabled(region) -> bool:
    app = current_app
    return bool(
        region
        and app.config["FRAGMENT_CACHE_ENABLED"]
        and not app.jinja_env.auto_reload
        and not content_changed_in(db.session)
    )


def fragment(name: str, region, *vary: Hashable, when: bool = True, caller: Callable[[], str]) -> str:
    """The body of the call block (`caller`), rendered once per key (see the module's docstring)."""
    if not when or not _enabled(region):
        return caller()
    key = (
        name,
        region.id,
        region.content_version,
        local_today(),
        current_lang(),
        request.script_root,
        *vary,
    )
    key = tuple(tuple(part) if isinstance(part, list) else part for part in key)
    kept = _kept()
    with _lock:
        found = kept.get(key)
    if found is None:
        found = caller()  # a macro of an autoescaping template: Markup already
        with _lock:
            kept[key] = found
    return found


def published_copies(*items) -> bool:
    """Whether every item (an instrument, or a list of them) is the published catalogue's own copy: a fragment of
    an instrument is kept only then, never for a draft (the editor's preview renders the same template)."""
    from wsp_site.services import catalogue

    published = catalogue.published(catalogue.current_region())
    flat = [item for part in items for item in (part if isinstance(part, (list, tuple)) else [part])]
    return all(published.owns(item) for item in flat)
