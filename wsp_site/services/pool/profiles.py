"""Keeping profiles in the back office: who sees and keeps which profile, saving, four-eyes approval.

- Coordinators see and keep every profile of the region.
- A consultant keeps the profiles of their own service point and those they are responsible for (a UWV work
  coach's candidates live all over the region), the personal part included.
- An account manager reads the public part of every profile of the region (mediation, the "I'd like to meet
  this candidate" requests, does not exist yet; when it does, this narrows to the profiles they mediate). The
  personal part is not shown to them.

A profile's first publication and every change of its free texts wait for a second person (a coordinator or
another consultant) to approve them; until then the public keeps seeing the texts last approved. The free texts
must pass the checker (textcheck) both when saved and when approved. Every change is an audit event.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import CandidateProfile, Municipality, Region, User
from wsp_site.schemas.pool import ProfileIn
from wsp_site.services.people import audit
from wsp_site.services.people.audit import AdminRefused
from wsp_site.services.pool import codes, consent, textcheck

KEEPERS = ("coordinator", "consultant")
PUBLIC_FIELDS = (
    "occupations",
    "work_forms",
    "hours_min",
    "hours_max",
    "available_from",
    "travel_km",
    "education_level",
    "driving_licence",
    "dutch_level",
)
PERSONAL_FIELDS = ("name", "contact", "situation", "age_band")
TEXT_FIELDS = ("about", "support")


def text_labels() -> dict[str, str]:
    return {"about": _("Waar ik goed in ben en wat ik zoek"), "support": _("Wat mij helpt op het werk")}


def may_keep(user: User, profile: CandidateProfile) -> bool:
    """May edit the profile and see its personal part."""
    if user.region_id != profile.region_id:
        return False
    if user.has_role("coordinator"):
        return True
    return user.has_role("consultant") and (
        user.service_point_id == profile.service_point_id or profile.consultant_id == user.id
    )


def may_read(user: User, profile: CandidateProfile) -> bool:
    return may_keep(user, profile) or (user.has_role("account_manager") and user.region_id == profile.region_id)


def visible_query(user: User):
    """The profiles the person may open, newest first."""
    query = (
        select(CandidateProfile)
        .filter_by(region_id=user.region_id)
        .options(selectinload(CandidateProfile.consents), selectinload(CandidateProfile.service_point))
        .order_by(CandidateProfile.created_at.desc(), CandidateProfile.id.desc())
    )
    if user.has_role("coordinator", "account_manager"):
        return query
    if user.has_role("consultant"):
        return query.where(
            or_(CandidateProfile.service_point_id == user.service_point_id, CandidateProfile.consultant_id == user.id)
        )
    return query.where(CandidateProfile.id.is_(None))  # nobody else: nothing


def state(profile: CandidateProfile, today: dt.date) -> str:
    """public | awaiting_approval (never published yet) | no_consent."""
    if profile.first_published_at is None:
        return "awaiting_approval"
    if profile.consent_on(today) is None:
        return "no_consent"
    return "public"


def check_texts(profile_name: str, texts: dict[str, str]) -> list[tuple[str, str]]:
    labels = text_labels()
    return textcheck.problems({f: (labels[f], texts.get(f) or "") for f in TEXT_FIELDS}, profile_name)


def save(
    session: Session,
    actor: User | None,
    region: Region,
    data: ProfileIn,
    now: dt.datetime,
    profile: CandidateProfile | None = None,
    code: str | None = None,
) -> CandidateProfile:
    """Create or change a profile. Raises AdminRefused (nothing changed) when a free text identifies someone."""
    problems = check_texts(data.name, {"about": data.about or "", "support": data.support or ""})
    if problems:
        raise AdminRefused(problems)
    municipality = session.get(Municipality, int(data.municipality)) if data.municipality.isdigit() else None
    if municipality is None:
        municipality = session.scalar(select(Municipality).filter_by(region_id=region.id, slug=data.municipality))
    if municipality is None or municipality.region_id != region.id:
        raise AdminRefused([("municipality", _("Kies een gemeente uit de lijst."))])
    consultant = _consultant(session, region, data.consultant) or (profile.consultant if profile is not None else actor)
    created = profile is None
    if created:
        profile = CandidateProfile(region=region, code=code or codes.new_code(session, region), created_at=now)
    before = {f: getattr(profile, f) for f in (*PUBLIC_FIELDS, *PERSONAL_FIELDS, *TEXT_FIELDS)}
    with session.no_autoflush:
        for name in (*PUBLIC_FIELDS, *PERSONAL_FIELDS):
            setattr(profile, name, getattr(data, name))
        profile.about = data.about or ""
        profile.support = data.support or ""
        profile.municipality = municipality
        profile.service_point = municipality.service_point
        profile.consultant = consultant
        profile.updated_at = now
    session.add(profile)
    changed = sorted(f for f, old in before.items() if created or old != getattr(profile, f))
    text_changed = created or any(before[f] != getattr(profile, f) for f in TEXT_FIELDS)
    # A new profile always waits for a second person (its first publication), also without free texts.
    if created or (text_changed and (profile.about, profile.support) != (profile.public_about, profile.public_support)):
        profile.review_status = "ter_beoordeling"
        profile.text_author = actor
    session.flush()
    # Names of the fields only: the audit trail holds no personal data of the candidate.
    audit.record(
        session, actor, "pool.profile_created" if created else "pool.profile_changed", profile, now, fields=changed
    )
    return profile


def _consultant(session: Session, region: Region, key: str | None) -> User | None:
    if not key:
        return None
    query = select(User).filter_by(region_id=region.id)
    person = (
        session.scalar(query.filter_by(id=int(key))) if key.isdigit() else session.scalar(query.filter_by(email=key))
    )
    return person if person is not None and person.has_role(*KEEPERS) else None


def approve(session: Session, actor: User, profile: CandidateProfile, now: dt.datetime) -> None:
    """The second person approves the profile's texts: they become public (with the profile itself, the first
    time, once a consent is in force)."""
    problems: list[tuple[str | None, str]] = []
    if profile.review_status != "ter_beoordeling":
        problems.append((None, _("Er is niets om goed te keuren: de teksten zijn al goedgekeurd.")))
    elif profile.text_author_id is not None and profile.text_author_id == actor.id:
        problems.append(
            (
                None,
                _("U heeft deze tekst zelf geschreven. Een collega (coördinator of andere consulent) keurt hem goed."),
            )
        )
    problems += check_texts(profile.name, {"about": profile.about, "support": profile.support})
    if problems:
        raise AdminRefused(problems)
    first = profile.first_published_at is None
    profile.public_about = profile.about
    profile.public_support = profile.support
    profile.review_status = "goedgekeurd"
    profile.approved_by = actor
    profile.approved_at = now
    if first:
        profile.first_published_at = now
    audit.record(session, actor, "pool.profile_approved", profile, now, first_publication=first)


def awaiting_review(session: Session, user: User) -> list[CandidateProfile]:
    """Profiles the person may approve now: waiting, written by someone else."""
    rows = session.scalars(visible_query(user).filter_by(review_status="ter_beoordeling"))
    return [p for p in rows if may_keep(user, p) and p.text_author_id != user.id]


def place(
    session: Session,
    actor: User | None,
    profile: CandidateProfile,
    now: dt.datetime,
    lead_reference: str | None = None,
) -> bool:
    """The candidate was placed (from the profile's page, or as the outcome of request `lead_reference`): the
    profile leaves the pool at once (its consents end now, so it is gone from pages, search, API and caches as on
    withdrawal) and is erased POOL_RETENTION_MONTHS later. False when the candidate was placed before (nothing
    changes)."""
    if profile.placed_at is not None:
        return False
    profile.placed_at = now
    profile.updated_at = now
    ended = consent.withdraw(session, actor, profile, now)
    # The service point and work forms stay in the event: the placement still counts in the reports after the
    # profile is erased.
    audit.record(
        session,
        actor,
        "pool.placed",
        profile,
        now,
        consents_ended=ended,
        service_point_id=profile.service_point_id,
        work_forms=list(profile.work_forms or []),
        **({"lead_reference": lead_reference} if lead_reference else {}),
    )
    return True
