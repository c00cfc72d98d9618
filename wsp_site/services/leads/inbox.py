"""The lead inbox: which leads a person sees, filtered, sorted and paginated in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Lead, Municipality, User
from wsp_site.models.lead import lead_instrument
from wsp_site.services.leads import deadlines as sla
from wsp_site.services.leads.workflow import deputised_for
from wsp_site.vocabulary import LEAD_STATUSES

VIEWS = ("mine", "team", "all")
# (column, ascending) pairs; every sort ends on the id, so it is a total order and can be exactly reversed.
SORTS = {
    "due": ((Lead.due_on, True), (Lead.id, True)),
    "newest": ((Lead.created_at, False), (Lead.id, False)),
    "oldest": ((Lead.created_at, True), (Lead.id, True)),
    "company": ((Lead.company_name, True), (Lead.id, True)),
}
PAGE_SIZE = 25


@dataclass
class InboxFilters:
    view: str = "mine"
    status: str | None = None  # None: every open status; "all": closed too
    municipality: str | None = None
    request_type: str | None = None
    instrument_id: int | None = None
    overdue: bool = False
    source: str | None = None
    sort: str = "due"
    page: int = 1


@dataclass
class InboxPage:
    leads: list[Lead]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int] = field(default_factory=dict)


def _scope(session: Session, user: User, view: str, today: dt.date):
    """The WHERE clause of a view: my leads (and those I deputise), my service point's, or all."""
    if view == "all" and user.has_role("coordinator"):
        return Lead.region_id == user.region_id
    mine = [user.id, *deputised_for(session, user, today)]
    if view == "team" and user.service_point_id is not None:
        team = select(User.id).where(User.service_point_id == user.service_point_id)
        return and_(Lead.region_id == user.region_id, Lead.owner_id.in_(team))
    return and_(Lead.region_id == user.region_id, Lead.owner_id.in_(mine))


def inbox(session: Session, user: User, filters: InboxFilters, today: dt.date) -> InboxPage:
    scope = _scope(session, user, filters.view, today)
    conditions = [scope]
    if filters.municipality:
        muni = select(Municipality.id).where(
            Municipality.region_id == user.region_id, Municipality.slug == filters.municipality
        )
        conditions.append(Lead.location_municipality_id.in_(muni))
    if filters.request_type:
        conditions.append(Lead.request_type == filters.request_type)
    if filters.instrument_id:
        conditions.append(
            Lead.id.in_(
                select(lead_instrument.c.lead_id).where(lead_instrument.c.instrument_id == filters.instrument_id)
            )
        )
    if filters.source:
        pattern = f"%{filters.source.replace('%', '').replace('_', '')}%"
        conditions.append(or_(Lead.source.ilike(pattern), Lead.referrer.ilike(pattern)))
    if filters.overdue:
        conditions.append(Lead.is_overdue(today))

    counts = dict(session.execute(select(Lead.status, func.count()).where(*conditions).group_by(Lead.status)).all())
    status_counts = {status: counts.get(status, 0) for status in LEAD_STATUSES}

    if filters.status in LEAD_STATUSES:
        conditions.append(Lead.status == filters.status)
    elif filters.status != "all":
        conditions.append(Lead.status != "closed")
    total = sum(n for s, n in status_counts.items() if _status_included(s, filters.status))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    offset, limit = (page - 1) * PAGE_SIZE, PAGE_SIZE
    backwards = offset > total // 2
    if backwards:
        # A page in the back half is read from the other end in the reversed order: the database then skips
        # at most half of the leads instead of nearly all of them (the last page of 100,000 was the slowest).
        limit = min(PAGE_SIZE, total - offset)
        offset = max(0, total - offset - PAGE_SIZE)
    order = [
        column.asc() if ascending != backwards else column.desc()
        for column, ascending in SORTS.get(filters.sort, SORTS["due"])
    ]
    leads = session.scalars(
        select(Lead)
        .where(*conditions)
        .order_by(*order)
        .options(selectinload(Lead.owner), selectinload(Lead.location), selectinload(Lead.instruments))
        .limit(limit)
        .offset(offset)
    ).all()
    if backwards:
        leads = leads[::-1]
    return InboxPage(leads=list(leads), total=total, page=page, pages=pages, status_counts=status_counts)


def _status_included(status: str, wanted: str | None) -> bool:
    if wanted in LEAD_STATUSES:
        return status == wanted
    return wanted == "all" or status != "closed"


def overdue_leads(session: Session, region_id: int, today: dt.date) -> list[Lead]:
    return session.scalars(
        select(Lead)
        .where(Lead.region_id == region_id, Lead.is_overdue(today))
        .order_by(Lead.due_on)
        .options(selectinload(Lead.owner))
    ).all()


def unstarted_leads(session: Session, region_id: int, today: dt.date, working_days: int) -> list[Lead]:
    """New leads nobody has started for `working_days` or more, not yet overdue (those are listed apart)."""
    leads = session.scalars(
        select(Lead)
        .where(Lead.region_id == region_id, Lead.status == "new", ~Lead.is_overdue(today))
        .order_by(Lead.created_at)
        .options(selectinload(Lead.owner))
    ).all()
    return [lead for lead in leads if sla.working_days_between(lead.received_on, today) >= working_days]
