"""Logs in production: one JSON object per line, and never an employer's message text or e-mail address."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest

from tests.pages import csrf_token
from tests.public.test_contact import VALID
from tests.services.mail.test_contact_mail import worker_pass
from tests.smtp import SMTPServer
from wsp_site.operations import logs


@pytest.fixture
def json_log():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logs.configure("json", "DEBUG", stream)
    yield stream
    root.handlers[:], root.level = saved


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_line_is_one_json_object(json_log):
    logging.getLogger("wsp_site.test").warning("Outbox message %s failed: %s", 7, "550 no such user jan@example.nl")
    try:
        raise ValueError("kapot")
    except ValueError:
        logging.getLogger("wsp_site.test").exception("Unexpected")
    first, second = lines(json_log)
    assert first["level"] == "warning" and first["logger"] == "wsp_site.test" and first["timestamp"]
    assert first["event"] == "Outbox message 7 failed: 550 no such user [e-mail]"
    assert "ValueError: kapot" in second["exception"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail to a.b+c@sub.example.nl failed", "mail to [e-mail] failed"),
        ("call 06-12345678 or +31 30 123 4567", "call [telefoon] or [telefoon]"),
        ("GET /aanvraag/abcDEF123 200", "GET /aanvraag/[token] 200"),
        ("Outbox message 12345 sent", "Outbox message 12345 sent"),  # an id is not a phone number
        ("took 2026-12-02 10:00", "took 2026-12-02 10:00"),
    ],
)
def test_redaction(text, expected):
    assert logs.redact_text(text) == expected


def test_a_submission_logs_neither_message_nor_address(app, client, db, monkeypatch, json_log, caplog):
    caplog.set_level(logging.DEBUG)
    with SMTPServer() as server:
        for key, value in server.config().items():
            monkeypatch.setitem(app.config, key, value)
        response = client.post("/contact", data={**VALID, "csrf_token": csrf_token(client, "/contact")})
        assert response.status_code == 303
        assert worker_pass(db, app, dt.datetime.now(dt.UTC))["sent"] == 2
        assert len(server.received) == 2
    written = "\n".join(line["event"] for line in lines(json_log) if not line["logger"].startswith("mail.log"))
    assert lines(json_log), "the submission and the delivery are logged"
    ours = [record for record in caplog.records if not record.name.startswith("mail.log")]  # not the test server's
    raw = "\n".join(record.getMessage() for record in ours)
    for secret in (VALID["message"], VALID["email"], VALID["contact_name"], VALID["phone"]):
        assert secret not in written
        assert secret not in raw  # redaction is the second line of defence, not the first
