"""Languages: Dutch at the root, English mirrored under /en.

A small WSGI middleware moves a leading /en from PATH_INFO to SCRIPT_NAME. Every url_for() in an English
request then yields /en/... by itself, and the views need not know about languages in their routes.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import get_locale, get_translations

LANG_PREFIXES = {"en": "/en"}


class LanguagePrefixMiddleware:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        environ["wsp.lang"] = "nl"
        for lang, prefix in LANG_PREFIXES.items():
            if path == prefix or path.startswith(prefix + "/"):
                environ["wsp.lang"] = lang
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                break
        return self.wsgi_app(environ, start_response)


def select_locale() -> str:
    try:
        return request.environ.get("wsp.lang", "nl")
    except RuntimeError:  # outside a request (CLI, outbox worker)
        return "nl"


def current_lang() -> str:
    return select_locale()


def path_in(lang: str) -> str:
    """The current page's path (with query string) in another language."""
    script_root = request.script_root
    current = request.environ.get("wsp.lang", "nl")
    base = script_root[: -len(LANG_PREFIXES[current])] if current in LANG_PREFIXES else script_root
    prefix = LANG_PREFIXES.get(lang, "")
    path = base + prefix + request.path
    if path != "/" and path.endswith("/") and request.path == "/":
        path = path.rstrip("/")
    query = request.query_string.decode("latin-1")
    return path + ("?" + query if query else "")


def _template_translations():
    """Flask-Babel's translations for this request, looked up once per request and locale instead of on every
    _() of a template (Flask-Babel finds its context, domain and locale again each time). A forced or refreshed
    locale (flask_babel.force_locale, refresh) is a new Locale object, and so gets its own lookup."""
    locale = get_locale()
    if locale is None:  # outside a request
        return get_translations()
    kept = g.get("_wsp_translations")
    if kept is None or kept[0] is not locale:
        kept = g._wsp_translations = (locale, get_translations())
    return kept[1]


def install_template_gettext(app: Flask) -> None:
    """Jinja's _(), ngettext(), pgettext() and npgettext() (newstyle, as Flask-Babel installs them) through
    _template_translations. Call after Flask-Babel's init_app."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _template_translations().ugettext(s),
        ngettext=lambda s, p, n: _template_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _template_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def init_app(app: Flask) -> None:
    app.wsgi_app = LanguagePrefixMiddleware(app.wsgi_app)
    install_template_gettext(app)
