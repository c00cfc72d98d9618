"""E-mail: render a message into the outbox now (or store what the worker renders it from: `deferred`), deliver it
later through a backend.

Views never send mail themselves. They call `enqueue()` in the same transaction as the change that caused
the message (a new lead, say), so a message exists if and only if that change was committed; the outbox
worker (`services/outbox.py`) delivers it with retries. Backends only see an `OutgoingMail` snapshot, so a
slow SMTP server never holds a database transaction open.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol

import idna
from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy.orm import Session

from wsp_site.clock import utcnow
from wsp_site.models.lead import Lead
from wsp_site.models.outbox import OutboxMessage

log = logging.getLogger(__name__)

SMTP_SECURITY_MODES = ("none", "starttls", "ssl")
SUBJECT_PREFIX = "Subject:"
SUBJECT_MAX = 300  # the column's length
ERROR_MAX = 500


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body_text: str
    body_html: str | None


def render_mail(template: str, context: Mapping[str, Any], language: str = "nl") -> RenderedMail:
    """Render `emails/<template>.txt` (first line "Subject: ...", then the body) and the optional `.html`.

    The HTML template also receives `subject`, for its <title>.
    """
    values = {**context, "language": language}
    with force_locale(language):
        subject_line, _, body = render_template(f"emails/{template}.txt", **values).partition("\n")
        subject = subject_line.strip()
        if subject.startswith(SUBJECT_PREFIX):
            subject = subject[len(SUBJECT_PREFIX) :].strip()
        if not subject:
            raise ValueError(f"emails/{template}.txt must start with a 'Subject: ...' line")
        if len(subject) > SUBJECT_MAX:
            subject = subject[: SUBJECT_MAX - 1] + "…"
        try:
            html_template = current_app.jinja_env.get_template(f"emails/{template}.html")
        except TemplateNotFound:
            body_html = None
        else:
            body_html = render_template(html_template, **values, subject=subject)
    return RenderedMail(subject=subject, body_text=body.strip("\n") + "\n", body_html=body_html)


def enqueue(
    session: Session,
    *,
    kind: str,
    to: str,
    template: str,
    context: Mapping[str, Any],
    language: str = "nl",
    lead: Lead | None = None,
    now: dt.datetime | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Store a rendered message as pending. Never sends and never commits: the caller commits it together
    with the change that caused it, so a rolled-back change leaves no stray e-mail behind.
    `reply_to`: where answers should go (the sender is a no-reply address)."""
    to, reply_to = addresses(to, reply_to)
    rendered = render_mail(template, context, language)
    lead_id = None
    if lead is not None:
        if lead.id is None:
            session.flush()  # the lead is new in this transaction; the message needs its id
        lead_id = lead.id
    message = OutboxMessage(
        kind=kind,
        lead_id=lead_id,
        to_address=to,
        reply_to=reply_to,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        language=language,
        status="pending",
        attempts=0,
        next_attempt_at=now or utcnow(),
    )
    session.add(message)
    return message


def addresses(to: str, reply_to: str | None) -> tuple[str, str | None]:
    """The recipient and Reply-To as they are stored (ASCII domains); raises ValueError for a bad recipient."""
    to = _address(to)
    reply_to = _address(reply_to) if reply_to else None
    if reply_to and not reply_to.isascii():
        reply_to = None  # a non-ASCII name before the @ cannot stand in a header without SMTPUTF8: no Reply-To
    return to, reply_to


def _address(value: str) -> str:
    value = value.strip()
    if "@" not in value or any(char in value for char in "\r\n"):
        raise ValueError(f"Not an e-mail address: {value!r}")
    return ascii_domain(value)


def ascii_domain(address: str) -> str:
    """jan@bäckerei-müller.de -> jan@xn--bckerei-mller-bfb28a.de: a domain with accents is written the way
    every mail server understands (IDNA); the part before the @ is left as it is."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address


@dataclass(frozen=True)
class OutgoingMail:
    """What a backend needs to send one outbox message, detached from the database session."""

    id: int
    to: str
    subject: str
    body_text: str
    body_html: str | None
    language: str
    reply_to: str | None = None

    @classmethod
    def from_message(cls, message: OutboxMessage) -> OutgoingMail:
        return cls(
            id=message.id,
            to=message.to_address,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            language=message.language,
            reply_to=message.reply_to,
        )


class DeliveryError(Exception):
    """A message could not be delivered; the text is safe to store and show (no secrets).

    `permanent`: the server refused this message for good (an SMTP 5xx reply, e.g. 550 no such mailbox), so
    trying again cannot help. A 4xx reply, a refused sign-in (a setting, not the message) and a connection
    problem are temporary: the outbox tries again later."""

    def __init__(self, text: str, permanent: bool = False):
        super().__init__(text)
        self.permanent = permanent


def smtp_reply_code(exc: BaseException) -> int | None:
    """The SMTP reply code of a refusal, when the server gave one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return next(iter(exc.recipients.values()), (None, b""))[0]
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    return None


def is_permanent(exc: BaseException) -> bool:
    code = smtp_reply_code(exc)
    return code is not None and 500 <= code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError)


class MailBackend(Protocol):
    def send(self, mail: OutgoingMail) -> None:
        """Deliver one message or raise (any exception counts as a failed attempt)."""


def build_email(mail: OutgoingMail, mail_from: str) -> EmailMessage:
    """A multipart/alternative message whose Message-ID comes from the outbox id, so re-sends are recognisable."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = mail.to
    if mail.reply_to:
        email["Reply-To"] = mail.reply_to
    email["Subject"] = mail.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = f"<outbox-{mail.id}@{domain}>"
    # RFC 3834: stops auto-replies (out of office) from answering our notifications.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(mail.body_text)
    if mail.body_html:
        email.add_alternative(mail.body_html, subtype="html")
    email["Content-Language"] = mail.language  # after set_content(), which drops Content-* headers
    return email


class ConsoleBackend:
    """Development default: nothing leaves the machine; the message goes to the log and stderr."""

    def __init__(self, mail_from: str = "WSP <noreply@example.nl>") -> None:
        self.mail_from = mail_from

    def send(self, mail: OutgoingMail) -> None:
        text = (
            f"From: {self.mail_from}\nTo: {mail.to}\n"
            + (f"Reply-To: {mail.reply_to}\n" if mail.reply_to else "")
            + f"Subject: {mail.subject}\n"
            f"Message-ID: outbox-{mail.id} (language {mail.language})\n\n{mail.body_text}"
        )
        log.info("E-mail (console backend, not sent):\n%s", text)
        print(f"----- e-mail {mail.id} (not sent: MAIL_BACKEND=console) -----\n{text}-----", file=sys.stderr)


class SMTPBackend:
    """Delivers through an SMTP server, one connection per message (volumes are small; nothing to go stale)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        mail_from: str,
        security: str = "none",
        username: str = "",
        password: str = "",
        timeout: float = 10,
    ) -> None:
        if security not in SMTP_SECURITY_MODES:
            raise ValueError(f"SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY_MODES)}, got {security!r}")
        self.host = host
        self.port = port
        self.mail_from = mail_from
        self.security = security
        self.username = username
        self.password = password
        self.timeout = timeout

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SMTPBackend:
        return cls(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            mail_from=config["MAIL_FROM"],
            security=config.get("SMTP_SECURITY", "none"),
            username=config.get("SMTP_USERNAME", ""),
            password=config.get("SMTP_PASSWORD", ""),
            timeout=float(config.get("SMTP_TIMEOUT", 10)),
        )

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def send(self, mail: OutgoingMail) -> None:
        email = build_email(mail, self.mail_from)
        envelope_from = parseaddr(self.mail_from)[1] or None
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email, from_addr=envelope_from, to_addrs=[mail.to])
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(self._describe(exc), permanent=is_permanent(exc)) from exc

    def _describe(self, exc: BaseException) -> str:
        """A short, secret-free description: the server's reply or the connection problem."""
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            text = f"recipient refused: {code} {_decode(reply)}"
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = f"SMTP {exc.smtp_code} {_decode(exc.smtp_error)}"
        elif isinstance(exc, smtplib.SMTPException):
            text = f"SMTP error: {exc}"
        else:
            text = f"cannot reach {self.host}:{self.port}: {exc}"
        for secret in (self.password, self.username):
            if secret:
                text = text.replace(secret, "***")
        return f"{type(exc).__name__}: {text}"[:ERROR_MAX]


def _decode(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def get_backend(config: Mapping[str, Any]) -> MailBackend:
    """The backend MAIL_BACKEND names: `console` (default) or `smtp`."""
    name = config.get("MAIL_BACKEND", "console")
    if name == "console":
        return ConsoleBackend(config.get("MAIL_FROM", "WSP <noreply@example.nl>"))
    if name == "smtp":
        return SMTPBackend.from_config(config)
    raise ValueError(f"MAIL_BACKEND must be 'console' or 'smtp', got {name!r}")
