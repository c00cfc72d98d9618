"""The candidate pool under the AVG: retention of profiles that left the pool, and a candidate's own requests
(find, export, erase), beside those of employers (subject_requests).

Retention (`flask privacy purge`, retention.purge): a profile without a consent in force is erased
POOL_RETENTION_MONTHS after it left the pool: after its placement (placed_at), after the end of its last consent
(withdrawn, or the expiry date), or, for a profile that never had a consent (a draft, an import never
consented), after it was last changed. Erasing deletes the profile with its consent ledger and its facets: the
personal part is gone, and so is the public part (it was published under this candidate's consent only). What
stays is the audit trail, which never held personal data (field names, codes): an event "pool.profile_erased"
with the code and why is added.

Subject requests: a candidate is found by name (every word of it, case-insensitive), e-mail address or phone
number (its digits, however written) in the personal part; the export holds the personal and public part, the
instruments' source (the situation), the consent ledger and the history; every search, export and erase goes
into the audit trail with a keyed hash of what was searched for (subject_requests.record_request), never the
search itself.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_midnight, local_today, months_before
from wsp_site.models import AuditEvent, CandidateProfile, Region, User
from wsp_site.services.pool.consent import in_force_clause
from wsp_site.vocabulary import (
    AGE_BAND_LABELS,
    CONSENT_SCOPE_LABELS,
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    TARGET_GROUP_LABELS,
    WORK_FORM_LABELS,
)
from wsp_site.vocabulary import label as _label

MIN_PHONE_DIGITS = 6
MIN_NAME_LENGTH = 3


# --- retention ---------------------------------------------------------------------------------------


def left_pool_at(profile: CandidateProfile) -> dt.datetime:
    """When the profile (not public today) left the pool, as a moment in UTC."""
    if profile.placed_at is not None:
        return profile.placed_at
    ends = [c.withdrawn_at or local_midnight(c.expires_on) for c in profile.consents]
    if ends:
        return max(ends)
    return profile.updated_at or profile.created_at


def due_for_erasure(session: Session, now: dt.datetime, months: int) -> list[CandidateProfile]:
    """Profiles that left the pool (placed, or without a consent in force) more than `months` months before `now`."""
    before = months_before(now, months)
    rows = session.scalars(
        select(CandidateProfile)
        .where(or_(CandidateProfile.placed_at.is_not(None), not_(in_force_clause(local_today(now)))))
        .options(selectinload(CandidateProfile.consents))
        .order_by(CandidateProfile.id)
    )
    return [profile for profile in rows if left_pool_at(profile) < before]


def erase_profile(session: Session, profile: CandidateProfile, actor: User | None, now: dt.datetime, why: str) -> None:
    """Delete the profile with its consents and facets; an audit event keeps the code and why (no personal data).
    Requests to meet the candidate let go of the profile first (they keep its code)."""
    from wsp_site.services.leads import pool_requests

    pool_requests.detach(session, profile)
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="pool.profile_erased",
            target_type="candidate_profile",
            target_id=profile.id,
            data={"code": profile.code, "why": why, "consents": len(profile.consents)},
        )
    )
    session.delete(profile)
    session.flush()


# --- subject requests --------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def normalise_term(term: str) -> str:
    return " ".join((term or "").split())


def usable_term(term: str) -> bool:
    """An e-mail address, a phone number (enough digits) or a name of at least MIN_NAME_LENGTH letters."""
    term = normalise_term(term)
    if "@" in term:
        return True
    if len(_digits(term)) >= MIN_PHONE_DIGITS and not re.search(r"[A-Za-z]", term):
        return True
    return len(re.sub(r"\W", "", term)) >= MIN_NAME_LENGTH


def find(session: Session, region: Region, term: str) -> list[CandidateProfile]:
    """The region's profiles whose personal part matches `term`: an e-mail address in the contact, a phone
    number's digits in the contact's digits, or every word of a name in the name (case-insensitive)."""
    term = normalise_term(term)
    if not usable_term(term):
        return []
    query = (
        select(CandidateProfile)
        .filter_by(region_id=region.id)
        .options(
            selectinload(CandidateProfile.consents),
            selectinload(CandidateProfile.municipality),
            selectinload(CandidateProfile.service_point),
            selectinload(CandidateProfile.consultant),
        )
        .order_by(CandidateProfile.id)
    )
    if "@" in term:
        return list(session.scalars(query.where(func.lower(CandidateProfile.contact).contains(term.lower()))))
    digits = _digits(term)
    if len(digits) >= MIN_PHONE_DIGITS and not re.search(r"[A-Za-z]", term):
        # Phone numbers are written in many ways: compare digits, over the region's contacts (a rare request).
        # A number given as +31 6 ... also finds 06 ...
        wanted = {digits, "0" + digits[2:] if digits.startswith("31") else digits}
        ids = [
            profile_id
            for profile_id, contact in session.execute(
                select(CandidateProfile.id, CandidateProfile.contact).filter_by(region_id=region.id)
            )
            if any(w in _digits(contact) for w in wanted)
        ]
        return list(session.scalars(query.where(CandidateProfile.id.in_(ids)))) if ids else []
    words = [w.lower() for w in term.split()]
    return list(session.scalars(query.where(*(func.lower(CandidateProfile.name).contains(w) for w in words))))


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def history(session: Session, profile: CandidateProfile) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .filter_by(target_type="candidate_profile", target_id=profile.id)
            .order_by(AuditEvent.at, AuditEvent.id)
            .options(selectinload(AuditEvent.actor))
        )
    )


def export_profile(session: Session, profile: CandidateProfile) -> dict:
    """Everything stored about the candidate, in Dutch (art. 15)."""
    from wsp_site.services.pool import occupations

    return {
        "profielcode": profile.code,
        "naam": profile.name,
        "contact": profile.contact,
        "situatie": _label(TARGET_GROUP_LABELS, profile.situation),
        "leeftijdsgroep": _label(AGE_BAND_LABELS, profile.age_band) if profile.age_band else None,
        "woongemeente": profile.municipality.name,
        "servicepunt": profile.service_point.name,
        "consulent": profile.consultant.name if profile.consultant else None,
        "beroepen": [
            f"{code} {o.title('nl')}" if (o := occupations.get(code)) else code for code in profile.occupations or []
        ],
        "werkvormen": [_label(WORK_FORM_LABELS, form) for form in profile.work_forms or []],
        "uren_per_week": f"{profile.hours_min}-{profile.hours_max}",
        "beschikbaar_vanaf": _when(profile.available_from),
        "reisafstand_km": profile.travel_km,
        "opleiding": _label(EDUCATION_LEVEL_LABELS, profile.education_level),
        "rijbewijs": profile.driving_licence,
        "nederlands": _label(DUTCH_LEVEL_LABELS, profile.dutch_level),
        "waar_ik_goed_in_ben": profile.about,
        "wat_mij_helpt": profile.support,
        "gepubliceerde_teksten": {"waar_ik_goed_in_ben": profile.public_about, "wat_mij_helpt": profile.public_support},
        "eerst_gepubliceerd_op": _when(profile.first_published_at),
        "geplaatst_op": _when(profile.placed_at),
        "aangemaakt_op": _when(profile.created_at),
        "toestemmingen": [
            {
                "vastgelegd_op": _when(consent.recorded_at),
                "vastgelegd_door": consent.recorded_by.name if consent.recorded_by else "regiopakket",
                "versie_toestemmingstekst": consent.text_version,
                "voor": _label(CONSENT_SCOPE_LABELS, consent.scope),
                "regelingen_die_een_arbeidsbeperking_tonen": consent.show_health,
                "geldig_tot": _when(consent.expires_on),
                "ingetrokken_op": _when(consent.withdrawn_at),
            }
            for consent in profile.consents
        ],
        "geschiedenis": [
            {"op": _when(event.at), "wat": event.action, "door": event.actor.name if event.actor else "systeem"}
            for event in history(session, profile)
        ],
    }


def export_json(session: Session, region: Region, profile: CandidateProfile, now: dt.datetime) -> str:
    import json

    content = {
        "verstrekt_door": f"Werkgeversservicepunt {region.name}",
        "aangemaakt_op": _when(now),
        "kandidaatprofiel": export_profile(session, profile),
    }
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


def profile_in_region(session: Session, region: Region, profile_id: int | None) -> CandidateProfile | None:
    profile = session.get(CandidateProfile, profile_id) if profile_id else None
    return profile if profile is not None and profile.region_id == region.id else None
