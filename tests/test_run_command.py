"""The embedded default (`wsp-site`, what `scripts/run` starts): it delivers its own outbox, so both e-mails of a
submission show on its console; and its links follow HOST and PORT when SITE_URL is not set (issue 16)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from tests.test_packaging import free_port
from wsp_site.config import Config


def test_site_url_follows_host_and_port_when_not_set(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "5123")
    monkeypatch.delenv("HOST", raising=False)
    assert Config().SITE_URL == "http://127.0.0.1:5123"
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - what the setting may say
    assert Config().SITE_URL == "http://127.0.0.1:5123"
    monkeypatch.setenv("SITE_URL", "https://wsp.example.nl/")
    assert Config().SITE_URL == "https://wsp.example.nl"


def test_the_embedded_default_shows_both_e_mails_on_its_console(tmp_path):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "WSP_INSTANCE_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "SITE_URL", "MAIL_BACKEND", "WSP_REGION", "CI"):
        env.pop(name, None)
    console = tmp_path / "console.log"
    with open(console, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from wsp_site.run import main; main()"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            page = None
            for _ in range(300):
                try:
                    page = opener.open(base + "/contact", timeout=5).read().decode()
                    break
                except OSError:
                    time.sleep(0.2)
            assert page, console.read_text()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            form = {
                "csrf_token": token,
                "company_name": "Consolebedrijf B.V.",
                "contact_name": "Test Console",
                "email": "test@consolebedrijf.example.nl",
                "phone": "0301234567",
                "location": "utrecht",
                "sector": "zorg",
                "size_band": "10-49",
                "request_type": "vacature",
                "consent": "y",
            }
            key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page)
            if key:
                form["submission_key"] = key.group(1)
            opener.open(base + "/contact", data=urllib.parse.urlencode(form).encode(), timeout=10).read()
            for _ in range(100):
                if console.read_text(errors="replace").count("(not sent: MAIL_BACKEND=console)") >= 2:
                    break
                time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = console.read_text(errors="replace")
    assert output.count("(not sent: MAIL_BACKEND=console)") == 2, output[-3000:]
    assert "To: test@consolebedrijf.example.nl" in output
    assert f"http://127.0.0.1:{port}/" in output  # the links point where the site runs
