"""The candidate pool at scale: browsing and filtering /kandidaten and the API over 50,000 profiles, p95 per page
with the page cache off, beside a bare Flask app measured in the same run.

    .venv/bin/python benchmarks/pool.py                  # 50,000 profiles, SQLite and PostgreSQL (if reachable)
    .venv/bin/python benchmarks/pool.py --database sqlite
    .venv/bin/python benchmarks/pool.py --smoke          # 500 profiles, 3 repeats, SQLite only

Data: a scratch database set up with `flask wsp setup` (the Midden-Utrecht pack, its 30-odd demo profiles), then
N generated profiles inserted in bulk, seeded (random.Random(42)) so every run has the same data: spread over the
region's municipalities (skewed towards the big ones) and situations, 1-3 occupations from the shipped list,
1-2 work forms, hours, availability, education; 90 % approved once, 85 % with a consent in force (a tenth of
those showing health instruments), the rest withdrawn or expired; their facet rows (occupation, group, work form)
and bits as the model keeps them. Then ANALYZE, as autovacuum would have.

Timing: in-process with the Flask test client (no HTTP server, no network), PAGE_CACHE_ENABLED=false (the pool's
pages are never cached anyway) and rate limits off. Every page is fetched once to warm up, then R times; p50/p95
of the wall time and the SQL statements per request. The baseline, in the same run and process, is the bare
Flask app of benchmarks/bare_app.py through its own test client: what a request costs with no work at all.
Target: p95 < 50 ms for every pool page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402

sys.path.insert(0, str(c.ROOT))  # this checkout's wsp_site, also from a worktree (not the installed one)

TARGET_P95_MS = 50.0
BATCH = 5_000
SITUATIONS = ("bijstand", "nug", "ww", "wia", "ziektewet", "wajong", "doelgroepregister")
WORK_FORMS = ("regulier", "leerwerkplek", "basisbaan", "proefplaatsing", "werkervaringsplek")
EDUCATION = ("basisonderwijs", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo_vwo", "hbo", "wo")
DUTCH = ("a1", "a2", "b1", "b2", "c1", "moedertaal")
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def generate(app, count: int) -> dict:
    """Insert `count` profiles with consents and facets in bulk (SQLAlchemy Core: the same on both databases)."""
    from sqlalchemy import func, insert, select, text

    from wsp_site.extensions import db
    from wsp_site.models import CandidateConsent, CandidateFacet, CandidateProfile, Municipality, Region
    from wsp_site.models.candidate import facet_bits, occupations_text
    from wsp_site.services.pool import occupations

    rng = random.Random(42)
    started = time.monotonic()
    with app.app_context():
        session = db.session
        region = session.scalar(select(Region).filter_by(slug="midden-utrecht"))
        munis = session.execute(
            select(Municipality.id, Municipality.service_point_id)
            .filter_by(region_id=region.id)
            .order_by(Municipality.id)
        ).all()
        weights = [1 / (i + 1) for i in range(len(munis))]  # a few big municipalities, a tail of small ones
        codes = list(occupations.all_occupations())
        taken = set(session.scalars(select(CandidateProfile.code)))
        next_id = (session.scalar(select(func.max(CandidateProfile.id))) or 0) + 1
        now = dt.datetime.now(dt.UTC)
        today = now.date()
        profiles, consents, facets = [], [], []

        def flush() -> None:
            if profiles:
                session.execute(insert(CandidateProfile.__table__), profiles)
                session.execute(insert(CandidateConsent.__table__), consents)
                session.execute(insert(CandidateFacet.__table__), facets)
                profiles.clear(), consents.clear(), facets.clear()

        for n in range(count):
            pid = next_id + n
            while True:
                code = "K-" + "".join(rng.choice(ALPHABET) for _ in range(4))
                if code not in taken:
                    taken.add(code)
                    break
            muni_id, point_id = rng.choices(munis, weights)[0]
            wished = rng.sample(codes, rng.choice((1, 1, 2, 3)))
            forms = rng.sample(WORK_FORMS, rng.choice((1, 2)))
            low = rng.choice((0, 8, 12, 16, 20, 24))
            published = now - dt.timedelta(days=rng.randint(1, 330), minutes=rng.randint(0, 1440))
            approved = rng.random() < 0.9
            profiles.append(
                {
                    "id": pid, "region_id": region.id, "code": code,
                    "name": f"Benchkandidaat {n}", "contact": f"bench{n}@kandidaat.example.nl",
                    "situation": rng.choice(SITUATIONS), "municipality_id": muni_id, "consultant_id": None,
                    "service_point_id": point_id, "occupations": wished, "work_forms": forms,
                    "hours_min": low, "hours_max": min(40, low + rng.choice((8, 12, 16, 20))),
                    "available_from": today + dt.timedelta(days=rng.randint(-60, 180)),
                    "travel_km": rng.choice((5, 10, 15, 25, 40)), "education_level": rng.choice(EDUCATION),
                    "driving_licence": rng.random() < 0.5, "dutch_level": rng.choice(DUTCH),
                    "about": "Ik werk graag samen en leer snel.", "support": "Een vaste collega.",
                    "public_about": "Ik werk graag samen en leer snel." if approved else "",
                    "public_support": "Een vaste collega." if approved else "",
                    "review_status": "goedgekeurd" if approved else "ter_beoordeling",
                    "first_published_at": published if approved else None,
                    "approved_at": published if approved else None,
                    "created_at": published - dt.timedelta(days=1), "updated_at": published,
                }
            )  # fmt: skip
            roll = rng.random()
            expires = today + dt.timedelta(days=rng.randint(1, 360)) if roll < 0.95 else today
            withdrawn = now - dt.timedelta(days=3) if 0.85 <= roll < 0.95 else None
            # as the model keeps it on every flush (CandidateProfile.public_until_value)
            health = rng.random() < 0.1
            public = approved and withdrawn is None
            profiles[-1]["public_until"] = expires if public else None
            profiles[-1]["work_form_bits"], profiles[-1]["group_bits"] = facet_bits(wished, forms)
            profiles[-1]["public_show_health"] = health if public else None
            profiles[-1]["match_occupations"] = occupations_text(wished)
            consents.append(
                {
                    "profile_id": pid,
                    "recorded_at": published,
                    "text_version": "2026-12",
                    "scope": "werkgevers" if rng.random() < 0.7 else "werkgevers_bemiddelaars",
                    "show_health": health,
                    "expires_on": expires,
                    "withdrawn_at": withdrawn,
                }
            )
            values = {("work_form", f) for f in forms}
            for occ in wished:
                values |= {("occupation", occ), ("major_group", occ[:1]), ("sub_major_group", occ[:2])}
            facets += [{"profile_id": pid, "facet": f, "value": v} for f, v in sorted(values)]
            if len(profiles) >= BATCH:
                flush()
        flush()
        session.commit()
        dialect = db.engine.dialect.name
        with db.engine.connect() as conn:
            if dialect == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE)"))
            else:
                conn.execute(text("ANALYZE"))
                conn.commit()
        total = session.scalar(select(func.count(CandidateProfile.id)))
        facet_rows = session.scalar(select(func.count()).select_from(CandidateFacet))
    return {"seconds": time.monotonic() - started, "profiles": total, "facet rows": facet_rows}


class StatementCount:
    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.count += 1


def time_get(client, path: str, repeats: int, counter: StatementCount | None = None) -> dict:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}\n{response.get_data(as_text=True)[:500]}")
    times, statements = [], []
    for _ in range(repeats):
        if counter is not None:
            counter.count = 0
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        statements.append(counter.count if counter is not None else 0)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return {
        "p50_ms": c.percentile(times, 50),
        "p95_ms": c.percentile(times, 95),
        "max_ms": max(times),
        "queries": max(statements),
        "bytes": len(response.get_data()),
    }


def pages(app) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from wsp_site.extensions import db
    from wsp_site.models import CandidateProfile, ServicePoint

    with app.app_context():
        point = db.session.scalar(select(ServicePoint.slug).order_by(ServicePoint.id))
        code = db.session.scalar(
            select(CandidateProfile.code)
            .where(CandidateProfile.name.like("Benchkandidaat%"))
            .order_by(CandidateProfile.id)
        )
    return [
        ("/kandidaten (first page)", "/kandidaten"),
        ("filter work form", "/kandidaten?werkvorm=basisbaan"),
        ("filter occupation", "/kandidaten?beroep=9112"),
        ("filter occupation group", "/kandidaten?beroepsgroep=9"),
        ("filter instrument (no-riskpolis)", "/kandidaten?regeling=no-riskpolis"),
        ("filter instrument (loonkostensubsidie)", "/kandidaten?regeling=loonkostensubsidie"),
        ("filter sub-region", f"/kandidaten?gebied={point}"),
        ("filter hours + education", "/kandidaten?uren=20&opleiding=mbo2"),
        ("four filters", f"/kandidaten?werkvorm=regulier&beroepsgroep=9&gebied={point}&uren=24"),
        ("deep page (100)", "/kandidaten?pagina=100"),
        ("English list", "/en/kandidaten?werkvorm=leerwerkplek"),
        ("one profile", f"/kandidaten/{code}"),
        ("API list, 50 per page", "/api/v1/kandidaten?paginaGrootte=50"),
        ("API filtered", "/api/v1/kandidaten?werkvorm=proefplaatsing&paginaGrootte=50"),
    ]


def run_database(kind: str, args) -> list[dict]:
    c.heading(
        f"Candidate pool with {args.profiles:,} generated profiles ({'PostgreSQL' if kind == 'postgresql' else 'SQLite'})"
    )
    workdir = c.make_workdir("pool")
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
    filled = generate(app, args.profiles)
    c.say(
        f"generated in {filled['seconds']:.1f} s: {filled['profiles']:,} profiles, {filled['facet rows']:,} facet rows"
    )

    import bare_app

    bare = bare_app.app.test_client()
    client = app.test_client()
    with app.app_context():
        counter = StatementCount(db.engine)
    results = [{"page": "bare Flask (baseline)", "path": "/", **time_get(bare, "/", args.repeats)}]
    for name, path in pages(app):
        results.append({"page": name, "path": path, **time_get(client, path, args.repeats, counter)})
    base = results[0]["p95_ms"]
    rows = [
        [r["page"], c.fmt_ms(r["p50_ms"]), c.fmt_ms(r["p95_ms"]), r["queries"],
         c.fmt_ratio(r["p95_ms"] / base) if base else "-", f"{r['bytes'] / 1024:.0f}"]
        for r in results
    ]  # fmt: skip
    c.heading(f"Results, {scratch.label} ({args.repeats} timed requests per page; ratio = p95 / baseline p95)")
    c.say(c.table(["page", "p50 ms", "p95 ms", "SQL", "ratio", "KB"], rows))
    with app.app_context():
        db.engine.dispose()
    scratch.drop()
    return [{**r, "database": scratch.label} for r in results]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--smoke", action="store_true", help="500 profiles, 3 repeats, SQLite only")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.smoke:
        args.profiles, args.repeats, args.database = 500, 3, "sqlite"
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

    c.heading(f"Target: p95 < {TARGET_P95_MS:g} ms on every pool page (page cache off)")
    missed = []
    for r in results:
        if r["page"].startswith("bare Flask"):
            c.say(f"  {'':6} {r['database']}: {r['page']}: p95 {r['p95_ms']:.1f} ms")
            continue
        ok = r["p95_ms"] < TARGET_P95_MS
        missed += [] if ok else [r]
        c.say(
            f"  {'MET' if ok else 'MISSED':6} {r['database']}: {r['page']}: p95 {r['p95_ms']:.1f} ms, {r['queries']} queries"
        )
    path = c.save_results(
        "pool", {"profiles": args.profiles, "repeats": args.repeats, "results": results}, smoke=args.smoke
    )
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
