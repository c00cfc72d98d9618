"""Absolute links for e-mails, built from SITE_URL, with or without a request in progress."""

from __future__ import annotations

from flask import current_app, url_for

from wsp_site.i18n import LANG_PREFIXES


def site_url(endpoint: str, lang: str = "nl", **values) -> str:
    """SITE_URL + the path of `endpoint` (English pages under /en). Works in workers and CLI commands too."""
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return current_app.config["SITE_URL"] + LANG_PREFIXES.get(lang, "") + path
