"""The inbox's pages through HTTP: next and previous links carry a cursor and keep the filters and the sort, a
shared link shows the same page, a cursor that is not one shows the first page with a notice (never an error),
and a filtered count beyond the cap says "more than"."""

from __future__ import annotations

import datetime as dt

from tests.factories import TODAY, make_employer, make_lead
from tests.pages import get_page
from wsp_site.services.leads import inbox as inbox_service

N = inbox_service.PAGE_SIZE


def make_leads(db, region, owner, count):
    employer = make_employer(db, region)
    return [
        make_lead(db, region, employer, owner, due_on=TODAY + dt.timedelta(days=n % 3), request_type="vacature")
        for n in range(count)
    ]


def references(page):
    return [a.get_text(strip=True) for a in page.select("table.wsp-inbox tbody th a")]


def test_next_and_previous_keep_the_filters_and_the_sort(db, region, client, client_request, make_staff, login_as):
    me = make_staff("coordinator")
    leads = make_leads(db, region, me, N + 5)
    login_as(me)
    first = client_request.get("backoffice.inbox", weergave="all", type="vacature", sorteer="company")
    nav = first.select_one("nav.wsp-pagination")
    assert not nav.select("a[rel=prev]")
    next_href = nav.select_one("a[rel=next]")["href"]
    assert "type=vacature" in next_href and "sorteer=company" in next_href and "weergave=all" in next_href
    second = get_page(client, next_href)
    wanted = [lead.reference for lead in sorted(leads, key=lambda lead: (lead.company_name, lead.id))]
    assert references(first) == wanted[:N] and references(second) == wanted[N:]
    assert not second.select("a[rel=next]")
    prev_href = second.select_one("a[rel=prev]")["href"]
    assert "type=vacature" in prev_href and "voor=" in prev_href
    back = get_page(client, prev_href)
    assert references(back) == wanted[:N]
    # the same link, opened again (shared with a colleague), shows the same page
    assert references(get_page(client, next_href)) == wanted[N:]
    last = client_request.get("backoffice.inbox", weergave="all", type="vacature", sorteer="company", laatste="1")
    assert references(last) == wanted[-N:]


def test_a_broken_cursor_shows_the_first_page_with_a_notice(db, region, client_request, make_staff, login_as):
    me = make_staff("coordinator")
    make_leads(db, region, me, N + 2)
    login_as(me)
    plain = client_request.get("backoffice.inbox", weergave="all")
    assert not plain.select(".utrecht-alert--warning")
    for args in ({"na": "bm9uc2Vuc2U"}, {"voor": "%%%"}, {"na": "W10"}, {"na": "x" * 5000}):
        page = client_request.get("backoffice.inbox", weergave="all", **args)
        assert "klopt niet" in page.select_one(".utrecht-alert--warning").get_text()
        assert references(page) == references(plain)


def test_a_filtered_count_beyond_the_cap_says_more_than(db, region, client_request, make_staff, login_as, monkeypatch):
    me = make_staff("coordinator")
    make_leads(db, region, me, 12)
    login_as(me)
    monkeypatch.setattr(inbox_service, "COUNT_CAP", 10)
    page = client_request.get("backoffice.inbox", weergave="all", type="vacature")
    assert page.select_one("p[role=status]").get_text(strip=True) == "Meer dan 10 aanvragen"
    new = next(a for a in page.select(".wsp-counts a") if a.get_text(" ", strip=True).startswith("Nieuw"))
    assert new.select_one(".utrecht-badge-counter").get_text(strip=True) == "meer dan 10"
    unfiltered = client_request.get("backoffice.inbox", weergave="all")
    assert unfiltered.select_one("p[role=status]").get_text(strip=True) == "12 aanvragen"
