"""A plain install works: the wheel carries the static files with the built stylesheet, the compiled catalogues
and the migrations, and the site runs from it in a folder far from the checkout.

The wheel is installed without -e into a new virtualenv whose only link to the test virtualenv is a .pth line
with the latter's site-packages, for the dependencies (Flask ...). Such a line only extends sys.path: the .pth
files there are not processed, so the checkout's editable install of wsp_site stays out of sight, and the new
virtualenv's own site-packages comes first. Everything runs with a scratch folder as working directory.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wsp_site"
# Built by scripts/_setup.sh (and so by scripts/test): not committed, but part of the wheel.
BUILT = [PACKAGE / "static" / "dist" / "wsp.css", PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.mo"]


def run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs)
    assert result.returncode == 0, f"{args[:4]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A virtualenv with the wheel installed (not editable), and a working directory outside the checkout."""
    for path in BUILT:
        assert path.exists(), f"{path.relative_to(ROOT)} is missing: scripts/test builds it before the tests"
    tmp = tmp_path_factory.mktemp("packaging")
    # Build from a copy of what setuptools needs, so no build/ left in the checkout ends up in the wheel.
    source = tmp / "source"
    shutil.copytree(PACKAGE, source / "wsp_site", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", tmp / "wheels", source])
    (wheel,) = (tmp / "wheels").glob("wsp_site-*.whl")

    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site_packages = Path(
        run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    )
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "test-virtualenv.pth").write_text("\n".join(sorted(dependencies)) + "\n", encoding="utf-8")
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel])

    workdir = tmp / "work"
    workdir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WSP_", "FLASK_", "DATABASE_URL", "SECRET_KEY", "PYTHONPATH", "SITE_URL"))
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return {"venv": venv, "python": python, "site_packages": site_packages, "workdir": workdir, "env": env}


def test_the_package_is_imported_from_the_new_virtualenv(installed):
    where = run(
        [installed["python"], "-c", "import wsp_site.config as c; print(c.__file__); print(c.STATIC_DIR)"],
        cwd=installed["workdir"],
        env=installed["env"],
    ).stdout.split()
    assert all(Path(path).is_relative_to(installed["site_packages"]) for path in where), where
    assert not any(Path(path).is_relative_to(ROOT) for path in where), where


def test_setup_and_serve_from_the_installed_wheel(installed):
    workdir, env = installed["workdir"], installed["env"]
    # migrations and the demo region come from the installed package
    run([installed["python"], "-m", "flask", "--app", "wsp_site", "wsp", "setup"], cwd=workdir, env=env)
    assert (workdir / "instance" / "wsp.sqlite3").exists(), "the instance folder is ./instance"
    assert not (installed["site_packages"] / "instance").exists()

    port = free_port()
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [installed["venv"] / "bin" / "wsp-site"],
        cwd=workdir,
        env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                status, _, home = fetch(base + "/")
                break
            except OSError:
                assert server.poll() is None, (workdir / "server.log").read_text()
                assert time.monotonic() < deadline, "the installed site did not start"
                time.sleep(0.2)
        assert status == 200
        soup = BeautifulSoup(home, "html.parser")
        stylesheet = soup.find("link", rel="stylesheet")["href"]
        status, content_type, css = fetch(base + stylesheet)
        assert status == 200 and content_type.startswith("text/css")
        assert css.startswith(b"/*! wsp.css") and b".utrecht-page-header" in css
        script = soup.find("script", src=True)["src"]
        assert fetch(base + script)[0] == 200

        status, _, english = fetch(base + "/en/")
        assert status == 200
        page = BeautifulSoup(english, "html.parser")
        assert page.html["lang"] == "en"
        assert "How can we help you?" in page.get_text(), "the English catalogue (.mo) is installed"
        assert "Waarmee kunnen we u helpen?" not in page.get_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
