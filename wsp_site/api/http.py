"""HTTP behaviour shared by every API response: caching, CORS, version header, problem details.

Municipal websites call the API from their own servers and from browsers on their own origin, often on
every page view. So responses are public and cacheable (Cache-Control + a strong ETag, answered with
304 when unchanged), readable cross-origin without credentials (CORS ``*``), and errors are
``application/problem+json`` (RFC 9457) as the NL GOV API Design Rules require.
"""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request

from wsp_site.api.params import InvalidParams

API_VERSION = "1.0.0"
HAL_JSON = "application/hal+json"
PROBLEM_JSON = "application/problem+json"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "API-Version, Content-Language, ETag",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def _dumps(payload: object) -> str:
    # Keys in the order the representation builds them (readable); non-ASCII as is (€, ë).
    return current_app.json.dumps(payload, ensure_ascii=False, sort_keys=False)


def json_response(payload: object, lang: str | None = None, mimetype: str = HAL_JSON) -> Response:
    """A cacheable JSON response with a strong ETag over the body, or 304 when If-None-Match matches."""
    body = _dumps(payload)
    response = current_app.response_class(body, mimetype=mimetype)
    if lang:
        response.headers["Content-Language"] = lang
        response.vary.add("Accept-Language")  # the language may come from that header
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_CACHE_SECONDS"]
    response.set_etag(hashlib.sha256(body.encode("utf-8")).hexdigest())
    return response.make_conditional(request)


def problem_response(status: int, title: str, detail: str | None = None, **extra: object) -> Response:
    """An RFC 9457 problem; `extra` adds members such as ``invalid-params``."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = current_app.response_class(_dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.cache_control.no_cache = True
    return response


def invalid_params_response(exc: InvalidParams) -> Response:
    names = ", ".join(p.name for p in exc.params)
    return problem_response(
        400,
        "Bad Request",
        f"Ongeldige waarde voor: {names}.",
        **{"invalid-params": [p.as_dict() for p in exc.params]},
    )


def is_api_request() -> bool:
    """Also true for URLs under /api/ that match no route (404, 405): they get the API headers too."""
    return request.blueprint == "api" or request.path.startswith("/api/")


def add_api_headers(response: Response) -> Response:
    """API-Version and CORS on every API response, errors and preflights included."""
    response.headers["API-Version"] = API_VERSION
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
    return response
