"""English pages write every date one way ('November 20, 2026'): no '11/20/26', no weekday before some."""

from __future__ import annotations

import re

from tests.factories import make_employer, make_lead

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
LONG = re.compile(rf"\b(?:{MONTHS}) \d{{1,2}}, \d{{4}}\b")
OTHER = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{2}-\d{2}-\d{4}\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, ")


def assert_one_date_format(text: str) -> None:
    assert LONG.search(text), "the page shows a date"
    assert not OTHER.findall(text), OTHER.findall(text)


def test_the_instrument_page(client_request):
    page = client_request.get("public.instrument", slug="jobcoaching", _lang="en")
    assert_one_date_format(page.get_text(" "))


def test_the_back_office_inbox_and_lead(db, region, client_request, make_staff, login_as):
    me = make_staff("account_manager")
    lead = make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    inbox = client_request.get("backoffice.inbox", _lang="en")
    assert_one_date_format(inbox.get_text(" "))
    detail = client_request.get("backoffice.lead_detail", lead_id=lead.id, _lang="en")
    text = detail.get_text(" ")
    assert_one_date_format(text)
    assert "November 20, 2026" in text  # received (make_lead's moment), in the same format as the due date
