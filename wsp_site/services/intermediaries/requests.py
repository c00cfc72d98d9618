"""The requests an intermediary sent on behalf of a client employer (leads of type "kennismaken" with
Lead.intermediary_id), as its portal shows them: the step, the next step and its deadline, as on an employer's
status page (services.leads.pool_requests.view). The candidate's first name and the agreed contact route, once the
candidate agreed, only for the person who sent the request; colleagues see the step without them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import AuditEvent, Intermediary, Lead, User
from wsp_site.services.leads import pool_requests
from wsp_site.services.people.audit import record


def sent_by(session: Session, organisation: Intermediary) -> list[Lead]:
    """The organisation's requests, newest first."""
    return list(
        session.scalars(
            select(Lead)
            .where(Lead.intermediary_id == organisation.id)
            .options(
                selectinload(Lead.events), selectinload(Lead.candidate_profile), selectinload(Lead.intermediary_user)
            )
            .order_by(Lead.created_at.desc(), Lead.id.desc())
        )
    )


def portal_view(lead: Lead, user: User, today: dt.date) -> pool_requests.RequestView:
    shown = pool_requests.view(lead, today)
    if lead.intermediary_user_id != user.id:
        shown = dataclasses.replace(shown, first_name=None, contact_route=None)
    return shown


def record_sent(session: Session, lead: Lead, user: User, now: dt.datetime) -> AuditEvent:
    """The audit event of a request sent: which lead and which candidate (by code); the client is on the lead,
    which retention anonymises, so no name of it here."""
    return record(
        session,
        user,
        "intermediary.request_sent",
        lead.intermediary,
        now,
        lead_id=lead.id,
        reference=lead.reference,
        code=pool_requests.candidate_code(lead),
    )
