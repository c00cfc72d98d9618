"""Data-subject rights (AVG art. 15 and 17) and accountability: find, export and erase what is stored
about an e-mail address, and the access log of leads.

What belongs to an address: the leads sent with exactly that address (case-insensitive), their events
and notes, who viewed them, the e-mails to that address, and the employer each lead belongs to.
Employers with the same company e-mail domain are listed as organisation records only (a company domain
is not a person: colleagues' leads are never included); public mail domains (gmail.com ...) match nothing.

Erasing anonymises the leads exactly as retention does, also when a lead is still open: an open lead is
closed first, without an outcome (reports list it as "closed without outcome (erased on request)"), since
the employer asked us to stop. E-mails to the address and e-mails about its leads are deleted. An employer
is anonymised only when none of its leads keeps personal data. Access-log rows stay: they hold who at the
WSP looked, not the employer's data.

Every search, export and erase is written to the audit trail with a keyed hash of the address (so a later
question "did you handle a request for x?" can be answered), the counts and the reason; never the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.extensions import db
from wsp_site.models import AuditEvent, Employer, Lead, LeadAccess, LeadEvent, OutboxMessage, Region, User
from wsp_site.services import mail
from wsp_site.services.leads.routing import company_domain
from wsp_site.services.privacy import intermediaries, retention
from wsp_site.vocabulary import (
    OUTCOME_LABELS,
    REQUEST_TYPE_LABELS,
    SECTOR_LABELS,
    SITUATION_LABELS,
    SIZE_BAND_LABELS,
    STATUS_LABELS,
)
from wsp_site.vocabulary import label as _label

PRIVACY_ACTIONS = (
    "privacy.search",
    "privacy.export",
    "privacy.erase",
    "privacy.purge",
    "privacy.candidate_search",
    "privacy.candidate_export",
    "privacy.candidate_erase",
)
EVENT_LABELS = {
    "created": "Aanvraag ontvangen",
    "routed": "Toegewezen",
    "start": "In behandeling genomen",
    "note": "Notitie",
    "reassign": "Overgedragen",
    "refer": "Doorverwezen",
    "close": "Afgesloten",
    "reopen": "Heropend",
    "erased": "Gewist op verzoek",
}


def normalise(address: str) -> str:
    return (address or "").strip().lower()


def address_hash(address: str, key: str) -> str:
    """A keyed hash (HMAC-SHA256): without the site's secret key nobody can test guessed addresses against it."""
    return hmac.new(key.encode(), normalise(address).encode(), hashlib.sha256).hexdigest()


@dataclass
class EmployerMatch:
    employer: Employer
    relation: str  # "lead": the employer of one of the leads; "domain": same company e-mail domain only


@dataclass
class SubjectData:
    address: str
    leads: list[Lead] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)
    employers: list[EmployerMatch] = field(default_factory=list)
    accesses: dict[int, list[LeadAccess]] = field(default_factory=dict)
    intermediary_people: list[User] = field(default_factory=list)  # privacy.intermediaries

    @property
    def counts(self) -> dict[str, int]:
        return {
            "leads": len(self.leads),
            "events": sum(len(lead.events) for lead in self.leads),
            "outbox_messages": len(self.messages),
            "employers": len(self.employers),
            "accesses": sum(len(rows) for rows in self.accesses.values()),
        }

    @property
    def empty(self) -> bool:
        return not (self.leads or self.messages or self.employers or self.intermediary_people)


def find(session: Session, region: Region, address: str) -> SubjectData:
    address = normalise(address)
    data = SubjectData(address=address)
    if "@" not in address:
        return data
    data.leads = list(
        session.scalars(
            select(Lead)
            .where(Lead.region_id == region.id, func.lower(Lead.email) == address, Lead.anonymised_at.is_(None))
            .order_by(Lead.created_at, Lead.id)
            .options(
                selectinload(Lead.events).selectinload(LeadEvent.actor),
                selectinload(Lead.instruments),
                selectinload(Lead.location),
                selectinload(Lead.candidate_municipality),
                selectinload(Lead.owner),
                selectinload(Lead.employer),
            )
        )
    )
    data.messages = list(
        session.scalars(
            select(OutboxMessage)
            .where(func.lower(OutboxMessage.to_address).in_({address, mail.ascii_domain(address)}))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
    seen: set[int] = set()
    for lead in data.leads:
        if lead.employer_id not in seen:
            seen.add(lead.employer_id)
            data.employers.append(EmployerMatch(lead.employer, "lead"))
    domain = company_domain(address)
    if domain:
        for employer in session.scalars(
            select(Employer).filter_by(region_id=region.id, email_domain=domain).order_by(Employer.id)
        ):
            if employer.id not in seen:
                seen.add(employer.id)
                data.employers.append(EmployerMatch(employer, "domain"))
    lead_ids = [lead.id for lead in data.leads]
    if lead_ids:
        for access in session.scalars(
            select(LeadAccess)
            .where(LeadAccess.lead_id.in_(lead_ids))
            .order_by(LeadAccess.at, LeadAccess.id)
            .options(selectinload(LeadAccess.user))
        ):
            data.accesses.setdefault(access.lead_id, []).append(access)
    data.intermediary_people = intermediaries.find(session, region, address)
    return data


# --- export ------------------------------------------------------------------------------------------


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_dict(data: SubjectData, region: Region, now: dt.datetime) -> dict:
    """Everything found, in Dutch, for the person who asked (art. 15)."""
    return {
        "verstrekt_door": f"Werkgeversservicepunt {region.name}",
        "aangemaakt_op": _when(now),
        "e-mailadres": data.address,
        "aanvragen": [
            {
                "referentie": lead.reference,
                "ontvangen_op": _when(lead.created_at),
                "status": _label(STATUS_LABELS, lead.status),
                "uitkomst": _label(OUTCOME_LABELS, lead.outcome) if lead.outcome else None,
                "soort_vraag": _label(REQUEST_TYPE_LABELS, lead.request_type),
                "bedrijfsnaam": lead.company_name,
                "kvk_nummer": lead.kvk,
                "contactpersoon": lead.contact_name,
                "e-mailadres": lead.email,
                "telefoon": lead.phone,
                "gemeente": lead.location.name if lead.location else "buiten de regio",
                "woonplaats_kandidaat": lead.candidate_municipality.name if lead.candidate_municipality else None,
                "situatie_kandidaat": _label(SITUATION_LABELS, lead.candidate_situation)
                if lead.candidate_situation
                else None,
                "sector": _label(SECTOR_LABELS, lead.sector),
                "aantal_medewerkers": _label(SIZE_BAND_LABELS, lead.size_band),
                "bericht": lead.message,
                "taal": lead.language,
                "bron": lead.source,
                "verwijzende_pagina": lead.referrer,
                "toestemming_gegeven_op": _when(lead.consent_at),
                "eerste_contact_op": _when(lead.first_contact_at),
                "afgesloten_op": _when(lead.closed_at),
                "regelingen": [instrument.title("nl") for instrument in lead.instruments],
                # The copy of the form the employer received (labels in the language they used).
                "kopie_van_het_formulier": [
                    {"veld": row.get("label"), "waarde": row.get("value")} for row in lead.submitted_copy or []
                ],
                "behandelaar": lead.owner.name,
                "gebeurtenissen": [
                    {
                        "op": _when(event.at),
                        "soort": EVENT_LABELS.get(event.kind, event.kind),
                        "door": event.actor.name if event.actor else "systeem",
                        "notitie": event.note,
                    }
                    for event in lead.events
                ],
                "ingezien_door": [
                    {"op": _when(access.at), "door": access.user.name if access.user else "verwijderde gebruiker"}
                    for access in data.accesses.get(lead.id, [])
                ],
            }
            for lead in data.leads
        ],
        "werkgevers": [
            {
                "naam": match.employer.name,
                "kvk_nummer": match.employer.kvk,
                "e-maildomein": match.employer.email_domain,
                "sector": _label(SECTOR_LABELS, match.employer.sector) if match.employer.sector else None,
                "aantal_medewerkers": (
                    _label(SIZE_BAND_LABELS, match.employer.size_band) if match.employer.size_band else None
                ),
                "accounthouder": match.employer.account_holder.name if match.employer.account_holder else None,
                "verband": (
                    "de werkgever van uw aanvraag"
                    if match.relation == "lead"
                    else "een organisatie met hetzelfde e-maildomein (gegevens van de organisatie)"
                ),
            }
            for match in data.employers
        ],
        "bemiddelaar_accounts": intermediaries.export(db.session, data.intermediary_people),
        "e-mails": [
            {
                "aangemaakt_op": _when(message.created_at),
                "verstuurd_op": _when(message.sent_at),
                "status": message.status,
                "aan": message.to_address,
                "antwoord_aan": message.reply_to,
                "onderwerp": message.subject,
                "tekst": message.body_text,
            }
            for message in data.messages
        ],
    }


def export_json(data: SubjectData, region: Region, now: dt.datetime) -> str:
    return json.dumps(export_dict(data, region, now), ensure_ascii=False, indent=2) + "\n"


def _text_block(value, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = key.replace("_", " ").capitalize()
            if isinstance(item, (dict, list)):
                lines.append(f"{pad}{name}:")
                lines += _text_block(item, indent + 1) if item else [f"{pad}  (geen)"]
            else:
                text = "-" if item in (None, "") else str(item)
                if "\n" in text:
                    lines.append(f"{pad}{name}:")
                    lines += [f"{pad}  {line}" for line in text.splitlines()]
                else:
                    lines.append(f"{pad}{name}: {text}")
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict):
                lines.append(f"{pad}{number}.")
                lines += _text_block(item, indent + 1)
            else:
                lines.append(f"{pad}- {item}")
    return lines


def export_text(data: SubjectData, region: Region, now: dt.datetime) -> str:
    """The same content as the JSON file, as plain text anyone can read."""
    content = export_dict(data, region, now)
    header = [
        f"Gegevens die {content['verstrekt_door']} bewaart over {data.address}",
        f"Aangemaakt op {now:%d-%m-%Y %H:%M} (UTC)",
        "",
    ]
    sections = []
    for key in ("aanvragen", "werkgevers", "bemiddelaar_accounts", "e-mails"):
        sections += [key.upper().replace("_", " "), *(_text_block(content[key]) or ["(geen)"]), ""]
    return "\n".join(header + sections)


# --- erase -------------------------------------------------------------------------------------------


@dataclass
class EraseCounts:
    leads: int = 0
    open_leads_closed: int = 0
    outbox_messages: int = 0
    employers: int = 0
    intermediary_accounts: int = 0


MESSAGE_TEXTS = (OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html)


def erase(session: Session, region: Region, address: str, actor: User, now: dt.datetime) -> EraseCounts:
    """Erase (anonymise) everything about the address (art. 17). Adds to the session; the caller commits."""
    data = find(session, region, address)
    counts = EraseCounts(leads=len(data.leads))
    for lead in data.leads:
        change = {}
        if lead.status != "closed":
            change = {"from": lead.status, "to": "closed"}
            lead.status, lead.closed_at, lead.updated_at = "closed", now, now
            counts.open_leads_closed += 1
        lead.events.append(LeadEvent(at=now, actor=actor, kind="erased", data=change))
    session.flush()
    lead_ids = [lead.id for lead in data.leads]
    # Also any other message whose text names the person or the company (a coordinator's digest from before
    # digests carried references only, a colleague's notification): erased means found nowhere.
    names = {v for lead in data.leads for v in (lead.company_name, lead.contact_name, lead.email) if v and len(v) >= 4}
    texts = [column.contains(name, autoescape=True) for name in names for column in MESSAGE_TEXTS]
    messages = or_(
        func.lower(OutboxMessage.to_address).in_({data.address, mail.ascii_domain(data.address)}),
        func.lower(OutboxMessage.reply_to).in_({data.address, mail.ascii_domain(data.address)}),
        OutboxMessage.lead_id.in_(lead_ids),
        *texts,
    )
    counts.outbox_messages = session.scalar(select(func.count(OutboxMessage.id)).where(messages)) or 0
    session.execute(delete(OutboxMessage).where(messages).execution_options(synchronize_session=False))
    retention.anonymise_leads(session, lead_ids, now)
    candidates = [match.employer.id for match in data.employers]
    if candidates:
        employer_ids = retention.employers_left_without_personal_leads(
            session, Lead.anonymised_at.is_(None), among=candidates
        )
        counts.employers = retention.anonymise_employers(session, employer_ids)
    counts.intermediary_accounts = intermediaries.erase(session, data.intermediary_people, now)
    return counts


# --- the audit trail and the access log ---------------------------------------------------------------


def record_request(
    session: Session, action: str, actor: User, address: str, key: str, now: dt.datetime, **details
) -> AuditEvent:
    """An audit event for a search, export or erase: who, when, a keyed hash of the address, counts, reason."""
    event = AuditEvent(
        at=now,
        actor=actor,
        action=action,
        target_type="data_subject",
        data={"address_hash": address_hash(address, key), **details},
    )
    session.add(event)
    return event


def recent_requests(session: Session, limit: int = 25) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(PRIVACY_ACTIONS))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
            .options(selectinload(AuditEvent.actor))
        )
    )


def record_access(session: Session, lead: Lead, user: User, now: dt.datetime) -> LeadAccess:
    """Someone opened the lead's personal details. The caller commits."""
    access = LeadAccess(lead=lead, user=user, at=now)
    session.add(access)
    return access


def access_log(session: Session, lead: Lead, limit: int = 500) -> list[LeadAccess]:
    return list(
        session.scalars(
            select(LeadAccess)
            .where(LeadAccess.lead_id == lead.id)
            .order_by(LeadAccess.at.desc(), LeadAccess.id.desc())
            .limit(limit)
            .options(selectinload(LeadAccess.user).selectinload(User.service_point))
        )
    )


def access_count(session: Session, lead: Lead) -> int:
    return session.scalar(select(func.count(LeadAccess.id)).where(LeadAccess.lead_id == lead.id)) or 0
