"""The demo region packs that ship in wsp_site/regions: they validate, load into a new database and serve.

The rest of the suite runs on a region of its own (tests/regions), so the demo content may change without
breaking it; this module is the one place that looks at the demo packs. What it checks of their content is
what the demo must keep showing: every service point has local instruments, every instrument has English and a
source, and a local scheme no public source confirms ships only as an example (issue 15).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.pages import get_page
from tests.support import ScratchDatabase, make_test_config, pack_size
from wsp_site import create_app
from wsp_site.extensions import db
from wsp_site.models import Instrument, Region
from wsp_site.services.leads.intake import Submission, submit_lead
from wsp_site.services.leads.routing import LeadFacts, route_lead
from wsp_site.services.packs import exchange as pack_export
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.install import load_region
from wsp_site.services.packs.read import PackError, read_pack

DEMO = "midden-utrecht"


def test_shipped_packs_are_valid():
    assert set(packs.available_regions()) >= {"midden-utrecht", "amersfoort"}
    pack = read_pack("midden-utrecht")
    assert len(pack.municipalities) == 14
    assert len([s for s in pack.service_points if not s["is_uwv"]]) == 5
    kinds = {i["slug"]: i["kind"] for i in pack.instruments}
    assert {s for s, k in kinds.items() if k == "basispakket"} == {
        "jobcoaching",
        "loonkostensubsidie",
        "proefplaatsing",
        "werkervaringsplek",
    }
    local_by_sp = {}
    munis = {m["slug"]: m["service_point"] for m in pack.municipalities}
    for item in pack.instruments:
        if item["kind"] == "lokaal":
            for slug in {munis[m] for m in item["municipalities"]}:
                local_by_sp[slug] = local_by_sp.get(slug, 0) + 1
    assert all(local_by_sp.get(s["slug"], 0) >= 1 for s in pack.service_points if not s["is_uwv"])
    assert all(item["texts"]["en"]["title"] for item in pack.instruments)


@pytest.mark.parametrize("slug", packs.available_regions())
def test_every_shipped_instrument_names_a_source_and_invented_ones_are_examples(slug):
    pack = read_pack(slug)
    assert all(item["sources"] for item in pack.instruments)
    sourced_locally = {"utrecht-werkgeverscheque"}  # a CVDR regulation or the municipality's own page
    for item in pack.instruments:
        if item["kind"] == "lokaal" and item["slug"] not in sourced_locally:
            assert item["example"], item["slug"]
            assert "voorbeeld" in item["texts"]["nl"]["what"].lower() and "€" not in str(item["texts"])


def test_the_utrecht_werkgeverscheque_follows_cvdr682612():
    item = next(i for i in read_pack(DEMO).instruments if i["slug"] == "utrecht-werkgeverscheque")
    assert "https://lokaleregelgeving.overheid.nl/CVDR682612/1" in {s["url"] for s in item["sources"]}
    assert item["target_groups"] == ["bijstand"] and not item["example"]


@pytest.mark.parametrize("slug", packs.available_regions())
def test_every_shipped_pack_reads(slug):
    pack = read_pack(slug)
    assert pack.slug == slug and pack.municipalities and pack.people
    assert pack.routing["default_key_account"] in {p["email"] for p in pack.people}


def test_unknown_region_lists_the_shipped_ones():
    with pytest.raises(PackError, match="available: .*midden-utrecht"):
        read_pack("atlantis")


def test_the_site_serves_the_demo_region_by_default(monkeypatch):
    monkeypatch.delenv("WSP_REGION", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["WSP_REGION"] == DEMO
    assert app.test_cli_runner().invoke(args=["wsp", "regions"]).output.split() == packs.available_regions()


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """A database of its own with the demo region, set up as `scripts/run` does on a first start."""
    database = ScratchDatabase(tmp_path_factory.mktemp("demo-db"), "demo")
    app = create_app(make_test_config(database.url, WSP_REGION=DEMO))
    result = app.test_cli_runner().invoke(args=["wsp", "setup"])
    assert result.exit_code == 0, result.output
    app.config["SETUP_OUTPUT"] = result.output
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    database.drop()


def test_setup_loads_the_whole_demo_pack(demo_app):
    last = demo_app.config["SETUP_OUTPUT"].splitlines()[-1]
    assert last == f"Database ready; region {DEMO}: {pack_size(read_pack(DEMO))} created, 0 updated, 0 unchanged"


def test_every_demo_municipality_and_instrument_page_serves(demo_app):
    pack = read_pack(DEMO)
    client = demo_app.test_client()
    api = client.get("/api/v1/gemeenten").get_json()["_embedded"]["gemeenten"]
    assert {m["slug"] for m in api} == {m["slug"] for m in pack.municipalities}
    for prefix, lang in (("", "nl"), ("/en", "en")):
        get_page(client, prefix + "/", lang=lang)
        for muni in pack.municipalities:
            page = get_page(client, f"{prefix}/gemeenten/{muni['slug']}", lang=lang)
            assert muni["name"] in page.h1.get_text()
            get_page(client, f"{prefix}/embed/gemeenten/{muni['slug']}", lang=lang)
        for item in pack.instruments:
            page = get_page(client, f"{prefix}/instrumenten/{item['slug']}", lang=lang)
            assert page.h1.get_text(strip=True) == item["texts"][lang]["title"]


def test_midden_utrechts_basic_package_cites_no_unpublished_agreement_and_no_terms_it_cannot_source(demo_app):
    """The Bestuursopdracht of December 2021 is not a public page and sets no periods: no page cites it, and the
    periods once stated on its strength (trial placement 2 + 4 months, a decision in 2 weeks, work experience
    3 to 6 months) are gone. Job coaching states the City of Utrecht's own rule (its loket page) for its
    residents only: at least 6 months and more than 12 hours a week."""
    client = demo_app.test_client()
    for slug in ("jobcoaching", "loonkostensubsidie", "proefplaatsing", "werkervaringsplek"):
        page = get_page(client, f"/instrumenten/{slug}", lang="nl")
        sources = page.find(id="vraag-bronnen").find_parent("section").get_text(" ")
        assert "Bestuursopdracht" not in sources, slug

    def main_text(path: str, lang: str = "nl") -> str:
        main = get_page(client, path, lang=lang).find("main")
        related = main.find(id="vraag-verwant")  # other schemes' summaries (UWV's trial placement: 2 months)
        if related:
            related.find_parent("section").decompose()
        return " ".join(main.get_text(" ").split())

    trial = main_text("/instrumenten/proefplaatsing")
    assert "2 maanden" not in trial and "binnen 2 weken" not in trial and "staat in de regels" in trial
    experience = main_text("/instrumenten/werkervaringsplek")
    assert "3 tot 6 maanden" not in experience and "binnen 2 weken" not in experience
    coaching = main_text("/instrumenten/jobcoaching")
    assert "Woont de werknemer in de gemeente Utrecht?" in coaching
    assert "minstens 6 maanden en meer dan 12 uur per week" in coaching and "minstens 12 uur" not in coaching
    assert "binnen 4 weken" not in coaching
    assert "at least 6 months and more than 12 hours a week" in main_text("/en/instrumenten/jobcoaching", "en")
    links = [
        a["href"] for a in get_page(client, "/instrumenten/jobcoaching", lang="nl").select("#vraag-bronnen ~ ul a")
    ]
    assert "https://loket.digitaal.utrecht.nl/nl/products/jobcoaching-en-werkbegeleiding-subsidie-aanvragen" in links


def test_the_werkgeverscheque_page_states_the_regulation(demo_app):
    page = get_page(demo_app.test_client(), "/instrumenten/utrecht-werkgeverscheque", lang="nl")
    text = " ".join(page.find("main").get_text(" ").split())
    assert "€ 3.000 bij een arbeidsovereenkomst van 6 maanden" in text
    assert "€ 5.000 bij een arbeidsovereenkomst van 12 maanden" in text
    assert "minstens 12 uur per week" in text and "binnen 6 weken" in text and "naar rato" in text
    assert "Utrechters zonder uitkering vallen er niet onder" in text
    assert "IOAW" in text and "IOAZ" in text
    assert "minstens 6 maanden" in text and "vooraf contact gehad met het WSP" in text
    assert "sinds 21 oktober 2022" in text
    links = [a["href"] for a in page.find(id="vraag-bronnen").find_parent("section").find_all("a")]
    assert "https://lokaleregelgeving.overheid.nl/CVDR682612/1" in links


@pytest.mark.parametrize(
    ("prefix", "lang", "says"), [("", "nl", "Dit is een voorbeeld"), ("/en", "en", "This is an example")]
)
def test_an_example_instrument_says_so_plainly(demo_app, prefix, lang, says):
    page = get_page(demo_app.test_client(), f"{prefix}/instrumenten/ferm-werk-duurzaamheidspremie", lang=lang)
    alert = page.select_one(".utrecht-alert--warning")
    assert alert is not None and says in alert.get_text()
    text = page.find("main").get_text(" ")
    assert "€" not in text and "nog niet bekend" not in text and "not yet known" not in text  # no amount at all
    real = get_page(demo_app.test_client(), f"{prefix}/instrumenten/utrecht-werkgeverscheque", lang=lang)
    assert real.select_one(".utrecht-alert--warning") is None


def test_the_demo_export_reads_back_as_the_shipped_pack(demo_app):
    with demo_app.app_context():
        region = db.session.scalar(select(Region).filter_by(slug=DEMO))
        exported = pack_export.read_files(pack_export.export_region(db.session, region))
    shipped = read_pack(DEMO)
    key = lambda items, field: sorted(items, key=lambda i: i[field])  # noqa: E731
    assert key(exported.instruments, "slug") == key(shipped.instruments, "slug")
    assert key(exported.municipalities, "slug") == key(shipped.municipalities, "slug")
    assert exported.routing == shipped.routing
    assert key(exported.people, "email") == key(shipped.people, "email")


def test_the_second_demo_region_loads_alongside(demo_app):
    with demo_app.app_context():
        report = load_region("amersfoort")
        assert "region amersfoort" in report.created
        amersfoort = db.session.scalar(select(Region).filter_by(slug="amersfoort"))
        names = {m.name for m in amersfoort.municipalities}
        assert {"Amersfoort", "Leusden", "Soest"} <= names
        assert "Utrecht" not in names
        # The same basic-package slug exists once per region.
        assert db.session.scalar(select(func.count()).select_from(Instrument).filter_by(slug="jobcoaching")) == 2
        db.session.remove()


# --- routing: a new employer lands with the account managers of its municipality's service point ----------

DEMO_PACK = read_pack(DEMO)
SERVICE_POINT_OF = {m["slug"]: m["service_point"] for m in DEMO_PACK.municipalities}
NOT_A_WEEKEND = dt.date(2026, 3, 4)


def account_managers(pack, service_point: str) -> list[str]:
    return [p["email"] for p in pack.people if p["service_point"] == service_point and "account_manager" in p["roles"]]


def test_every_service_point_has_a_pool_of_its_own_account_managers():
    pack = DEMO_PACK
    by_municipality = {}
    for rule in pack.routing["rules"]:
        if rule["enabled"] is not False and set(rule["conditions"]) == {"municipality"}:
            for slug in rule["conditions"]["municipality"]:
                assert slug not in by_municipality, f"{slug} is in two rules"
                by_municipality[slug] = rule
    assert set(by_municipality) == set(SERVICE_POINT_OF), "every municipality is in exactly one pool rule"
    for slug, rule in by_municipality.items():
        point = SERVICE_POINT_OF[slug]
        assert set(rule["conditions"]["municipality"]) == {s for s, p in SERVICE_POINT_OF.items() if p == point}
        assert rule["targets"] and set(rule["targets"]) <= set(account_managers(pack, point)), rule["name"]
    # The demo people are spread over the service points: an account manager at each one (UWV's included).
    for point in pack.service_points:
        assert account_managers(pack, point["slug"]), point["slug"]
    assert pack.routing["default_key_account"]  # still the last resort


def first_lead(session, municipality: str | None, request_type: str = "instrument_vraag"):
    region = session.scalar(select(Region).filter_by(slug=DEMO))
    facts = LeadFacts(request_type=request_type, sector="zorg", size_band="10-49", municipality=municipality)
    return route_lead(session, region, facts, None, NOT_A_WEEKEND)


@pytest.mark.parametrize("municipality", sorted(SERVICE_POINT_OF))
@pytest.mark.parametrize("request_type", ["instrument_vraag", "vacature", "kandidaat"])
def test_a_new_employers_first_lead_lands_at_its_own_service_point(demo_app, municipality, request_type):
    with demo_app.app_context():
        decision = first_lead(db.session, municipality, request_type)
        point = SERVICE_POINT_OF[municipality]
        assert decision.owner.email in account_managers(DEMO_PACK, point), decision.reason
        assert decision.owner.service_point.slug == point
        assert decision.rule is not None and municipality in decision.rule.conditions["municipality"]
        db.session.remove()


@pytest.mark.parametrize(
    ("municipality", "service_point"),
    [
        ("lopik", "WSP Lekstroom"),
        ("zeist", "WSP Kromme Rijn Heuvelrug"),
        ("woerden", "WSP Ferm Werk"),
        ("utrecht", "WSP Utrecht"),
    ],
)
def test_lopik_goes_to_lekstroom_and_zeist_to_kromme_rijn_heuvelrug(demo_app, municipality, service_point):
    with demo_app.app_context():
        owner = first_lead(db.session, municipality).owner
        assert owner.service_point.name == service_point and owner.has_role("account_manager")
        assert owner.email != DEMO_PACK.routing["default_key_account"]
        db.session.remove()


def test_outside_the_region_the_default_key_account_takes_the_lead(demo_app):
    with demo_app.app_context():
        decision = first_lead(db.session, None)
        assert decision.rule is None and decision.owner.email == DEMO_PACK.routing["default_key_account"]
        db.session.remove()


def test_the_pool_shares_new_employers_by_open_workload(demo_app):
    """Two new employers from Lekstroom municipalities, one after the other: one account manager each, and each
    becomes the account holder of the employer it received."""
    with demo_app.app_context():
        region = db.session.scalar(select(Region).filter_by(slug=DEMO))
        owners = []
        for number, municipality in enumerate(["lopik", "houten"]):
            form = Submission(
                company_name=f"Voorbeeldbedrijf {number}",
                contact_name="Demo Contact",
                email=f"info@voorbeeld-{number}.example.nl",
                phone=None,
                request_type="kandidaat",
                sector="bouw",
                size_band="10-49",
                municipality_slug=municipality,
            )
            lead = submit_lead(db.session, region, form).lead
            db.session.flush()
            assert lead.employer.account_holder == lead.owner
            owners.append(lead.owner)
        lekstroom = set(account_managers(DEMO_PACK, "lekstroom"))
        assert {o.email for o in owners} == lekstroom and len(lekstroom) == 2
        db.session.rollback()
        db.session.remove()


# --- the candidate pool of the demo region (issue 13) ---------------------------------------------------------


def test_the_demo_pool_is_spread_over_the_service_points(demo_app):
    from wsp_site.models import CandidateProfile

    pack = read_pack(DEMO)
    assert len(pack.candidates) >= 30
    points = {m["slug"]: m["service_point"] for m in pack.municipalities}
    assert {points[c.municipality] for c in pack.candidates} == {
        s["slug"] for s in pack.service_points if not s["is_uwv"]
    }
    assert all(c.contact.endswith("@example.nl") and c.consent is not None for c in pack.candidates)
    with demo_app.app_context():
        profiles = db.session.scalars(select(CandidateProfile)).all()
        assert len(profiles) == len(pack.candidates)
        assert all(p.consents and p.first_published_at for p in profiles)
    client = demo_app.test_client()
    body = client.get("/api/v1/kandidaten?paginaGrootte=50").get_json()
    assert body["totaal"] == len(pack.candidates)
    assert any(item["gemeente"] for item in body["_embedded"]["kandidaten"])  # Utrecht has enough to be named
    assert not all(item["gemeente"] for item in body["_embedded"]["kandidaten"])


def test_no_demo_candidate_or_consultant_is_named_on_the_public_pool(demo_app):
    pack = read_pack(DEMO)
    consultants = {p["name"] for p in pack.people if "consultant" in p["roles"]}
    personal = {c.name for c in pack.candidates} | {c.contact for c in pack.candidates} | consultants
    client = demo_app.test_client()
    pages = ["/kandidaten", "/en/kandidaten", "/kandidaten?pagina=2", "/api/v1/kandidaten?paginaGrootte=50"]
    pages += [f"/kandidaten/{c.code}" for c in pack.candidates]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert not [word for word in personal if word in body], path


def test_loading_the_demo_pool_twice_changes_nothing(demo_app):
    with demo_app.app_context():
        report = load_region(DEMO, dry_run=True)
    assert not [line for line in report.created + report.updated if line.startswith("candidate ")]


# --- the vacancies of the demo region (issue 14) ----------------------------------------------------------------


def test_the_demo_region_ships_a_dozen_invented_vacancies(demo_app):
    from wsp_site.models import Employer, OutboxMessage, Vacancy

    pack = read_pack(DEMO)
    assert len(pack.vacancies) >= 12
    public = [v for v in pack.vacancies if v.public]
    assert 5 <= len(public) < len(pack.vacancies)
    assert all(v.email.endswith(".example.nl") for v in pack.vacancies)
    assert {v.municipality for v in pack.vacancies} <= {m["slug"] for m in pack.municipalities}
    people = {p["email"] for p in pack.people}
    with demo_app.app_context():
        vacancies = db.session.scalars(select(Vacancy)).all()
        assert len(vacancies) == len(pack.vacancies)
        assert len({v.employer_id for v in vacancies}) == len(vacancies)
        assert {v.employer.name for v in vacancies} == {v.company for v in pack.vacancies}
        for vacancy in vacancies:
            assert vacancy.lead.request_type == "vacature" and vacancy.lead.routing_reason
            assert vacancy.owner.email in people and vacancy.owner_id == vacancy.lead.owner_id
            assert vacancy.status in ("new", "open")
        leads = [v.lead_id for v in vacancies]
        assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.lead_id.in_(leads))).all()
        assert db.session.scalar(select(func.count()).select_from(Employer)) >= len(vacancies)
    client = demo_app.test_client()
    page = get_page(client, "/vacatures")
    assert len(page.select(".wsp-card__link")) == len(public)
    get_page(client, "/en/vacatures", lang="en")
    body = client.get("/api/v1/vacatures?paginaGrootte=50").get_json()
    assert body["totaal"] == len(public) >= 5
    for item in body["_embedded"]["vacatures"]:
        assert client.get(f"/vacatures/{item['kenmerk']}").status_code == 200


def test_no_demo_contact_person_appears_on_the_public_vacancies(demo_app):
    pack = read_pack(DEMO)
    personal = {v.contact_name for v in pack.vacancies} | {v.email for v in pack.vacancies}
    personal |= {v.phone for v in pack.vacancies if v.phone}
    client = demo_app.test_client()
    body = client.get("/api/v1/vacatures?paginaGrootte=50").get_json()
    pages = ["/vacatures", "/en/vacatures", "/api/v1/vacatures?paginaGrootte=50"]
    pages += [f"/vacatures/{item['kenmerk']}" for item in body["_embedded"]["vacatures"]]
    for path in pages:
        text = client.get(path).get_data(as_text=True)
        assert not [word for word in personal if word in text], path


def test_loading_the_demo_vacancies_twice_changes_nothing(demo_app):
    from wsp_site.models import Employer, Lead, Vacancy

    def counts():
        return [db.session.scalar(select(func.count()).select_from(model)) for model in (Vacancy, Lead, Employer)]

    with demo_app.app_context():
        before = counts()
        report = load_region(DEMO, dry_run=True)
        assert not [line for line in report.created + report.updated if line.startswith("vacancy ")]
        report = load_region(DEMO)
        assert not [line for line in report.created + report.updated if line.startswith("vacancy ")]
        assert counts() == before


# --- intermediaries of the demo region (issue 13, item 8) ----------------------------------------------------


def test_the_demo_region_has_a_public_and_a_private_intermediary_with_one_person_each(demo_app):
    from wsp_site.models import Intermediary, User

    pack = read_pack(DEMO)
    assert sorted(entry.public for entry in pack.intermediaries) == [False, True]
    assert all(
        len(entry.people) == 1 and entry.people[0].email.endswith(".example.nl") for entry in pack.intermediaries
    )
    with demo_app.app_context():
        loaded = db.session.scalars(select(Intermediary).order_by(Intermediary.kvk)).all()
        assert [(i.kvk, i.public) for i in loaded] == sorted((e.kvk, e.public) for e in pack.intermediaries)
        for organisation in loaded:
            people = db.session.scalars(select(User).filter_by(intermediary_id=organisation.id)).all()
            assert len(people) == 1 and people[0].roles == ["intermediary"] and people[0].active
