"""Report numbers against a small set of leads whose answers are worked out by hand below.

Period: 2026, today Thursday 26 November 2026, promised first contact: 2 working days.

lead  received (UTC)       local date   owner (service point)   municipality  sector    size    type              first contact            outcome
A     15-01 10:00          15-01        lek                     dijkhoven     retail    1-9     vacature          16-01 (1 wd)             placed 02-02
B     02-04 12:00 (Thu)    02-04        lek                     waterhoven    retail    10-49   kandidaat         07-04 Tue (1 wd: Good Friday, weekend, Easter Monday)  placed 01-05
C     31-03 22:30          01-04 (!)    utr                     grootstad     food      50-249  instrument_vraag  01-04 14:00 (0 wd)       open (in_progress)
D     10-06 09:00          10-06        lek -> utr (reassigned)  dijkhoven     techniek  250+    vacature          15-06 Mon (3 wd)         open (referred)
E     20-01 10:00          20-01        none                    dijkhoven     retail    1-9     terugbellen       20-01 (0 wd)             advice; anonymised
F     01-07 10:00          01-07        lek                     outside       overig    1-9     anders            -                        spam
G     31-12-2025 23:30     01-01-2026   lek                     heidedorp     zorg      10-49   vacature          -                        open (new, overdue)
H     31-12-2026 23:30     01-01-2027   lek                     -             retail    1-9     vacature          -                        open (new), NOT in 2026
I     20-11 10:00          20-11        utr                     dijkhoven     retail    1-9     vacature          -                        open (new, overdue)

lek: service point dijkland, utr: service point grootstad (of the test region, tests/regions/testregio).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from tests.factories import make_employer, make_lead, make_user, municipality, service_point
from wsp_site import clock
from wsp_site.models import Instrument, Lead, LeadEvent
from wsp_site.presentation import charts
from wsp_site.services import reports
from wsp_site.services.reports import export, queries
from wsp_site.services.reports.filters import ReportFilters, filters_from_args

TODAY = dt.date(2026, 11, 26)
YEAR = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def fixture_leads(db, region):
    assert db.session.scalar(select(func.count(Lead.id))) == 0
    lek = make_user(db, region, service_point=service_point(db, region, "dijkland"))
    utr = make_user(db, region, service_point=service_point(db, region, "grootstad"))
    nosp = make_user(db, region)
    instruments = db.session.scalars(select(Instrument).filter_by(region_id=region.id).order_by(Instrument.slug)).all()
    i1, i2 = instruments[0], instruments[1]
    employer = make_employer(db, region)

    def lead(key, created, owner, muni, sector, size, kind, **extra):
        return make_lead(
            db,
            region,
            employer,
            owner,
            created_at=created,
            location=municipality(db, region, muni) if muni else None,
            sector=sector,
            size_band=size,
            request_type=kind,
            company_name=f"Bedrijf {key}",
            **extra,
        )

    leads = {
        "A": lead(
            "A",
            utc(2026, 1, 15, 10),
            lek,
            "dijkhoven",
            "retail",
            "1-9",
            "vacature",
            source="werkgeversloket-dijkhoven",
            first_contact_at=utc(2026, 1, 16, 9),
            status="closed",
            outcome="placed",
            closed_at=utc(2026, 2, 2, 10),
            instruments=[i1],
        ),
        "B": lead(
            "B",
            utc(2026, 4, 2, 12),
            lek,
            "waterhoven",
            "retail",
            "10-49",
            "kandidaat",
            source="https://www.dijkhoven.nl/ondernemen/personeel?x=1",
            first_contact_at=utc(2026, 4, 7, 8),
            status="closed",
            outcome="placed",
            closed_at=utc(2026, 5, 1, 10),
            instruments=[i1, i2],
        ),
        "C": lead(
            "C",
            utc(2026, 3, 31, 22, 30),
            utr,
            "grootstad",
            "food",
            "50-249",
            "instrument_vraag",
            referrer="https://www.waterhoven.nl/werk/info",
            first_contact_at=utc(2026, 4, 1, 14),
            status="in_progress",
        ),
        "D": lead(
            "D",
            utc(2026, 6, 10, 9),
            lek,
            "dijkhoven",
            "techniek",
            "250+",
            "vacature",
            referrer="http://127.0.0.1:5000/contact?gemeente=dijkhoven",
            first_contact_at=utc(2026, 6, 15, 9),
            status="referred",
            instruments=[i2],
        ),
        "E": lead(
            "E",
            utc(2026, 1, 20, 10),
            nosp,
            "dijkhoven",
            "retail",
            "1-9",
            "terugbellen",
            source="werkgeversloket-dijkhoven",
            first_contact_at=utc(2026, 1, 20, 11),
            status="closed",
            outcome="advice",
            closed_at=utc(2026, 1, 25, 10),
            anonymised_at=utc(2026, 2, 1),
            contact_name="[geanonimiseerd]",
        ),
        "F": lead(
            "F",
            utc(2026, 7, 1, 10),
            lek,
            None,
            "overig",
            "1-9",
            "anders",
            status="closed",
            outcome="spam",
            closed_at=utc(2026, 7, 1, 11),
        ),
        "G": lead(
            "G",
            utc(2025, 12, 31, 23, 30),
            lek,
            "heidedorp",
            "zorg",
            "10-49",
            "vacature",
            due_on=dt.date(2026, 1, 5),
        ),
        "H": lead(
            "H",
            utc(2026, 12, 31, 23, 30),
            lek,
            None,
            "retail",
            "1-9",
            "vacature",
            due_on=dt.date(2027, 1, 5),
        ),
        "I": lead(
            "I",
            utc(2026, 11, 20, 10),
            utr,
            "dijkhoven",
            "retail",
            "1-9",
            "vacature",
            due_on=dt.date(2026, 11, 24),
        ),
    }
    # D was reassigned from lek to utr: it counts for its current owner's service point.
    leads["D"].owner = utr
    leads["D"].events.append(
        LeadEvent(at=utc(2026, 6, 11, 9), kind="reassign", data={"from_owner": lek.id, "to_owner": utr.id}, note="x")
    )
    db.session.flush()
    return {"leads": leads, "lek": lek, "utr": utr, "i1": i1, "i2": i2}


def _rows(report) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in report.rows}


def test_lead_count_and_months_use_local_dates(db, region, fixture_leads):
    assert queries.lead_count(db.session, region, YEAR) == 8  # H is 1 January 2027 in Amsterdam
    months = dict(queries.leads_by_month(db.session, region, YEAR))
    assert months[dt.date(2026, 1, 1)] == 3  # A, E and G (31-12-2025 23:30 UTC is New Year in Amsterdam)
    assert months[dt.date(2026, 3, 1)] == 0  # C arrived on 1 April local time
    assert months[dt.date(2026, 4, 1)] == 2
    assert months[dt.date(2026, 6, 1)] == 1
    assert months[dt.date(2026, 7, 1)] == 1
    assert months[dt.date(2026, 11, 1)] == 1
    assert months[dt.date(2026, 12, 1)] == 0
    assert len(months) == 12 and sum(months.values()) == 8


def test_breakdowns(db, region, fixture_leads):
    lek = service_point(db, region, "dijkland").id
    utr = service_point(db, region, "grootstad").id
    by_point = queries.leads_by_service_point(db.session, region, YEAR)
    assert by_point == {lek: 4, utr: 3, None: 1}  # D moved with its new owner to Grootstad

    dijkhoven = municipality(db, region, "dijkhoven").id
    by_muni = queries.leads_by_municipality(db.session, region, YEAR)
    assert by_muni[dijkhoven] == 4 and by_muni[None] == 1 and sum(by_muni.values()) == 8

    assert queries.leads_by_source(db.session, region, YEAR) == {
        "werkgeversloket-dijkhoven": 2,
        "www.dijkhoven.nl": 1,
        "www.waterhoven.nl": 1,
        None: 4,  # D's referrer is this site itself: says nothing about where the employer came from
    }
    assert queries.leads_by_code(db.session, region, YEAR, "request_type") == {
        "vacature": 4,
        "kandidaat": 1,
        "instrument_vraag": 1,
        "terugbellen": 1,
        "anders": 1,
    }
    per_instrument, without = queries.leads_by_instrument(db.session, region, YEAR)
    assert per_instrument == {fixture_leads["i1"].id: 2, fixture_leads["i2"].id: 2}
    assert without == 5
    assert queries.leads_by_code(db.session, region, YEAR, "sector") == {
        "retail": 4,
        "food": 1,
        "techniek": 1,
        "overig": 1,
        "zorg": 1,
    }
    assert queries.leads_by_code(db.session, region, YEAR, "size_band") == {
        "1-9": 4,
        "10-49": 2,
        "50-249": 1,
        "250+": 1,
    }
    assert queries.outcomes(db.session, region, YEAR) == {"placed": 2, "advice": 1, "spam": 1, "open": 4}


def test_first_contact_in_working_days(db, region, fixture_leads):
    result = queries.first_contact(db.session, region, YEAR)
    # A 1, B 1 (Good Friday, weekend and Easter Monday do not count), C 0 (same local day), D 3, E 0
    assert result.distribution == {0: 2, 1: 2, 3: 1}
    assert result.median == 1
    assert result.promised == 2
    assert result.within == 4 and result.within_share == 80.0
    assert result.without_contact == 3  # F, G, I


def test_median_of_an_even_number():
    assert queries.FirstContact(2, {0: 1, 3: 1}, 0).median == 1.5
    assert queries.FirstContact(2, {}, 4).median is None


def test_open_and_overdue_now(db, region, fixture_leads):
    lek = service_point(db, region, "dijkland").id
    utr = service_point(db, region, "grootstad").id
    now = queries.open_now(db.session, region, YEAR, TODAY)
    assert now == {lek: (2, 1), utr: (3, 1)}  # lek: G (overdue) and H; utr: C, D and I (overdue)


def test_targets(db, region, fixture_leads):
    progress = {(t.year, t.sector): t for t in queries.target_progress(db.session, region, YEAR)}
    assert set(progress) == {(2026, "retail"), (2026, "food"), (2026, "techniek")}
    assert progress[(2026, "retail")].target == 35 and progress[(2026, "retail")].realised == 2
    assert progress[(2026, "food")].realised == 0
    assert round(progress[(2026, "retail")].share, 2) == 5.71


def test_filters(db, region, fixture_leads):
    lek = ReportFilters(YEAR.start, YEAR.end, service_point_id=service_point(db, region, "dijkland").id)
    assert queries.lead_count(db.session, region, lek) == 4  # A, B, F, G
    dijkhoven = ReportFilters(YEAR.start, YEAR.end, municipality_id=municipality(db, region, "dijkhoven").id)
    assert queries.lead_count(db.session, region, dijkhoven) == 4  # A, D, E, I
    outside = ReportFilters(YEAR.start, YEAR.end, outside_region=True)
    assert queries.lead_count(db.session, region, outside) == 1  # F
    april = ReportFilters(dt.date(2026, 4, 1), dt.date(2026, 4, 1))
    assert queries.lead_count(db.session, region, april) == 1  # C, at 00:30 local time


def test_filters_from_args(db, region):
    filters, form = filters_from_args(db.session, region, {}, TODAY)
    assert filters == YEAR and not form.errors
    filters, form = filters_from_args(
        db.session, region, {"van": "1-4-2026", "tot": "2026-06-30", "gemeente": "buiten"}, TODAY
    )
    assert filters == ReportFilters(dt.date(2026, 4, 1), dt.date(2026, 6, 30), outside_region=True)
    filters, form = filters_from_args(
        db.session, region, {"van": "2026-07-01", "tot": "2026-06-30", "servicepunt": "nergens"}, TODAY
    )
    assert filters is None
    assert {field for field, _message in form.errors} == {"tot", "servicepunt"}


def test_report_rows_and_csv_are_the_same_numbers(db, region, fixture_leads):
    built = {report.name: report for report in reports.build_all(db.session, region, YEAR, TODAY)}
    assert list(built) == list(reports.REPORTS)

    assert _rows(built["per-maand"])["januari 2026"] == ["3", "37,5"]
    assert _rows(built["per-servicepunt"])["WSP Dijkland"] == ["4", "50,0"]
    assert _rows(built["per-servicepunt"])["Geen servicepunt"] == ["1", "12,5"]
    assert _rows(built["per-gemeente"])["Buiten de regio"] == ["1", "12,5"]
    assert _rows(built["per-bron"])["Onbekend of rechtstreeks"] == ["4", "50,0"]
    assert _rows(built["per-regeling"])["Geen regeling gekozen"] == ["5", "62,5"]
    assert _rows(built["eerste-contact"])["1 werkdag"] == ["2", "40,0"]
    assert _rows(built["eerste-contact"])["3 werkdagen"] == ["1", "20,0"]
    assert _rows(built["uitkomsten"])["Geplaatst"] == ["2", "25,0"]
    assert _rows(built["uitkomsten"])["Nog niet afgesloten"] == ["4", "50,0"]
    assert _rows(built["open-nu"])["WSP Grootstad"] == ["3", "1"]
    assert _rows(built["open-nu"])["Totaal"] == ["5", "2"]
    assert ["2026", "Plaatsingen", "Detailhandel", "35", "2", "5,7"] in built["doelen"].rows
    key = _rows(built["kerncijfers"])
    assert key["Aanvragen ontvangen in de periode"] == ["8"]
    assert key["Mediaan werkdagen tot eerste contact"] == ["1"]
    assert key["Eerste contact binnen de beloofde werkdagen (%)"] == ["80,0"]
    assert key["Nu over de termijn"] == ["2"]

    for report in built.values():
        text = export.to_csv(report)
        assert text.startswith("\ufeff")
        parsed = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert parsed[0] == report.head
        assert parsed[1:] == report.rows


def test_charts_are_accessible_svg_without_styles(db):
    from bs4 import BeautifulSoup

    svg = charts.bar_chart("test", "Titel <&>", "Beschrijving", [("<script>x</script>", 3), ("Nul", 0)])
    column = charts.column_chart("maand", "Per maand", "jan: 1", [("jan", 1), ("feb", 0)])
    for markup, name in ((svg, "test"), (column, "maand")):
        soup = BeautifulSoup(str(markup), "html.parser").svg
        assert soup["role"] == "img"
        assert soup["aria-labelledby"] == f"{name}-titel {name}-beschrijving"
        assert soup.find("title", id=f"{name}-titel") and soup.find("desc", id=f"{name}-beschrijving")
        assert not soup.find(style=True) and not soup.find("script")
        assert all(rect["fill"] == charts.BAR_COLOUR for rect in soup.find_all("rect"))
    assert "&lt;script&gt;" in str(svg) and "Titel &lt;&amp;&gt;" in str(svg)


def test_one_lead_is_counted_in_the_singular(db, region):
    owner = make_user(db, region)
    make_lead(db, region, make_employer(db, region), owner, created_at=utc(2026, 3, 3, 10))
    built = {report.name: report for report in reports.build_all(db.session, region, YEAR, TODAY)}
    assert built["kerncijfers"].summary == "1 aanvraag ontvangen, 0 geplaatst."
    assert built["per-sector"].summary.startswith("1 aanvraag in deze periode. De meeste: ")
    assert [row[0] for row in built["eerste-contact"].rows][:3] == ["0 werkdagen", "1 werkdag", "2 werkdagen"]


@pytest.mark.parametrize(
    ("received", "local"),
    [
        (utc(2026, 7, 1, 21, 59), dt.date(2026, 7, 1)),  # 23:59 summer time
        (utc(2026, 7, 1, 23, 30), dt.date(2026, 7, 2)),  # 01:30 summer time: the next day
        (utc(2026, 1, 15, 22, 59), dt.date(2026, 1, 15)),  # 23:59 winter time
        (utc(2026, 1, 15, 23, 30), dt.date(2026, 1, 16)),  # 00:30 winter time: the next day too
        (utc(2026, 3, 29, 0, 59), dt.date(2026, 3, 29)),  # 01:59 winter time, a minute before the clocks go forward
        (utc(2026, 3, 29, 1, 0), dt.date(2026, 3, 29)),  # 03:00 summer time
        (utc(2026, 3, 29, 21, 59), dt.date(2026, 3, 29)),  # 23:59 on the first day of summer time
        (utc(2026, 3, 29, 22, 0), dt.date(2026, 3, 30)),
        (utc(2026, 10, 25, 0, 59), dt.date(2026, 10, 25)),  # 02:59 summer time, then the clocks go back
        (utc(2026, 10, 25, 1, 0), dt.date(2026, 10, 25)),  # 02:00 winter time
        (utc(2026, 10, 25, 22, 59), dt.date(2026, 10, 25)),
        (utc(2026, 10, 25, 23, 0), dt.date(2026, 10, 26)),
    ],
)
def test_the_database_computes_local_dates_as_the_zone_database_does(db, region, received, local):
    lead = make_lead(db, region, make_employer(db, region), make_user(db, region), created_at=received)
    column = queries.local_date(db.session, Lead.created_at, 2025, 2027)
    value = db.session.scalar(select(column).where(Lead.id == lead.id))
    assert queries.as_date(value) == local == clock.local_today(received)
