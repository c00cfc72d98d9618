"""The inbox service: every page of every sort holds exactly the leads a full sort puts there.

Pages in the back half are read backwards (reversed order, then flipped), so these tests compare every page,
front and back, with the order Python gives the whole list.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TODAY, make_employer, make_lead, make_user
from wsp_site.services.leads import inbox as inbox_service

LEADS = 2 * inbox_service.PAGE_SIZE + 17  # three pages with or without the closed ones, the last one short


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


@pytest.mark.parametrize("sort", sorted(inbox_service.SORTS))
@pytest.mark.parametrize("status", [None, "all"])
def test_every_page_holds_the_leads_a_full_sort_puts_there(db, leads, sort, status):
    coordinator, made = leads
    wanted = [lead for lead in made if status == "all" or lead.status != "closed"]
    wanted.sort(key=EXPECTED_ORDER[sort])
    pages = -(-len(wanted) // inbox_service.PAGE_SIZE)
    assert pages == 3
    seen = []
    for number in range(1, pages + 1):
        filters = inbox_service.InboxFilters(view="all", status=status, sort=sort, page=number)
        page = inbox_service.inbox(db.session, coordinator, filters, TODAY)
        assert (page.page, page.pages, page.total) == (number, pages, len(wanted))
        start = (number - 1) * inbox_service.PAGE_SIZE
        assert [lead.id for lead in page.leads] == [lead.id for lead in wanted[start : start + inbox_service.PAGE_SIZE]]
        seen += page.leads
    assert len(seen) == len({lead.id for lead in seen}) == len(wanted)


def test_a_page_past_the_end_shows_the_last_page(db, leads):
    coordinator, made = leads
    filters = inbox_service.InboxFilters(view="all", status="all", sort="due", page=99)
    page = inbox_service.inbox(db.session, coordinator, filters, TODAY)
    assert page.page == page.pages == 3
    last = sorted(made, key=EXPECTED_ORDER["due"])[2 * inbox_service.PAGE_SIZE :]
    assert [lead.id for lead in page.leads] == [lead.id for lead in last]
