"""No token in an access log: gunicorn with the shipped configuration, and the development server's filter."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import urllib.request

from tests.test_packaging import fetch, free_port
from wsp_site.access_log import MaskingFilter, mask

STATUS_TOKEN = "GeheimStatusToken1234567890abcdef"
RESET_TOKEN = "GeheimResetToken0987654321fedcba"


def test_mask_keeps_the_path_and_drops_the_token():
    assert mask(f"GET /aanvraag/{STATUS_TOKEN} HTTP/1.1") == "GET /aanvraag/[token] HTTP/1.1"
    assert mask(f"/en/aanvraag/{STATUS_TOKEN}?x=1") == "/en/aanvraag/[token]?x=1"
    assert mask(f"POST /beheer/wachtwoord-instellen/{RESET_TOKEN} HTTP/1.1") == (
        "POST /beheer/wachtwoord-instellen/[token] HTTP/1.1"
    )
    assert mask("GET /instrumenten/jobcoaching HTTP/1.1") == "GET /instrumenten/jobcoaching HTTP/1.1"


def test_the_development_server_lines_are_masked():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", f"GET /aanvraag/{STATUS_TOKEN} HTTP/1.1", "200"),
        None,
    )
    MaskingFilter().filter(record)
    assert STATUS_TOKEN not in record.getMessage()


def test_gunicorn_with_the_shipped_configuration_logs_no_token(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "WSP_INSTANCE_DIR": str(tmp_path),
        "SECRET_KEY": "access-log-test",
        "PAGE_CACHE_ENABLED": "false",
    }
    env.pop("CI", None)
    setup = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsp_site", "wsp", "setup"], env=env, capture_output=True, timeout=180
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    port = free_port()
    log_file = tmp_path / "access.log"
    with open(log_file, "wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:wsp_site.gunicorn_config",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "wsp_site:create_app()",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    fetch(base + "/")
                    break
                except OSError:
                    time.sleep(0.1)
            assert fetch(f"{base}/aanvraag/{STATUS_TOKEN}")[0] == 404
            assert fetch(f"{base}/beheer/wachtwoord-instellen/{RESET_TOKEN}")[0] == 404
            request = urllib.request.Request(f"{base}/", headers={"Referer": f"{base}/aanvraag/{STATUS_TOKEN}"})
            urllib.request.urlopen(request, timeout=10).read()
        finally:
            server.terminate()
            server.wait(timeout=30)
    log = log_file.read_text(encoding="utf-8")
    assert "/aanvraag/[token]" in log and "/beheer/wachtwoord-instellen/[token]" in log  # the lines are there
    assert STATUS_TOKEN not in log and RESET_TOKEN not in log
