"""A real SMTP server on loopback for tests (aiosmtpd), which can be taken down and brought back."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text of the text/<subtype> part ("plain" or "html")."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, f"no text/{subtype} part"
        return body.get_content()


class _Recorder:
    def __init__(self) -> None:
        self.received: list[ReceivedMail] = []
        self.refusals: dict[str, str] = {}  # recipient -> the server's reply, e.g. "550 5.1.1 no such mailbox"
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        with self.lock:
            refusal = self.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SMTPServer:
    """SMTP on 127.0.0.1 at a free port that stays the same across stop()/start(), so a test can have the
    server down (connection refused) and up again without changing the app's settings."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port(host)
        self._recorder = _Recorder()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedMail]:
        with self._recorder.lock:
            return list(self._recorder.received)

    def refuse(self, address: str, reply: str) -> None:
        """Answer RCPT TO for this address with `reply` (a 5xx: refused for good; a 4xx: try again later)."""
        with self._recorder.lock:
            self._recorder.refusals[address.lower()] = reply

    def config(self, **extra) -> dict:
        """App settings that deliver to this server."""
        return {
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": self.host,
            "SMTP_PORT": self.port,
            "SMTP_SECURITY": "none",
            "SMTP_USERNAME": "",
            "SMTP_PASSWORD": "",
            "SMTP_TIMEOUT": 5,
            **extra,
        }

    def start(self) -> SMTPServer:
        if self._controller is None:
            self._controller = Controller(self._recorder, hostname=self.host, port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
