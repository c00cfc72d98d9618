"""Matching at scale: one vacancy against 50,000 generated published candidates, and one candidate against 5,000
open vacancies (services.matching), p50/p95 beside a bare Flask app measured in the same run.

    .venv/bin/python benchmarks/matching.py                  # 50,000 candidates, 5,000 vacancies, both databases
    .venv/bin/python benchmarks/matching.py --database sqlite
    .venv/bin/python benchmarks/matching.py --smoke          # 300 candidates, 100 vacancies, 3 repeats, SQLite

Data: a scratch database set up with `flask wsp setup` (the Midden-Utrecht pack), then the candidates of
benchmarks/pool.py (the same seeded generator, bulk-inserted: about three in four published) until at least
--candidates are published, and --vacancies open vacancies (each with its lead, as intake stores them)
inserted in bulk, seeded (random.Random(7)): occupations from the shipped list, 1-3 work forms, hours,
workplace municipalities of the region, some must-haves. Then ANALYZE.

Timing: in-process, in a request context (the reasons are worded in the request's language), a fresh database
session per call as a request has, what the back office pages call: `candidate_page(vacancy)` (every match
ranked and counted; reasons and instruments for the first page of service.PAGE_SIZE) and
`vacancy_page(profile)`. Each is called once to warm up, then R times. The baseline, in the same run and
process, is the bare Flask app of benchmarks/bare_app.py through its test client. "matches" is the total.
Target: p95 < 200 ms for both directions.

With --compare (on in --smoke) the ranking is checked against the rule-by-rule reference (rules.evaluate() on
every published profile and every open vacancy: services.matching.reference): the same
matches in the same order with the same scores. Slow at full size (every profile as an object).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402
import pool as pool_bench  # noqa: E402 - the candidate generator

TARGET_P95_MS = 200.0
BATCH = 2_000
DEEP_PAGE = 300  # a page deep in a vacancy's candidates (the last one when there are fewer)
PUBLISHED_SHARE = 0.75  # about this share of pool_bench's profiles is published (approved, consent in force)


def generate_vacancies(app, count: int) -> dict:
    """Insert `count` open vacancies, each with its lead, in bulk (SQLAlchemy Core: the same on both databases)."""
    from sqlalchemy import func, insert, select, text

    from wsp_site.extensions import db
    from wsp_site.models import Employer, Lead, Municipality, Region, User, Vacancy
    from wsp_site.services.pool import occupations

    rng = random.Random(7)
    started = time.monotonic()
    with app.app_context():
        session = db.session
        region = session.scalar(select(Region).filter_by(slug="midden-utrecht"))
        munis = session.scalars(select(Municipality.id).filter_by(region_id=region.id).order_by(Municipality.id)).all()
        owner = session.scalar(select(User.id).order_by(User.id))
        codes = list(occupations.all_occupations())
        now = dt.datetime.now(dt.UTC)
        today = now.date()
        employer_ids = []
        for n in range(50):
            employer_ids.append(
                session.execute(
                    insert(Employer.__table__).values(
                        region_id=region.id, name=f"Benchwerkgever {n} B.V.", email_domain=f"bench{n}.example.nl"
                    )
                ).inserted_primary_key[0]
            )
        next_lead = (session.scalar(select(func.max(Lead.id))) or 0) + 1
        leads, vacancies = [], []

        def flush() -> None:
            if leads:
                session.execute(insert(Lead.__table__), leads)
                session.execute(insert(Vacancy.__table__), vacancies)
                leads.clear(), vacancies.clear()

        for n in range(count):
            lead_id = next_lead + n
            employer = rng.choice(employer_ids)
            created = now - dt.timedelta(days=rng.randint(1, 60))
            low = rng.choice((8, 12, 16, 20, 24, 32))
            leads.append(
                {
                    "id": lead_id, "region_id": region.id, "reference": f"BV-{n:06d}",
                    "status_token_hash": hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
                    "status": "in_progress", "request_type": "vacature", "company_name": f"Benchwerkgever {employer}",
                    "contact_name": "Benchcontact", "email": f"vacature{n}@bench.example.nl", "phone": "",
                    "sector": rng.choice(("zorg", "bouw", "logistiek", "retail", "techniek")), "size_band": "10-49",
                    "consent_at": created, "employer_id": employer, "owner_id": owner,
                    "routing_reason": "benchmark", "created_at": created, "due_on": created.date(),
                    "updated_at": created,
                }
            )  # fmt: skip
            vacancies.append(
                {
                    "region_id": region.id, "lead_id": lead_id, "employer_id": employer, "owner_id": owner,
                    "status": rng.choice(("open", "open", "proposed")), "title": f"Benchvacature {n}",
                    "occupation": rng.choice(codes), "places": rng.choice((1, 1, 2, 3)),
                    "work_forms": rng.sample(pool_bench.WORK_FORMS, rng.choice((1, 2, 3))),
                    "hours_min": low, "hours_max": min(40, low + rng.choice((0, 8, 16))),
                    "municipality_id": rng.choice(munis), "start_on": today + dt.timedelta(days=rng.randint(0, 90)),
                    "contract_length": "6_12",
                    "education_min": rng.choice((None, None, "mbo2", "vmbo")),
                    "licence_required": rng.random() < 0.2, "dutch_min": rng.choice((None, None, "a2", "b1")),
                    "wishes": "", "carving_tasks": "", "support_notes": "", "support_coach": False,
                    "support_adaptations": False, "public": False,
                    "closes_on": today + dt.timedelta(days=60), "created_at": created, "version": 1,
                }
            )  # fmt: skip
            if len(leads) >= BATCH:
                flush()
        flush()
        session.commit()
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE)"))
            else:
                conn.execute(text("ANALYZE"))
                conn.commit()
        total = session.scalar(select(func.count(Vacancy.id)).where(Vacancy.status.in_(("open", "proposed"))))
    return {"seconds": time.monotonic() - started, "open vacancies": total}


def subjects(app) -> tuple[int, int, int]:
    """The vacancy to match (a cleaner, regular job or trial placement, 24-32 hours, in the region's first
    municipality: a common one) and a published generated candidate; and the number of published candidates."""
    from sqlalchemy import func, select, update

    from wsp_site.extensions import db
    from wsp_site.models import CandidateProfile, Region, Vacancy
    from wsp_site.services.pool.public import published_query

    with app.app_context():
        region = db.session.scalar(select(Region).filter_by(slug="midden-utrecht"))
        today = dt.date.today()
        vacancy_id = db.session.scalar(
            select(Vacancy.id).where(Vacancy.title.like("Benchvacature%")).order_by(Vacancy.id)
        )
        db.session.execute(
            update(Vacancy)
            .where(Vacancy.id == vacancy_id)
            .values(occupation="9112", work_forms=["regulier", "proefplaatsing"], hours_min=24, hours_max=32)
        )
        db.session.commit()
        query = published_query(region, today)
        profile_id = db.session.scalar(
            query.with_only_columns(CandidateProfile.id)
            .where(CandidateProfile.name.like("Benchkandidaat%"))
            .order_by(CandidateProfile.id)
        )
        published = db.session.scalar(query.with_only_columns(func.count(CandidateProfile.id)))
    return vacancy_id, profile_id, published


def time_call(app, call, repeats: int) -> dict:
    """`call()` in a request context with a fresh session each time; the first call warms up."""
    from wsp_site.extensions import db

    times, found = [], 0
    with app.test_request_context("/beheer/"):
        for n in range(repeats + 1):
            db.session.remove()
            started = time.perf_counter()
            found = call().total
            if n:
                times.append((time.perf_counter() - started) * 1000)
        db.session.remove()
    return {"p50_ms": c.percentile(times, 50), "p95_ms": c.percentile(times, 95), "max_ms": max(times), "found": found}


def compare_with_reference(app, vacancy_id: int, profile_id: int) -> str:
    """The fast ranking against the rule-by-rule reference, both directions; raises when they differ."""
    from wsp_site.extensions import db
    from wsp_site.models import CandidateProfile, Vacancy
    from wsp_site.services.matching import reference as by_rules
    from wsp_site.services.matching import service

    today = dt.date.today()
    with app.test_request_context("/beheer/"):
        vacancy, profile = db.session.get(Vacancy, vacancy_id), db.session.get(CandidateProfile, profile_id)
        pairs = [
            (service.rank_candidates(vacancy, today), by_rules.candidates(vacancy, today)),
            (service.rank_vacancies(profile, today), by_rules.vacancies(profile, today)),
        ]
        for fast, reference in pairs:
            if [(r.id, r.score) for r in fast] != [(i, e.score) for i, e in reference]:
                raise SystemExit("the fast ranking differs from the rule-by-rule reference")
        # The pages the back office shows (services.matching.classes): the first, the second, one in the middle
        # and the last, each exactly the reference's slice.
        reference = [(i, e.score) for i, e in pairs[0][1]]
        size = service.PAGE_SIZE
        last = max(1, -(-len(reference) // size))
        numbers = sorted({1, min(2, last), max(1, last // 2), last})
        for number in numbers:
            page = service.candidate_page(vacancy, today=today, page=number)
            shown = [(m.profile.id, m.score) for m in page.matches]
            if (page.total, shown) != (len(reference), reference[(number - 1) * size : number * size]):
                raise SystemExit(f"page {number} of the vacancy's candidates differs from the reference")
        db.session.remove()
    return (
        f"ranking = rule-by-rule reference: {len(pairs[0][1]):,} and {len(pairs[1][1]):,} matches, same order; "
        f"pages {', '.join(map(str, numbers))} of the vacancy's candidates the same"
    )


def run_database(kind: str, args) -> list[dict]:
    label = "PostgreSQL" if kind == "postgresql" else "SQLite"
    c.heading(f"Matching: {args.candidates:,} published candidates, {args.vacancies:,} open vacancies ({label})")
    workdir = c.make_workdir("matching")
    scratch = c.ScratchDB(kind, workdir)
    env = c.site_env(scratch, workdir, PAGE_CACHE_ENABLED="false", RATELIMIT_ENABLED="false")
    c.setup_site(scratch, env, workdir / "setup.log")

    from wsp_site import create_app
    from wsp_site.extensions import db

    url = scratch.url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "benchmark",
            "RATELIMIT_ENABLED": False,
            "PAGE_CACHE_ENABLED": False,
            "MAIL_BACKEND": "console",
            "WSP_REGION": "midden-utrecht",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    filled = pool_bench.generate(app, round(args.candidates / PUBLISHED_SHARE))
    c.say(f"candidates generated in {filled['seconds']:.1f} s: {filled['profiles']:,} profiles")
    made = generate_vacancies(app, args.vacancies)
    c.say(f"vacancies generated in {made['seconds']:.1f} s: {made['open vacancies']:,} open")
    vacancy_id, profile_id, published = subjects(app)
    c.say(f"published candidates today: {published:,}")

    import bare_app

    from wsp_site.models import CandidateProfile, Vacancy
    from wsp_site.services.matching import service

    def one_vacancy():
        return service.candidate_page(db.session.get(Vacancy, vacancy_id))

    def deep_page():
        return service.candidate_page(db.session.get(Vacancy, vacancy_id), page=DEEP_PAGE)

    def one_candidate():
        return service.vacancy_page(db.session.get(CandidateProfile, profile_id))

    if args.compare:
        c.say(compare_with_reference(app, vacancy_id, profile_id))

    results = [
        {"case": "bare Flask (baseline)", **pool_bench.time_get(bare_app.app.test_client(), "/", args.repeats)},
        {"case": f"one vacancy against {published:,} candidates", **time_call(app, one_vacancy, args.repeats)},
        {"case": f"the same, page {DEEP_PAGE}", **time_call(app, deep_page, args.repeats)},
        {
            "case": f"one candidate against {made['open vacancies']:,} vacancies",
            **time_call(app, one_candidate, args.repeats),
        },
    ]
    base = results[0]["p95_ms"]
    rows = [
        [r["case"], c.fmt_ms(r["p50_ms"]), c.fmt_ms(r["p95_ms"]), c.fmt_ratio(r["p95_ms"] / base) if base else "-",
         r.get("found", "-")]
        for r in results
    ]  # fmt: skip
    c.heading(f"Results, {scratch.label} ({args.repeats} timed calls each; ratio = p95 / baseline p95)")
    c.say(c.table(["case", "p50 ms", "p95 ms", "ratio", "matches"], rows))
    with app.app_context():
        db.engine.dispose()
    scratch.drop()
    return [{**r, "database": scratch.label} for r in results]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=50_000, help="published candidates (default 50,000)")
    parser.add_argument("--vacancies", type=int, default=5_000, help="open vacancies (default 5,000)")
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per case (default 20)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--smoke", action="store_true", help="300 candidates, 100 vacancies, 3 repeats, SQLite")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--compare", action="store_true", help="check the ranking against the rule-by-rule path")
    args = parser.parse_args(argv)
    if args.smoke:
        args.candidates, args.vacancies, args.repeats, args.database = 300, 100, 3, "sqlite"
        args.compare = True
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in kinds and not c.postgres_available():
        if args.database == "postgresql":
            raise SystemExit(f"PostgreSQL not reachable at {c.postgres_admin_url()} (set WSP_BENCH_POSTGRES_URL)")
        c.say(f"(PostgreSQL not reachable at {c.postgres_admin_url()}: SQLite only)")
        kinds.remove("postgresql")
    c.say(c.machine_line())
    results = []
    for kind in kinds:
        results += run_database(kind, args)

    c.heading(f"Target: p95 < {TARGET_P95_MS:g} ms for matching in both directions")
    missed = []
    for r in results:
        if r["case"].startswith("bare Flask"):
            c.say(f"  {'':6} {r['database']}: {r['case']}: p95 {r['p95_ms']:.1f} ms")
            continue
        ok = r["p95_ms"] < TARGET_P95_MS
        missed += [] if ok else [r]
        c.say(f"  {'MET' if ok else 'MISSED':6} {r['database']}: {r['case']}: p95 {r['p95_ms']:.1f} ms")
    path = c.save_results(
        "matching",
        {"candidates": args.candidates, "vacancies": args.vacancies, "repeats": args.repeats, "results": results},
        smoke=args.smoke,
    )
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
