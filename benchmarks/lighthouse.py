"""Lighthouse scores of the public pages, against the bare Flask page in the same run.

    .venv/bin/python benchmarks/lighthouse.py            # 4 pages + baseline, 3 runs each (about 6 minutes)
    .venv/bin/python benchmarks/lighthouse.py --smoke    # home page + baseline, 1 run each

Lighthouse 12.2.3 is pinned in benchmarks/package.json (+ lock) and installed into benchmarks/node_modules
with `npm ci` on the first run (never committed). It drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium,
`--chrome-flags="--headless --no-sandbox --disable-gpu"`) with its default settings: mobile form factor and
simulated throttling (slow 4G, 4x CPU slowdown).

The site runs under gunicorn (README production set-up) on a scratch SQLite database, behind gzip as the
production web server compresses (gunicorn does not; benchmarks/gzip_app.py does it in WSGI, see there;
`--no-gzip` serves gunicorn's raw output). SITE_URL is the local address. The baseline is
benchmarks/bare_app.py under the same settings. Runs are interleaved (run 1 of every page, then run 2 ...)
so that a machine getting busier hurts all pages alike. Prints the median of each category per page, the
performance ratio to the baseline and every audit that kept a page from 100.
Targets: accessibility, best practices and SEO 100; performance >= 95.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = c.BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = [
    ("home", "/"),
    ("instrument", "/instrumenten/jobcoaching"),
    ("municipality", "/gemeenten/lopik"),
    ("contact", "/contact"),
]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def ensure_lighthouse() -> str:
    """Install the pinned Lighthouse into benchmarks/node_modules (npm ci from the lock) when missing."""
    if not LIGHTHOUSE.exists():
        npm = c.require_tool("npm", "install Node.js 18+ with npm")
        c.say("installing Lighthouse into benchmarks/node_modules (npm ci) ...")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=c.BENCH_DIR, check=True, timeout=600
        )
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, timeout=60).stdout
    if version.strip() != LIGHTHOUSE_VERSION:
        raise SystemExit(f"benchmarks/node_modules has Lighthouse {version.strip()!r}, expected {LIGHTHOUSE_VERSION}")
    return version.strip()


ATTEMPTS = 3  # Chromium on a busy shared machine now and then loses the navigation (NO_NAVSTART)


def run_lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run; a run that fails to load the page is tried again (and says so), up to ATTEMPTS."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _run_lighthouse_once(url, out)
        except RuntimeError as error:
            if attempt == ATTEMPTS:
                raise
            lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
            reason = lines[-1] if len(lines) > 1 else lines[0] if lines else "no output"
            c.say(f"  attempt {attempt} on {url} failed: {reason[:200]}; trying again")
            out.unlink(missing_ok=True)
    raise AssertionError("unreachable")


def _run_lighthouse_once(url: str, out: Path) -> dict:
    args = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({result.returncode}):\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    scores = {k: report["categories"][k]["score"] for k in CATEGORIES}
    if any(v is None for v in scores.values()):
        raise RuntimeError(f"lighthouse on {url} gave no score: {scores} {report.get('runWarnings')}")
    failed = {}
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if (
                audit.get("score") is not None
                and audit["score"] < 1
                and (ref.get("weight", 0) > 0 or category != "performance")
            ):
                failed[ref["id"]] = f"{category}: {audit['title']} ({audit.get('displayValue') or audit['score']})"
    metrics = {
        key: report["audits"][key].get("numericValue")
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
        )
    }
    return {"scores": {k: round(v * 100) for k, v in scores.items()}, "failed": failed, "metrics": metrics}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="home page and baseline, one run each")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median reported; default 3)")
    parser.add_argument("--no-gzip", action="store_true", help="serve gunicorn's uncompressed output")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    pages = PAGES[:1] if args.smoke else PAGES
    runs = 1 if args.smoke else args.runs
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium (Debian), or set CHROME_PATH")
    version = ensure_lighthouse()

    c.heading(f"Lighthouse {version} (mobile, simulated throttling), median of {runs} run(s)")
    c.say(c.machine_line())
    workdir = c.make_workdir("lighthouse")
    db = c.ScratchDB("sqlite", workdir)
    env = c.site_env(db, workdir)
    c.setup_site(db, env, workdir / "setup.log")
    site_spec, bare_spec = (
        ("wsp_site:create_app()", "bare_app:app") if args.no_gzip else ("gzip_app:site()", "gzip_app:bare()")
    )
    port = c.free_port()
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    site, base = c.start_gunicorn("site", site_spec, env, workdir, pythonpath=c.BENCH_DIR, port=port)
    bare, bare_base = c.start_gunicorn("bare", bare_spec, env, workdir, pythonpath=c.BENCH_DIR)
    c.say(f"site: gunicorn {' '.join(c.GUNICORN_ARGS)} '{site_spec}' at {base}; baseline: '{bare_spec}'")

    targets = [("bare Flask (baseline)", bare_base + "/"), *((name, base + path) for name, path in pages)]
    reports: dict[str, list[dict]] = {name: [] for name, _ in targets}
    for run in range(runs):
        for index, (name, url) in enumerate(targets):
            reports[name].append(run_lighthouse(url, workdir / f"lh-{index}-{run}.json"))
        c.say(f"  run {run + 1}/{runs} done")
    site.stop()
    bare.stop()

    medians = {name: {k: c.median([r["scores"][k] for r in rs]) for k in CATEGORIES} for name, rs in reports.items()}
    bare_perf = medians["bare Flask (baseline)"]["performance"]
    rows = []
    for name, m in medians.items():
        ratio = m["performance"] / bare_perf if bare_perf else 0.0
        lcp = c.median([r["metrics"]["largest-contentful-paint"] or 0 for r in reports[name]])
        tbt = c.median([r["metrics"]["total-blocking-time"] or 0 for r in reports[name]])
        rows.append([name, *(f"{m[k]:g}" for k in CATEGORIES), c.fmt_ratio(ratio), f"{lcp:.0f}", f"{tbt:.0f}"])
    c.heading("Results (median scores; perf ratio = performance / baseline's; LCP and TBT median, simulated ms)")
    c.say(c.table(["page", *CATEGORIES, "perf ratio", "LCP", "TBT"], rows))

    c.heading("Audits that kept a page below 100 (in any run)")
    any_failed = False
    for name, rs in reports.items():
        failed = {}
        for r in rs:
            failed.update(r["failed"])
        for text in sorted(failed.values()):
            any_failed = True
            c.say(f"  {name}: {text}")
    if not any_failed:
        c.say("  none")

    c.heading("Targets: accessibility, best practices, SEO 100; performance >= 95 (median)")
    missed = 0
    for name, _ in targets[1:]:
        m = medians[name]
        low = [f"{k} {m[k]:g}" for k in CATEGORIES if m[k] < TARGETS[k]]
        missed += bool(low)
        c.say(f"  {'MISSED' if low else 'MET':6} {name}" + (f": {', '.join(low)}" if low else ""))
    path = c.save_results(
        "lighthouse",
        {"version": version, "runs": runs, "gzip": not args.no_gzip, "medians": medians, "reports": reports},
        smoke=args.smoke,
    )
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
