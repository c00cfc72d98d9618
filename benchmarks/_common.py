"""Shared plumbing of the benchmark scripts: scratch databases, servers, wrk, tables.

Everything here talks to loopback only and stops what it started, also on Ctrl+C. Each script runs from a
fresh clone with `.venv/bin/python benchmarks/<name>.py` (after `scripts/test` or `scripts/run` created the
virtualenv); the tools are the virtualenv's own (flask, gunicorn), found next to the running interpreter.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
# The README's production set-up (section "Deployment"): sync workers, four of them.
GUNICORN_ARGS = ("--workers", "4")

_cleanups: list = []


def _run_cleanups() -> None:
    while _cleanups:
        action = _cleanups.pop()
        with contextlib.suppress(Exception):
            action()


atexit.register(_run_cleanups)


def _on_signal(signum, _frame) -> None:
    _run_cleanups()
    sys.exit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)


def on_exit(action) -> None:
    _cleanups.append(action)


def forget(action) -> None:
    with contextlib.suppress(ValueError):
        _cleanups.remove(action)


# --- output ------------------------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def heading(text: str) -> None:
    say()
    say(f"== {text}")


def machine_line() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores ({cpu or platform.machine()}), shared; load average {load}; "
        f"Python {platform.python_version()}"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    rows = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): the value below which pct % of the samples lie."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def save_results(name: str, data: dict, smoke: bool = False) -> Path:
    """Also write the figures as JSON to benchmarks/results/ (ignored by git) for the README; a smoke run
    writes <name>-smoke.json, so it never replaces the figures of a full run."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}{'-smoke' if smoke else ''}.json"
    data = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine_line(), **data}
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def require_tool(name: str, hint: str) -> str:
    path = shutil.which(name) or (str(BIN / name) if (BIN / name).exists() else None)
    if path is None:
        raise SystemExit(f"{name} not found: {hint}")
    return path


# --- ports and processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


try:  # resolved here, not in the child: a forked child must not import (another thread may hold the lock)
    import ctypes

    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (ImportError, OSError, AttributeError):
    _PRCTL = None


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the benchmark script dies, even by SIGKILL (Linux PR_SET_PDEATHSIG)."""
    if _PRCTL is not None:
        _PRCTL(1, int(signal.SIGTERM))


class Process:
    """A child in its own process group, stopped (SIGTERM, then SIGKILL) by its id at exit at the latest,
    and told to stop by the kernel if this script dies without cleaning up."""

    def __init__(self, name: str, args: Sequence[str], env: dict, log: Path, cwd: Path = ROOT):
        self.name = name
        self.log = log
        self._log_file = log.open("ab")
        self.popen = subprocess.Popen(
            list(args),
            env=env,
            cwd=cwd,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        on_exit(self.stop)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def wait(self, timeout: float) -> bool:
        try:
            self.popen.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self, timeout: float = 15) -> None:
        forget(self.stop)
        if self.alive():
            self.signal(signal.SIGTERM)
            if not self.wait(timeout):
                self.signal(signal.SIGKILL)
                self.wait(5)
        # Reap anything of the group that outlived its leader (gunicorn workers).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._log_file.close()

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for_http(url: str, process: Process | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise RuntimeError(f"{process.name} exited early:\n{process.tail()}")
        try:
            status, _ = http_get(url, timeout=5)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    tail = process.tail() if process else ""
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s ({last})\n{tail}")


# --- databases -------------------------------------------------------------------------------------------


def postgres_admin_url() -> str:
    """Where scratch databases are created: WSP_BENCH_POSTGRES_URL, else a PostgreSQL DATABASE_URL, else
    the local server's `test` database."""
    url = os.environ.get("WSP_BENCH_POSTGRES_URL", "").strip()
    if not url:
        env = os.environ.get("DATABASE_URL", "")
        url = env if env.startswith(("postgres://", "postgresql")) else DEFAULT_POSTGRES
    return url


def _psycopg_url(url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(_psycopg_url(postgres_admin_url()), connect_timeout=3):
            return True
    except Exception:
        return False


def redis_url() -> str:
    """Rate-limit storage as in production (Redis; database 11, away from the default one), or memory://
    when no Redis answers (the limits are raised out of the way in every benchmark anyway)."""
    url = os.environ.get("WSP_BENCH_REDIS_URL", DEFAULT_REDIS)
    host_port = url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    return "memory://"


@dataclass
class ScratchDB:
    """A database of our own: a SQLite file in a temporary folder, or `wsp_bench_<random>` on PostgreSQL."""

    kind: str  # "sqlite" | "postgresql"
    workdir: Path
    url: str = ""
    name: str = ""
    _admin: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.kind == "sqlite":
            self.url = f"sqlite:///{self.workdir / 'bench.sqlite3'}"
            self.name = "bench.sqlite3"
            return
        import psycopg

        self._admin = _psycopg_url(postgres_admin_url())
        self.name = f"wsp_bench_{secrets.token_hex(4)}"
        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        on_exit(self.drop)
        self.url = self._admin.rsplit("/", 1)[0] + "/" + self.name

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.kind == "postgresql" else "SQLite"

    def drop(self) -> None:
        forget(self.drop)
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(self._admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def connect(self):
        """A psycopg connection (PostgreSQL only), autocommit."""
        import psycopg

        return psycopg.connect(self.url, autocommit=True)


def make_workdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"wsp-bench-{prefix}-"))
    on_exit(lambda: shutil.rmtree(path, ignore_errors=True))
    return path


def site_env(db: ScratchDB | None, workdir: Path, **extra: str) -> dict:
    """The README's production environment (WSP_ENV=production, secret, database, Redis for the limits)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "FLASK_APP", "WSP_REGION", "SITE_URL") and not k.startswith("PYTEST")
    }
    env.update(
        WSP_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=db.url if db is not None else f"sqlite:///{workdir / 'unused.sqlite3'}",
        WSP_INSTANCE_DIR=str(workdir),
        RATELIMIT_STORAGE_URI=redis_url(),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def flask_cmd(*args: str) -> list[str]:
    return [str(BIN / "flask"), "--app", "wsp_site", *args]


def setup_site(db: ScratchDB, env: dict, log: Path) -> float:
    """`flask --app wsp_site wsp setup` (migrate + load the region pack); returns seconds taken."""
    started = time.monotonic()
    with log.open("ab") as out:
        result = subprocess.run(flask_cmd("wsp", "setup"), env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"flask wsp setup failed on {db.label}:\n{log.read_text(errors='replace')[-3000:]}")
    return time.monotonic() - started


def start_gunicorn(
    name: str,
    app_spec: str,
    env: dict,
    workdir: Path,
    gunicorn_args: Sequence[str] = GUNICORN_ARGS,
    ready_path: str = "/",
    pythonpath: Path | None = None,
    port: int | None = None,
) -> tuple[Process, str]:
    port = port or free_port()
    args = [str(BIN / "gunicorn"), *gunicorn_args, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if pythonpath is not None:
        args += ["--pythonpath", str(pythonpath)]
    args.append(app_spec)
    process = Process(f"gunicorn ({name})", args, env, workdir / f"gunicorn-{name}.log")
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + ready_path, process)
    return process, base


# --- wrk ---------------------------------------------------------------------------------------------------

WRK_LUA = BENCH_DIR / "wrk_report.lua"


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    timeouts: int
    bad_status: int

    def as_dict(self) -> dict:
        return dict(vars(self))


def run_wrk(
    url: str,
    connections: int,
    seconds: float,
    timeout_s: int = 10,
    script: Path = WRK_LUA,
    script_env: dict[str, str] | None = None,
) -> WrkResult:
    """wrk --latency with our Lua reporter (wrk's own summary has no p95). Another `script` (e.g.
    wrk_post_contact.lua) reads its settings from `script_env` and loads the reporter from WSP_WRK_REPORT."""
    wrk = require_tool("wrk", "install it with `apt-get install wrk` (Debian)")
    threads = max(1, min(2, connections))
    args = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    env = {**os.environ, "WSP_WRK_REPORT": str(WRK_LUA), **(script_env or {})}
    result = subprocess.run(args, capture_output=True, text=True, timeout=seconds + timeout_s + 30, env=env)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout[-1500:]}\n{result.stderr[-1500:]}")
    data = json.loads(line[len("WRK_JSON ") :])
    secs = data["duration_us"] / 1e6
    return WrkResult(
        requests=data["requests"],
        seconds=secs,
        rps=data["requests"] / secs if secs else 0.0,
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        socket_errors=data["connect"] + data["read"] + data["write"],
        timeouts=data["timeout"],
        bad_status=data["status"],
    )


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"
