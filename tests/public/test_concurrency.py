"""Parallel contact-form submissions: nothing lost, nothing doubled, one owner per employer.

On PostgreSQL advisory locks serialise what must not interleave; on SQLite (the default set-up) every form
POST takes the write lock when its transaction begins (wsp_site/extensions.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.pages import csrf_token
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.models import Lead, OutboxMessage

THREADS = 10
ROUNDS = 5
SUBMISSIONS = THREADS * ROUNDS
EMPLOYERS = ROUNDS


def submission(n: int, employer: int) -> dict:
    return {
        "company_name": f"Parallel B.V. {employer}",
        "kvk": f"{70000000 + employer:08d}",
        "contact_name": f"Contact {n}",
        "email": f"persoon{n}@parallel{employer}.example.nl",
        "phone": "0301234567",
        "location": ["grootstad", "heidedorp", "polderdam", "bosrijk"][employer % 4],
        "sector": ["retail", "zorg", "techniek"][employer % 3],
        "size_band": ["10-49", "250+"][employer % 2],
        "request_type": ["vacature", "kandidaat", "instrument_vraag"][n % 3],
        "consent": "y",
    }


def test_parallel_submissions(committed_app):
    barrier = threading.Barrier(THREADS)

    def send(thread: int) -> list[int]:
        """In each round every thread submits for the same, new employer at the same moment."""
        client = committed_app.test_client()
        statuses = []
        for employer in range(ROUNDS):
            token = csrf_token(client, "/contact")
            barrier.wait(timeout=180)
            data = {"csrf_token": token, **submission(thread * ROUNDS + employer, employer)}
            statuses.append(client.post("/contact", data=data).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = [s for result in pool.map(send, range(THREADS)) for s in result]
    assert statuses == [303] * SUBMISSIONS

    with committed_app.app_context():
        leads = db.session.scalars(select(Lead)).all()
        assert len(leads) == SUBMISSIONS
        assert len({lead.reference for lead in leads}) == SUBMISSIONS
        messages = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert messages == 2 * SUBMISSIONS
        per_lead = db.session.execute(select(OutboxMessage.lead_id, func.count()).group_by(OutboxMessage.lead_id)).all()
        assert all(count == 2 for _, count in per_lead)
        owners: dict[str, set[int]] = {}
        employers: dict[str, set[int]] = {}
        for lead in leads:
            owners.setdefault(lead.kvk, set()).add(lead.owner_id)
            employers.setdefault(lead.kvk, set()).add(lead.employer_id)
        assert len(owners) == EMPLOYERS
        assert all(len(ids) == 1 for ids in owners.values()), owners
        assert all(len(ids) == 1 for ids in employers.values()), employers


def test_a_pool_shares_simultaneous_new_employers_out_evenly(committed_app):
    """Ten new employers at the same moment, one rule with a pool of two: five each, not ten for one."""
    from tests.factories import make_rule, make_user
    from wsp_site.services import catalogue

    with committed_app.app_context():
        region = catalogue.get_region(TEST_REGION)
        pool = [make_user(db, region, name=f"Pool Lid {n}") for n in (1, 2)]
        make_rule(db, region, pool, position=-1, sector=["overig"])
        pool_ids = {user.id for user in pool}
        db.session.commit()
    barrier = threading.Barrier(THREADS)

    def send(thread: int) -> int:
        client = committed_app.test_client()
        token = csrf_token(client, "/contact")
        barrier.wait(timeout=180)
        data = {"csrf_token": token, **submission(thread, 100 + thread), "sector": "overig"}
        return client.post("/contact", data=data).status_code

    with ThreadPoolExecutor(max_workers=THREADS) as executor:
        assert list(executor.map(send, range(THREADS))) == [303] * THREADS
    with committed_app.app_context():
        owners = db.session.scalars(select(Lead.owner_id).where(Lead.sector == "overig")).all()
    assert set(owners) == pool_ids
    assert sorted(owners.count(user_id) for user_id in pool_ids) == [THREADS // 2, THREADS // 2]
