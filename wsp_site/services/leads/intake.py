"""Storing a contact-form submission: employer, lead, routing, audit event and e-mails in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Employer, Instrument, Lead, LeadEvent, Municipality, Region
from wsp_site.services import catalogue
from wsp_site.services.leads import deadlines as sla
from wsp_site.services.leads import lead_mail, pool_requests, routing
from wsp_site.vocabulary import FINDER_SITUATIONS

# Crockford's base32 without I, L, O, U: nothing to confuse when read over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """WSP-XXXX-XXXX: 40 random bits, easy to read aloud, impossible to guess."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"WSP-{chars[:4]}-{chars[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Submission:
    """A validated contact form."""

    company_name: str
    contact_name: str
    email: str
    phone: str | None
    request_type: str
    sector: str
    size_band: str
    municipality_slug: str | None  # None: outside the region
    message: str = ""
    kvk: str | None = None
    instrument_slugs: list[str] = field(default_factory=list)
    language: str = "nl"
    source: str | None = None
    referrer: str | None = None
    submission_key: str | None = None  # the form page's one-time key; None: an old form, never deduplicated
    candidate_municipality_slug: str | None = None  # where the candidate lives (optional; the finder's answer)
    candidate_situation: str | None = None  # vocabulary.FINDER_SITUATIONS (optional)
    # The employer's copy of the form: every field, label and value, as the page showed them (ContactForm.copy).
    copy: list[dict] | None = None
    candidate_profile_id: int | None = None  # a request to meet this candidate of the pool (the profile's page)
    # Sent by an intermediary on behalf of the employer the form names (its portal): the organisation and person.
    intermediary_id: int | None = None
    intermediary_user_id: int | None = None


@dataclass
class SubmitResult:
    lead: Lead
    status_token: str | None  # None for a repeat: the token went out with the first submission's e-mail
    repeat: bool = False  # the same form was sent before: nothing stored, `lead` is that first lead


def submit_lead(session: Session, region: Region, form: Submission, now: dt.datetime | None = None) -> SubmitResult:
    """Store and route one submission. Adds everything to the session; the caller commits once.

    A repeat of a form already stored (same submission key) stores nothing and returns that first lead. When the
    two arrive at the same moment, the unique key makes the later insert fail: the session is rolled back.
    """
    if form.submission_key:
        repeat = _repeat_of(session, form.submission_key)
        if repeat is not None:
            return repeat
    now = now or dt.datetime.now(dt.UTC)
    today = local_today(now)
    municipality = _municipality(session, region, form.municipality_slug)
    candidate_municipality = _municipality(session, region, form.candidate_municipality_slug)
    location_id = municipality.id if municipality else None
    profile = session.get(CandidateProfile, form.candidate_profile_id) if form.candidate_profile_id else None
    if profile is not None and profile.region_id != region.id:
        profile = None
    instruments = []
    if form.instrument_slugs:
        instruments = session.scalars(
            select(Instrument).where(
                Instrument.region_id == region.id,
                Instrument.slug.in_(form.instrument_slugs),
                Instrument.status == "published",
            )
        ).all()
    facts = routing.LeadFacts(
        request_type=form.request_type,
        sector=form.sector,
        size_band=form.size_band,
        municipality=municipality.slug if municipality else None,
        instruments=tuple(sorted(i.slug for i in instruments)),
        kvk=form.kvk,
        email=form.email,
    )
    routing.lock_employer_keys(session, region, facts)
    employer = routing.find_employer(session, region, form.kvk, form.email)
    decision = routing.route_lead(session, region, facts, employer, today)
    # Sent to a known employer's account holder on the strength of the e-mail domain alone: the confirmation
    # does not name that person (Lead.owner_disclosed).
    by_domain = (
        employer is not None
        and not (form.kvk and employer.kvk == form.kvk)
        and decision.rule is None
        and decision.chosen is employer.account_holder
    )

    if employer is None:
        employer = Employer(
            region=region,
            name=form.company_name,
            kvk=form.kvk,
            email_domain=routing.company_domain(form.email),
            sector=form.sector,
            size_band=form.size_band,
            municipality_id=location_id,
        )
        session.add(employer)
    elif form.kvk and not employer.kvk:
        employer.kvk = form.kvk
    if not routing.handles_leads(employer.account_holder):
        # The first owner becomes the account holder, so the next lead lands with the same person.
        employer.account_holder = decision.chosen or decision.owner

    token = secrets.token_urlsafe(32)
    lead = Lead(
        region=region,
        reference=_unique_reference(session),
        status_token_hash=hash_token(token),
        status="new",
        request_type=form.request_type,
        company_name=form.company_name,
        kvk=form.kvk,
        contact_name=form.contact_name,
        email=form.email,
        phone=form.phone or "",  # optional on the form; the column keeps "" for none
        location_municipality_id=location_id,
        candidate_municipality_id=candidate_municipality.id if candidate_municipality else None,
        candidate_situation=form.candidate_situation if form.candidate_situation in FINDER_SITUATIONS else None,
        sector=form.sector,
        size_band=form.size_band,
        message=form.message,
        language=form.language,
        source=form.source,
        referrer=form.referrer,
        consent_at=now,
        submitted_copy=form.copy,
        submission_key=form.submission_key,
        employer=employer,
        owner=decision.owner,
        routing_reason=decision.reason,
        routing_rule_id=decision.rule.id if decision.rule else None,
        created_at=now,
        updated_at=now,
        due_on=sla.working_days_after(today, region.promised_working_days),
        instruments=list(instruments),
        candidate_profile=profile,
        pool_stage="requested" if profile is not None else None,
        intermediary_id=form.intermediary_id,
        intermediary_user_id=form.intermediary_user_id,
    )
    session.add(lead)
    lead.events.append(LeadEvent(at=now, kind="created", data={"source": form.source}))
    lead.events.append(
        LeadEvent(
            at=now,
            kind="routed",
            data={
                "owner_id": decision.owner.id,
                "rule_id": lead.routing_rule_id,
                "matched_by": "domain" if by_domain else None,
            },
            note=decision.reason,
        )
    )
    if profile is not None:
        pool_requests.record_request(lead, profile, now)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent request with the same key stored its lead first: drop this one (employer too), use that.
        if not form.submission_key:
            raise
        session.rollback()
        repeat = _repeat_of(session, form.submission_key)
        if repeat is None:
            raise
        return repeat
    lead_mail.enqueue(session, region, lead, token, now)  # rendered by the outbox worker when it sends them
    if profile is not None:
        pool_requests.notify_consultant(session, region, lead, now)
    return SubmitResult(lead=lead, status_token=token)


def _municipality(session: Session, region: Region, slug: str | None):
    """The region's municipality (its id and slug): from the published catalogue in memory, which holds every
    municipality of the region (services.catalogue.snapshot), else from the database."""
    if not slug:
        return None
    if session is db.session or session is db.session():
        found = catalogue.municipality(region, slug)
        if found is not None:
            return found
    return session.scalar(select(Municipality).filter_by(region_id=region.id, slug=slug))


def _repeat_of(session: Session, submission_key: str) -> SubmitResult | None:
    lead = session.scalar(select(Lead).filter_by(submission_key=submission_key))
    return SubmitResult(lead=lead, status_token=None, repeat=True) if lead is not None else None


def _unique_reference(session: Session) -> str:
    for _ in range(10):
        reference = new_reference()
        if session.scalar(select(Lead.id).filter_by(reference=reference)) is None:
            return reference
    raise RuntimeError("could not find a free lead reference")  # 2^40 space: practically unreachable
