"""SQL statements per public page type: a fixed upper bound each, and no growth with the catalogue.

Each page is rendered without the page cache (that is the cost of a cache miss, after every publication)
and with an empty identity map, as a fresh request in production has, so lazy loads show up. Transaction
control (BEGIN, SAVEPOINT, RELEASE, ROLLBACK) is not counted: the test fixture adds savepoints of its own.

The bounds are the counts measured when they were set (in the comment), without room. A page that
loads related rows one by one (an N+1) fails `test_query_count_does_not_grow_with_the_catalogue`, which
adds instruments of every kind and expects the very same count.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from wsp_site.models import Instrument, InstrumentText, Municipality, Organisation
from wsp_site.services.catalogue import snapshot

# page type -> (path, upper bound). Since 3 December 2026 (issue 17) the published catalogue is held in memory per
# content version (services.catalogue.snapshot): a page reads the region row (with its content version) and
# nothing else of the catalogue; search adds its own index. Measured then, SQLite and PostgreSQL alike; the
# bounds of 27 November 2026 (4-13 statements) in brackets.
PAGES = {
    "home": ("/", 1),  # [7]
    "instruments list": ("/instrumenten", 1),  # [10]
    "instruments list, filtered": ("/instrumenten?soort=lokaal&gemeente=polderdam&doelgroep=bijstand", 1),  # [10]
    "instrument": ("/instrumenten/jobcoaching", 1),  # [13]
    "local instrument": ("/instrumenten/polderdam-plaatsingspremie", 1),  # [11]
    "instrument, English": ("/en/instrumenten/jobcoaching", 1),  # [13]
    "municipality list": ("/gemeenten", 1),  # [6]
    "municipality": ("/gemeenten/polderdam", 1),  # [10]
    "finder, empty": ("/wegwijzer", 1),  # [6]
    "finder result": ("/wegwijzer?situatie=bijstand&gemeente=polderdam&doel=coaching", 1),  # [10]
    "search result": ("/zoeken?q=proefplaatsing", 2),  # [4]
    "search, did you mean": ("/zoeken?q=jobcoahing", 4),  # [6]
    "search, English": ("/en/zoeken?q=subsidies+polderdam", 2),  # [4]
    "contact": ("/contact", 1),  # [10]
}
# The first request after a publication (or a worker's first) reads the catalogue once: organisations, service
# points, municipalities, the published instruments, their texts and their municipalities.
CATALOGUE_LOAD = 6
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@pytest.fixture
def uncached(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENABLED", False)


@contextmanager
def recorded_statements(app):
    from wsp_site.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not TRANSACTION_CONTROL.match(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for(app, client, db, path: str, first_after_publication: bool = False) -> list[str]:
    assert client.get(path).status_code == 200, path  # once first: one-time work is not the page's
    if first_after_publication:
        snapshot.clear()  # as after a publication: the catalogue is read again
    db.session.expunge_all()  # a fresh request starts with an empty session
    with recorded_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


def describe(statements: list[str]) -> str:
    return "\n".join(f"  {i + 1}. {' '.join(s.split())[:160]}" for i, s in enumerate(statements))


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_bounded(app, client, db, uncached, page):
    path, bound = PAGES[page]
    statements = statements_for(app, client, db, path)
    assert len(statements) <= bound, f"{page} ({path}): {len(statements)} statements > {bound}\n{describe(statements)}"


@pytest.mark.parametrize("page", PAGES)
def test_first_view_after_a_publication_reads_the_catalogue_once(app, client, db, uncached, page):
    path, bound = PAGES[page]
    statements = statements_for(app, client, db, path, first_after_publication=True)
    assert len(statements) <= bound + CATALOGUE_LOAD, (
        f"{page} ({path}): {len(statements)} statements > {bound} + {CATALOGUE_LOAD}\n{describe(statements)}"
    )


def add_instruments(db, region, per_kind: int = 4) -> None:
    """More published instruments of every kind, with both texts and several municipalities each, matching
    the pages' filters (bijstand, coaching, Polderdam, the word 'proefplaatsing')."""
    municipalities = db.session.scalars(
        select(Municipality).filter_by(region_id=region.id).order_by(Municipality.name)
    ).all()
    polderdam = next(m for m in municipalities if m.slug == "polderdam")
    provider = db.session.scalar(select(Organisation).filter_by(region_id=region.id, slug="uwv"))
    for kind in ("basispakket", "uwv", "lokaal"):
        for n in range(per_kind):
            slug = f"querytest-{kind}-{n}"
            instrument = Instrument(
                region=region,
                slug=slug,
                kind=kind,
                status="published",
                provider=provider,
                target_groups=["bijstand", "wajong"],
                employer_goals=["coaching", "try_out", "compensate"],
                last_reviewed_on=dt.date(2026, 11, 1),
                municipalities=[polderdam, *(m for m in municipalities[n : n + 3] if m is not polderdam)]
                if kind == "lokaal"
                else [],
                texts=[
                    InstrumentText(
                        lang=lang,
                        title=f"Querytest {kind} {n} ({lang})",
                        summary="Een extra regeling met een proefplaatsing en coaching.",
                        what="Proefplaatsing met begeleiding.",
                        for_whom="Mensen in de bijstand.",
                        employer_gets="Coaching op de werkvloer.",
                        conditions="Geen.",
                        how_to_apply="Neem contact op.",
                        decision_time="Twee weken.",
                    )
                    for lang in ("nl", "en")
                ],
            )
            db.session.add(instrument)
    db.session.flush()

    from wsp_site.public.pages import SITE_PAGES
    from wsp_site.services.catalogue import search

    search.rebuild_index(db.session, region, SITE_PAGES)
    db.session.flush()


@pytest.mark.parametrize("first_after_publication", [False, True], ids=["kept catalogue", "catalogue read"])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_catalogue(app, client, db, region, uncached, page, first_after_publication):
    path, _ = PAGES[page]
    before = statements_for(app, client, db, path, first_after_publication)
    published = db.session.scalar(select(Instrument.id).filter_by(region_id=region.id).limit(1))
    assert published is not None
    add_instruments(db, region)
    db.session.commit()
    after = statements_for(app, client, db, path, first_after_publication)
    assert len(after) == len(before), (
        f"{page} ({path}): {len(before)} statements before and {len(after)} after adding 12 instruments "
        f"(an N+1?)\nbefore:\n{describe(before)}\nafter:\n{describe(after)}"
    )


# A valid contact submission (issue 17: POST /contact): the region, the repeat check on the one-time key, the chosen
# instruments, the employer, routing (rules, their pool, its workload), the unique reference, the inserts (employer,
# lead, its instruments, two events, the daily counts, two outbox messages). The e-mails are rendered by the outbox
# worker, not here. Measured on SQLite on 4 December 2026: 16 [22 before: the two e-mails rendered in the request,
# the municipality read, the new lead read back for the daily counts, the lead read again after the commit].
# PostgreSQL adds its advisory locks (services.leads.routing): per employer key and per pool rule.
POST_CONTACT_BOUND = 16
ADVISORY_LOCKS_BOUND = 3


def form_fields(client, path: str = "/contact") -> dict[str, str]:
    """The hidden fields of the form as a browser sends them back: the CSRF token and the one-time key."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return {field["name"]: field.get("value", "") for field in soup.find_all("input", attrs={"type": "hidden"})}


def test_a_contact_submission_is_bounded(app, client, db, uncached):
    from tests.public.test_contact import VALID

    for n in range(2):  # the first one warms up; the second is measured
        data = {
            **VALID,
            **form_fields(client),
            "company_name": f"Querytest {n} B.V.",
            "kvk": f"9{n:07d}",
            "email": f"info@querytest{n}.example.nl",
        }
        assert data.get("submission_key"), "the form carries its one-time key"
        db.session.expunge_all()  # a fresh request starts with an empty session
        with recorded_statements(app) as statements:
            response = client.post("/contact", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    locks = [s for s in statements if "pg_advisory_xact_lock" in s]
    counted = [s for s in statements if s not in locks]
    assert len(counted) <= POST_CONTACT_BOUND, (
        f"POST /contact: {len(counted)} statements > {POST_CONTACT_BOUND}\n{describe(counted)}"
    )
    assert len(locks) <= ADVISORY_LOCKS_BOUND, describe(locks)
