"""The inbox service: walking the pages of every sort forwards and backwards gives exactly the order a full sort
gives, with ties on every sort column (the id decides); a lead that arrives meanwhile is neither shown twice nor
skipped; a cursor that is not one gives the first page; the counts per status are the kept ones, or capped."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from tests.factories import TODAY, make_employer, make_lead, make_user
from wsp_site.services.leads import inbox as inbox_service

N = inbox_service.PAGE_SIZE
LEADS = 2 * N + 17  # three pages with or without the closed ones, the last one short


@pytest.fixture
def leads(db, region):
    coordinator = make_user(db, region, roles=["coordinator", "account_manager"])
    employer = make_employer(db, region)
    made = []
    for n in range(LEADS):
        created = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=7 * (n % 11))
        made.append(
            make_lead(
                db,
                region,
                employer,
                coordinator,
                # ties on purpose: due dates, creation times and company names repeat, so the id decides
                due_on=TODAY + dt.timedelta(days=n % 5),
                created_at=created,
                company_name=f"Bedrijf {'ABC'[n % 3]}",
                status="closed" if n % 9 == 0 else "new",
            )
        )
    return coordinator, made


EXPECTED_ORDER = {
    "due": lambda lead: (lead.due_on, lead.id),
    "oldest": lambda lead: (lead.created_at, lead.id),
    "newest": lambda lead: (-lead.created_at.timestamp(), -lead.id),
    "company": lambda lead: (lead.company_name, lead.id),
}


def page(db, user, **filters):
    return inbox_service.inbox(db.session, user, inbox_service.InboxFilters(view="all", **filters), TODAY)


def ids(leads):
    return [lead.id for lead in leads]


@pytest.mark.parametrize("sort", sorted(inbox_service.SORTS))
@pytest.mark.parametrize("status", [None, "all"])
def test_next_and_previous_walk_the_order_a_full_sort_gives(db, leads, sort, status):
    coordinator, made = leads
    wanted = sorted((lead for lead in made if status == "all" or lead.status != "closed"), key=EXPECTED_ORDER[sort])
    chunks = [wanted[start : start + N] for start in range(0, len(wanted), N)]
    assert len(chunks) == 3 and len(chunks[-1]) < N

    forwards, result = [], page(db, coordinator, status=status, sort=sort)
    assert result.first and result.prev_cursor is None and result.total == len(wanted)
    forwards.append(ids(result.leads))
    while result.next_cursor:
        result = page(db, coordinator, status=status, sort=sort, after=result.next_cursor)
        assert not result.first and result.prev_cursor
        forwards.append(ids(result.leads))
    assert forwards == [ids(chunk) for chunk in chunks]

    # Back from the last page: the same pages, the first one full again.
    result = page(db, coordinator, status=status, sort=sort, last=True)
    assert result.next_cursor is None and ids(result.leads) == ids(wanted[-N:])
    result = page(db, coordinator, status=status, sort=sort, before=result.prev_cursor)
    assert ids(result.leads) == ids(wanted[-2 * N : -N])
    result = page(db, coordinator, status=status, sort=sort, before=result.prev_cursor)
    assert ids(result.leads) == ids(chunks[0]) and result.first and result.prev_cursor is None


def test_previous_from_the_second_page_is_the_first_page(db, leads):
    coordinator, made = leads
    second = page(db, coordinator, status="all", after=page(db, coordinator, status="all").next_cursor)
    back = page(db, coordinator, status="all", before=second.prev_cursor)
    assert ids(back.leads) == ids(sorted(made, key=EXPECTED_ORDER["due"])[:N]) and back.first


def test_a_lead_arriving_meanwhile_is_neither_repeated_nor_skipped(db, region, leads):
    coordinator, made = leads
    first = page(db, coordinator, status="all", sort="newest")
    # A newer lead (it belongs before the page seen) and an older one (on the pages to come) arrive meanwhile.
    employer = made[0].employer
    newest = make_lead(db, region, employer, coordinator, created_at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC))
    oldest = min(lead.created_at for lead in made)
    between = make_lead(db, region, employer, coordinator, created_at=oldest - dt.timedelta(minutes=1))
    seen = ids(first.leads)
    result = first
    while result.next_cursor:
        result = page(db, coordinator, status="all", sort="newest", after=result.next_cursor)
        seen += ids(result.leads)
    assert len(seen) == len(set(seen))
    assert set(seen) == set(ids(made)) | {between.id}
    assert newest.id not in seen  # it sorts before where this reader was; the first page shows it
    assert newest.id in ids(page(db, coordinator, status="all", sort="newest").leads)


def test_filters_hold_on_every_page(db, region, leads):
    coordinator, made = leads
    wanted = sorted((lead for lead in made if lead.company_name != "Bedrijf A"), key=EXPECTED_ORDER["due"])
    assert N < len(wanted) < 2 * N
    # the source filter narrows by the lead's source; give the B and C leads one
    for lead in wanted:
        lead.source = "lopik.nl"
    db.session.commit()
    first = page(db, coordinator, status="all", source="lopik")
    assert first.next_cursor
    second = page(db, coordinator, status="all", source="lopik", after=first.next_cursor)
    assert ids(first.leads) + ids(second.leads) == ids(wanted) and second.next_cursor is None


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "!!!!",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b'["due","2026-13-45",1]').decode(),
        base64.urlsafe_b64encode(b'["company","Bedrijf A",1]').decode(),  # another sort's cursor
        base64.urlsafe_b64encode(b'["due","2026-11-26","1"]').decode(),
        base64.urlsafe_b64encode(b'["due","2026-11-26",99999999999999999999999]').decode(),
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
    ],
)
def test_a_cursor_that_is_not_one_gives_the_first_page(db, leads, cursor):
    coordinator, made = leads
    for direction in ("after", "before"):
        result = page(db, coordinator, status="all", **{direction: cursor})
        assert result.bad_cursor and result.first
        assert ids(result.leads) == ids(sorted(made, key=EXPECTED_ORDER["due"])[:N])


def test_a_cursor_names_its_sort_and_lead(db, leads):
    _, made = leads
    lead = made[5]
    for sort in inbox_service.SORTS:
        key, lead_id = inbox_service.read_cursor(inbox_service.cursor_for(lead, sort), sort)
        assert lead_id == lead.id
        assert key == getattr(lead, inbox_service.SORTS[sort][0].key)


def test_the_counts_per_status_are_kept_in_step_with_the_leads(db, region, leads):
    coordinator, made = leads
    closed = sum(lead.status == "closed" for lead in made)
    result = page(db, coordinator, status="all")
    assert result.status_counts == {"new": LEADS - closed, "in_progress": 0, "referred": 0, "closed": closed}
    assert not result.capped and not result.total_capped
    made[1].status = "in_progress"
    colleague = make_user(db, region, roles=["account_manager"])
    made[2].owner = colleague
    db.session.commit()
    result = page(db, coordinator, status="all")
    assert result.status_counts == {"new": LEADS - closed - 1, "in_progress": 1, "referred": 0, "closed": closed}
    mine = inbox_service.inbox(
        db.session, coordinator, inbox_service.InboxFilters(view="mine", status="all"), TODAY
    ).status_counts
    assert mine == {"new": LEADS - closed - 2, "in_progress": 1, "referred": 0, "closed": closed}


def test_with_a_filter_the_counts_are_capped(db, leads, monkeypatch):
    coordinator, made = leads
    monkeypatch.setattr(inbox_service, "COUNT_CAP", 10)
    closed = sum(lead.status == "closed" for lead in made)
    result = page(db, coordinator, status="all", request_type="vacature")
    assert result.status_counts == {"new": 10, "in_progress": 0, "referred": 0, "closed": closed}
    assert result.capped == {"new"} and result.total_capped and result.total == 10 + closed
    assert not page(db, coordinator, status="closed", request_type="vacature").total_capped
