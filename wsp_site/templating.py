"""Jinja set-up: strict undefined outside production, the filters (Markdown, dates and numbers) and explicit globals,
among them every component macro (templates/components/*.html), so that no page imports one."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for
from jinja2 import Environment, StrictUndefined, nodes

from wsp_site import formatting, fragments, i18n
from wsp_site.presentation.glossary import instrument_texts
from wsp_site.presentation.markdown import render_markdown


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


ASSET_CHECK_SECONDS = 1.0  # a rebuilt stylesheet gets its new hash within a second, without a stat() per link
_asset_versions: dict[str, tuple[float, str]] = {}


def _asset_version(path: Path) -> str:
    now = time.monotonic()
    checked = _asset_versions.get(str(path))
    if checked is not None and now - checked[0] < ASSET_CHECK_SECONDS:
        return checked[1]
    version = _file_hash(str(path), path.stat().st_mtime) if path.exists() else "0"
    _asset_versions[str(path)] = (now, version)
    return version


def asset_url(filename: str) -> str:
    """URL of a static file with a content hash, so it can be cached for a year."""
    return url_for("static", filename=filename, v=_asset_version(Path(current_app.static_folder) / filename))


COMPONENTS = "components"  # below the templates folder: one file per NL Design System component


def component_macros(env: Environment) -> dict[str, object]:
    """Every public macro of the component files, by name, as a global: {{ paragraph(...) }} in any template.

    A global looks its macro up when called, in the file's module (the same module `{% from %}` would import,
    without the page's context): so inside a macro _(), url_for and strict undefined work as they did, and a
    changed component file is picked up where templates auto-reload. Macros starting with _ stay private."""
    names = [name for name in env.list_templates(extensions=["html"]) if name.startswith(COMPONENTS + "/")]
    macros: dict[str, object] = {}
    for template in names:
        source = env.loader.get_source(env, template)[0]
        for macro in env.parse(source).find_all(nodes.Macro):
            if macro.name.startswith("_"):
                continue
            if macro.name in macros:
                raise RuntimeError(f"component macro {macro.name!r} is defined twice ({template})")
            macros[macro.name] = _component(env, template, macro.name)
    return macros


def _component(env: Environment, template: str, name: str):
    def call(*args, **kwargs):
        return getattr(env.get_template(template).module, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def glossary_texts(instrument, lang: str) -> dict:
    """An instrument page's texts with the first use of each glossary term linked to /begrippen (or
    /en/begrippen): public/instrument.html, so the public page and the editor's preview alike. Worked out once
    per content version for a published instrument (kept with the catalogue), each time for a draft."""
    from wsp_site.services import catalogue

    href = url_for("public.glossary")
    published = catalogue.published(catalogue.current_region())
    if not published.owns(instrument):
        return instrument_texts(instrument, lang, href)
    return published.memo(
        ("glossary texts", instrument.id, lang, href), lambda: instrument_texts(instrument, lang, href)
    )


def init_app(app: Flask) -> None:
    if app.config.get("ENV_NAME") != "production":
        app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters.update(formatting.FILTERS)  # dates and numbers in the page's language
    app.jinja_env.globals.update(
        asset_url=asset_url,
        glossary_texts=glossary_texts,
        fragment=fragments.fragment,
        published_copies=fragments.published_copies,
        current_lang=i18n.current_lang,
        path_in=i18n.path_in,
    )
    app.jinja_env.globals.update(component_macros(app.jinja_env))
