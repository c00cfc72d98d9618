"""The consent ledger of the candidate pool.

A profile is public only while one of its consents is in force: recorded by a member of staff with the version
of the consent text the candidate saw (the printable page /kandidaten/toestemming), its scope, whether
instruments that reveal a work disability may be shown, and an expiry POOL_CONSENT_MONTHS after the day it was
recorded. Withdrawal is recorded on the consent and takes effect at once; a renewal is a new consent. Every
change is an audit event, in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from wsp_site.clock import local_today, months_before
from wsp_site.models import CandidateConsent, CandidateProfile, User
from wsp_site.services.people import audit
from wsp_site.vocabulary import CONSENT_SCOPES

# The version of the consent text (templates/public/pool_consent.html). Change it whenever that text changes:
# every consent records the version its candidate saw.
CONSENT_TEXT_VERSION = "2026-12"


def expiry(recorded_on: dt.date, months: int | None = None) -> dt.date:
    """The first day a consent recorded on `recorded_on` no longer holds."""
    months = current_app.config["POOL_CONSENT_MONTHS"] if months is None else months
    return months_before(recorded_on, -months)


def in_force_clause(today: dt.date):
    """SQL: the profile has a consent in force on `today` (for queries over CandidateProfile)."""
    return exists(
        select(CandidateConsent.id).where(
            and_(
                CandidateConsent.profile_id == CandidateProfile.id,
                CandidateConsent.withdrawn_at.is_(None),
                CandidateConsent.expires_on > today,
            )
        )
    )


def record(
    session: Session,
    actor: User | None,
    profile: CandidateProfile,
    now: dt.datetime,
    scope: str,
    show_health: bool,
    text_version: str = CONSENT_TEXT_VERSION,
) -> CandidateConsent:
    """Record (or renew) the candidate's consent. A consent still in force is superseded: it stays in the ledger
    and the new one holds from now."""
    if scope not in CONSENT_SCOPES:
        raise ValueError(f"unknown consent scope {scope!r}")
    today = local_today(now)
    renewed = profile.consent_on(today)
    consent = CandidateConsent(
        profile=profile,
        recorded_by=actor,
        recorded_at=now,
        text_version=text_version,
        scope=scope,
        show_health=show_health,
        expires_on=expiry(today),
    )
    session.add(consent)
    session.flush()
    audit.record(
        session,
        actor,
        "pool.consent_renewed" if renewed else "pool.consent_recorded",
        profile,
        now,
        consent_id=consent.id,
        text_version=text_version,
        scope=scope,
        show_health=show_health,
        expires_on=consent.expires_on.isoformat(),
    )
    return consent


def withdraw(session: Session, actor: User | None, profile: CandidateProfile, now: dt.datetime) -> int:
    """The candidate withdraws: every consent in force ends now. Returns how many were withdrawn."""
    today = local_today(now)
    live = [c for c in profile.consents if c.in_force(today)]
    for consent in live:
        consent.withdrawn_at = now
        consent.withdrawn_by = actor
    if live:
        audit.record(session, actor, "pool.consent_withdrawn", profile, now, consent_ids=[c.id for c in live])
    return len(live)
