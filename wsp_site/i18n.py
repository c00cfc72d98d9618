"""Languages: Dutch at the root, English mirrored under /en.

A small WSGI middleware moves a leading /en from PATH_INFO to SCRIPT_NAME. Every url_for() in an English
request then yields /en/... by itself, and the views need not know about languages in their routes.
"""

from __future__ import annotations

from flask import Flask, request

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


def init_app(app: Flask) -> None:
    app.wsgi_app = LanguagePrefixMiddleware(app.wsgi_app)
