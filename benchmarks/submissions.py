"""No lead lost under load: contact-form submissions on PostgreSQL while the SMTP server is down, then
delivery by two outbox workers, each e-mail exactly once; and again with a worker killed mid-batch.

    .venv/bin/python benchmarks/submissions.py                      # N=1000 submissions, C=50 clients
    .venv/bin/python benchmarks/submissions.py -n 2000 -c 100
    .venv/bin/python benchmarks/submissions.py --smoke              # N=40, C=8, kill phase with 20

Set-up: a scratch PostgreSQL database (`wsp_bench_<random>`, dropped afterwards), the site under gunicorn
as the README's production set-up (`--workers 4`, WSP_ENV=production, Redis for the rate limits,
CONTACT_RATE_LIMIT raised to "100000 per minute" since every client is 127.0.0.1, MAIL_BACKEND=smtp), an
SMTP sink of our own (aiosmtpd, benchmarks/_smtp.py) on loopback ports that start closed, and two
`flask --app wsp_site outbox run --interval 1` workers, one SMTP port each.

Phase 1, SMTP down:
  - baseline: N GETs of /contact by the same C clients (the rate of the page the form lives on);
  - N submissions from C concurrent clients (each client fetched the form and its CSRF token once, then
    posts like a browser: a new TCP connection per request, its session cookie). About 10 % come from ten
    repeat employers (same KvK), so simultaneous submissions for one employer happen too. Every answer must
    be 303. The workers keep trying meanwhile and fail (connection refused): retried with backoff;
  - prints submissions/s, p50/p95 latency and the ratio to the GET baseline;
  - then the SMTP ports open. Instead of waiting out the backoff (1, 2, 4 ... minutes), the script makes
    pending messages due now (UPDATE next_attempt_at, repeated while it waits). It waits (bounded) until no
    message is pending or being sent, and checks: exactly N leads, 2N messages, all 'sent', and every
    Message-ID (`<outbox-ID@...>`) received exactly once by the SMTP sink.
Phase 2, a worker killed: the workers stop, M more submissions arrive, two workers start; worker A's SMTP
  port answers RCPT after a delay, and once A has delivered a few messages and waits at RCPT (so it holds a
  claimed batch and has not handed over the current message), A gets SIGKILL. Worker B is stopped with
  SIGTERM (it finishes its message and hands its unsent claims back). What is still 'sending' then is A's,
  under a 5-minute lease: the script moves those leases into the past instead of waiting 5 minutes. Two
  fresh workers deliver the rest. Checks: N+M leads, 2(N+M) messages, all sent, every Message-ID exactly
  once, and the killed batch was claimed again (attempts counted, the lease-expired error recorded).
Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import signal
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402
import _smtp  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MUNICIPALITIES = [
    "utrecht", "stichtse-vecht", "houten", "ijsselstein", "lopik", "nieuwegein", "montfoort", "oudewater",
    "woerden", "bunnik", "de-bilt", "utrechtse-heuvelrug", "wijk-bij-duurstede", "zeist", "buiten-regio",
]  # fmt: skip
SECTORS = ["retail", "food", "techniek", "zorg", "bouw", "logistiek", "zakelijke_dienstverlening", "horeca", "overig"]
SIZE_BANDS = ["1-9", "10-49", "50-249", "250+"]
REQUEST_TYPES = ["instrument_vraag", "kandidaat", "vacature", "terugbellen", "anders"]
INSTRUMENTS = ["jobcoaching", "loonkostensubsidie", "proefplaatsing", "werkervaringsplek", "loondispensatie"]
REPEAT_EMPLOYERS = 10
WORKER_ARGS = ("outbox", "run", "--interval", "1", "--batch", "50")


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


class Client:
    """One browser-like client: its own session cookie and CSRF token, a new connection per request."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"User-Agent": "wsp-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, data
        finally:
            conn.close()

    def fetch_form(self) -> None:
        status, body = self.request("GET", "/contact")
        match = CSRF_RE.search(body.decode("utf-8", "replace"))
        if status != 200 or match is None:
            raise RuntimeError(f"GET /contact: {status}, no CSRF token")
        self.token = match.group(1)


def submission(i: int, run_id: str, rng: random.Random) -> dict:
    """Form data of submission i: a new employer mostly, one of ten repeat employers sometimes."""
    if rng.random() < 0.1:
        n = rng.randrange(REPEAT_EMPLOYERS)
        company, kvk, domain = f"Vaste Klant {n} B.V.", f"{90000000 + n}", f"vasteklant{n}-{run_id}.example.nl"
    else:
        company, kvk, domain = f"Bedrijf {i} B.V.", f"{10000000 + i}", f"bedrijf{i}-{run_id}.example.nl"
    data = {
        "company_name": company,
        "kvk": kvk if rng.random() < 0.8 else "",
        "contact_name": f"Contact {i}",
        "email": f"contact{i}@{domain}",
        "phone": f"06-{10000000 + i % 89999999}",
        "location": rng.choice(MUNICIPALITIES),
        "sector": rng.choice(SECTORS),
        "size_band": rng.choice(SIZE_BANDS),
        "request_type": rng.choice(REQUEST_TYPES),
        "instruments": rng.sample(INSTRUMENTS, rng.randrange(3)),
        "message": f"Bericht {i} van de belastingtest.",
        "consent": "y",
        "bron": rng.choice(["lopik.nl", "houten.nl", "", ""]),
    }
    return data


def drive(base: str, clients: int, count: int, job, deadline_s: float) -> LoadResult:
    """`count` jobs over `clients` threads; job(client, i) -> (status, ms). Bounded by deadline_s."""
    parsed = urllib.parse.urlsplit(base)
    next_index = iter(range(count))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + deadline_s

    def worker():
        client = Client(parsed.hostname, parsed.port)
        try:
            client.fetch_form()
        except Exception as exc:
            with lock:
                errors.append(f"form: {exc}")
            return
        while time.monotonic() < deadline:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            try:
                status, ms = job(client, i)
            except Exception as exc:
                with lock:
                    errors.append(f"#{i}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic() + 5))
    return LoadResult(time.monotonic() - started, latencies, statuses, errors)


def get_contact(client: Client, _i: int) -> tuple[int, float]:
    started = time.perf_counter()
    status, _ = client.request("GET", "/contact")
    return status, (time.perf_counter() - started) * 1000


def make_poster(run_id: str, offset: int):
    def post(client: Client, i: int) -> tuple[int, float]:
        rng = random.Random(f"{run_id}-{offset + i}")
        data = {"csrf_token": client.token, **submission(offset + i, run_id, rng)}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        started = time.perf_counter()
        status, _ = client.request("POST", "/contact", body)
        return status, (time.perf_counter() - started) * 1000

    return post


def load_line(name: str, result: LoadResult) -> list:
    lat = result.latencies_ms
    return [
        name,
        len(lat),
        f"{result.rate:.1f}",
        c.fmt_ms(c.percentile(lat, 50)),
        c.fmt_ms(c.percentile(lat, 95)),
        c.fmt_ms(c.percentile(lat, 99)),
        " ".join(f"{k}:{v}" for k, v in sorted(result.statuses.items())),
        len(result.errors),
    ]


class Outbox:
    def __init__(self, db: c.ScratchDB) -> None:
        self.db = db
        # The region's own leads (the demo pack's vacancies) are there before the first submission: not counted.
        self.leads_before = self.query("SELECT count(*) FROM lead")[0][0]

    def query(self, sql: str, *params):
        with self.db.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def statuses(self) -> dict[str, int]:
        return dict(self.query("SELECT status, count(*) FROM outbox_message GROUP BY status"))

    def counts(self) -> tuple[int, int]:
        leads = self.query("SELECT count(*) FROM lead")[0][0] - self.leads_before
        messages = self.query("SELECT count(*) FROM outbox_message")[0][0]
        return leads, messages

    def make_due(self) -> int:
        with self.db.connect() as conn:
            cur = conn.execute(
                "UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending' AND next_attempt_at > now()"
            )
            return cur.rowcount

    def wait_until_delivered(self, timeout: float, fast_forward: bool) -> tuple[bool, float, int]:
        started = time.monotonic()
        moved = 0
        while time.monotonic() - started < timeout:
            if fast_forward:
                moved += self.make_due()
            s = self.statuses()
            if not s.get("pending") and not s.get("sending"):
                return True, time.monotonic() - started, moved
            time.sleep(0.5)
        return False, time.monotonic() - started, moved


def start_worker(name: str, env: dict, workdir: Path, smtp_port: int) -> c.Process:
    worker_env = {**env, "SMTP_PORT": str(smtp_port)}
    return c.Process(f"outbox worker {name}", c.flask_cmd(*WORKER_ARGS), worker_env, workdir / f"worker-{name}.log")


def verify(outbox: Outbox, recorder: _smtp.Recorder, leads_expected: int, checks: list[tuple[str, bool]]) -> dict:
    leads, messages = outbox.counts()
    statuses = outbox.statuses()
    ids, _ = recorder.snapshot()
    sent_ids = {f"outbox-{row[0]}" for row in outbox.query("SELECT id FROM outbox_message WHERE status = 'sent'")}
    received = {mid.strip("<>").split("@", 1)[0] for mid in ids}
    twice = {mid: n for mid, n in ids.items() if n > 1}
    checks += [
        (f"leads stored: {leads} (expected {leads_expected})", leads == leads_expected),
        (f"messages in the outbox: {messages} (expected {2 * leads_expected})", messages == 2 * leads_expected),
        (f"messages sent: {statuses.get('sent', 0)}; other statuses: "
         f"{ {k: v for k, v in statuses.items() if k != 'sent'} or 'none'}", statuses.get("sent", 0) == messages),
        (f"distinct Message-IDs received: {len(ids)} (expected {2 * leads_expected})", len(ids) == 2 * leads_expected),
        (f"Message-IDs received more than once: {len(twice)}", not twice),
        (f"every sent message received, nothing else received: {received == sent_ids}", received == sent_ids),
    ]  # fmt: skip
    return {"leads": leads, "messages": messages, "statuses": statuses, "duplicates": twice}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--submissions", type=int, default=1000, help="submissions in phase 1 (default 1000)")
    parser.add_argument("-c", "--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("-m", "--kill-submissions", type=int, default=300, help="submissions in phase 2 (default 300)")
    parser.add_argument("--smoke", action="store_true", help="tiny: N=40, C=8, M=20")
    args = parser.parse_args(argv)
    if args.smoke:
        args.submissions, args.clients, args.kill_submissions = 40, 8, 20
    n, clients, m = args.submissions, args.clients, args.kill_submissions
    if not c.postgres_available():
        raise SystemExit(f"PostgreSQL not reachable at {c.postgres_admin_url()} (set WSP_BENCH_POSTGRES_URL)")

    c.heading(f"Contact-form submissions on PostgreSQL: N={n} from C={clients} clients with SMTP down; kill test M={m}")
    c.say(c.machine_line())
    workdir = c.make_workdir("submissions")
    db = c.ScratchDB("postgresql", workdir)
    recorder = _smtp.Recorder()
    smtp_a, smtp_b = _smtp.Port(recorder, c.free_port()), _smtp.Port(recorder, c.free_port())
    c.on_exit(smtp_a.stop)
    c.on_exit(smtp_b.stop)
    env = c.site_env(
        db,
        workdir,
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_a.port),
        SMTP_SECURITY="none",
        SMTP_TIMEOUT="5",
        CONTACT_RATE_LIMIT="100000 per minute",
        SITE_URL="http://127.0.0.1",
    )
    c.setup_site(db, env, workdir / "setup.log")
    site, base = c.start_gunicorn("site", "wsp_site:create_app()", env, workdir, ready_path="/contact")
    c.say(f"database {db.name}; site: gunicorn {' '.join(c.GUNICORN_ARGS)} at {base}; "
          f"SMTP sink ports {smtp_a.port}, {smtp_b.port} (closed); rate-limit storage {env['RATELIMIT_STORAGE_URI']}")  # fmt: skip
    outbox = Outbox(db)
    run_id = f"{random.randrange(16**6):06x}"
    checks: list[tuple[str, bool]] = []
    budget = max(120.0, n / 2)

    # Phase 1 -------------------------------------------------------------------------------------------
    c.heading("Phase 1: SMTP down, two outbox workers trying")
    workers = [start_worker("1a", env, workdir, smtp_a.port), start_worker("1b", env, workdir, smtp_b.port)]
    for _ in range(2):  # warm up every gunicorn worker
        drive(base, 4, 8, get_contact, 30)
    baseline = drive(base, clients, n, get_contact, budget)
    posts = drive(base, clients, n, make_poster(run_id, 0), budget)
    attempted = outbox.query("SELECT count(*) FROM outbox_message WHERE attempts > 0")[0][0]
    rows = [load_line("GET /contact (baseline)", baseline), load_line("POST /contact (submission)", posts)]
    c.say(c.table(["request", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "statuses", "errors"], rows))
    ratio = posts.rate / baseline.rate if baseline.rate else 0.0
    c.say(f"submissions/s: {posts.rate:.1f} = {c.fmt_ratio(ratio)} the rate of GET /contact; "
          f"p95 {c.percentile(posts.latencies_ms, 95):.0f} ms")  # fmt: skip
    c.say(f"messages the workers tried (and failed) to send while SMTP was down: {attempted}")
    for error in posts.errors[:5]:
        c.say(f"  error: {error}")
    checks.append((f"every submission answered 303: {posts.statuses}", posts.statuses == {303: n}))

    smtp_a.start()
    smtp_b.start()
    delivered, waited, moved = outbox.wait_until_delivered(budget, fast_forward=True)
    c.say(f"SMTP up: outbox empty after {waited:.1f} s ({'ok' if delivered else 'TIMED OUT'}); "
          f"{moved} backoff(s) skipped by making pending messages due now")  # fmt: skip
    _, by_port = recorder.snapshot()
    c.say(f"delivered per worker: {dict(by_port)} (port {smtp_a.port}: worker 1a, {smtp_b.port}: worker 1b)")
    checks.append((f"outbox emptied within {budget:.0f} s", delivered))
    phase1 = verify(outbox, recorder, n, checks)
    for worker in workers:
        worker.stop()

    # Phase 2 -------------------------------------------------------------------------------------------
    c.heading("Phase 2: a worker killed (SIGKILL) in the middle of a batch")
    posts2 = drive(base, clients, m, make_poster(run_id, n), budget)
    checks.append((f"phase 2: every submission answered 303: {posts2.statuses}", posts2.statuses == {303: m}))
    before_kill = recorder.total
    a_before = recorder.snapshot()[1][smtp_a.port]
    smtp_a.handler.rcpt_delay = 0.3
    # Worker 2a starts alone, so it certainly holds a claimed batch when it is killed; 2b joins afterwards.
    worker_a = start_worker("2a", env, workdir, smtp_a.port)
    threshold = 3 if args.smoke else 10
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline and worker_a.alive():
        _, by_port = recorder.snapshot()
        if by_port[smtp_a.port] - a_before >= threshold and smtp_a.handler.waiting_in_rcpt.is_set():
            worker_a.signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.005)
    worker_a.wait(10)
    worker_b = start_worker("2b", env, workdir, smtp_b.port)
    time.sleep(1.0)
    sending_at_kill = outbox.statuses().get("sending", 0)
    c.say(f"worker 2a {'killed with SIGKILL' if killed else 'NOT killed (never reached the kill point)'} after "
          f"{recorder.total - before_kill} deliveries of this phase; messages 'sending' right after: {sending_at_kill}")  # fmt: skip
    checks.append(("worker killed mid-batch", killed))
    worker_b.stop(timeout=60)
    orphaned = outbox.query("SELECT id FROM outbox_message WHERE status = 'sending'")
    c.say(f"worker 2b stopped with SIGTERM; left 'sending' under the dead worker's lease: {len(orphaned)}")
    checks.append(("the dead worker held claimed messages", len(orphaned) > 0))
    with db.connect() as conn:
        conn.execute("UPDATE outbox_message SET locked_until = now() - interval '1 second' WHERE status = 'sending'")
    c.say("their leases moved into the past (instead of waiting 5 minutes); two fresh workers start")
    smtp_a.handler.rcpt_delay = 0.0
    workers = [start_worker("2c", env, workdir, smtp_a.port), start_worker("2d", env, workdir, smtp_b.port)]
    delivered, waited, _ = outbox.wait_until_delivered(budget, fast_forward=False)
    c.say(f"outbox empty after {waited:.1f} s ({'ok' if delivered else 'TIMED OUT'})")
    checks.append((f"phase 2: outbox emptied within {budget:.0f} s", delivered))
    reclaimed = outbox.query(
        "SELECT count(*) FROM outbox_message WHERE id = ANY(%s) AND attempts >= 1 AND last_error LIKE %s",
        [row[0] for row in orphaned],
        "%lease expired%",
    )[0][0]
    checks.append((f"killed batch claimed again with the lease-expired error: {reclaimed}/{len(orphaned)}",
                   reclaimed == len(orphaned)))  # fmt: skip
    phase2 = verify(outbox, recorder, n + m, checks)
    for worker in workers:
        worker.stop()
    site.stop()

    c.heading("Checks")
    failed = 0
    for text, ok in checks:
        failed += not ok
        c.say(f"  {'ok    ' if ok else 'FAILED'} {text}")
    path = c.save_results(
        "submissions",
        {
            "n": n,
            "clients": clients,
            "m": m,
            "baseline_get_per_s": baseline.rate,
            "submissions_per_s": posts.rate,
            "ratio": ratio,
            "post_p50_ms": c.percentile(posts.latencies_ms, 50),
            "post_p95_ms": c.percentile(posts.latencies_ms, 95),
            "get_p95_ms": c.percentile(baseline.latencies_ms, 95),
            "phase1": phase1,
            "phase2": phase2,
            "orphaned_by_kill": len(orphaned),
            "checks": [{"check": t, "ok": ok} for t, ok in checks],
        },
        smoke=args.smoke,
    )
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    c.say("RESULT: " + ("all checks passed" if not failed else f"{failed} check(s) FAILED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
