"""The English catalogue is complete: every string in the code and templates has a translation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from wsp_site.config import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent  # where babel.cfg is
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
EN_PO = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"


def extracted(tmp_path):
    target = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with target.open("rb") as fh:
        return read_po(fh)


def test_every_string_has_an_english_translation(tmp_path):
    with EN_PO.open("rb") as fh:
        english = read_po(fh)
    missing = []
    for message in extracted(tmp_path):
        if not message.id:
            continue
        translated = english.get(message.id)
        strings = translated.string if translated is not None else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or not all(strings) or translated.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{len(missing)} strings lack an English translation (run pybabel update): {missing[:10]}"


def test_placeholders_survive_translation():
    with EN_PO.open("rb") as fh:
        english = read_po(fh)
    wrong = []
    for message in english:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {frozenset(PLACEHOLDER.findall(i)) for i in ids}
        for string in strings:
            if string and frozenset(PLACEHOLDER.findall(string)) not in expected:
                wrong.append((ids[0], string))
    assert not wrong, wrong[:5]


def test_english_pages_use_the_catalogue(client):
    html = client.get("/en/").get_data(as_text=True)
    assert "Skip to" in html or "skip to" in html.lower()
    assert "Direct naar de inhoud" not in html


def test_counts_take_the_singular_when_there_is_one(client, db, region):
    """A region that promises contact within one working day says so in both languages, without '1 werkdagen'."""
    region.response_working_days = 1
    db.session.commit()
    for path, wanted, wrong in (
        ("/", "binnen 1 werkdag contact", "1 werkdagen"),
        ("/contact", "binnen 1 werkdag contact", "1 werkdagen"),
        ("/en/", "within 1 working day,", "1 working days"),
        ("/en/contact", "within 1 working day.", "1 working days"),
    ):
        html = " ".join(client.get(path).get_data(as_text=True).split())
        assert wanted in html and wrong not in html, path
    region.response_working_days = 3
    db.session.commit()
    assert "binnen 3 werkdagen contact" in " ".join(client.get("/").get_data(as_text=True).split())
