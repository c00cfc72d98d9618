"""Who the employer's contact is now, and where the employer's answers go: one definition for the confirmation
page, the status page and every e-mail to the employer.

The contact is the lead's current owner: full name, role, service point, direct phone (the region pack's
`phone` of the person; none, the service point's) and e-mail address. Not named when the lead went to a known
employer's account holder on the strength of the e-mail domain alone (Lead.owner_disclosed): then the contact is
"an adviser" of the service point, with the service point's (or the region's) phone and address.
The Reply-To of an e-mail to the employer is that address, so it follows the owner after a reassignment.

A reassignment or a referral tells the employer who has the request now (notify_employer): a short e-mail in the
employer's language, answered to the current owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from wsp_site.models import Lead
from wsp_site.services import mail
from wsp_site.vocabulary import ROLE_LABELS

CHANGES = ("reassigned", "referred")


@dataclass(frozen=True)
class ContactPerson:
    """The employer's contact as the employer may be told it. Texts are translated where they are shown."""

    name: str | None  # the owner's full name; None: not named (Lead.owner_disclosed), "an adviser" instead
    role: object | None  # a lazy label ("Accountmanager"), None when not named
    service_point: object  # the service point's name, or the region's Werkgeversservicepunt
    phone: str | None
    email: str | None

    @property
    def named(self) -> bool:
        return self.name is not None

    @property
    def display_name(self) -> object:
        """The name to put in a sentence: the owner's full name, or "Een adviseur"."""
        return self.name if self.named else _l("Een adviseur")

    @property
    def phone_href(self) -> str | None:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+") if self.phone else None


def _role(owner) -> object | None:
    """What the employer reads as the person's role: account manager when they are one, else coordinator."""
    for role in ("account_manager", "coordinator"):
        if owner.has_role(role):
            return ROLE_LABELS[role]
    return None


def current_contact(lead: Lead, owner=None) -> ContactPerson:
    """The contact the employer is told of: the lead's owner now, or `owner` (the receipt names the person routing
    chose at submission, also when the outbox renders it later)."""
    owner, region = owner or lead.owner, lead.region
    point = owner.service_point
    point_name = point.name if point else _l("Werkgeversservicepunt %(region)s", region=region.name)
    point_phone = (point.phone if point else None) or region.phone
    point_email = (point.email if point else None) or region.email
    if not lead.owner_disclosed:
        return ContactPerson(name=None, role=None, service_point=point_name, phone=point_phone, email=point_email)
    return ContactPerson(
        name=owner.name,
        role=_role(owner),
        service_point=point_name,
        phone=owner.phone or point_phone,
        email=owner.email,
    )


def employer_reply_to(lead: Lead) -> str | None:
    """Where an answer to an e-mail to the employer goes: the current contact's address (the owner's own, when
    named: no need to read the service point)."""
    return lead.owner.email if lead.owner_disclosed else current_contact(lead).email


def referred_to(lead: Lead) -> str | None:
    """The partner of the latest referral, if any: the employer sees to whom the request went."""
    return next((event.data.get("partner_name") for event in reversed(lead.events) if event.kind == "refer"), None)


def submitted_copy(lead: Lead) -> list[dict]:
    """The employer's copy of the form (Lead.submitted_copy), [] for a lead from before the copy was kept."""
    return list(lead.submitted_copy or [])


def notify_employer(session: Session, lead: Lead, change: str, now: dt.datetime):
    """Queue the short e-mail that tells the employer who has the request now, after a reassignment or a
    referral (`change`: "reassigned" or "referred"). In the employer's language; Reply-To the current contact."""
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    return mail.enqueue(
        session,
        kind="lead_contact_changed",
        to=lead.email,
        reply_to=employer_reply_to(lead),
        template="lead_contact_changed",
        context={
            "lead": lead,
            "region": lead.region,
            "contact": current_contact(lead),
            "change": change,
            "referred_to": referred_to(lead),
        },
        language=lead.language,
        lead=lead,
        now=now,
    )
