"""Jinja set-up: strict undefined outside production, the filters (Markdown, dates and numbers) and explicit globals."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for
from jinja2 import StrictUndefined

from wsp_site import formatting, i18n
from wsp_site.presentation.markdown import render_markdown


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """URL of a static file with a content hash, so it can be cached for a year."""
    path = Path(current_app.static_folder) / filename
    version = _file_hash(str(path), path.stat().st_mtime) if path.exists() else "0"
    return url_for("static", filename=filename, v=version)


def init_app(app: Flask) -> None:
    if app.config.get("ENV_NAME") != "production":
        app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters.update(formatting.FILTERS)  # dates and numbers in the page's language
    app.jinja_env.globals.update(
        asset_url=asset_url,
        current_lang=i18n.current_lang,
        path_in=i18n.path_in,
    )
