"""Where the time of an uncached public page goes: cProfile (the standard library's profiler) in-process.

    .venv/bin/python benchmarks/profile_pages.py                 # every page, 60 requests each, top 25 entries
    .venv/bin/python benchmarks/profile_pages.py /contact POST   # some pages; POST = a valid contact submission
    .venv/bin/python benchmarks/profile_pages.py --smoke         # tiny: 3 requests per page

Set-up: a scratch SQLite database in a temporary folder, set up with `flask --app wsp_site wsp setup`, and the
app in this process as in production (WSP_ENV=production, PAGE_CACHE_ENABLED=false: what a cache miss costs,
CONTACT_RATE_LIMIT raised), driven by Flask's test client. For each page it prints the mean time per request
without the profiler (after a warm-up: the catalogue kept in memory, templates compiled), then with cProfile
the statements and Python function calls per request and the entries with the most cumulative time. The
profiler's own overhead makes every call slower, so compare shares, not milliseconds, with the wall-clock
figure; the function calls per request do not depend on the machine's load, the milliseconds do.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402

PAGES = [
    "/",
    "/instrumenten/jobcoaching",
    "/gemeenten/lopik",
    "/wegwijzer?situatie=bijstand&gemeente=lopik",
    "/zoeken?q=proefplaatsing",
    "/contact",
    "POST",
]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
HTTPS = {"base_url": "https://localhost"}  # production: secure cookies, CSRF checks the Referer


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", help="paths (default: all), POST for a contact submission")
    parser.add_argument("--smoke", action="store_true", help="tiny run for CI: 3 requests per page")
    parser.add_argument("--requests", type=int, default=60, help="requests per page (default 60)")
    parser.add_argument("--top", type=int, default=25, help="profile entries per page (default 25)")
    parser.add_argument("--statements", action="store_true", help="also print the SQL of one request per page")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.top = 3, 5
    return args


def make_app(workdir: Path):
    db = c.ScratchDB("sqlite", workdir)
    env = c.site_env(db, workdir, PAGE_CACHE_ENABLED="false", CONTACT_RATE_LIMIT="1000000 per minute")
    c.setup_site(db, env, workdir / "setup.log")
    os.environ.update({**env, "LOG_LEVEL": "WARNING"})
    sys.path.insert(0, str(c.ROOT))
    from wsp_site import create_app

    return create_app()


def requester(app):
    client = app.test_client()
    page = client.get("/contact", **HTTPS).get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    count = [0]

    def post():
        count[0] += 1
        key = f"profile{os.getpid()}x{count[0]:010d}"
        data = {
            "csrf_token": token, "company_name": f"Bedrijf {key}", "contact_name": "Contact", "consent": "y",
            "email": f"contact{count[0]}@{key}.example.nl", "phone": "06-12345678", "location": "lopik",
            "sector": "retail", "size_band": "10-49", "request_type": "instrument_vraag",
            "instruments": "jobcoaching", "message": "Bericht van de profielmeting.", "submission_key": key,
        }  # fmt: skip
        return client.post("/contact", data=data, headers={"Referer": "https://localhost/contact"}, **HTTPS)

    def hit(path: str) -> None:
        response = post() if path == "POST" else client.get(path, **HTTPS)
        expected = 303 if path == "POST" else 200
        if response.status_code != expected:
            raise RuntimeError(f"{path} answered {response.status_code}, not {expected}")

    return hit


def main(argv=None) -> int:
    args = parse_args(argv)
    c.heading("Uncached public pages in-process, profiled with cProfile")
    c.say(c.machine_line())
    app = make_app(c.make_workdir("profile"))
    from sqlalchemy import event

    from wsp_site.extensions import db

    hit = requester(app)
    statements = [0]
    recorded: list[str] = []

    def count(sql: str) -> None:
        if not TRANSACTION_CONTROL.match(sql):  # as tests/public/test_query_counts.py counts
            statements[0] += 1
            recorded.append(" ".join(sql.split())[:200])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda _c, _k, sql, *_a: count(sql))
    rows = []
    for path in args.pages or PAGES:
        for _ in range(3):
            hit(path)  # warm: templates compiled, the catalogue read
        started = time.perf_counter()
        for _ in range(args.requests):
            hit(path)
        ms = (time.perf_counter() - started) / args.requests * 1000
        statements[0] = 0
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            hit(path)
        profile.disable()
        per_request = statements[0] / args.requests
        stats = pstats.Stats(profile)
        calls = stats.total_calls / args.requests  # the same on a busy machine and a quiet one
        if args.statements:
            recorded.clear()
            hit(path)
            c.heading(f"{path}: the SQL of one request")
            c.say("\n".join(f"{i + 1:3}. {sql}" for i, sql in enumerate(recorded)))
        rows.append([path, f"{ms:.2f}", f"{per_request:.1f}", f"{calls:,.0f}"])
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats("cumulative").print_stats(args.top)
        c.heading(f"{path}: {ms:.2f} ms per request, {per_request:.1f} SQL statements (cProfile, by cumulative time)")
        c.say("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])
    c.heading("Summary (wall clock without the profiler)")
    c.say(c.machine_line())
    c.say(c.table(["page", "ms per request", "SQL statements", "Python function calls per request"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
