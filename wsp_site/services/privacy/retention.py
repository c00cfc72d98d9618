"""Retention: personal data is kept no longer than needed (AVG art. 5(1)(e)). Run daily: `flask privacy purge`.

- A closed lead is anonymised RETENTION_CLOSED_MONTHS after it was closed; a closed lead with outcome
  spam after RETENTION_SPAM_DAYS. Spam is anonymised, not deleted, so the reports (outcomes, months,
  sources) count it the same before and after.
- Anonymising blanks the personal fields (company and contact name, e-mail, phone, message, KvK number,
  the employer's copy of the form (submitted_copy), notes, routing reason, the source copied into the "created" event), cuts the referrer and a URL source to
  scheme://host, and invalidates the status link. It keeps what reports need: dates, municipality, sector, size band, request type, instruments,
  outcome, owner. Every e-mail of the lead in the outbox is deleted with it.
- Sent (and finally failed) outbox messages are deleted RETENTION_OUTBOX_DAYS after they were sent (or
  created): they hold addresses, names and status-link tokens.
- An employer whose leads are all anonymised is anonymised too: name blanked, KvK and e-mail domain
  removed (so no new lead can be matched to it) and the account holder link dropped (an employer that can
  never be matched again must not show up in anyone's accounts). Sector, size band and municipality stay.
  Employers without any lead (created by hand) are left alone.
- A candidate profile that left the pool (placed, consent withdrawn or expired, or never consented) is erased
  POOL_RETENTION_MONTHS later: deleted with its consent ledger (privacy.candidates).
- Open leads are never touched. A second run finds nothing to do. A dry run only counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from sqlalchemy import String, and_, cast, delete, exists, func, literal, not_, or_, select, update
from sqlalchemy.orm import Session

from wsp_site.clock import months_before
from wsp_site.models import AuditEvent, Employer, Lead, LeadEvent, OutboxMessage, Vacancy, VacancyEvent, VacancyProposal
from wsp_site.services.privacy import candidates
from wsp_site.services.reports import aggregates
from wsp_site.services.reports.sources import url_origin

log = logging.getLogger(__name__)

ANONYMISED = "[geanonimiseerd]"
ANONYMISED_EMAIL = "geanonimiseerd@anoniem.invalid"  # .invalid can never be a real address (RFC 2606)
BATCH = 500


@dataclass(frozen=True)
class RetentionPeriods:
    closed_months: int = 12
    spam_days: int = 30
    outbox_days: int = 90
    pool_months: int = 6

    @classmethod
    def from_config(cls, config) -> RetentionPeriods:
        return cls(
            closed_months=int(config.get("RETENTION_CLOSED_MONTHS", 12)),
            spam_days=int(config.get("RETENTION_SPAM_DAYS", 30)),
            outbox_days=int(config.get("RETENTION_OUTBOX_DAYS", 90)),
            pool_months=int(config.get("POOL_RETENTION_MONTHS", 6)),
        )


@dataclass
class PurgeCounts:
    closed_leads: int = 0
    spam_leads: int = 0
    outbox_messages: int = 0
    employers: int = 0
    candidates: int = 0

    @property
    def total(self) -> int:
        return self.closed_leads + self.spam_leads + self.outbox_messages + self.employers + self.candidates

    def line(self) -> str:
        return (
            f"closed leads anonymised: {self.closed_leads}, spam leads anonymised: {self.spam_leads}, "
            f"outbox messages deleted: {self.outbox_messages}, employers anonymised: {self.employers}, "
            f"candidate profiles erased: {self.candidates}"
        )


def _due_leads(now: dt.datetime, periods: RetentionPeriods):
    """Closed, not yet anonymised, and closed long enough ago (spam sooner)."""
    closed_before = months_before(now, periods.closed_months)
    spam_before = now - dt.timedelta(days=periods.spam_days)
    return and_(
        Lead.status == "closed",
        Lead.anonymised_at.is_(None),
        Lead.closed_at.is_not(None),
        or_(Lead.closed_at < closed_before, and_(Lead.outcome == "spam", Lead.closed_at < spam_before)),
    )


def _old_messages(now: dt.datetime, periods: RetentionPeriods):
    before = now - dt.timedelta(days=periods.outbox_days)
    return and_(
        OutboxMessage.status.in_(("sent", "failed")),
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before,
    )


def _employer_not_anonymised():
    return or_(
        Employer.name != ANONYMISED,
        Employer.kvk.is_not(None),
        Employer.email_domain.is_not(None),
        Employer.account_holder_id.is_not(None),
    )


def employers_left_without_personal_leads(session: Session, keeps_personal_data, among=None) -> list[int]:
    """Employers with at least one lead, none of which keeps personal data, not yet anonymised.

    keeps_personal_data: a condition on Lead that is true for a lead that still holds personal data
    (after the run being planned)."""
    conditions = [
        exists().where(Lead.employer_id == Employer.id),
        ~exists().where(Lead.employer_id == Employer.id, keeps_personal_data),
        _employer_not_anonymised(),
    ]
    if among is not None:
        conditions.append(Employer.id.in_(among))
    return list(session.scalars(select(Employer.id).where(*conditions).order_by(Employer.id)))


def anonymise_leads(session: Session, lead_ids: list[int], now: dt.datetime) -> int:
    """Blank the personal fields of these leads and delete their e-mails. Returns the number of leads."""
    session.flush()
    for start in range(0, len(lead_ids), BATCH):
        chunk = lead_ids[start : start + BATCH]
        urls = session.execute(
            select(Lead.id, Lead.source, Lead.referrer).where(
                Lead.id.in_(chunk), or_(Lead.source.is_not(None), Lead.referrer.is_not(None))
            )
        ).all()
        session.execute(
            update(Lead)
            .where(Lead.id.in_(chunk))
            .values(
                company_name=ANONYMISED,
                contact_name=ANONYMISED,
                email=ANONYMISED_EMAIL,
                phone="",
                message="",
                kvk=None,
                routing_reason=ANONYMISED,
                # The employer's copy of the form holds every field they sent: none of it is kept.
                submitted_copy=None,
                # Not a SHA-256 hex digest, so no status-link token can ever match it again.
                status_token_hash=literal("geanonimiseerd-") + cast(Lead.id, String),
                anonymised_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        changed = [
            {"id": lead_id, "source": _cut_url(source), "referrer": url_origin(referrer)}
            for lead_id, source, referrer in urls
        ]
        if changed:  # ORM bulk update by primary key, counted again for the reports (a bron may change)
            with aggregates.recounting(session, [row["id"] for row in changed]):
                session.execute(update(Lead), changed)
        session.execute(
            update(LeadEvent)
            .where(LeadEvent.lead_id.in_(chunk), LeadEvent.note.is_not(None))
            .values(note=ANONYMISED)
            .execution_options(synchronize_session=False)
        )
        # The "created" event keeps a copy of the source as submitted (a URL may carry a query string).
        session.execute(
            update(LeadEvent)
            .where(LeadEvent.lead_id.in_(chunk), LeadEvent.kind == "created")
            .values(data={})
            .execution_options(synchronize_session=False)
        )
        # A pool request's "agreed" step keeps the candidate's first name and contact route: only the step stays.
        session.execute(
            update(LeadEvent)
            .where(LeadEvent.lead_id.in_(chunk), LeadEvent.kind == "pool_agree")
            .values(data={"from": "asked", "to": "agreed"})
            .execution_options(synchronize_session=False)
        )
        # A vacancy's free texts and the notes on it are the employer's (or the desk's) own words and may name
        # people: blanked with the lead; the figures (occupation, hours, work forms, places, status) stay.
        vacancies = select(Vacancy.id).where(Vacancy.lead_id.in_(chunk)).scalar_subquery()
        session.execute(
            update(Vacancy)
            .where(Vacancy.lead_id.in_(chunk))
            .values(wishes="", carving_tasks="", support_notes="", public=False)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(VacancyEvent)
            .where(VacancyEvent.vacancy_id.in_(vacancies), VacancyEvent.note.is_not(None))
            .values(note=ANONYMISED)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(VacancyProposal)
            .where(VacancyProposal.vacancy_id.in_(vacancies))
            .values(reason=ANONYMISED)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            delete(OutboxMessage).where(OutboxMessage.lead_id.in_(chunk)).execution_options(synchronize_session=False)
        )
    session.expire_all()
    return len(lead_ids)


def _cut_url(source: str | None) -> str | None:
    """A bron code stays; a URL (the referring page) keeps only scheme://host, which is what reports use."""
    if source is None:
        return None
    return url_origin(source) or (None if "://" in source else source)


def anonymise_employers(session: Session, employer_ids: list[int]) -> int:
    if not employer_ids:
        return 0
    session.flush()
    session.execute(
        update(Employer)
        .where(Employer.id.in_(employer_ids))
        .values(name=ANONYMISED, kvk=None, email_domain=None, account_holder_id=None)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return len(employer_ids)


def purge(session: Session, now: dt.datetime, periods: RetentionPeriods, dry_run: bool = False) -> PurgeCounts:
    """Apply the retention periods. Adds the changes (and an audit event when something changed) to the
    session; the caller commits. With dry_run nothing is changed, only counted."""
    due = _due_leads(now, periods)
    lead_rows = session.execute(select(Lead.id, Lead.outcome).where(due).order_by(Lead.id)).all()
    lead_ids = [lead_id for lead_id, _outcome in lead_rows]
    spam = sum(1 for _id, outcome in lead_rows if outcome == "spam")
    keeps_personal = and_(Lead.anonymised_at.is_(None), not_(due))
    employer_ids = employers_left_without_personal_leads(session, keeps_personal)
    messages = or_(_old_messages(now, periods), OutboxMessage.lead_id.in_(select(Lead.id).where(due)))
    message_count = session.scalar(select(func.count(OutboxMessage.id)).where(messages)) or 0
    profiles = candidates.due_for_erasure(session, now, periods.pool_months)
    counts = PurgeCounts(
        closed_leads=len(lead_ids) - spam,
        spam_leads=spam,
        outbox_messages=message_count,
        employers=len(employer_ids),
        candidates=len(profiles),
    )
    if dry_run:
        log.info("privacy purge (dry run, nothing changed): %s", counts.line())
        return counts
    session.execute(delete(OutboxMessage).where(messages).execution_options(synchronize_session=False))
    anonymise_leads(session, lead_ids, now)
    anonymise_employers(session, employer_ids)
    for profile in profiles:
        candidates.erase_profile(session, profile, None, now, "retention")
    if counts.total:
        session.add(
            AuditEvent(
                at=now,
                actor_id=None,
                action="privacy.purge",
                target_type="retention",
                data={**asdict(counts), **asdict(periods)},
            )
        )
    log.info("privacy purge: %s", counts.line())
    return counts
