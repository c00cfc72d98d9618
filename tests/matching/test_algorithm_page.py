"""/algoritme: generated from the rules' configuration, in Dutch and English, linked from every page's footer."""

from __future__ import annotations

from tests.pages import get_page
from wsp_site.services.matching import rules


def points_table(soup) -> dict[str, str]:
    table = soup.find(id="punten")
    return {
        row.th.get_text(strip=True): row.find_all("td")[-1].get_text(strip=True) for row in table.tbody.find_all("tr")
    }


def test_the_page_lists_the_configured_knock_outs_and_weights(client):
    soup = get_page(client, "/algoritme")
    assert [li["data-rule"] for li in soup.select("li[data-rule]")] == list(rules.KNOCK_OUTS)
    assert points_table(soup) == {"Beroep": "50", "Beschikbaarheid": "25", "Uren": "25"}
    text = soup.get_text(" ")
    assert "Een mens beslist" in text and "Bezwaar maken" in text and "Autoriteit Persoonsgegevens" in text
    assert "AI-verordening" in text


def test_the_page_changes_when_the_weights_change(client, monkeypatch):
    monkeypatch.setattr(rules, "WEIGHTS", {"occupation": 60, "availability": 10, "hours_fit": 30})
    monkeypatch.setattr(rules, "KNOCK_OUTS", ("work_form", "hours", "reach"))
    soup = get_page(client, "/algoritme")
    assert points_table(soup) == {"Beroep": "60", "Beschikbaarheid": "10", "Uren": "30"}
    assert [li["data-rule"] for li in soup.select("li[data-rule]")] == ["work_form", "hours", "reach"]
    levels = soup.find(id="punten-occupation").get_text(" ")
    assert "42" in levels  # 70% of 60 for a related occupation


def test_in_english_and_from_the_footer(client):
    soup = get_page(client, "/en/algoritme", lang="en")
    assert "A person decides" in soup.get_text(" ")
    home = get_page(client, "/")
    assert home.select_one("footer a[href='/algoritme']") is not None
