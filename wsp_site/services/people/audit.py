"""What coordinators change is written to the audit trail, or refused before anything changes.

Every change is written to the audit trail (AuditEvent: who, when, what) in the same transaction as the
change itself; the caller commits once. A change the rules do not allow raises AdminRefused before anything
is modified, with messages a coordinator can act on, so a view can show them and the session stays clean.
Used by leads.rules (routing rules, the default key account) and people.staff (the people of the back office).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wsp_site.formatting import short_datetime
from wsp_site.models import AuditEvent, CandidateProfile, Intermediary, Region, RoutingRule, Shortlist, User

TARGET_TYPES = {
    RoutingRule: "routing_rule",
    User: "user",
    Region: "region",
    CandidateProfile: "candidate_profile",
    Intermediary: "intermediary",
    Shortlist: "shortlist",
}


class AdminRefused(ValueError):
    """A change the rules do not allow. `problems` are (form field or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = problems


def record(
    session: Session,
    actor: User | None,
    action: str,
    target: RoutingRule | User | Region | CandidateProfile | Intermediary | Shortlist,
    now: dt.datetime,
    **data,
) -> AuditEvent:
    """One line of the audit trail. `data` holds what changed, in JSON-safe values (ids, codes, names)."""
    target_type = TARGET_TYPES[type(target)]
    event = AuditEvent(at=now, actor=actor, action=action, target_type=target_type, target_id=target.id, data=data)
    session.add(event)
    return event


class ChangedMeanwhile(AdminRefused):
    """Someone else saved the same rule or person after this form was opened: the second save is refused, so
    neither change is lost silently. The message says who and when; the view shows what is stored now."""


def check_version(session: Session, target: RoutingRule | User, seen: int | None) -> None:
    """Before a coordinator's save changes anything: ChangedMeanwhile when the row changed since the form showed
    version `seen` (None: the form had no version, nothing to compare)."""
    if seen is not None and seen != target.version:
        raise changed_meanwhile(session, target)


def raise_version(target: RoutingRule | User) -> None:
    """A coordinator's save changed the row. Its UPDATE checks the version it read (version_id_col), so of two
    saves at the same moment the second fails at flush (StaleDataError, turned into ChangedMeanwhile by saving)."""
    target.version = target.version + 1


def changed_meanwhile(session: Session, target: RoutingRule | User) -> ChangedMeanwhile:
    last = session.scalar(
        select(AuditEvent)
        .filter_by(target_type=TARGET_TYPES[type(target)], target_id=target.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    if last is not None and last.actor is not None:
        message = _(
            "%(name)s heeft dit intussen gewijzigd (%(when)s). Uw wijziging is niet opgeslagen: hieronder staat wat "
            "nu geldt. Breng uw wijziging zo nodig opnieuw aan.",
            name=last.actor.name,
            when=short_datetime(last.at),
        )
    else:
        message = _(
            "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen: hieronder staat wat nu "
            "geldt. Breng uw wijziging zo nodig opnieuw aan."
        )
    return ChangedMeanwhile([(None, message)])


@contextmanager
def saving(session: Session, target: RoutingRule | User | None) -> Iterator[None]:
    """Commit a coordinator's change of `target` when the block ends normally. A refusal (AdminRefused, raised
    before anything changed) passes through untouched. When another save of the same row committed first
    (StaleDataError at flush), the change is rolled back and ChangedMeanwhile raised; `target` then reads as
    it is stored now, the other person's change included."""
    yield
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise changed_meanwhile(session, target) from None
