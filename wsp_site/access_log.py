"""Access logs without secrets: the status-link and password-link tokens in a path (or a Referer) are masked.

Those links carry their token in the path, because an e-mail link is a GET. Whoever reads the web server's log
should not be able to open an employer's request or set a colleague's password, so every log line the app's
servers write passes through `mask`: gunicorn through MaskingLogger (enabled by `gunicorn -c
python:wsp_site.gunicorn_config`), the development server (`wsp-site`) through MaskingFilter. nginx in front of
it needs the same in its own configuration (README, Deployment)."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# /aanvraag/<token> (the employer's status page) and /beheer/wachtwoord-instellen/<token>, also under /en/.
TOKEN_IN_PATH = re.compile(r"(/(?:en/)?(?:aanvraag|beheer/wachtwoord-instellen)/)[^/?#\s\"']+")
MASK = "[token]"


def mask(text: str) -> str:
    return TOKEN_IN_PATH.sub(lambda m: m.group(1) + MASK, text)


class MaskingLogger(Logger):
    """gunicorn's logger, with every atom of an access-log line masked (request line, path, Referer...)."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value for key, value in found.items()}


class MaskingFilter(logging.Filter):
    """For the werkzeug development server's request lines (and any other logger it is added to)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in args)
        return True
