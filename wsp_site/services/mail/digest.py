"""The coordinators' daily digest: leads over their deadline, new leads nobody has started, and e-mails about leads
that never arrived. It names leads by reference and owner only, never the employer or its contact person: a
digest kept in the outbox (RETENTION_OUTBOX_DAYS) then holds nothing an erasure would have to find.

Coordinators are responsible for every lead in the region, so each active coordinator gets the same
region-wide lists. Run once a working day from cron (`flask digest send`); the e-mails go through the outbox.

The candidate pool: every active consultant (and coordinator) whose candidates' consent expires within
POOL_CONSENT_REMINDER_DAYS is reminded in the same digest, so the consent can be renewed before the profile
disappears. Profiles by code only (the personal part stays in the back office). A profile without an active
consultant is reminded to the coordinators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.formatting import date_text
from wsp_site.models import CandidateConsent, CandidateProfile, DigestRun, Lead, OutboxMessage, Region, User
from wsp_site.services.leads import inbox, pool_requests
from wsp_site.services.mail import digest_runs, undelivered
from wsp_site.vocabulary import MAIL_KIND_LABELS, POOL_STAGE_LABELS

TEMPLATE = "coordinator_digest"


@dataclass
class Digest:
    """What one coordinator is told today."""

    coordinator: User  # the recipient: a coordinator, or a consultant with expiring consents only
    overdue: list[Lead]
    unstarted: list[Lead]
    undelivered: list[OutboxMessage] = field(default_factory=list)  # e-mails about leads that never arrived
    expiring: list[tuple[CandidateProfile, dt.date]] = field(default_factory=list)  # (profile, consent ends)
    pool_overdue: list[Lead] = field(default_factory=list)  # requests to meet a candidate, a step past its deadline

    @property
    def empty(self) -> bool:
        return (
            not self.overdue
            and not self.unstarted
            and not self.undelivered
            and not self.expiring
            and not self.pool_overdue
        )


@dataclass
class DigestReport:
    """What `send_digests` did, for the command's output."""

    enqueued: int = 0
    skipped: int = 0
    overdue: int = 0
    unstarted: int = 0
    expiring: int = 0
    recipients: list[str] = field(default_factory=list)
    already_sent: DigestRun | None = None  # today's digest went out before: nothing was done


def coordinators(session: Session, region: Region) -> list[User]:
    users = session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.name)).all()
    return [user for user in users if user.has_role("coordinator")]


def build_digests(session: Session, region: Region, today: dt.date, working_days: int | None = None) -> list[Digest]:
    """One digest per active coordinator.

    `working_days`: how long a new lead may wait unstarted before it is reported (UNSTARTED_ALERT_WORKING_DAYS).
    Leads past their deadline are listed as overdue only, never twice.
    """
    if working_days is None:
        working_days = current_app.config["UNSTARTED_ALERT_WORKING_DAYS"]
    overdue = list(inbox.overdue_leads(session, region.id, today))
    unstarted = list(inbox.unstarted_leads(session, region.id, today, working_days))
    failed = undelivered.in_region(session, region.id)
    pool_overdue = pool_requests.overdue(session, region.id, today)
    expiring = expiring_consents(session, region, today)
    people = coordinators(session, region)
    chiefs = {user.id for user in people}
    people += sorted(
        {
            profile.consultant
            for profile, _ends in expiring
            if _reminds(profile) and profile.consultant_id not in chiefs
        },
        key=lambda user: (user.name, user.id),
    )
    digests = []
    for user in people:
        mine = [(p, ends) for p, ends in expiring if (p.consultant_id == user.id if _reminds(p) else user.id in chiefs)]
        if user.id in chiefs:
            digests.append(Digest(user, overdue, unstarted, failed, mine, pool_overdue))
        else:
            digests.append(Digest(user, [], [], [], mine))
    return digests


def _reminds(profile: CandidateProfile) -> bool:
    """The profile's own consultant is reminded (else the coordinators are)."""
    return profile.consultant is not None and profile.consultant.active


def expiring_consents(session: Session, region: Region, today: dt.date, days: int | None = None):
    """(profile, the day its consent ends) for the region's profiles whose consent in force (the latest of
    them) ends within `days` (POOL_CONSENT_REMINDER_DAYS), soonest first; placed candidates left out."""
    if days is None:
        days = current_app.config["POOL_CONSENT_REMINDER_DAYS"]
    ends = func.max(CandidateConsent.expires_on)
    rows = session.execute(
        select(CandidateProfile, ends)
        .join(CandidateConsent, CandidateConsent.profile_id == CandidateProfile.id)
        .where(
            CandidateProfile.region_id == region.id,
            CandidateProfile.placed_at.is_(None),
            CandidateConsent.withdrawn_at.is_(None),
            CandidateConsent.expires_on > today,
        )
        .group_by(CandidateProfile.id)
        .having(ends <= today + dt.timedelta(days=days))
        .order_by(ends, CandidateProfile.code)
        .options(selectinload(CandidateProfile.consultant))
    ).all()
    return [(profile, end) for profile, end in rows]


def send_digests(
    session: Session,
    region: Region,
    today: dt.date,
    now: dt.datetime,
    always: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> DigestReport:
    """Enqueue one digest e-mail per coordinator; skip empty digests unless `always`. Once a day: when today's
    digest went out before, do nothing (report.already_sent) unless `force`.

    With `dry_run` every message is still rendered (so a broken template shows up) but nothing is stored.
    The caller commits; `digest_runs.AlreadySent` means a concurrent run got there first (roll back).
    """
    report = DigestReport()

    def messages():
        common = {"region": region, "base_url": current_app.config["SITE_URL"], "today_text": date_text(today)}
        for digest in build_digests(session, region, today):
            # The lists are region-wide, the same in every digest.
            if digest.coordinator.has_role("coordinator"):
                report.overdue, report.unstarted = len(digest.overdue), len(digest.unstarted)
            report.expiring += len(digest.expiring)
            if digest.empty and not always:
                report.skipped += 1
                continue
            report.recipients.append(digest.coordinator.email)
            context = {
                **common,
                "user": digest.coordinator,
                "overdue": digest.overdue,
                "unstarted": digest.unstarted,
                "undelivered": digest.undelivered,
                "expiring": digest.expiring,
                "coordinator": digest.coordinator.has_role("coordinator"),
                "pool_overdue": digest.pool_overdue,
                "pool_due": pool_requests.step_due,
                "stage_labels": POOL_STAGE_LABELS,
                "mail_kind_labels": MAIL_KIND_LABELS,
            }
            yield digest.coordinator.email, context

    period = digest_runs.day(today)
    return digest_runs.send(session, region, TEMPLATE, period, now, messages(), report, dry_run=dry_run, force=force)
