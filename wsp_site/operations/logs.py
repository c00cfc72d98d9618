"""Logs as one JSON object per line (structlog's stdlib formatter), for production's log collector.

Every line passes `redact`: e-mail addresses and phone numbers are replaced, and the status and password tokens
masked (access_log.mask), whatever the code that logged them meant to write. An SMTP error can quote an address;
the log is not where personal data belongs."""

from __future__ import annotations

import logging
import re
import sys

import phonenumbers
import structlog

from wsp_site.access_log import mask

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LOG_FORMATS = ("text", "json")


def redact_text(text: str) -> str:
    text = EMAIL.sub("[e-mail]", mask(text))
    # phonenumbers finds numbers as a Dutch reader would (06-12345678, +31 30 123 4567), not dates or ids.
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "NL"))):
        text = text[: match.start] + "[telefoon]" + text[match.end :]
    return text


def redact(_logger, _name, event_dict: dict) -> dict:
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = redact_text(value)
    return event_dict


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            structlog.processors.JSONRenderer(),
        ],
    )


def configure(log_format: str, level: str = "INFO", stream=None) -> None:
    """Send the root logger's records to `stream` (stderr) as JSON lines, or leave logging as it is for "text"."""
    root = logging.getLogger()
    if log_format != "json" or any(isinstance(h.formatter, structlog.stdlib.ProcessorFormatter) for h in root.handlers):
        return  # text, or JSON already (gunicorn's logconfig_dict in wsp_site.gunicorn_config)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter())
    root.addHandler(handler)
    root.setLevel(level)
