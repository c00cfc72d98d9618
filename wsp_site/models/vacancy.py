"""Vacancies: work an employer reported (/vacature-melden), routed like a lead, matched against the pool, and
the proposals of candidates for it, each decided by a person.

A vacancy belongs to the lead it came in with (the same owner, reference and status link) and to the employer.
Its codes are those of the pool (vocabulary: WORK_FORMS, EDUCATION_LEVELS, DUTCH_LEVELS, ISCO-08 unit groups
from wsp_site/data/occupations.yaml), so services.matching compares like with like.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.candidate import CandidateProfile
from wsp_site.models.lead import Employer, Lead
from wsp_site.models.region import Municipality, Region, ServicePoint
from wsp_site.models.types import UTCDateTime
from wsp_site.models.user import User
from wsp_site.vocabulary import CONTRACT_LENGTHS, PROPOSAL_STATUSES, VACANCY_STATUSES


class Vacancy(db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (
        CheckConstraint(f"status IN {VACANCY_STATUSES!r}", name="status"),
        CheckConstraint(f"contract_length IN {CONTRACT_LENGTHS!r}", name="contract_length"),
        CheckConstraint("hours_min <= hours_max", name="hours"),
        CheckConstraint("places >= 1", name="places"),
        Index("ix_vacancy_region_status", "region_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")

    title: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str] = mapped_column(String(4))  # an ISCO-08 unit group
    places: Mapped[int] = mapped_column(default=1)
    work_forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_min: Mapped[int]
    hours_max: Mapped[int]
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))  # the workplace
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    contract_length: Mapped[str] = mapped_column(String(20), default="weet_niet")
    # Must-haves (knock-outs in services.matching); None: no requirement.
    education_min: Mapped[str | None] = mapped_column(String(20))
    licence_required: Mapped[bool] = mapped_column(default=False)
    dutch_min: Mapped[str | None] = mapped_column(String(20))
    wishes: Mapped[str] = mapped_column(Text, default="")
    carving_tasks: Mapped[str] = mapped_column(Text, default="")  # tasks that could be split off (job carving)
    support_coach: Mapped[bool] = mapped_column(default=False)  # an internal coach or buddy
    support_adaptations: Mapped[bool] = mapped_column(default=False)  # the workplace can be adapted
    support_notes: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=False)  # the employer allows it to be shown publicly

    # After this day an open vacancy asks its owner to confirm it (a new closing date) or close it.
    closes_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    region: Mapped[Region] = relationship()
    lead: Mapped[Lead] = relationship()
    employer: Mapped[Employer] = relationship()
    owner: Mapped[User] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    proposals: Mapped[list[VacancyProposal]] = relationship(
        back_populates="vacancy", order_by="VacancyProposal.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[VacancyEvent]] = relationship(
        back_populates="vacancy", order_by="VacancyEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def asks_confirmation(self, today: dt.date) -> bool:
        """Still looking for someone while its closing date has passed: the owner confirms or closes it."""
        return self.status in ("new", "open", "proposed") and self.closes_on < today


class VacancyProposal(db.Model):
    """A person proposed a candidate for a vacancy, with why; every later decision updates it and is an event."""

    __tablename__ = "vacancy_proposal"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "profile_id"),
        CheckConstraint(f"status IN {PROPOSAL_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("candidate_profile.id", ondelete="SET NULL"), index=True)
    profile_code: Mapped[str] = mapped_column(String(10))  # kept when the profile goes
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)  # why this candidate, in the proposer's words
    match: Mapped[dict] = mapped_column(JSON, default=dict)  # the matching's score and reasons at that moment
    status: Mapped[str] = mapped_column(String(30), default="proposed")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # For the report of whether matching treats groups alike: the candidate's situation, age band and sub-region
    # as they were when proposed (profiles change and go; the report must not).
    situation: Mapped[str] = mapped_column(String(30))
    age_band: Mapped[str | None] = mapped_column(String(10))
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id", ondelete="SET NULL"))

    vacancy: Mapped[Vacancy] = relationship(back_populates="proposals")
    profile: Mapped[CandidateProfile | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    service_point: Mapped[ServicePoint | None] = relationship()


class VacancyEvent(db.Model):
    """The audit trail of a vacancy and its proposals: every change, with who and when."""

    __tablename__ = "vacancy_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    vacancy: Mapped[Vacancy] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
