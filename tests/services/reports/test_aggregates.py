"""The leads counted per day (lead_day_count) against a direct count of the leads.

Random factory leads (seeded, so every run has the same ones) go through what happens to leads: created,
started, closed and reopened, reassigned, given other instruments, their owner moved to another service point,
erased on request, anonymised by retention and deleted. After every step the figures the reports read from the
daily counts equal the figures counted here, lead by lead, for the whole region and for each filter; and
`flask reports rebuild` writes exactly the rows that were kept in step.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from sqlalchemy import select

from tests.factories import make_employer, make_lead, make_user, municipality, service_point
from wsp_site.clock import AMSTERDAM
from wsp_site.models import Instrument, Lead, LeadDayCount
from wsp_site.services.leads import workflow
from wsp_site.services.leads.deadlines import working_days_between
from wsp_site.services.privacy import retention, subject_requests
from wsp_site.services.reports import aggregates, queries
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.sources import own_host, source_key

NOW = dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC)
PERIODS = [
    ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ReportFilters(dt.date(2025, 12, 1), dt.date(2027, 1, 31)),
    ReportFilters(dt.date(2026, 3, 29), dt.date(2026, 10, 25)),  # from and to a change of summer time
]
SOURCES = [
    (None, None),
    ("werkgeversloket-dijkhoven", None),
    ("https://www.dijkhoven.nl/ondernemen?x=1", None),
    (None, "https://www.waterhoven.nl/werk/info"),
    (None, "http://127.0.0.1:5000/contact"),  # this site itself: direct
    (None, "not a url"),
    ("ongeldig://", None),  # a bron that retention drops (not a URL with a host): it then counts as unknown
]
ADDRESSES = [f"persoon{n}@example.nl" for n in range(6)]


def local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


def direct(session, region, filters: ReportFilters) -> dict:
    """Every figure, counted here lead by lead."""
    leads = [
        lead
        for lead in session.scalars(select(Lead).filter_by(region_id=region.id)).all()
        if filters.start <= local(lead.created_at) <= filters.end
        and (filters.service_point_id is None or lead.owner.service_point_id == filters.service_point_id)
        and (not filters.outside_region or lead.location_municipality_id is None)
        and (filters.municipality_id is None or lead.location_municipality_id == filters.municipality_id)
    ]
    months = filters.months()
    by_month = Counter(months.index(local(lead.created_at).replace(day=1)) for lead in leads)
    instruments = Counter(instrument.id for lead in leads for instrument in lead.instruments)
    contacted = [lead for lead in leads if lead.first_contact_at is not None]
    return {
        "count": len(leads),
        "months": [(month, by_month.get(index, 0)) for index, month in enumerate(months)],
        "points": dict(Counter(lead.owner.service_point_id for lead in leads)),
        "municipalities": dict(Counter(lead.location_municipality_id for lead in leads)),
        **{field: dict(Counter(getattr(lead, field) for lead in leads)) for field in queries.CODED_FIELDS},
        "outcomes": dict(Counter("open" if lead.status != "closed" else lead.outcome or "none" for lead in leads)),
        "sources": dict(Counter(source_key(lead.source, lead.referrer, own_host()) for lead in leads)),
        "instruments": (dict(instruments), sum(1 for lead in leads if not lead.instruments)),
        "first_contact": (
            dict(
                Counter(
                    max(working_days_between(local(lead.created_at), local(lead.first_contact_at)), 0)
                    for lead in contacted
                )
            ),
            len(leads) - len(contacted),
        ),
    }


def from_counts(session, region, filters: ReportFilters) -> dict:
    """The same figures as the reports read them."""
    cache: dict = {}
    contact = queries.first_contact(session, region, filters, cache)
    return {
        "count": queries.lead_count(session, region, filters, cache),
        "months": queries.leads_by_month(session, region, filters, cache),
        "points": queries.leads_by_service_point(session, region, filters, cache),
        "municipalities": queries.leads_by_municipality(session, region, filters, cache),
        **{field: queries.leads_by_code(session, region, filters, field, cache) for field in queries.CODED_FIELDS},
        "outcomes": queries.outcomes(session, region, filters, cache),
        "sources": queries.leads_by_source(session, region, filters, cache),
        "instruments": queries.leads_by_instrument(session, region, filters, cache),
        "first_contact": (contact.distribution, contact.without_contact),
    }


def table_rows(session) -> dict:
    rows = session.execute(select(LeadDayCount)).scalars().all()
    return {
        (r.region_id, r.level, r.point_id, r.municipality_id, r.dimension, r.day, r.value): r.leads
        for r in rows
        if r.leads
    }


@pytest.fixture
def world(db, region):
    rng = random.Random(17)
    points = [service_point(db, region, slug) for slug in ("grootstad", "dijkland", "heidebos")]
    owners = [make_user(db, region, service_point=point) for point in points[:2]] + [make_user(db, region)]
    places = [municipality(db, region, slug) for slug in ("grootstad", "dijkhoven", "heidedorp")] + [None]
    instruments = db.session.scalars(select(Instrument).filter_by(region_id=region.id).order_by(Instrument.id)).all()
    employers = [make_employer(db, region) for _ in range(3)]
    start = dt.datetime(2025, 12, 20, tzinfo=dt.UTC)
    leads = []
    for n in range(60):
        created = start + dt.timedelta(minutes=rng.randrange(0, 385 * 24 * 60))
        source, referrer = rng.choice(SOURCES)
        lead = make_lead(
            db,
            region,
            rng.choice(employers),
            rng.choice(owners),
            created_at=created,
            updated_at=created,
            due_on=(created + dt.timedelta(days=3)).date(),
            location=rng.choice(places),
            sector=rng.choice(["retail", "zorg", "bouw", "overig"]),
            size_band=rng.choice(["1-9", "10-49", "250+"]),
            request_type=rng.choice(["vacature", "kandidaat", "instrument_vraag", "anders"]),
            source=source,
            referrer=referrer,
            email=ADDRESSES[n % len(ADDRESSES)],
            instruments=rng.sample(instruments, rng.choice([0, 1, 1, 2])),
        )
        leads.append(lead)
    return {
        "rng": rng,
        "leads": leads,
        "owners": owners,
        "points": points,
        "places": places,
        "instruments": instruments,
    }


def direct_placements(session, region, year: int) -> dict:
    leads = session.scalars(select(Lead).filter_by(region_id=region.id, status="closed", outcome="placed")).all()
    return dict(Counter(lead.sector for lead in leads if local(lead.closed_at).year == year))


def check(db, region, world) -> None:
    db.session.flush()
    db.session.expire_all()
    for year in (2025, 2026, 2027):
        assert queries.placements(db.session, region, year) == direct_placements(db.session, region, year), year
    point, place = world["points"][1].id, world["places"][1].id
    for period in PERIODS:
        for filters in (
            period,
            ReportFilters(period.start, period.end, service_point_id=point),
            ReportFilters(period.start, period.end, municipality_id=place),
            ReportFilters(period.start, period.end, outside_region=True),
            ReportFilters(period.start, period.end, service_point_id=point, municipality_id=place),
        ):
            assert from_counts(db.session, region, filters) == direct(db.session, region, filters), filters
    # the inbox's counts: leads per owner and status (level 4)
    table = LeadDayCount.__table__
    kept = {
        (owner, status): n
        for owner, status, n in db.session.execute(
            select(table.c.point_id, table.c.value, table.c.leads).where(
                table.c.region_id == region.id, table.c.level == aggregates.OWNER_LEVEL, table.c.leads != 0
            )
        )
    }
    leads = db.session.scalars(select(Lead).filter_by(region_id=region.id))
    assert kept == Counter((lead.owner_id, lead.status) for lead in leads)


def test_daily_counts_follow_every_change_to_the_leads(app, db, region, world):
    rng, leads, owners = world["rng"], world["leads"], world["owners"]
    check(db, region, world)
    assert direct(db.session, region, PERIODS[0])["count"] > 40

    for lead in rng.sample(leads, 40):  # started (first contact) some hours to days later
        workflow.start(lead, lead.owner, lead.created_at + dt.timedelta(hours=rng.randrange(1, 200)))
    for lead in rng.sample([lead for lead in leads if lead.status == "in_progress"], 25):
        closed_at = lead.created_at + dt.timedelta(days=rng.randrange(0, 60))  # some in the next year
        workflow.close(lead, lead.owner, rng.choice(["placed", "placed", "advice", "spam"]), closed_at)
    closed = [lead for lead in leads if lead.status == "closed"]
    workflow.reopen(closed[0], closed[0].owner, "toch niet", NOW)
    check(db, region, world)

    for lead in rng.sample([lead for lead in leads if lead.status != "closed"], 10):  # to a colleague elsewhere
        other = next(owner for owner in owners if owner.id != lead.owner_id)
        workflow.reassign(db.session, lead, owners[0], other, "vakantie", NOW)
    for lead in rng.sample(leads, 8):  # other instruments, another municipality, another day
        lead.instruments = rng.sample(world["instruments"], 1)
        lead.location = rng.choice(world["places"])
        lead.created_at = lead.created_at - dt.timedelta(days=rng.randrange(1, 40))
    check(db, region, world)

    owners[0].service_point = world["points"][2]  # a colleague moves: their leads move with them
    check(db, region, world)

    with app.test_request_context():  # erased on request: open leads closed without an outcome, anonymised
        subject_requests.erase(db.session, region, ADDRESSES[0], owners[1], NOW)
        check(db, region, world)
        due = [lead.id for lead in leads if lead.status == "closed" and lead.anonymised_at is None][:10]
        retention.anonymise_leads(db.session, due, NOW)  # retention (bulk updates; sources cut to their host)
        check(db, region, world)

    for lead in rng.sample(leads, 5):
        db.session.delete(lead)
    check(db, region, world)

    kept = table_rows(db.session)
    assert kept
    aggregates.rebuild(db.session)
    assert table_rows(db.session) == kept


def test_flask_reports_rebuild_recounts_the_leads(app, db, region, world):
    kept = table_rows(db.session)
    db.session.execute(LeadDayCount.__table__.delete())
    db.session.flush()
    assert table_rows(db.session) == {}
    result = app.test_cli_runner().invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rows written" in result.output
    assert table_rows(db.session) == kept
    check(db, region, world)


def test_a_submitted_lead_is_counted_from_memory_as_the_rebuild_counts_it(app, db, region, world):
    """The intake's new lead is counted from the flushed object (no SELECT of it after its INSERT), and the rows
    are those a rebuild writes: with instruments and a municipality, and from outside the region."""
    from sqlalchemy import event

    from wsp_site.services.leads import intake

    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with app.test_request_context():
            for n, (place, instruments) in enumerate([("grootstad", ["jobcoaching"]), (None, [])]):
                form = intake.Submission(
                    company_name=f"Telling {n} B.V.",
                    contact_name="Contact",
                    email=f"info@telling{n}.example.nl",
                    phone=None,
                    request_type="kandidaat",
                    sector="zorg",
                    size_band="10-49",
                    municipality_slug=place,
                    instrument_slugs=instruments,
                    source="nieuwsbrief",
                )
                lead = intake.submit_lead(db.session, region, form, NOW).lead
                db.session.flush()
                assert [i.slug for i in lead.instruments] == instruments
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert not [s for s in statements if "FROM lead_instrument" in s], "the new lead was read back"
    check(db, region, world)
    kept = table_rows(db.session)
    aggregates.rebuild(db.session)
    assert table_rows(db.session) == kept
