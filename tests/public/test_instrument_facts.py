"""The facts the instrument pages state, checked against their public sources (issue 15), and the sources shown."""

from __future__ import annotations

import pytest

from wsp_site.services.packs.read import read_pack


def page_text(client_request, slug: str, lang: str = "nl") -> str:
    soup = client_request.get("public.instrument", slug=slug, _lang=lang)
    main = soup.find("main")
    for term in main.select("a[href*='begrippen#']"):  # a glossary link is part of the sentence it stands in
        term.unwrap()
    main.smooth()
    return " ".join(main.get_text(" ").split())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_shows_what_it_is_based_on_with_links(client_request, lang):
    soup = client_request.get("public.instrument", slug="loonkostenvoordeel", _lang=lang)
    heading = soup.find(id="vraag-bronnen")
    assert heading.get_text(strip=True) == {"nl": "Gebaseerd op", "en": "Based on"}[lang]
    links = [a["href"] for a in heading.find_parent("section").find_all("a")]
    assert "https://zoek.officielebekendmakingen.nl/kst-36458-5.html" in links


def test_loonkostensubsidie_can_be_requested_up_to_6_months_after_the_start(client_request):
    text = page_text(client_request, "loonkostensubsidie")
    assert "6 maanden na de eerste werkdag" in text
    assert "voordat het contract ingaat" not in text
    assert "praktijkroute" in text and "maximaal 70% van het minimumloon" in text


def test_loondispensatie_is_requested_by_the_employer_for_wajong_and_iva(client_request):
    text = page_text(client_request, "loondispensatie")
    assert "U als werkgever vraagt loondispensatie aan" in text
    assert "De werknemer of de werkgever" not in text
    assert "IVA" in text and "25% minder productief" in text and "onder het minimumloon" in text
    # the experiment for IVA took applications up to and including 31 October 2026 (no extension found)
    assert "tot en met 31 oktober 2026" in text
    assert "up to and including 31 October 2026" in page_text(client_request, "loondispensatie", "en")
    assert "waarom u minder wilt betalen en hoeveel minder" in text  # the employer tells the employee
    assert "kan daarna worden verlengd" in text
    soup = client_request.get("public.instrument", slug="loondispensatie")
    sources = [a["href"] for a in soup.find(id="vraag-bronnen").find_parent("section").find_all("a")]
    assert "https://zoek.officielebekendmakingen.nl/stb-2023-131.html" in sources
    assert "https://wspavregio.nl/subsidies/proefplaatsing-uwv-landelijk" in sources


def test_the_finder_no_longer_offers_loondispensatie_for_wia_after_the_experiments_last_day(client_request):
    """New applications for an IVA employee ended on 31 October 2026; WGA never qualified: a WIA candidate's
    answer names no loondispensatie, a Wajong candidate's still does."""
    wia = client_request.get("public.finder", situatie="wia", gemeente="grootstad")
    assert wia.find("a", href="/instrumenten/loondispensatie") is None
    wajong = client_request.get("public.finder", situatie="wajong", gemeente="grootstad")
    assert wajong.find("a", href="/instrumenten/loondispensatie") is not None


def test_loonkostenvoordeel_amounts_and_the_abolished_older_worker_lkv(client_request):
    text = page_text(client_request, "loonkostenvoordeel")
    assert "€ 1,01 per uur, maximaal € 2.000 per jaar" in text
    assert "Herplaatsen arbeidsgehandicapte werknemer : € 3,05 per uur, maximaal € 6.000 per jaar, 1 jaar" in text
    assert "per 1 januari 2026 afgeschaft" in text and "wordt afgebouwd" not in text
    assert "dienstverband dat vóór 1 januari 2024 begon" in text  # the only transitional right
    assert "Een Wajong-uitkering is hier geen grond voor" in text
    english = page_text(client_request, "loonkostenvoordeel", "en")
    assert (
        "€ 1.01 per hour, up to € 2,000 a year" in english
        and "€ 3.05 per hour, up to € 6,000 a year, for 1 year" in english
    )


def test_proefplaatsing_uwv_conditions_and_an_extension_also_for_ww(client_request):
    """UWV's page for a trial placement during WW: the employer may ask for a longer one, with reasons (the 'no
    extension for WW' of UWV's 2013 rules no longer holds); never more than 6 months in total."""
    text = page_text(client_request, "proefplaatsing-uwv")
    assert "aansprakelijkheidsverzekering" in text
    assert "minstens 3 maanden werkloos" in text
    assert "minstens evenveel uren" in text
    assert "verlengen niet mogelijk" not in text
    assert "om een langere proefplaatsing vragen, ook bij WW" in text and "nooit langer dan 6 maanden" in text
    english = page_text(client_request, "proefplaatsing-uwv", "en")
    assert "also for WW" in english and "no extension is possible" not in english
    soup = client_request.get("public.instrument", slug="proefplaatsing-uwv")
    sources = [a["href"] for a in soup.find(id="vraag-bronnen").find_parent("section").find_all("a")]
    assert "https://www.uwv.nl/en/individuals/forms/trial-placement-public-sector-education" in sources
    assert "binnen 2 weken" in text and "enkele weken" not in text
    assert "contract van minstens 6 maanden" in text


def test_no_riskpolis_target_groups(client_request, db):
    from sqlalchemy import select

    from wsp_site.models import Instrument

    instrument = db.session.scalar(select(Instrument).filter_by(slug="no-riskpolis"))
    assert "ziektewet" not in instrument.target_groups
    text = page_text(client_request, "no-riskpolis")
    assert "Wsw-indicatie" in text and "no-riskverklaring" in text
    assert "Een Ziektewet-uitkering alleen geeft geen no-riskpolis" in text
    assert "Vooraf aanvragen is niet nodig" not in text


def test_werkplekaanpassingen_under_the_participatiewet_go_to_the_municipality(client_request, db):
    from sqlalchemy import select

    from wsp_site.models import Instrument

    instrument = db.session.scalar(select(Instrument).filter_by(slug="werkplekaanpassingen"))
    assert "doelgroepregister" not in instrument.target_groups
    assert "regelt de gemeente waar de werknemer woont de aanpassing" in page_text(
        client_request, "werkplekaanpassingen"
    )


def test_jobcoach_uwv_can_be_extended_beyond_3_years(client_request):
    text = page_text(client_request, "jobcoach-uwv")
    assert "maximaal 3 jaar" not in text and "kan UWV die opnieuw toekennen" in text


def test_jobcoaching_names_internal_work_supervision_and_no_invented_amount(client_request):
    text = page_text(client_request, "jobcoaching")
    assert "interne werkbegeleiding" in text
    assert "geen bedrag voor 2026 in een openbare bron kunnen bevestigen" in text
    assert "€" not in text


def _source_links(client_request, slug: str) -> list[str]:
    soup = client_request.get("public.instrument", slug=slug)
    return [a["href"] for a in soup.find(id="vraag-bronnen").find_parent("section").find_all("a")]


@pytest.mark.parametrize("slug", ["proefplaatsing", "werkervaringsplek"])
def test_basic_package_placements_promise_a_kept_benefit_only_to_a_candidate_who_has_one(client_request, slug):
    for lang, kept in (
        ("nl", "heeft de kandidaat een uitkering, dan houdt hij die"),
        ("en", "a candidate on a benefit keeps it"),
    ):
        text = page_text(client_request, slug, lang)
        assert kept in text  # a jobseeker without a benefit (nug) has none to keep
        assert "de kandidaat houdt zijn uitkering" not in text
    text = page_text(client_request, slug)
    assert "staat in de regels van de gemeente waar de kandidaat woont" in text  # the duration is municipal
    # the municipal regulations are Midden-Utrecht's (its override names them), not the shared page's
    assert not any("CVDR" in link or "utrecht" in link for link in _source_links(client_request, slug))
    own = {i["slug"]: i for i in read_pack("midden-utrecht").instruments}[slug]
    assert {"https://lokaleregelgeving.overheid.nl/CVDR721904/1"} <= {s["url"] for s in own["sources"]}
    assert any("CVDR717031" in s["title"] for s in own["sources"])  # Ferm Werk's municipalities


def test_proefplaatsing_no_new_probation_and_conditions_left_to_the_municipality(client_request):
    text = page_text(client_request, "proefplaatsing")
    assert "Na de proefplaatsing mag u geen nieuwe proeftijd afspreken" in text
    assert "De plek vervangt geen gewone baan" not in text  # a trial placement is a try-out for that very job
    assert "De kandidaat heeft dit werk niet eerder bij u gedaan" not in text  # UWV's rule, not the municipalities'
    assert "Dan geeft UWV de toestemming" in text
    assert (
        "https://www.samenvoordeklant.nl/werkgeversdienstverlening/toolbox/proefplaatsing-banenafspraak"
        in _source_links(client_request, "proefplaatsing")
    )
