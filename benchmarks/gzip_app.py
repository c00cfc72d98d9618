"""The site as production serves it to a browser: gzip-compressed, as the web server in front of gunicorn
does (README, "Deployment"). gunicorn itself does not compress, so benchmarks/lighthouse.py serves
`gzip_app:site()` (with `--pythonpath benchmarks`) instead of `wsp_site:create_app()`.

This is the web server's job emulated in WSGI, for measurement only: it changes no byte of a response but
its encoding (and Content-Length, Vary). `gzip_app:bare()` wraps the bare baseline app the same way.
"""

from __future__ import annotations

import gzip

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/xml",
    "image/svg+xml",
)
MIN_SIZE = 256
LEVEL = 6


class GzipMiddleware:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.wsgi_app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join([*captured.get("written", []), *chunks])
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = captured["status"], list(captured["headers"])
        names = {name.lower(): value for name, value in headers}
        ctype = names.get("content-type", "")
        if (
            status.startswith("200")
            and "content-encoding" not in names
            and len(body) >= MIN_SIZE
            and ctype.startswith(COMPRESSIBLE)
        ):
            body = gzip.compress(body, compresslevel=LEVEL, mtime=0)
            headers = [(n, v) for n, v in headers if n.lower() not in ("content-length", "etag")]
            vary = names.get("vary")
            headers = [(n, v) for n, v in headers if n.lower() != "vary"]
            headers += [
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
                ("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"),
            ]
        start_response(status, headers)
        return [body]


def site():
    """gunicorn 'gzip_app:site()'"""
    from wsp_site import create_app

    return GzipMiddleware(create_app())


def bare():
    """gunicorn 'gzip_app:bare()'"""
    from bare_app import app as bare_app

    return GzipMiddleware(bare_app)
