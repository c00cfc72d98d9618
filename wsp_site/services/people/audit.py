"""What coordinators change is written to the audit trail, or refused before anything changes.

Every change is written to the audit trail (AuditEvent: who, when, what) in the same transaction as the
change itself; the caller commits once. A change the rules do not allow raises AdminRefused before anything
is modified, with messages a coordinator can act on, so a view can show them and the session stays clean.
Used by leads.rules (routing rules, the default key account) and people.staff (the people of the back office).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from wsp_site.models import AuditEvent, Region, RoutingRule, User


class AdminRefused(ValueError):
    """A change the rules do not allow. `problems` are (form field or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = problems


def record(
    session: Session, actor: User, action: str, target: RoutingRule | User | Region, now: dt.datetime, **data
) -> AuditEvent:
    """One line of the audit trail. `data` holds what changed, in JSON-safe values (ids, codes, names)."""
    target_type = {RoutingRule: "routing_rule", User: "user", Region: "region"}[type(target)]
    event = AuditEvent(at=now, actor=actor, action=action, target_type=target_type, target_id=target.id, data=data)
    session.add(event)
    return event
