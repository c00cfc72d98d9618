"""An intermediary's shortlists: which profiles its people may see (the scope rule), keeping the lists, and what
a list shows. A list belongs to the organisation: every colleague sees and changes it. Every change is an audit
event (people.audit: shortlist.created, shortlist.profile_added, shortlist.profile_removed) with the code only.

The scope rule: a profile is there for an intermediary while it is public (services.pool.public) and its consent
in force allows intermediaries of that kind (vocabulary.INTERMEDIARY_SCOPES): a public intermediary either
scope, a private one only `werkgevers_bemiddelaars`. A listed profile that is no longer there for the
organisation (consent ended or narrowed, no longer published, erased) shows as no longer available, without
any of its details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Intermediary, Region, Shortlist, ShortlistEntry, User
from wsp_site.services.people.audit import AdminRefused, record
from wsp_site.services.pool import codes
from wsp_site.services.pool import public as pool
from wsp_site.vocabulary import INTERMEDIARY_SCOPES

NAME_MAX = 120


def may_see(organisation: Intermediary, profile: CandidateProfile | None, today: dt.date) -> bool:
    """Whether the organisation may shortlist and ask for `profile` today (see the module's docstring)."""
    if profile is None or profile.region_id != organisation.region_id:
        return False
    if profile.public_until is None or profile.public_until <= today:
        return False
    consent = profile.consent_on(today)
    return consent is not None and consent.scope in INTERMEDIARY_SCOPES[organisation.public]


def available_profile(
    session: Session, organisation: Intermediary, code: str, today: dt.date | None = None
) -> CandidateProfile | None:
    """The profile under `code` (as typed) when the organisation may see it, else None."""
    wanted = codes.normalise(code or "")
    if not codes.is_code(wanted):
        return None
    profile = session.scalar(
        select(CandidateProfile)
        .filter_by(region_id=organisation.region_id, code=wanted)
        .options(selectinload(CandidateProfile.consents))
    )
    return profile if may_see(organisation, profile, today or local_today()) else None


def of_organisation(session: Session, organisation: Intermediary) -> list[tuple[Shortlist, int]]:
    """The organisation's lists with how many profiles each holds, by name."""
    counts = (
        select(ShortlistEntry.shortlist_id, func.count().label("n")).group_by(ShortlistEntry.shortlist_id).subquery()
    )
    rows = session.execute(
        select(Shortlist, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.shortlist_id == Shortlist.id)
        .where(Shortlist.intermediary_id == organisation.id)
        .order_by(Shortlist.name, Shortlist.id)
    )
    return [(shortlist, count) for shortlist, count in rows]


def find(session: Session, organisation: Intermediary, shortlist_id: int) -> Shortlist | None:
    """One of the organisation's lists; another organisation's list is not there (None)."""
    return session.scalar(select(Shortlist).filter_by(id=shortlist_id, intermediary_id=organisation.id))


def create(session: Session, organisation: Intermediary, user: User, name: str, now: dt.datetime) -> Shortlist:
    name = " ".join((name or "").split())
    if not name:
        raise AdminRefused([("name", _("Geef de shortlijst een naam."))])
    if len(name) > NAME_MAX:
        raise AdminRefused([("name", _("Gebruik hoogstens %(max)d tekens.", max=NAME_MAX))])
    shortlist = Shortlist(intermediary=organisation, name=name, created_by=user, created_at=now)
    session.add(shortlist)
    session.flush()
    record(session, user, "shortlist.created", shortlist, now, intermediary_id=organisation.id, name=name)
    return shortlist


def add(session: Session, shortlist: Shortlist, user: User, code: str, now: dt.datetime) -> CandidateProfile:
    """Put the profile under `code` on the list; AdminRefused (on the field `code`) when the organisation may not
    see it, or it is on the list already."""
    profile = available_profile(session, shortlist.intermediary, code, local_today(now))
    if profile is None:
        raise AdminRefused(
            [
                (
                    "code",
                    _(
                        "Er is geen kandidaat met deze code die u kunt bekijken. Controleer de code, bijvoorbeeld K-7F3Q."
                    ),
                )
            ]
        )
    if any(entry.profile_id == profile.id for entry in shortlist.entries):
        raise AdminRefused([("code", _("Kandidaat %(code)s staat al op deze shortlijst.", code=profile.code))])
    shortlist.entries.append(ShortlistEntry(profile=profile, added_at=now, added_by=user))
    record(session, user, "shortlist.profile_added", shortlist, now, code=profile.code)
    session.flush()
    return profile


def remove(session: Session, shortlist: Shortlist, user: User, code: str, now: dt.datetime) -> bool:
    """Take the profile under `code` off the list (also one no longer available). False: it was not on it."""
    wanted = codes.normalise(code or "")
    entry = next((e for e in shortlist.entries if e.profile.code == wanted), None)
    if entry is None:
        return False
    shortlist.entries.remove(entry)
    record(session, user, "shortlist.profile_removed", shortlist, now, code=wanted)
    session.flush()
    return True


@dataclass(frozen=True)
class Row:
    code: str
    profile: pool.PublicProfile | None  # None: no longer available (nothing of it is shown)
    added_at: dt.datetime


def rows(shortlist: Shortlist, region: Region, lang: str, today: dt.date | None = None) -> list[Row]:
    """Each listed profile with its public summary, or None when it is no longer there for the organisation."""
    today = today or local_today()
    entries = shortlist.entries
    # The entries' profiles with their consents in one read, then their public summaries in one more.
    ids = [entry.profile_id for entry in entries]
    if ids:
        db.session.scalars(
            select(CandidateProfile)
            .where(CandidateProfile.id.in_(ids))
            .options(selectinload(CandidateProfile.consents))
        ).all()
    visible = [entry.profile.code for entry in entries if may_see(shortlist.intermediary, entry.profile, today)]
    summaries = pool.profiles(region, visible, lang, today)
    return [
        Row(code=entry.profile.code, profile=summaries.get(entry.profile.code), added_at=entry.added_at)
        for entry in entries
    ]
