"""Two app hosts behind nginx, as deploy/ ships them: Debian's nginx with deploy/nginx/wsp-site.conf in front of
two separate gunicorn instances (wsp_site.gunicorn_config) that share PostgreSQL and Redis.

Checked: nginx serves static files itself (a year's cache, gzip and brotli) and keeps /metrics internal; content
changed through one instance is served fresh by the other within a second (the page caches read the content
version at most once a second); the rate limits are shared (Redis); a lead sent to either host, even the same
form sent to both, becomes one routed lead."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import func, select

from tests.public.test_contact import VALID
from tests.smtp import free_port
from tests.support import POSTGRES, ScratchDatabase, load_test_region, make_test_config
from wsp_site import create_app
from wsp_site.config import STATIC_DIR
from wsp_site.extensions import db
from wsp_site.models import InstrumentText, Lead, LeadEvent

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "nginx" / "wsp-site.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MODULES = Path("/usr/share/nginx/modules")
SHARED_LIMIT = 3  # sign-in attempts per minute, counted over both hosts

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES, reason="two app hosts share PostgreSQL (run with DATABASE_URL=postgresql://...)"),
]


def _require_nginx() -> None:
    if not os.path.exists(NGINX):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("Debian's nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-filter)")


def nginx_config(workdir: Path, port: int, upstreams: tuple[int, int]) -> Path:
    """The shipped site configuration, with only its port, upstreams and static directory changed."""
    site = SITE_CONF.read_text(encoding="utf-8")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "server 127.0.0.1:8001 ": f"server 127.0.0.1:{upstreams[0]} ",
        "server 127.0.0.1:8002 ": f"server 127.0.0.1:{upstreams[1]} ",
        "alias /srv/wsp-site/static/;": f"alias {STATIC_DIR}/;",
        "/var/log/nginx/wsp-site.access.log": str(workdir / "access.log"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/wsp-site.conf no longer contains {old!r}"
        site = site.replace(old, new)
    (workdir / "wsp-site.conf").write_text(site, encoding="utf-8")
    modules = "".join(f"load_module {m};\n" for m in sorted(MODULES.glob("ngx_http_brotli_*_module.so")))
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = workdir / "nginx.conf"
    main.write_text(
        f"""{modules}{user}worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy; fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
    include {workdir}/wsp-site.conf;
}}
""",
        encoding="utf-8",
    )
    return main


class Stack:
    def __init__(self, workdir: Path, database: ScratchDatabase):
        self.workdir = workdir
        self.database = database
        self.processes: list[subprocess.Popen] = []
        self.ports = (free_port(), free_port())
        self.port = free_port()
        self.hosts = tuple(f"http://127.0.0.1:{p}" for p in self.ports)
        self.nginx = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DATABASE_URL": database.url,
            "WSP_REGION": "testregio",
            "WSP_INSTANCE_DIR": str(workdir),
            "SECRET_KEY": uuid.uuid4().hex,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/12",
            "RATELIMIT_KEY_PREFIX": f"wsp-test-{uuid.uuid4().hex[:8]}",
            "LOGIN_RATE_LIMIT": f"{SHARED_LIMIT} per minute",
            "CONTACT_RATE_LIMIT": "100 per minute",
            "TRUSTED_PROXIES": "1",
            "PAGE_CACHE_ENABLED": "true",
            "MAIL_BACKEND": "console",
        }

    def start(self, argv: list[str], name: str, **env: str) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv, env={**self.env, **env}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def wait(self, url: str, process: subprocess.Popen, name: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{(self.workdir / f'{name}.log').read_text()[-3000:]}")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer at {url}")

    def up(self) -> None:
        for n, port in enumerate(self.ports, start=1):
            name = f"app{n}"
            argv = [sys.executable, "-m", "gunicorn", "-c", "python:wsp_site.gunicorn_config", "--workers", "2"]
            argv += ["--bind", f"127.0.0.1:{port}", "wsp_site:create_app()"]
            metrics_dir = self.workdir / f"metrics-{name}"  # as the systemd unit sets it: counts over all workers
            metrics_dir.mkdir()
            process = self.start(argv, name, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
            self.wait(f"http://127.0.0.1:{port}/healthz", process, name)
        config = nginx_config(self.workdir, self.port, self.ports)
        check = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.wait(self.nginx + "/healthz", self.start([NGINX, "-c", str(config)], "nginx"), "nginx")

    def down(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _require_nginx()
    workdir = tmp_path_factory.mktemp("nginx")
    workdir.chmod(0o755)
    database = ScratchDatabase(workdir, "nginx")
    app = create_app(make_test_config(database.url))
    with app.app_context():
        upgrade()
        load_test_region()
        db.session.remove()
    running = Stack(workdir, database)
    try:
        running.up()
        yield running, app
    finally:
        running.down()
        with app.app_context():
            db.engine.dispose()
        database.drop()


def test_nginx_serves_static_files_compressed_for_a_year(stack):
    running, _app = stack
    home = requests.get(running.nginx + "/", timeout=10)
    assert home.status_code == 200
    css = re.search(r'href="(/static/[^"]+\.css\?v=[^"]+)"', home.text).group(1)
    for encoding in ("br", "gzip"):
        response = requests.get(running.nginx + css, headers={"Accept-Encoding": encoding}, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
    # Pages from the app are compressed by nginx too.
    assert (
        requests.get(running.nginx + "/", headers={"Accept-Encoding": "gzip"}, timeout=10).headers["Content-Encoding"]
        == "gzip"
    )


def _home_count(host: str) -> float:
    text = requests.get(host + "/metrics", timeout=10).text
    found = re.search(
        r'^wsp_http_request_duration_seconds_count\{[^}]*endpoint="public.home"[^}]*status="200"[^}]*\} (\S+)$',
        text,
        re.M,
    )
    return float(found.group(1)) if found else 0.0


def test_metrics_stay_internal_and_count_every_worker(stack):
    running, _app = stack
    assert requests.get(running.nginx + "/metrics", timeout=10).status_code == 404
    direct = requests.get(running.hosts[0] + "/metrics", timeout=10)
    assert direct.status_code == 200 and "wsp_outbox_messages" in direct.text
    host = running.hosts[1]
    before = _home_count(host)
    for _ in range(20):  # each on a new connection, so both of its workers answer some
        requests.get(host + "/", headers={"Cookie": "x=1"}, timeout=10)  # a cookie: past the page cache
    assert _home_count(host) - before == 20
    assert requests.get(running.nginx + "/readyz", timeout=10).json()["status"] == "ok"


def test_a_change_is_served_fresh_by_the_other_host_within_a_second(stack):
    running, app = stack
    path = "/instrumenten/jobcoaching"
    for host in running.hosts:  # both hosts have the page in their cache
        assert requests.get(host + path, timeout=10).status_code == 200
        assert requests.get(host + path, timeout=10).status_code == 200
    new_title = f"Jobcoaching {uuid.uuid4().hex[:6]}"
    with app.app_context():
        text = db.session.scalar(
            select(InstrumentText)
            .where(InstrumentText.lang == "nl")
            .join(InstrumentText.instrument)
            .filter_by(slug="jobcoaching")
        )
        text.title = new_title
        db.session.commit()  # as a publication through the first host would: the content version moves
        db.session.remove()
    changed = time.monotonic()
    seen = {}
    while len(seen) < 2 and time.monotonic() - changed < 3:
        for host in running.hosts:
            if host not in seen and new_title in requests.get(host + path, timeout=10).text:
                seen[host] = time.monotonic() - changed
        time.sleep(0.05)
    assert set(seen) == set(running.hosts), f"still stale after 3 s: {seen}"
    assert max(seen.values()) < 1.5, seen  # PAGE_CACHE_VERSION_TTL is 1 s; the rest is scheduling on a busy machine


def test_rate_limits_are_shared_between_the_hosts(stack):
    running, _app = stack
    statuses = []
    with requests.Session() as browser:
        for attempt in range(SHARED_LIMIT + 1):
            host = running.hosts[attempt % 2]
            page = browser.get(host + "/beheer/inloggen", timeout=10)
            token = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "csrf_token"})["value"]
            data = {"csrf_token": token, "email": "niemand@example.nl", "password": "fout"}
            statuses.append(browser.post(host + "/beheer/inloggen", data=data, timeout=10).status_code)
    assert statuses[:SHARED_LIMIT] == [401] * SHARED_LIMIT  # wrong password, each counted
    assert statuses[SHARED_LIMIT] == 429  # refused by the other host: the count is in Redis


def test_a_lead_sent_to_either_host_is_routed_once(stack):
    running, app = stack
    company = f"Dubbel Verstuurd {uuid.uuid4().hex[:6]} B.V."
    with requests.Session() as browser:
        form = BeautifulSoup(browser.get(running.hosts[0] + "/contact", timeout=10).text, "html.parser")
        hidden = {f["name"]: f.get("value", "") for f in form.select("main form input[type=hidden]")}
        data = {**VALID, **hidden, "company_name": company}
        first = browser.post(running.hosts[0] + "/contact", data=data, timeout=10, allow_redirects=False)
        again = browser.post(running.hosts[1] + "/contact", data=data, timeout=10, allow_redirects=False)
        other = browser.get(running.nginx + "/contact", timeout=10)
        form = BeautifulSoup(other.text, "html.parser")
        hidden = {f["name"]: f.get("value", "") for f in form.select("main form input[type=hidden]")}
        through_nginx = browser.post(
            running.nginx + "/contact",
            data={**VALID, **hidden, "company_name": company + " 2"},
            timeout=10,
            allow_redirects=False,
        )
    assert (first.status_code, again.status_code, through_nginx.status_code) == (303, 303, 303)
    with app.app_context():
        leads = db.session.scalars(select(Lead).where(Lead.company_name.like("Dubbel Verstuurd%"))).all()
        assert sorted(lead.company_name for lead in leads) == sorted([company, company + " 2"])
        for lead in leads:
            assert lead.owner_id is not None
            routed = db.session.scalar(
                select(func.count())
                .select_from(LeadEvent)
                .where(LeadEvent.lead_id == lead.id, LeadEvent.kind == "routed")
            )
            assert routed == 1
        db.session.remove()
