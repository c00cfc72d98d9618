"""Page weight: what a first visit to each public page type transfers, measured in a real browser.

    .venv/bin/python benchmarks/weight.py            # every public page type
    .venv/bin/python benchmarks/weight.py --smoke    # home and instrument page only

The site runs under gunicorn (README production set-up) on a scratch SQLite database. Each page is loaded in
a fresh browser context (empty cache: a first visit) in Debian's headless Chromium driven by Playwright
(`executable_path=/usr/bin/chromium`, `--no-sandbox`); every response the page caused is recorded: HTML,
CSS, JS, images, fonts, whatever.

Compression: gunicorn itself does not compress; in production the web server in front of it does (README,
"Deployment": gzip or brotli). So this script compresses each response body itself with gzip level 6 (the
usual default of web servers' gzip) and reports those bytes, plus the response headers as sent (counted
uncompressed, HTTP/1.1), as the transfer size. Bodies that are already compressed (images other than SVG,
fonts) count as they are. The baseline, measured in the same run, is the HTML of the bare Flask page
(benchmarks/bare_app.py), gzipped the same way, to give the ratios a fixed point.

Also checked: zero third-party requests (anything not from the site's own origin fails the run) and the
render-blocking requests (stylesheets without a non-matching media query, and scripts in <head> without
defer/async/module), cross-checked with Chromium's Resource Timing `renderBlockingStatus`.
Targets: an instrument page under 60 KB compressed; at most 1 render-blocking request.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c  # noqa: E402

CHROMIUM = Path(os.environ.get("WSP_BENCH_CHROMIUM", "/usr/bin/chromium"))
GZIP_LEVEL = 6
ALREADY_COMPRESSED = ("image/png", "image/jpeg", "image/webp", "image/avif", "image/gif", "font/woff", "font/woff2")
PAGES = [
    ("home", "/"),
    ("instruments list", "/instrumenten"),
    ("instrument", "/instrumenten/jobcoaching"),
    ("instrument (English)", "/en/instrumenten/jobcoaching"),
    ("municipalities list", "/gemeenten"),
    ("municipality", "/gemeenten/lopik"),
    ("finder (empty)", "/wegwijzer"),
    ("finder result", "/wegwijzer?situatie=bijstand&gemeente=lopik"),
    ("search result", "/zoeken?q=proefplaatsing"),
    ("contact", "/contact"),
    ("for municipalities", "/voor-gemeenten"),
    ("accessibility", "/toegankelijkheid"),
    ("privacy", "/privacy"),
]
SMOKE_PAGES = ("home", "instrument")
TARGET_PAGE = "instrument"
TARGET_KB = 60
TARGET_BLOCKING = 1

RENDER_BLOCKING_JS = """
() => {
  const blocking = [];
  for (const link of document.head.querySelectorAll('link[rel~="stylesheet"]')) {
    const media = link.getAttribute('media');
    if (!link.disabled && (!media || window.matchMedia(media).matches)) blocking.push('css ' + link.href);
  }
  for (const script of document.head.querySelectorAll('script[src]')) {
    if (!script.defer && !script.async && script.type !== 'module') blocking.push('js ' + script.src);
  }
  for (const el of document.head.querySelectorAll('style, script:not([src])')) blocking.push('inline ' + el.tagName);
  const timing = performance.getEntriesByType('resource')
    .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name);
  return {blocking, timing};
}
"""


def gz_size(body: bytes, content_type: str) -> int:
    if content_type.split(";")[0].strip() in ALREADY_COMPRESSED:
        return len(body)
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


def header_bytes(status: int, headers: dict[str, str]) -> int:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    return len("\r\n".join(lines).encode()) + 4


def measure_page(browser, base: str, path: str) -> dict:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    responses = []
    context.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="networkidle")
    blocking = page.evaluate(RENDER_BLOCKING_JS)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    rows, third_party = [], []
    for response in responses:
        url = response.url
        if url.startswith("data:"):
            continue
        if not url.startswith(origin + "/"):
            third_party.append(url)
        try:
            body = response.body()
        except Exception:  # redirects have no body
            body = b""
        headers = response.all_headers()
        ctype = headers.get("content-type", "")
        rows.append(
            {
                "url": url[len(origin) :],
                "type": response.request.resource_type,
                "status": response.status,
                "raw": len(body),
                "gzip": gz_size(body, ctype),
                "headers": header_bytes(response.status, headers),
            }
        )
    context.close()
    return {"path": path, "responses": rows, "third_party": third_party, **blocking}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="home and instrument page only")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium (Debian)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("playwright is not installed: .venv/bin/pip install -e '.[test]'") from None

    pages = [(n, p) for n, p in PAGES if not args.smoke or n in SMOKE_PAGES]
    c.heading("Page weight of a first visit (headless Chromium; bodies gzip -6 as a web server would send them)")
    c.say(c.machine_line())
    workdir = c.make_workdir("weight")
    db = c.ScratchDB("sqlite", workdir)
    env = c.site_env(db, workdir)
    c.setup_site(db, env, workdir / "setup.log")
    server, base = c.start_gunicorn("site", "wsp_site:create_app()", env, workdir)
    bare, bare_base = c.start_gunicorn("bare", "bare_app:app", env, workdir, pythonpath=c.BENCH_DIR)
    _, bare_body = c.http_get(bare_base + "/")
    bare_bytes = gz_size(bare_body, "text/html")
    bare.stop()

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            for name, path in pages:
                results.append((name, measure_page(browser, base, path)))
        finally:
            browser.close()
    server.stop()

    rows, failures, summary = [], [], []
    for name, r in results:
        responses = r["responses"]
        gz = sum(x["gzip"] for x in responses)
        headers = sum(x["headers"] for x in responses)
        raw = sum(x["raw"] for x in responses)
        html = next((x["gzip"] for x in responses if x["type"] == "document"), 0)
        by_type = {}
        for x in responses:
            by_type[x["type"]] = by_type.get(x["type"], 0) + 1
        total = gz + headers
        rows.append(
            [
                name,
                len(responses),
                f"{raw / 1024:.1f}",
                f"{html / 1024:.1f}",
                f"{gz / 1024:.1f}",
                f"{total / 1024:.1f}",
                f"{total / bare_bytes:.0f}x",
                f"{len(r['blocking'])}/{len(r['timing'])}",
                len(r["third_party"]),
            ]
        )
        summary.append(
            {
                "page": name,
                "path": r["path"],
                "requests": len(responses),
                "requests_by_type": by_type,
                "raw_bytes": raw,
                "gzip_bytes": gz,
                "header_bytes": headers,
                "transfer_bytes": total,
                "render_blocking": r["blocking"],
                "render_blocking_timing": r["timing"],
                "third_party": r["third_party"],
                "responses": responses,
            }
        )
        if r["third_party"]:
            failures.append(f"{name}: third-party requests {r['third_party']}")
        bad = [x for x in responses if x["status"] >= 400]
        if bad:
            failures.append(f"{name}: failed requests {[(x['url'], x['status']) for x in bad]}")

    c.heading("Results (KB = 1024 bytes; transfer = gzipped bodies + response headers)")
    c.say(f"baseline: the bare Flask page, gzipped: {bare_bytes} bytes (ratio column = transfer / baseline)")
    c.say(
        c.table(
            [
                "page",
                "requests",
                "raw KB",
                "HTML gz KB",
                "bodies gz KB",
                "transfer KB",
                "ratio",
                "blocking",
                "3rd party",
            ],
            rows,
        )
    )
    first = summary[0]
    c.say("\nrequests of a first visit to the " + first["page"] + " page:")
    for x in first["responses"]:
        c.say(f"  {x['type']:10} {x['status']}  {x['raw']:7} B raw  {x['gzip']:7} B gz  {x['url']}")
    blocking = next(s for s in summary if s["page"] == TARGET_PAGE)["render_blocking"]
    c.say(f"render-blocking on the {TARGET_PAGE} page: {'; '.join(blocking) or 'none'}")
    c.say("(blocking column: found in the DOM / reported by Chromium's Resource Timing renderBlockingStatus)")

    c.heading(f"Targets: {TARGET_PAGE} page < {TARGET_KB} KB compressed; <= {TARGET_BLOCKING} render-blocking request")
    missed = 0
    target = next(s for s in summary if s["page"] == TARGET_PAGE)
    kb = target["transfer_bytes"] / 1024
    verdict = "MET" if kb < TARGET_KB else "MISSED"
    missed += verdict == "MISSED"
    c.say(f"  {verdict:6} {TARGET_PAGE} page: {kb:.1f} KB transferred ({target['gzip_bytes'] / 1024:.1f} KB bodies)")
    worst = max(len(s["render_blocking"]) for s in summary)
    verdict = "MET" if worst <= TARGET_BLOCKING else "MISSED"
    missed += verdict == "MISSED"
    c.say(f"  {verdict:6} render-blocking requests: at most {worst} on any page measured")
    third = sum(len(s["third_party"]) for s in summary)
    c.say(f"  {'MET' if not third else 'FAILED':6} third-party requests: {third}")

    path = c.save_results(
        "weight", {"gzip_level": GZIP_LEVEL, "bare_gzip_bytes": bare_bytes, "pages": summary}, smoke=args.smoke
    )
    c.say(f"\nfigures also written to {path.relative_to(c.ROOT)}")
    if failures:
        c.say("FAILED:\n  " + "\n  ".join(failures))
        return 1
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
