"""The two e-mails of a new lead: the employer's receipt (confirmation with a copy of what was sent, Wmebv) and the
key account's notification. Queued unrendered by the intake (services.mail.deferred): the outbox worker renders
them from the lead and a few frozen values when it sends them, so a submission does not render four templates.

Frozen at submission: the owner routing chose (the contact named in the receipt, the person notified), the
status link (its token exists only then) and the back-office link. Read at sending: the lead itself, whose
reference, date, copy of the form (Lead.submitted_copy) and instruments do not change after the intake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from sqlalchemy.orm import Session

from wsp_site.formatting import date_text
from wsp_site.models import Lead, Region, User
from wsp_site.presentation.urls import site_url
from wsp_site.services.leads import contact_person
from wsp_site.services.mail import deferred
from wsp_site.vocabulary import request_type_label

CONFIRMATION = "lead_confirmation"
NOTIFICATION = "lead_notification"


def enqueue(session: Session, region: Region, lead: Lead, token: str, now) -> None:
    """Queue both e-mails of a new lead (flushed, so it has its id). The employer reads the confirmation in the
    language of the form; staff read Dutch. An answer to either reaches the other side: the employer's reply goes
    to their contact person (services.leads.contact_person), the key account's to the employer."""
    owner = lead.owner
    deferred.enqueue_unrendered(
        session,
        kind=CONFIRMATION,
        to=lead.email,
        reply_to=contact_person.employer_reply_to(lead),
        template=CONFIRMATION,
        values={"owner_id": owner.id, "status_url": site_url("public.lead_status", lead.language, token=token)},
        language=lead.language,
        lead=lead,
        now=now,
    )
    deferred.enqueue_unrendered(
        session,
        kind=NOTIFICATION,
        to=owner.email,
        reply_to=lead.email,
        template=NOTIFICATION,
        values={"owner_id": owner.id, "lead_url": site_url("backoffice.lead_detail", lead_id=lead.id)},
        language="nl",
        lead=lead,
        now=now,
    )


@deferred.builds_context(CONFIRMATION)
@deferred.builds_context(NOTIFICATION)
def context(session: Session, lead: Lead | None, values: Mapping[str, Any], language: str) -> dict[str, Any]:
    """What the templates read (see their headers), from the lead and the frozen values."""
    if lead is None:
        raise deferred.RenderError("the lead of this message no longer exists")
    owner = session.get(User, values["owner_id"]) if values.get("owner_id") else None
    if owner is None:
        raise deferred.RenderError("the person the lead was routed to no longer exists")
    with force_locale(language):
        return {
            **values,
            "lead": lead,
            "owner": owner,
            "service_point": owner.service_point,
            "region": lead.region,
            "contact": contact_person.current_contact(lead, owner),
            "copy": contact_person.submitted_copy(lead),
            "language": language,
            "request_type_label": request_type_label(lead.request_type),
            "due_on_text": date_text(lead.due_on),
        }
