"""The candidate pool: a candidate's profile (a personal part for staff, a public part under a code) and the
ledger of the candidate's consents.

The public part is what services.pool shows on /kandidaten and in the API; the personal part (name, contact,
situation, municipality of residence, consultant) never leaves the back office. A profile is public only while
it has been approved once by a second person (four-eyes) and one of its consents is in force.

The fields a vacancy or matching module may read are plain columns with codes from wsp_site.vocabulary:
`occupations` (ISCO-08 unit group codes, wsp_site/data/occupations.yaml), `work_forms` (WORK_FORMS),
`hours_min`/`hours_max` (hours per week, both inclusive), `available_from`, `travel_km` (one way),
`service_point_id` (the sub-region).

The JSON lists are mirrored in CandidateFacet rows (occupation, its ISCO-08 major and sub-major group, work
form), kept in step on every flush, so the public filters and the reports count them in SQL with an index.
A placed candidate (`placed_at`) has left the pool: never public again, erased after POOL_RETENTION_MONTHS.

`public_until` is kept in step on every flush too: the first day the profile is no longer public (the latest
expiry of its consents not withdrawn), or None when it is not public at all (never approved, placed, no consent).
So "public today" is `public_until > today`, one indexed comparison instead of a look into the consents per
profile (services.pool.public; the same answer as consent.in_force_clause with first_published_at and placed_at).

`work_form_bits` and `group_bits` are the work forms and the ISCO-08 major groups of the lists once more, as bits
of one number each (work_form_bit, group_bit), kept on every flush: in the index of the public profiles, so the
pool's counts with those filters read that index alone instead of looking up each facet row's profile.
`match_occupations` (the occupations in order, space-separated) is kept in step on every flush as well: with it
and work_form_bits the index ix_candidate_profile_matching holds every column services.matching ranks by, so
matching reads the index and never the profiles' rows.
"""

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
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.region import Municipality, Region, ServicePoint
from wsp_site.models.types import UTCDateTime
from wsp_site.models.user import User
from wsp_site.vocabulary import CANDIDATE_SITUATIONS, CONSENT_SCOPES, REVIEW_STATUSES, WORK_FORMS


def work_form_bit(form: str) -> int:
    """A work form's bit in work_form_bits: its place in vocabulary.WORK_FORMS (new forms go at the end)."""
    return 1 << WORK_FORMS.index(form)


def group_bit(major_group: str) -> int:
    """An ISCO-08 major group's bit in group_bits: the group's digit (0-9)."""
    return 1 << int(major_group)


def facet_bits(occupations: list[str] | None, work_forms: list[str] | None) -> tuple[int, int]:
    """(work_form_bits, group_bits) of a profile's lists."""
    forms = {work_form_bit(form) for form in work_forms or [] if form in WORK_FORMS}
    groups = {group_bit(code[0]) for code in occupations or [] if code[:1].isdigit()}
    return sum(forms), sum(groups)


def work_form_mask(forms) -> int:
    """Work forms as bits, the way work_form_bits holds them, so SQL tests "one in common" with one AND."""
    return facet_bits(None, forms)[0]


def occupations_text(codes) -> str:
    """The occupations in their order, space-separated (match_occupations)."""
    return " ".join(codes or ())


MATCHING_INDEX_COLUMNS = (
    "region_id",
    "public_until",
    "hours_min",
    "hours_max",
    "work_form_bits",
    "education_level",
    "driving_licence",
    "dutch_level",
    "municipality_id",
    "travel_km",
    "available_from",
    "code",
    "match_occupations",
    "id",
)


class CandidateProfile(db.Model):
    __tablename__ = "candidate_profile"
    __table_args__ = (
        UniqueConstraint("region_id", "code"),
        CheckConstraint(f"situation IN {CANDIDATE_SITUATIONS!r}", name="situation"),
        CheckConstraint(f"review_status IN {REVIEW_STATUSES!r}", name="review_status"),
        CheckConstraint("hours_min <= hours_max", name="hours"),
        # The pages' order, newest first (the id breaks ties), with "public today" alongside: a deep page skips
        # its offset in the index alone.
        Index("ix_candidate_profile_published", "region_id", "first_published_at", "id", "public_until"),
        # "Public today" and every column the public filters compare, so the counts of the pool's pages are read
        # from the index alone: the work forms and groups as bits, the instrument filter's (situation,
        # municipality) pairs and health choice among them.
        Index(
            "ix_candidate_profile_public",
            "region_id",
            "public_until",
            "work_form_bits",
            "group_bits",
            "service_point_id",
            "municipality_id",
            "situation",
            "public_show_health",
            "education_level",
            "hours_min",
            "hours_max",
            "available_from",
        ),
        # The public profiles per municipality (the threshold for showing a municipality), in the index's order.
        Index("ix_candidate_profile_municipalities", "region_id", "municipality_id", "public_until"),
        # Every column services.matching filters and ranks the public profiles by, so it reads the index alone.
        Index("ix_candidate_profile_matching", *MATCHING_INDEX_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))  # K-7F3Q: readable over the phone (services.pool.codes)

    # --- the personal part: staff only -------------------------------------------------------------------
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(300))  # how the desk reaches the candidate, in words
    situation: Mapped[str] = mapped_column(String(30))
    # vocabulary.AGE_BANDS or None (not recorded): only for the report of whether matching treats groups alike.
    age_band: Mapped[str | None] = mapped_column(String(10))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)  # of residence
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    # --- the public part ---------------------------------------------------------------------------------
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"), index=True)
    occupations: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_min: Mapped[int]
    hours_max: Mapped[int]
    available_from: Mapped[dt.date] = mapped_column(Date)
    travel_km: Mapped[int] = mapped_column(default=10)
    education_level: Mapped[str] = mapped_column(String(20))
    driving_licence: Mapped[bool] = mapped_column(default=False)
    dutch_level: Mapped[str] = mapped_column(String(20))
    # The free texts as last written, and as last approved by a second person: only the approved ones are public.
    about: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[str] = mapped_column(Text, default="")
    public_about: Mapped[str] = mapped_column(Text, default="")
    public_support: Mapped[str] = mapped_column(Text, default="")

    # --- four-eyes ---------------------------------------------------------------------------------------
    review_status: Mapped[str] = mapped_column(String(20), default="concept")
    text_author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    first_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The candidate was placed: the profile left the pool (services.pool.profiles.place).
    placed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Public while today < public_until; public_show_health: its consent lets health instruments show (both kept
    # by _keep_derived_columns below).
    public_until: Mapped[dt.date | None] = mapped_column(Date)
    public_show_health: Mapped[bool | None] = mapped_column()
    # The lists' work forms and major groups as bits (facet_bits), for the public index.
    work_form_bits: Mapped[int] = mapped_column(default=0, server_default="0")
    group_bits: Mapped[int] = mapped_column(default=0, server_default="0")
    # The occupations again, in order, for the matching index (kept by _keep_derived_columns below).
    match_occupations: Mapped[str] = mapped_column(String(200), default="", server_default="")

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    region: Mapped[Region] = relationship()
    municipality: Mapped[Municipality] = relationship()
    service_point: Mapped[ServicePoint] = relationship()
    consultant: Mapped[User | None] = relationship(foreign_keys=[consultant_id])
    text_author: Mapped[User | None] = relationship(foreign_keys=[text_author_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    consents: Mapped[list[CandidateConsent]] = relationship(
        back_populates="profile", order_by="CandidateConsent.recorded_at", cascade="all, delete-orphan"
    )
    facets: Mapped[list[CandidateFacet]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def facet_values(self) -> set[tuple[str, str]]:
        """The (facet, value) rows the profile's lists call for."""
        values = {("work_form", form) for form in self.work_forms or []}
        for code in self.occupations or []:
            values |= {("occupation", code), ("major_group", code[:1]), ("sub_major_group", code[:2])}
        return values

    def public_values(self) -> tuple[dt.date | None, bool | None]:
        """What public_until and public_show_health should hold now: the end of the consent not withdrawn that
        ends last, and its choice on health instruments (a renewal ends later than what it renews, so this is
        the consent in force, consent_on, for as long as any is)."""
        live = [c for c in self.consents if c.withdrawn_at is None]
        if self.first_published_at is None or self.placed_at is not None or not live:
            return None, None
        last = max(live, key=lambda c: (c.expires_on, c.recorded_at))
        return last.expires_on, bool(last.show_health)

    def consent_on(self, today: dt.date) -> CandidateConsent | None:
        """The consent in force on `today` (the latest recorded one), or None."""
        live = [c for c in self.consents if c.in_force(today)]
        return live[-1] if live else None


class CandidateConsent(db.Model):
    """One consent as the candidate gave it: a ledger row, never edited except to record its withdrawal.
    A renewal is a new row."""

    __tablename__ = "candidate_consent"
    __table_args__ = (
        CheckConstraint(f"scope IN {CONSENT_SCOPES!r}", name="scope"),
        Index("ix_candidate_consent_live", "profile_id", "withdrawn_at", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id", ondelete="CASCADE"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    text_version: Mapped[str] = mapped_column(String(20))  # of the consent text shown (services.pool.consent)
    scope: Mapped[str] = mapped_column(String(30))
    show_health: Mapped[bool] = mapped_column(default=False)  # instruments that reveal a work disability
    expires_on: Mapped[dt.date] = mapped_column(Date)  # the first day it no longer holds
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    profile: Mapped[CandidateProfile] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    def in_force(self, today: dt.date) -> bool:
        return self.withdrawn_at is None and today < self.expires_on


class CandidateFacet(db.Model):
    """A profile's occupation, occupation group or work form as a row, for filtering and counting in SQL."""

    __tablename__ = "candidate_facet"
    __table_args__ = (Index("ix_candidate_facet_lookup", "facet", "value", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("candidate_profile.id", ondelete="CASCADE"), primary_key=True)
    # occupation (ISCO-08 unit group), major_group (its first digit), sub_major_group (two digits), work_form
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(30), primary_key=True)


@event.listens_for(Session, "before_flush")
def _keep_derived_columns(session: Session, _context, _instances) -> None:
    """Every new or changed profile's facets follow its lists, and its public_until its consents, whoever changed
    them (form, import, pack, a test)."""
    changed = [*session.new, *session.dirty, *session.deleted]
    touched = {id(o): o for o in changed if isinstance(o, CandidateProfile)}
    for consent in changed:
        if isinstance(consent, CandidateConsent) and consent.profile is not None:
            touched.setdefault(id(consent.profile), consent.profile)
    with session.no_autoflush:
        for profile in touched.values():
            if profile in session.deleted:
                continue
            wanted = profile.facet_values()
            have = {(f.facet, f.value) for f in profile.facets}
            if wanted != have:
                profile.facets = [f for f in profile.facets if (f.facet, f.value) in wanted] + [
                    CandidateFacet(facet=facet, value=value) for facet, value in sorted(wanted - have)
                ]
            bits = facet_bits(profile.occupations, profile.work_forms)
            if (profile.work_form_bits, profile.group_bits) != bits:
                profile.work_form_bits, profile.group_bits = bits
            if profile.match_occupations != (text := occupations_text(profile.occupations)):
                profile.match_occupations = text
            until, health = profile.public_values()
            if (profile.public_until, profile.public_show_health) != (until, health):
                profile.public_until, profile.public_show_health = until, health
