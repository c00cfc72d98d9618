"""Issue 16: the finder's answer travels. Where the candidate lives and their situation have parameters of their
own (woonplaats=, situatie=); gemeente= stays the employer's location; the lead keeps both answers and the back
office shows what the finder says for them; the instrument choice shows what applies, by tier."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

EMPLOYER = {
    "company_name": "Drukkerij Wegwijs B.V.",
    "contact_name": "Test Persoon",
    "email": "info@drukkerij-wegwijs.example.org",
    "location": "grootstad",
    "sector": "techniek",
    "size_band": "10-49",
    "consent": "y",
}


def contact_args(soup) -> dict[str, list[str]]:
    href = next(a["href"] for a in soup.select("main a[href]") if urlsplit(a["href"]).path.endswith("/contact"))
    return parse_qs(urlsplit(href).query)


def selected(soup, select_id: str) -> str | None:
    option = soup.select_one(f"#{select_id} option[selected]")
    return option["value"] if option else None


def test_the_finders_link_carries_the_candidate_not_the_employers_location(client_request):
    soup = client_request.get("public.finder", situatie="bijstand", gemeente="polderdam")
    assert contact_args(soup) == {"type": ["kandidaat"], "woonplaats": ["polderdam"], "situatie": ["bijstand"]}
    unknown = client_request.get("public.finder", situatie="onbekend")
    assert contact_args(unknown) == {"type": ["kandidaat"]}


def test_a_municipality_pages_link_carries_the_candidates_municipality(client_request):
    args = contact_args(client_request.get("public.municipality", slug="heidedorp"))
    assert args["woonplaats"] == ["heidedorp"] and "gemeente" not in args


def test_woonplaats_and_situatie_fill_the_candidate_fields_only(client_request):
    soup = client_request.get("public.contact", woonplaats="polderdam", situatie="wajong")
    assert selected(soup, "candidate_municipality") == "polderdam"
    assert selected(soup, "candidate_situation") == "wajong"
    assert selected(soup, "location") is None  # the employer's location stays theirs to fill in


def test_a_documented_gemeente_link_still_fills_the_employers_location(client_request):
    soup = client_request.get("public.contact", gemeente="heidedorp", instrument="jobcoaching", bron="heidedorp")
    assert selected(soup, "location") == "heidedorp"
    assert selected(soup, "candidate_municipality") is None


def test_unknown_values_fill_nothing(client_request):
    soup = client_request.get("public.contact", woonplaats="atlantis", situatie="onbekend")
    assert selected(soup, "candidate_municipality") is None and selected(soup, "candidate_situation") is None


def visible_instruments(soup) -> list[str]:
    return [
        box["value"]
        for box in soup.select("input[name=instruments]")
        if not any(parent.has_attr("hidden") for parent in box.parents)
    ]


def tiers(soup) -> list[str]:
    return [group["data-wsp-tier"] for group in soup.select("[data-wsp-tier]") if not group.has_attr("hidden")]


def test_the_instrument_choice_shows_what_applies_where_the_candidate_lives_by_tier(client_request):
    everything = client_request.get("public.contact")
    assert tiers(everything) == ["basispakket", "uwv", "lokaal"]
    every = visible_instruments(everything)
    assert {"polderdam-plaatsingspremie", "grootstad-werkgeverscheque", "jobcoaching"} <= set(every)

    polderdam = client_request.get("public.contact", woonplaats="polderdam")
    shown = visible_instruments(polderdam)
    assert "polderdam-plaatsingspremie" in shown and "dijkland-scholingsvoucher" in shown
    assert "grootstad-werkgeverscheque" not in shown and "heidebos-plaatsingspremie" not in shown
    assert {"jobcoaching", "loonkostensubsidie"} <= set(shown)  # the basic package applies everywhere
    assert tiers(polderdam) == ["basispakket", "uwv", "lokaal"]
    # Every instrument is still in the page (a script shows them again when the municipality changes).
    assert len(polderdam.select("input[name=instruments]")) == len(everything.select("input[name=instruments]"))
    # The basic package first, a tier's instruments A-Z.
    legends = [legend.get_text(strip=True) for legend in polderdam.select(".wsp-choice-subgroup__legend")]
    assert legends == ["Het regionale basispakket", "Regelingen van UWV", "Eigen regelingen van de gemeente"]


def test_a_ticked_instrument_stays_visible_and_the_filter_follows_the_sent_form(client_request):
    soup = client_request.post(
        "public.contact",
        _data={"candidate_municipality": "heidedorp", "instruments": ["polderdam-plaatsingspremie"]},
        _expected_status=400,
    )
    shown = visible_instruments(soup)
    assert "heidebos-plaatsingspremie" in shown and "polderdam-plaatsingspremie" in shown
    assert "grootstad-werkgeverscheque" not in shown


def test_an_odd_candidate_value_is_an_error_of_its_field(client_request):
    soup = client_request.post(
        "public.contact", _data={**EMPLOYER, "candidate_situation": "miljonair"}, _expected_status=400
    )
    assert soup.select_one("#candidate_situation-fout") is not None
