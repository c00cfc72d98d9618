"""Security headers for every response, request hygiene, and the request-body limit of a view."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The site's CSP; only the embed blueprint lets other sites frame its pages."""
    return f"{CSP}; frame-ancestors {frame_ancestors}"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data) -> bool:
    """Any NUL in the keys or values of a MultiDict (every value, not only the first of a key)."""
    return any("\x00" in key or "\x00" in value for key, value in data.items(multi=True))


def larger_body(setting: str):
    """Let a view take a request body up to `app.config[setting]` bytes instead of MAX_CONTENT_LENGTH (an
    upload). Put it between the route and the access decorator; it returns the view itself."""

    def decorator(view):
        view.body_limit_setting = setting
        return view

    return decorator


def init_body_limits(app: Flask) -> None:
    """Register before the CSRF check, which is the first to read the form (and so to apply the limit)."""

    @app.before_request
    def apply_body_limit():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        setting = getattr(view, "body_limit_setting", None)
        if setting:
            request.max_content_length = app.config[setting]


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        """No text a person types holds a NUL character, and PostgreSQL refuses it in every text column: a
        request that carries one (path, query string or form) is answered 400 before it reaches a query."""
        has_form = request.method in ("POST", "PUT", "PATCH") and request.mimetype in FORM_TYPES
        if "\x00" in request.path or _has_nul(request.args) or (has_form and _has_nul(request.form)):
            abort(400)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        if "Content-Security-Policy" not in headers:  # a blueprint with its own policy (embed) keeps it
            headers["Content-Security-Policy"] = content_security_policy()
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def init_proxy(app: Flask) -> None:
    """The outermost layers of the WSGI stack, around the page cache: ProxyFix first (so that the cache and Flask
    see the visitor's address and scheme), then HSTS, set on every HTTPS response, a cached one included (the
    cache keeps no HSTS header: it would replay the first visitor's)."""
    app.wsgi_app = StrictTransport(app.wsgi_app)
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


class StrictTransport:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def with_hsts(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != HSTS[0].lower()] + [HSTS]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, with_hsts)
