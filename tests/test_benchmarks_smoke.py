"""CI smoke step of the benchmark scripts: each runs with --smoke (tiny sizes) and must exit 0 having printed
its figures, so the scripts cannot rot. Nothing here is timed or compared with a target.

Deselect with `-m "not benchmark_smoke"`. A script whose tools are missing (wrk, Debian's chromium, npm,
PostgreSQL) is skipped with a message, except under CI=true, where that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 600  # seconds per script; a smoke run takes well under a minute on a quiet machine

pytestmark = pytest.mark.benchmark_smoke


def _postgres() -> str | None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import _common
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return None if _common.postgres_available() else f"PostgreSQL at {_common.postgres_admin_url()}"


def _wrk() -> str | None:
    return None if shutil.which("wrk") else "wrk (apt-get install wrk)"


def _chromium() -> str | None:
    return None if CHROMIUM.exists() else "Debian's chromium (apt-get install chromium)"


def _playwright() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright (pip install -e '.[test]')"
    return None


def _npm() -> str | None:
    installed = (ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse").exists()
    return None if shutil.which("node") and (installed or shutil.which("npm")) else "Node.js with npm"


# script -> (what it needs, lines its output must contain)
SCRIPTS = {
    "pages": (
        (_wrk, _postgres),
        ["req/s", "bare Flask", "PostgreSQL", "SQLite", "instrument", "contact sent", "Targets:", "Targets (issue 17)"],
    ),
    "weight": ((_chromium, _playwright), ["transfer KB", "instrument", "third-party requests: 0", "Targets:"]),
    "lighthouse": ((_chromium, _npm), ["accessibility", "best-practices", "bare Flask (baseline)", "home"]),
    "submissions": ((_postgres,), ["submissions/s", "GET /contact (baseline)", "RESULT: all checks passed"]),
    "backoffice": (
        (_postgres,),
        [
            "p95 ms",
            "inbox all (coordinator)",
            "lead detail",
            "reports, first view after a change",
            "leads counted per day rebuilt",
            "subject-request search",
            "retention purge:",
            "reports' figures the same after the purge: yes",
            "EXPLAIN",
            "Target:",
        ],
    ),
    "pool": ((), ["p95 ms", "bare Flask (baseline)", "filter instrument", "API list", "Target: p95 < 50 ms"]),
    "profile_pages": ((), ["cProfile", "ms per request", "SQL statements", "/contact", "POST"]),
    "matching": (
        (),
        ["p95 ms", "bare Flask (baseline)", "one vacancy against", "one candidate against", "Target: p95 < 200 ms"],
    ),
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_script_smoke(script):
    needs, expected = SCRIPTS[script]
    missing = [reason for reason in (need() for need in needs) if reason]
    if missing:
        message = f"benchmarks/{script}.py needs {', '.join(missing)}"
        if CI:
            pytest.fail(message + " (CI=true: the benchmark smoke step must run)")
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / f"{script}.py"), "--smoke"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.terminate()  # SIGTERM: the script stops its servers and drops its databases
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        pytest.fail(f"benchmarks/{script}.py --smoke took more than {TIMEOUT} s:\n{stdout[-3000:]}\n{stderr[-2000:]}")
    output = stdout + stderr
    assert process.returncode == 0, f"benchmarks/{script}.py --smoke exited {process.returncode}:\n{output[-4000:]}"
    absent = [line for line in expected if line not in stdout]
    assert not absent, f"benchmarks/{script}.py --smoke did not print {absent}:\n{stdout[-4000:]}"
