"""The back office at scale: inbox, lead detail (and reports, when the site has them) with 100,000 leads and
20,000 employers on PostgreSQL; time and SQL query count per page, and the inbox query's plan.

    .venv/bin/python benchmarks/backoffice.py                 # 100,000 leads, 20,000 employers, 20 repeats
    .venv/bin/python benchmarks/backoffice.py --smoke         # 2,000 leads, 400 employers, 3 repeats

Data: a scratch database (`wsp_bench_<random>`, dropped afterwards) set up with `flask wsp setup` (the
Midden-Utrecht pack: 14 municipalities, 11 account managers), plus 29 generated account managers, then
filled with INSERT ... SELECT generate_series, seeded (setseed) so every run has the same data:
  - employers: 80 % with a KvK number, sectors and size bands spread, located mostly in Utrecht city;
    each with an account holder, skewed so some people hold many more employers than others;
  - leads over the last three years, from employers skewed (the biggest has about 100 leads); owner = the
    employer's account holder (85 %) or someone else; leads older than 60 days mostly closed, recent ones
    mostly new or in progress; about 10 % with a source (a municipal site); 75 % with instruments;
  - events: created + routed for every lead, start/close/refer/notes as the status says (~ 3.5 per lead).
Then VACUUM (ANALYZE), as autovacuum would have done on a real database.

Timing: in-process with the Flask test client (no HTTP server), signed in through the real sign-in form as
the coordinator (Marieke van Dalen) and as the account manager who owns the most leads. Every page is
fetched once to warm up, then R times; p50/p95 of the wall time and the number of SQL statements per
request (a SQLAlchemy before_cursor_execute listener). The baseline, in the same run, is the absence page
(/beheer/afwezigheid: a signed-in page with a form and almost no data). Then EXPLAIN (ANALYZE, BUFFERS)
of the inbox's list and count queries as the app sent them, and whether they used an index.
The filled leads bypass the app, so the leads counted per day that the reports read (lead_day_count,
wsp_site/services/reports/aggregates.py) are then rebuilt as `flask reports rebuild` does (its time printed).
The reports page is timed as a coordinator sees it again (warm), with a service point and a municipality
filter, and as the first view after a change: before every request one lead changes through the ORM and
commits (its sector, so the daily counts move in the same transaction), which also empties the reports'
cache. That change is timed too, beside the same change to a field the counts do not see.
At the end, at that size: the subject-request search (subject_requests.find for an address, p50/p95), the
retention purge as a dry run and for real (`flask privacy purge`: every closed lead older than its retention
period is anonymised), and the reports page once more after the purge.
Target: p95 < 150 ms for every page.

    .venv/bin/python benchmarks/backoffice.py --leads 1000000 --employers 200000 --keep-database
    .venv/bin/python benchmarks/backoffice.py --reuse-database postgresql://.../wsp_bench_xxxx  # filled before
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402

TARGET_P95_MS = 150.0
EXTRA_ACCOUNT_MANAGERS = 29
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "een lang wachtwoord voor de benchmark van de backoffice"

FILL_SQL = """
SELECT setseed(0.42);

INSERT INTO user_account (region_id, email, name, roles, service_point_id, active, failed_logins, created_at)
SELECT %(region)s, 'bench-am-' || g || '@example.nl', 'Bench Accountmanager ' || g, '["account_manager"]'::json,
       (SELECT id FROM service_point WHERE region_id = %(region)s ORDER BY id OFFSET (g %% 6) LIMIT 1),
       true, 0, now()
FROM generate_series(1, %(extra_ams)s) AS g;

CREATE TEMP TABLE bench_owner AS
SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM user_account
WHERE region_id = %(region)s AND roles::jsonb ? 'account_manager';
CREATE TEMP TABLE bench_muni AS
SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, slug FROM municipality WHERE region_id = %(region)s;

INSERT INTO employer (region_id, name, kvk, email_domain, sector, size_band, municipality_id, account_holder_id,
                      created_at)
SELECT %(region)s,
       'Werkgever ' || s.g || ' B.V.',
       CASE WHEN s.r_kvk < 0.8 THEN (20000000 + s.g)::text END,
       'werkgever' || s.g || '.example.nl',
       (ARRAY['retail','food','techniek','zorg','bouw','logistiek','zakelijke_dienstverlening','onderwijs',
              'overheid','horeca','overig'])[1 + floor(s.r_sector * 11)::int],
       (ARRAY['1-9','10-49','50-249','250+'])[1 + floor(power(s.r_size, 1.5) * 4)::int],
       m.id,
       o.id,
       now() - (s.r_age * 1100) * interval '1 day'
FROM (
  SELECT g, random() AS r_kvk, random() AS r_sector, random() AS r_size, random() AS r_age,
         floor(power(random(), 2) * (SELECT count(*) FROM bench_muni))::int AS muni_i,
         floor(power(random(), 1.3) * (SELECT count(*) FROM bench_owner))::int AS owner_i
  FROM generate_series(1, %(employers)s) AS g
) s
JOIN bench_muni m ON m.i = s.muni_i
JOIN bench_owner o ON o.i = s.owner_i
ORDER BY s.g;

CREATE TEMP TABLE bench_employer AS
SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, account_holder_id, name, kvk, email_domain, sector, size_band,
       municipality_id
FROM employer WHERE region_id = %(region)s;

CREATE TEMP TABLE bench_lead_src AS
SELECT g,
       floor(power(random(), 1.5) * %(employers)s)::int AS emp_i,
       now() - (power(random(), 0.7) * 1095) * interval '1 day' - random() * interval '10 hours' AS created_at,
       random() AS r_owner, random() AS r_status, random() AS r_type, random() AS r_muni, random() AS r_source,
       random() AS r_lang, random() AS r_other
FROM generate_series(1, %(leads)s) AS g;

INSERT INTO lead (region_id, reference, status_token_hash, status, outcome, request_type, company_name, kvk,
                  contact_name, email, phone, location_municipality_id, sector, size_band, message, language,
                  source, referrer, consent_at, employer_id, owner_id, routing_reason, created_at, due_on,
                  first_contact_at, closed_at, updated_at)
SELECT %(region)s,
       'WSP-B' || lpad(s.g::text, 8, '0'),
       md5('bench-token-' || s.g) || md5('bench-token-b-' || s.g),
       st.status,
       CASE WHEN st.status = 'closed'
            THEN (ARRAY['placed','advice','referred','no_match','duplicate','spam'])[1 + floor(s.r_other * 6)::int] END,
       (ARRAY['instrument_vraag','kandidaat','vacature','terugbellen','anders'])[1 + floor(s.r_type * 5)::int],
       e.name, e.kvk, 'Contactpersoon ' || s.g, 'contact' || s.g || '@' || e.email_domain,
       '+316' || lpad((s.g %% 100000000)::text, 8, '0'),
       CASE WHEN s.r_muni < 0.05 THEN NULL ELSE e.municipality_id END,
       e.sector, e.size_band, 'Bericht ' || s.g || ': wij zoeken een medewerker.',
       CASE WHEN s.r_lang < 0.9 THEN 'nl' ELSE 'en' END,
       CASE WHEN s.r_source < 0.1
            THEN (ARRAY['lopik.nl','houten.nl','utrecht.nl','zeist.nl','woerden.nl'])[1 + floor(s.r_source * 50)::int] END,
       NULL,
       s.created_at,
       e.id,
       CASE WHEN s.r_owner < 0.85 THEN e.account_holder_id
            ELSE (SELECT id FROM bench_owner WHERE i = floor(s.r_owner * 1000)::int %% (SELECT count(*) FROM bench_owner)) END,
       'Bekende werkgever (benchmarkdata)',
       s.created_at,
       (s.created_at + interval '3 days')::date,
       CASE WHEN st.status <> 'new' THEN s.created_at + interval '1 day' END,
       CASE WHEN st.status = 'closed' THEN s.created_at + interval '20 days' END,
       s.created_at
FROM bench_lead_src s
JOIN bench_employer e ON e.i = s.emp_i
CROSS JOIN LATERAL (
  SELECT CASE
    WHEN s.created_at < now() - interval '60 days' THEN
      CASE WHEN s.r_status < 0.93 THEN 'closed' WHEN s.r_status < 0.97 THEN 'referred'
           WHEN s.r_status < 0.99 THEN 'in_progress' ELSE 'new' END
    ELSE
      CASE WHEN s.r_status < 0.35 THEN 'new' WHEN s.r_status < 0.70 THEN 'in_progress'
           WHEN s.r_status < 0.80 THEN 'referred' ELSE 'closed' END
  END AS status
) st;

INSERT INTO lead_event (lead_id, at, actor_id, kind, data, note)
SELECT id, created_at, NULL::integer, 'created', json_build_object('source', source), NULL::text FROM lead WHERE region_id = %(region)s
UNION ALL
SELECT id, created_at, NULL::integer, 'routed', json_build_object('owner_id', owner_id, 'rule_id', NULL), routing_reason
FROM lead WHERE region_id = %(region)s
UNION ALL
SELECT id, first_contact_at, owner_id, 'start', json_build_object('from', 'new', 'to', 'in_progress'), NULL
FROM lead WHERE region_id = %(region)s AND first_contact_at IS NOT NULL
UNION ALL
SELECT id, created_at + interval '5 days', owner_id, 'note', '{}'::json, 'Gebeld; kandidaat voorgesteld.'
FROM lead WHERE region_id = %(region)s AND status <> 'new' AND id %% 3 = 0
UNION ALL
SELECT id, closed_at, owner_id, 'close', json_build_object('from', 'in_progress', 'to', 'closed', 'outcome', outcome),
       NULL
FROM lead WHERE region_id = %(region)s AND status = 'closed';

INSERT INTO lead_instrument (lead_id, instrument_id)
SELECT DISTINCT l.id, i.id
FROM lead l
CROSS JOIN LATERAL (SELECT generate_series(1, CASE WHEN l.id %% 4 = 0 THEN 0 WHEN l.id %% 7 = 0 THEN 2 ELSE 1 END) AS k) n
JOIN LATERAL (
  SELECT id FROM instrument WHERE region_id = %(region)s AND status = 'published'
  ORDER BY id OFFSET ((l.id * 7 + n.k * 13) %% (SELECT count(*) FROM instrument WHERE region_id = %(region)s
                                                     AND status = 'published')) LIMIT 1
) i ON true
WHERE l.region_id = %(region)s;
"""


class Reused:
    """A database filled by an earlier run (--keep-database), used as it is and kept."""

    kind, label = "postgresql", "PostgreSQL"

    def __init__(self, url: str, workdir: Path) -> None:
        self.url, self.workdir, self.name = url, workdir, url.rsplit("/", 1)[-1]

    def connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def drop(self) -> None:  # kept
        pass

    def counts(self) -> dict:
        with self.connect() as conn:
            return {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("employer", "lead", "lead_event", "lead_instrument", "user_account")
            }


def fill(db: c.ScratchDB, leads: int, employers: int) -> tuple[float, dict]:
    started = time.monotonic()
    with db.connect() as conn:
        region = conn.execute("SELECT id FROM region WHERE slug = 'midden-utrecht'").fetchone()[0]
        import psycopg

        with conn.transaction(), psycopg.ClientCursor(conn) as cursor:  # client-side binding: many statements
            cursor.execute(
                FILL_SQL,
                {"region": region, "leads": leads, "employers": employers, "extra_ams": EXTRA_ACCOUNT_MANAGERS},
            )
        conn.execute("VACUUM (ANALYZE)")  # as autovacuum would have: statistics and the visibility map
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("employer", "lead", "lead_event", "lead_instrument", "user_account")
        }
        counts["leads by status"] = dict(conn.execute("SELECT status, count(*) FROM lead GROUP BY status").fetchall())
    return time.monotonic() - started, counts


class QueryLog:
    """Every SQL statement the app sends, with the time from sending it to the cursor having its result."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.statements: list[tuple[str, object]] = []
        self.seconds = 0.0
        self._started: float | None = None
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:
        self.statements.append((statement, parameters))
        self._started = time.perf_counter()

    def _after(self, *_args) -> None:
        if self._started is not None:
            self.seconds += time.perf_counter() - self._started
            self._started = None

    def clear(self) -> None:
        self.statements.clear()
        self.seconds = 0.0


def sign_in(app, email: str):
    client = app.test_client()
    page = client.get("/beheer/inloggen").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post("/beheer/inloggen", data={"csrf_token": token, "email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {email} failed: {response.status_code}")
    return client


def reports_path(app) -> str | None:
    """The reports page, if the back office has one by now (an argument-free GET route about reports)."""
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint.startswith("backoffice.")
            and "GET" in rule.methods
            and not rule.arguments
            and any(word in rule.rule for word in ("rapport", "report"))
        ):
            return rule.rule
    return None


def time_page(client, path: str, log: QueryLog, repeats: int, before=None) -> dict:
    """`before` runs ahead of every timed request, untimed (e.g. emptying a cache to time the cold case)."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    times, queries, sql_times = [], [], []
    for _ in range(repeats):
        if before:
            before()
        log.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(len(log.statements))
        sql_times.append(log.seconds * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return {
        "p50_ms": c.percentile(times, 50),
        "p95_ms": c.percentile(times, 95),
        "max_ms": max(times),
        "sql_p50_ms": c.percentile(sql_times, 50),
        "queries": max(queries),
        "queries_min": min(queries),
        "bytes": len(response.get_data()),
        "load": os.getloadavg()[0],
    }


def explain(app, client, path: str, log: QueryLog) -> list[tuple[str, list[str]]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the inbox's count and list queries, exactly as the app sent them."""
    from wsp_site.extensions import db

    log.clear()
    client.get(path)
    wanted = []
    for statement, params in log.statements:
        flat = " ".join(statement.split())
        if "FROM lead_day_count" in flat:
            wanted.append(("counts per status (kept per owner)", statement, params))
        elif "FROM lead" in flat and "count(*)" in flat and "LIMIT" in flat:
            wanted.append(("counts per status (capped)", statement, params))
        elif flat.startswith("SELECT lead.id") and "LIMIT" in flat:
            wanted.append(("list page", statement, params))
    plans = []
    with app.app_context(), db.engine.connect() as conn:
        for name, statement, params in wanted:
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).all()
            plans.append((name, [row[0] for row in rows]))
    return plans


def privacy_at_size(app, sa_db, region_id: int, address: str, repeats: int, skip_purge: bool) -> dict:
    """The subject-request search (p50/p95 beside a `SELECT 1` through the same session) and the retention
    purge, dry run and for real, with whether the reports' figures stayed the same."""
    from sqlalchemy import select

    from wsp_site.clock import local_today
    from wsp_site.models import Region
    from wsp_site.services import reports as report_service
    from wsp_site.services.privacy import retention, subject_requests
    from wsp_site.services.reports.filters import ReportFilters

    def timed(action) -> list[float]:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
            sa_db.session.rollback()
        return times

    def figures(region) -> list:
        filters = ReportFilters.year_of(local_today())
        return [report.rows for report in report_service.build_all(sa_db.session, region, filters, local_today())]

    found: dict = {}
    with app.test_request_context():
        region = sa_db.session.get(Region, region_id)
        sa_db.session.execute(select(1))
        baseline = timed(lambda: sa_db.session.execute(select(1)).all())
        subject_requests.find(sa_db.session, region, address)
        search = timed(
            lambda: found.setdefault("leads", len(subject_requests.find(sa_db.session, region, address).leads))
        )
        c.heading("Privacy at this size")
        c.say(f"baseline, SELECT 1 through the session: p50 {c.percentile(baseline, 50):.1f} ms, "
              f"p95 {c.percentile(baseline, 95):.1f} ms")  # fmt: skip
        c.say(f"subject-request search (subject_requests.find, {found['leads']} leads for the address): "
              f"p50 {c.percentile(search, 50):.1f} ms, p95 {c.percentile(search, 95):.1f} ms")  # fmt: skip
        result = {"select_1_ms": baseline, "search_ms": search}
        if skip_purge:
            return result
        periods = retention.RetentionPeriods.from_config(app.config)
        now = dt.datetime.now(dt.UTC)
        before = figures(region)
        started = time.perf_counter()
        counts = retention.purge(sa_db.session, now, periods, dry_run=True)
        dry = time.perf_counter() - started
        sa_db.session.rollback()
        c.say(f"retention purge, dry run: {dry:.1f} s ({counts.line()})")
        started = time.perf_counter()
        counts = retention.purge(sa_db.session, now, periods)
        sa_db.session.commit()
        real = time.perf_counter() - started
        c.say(f"retention purge: {real:.1f} s ({counts.line()})")
        region = sa_db.session.get(Region, region_id)
        same = figures(region) == before
        c.say(f"reports' figures the same after the purge: {'yes' if same else 'NO'}")
        started = time.perf_counter()
        again = retention.purge(sa_db.session, now, periods)
        sa_db.session.commit()
        c.say(f"retention purge again (nothing to do): {time.perf_counter() - started:.1f} s ({again.line()})")
        sa_db.session.remove()
    return {**result, "purge_dry_s": dry, "purge_s": real, "figures_same": same}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--smoke", action="store_true", help="2,000 leads, 400 employers, 3 repeats")
    parser.add_argument(
        "--apply-sql",
        type=Path,
        help="SQL file run after filling (e.g. a proposed index), to measure a change before its migration exists",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database (prints its URL)")
    parser.add_argument(
        "--reuse-database",
        metavar="URL",
        help="a database kept by an earlier run (--keep-database): migrated to the head, not filled again, kept",
    )
    parser.add_argument("--no-purge", action="store_true", help="skip the retention purge (it changes the data)")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.smoke:
        args.leads, args.employers, args.repeats = 2_000, 400, 3
    if not c.postgres_available():
        raise SystemExit(f"PostgreSQL not reachable at {c.postgres_admin_url()} (set WSP_BENCH_POSTGRES_URL)")

    workdir = c.make_workdir("backoffice")
    if args.reuse_database:
        db = Reused(args.reuse_database, workdir)
        env = c.site_env(db, workdir)
        migrated = c.setup_site(db, env, workdir / "setup.log")  # migrations to the head (the pack unchanged)
        counts = db.counts()
        args.leads, args.employers = counts["lead"], counts["employer"]
        c.heading(f"Back office with {args.leads:,} leads and {args.employers:,} employers (PostgreSQL)")
        c.say(c.machine_line())
        c.say(f"database {db.name} reused: {counts}; migrated to the head in {migrated:.1f} s")
    else:
        c.heading(f"Back office with {args.leads:,} leads and {args.employers:,} employers (PostgreSQL)")
        c.say(c.machine_line())
        db = c.ScratchDB("postgresql", workdir)
        env = c.site_env(db, workdir)
        c.setup_site(db, env, workdir / "setup.log")
        took, counts = fill(db, args.leads, args.employers)
        c.say(f"database {db.name} filled in {took:.1f} s: {counts}")
    if args.apply_sql:
        with db.connect() as conn:
            conn.execute(args.apply_sql.read_text())
            conn.execute("VACUUM (ANALYZE)")
        c.say(f"applied {args.apply_sql} (what-if):\n  " + "\n  ".join(args.apply_sql.read_text().strip().splitlines()))
    if args.keep_database:
        c.forget(db.drop)
        c.say(f"keeping the database: {db.url}")

    from sqlalchemy import select

    from wsp_site import create_app
    from wsp_site.extensions import db as sa_db
    from wsp_site.models import Instrument, Lead, Region, ServicePoint, User
    from wsp_site.services.leads import inbox as inbox_service
    from wsp_site.services.people.auth import hash_password
    from wsp_site.services.reports import aggregates

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db.url.replace("postgresql://", "postgresql+psycopg://", 1),
            "SECRET_KEY": "benchmark",
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "MAIL_BACKEND": "console",
            "WSP_REGION": "midden-utrecht",
        }
    )
    with app.app_context():
        session = sa_db.session
        started = time.monotonic()
        if args.reuse_database:  # the migrations just filled them (or they were kept in step)
            day_rows = session.scalar(select(sa_db.func.count()).select_from(aggregates.TABLE))
        else:
            day_rows = aggregates.rebuild(session)
            session.commit()
        rebuild_s = time.monotonic() - started
        c.say(
            f"leads counted per day rebuilt (as `flask reports rebuild`) in {rebuild_s:.1f} s: {day_rows:,} rows"
            if not args.reuse_database
            else f"leads counted per day rebuilt: not again (reused database), {day_rows:,} rows"
        )
        with db.connect() as conn:
            conn.execute("VACUUM (ANALYZE) lead_day_count")
        busiest = session.execute(
            select(Lead.owner_id, sa_db.func.count()).group_by(Lead.owner_id).order_by(sa_db.func.count().desc())
        ).first()
        coordinator = session.scalar(select(User).filter_by(email="m.vandalen@example.nl"))
        manager = session.get(User, busiest[0])
        if manager.id == coordinator.id:  # the coordinator is an account manager too; take the next one
            manager = session.get(
                User,
                session.execute(
                    select(Lead.owner_id, sa_db.func.count())
                    .where(Lead.owner_id != coordinator.id)
                    .group_by(Lead.owner_id)
                    .order_by(sa_db.func.count().desc())
                ).first()[0],
            )
        hashed = hash_password(PASSWORD)
        coordinator.password_hash = hashed
        manager.password_hash = hashed
        coordinator_email, manager_email = coordinator.email, manager.email
        manager_leads = session.scalar(select(sa_db.func.count()).select_from(Lead).filter_by(owner_id=manager.id))
        jobcoaching = session.scalar(select(Instrument.id).filter_by(slug="jobcoaching"))
        biggest_employer = session.execute(
            select(Lead.employer_id, sa_db.func.count()).group_by(Lead.employer_id).order_by(sa_db.func.count().desc())
        ).first()
        big_lead = session.scalar(select(Lead.id).filter_by(employer_id=biggest_employer[0]).order_by(Lead.id.desc()))
        # The inbox pages by keyset: a deep page is the page after the lead in the middle of a sort.
        middle_due = session.scalar(select(Lead).order_by(Lead.due_on, Lead.id).offset(args.leads // 2).limit(1))
        middle_company = session.scalar(
            select(Lead).order_by(Lead.company_name, Lead.id).offset(args.leads // 2).limit(1)
        )
        cursor_due = inbox_service.cursor_for(middle_due, "due")
        cursor_company = inbox_service.cursor_for(middle_company, "company")
        typical_lead = session.scalar(
            select(Lead.id).filter_by(status="closed").order_by(Lead.id).offset(args.leads // 3)
        )
        own_lead = session.scalar(select(Lead.id).filter_by(owner_id=manager.id, status="in_progress"))
        changing_lead = session.scalar(select(Lead.id).filter_by(status="in_progress").order_by(Lead.id.desc()))
        point_slug = session.scalar(select(ServicePoint.slug).order_by(ServicePoint.id))
        region_id = session.scalar(select(Region.id).filter_by(slug="midden-utrecht"))
        subject_address = session.scalar(select(Lead.email).filter_by(status="in_progress").order_by(Lead.id))
        session.commit()
        log = QueryLog(sa_db.engine)
    c.say(f"coordinator: {coordinator_email}; account manager: {manager_email} (owns {manager_leads:,} leads); "
          f"biggest employer: {biggest_employer[1]} leads")  # fmt: skip

    as_coordinator = sign_in(app, coordinator_email)
    as_manager = sign_in(app, manager_email)
    pages = [
        ("baseline: absence page", as_manager, "/beheer/afwezigheid"),
        ("inbox mine (account manager)", as_manager, "/beheer/aanvragen"),
        ("inbox mine, closed too", as_manager, "/beheer/aanvragen?status=all"),
        ("inbox team (account manager)", as_manager, "/beheer/aanvragen?weergave=team"),
        ("inbox all (coordinator)", as_coordinator, "/beheer/aanvragen?weergave=all"),
        ("inbox all, closed too", as_coordinator, "/beheer/aanvragen?weergave=all&status=all"),
        ("filter municipality", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&gemeente=utrecht"),
        ("filter request type", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&type=vacature"),
        ("filter instrument", as_coordinator, f"/beheer/aanvragen?weergave=all&status=all&regeling={jobcoaching}"),
        ("filter overdue", as_coordinator, "/beheer/aanvragen?weergave=all&te_laat=1"),
        ("filter source (ILIKE)", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&bron=lopik"),
        ("sort newest", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&sorteer=newest"),
        ("sort company", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&sorteer=company"),
        ("deep page (middle, next)", as_coordinator, f"/beheer/aanvragen?weergave=all&status=all&na={cursor_due}"),
        (
            "deep page (middle, previous)",
            as_coordinator,
            f"/beheer/aanvragen?weergave=all&status=all&voor={cursor_due}",
        ),
        (
            "deep page (middle), sort company",
            as_coordinator,
            f"/beheer/aanvragen?weergave=all&status=all&sorteer=company&na={cursor_company}",
        ),
        ("deep page (last)", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&laatste=1"),
        ("team, filter request type", as_manager, "/beheer/aanvragen?weergave=team&status=all&type=vacature"),
        ("lead detail (typical)", as_coordinator, f"/beheer/aanvragen/{typical_lead}"),
        (f"lead detail (employer with {biggest_employer[1]} leads)", as_coordinator, f"/beheer/aanvragen/{big_lead}"),
        ("lead detail (own lead, account manager)", as_manager, f"/beheer/aanvragen/{own_lead}"),
    ]
    report = reports_path(app)
    change_times: dict[str, list[float]] = {"counted": [], "not counted": []}

    def change_a_lead(counted: bool = True) -> None:
        """One lead changes and commits, as a colleague's edit would: its sector (counted per day) or only its
        time of change (not counted). Either way the reports' cache no longer matches."""
        with app.app_context():
            started = time.perf_counter()
            lead = sa_db.session.get(Lead, changing_lead)
            if counted:
                lead.sector = "zorg" if lead.sector != "zorg" else "bouw"
            lead.updated_at = dt.datetime.now(dt.UTC)
            sa_db.session.commit()
            change_times["counted" if counted else "not counted"].append((time.perf_counter() - started) * 1000)
            sa_db.session.remove()

    if report:
        pages += [
            ("reports (warm)", as_coordinator, report),
            ("reports, first view after a change", as_coordinator, report),
            (f"reports, service point {point_slug} (warm)", as_coordinator, f"{report}?servicepunt={point_slug}"),
            ("reports, municipality utrecht (warm)", as_coordinator, f"{report}?gemeente=utrecht"),
            (
                f"reports, {point_slug} + utrecht, after a change",
                as_coordinator,
                f"{report}?servicepunt={point_slug}&gemeente=utrecht",
            ),
        ]

    results = []
    for name, client, path in pages:
        before = change_a_lead if "after a change" in name else None
        results.append({"page": name, "path": path, **time_page(client, path, log, args.repeats, before)})
    for _ in range(args.repeats):
        change_a_lead(counted=False)
    base = results[0]
    rows = [
        [r["page"], c.fmt_ms(r["p50_ms"]), c.fmt_ms(r["p95_ms"]), r["queries"], c.fmt_ms(r["sql_p50_ms"]),
         c.fmt_ratio(r["p95_ms"] / base["p95_ms"]) if base["p95_ms"] else "-", f"{r['bytes'] / 1024:.0f}",
         f"{r['load']:.1f}"]
        for r in results
    ]  # fmt: skip
    c.heading(f"Results ({args.repeats} timed requests per page, in-process test client; ratio = p95 / baseline p95)")
    c.say(c.table(["page", "p50 ms", "p95 ms", "SQL", "SQL ms p50", "ratio", "KB", "load"], rows))
    c.say("(SQL = statements per request; SQL ms = time spent in the database driver, the rest is Python;"
          " load = the 1-minute load average after the page)")  # fmt: skip
    if not report:
        c.say("(no reports page in the back office yet: not measured)")
    c.say(
        "a lead changed and committed (ORM): its sector, with the daily counts in the same transaction: "
        f"p50 {c.percentile(change_times['counted'], 50):.1f} ms, p95 {c.percentile(change_times['counted'], 95):.1f} ms;"
        f" baseline, only its time of change: p50 {c.percentile(change_times['not counted'], 50):.1f} ms, "
        f"p95 {c.percentile(change_times['not counted'], 95):.1f} ms"
    )

    c.heading("EXPLAIN (ANALYZE, BUFFERS) of the inbox queries")
    plans = {}
    for label, client, path in (
        ("inbox mine", as_manager, "/beheer/aanvragen"),
        ("inbox all", as_coordinator, "/beheer/aanvragen?weergave=all"),
        ("inbox all, sort newest", as_coordinator, "/beheer/aanvragen?weergave=all&status=all&sorteer=newest"),
    ):
        for name, plan in explain(app, client, path, log):
            key = f"{label}: {name}"
            plans[key] = plan
            indexes = sorted(
                set(
                    re.findall(
                        r"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)", "\n".join(plan)
                    )
                )
            )
            seq = [
                line.strip()
                for line in plan
                if "Seq Scan on lead " in line or line.strip().startswith("Seq Scan on lead")
            ]
            c.say(
                f"-- {key}: indexes used: {', '.join(indexes) or 'none'}; sequential scan of lead: {'yes' if seq else 'no'}"
            )
            for line in plan:
                c.say("   " + line)

    privacy = privacy_at_size(app, sa_db, region_id, subject_address, args.repeats, args.no_purge)
    if report and not args.no_purge:
        after = time_page(as_coordinator, report, log, args.repeats, change_a_lead)
        results.append({"page": "reports after the purge, first view after a change", "path": report, **after})
        c.say(f"reports after the purge, first view after a change: p50 {after['p50_ms']:.0f} ms, "
              f"p95 {after['p95_ms']:.0f} ms")  # fmt: skip

    c.heading(f"Target: p95 < {TARGET_P95_MS:g} ms on every page")
    missed = [r for r in results if r["p95_ms"] >= TARGET_P95_MS]
    for r in results:
        ok = r["p95_ms"] < TARGET_P95_MS
        c.say(f"  {'MET' if ok else 'MISSED':6} {r['page']}: p95 {r['p95_ms']:.0f} ms, {r['queries']} queries")
    path = c.save_results(
        "backoffice",
        {"leads": args.leads, "employers": args.employers, "repeats": args.repeats, "counts": counts,
         "results": results, "plans": plans, "privacy": privacy, "rebuild_s": rebuild_s, "day_rows": day_rows},
        smoke=args.smoke,
    )  # fmt: skip
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    with app.app_context():
        sa_db.engine.dispose()
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
