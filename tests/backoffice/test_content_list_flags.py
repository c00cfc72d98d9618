"""The editors' content list flags what needs a look (issue 15): from 1 December every amount of this year that has
no figure for next year (the same rule as `flask content check`, on the texts in the database), and an English text
that is older than the Dutch."""

from __future__ import annotations

import copy
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


def test_a_note_on_next_year_keeps_the_amounts_on_the_stale_list(db, region):
    """'The 2027 amounts are not known yet' tells the reader (the lint accepts it), but the editors' list keeps
    naming the amounts until next year's figure itself is in the text."""
    noted = _instrument(db, region, "In 2026 € 1,01 per uur. De bedragen voor 2027 hebben wij nog niet kunnen nagaan.")
    december = _listed(db, region, dt.date(2026, 12, 4), noted)
    assert december.amounts_due == ["€ 1,01"] and december.stale


def test_the_list_page_shows_the_amounts(client, db, region, make_staff, login_as, time_machine):
    premie = _instrument(db, region, "In 2026 € 750 per plaatsing.")
    time_machine.move_to(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    login_as(make_staff("coordinator"))
    html = client.get("/beheer/inhoud/verouderd").get_data(as_text=True)
    assert premie.title("nl") in html and "Bedragen voor volgend jaar ontbreken: € 750" in html


def test_the_list_flags_english_older_than_dutch(client, db, region, make_staff, login_as):
    from tests.factories import instrument_text
    from wsp_site.services.content import publishing, snapshots, versions

    coordinator = make_staff("coordinator")
    target = make_instrument(db, region, texts=[instrument_text("nl", "Tweetalig"), instrument_text("en", "Bilingual")])
    now = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)

    def save(change) -> None:
        """A new version from the latest one (the working copy), as the editor's form does."""
        latest = versions.latest_version(db.session, target)
        data = copy.deepcopy(latest.snapshot) if latest else snapshots.snapshot(target)
        change(data["texts"])
        publishing.save(db.session, coordinator, target, data, now)
        db.session.flush()

    def behind() -> bool:
        return _listed(db, region, dt.date(2026, 11, 20), target).english_behind

    save(lambda texts: None)
    assert not behind()
    save(lambda texts: texts["nl"].update(what="Een nieuwe uitleg in het Nederlands."))
    assert behind()
    login_as(coordinator)
    assert "Engelse tekst ouder dan de Nederlandse" in client.get("/beheer/inhoud").get_data(as_text=True)
    save(lambda texts: texts["en"].update(what="A new explanation in English."))
    assert not behind()
