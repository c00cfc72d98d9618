"""The lead aggregate: an employer, its contact-form submissions (leads) and their events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models.candidate import CandidateProfile
from wsp_site.models.instrument import Instrument
from wsp_site.models.intermediary import Intermediary
from wsp_site.models.region import Municipality, Region
from wsp_site.models.types import UTCDateTime, link_table
from wsp_site.models.user import User
from wsp_site.vocabulary import LEAD_STATUSES


class Employer(db.Model):
    """An organisation that contacted the WSP, with its one account holder."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str | None] = mapped_column(String(8), index=True)
    email_domain: Mapped[str | None] = mapped_column(String(254), index=True)
    sector: Mapped[str | None] = mapped_column(String(40))
    size_band: Mapped[str | None] = mapped_column(String(10))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    account_holder_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())

    region: Mapped[Region] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    account_holder: Mapped[User | None] = relationship()
    leads: Mapped[list[Lead]] = relationship(back_populates="employer", order_by="Lead.created_at.desc()")


lead_instrument = link_table(
    "lead_instrument",
    ("lead_id", "lead.id"),
    ("instrument_id", "instrument.id"),
    extra=(Index("ix_lead_instrument_instrument", "instrument_id", "lead_id"),),
)


class Lead(db.Model):
    """One contact-form submission. Always exactly one owner."""

    __tablename__ = "lead"
    __table_args__ = (
        CheckConstraint(f"status IN {LEAD_STATUSES!r}", name="status"),
        Index("ix_lead_owner_status_due", "owner_id", "status", "due_on"),
        Index("ix_lead_region_status_created", "region_id", "status", "created_at"),
        # Measured with benchmarks/backoffice.py at 100,000 leads (see README "Performance").
        Index(
            "ix_lead_open_region_due",
            "region_id",
            "due_on",
            "id",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
        Index(
            "ix_lead_open_owner_due",
            "owner_id",
            "due_on",
            "id",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
            postgresql_include=["status", "first_contact_at", "region_id"],
        ),
        Index("ix_lead_region_due", "region_id", "due_on", "id"),
        # The inbox sorted by company, read by keyset (migration 0030): all leads, and the open ones.
        Index("ix_lead_region_company", "region_id", "company_name", "id"),
        Index(
            "ix_lead_open_region_company",
            "region_id",
            "company_name",
            "id",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
        # One open status by due date (a status tab, "overdue"); and the inbox's capped counts per status with a
        # filter read the open leads from this index alone (0030).
        Index(
            "ix_lead_open_region_status_due",
            "region_id",
            "status",
            "due_on",
            "id",
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
            postgresql_include=[
                "owner_id",
                "request_type",
                "location_municipality_id",
                "source",
                "referrer",
                "first_contact_at",
            ],
        ),
        Index(
            "ix_lead_region_created_cover",
            "region_id",
            "created_at",
            # The reports read only this index (no table rows): the id is there for counting and joining.
            postgresql_include=[
                "id",
                "status",
                "outcome",
                "request_type",
                "sector",
                "size_band",
                "location_municipality_id",
                "owner_id",
                "first_contact_at",
                "source",
                "referrer",
            ],
        ),
        # The latest change to a region's leads: the reports' cache stamp (services/report_cache.py).
        Index("ix_lead_region_updated", "region_id", "updated_at"),
        Index(
            "ix_lead_placed_closed",
            "region_id",
            "closed_at",
            postgresql_where=text("status = 'closed' AND outcome = 'placed'"),
            sqlite_where=text("status = 'closed' AND outcome = 'placed'"),
            postgresql_include=["sector"],
        ),
        # The subject-request search (services/privacy/subject_requests.py) compares lower(email): measured with
        # benchmarks/backoffice.py at 1,000,000 leads, a sequential scan of 0.7 s without it (migration 0022).
        # PostgreSQL only: SQLite's scan of a small region's leads is fast, and SQLAlchemy cannot reflect the index there.
        Index("ix_lead_email_lower", text("lower(email)")).ddl_if(dialect="postgresql"),
        # A unique index rather than a table constraint (same guarantee): adding a constraint would rebuild
        # the table on SQLite (see migration 0011). The repeat-submit check relies on it (services/leads.py).
        Index("uq_lead_submission_key", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    outcome: Mapped[str | None] = mapped_column(String(20))
    request_type: Mapped[str] = mapped_column(String(30))
    # What the employer sent (personal fields are anonymised after the retention period).
    company_name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str | None] = mapped_column(String(8))
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(40))
    location_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    sector: Mapped[str] = mapped_column(String(40))
    size_band: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="nl")
    # What the employer told about the candidate (optional; the finder's answers carry over): where the candidate
    # lives (it decides who provides the basic package and which local schemes apply) and their situation
    # (vocabulary.FINDER_SITUATIONS). No name or other detail of the candidate is ever asked.
    candidate_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    candidate_situation: Mapped[str | None] = mapped_column(String(20))
    # A request to meet a candidate of the pool (request type "kennismaken"): the profile, and the request's own
    # stage (vocabulary.POOL_STAGES; services.leads.workflow moves it). None for every other lead. Before a
    # profile is erased, services.leads.pool_requests.detach clears the link (the request keeps the code).
    candidate_profile_id: Mapped[int | None] = mapped_column(ForeignKey("candidate_profile.id"), index=True)
    pool_stage: Mapped[str | None] = mapped_column(String(30))
    # Sent by an intermediary on behalf of the employer named in the lead (the client): which organisation and
    # which of its people. None for an employer's own request.
    intermediary_id: Mapped[int | None] = mapped_column(ForeignKey("intermediary.id"), index=True)
    intermediary_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    source: Mapped[str | None] = mapped_column(String(300))
    referrer: Mapped[str | None] = mapped_column(String(500))
    consent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # The receipt (Wmebv): a copy of every field as the employer sent it, labels and values in the form's
    # language ([{"name", "label", "value"}], value a text or a list of texts; public.forms.ContactForm.copy).
    # Personal data: blanked with the rest when the lead is anonymised (services.privacy.retention).
    submitted_copy: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    # The one-time key of the form page that sent it (random, not personal data): a repeat POST of the same
    # form (double click, browser re-POST) finds this lead instead of storing a second one. None: an old form.
    submission_key: Mapped[str | None] = mapped_column(String(40))
    # Routing and follow-up.
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    routing_reason: Mapped[str] = mapped_column(Text)
    routing_rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rule.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    first_contact_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now(), onupdate=func.now())
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    region: Mapped[Region] = relationship()
    employer: Mapped[Employer] = relationship(back_populates="leads")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    location: Mapped[Municipality | None] = relationship(foreign_keys=[location_municipality_id])
    candidate_municipality: Mapped[Municipality | None] = relationship(foreign_keys=[candidate_municipality_id])
    candidate_profile: Mapped[CandidateProfile | None] = relationship()
    intermediary: Mapped[Intermediary | None] = relationship()
    intermediary_user: Mapped[User | None] = relationship(foreign_keys=[intermediary_user_id])
    instruments: Mapped[list[Instrument]] = relationship(secondary=lead_instrument, order_by="Instrument.slug")
    events: Mapped[list[LeadEvent]] = relationship(
        back_populates="lead", order_by="LeadEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    # --- the deadline rule, one definition for Python and SQL alike ---------------------------------------

    @hybrid_method
    def is_overdue(self, today: dt.date) -> bool:
        """Past its first-contact date while nobody has contacted the employer yet (Netherlands date `today`)."""
        return self.status == "new" and self.first_contact_at is None and self.due_on < today

    @is_overdue.expression
    def is_overdue(cls, today: dt.date):  # noqa: N805 - SQLAlchemy passes the class
        return and_(cls.status == "new", cls.first_contact_at.is_(None), cls.due_on < today)

    @property
    def owner_disclosed(self) -> bool:
        """May the employer be told who the owner is? Not when the lead went to a known employer's account holder
        because the e-mail domain matched (no KvK number to confirm it): anyone can type an address at a company's
        domain, and would learn that company's contact person. Recorded on the 'routed' event (intake)."""
        routed = next((event for event in self.events if event.kind == "routed"), None)
        return routed is None or routed.data.get("matched_by") != "domain"

    @property
    def received_on(self) -> dt.date:
        """The date the lead came in, in the Netherlands (a lead sent at 00:30 in summer belongs to that day)."""
        return local_today(self.created_at)


class LeadEvent(db.Model):
    """The audit trail of a lead: every change, with who and when."""

    __tablename__ = "lead_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    lead: Mapped[Lead] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
