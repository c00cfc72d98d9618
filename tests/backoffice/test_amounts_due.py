"""From 1 December the editors' stale list names every amount of this year that has no figure for next year
(issue 15): the same rule as `flask content check`, on the texts in the database."""

from __future__ import annotations

import datetime as dt

from tests.factories import instrument_text, make_instrument, make_user
from wsp_site.services.content import staleness


def _instrument(db, region, employer_gets: str, **overrides):
    text = instrument_text("nl", "Premie met bedrag", employer_gets=employer_gets)
    return make_instrument(db, region, texts=[text], **overrides)


def _listed(db, region, today: dt.date, instrument):
    coordinator = make_user(db, region, roles=["coordinator"])
    rows = staleness.editable_instruments(db.session, coordinator, region, today)
    return next(row for row in rows if row.instrument.id == instrument.id)


def test_from_the_first_of_december_an_amount_without_next_years_figure_is_named(db, region):
    premie = _instrument(db, region, "In 2026 € 1,01 per uur, hoogstens € 2.000 per jaar.")
    november = _listed(db, region, dt.date(2026, 11, 30), premie)
    assert november.amounts_due == [] and not november.stale
    december = _listed(db, region, dt.date(2026, 12, 1), premie)
    assert december.amounts_due == ["€ 1,01", "€ 2.000"] and december.stale
    stale = staleness.stale_instruments(
        db.session, make_user(db, region, roles=["coordinator"]), region, dt.date(2026, 12, 1)
    )
    assert premie in stale


def test_next_years_figure_or_an_end_this_year_is_enough(db, region):
    both = _instrument(db, region, "In 2026 € 1,01 per uur; in 2027 € 1,05 per uur.")
    ending = _instrument(db, region, "In 2026 € 500 eenmalig.", valid_until=dt.date(2026, 12, 31))
    assert _listed(db, region, dt.date(2026, 12, 2), both).amounts_due == []
    assert _listed(db, region, dt.date(2026, 12, 2), ending).amounts_due == []


def test_the_list_page_shows_the_amounts(client, db, region, make_staff, login_as, time_machine):
    premie = _instrument(db, region, "In 2026 € 750 per plaatsing.")
    time_machine.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    login_as(make_staff("coordinator"))
    html = client.get("/beheer/inhoud/verouderd").get_data(as_text=True)
    assert premie.title("nl") in html and "Bedragen voor volgend jaar ontbreken: € 750" in html
