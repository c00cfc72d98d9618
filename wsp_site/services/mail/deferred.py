"""E-mails rendered when the outbox worker sends them, not in the request that queued them.

The request stores what is needed to render: the template, the language, the lead (`lead_id`) and a few frozen
values (JSON: ids, the status link). The worker asks the template's context builder (registered by the module
that owns the e-mail, e.g. services.leads.lead_mail) for the context, renders, sends, and keeps the rendered
text on the row. A message that cannot be rendered (its lead gone, a template error) is a failed message with
the reason, shown like any other undelivered one; it keeps its template and values, so a retry renders again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from wsp_site.clock import utcnow
from wsp_site.models.lead import Lead
from wsp_site.models.outbox import OutboxMessage
from wsp_site.services import mail

# template -> builder(session, lead or None, values, language) -> the template's context (RenderError when the
# lead it needs is None: deleted since)
ContextBuilder = Callable[[Session, Lead | None, Mapping[str, Any], str], Mapping[str, Any]]
BUILDERS: dict[str, ContextBuilder] = {}


class RenderError(Exception):
    """A stored message cannot be rendered; the text names why without personal data (it is stored and shown)."""


def builds_context(template: str) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register the function that turns a stored message's values into its template's context."""

    def register(builder: ContextBuilder) -> ContextBuilder:
        BUILDERS[template] = builder
        return builder

    return register


def enqueue_unrendered(
    session: Session,
    *,
    kind: str,
    to: str,
    template: str,
    values: Mapping[str, Any],
    language: str = "nl",
    lead: Lead | None = None,
    now: dt.datetime | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Queue a message to be rendered by the worker: like `mail.enqueue()` (never sends, never commits), but
    only the template, the language, the lead and `values` (JSON) are stored. The template must have a builder."""
    if template not in BUILDERS:
        raise ValueError(f"no context builder registered for e-mail template {template!r}")
    to, reply_to = mail.addresses(to, reply_to)
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        reply_to=reply_to,
        template=template,
        context=dict(values),
        language=language,
        status="pending",
        attempts=0,
        next_attempt_at=now or utcnow(),
    )
    if lead is not None:
        if lead.id is None:
            session.flush()  # the lead is new in this transaction; the message needs its id
        message.lead_id = lead.id
    session.add(message)
    return message


def render_stored(
    session: Session, template: str | None, values: Mapping[str, Any] | None, lead_id: int | None, language: str
) -> mail.RenderedMail:
    """Render a message queued with `enqueue_unrendered`; raises RenderError when it cannot be."""
    builder = BUILDERS.get(template or "")
    if builder is None:
        raise RenderError(f"no context builder for template {template!r}")
    lead = session.get(Lead, lead_id) if lead_id is not None else None
    return mail.render_mail(template, builder(session, lead, values or {}, language), language)


def rendered(session: Session, message: OutboxMessage) -> mail.RenderedMail:
    """The message's subject and bodies: as stored, or rendered now as the worker would (for views and tests)."""
    if message.body_text is not None:
        return mail.RenderedMail(message.subject or "", message.body_text, message.body_html)
    return render_stored(session, message.template, message.context, message.lead_id, message.language)
