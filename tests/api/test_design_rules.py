"""The API as Logius checks it: Spectral with the NL API Design Rules ruleset over our OpenAPI document.

The ruleset is the one Logius publishes (Logius-standaarden/API-Design-Rules, media/linter.yaml); this workplace
keeps a copy in ../shared/checks/ next to the repository (NL_API_RULESET names another). Spectral itself comes
from npm, pinned in checks/package.json (scripts/_setup.sh installs it for the tests)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "checks" / "node_modules" / ".bin" / "spectral"
RULESET_NAME = "nl-api-design-rules.spectral.yaml"


def ruleset() -> Path | None:
    candidates = [os.environ.get("NL_API_RULESET")] + [
        str(base / "shared" / "checks" / RULESET_NAME) for base in (ROOT.parent, Path("/work"))
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def spectral():
    if not SPECTRAL.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Spectral is missing: scripts/_setup.sh installs checks/package.json with npm")
        pytest.skip("Spectral is not installed (npm ci --prefix checks)")
    rules = ruleset()
    if rules is None:
        pytest.skip(f"the Logius ruleset {RULESET_NAME} was not found (set NL_API_RULESET)")
    return rules


def lint(rules: Path, document: Path) -> list[dict]:
    result = subprocess.run(
        [str(SPECTRAL), "lint", "--quiet", "-r", str(rules), "-f", "json", str(document)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: findings at the fail severity (errors)
    return json.loads(result.stdout or "[]")


def test_the_openapi_document_meets_the_api_design_rules(client, spectral, tmp_path):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = tmp_path / "openapi.json"
    document.write_bytes(response.get_data())
    findings = lint(spectral, document)
    errors = [f"{f['code']} at {'.'.join(map(str, f['path']))}: {f['message']}" for f in findings if f["severity"] == 0]
    assert errors == []
    # The one warning: the test server speaks plain http (production is https, and the document says so there).
    others = {f["code"] for f in findings if f["severity"] != 0}
    assert others <= {"nlgov:servers-use-https"}, others
    contact = response.json["info"]["contact"]
    assert contact["email"] == "wsp-testregio@example.nl" and contact["url"].endswith("/contact")


@pytest.mark.parametrize("path", ["/api/v1/dienstverleners", "/api/v1/openapi.json"])
def test_the_documented_400_exists(client, path):
    response = client.get(path + "?x=%00")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
