"""The lead inbox: which leads a person sees, filtered, sorted and paged in the database.

Pages are read by keyset ("seek"): a page is the PAGE_SIZE leads after (or before) the sort key of a lead, the
cursor in the URL, so every page costs an index range however deep it is, and a lead that arrives or changes
meanwhile never makes a row appear twice or go missing between pages. Every sort ends on the id, a total order.
The counts per status come from the leads counted per owner and status (aggregates, level 4, kept in step in
the same transaction) when only the view and the status are chosen; with any other filter they are counted on
the leads up to COUNT_CAP per status ("more than 1,000"), which bounds what a count costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import func, literal, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Lead, Municipality, User
from wsp_site.models.lead import lead_instrument
from wsp_site.services.leads import deadlines as sla
from wsp_site.services.leads.workflow import deputised_for
from wsp_site.services.reports import aggregates
from wsp_site.vocabulary import LEAD_STATUSES

VIEWS = ("mine", "team", "all")
# (key column, ascending): each sort is one direction on its column and then the id, so (column, id) compares
# as a row value both in the database and in the cursor.
SORTS = {
    "due": (Lead.due_on, True),
    "newest": (Lead.created_at, False),
    "oldest": (Lead.created_at, True),
    "company": (Lead.company_name, True),
}
PAGE_SIZE = 25
COUNT_CAP = 1000


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
    after: str | None = None  # a cursor: the page after this lead
    before: str | None = None  # a cursor: the page before this lead
    last: bool = False  # the last page

    @property
    def narrowed(self) -> bool:
        """Filtered beyond the view and the status (the counts then come from the leads, capped)."""
        return bool(self.municipality or self.request_type or self.instrument_id or self.overdue or self.source)


@dataclass
class InboxPage:
    leads: list[Lead]
    total: int
    status_counts: dict[str, int] = field(default_factory=dict)
    capped: frozenset[str] = frozenset()  # statuses counted up to COUNT_CAP only: "more than"
    total_capped: bool = False
    prev_cursor: str | None = None  # for ?voor=: None on the first page
    next_cursor: str | None = None  # for ?na=: None on the last page
    first: bool = True
    bad_cursor: bool = False  # the URL's cursor could not be read: this is the first page instead


# --- cursors ------------------------------------------------------------------------------------------------


def cursor_for(lead: Lead, sort: str) -> str:
    """The cursor of a lead in a sort: url-safe base64 of [sort, key, id] in JSON (shareable, no state)."""
    column, _ = SORTS[sort]
    value = getattr(lead, column.key)
    key = value if isinstance(value, str) else value.isoformat()
    raw = json.dumps([sort, key, lead.id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_cursor(cursor: str, sort: str) -> tuple[object, int] | None:
    """(key, id) of a cursor made by cursor_for for this sort; None when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, key, lead_id = json.loads(raw.decode())
        if name != sort or not isinstance(key, str) or type(lead_id) is not int or not 0 < lead_id < 2**63:
            return None
        if sort == "due":
            return dt.date.fromisoformat(key), lead_id
        if sort in ("newest", "oldest"):
            moment = dt.datetime.fromisoformat(key)
            return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)), lead_id
        return key[:200], lead_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None


# --- the query ----------------------------------------------------------------------------------------------


def _owners(session: Session, user: User, view: str, today: dt.date) -> list[int] | None:
    """The owners whose leads a view shows; None: the whole region."""
    if view == "all" and user.has_role("coordinator"):
        return None
    if view == "team" and user.service_point_id is not None:
        return list(session.scalars(select(User.id).where(User.service_point_id == user.service_point_id)))
    return [user.id, *deputised_for(session, user, today)]


def _conditions(session: Session, user: User, filters: InboxFilters, owners: list[int] | None, today: dt.date):
    conditions = [Lead.region_id == user.region_id]
    if owners is not None:
        conditions.append(Lead.owner_id.in_(owners))
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
    return conditions


def _kept_counts(session: Session, region_id: int, owners: list[int] | None) -> dict[str, int]:
    """Leads per status of these owners (None: the region), from the counts kept per owner and status."""
    table = aggregates.TABLE
    where = [table.c.region_id == region_id, table.c.level == aggregates.OWNER_LEVEL, table.c.dimension == "status"]
    if owners is not None:
        where.append(table.c.point_id.in_(owners))
    rows = session.execute(select(table.c.value, func.sum(table.c.leads)).where(*where).group_by(table.c.value))
    return {status: int(n) for status, n in rows}


def _capped_counts(session: Session, conditions) -> dict[str, int]:
    """Leads per status matching the conditions, each counted up to COUNT_CAP + 1 (one statement)."""
    columns = [
        select(func.count())
        .select_from(select(literal(1)).where(*conditions, Lead.status == status).limit(COUNT_CAP + 1).subquery())
        .scalar_subquery()
        .label(status)
        for status in LEAD_STATUSES
    ]
    row = session.execute(select(*columns)).one()
    return dict(zip(LEAD_STATUSES, row, strict=True))


def _status_included(status: str, wanted: str | None) -> bool:
    if wanted in LEAD_STATUSES:
        return status == wanted
    return wanted == "all" or status != "closed"


def _read(session: Session, conditions, sort: str, seek: tuple | None, forwards: bool, limit: int) -> list[Lead]:
    column, ascending = SORTS[sort]
    up = ascending == forwards
    where = list(conditions)
    if seek is not None:
        key = tuple_(column, Lead.id)
        where.append(
            key > tuple_(literal(seek[0], column.type), literal(seek[1]))
            if up
            else key < tuple_(literal(seek[0], column.type), literal(seek[1]))
        )
    order = [column.asc(), Lead.id.asc()] if up else [column.desc(), Lead.id.desc()]
    leads = session.scalars(
        select(Lead)
        .where(*where)
        .order_by(*order)
        .options(selectinload(Lead.owner), selectinload(Lead.location))  # what the list shows
        .limit(limit)
    ).all()
    return list(leads) if forwards else list(leads)[::-1]


def inbox(session: Session, user: User, filters: InboxFilters, today: dt.date) -> InboxPage:
    owners = _owners(session, user, filters.view, today)
    conditions = _conditions(session, user, filters, owners, today)
    if filters.narrowed:
        counts = _capped_counts(session, conditions)
        capped = frozenset(status for status, n in counts.items() if n > COUNT_CAP)
        counts = {status: min(n, COUNT_CAP) for status, n in counts.items()}
    else:
        kept = _kept_counts(session, user.region_id, owners)
        counts, capped = {status: kept.get(status, 0) for status in LEAD_STATUSES}, frozenset()
    included = [status for status in LEAD_STATUSES if _status_included(status, filters.status)]
    total = sum(counts[status] for status in included)

    if filters.status in LEAD_STATUSES:
        conditions.append(Lead.status == filters.status)
    elif filters.status != "all":
        conditions.append(Lead.status != "closed")
    sort = filters.sort if filters.sort in SORTS else "due"
    cursor = filters.after or filters.before
    seek = read_cursor(cursor, sort) if cursor else None
    bad = bool(cursor) and seek is None
    n = PAGE_SIZE
    if seek is not None and filters.after:
        leads = _read(session, conditions, sort, seek, True, n + 1)
        more_before, more_after = True, len(leads) > n
        leads = leads[:n]
    elif seek is not None:
        leads = _read(session, conditions, sort, seek, False, n + 1)
        more_before, more_after = len(leads) > n, True
        leads = leads[-n:]
        if len(leads) < n:  # the page before reaches the start and is short: show the (full) first page
            leads = _read(session, conditions, sort, None, True, n + 1)
            more_after = len(leads) > n
            leads = leads[:n]
    elif filters.last and not bad:
        leads = _read(session, conditions, sort, None, False, n + 1)
        more_before, more_after = len(leads) > n, False
        leads = leads[-n:]
    else:
        leads = _read(session, conditions, sort, None, True, n + 1)
        more_before, more_after = False, len(leads) > n
        leads = leads[:n]
    return InboxPage(
        leads=leads,
        total=total,
        status_counts=counts,
        capped=capped,
        total_capped=any(status in capped for status in included),
        prev_cursor=cursor_for(leads[0], sort) if leads and more_before else None,
        next_cursor=cursor_for(leads[-1], sort) if leads and more_after else None,
        first=not more_before,
        bad_cursor=bad,
    )


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
