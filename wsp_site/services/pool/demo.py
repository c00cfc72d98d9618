"""The candidates of a region pack (candidates.yaml beside region.yaml): invented profiles that show the pool at
work on the embedded default. Loaded with the region by packs.apply, by code, so loading twice changes nothing.

Each profile is saved through profiles.save (the same rules and free-text check as the back office), approved
(a pack is reviewed like code, so it counts as the second person) and given the consent its entry records.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.clock import local_today, utcnow
from wsp_site.models import CandidateProfile, Region
from wsp_site.schemas.pool import PackCandidateIn, ProfileIn
from wsp_site.services.people import audit
from wsp_site.services.pool import consent, profiles

PROFILE_KEYS = tuple(ProfileIn.model_fields)


def _differs(profile: CandidateProfile, entry: PackCandidateIn) -> bool:
    mine = {name: getattr(profile, name) for name in (*profiles.PUBLIC_FIELDS, *profiles.PERSONAL_FIELDS)}
    theirs = {name: getattr(entry, name) for name in mine}
    texts = (profile.about, profile.support) != (entry.about or "", entry.support or "")
    consultant = (profile.consultant.email if profile.consultant else None) != entry.consultant
    return mine != theirs or texts or profile.municipality.slug != entry.municipality or consultant


def apply_candidates(session: Session, region: Region, entries: list[PackCandidateIn], report) -> None:
    now = utcnow()
    for entry in entries:
        label = f"candidate {entry.code}"
        existing = session.scalar(select(CandidateProfile).filter_by(region_id=region.id, code=entry.code))
        new = existing is None
        if not new and not _differs(existing, entry):
            report.unchanged += 1
        else:
            data = ProfileIn.model_validate(entry.model_dump(include=set(PROFILE_KEYS)))
            existing = profiles.save(session, None, region, data, now, profile=existing, code=entry.code)
            if entry.approved and existing.review_status == "ter_beoordeling":
                existing.public_about, existing.public_support = existing.about, existing.support
                existing.review_status = "goedgekeurd"
                existing.approved_at = now
                existing.first_published_at = existing.first_published_at or now
                audit.record(session, None, "pool.profile_approved", existing, now, source="region pack")
            (report.created if new else report.updated).append(label)
        if entry.consent is not None and existing.consent_on(local_today(now)) is None and not existing.consents:
            consent.record(session, None, existing, now, entry.consent.scope, bool(entry.consent.show_health))
    session.flush()
