"""Bulk import of candidate profiles: the file (separator, BOM, encoding, header, limits), every row checked by the
profile form's rules with a report by row and column, a dry run that writes nothing, all or nothing, consent
only from the row's consent fields and still four-eyes for the first publication; the upload page and the CLI."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from wsp_site.backoffice import pool_import
from wsp_site.backoffice.pool_import import ImportFileError, import_profiles, read_rows
from wsp_site.clock import utcnow
from wsp_site.models import AuditEvent, CandidateConsent, CandidateFacet, CandidateProfile
from wsp_site.services.pool import profiles

HEADER = (
    "naam;contact;situatie;gemeente;beroepen;werkvormen;uren_min;uren_max;beschikbaar_vanaf;reisafstand_km;"
    "opleiding;rijbewijs;nederlands;over;ondersteuning;toestemming;toestemming_gezondheid"
)
GOOD = (
    "Testkandidaat Importeen;via de consulent;bijstand;Polderdam;9333|5223;regulier|basisbaan;16;32;01-02-2027;15;"
    "mbo2;ja;b1;Ik werk graag met mijn handen.;Een vaste collega die het werk uitlegt.;;"
)
WITH_CONSENT = (
    "Testkandidaat Importtwee;kandidaat@kandidaat.example.nl;wajong;GM9905;9112;proefplaatsing;8;20;2027-03-01;5;"
    "vmbo;nee;a2;Ik ben nauwkeurig en rustig.;;werkgevers;ja"
)


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False, sep: str = ";") -> bytes:
    text = "\n".join([header, *rows]).replace(";", sep) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def counts(db) -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (CandidateProfile, CandidateConsent, AuditEvent, CandidateFacet)
    )


@pytest.fixture
def consultant(make_staff):
    return make_staff("consultant", sp="dijkland")


def run(app, db, region, actor, raw: bytes, **options):
    with app.test_request_context():
        result = import_profiles(db.session, region, actor, raw, utcnow(), **options)
        db.session.commit()
    return result


# --- the file ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", ","])
@pytest.mark.parametrize("bom", [False, True])
def test_separator_and_bom(sep, bom):
    # with commas the free texts must not hold commas: none of GOOD's do
    rows = read_rows(csv_bytes(GOOD, bom=bom, sep=sep))
    assert [(number, values["gemeente"], values["uren_max"]) for number, values, _extra in rows] == [
        (2, "Polderdam", "32")
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"naam;contact\nx;y\n", "Deze kolommen ontbreken: situatie, gemeente"),
        (csv_bytes(GOOD, header=HEADER + ";geboortedatum"), "Deze kolommen kennen we niet: geboortedatum"),
        (csv_bytes(GOOD, header=HEADER + ";naam"), "Deze kolommen staan er twee keer in: naam"),
        ((HEADER + "\n" + GOOD + "\n").encode("utf-16"), "Het bestand is geen UTF-8"),
        ((HEADER + "\n" + GOOD.replace("Importeen", "Impörteen") + "\n").encode("latin-1"), "geen UTF-8"),
        (b"", "Het bestand is leeg"),
        (csv_bytes(), "geen profielen"),
        (b"x" * (pool_import.MAX_BYTES + 1), "Het bestand is te groot"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(app, raw, message):
    with app.test_request_context(), pytest.raises(ImportFileError) as refused:
        read_rows(raw)
    assert message in str(refused.value)


def test_too_many_rows(app, monkeypatch):
    monkeypatch.setattr(pool_import, "MAX_ROWS", 2)
    with app.test_request_context(), pytest.raises(ImportFileError, match="meer dan 2 profielen"):
        read_rows(csv_bytes(GOOD, GOOD, GOOD))


# --- the rows ----------------------------------------------------------------------------------------


def test_every_problem_named_by_row_and_column(app, db, region, consultant):
    bad = (
        "Testkandidaat Fout;;student;Atlantis;9333|9112|5223|7231;vast;40;20;morgen;15;mbo9;misschien;b1;"
        "Bel me op 06-12345678.;;iedereen;"
    )
    before = counts(db)
    result = run(app, db, region, consultant, csv_bytes(GOOD, bad, "", WITH_CONSENT), consent_confirmed=True)
    problems = {(number, column) for number, column, _message in result.problems}
    assert problems == {
        (3, "contact"),
        (3, "situatie"),
        (3, "gemeente"),
        (3, "beroepen"),
        (3, "werkvormen"),
        (3, "uren_max"),
        (3, "beschikbaar_vanaf"),
        (3, "opleiding"),
        (3, "rijbewijs"),
        (3, "over"),
        (3, "toestemming"),
    }
    messages = {column: message for number, column, message in result.problems}
    assert "telefoonnummer" in messages["over"]  # the free-text checker's own message
    assert messages["uren_max"] == "Het maximum is kleiner dan het minimum."  # the form's
    assert [row.number for row in result.rows] == [2, 3, 5]  # the empty row 4 is skipped, numbers kept
    assert counts(db) == before  # all or nothing: the good rows are not imported either


def test_the_name_in_a_free_text_is_refused_as_on_the_form(app, db, region, consultant):
    row = GOOD.replace("Ik werk graag met mijn handen.", "Importeen werkt graag met zijn handen.")
    result = run(app, db, region, consultant, csv_bytes(row))
    assert [(n, c) for n, c, _m in result.problems] == [(2, "over")]
    assert "naam van de kandidaat" in result.problems[0][2]


def test_a_row_with_too_many_values(app, db, region, consultant):
    result = run(app, db, region, consultant, csv_bytes(GOOD + ";extra"))
    assert result.problems == [(2, "", "Deze rij heeft meer waarden dan er kolommen zijn.")]


def test_consent_fields_need_the_confirmation(app, db, region, consultant):
    result = run(app, db, region, consultant, csv_bytes(WITH_CONSENT))
    assert [(n, c) for n, c, _m in result.problems] == [(2, "toestemming")]
    assert "toestemmingstekst" in result.problems[0][2]


# --- dry run, import, consent, four-eyes ----------------------------------------------------------------


def test_a_dry_run_writes_nothing(app, db, region, consultant):
    before = counts(db)
    result = run(app, db, region, consultant, csv_bytes(GOOD, WITH_CONSENT), dry_run=True, consent_confirmed=True)
    assert not result.problems and result.valid == 2 and result.with_consent == 1 and not result.imported
    assert counts(db) == before


def test_import_drafts_and_consent_then_four_eyes(app, db, region, consultant, make_staff, client):
    result = run(app, db, region, consultant, csv_bytes(GOOD, WITH_CONSENT), consent_confirmed=True)
    assert result.imported and not result.problems
    draft, with_consent = (db.session.scalar(select(CandidateProfile).filter_by(code=row.code)) for row in result.rows)
    assert draft.consents == [] and draft.municipality.slug == "polderdam" and draft.consultant == consultant
    assert draft.occupations == ["9333", "5223"] and draft.work_forms == ["regulier", "basisbaan"]
    assert draft.driving_licence and str(draft.available_from) == "2027-02-01"
    assert with_consent.municipality.slug == "heidedorp" and with_consent.service_point.slug == "heidebos"
    [consent] = with_consent.consents
    assert consent.recorded_by == consultant and consent.show_health and consent.scope == "werkgevers"
    # the first publication waits for a second person, as on the form
    for profile in (draft, with_consent):
        assert profile.review_status == "ter_beoordeling" and profile.first_published_at is None
        assert profile.text_author == consultant
    assert client.get(f"/kandidaten/{with_consent.code}").status_code == 404
    assert db.session.scalar(select(AuditEvent).filter_by(action="pool.import")).data == {
        "profiles": 2,
        "with_consent": 1,
    }
    colleague = make_staff("coordinator", sp=None)
    for profile in (draft, with_consent):
        profiles.approve(db.session, colleague, profile, utcnow())
    db.session.commit()
    assert client.get(f"/kandidaten/{with_consent.code}").status_code == 200
    assert client.get(f"/kandidaten/{draft.code}").status_code == 404  # approved, but no consent


# --- the upload page and the command -------------------------------------------------------------------


def upload(client_request, raw: bytes, action: str, status: int, **extra):
    data = {"file": (io.BytesIO(raw), "kandidaten.csv"), "actie": action, **extra}
    return client_request.post("backoffice.pool_import", _data=data, _expected_status=status)


def test_upload_check_then_import(client_request, db, login_as, consultant):
    login_as(consultant)
    before = counts(db)
    page = upload(client_request, csv_bytes(GOOD), "controleren", 200)
    assert "Alle 1 rijen kloppen" in page.select_one("#resultaat").find_parent("section").get_text()
    assert counts(db) == before
    page = upload(client_request, csv_bytes(GOOD, GOOD.replace(";16;", ";veel;")), "importeren", 400)
    cells = [td.get_text(strip=True) for td in page.select("#problemen tbody tr")[0].select("th, td")]
    assert cells[:2] == ["3", "uren_min"]
    assert counts(db) == before
    upload(client_request, csv_bytes(GOOD), "importeren", 303)
    assert counts(db)[0] == before[0] + 1


def test_upload_of_a_wrong_file_is_a_clear_error(client_request, db, login_as, consultant):
    login_as(consultant)
    page = upload(client_request, "naam;iets\n".encode("utf-16"), "controleren", 400)
    assert "geen UTF-8" in page.get_text()


def test_cli_import(app, db, consultant, tmp_path):
    path = tmp_path / "kandidaten.csv"
    runner = app.test_cli_runner()
    path.write_bytes(csv_bytes(GOOD, GOOD.replace("Polderdam", "Atlantis")))
    before = counts(db)
    result = runner.invoke(args=["pool", "import", str(path), "--as", consultant.email])
    assert result.exit_code == 1 and "row 3, gemeente: Kies uit de lijst." in result.output
    path.write_bytes(csv_bytes(GOOD))
    result = runner.invoke(args=["pool", "import", str(path), "--as", consultant.email, "--dry-run"])
    assert result.exit_code == 0 and "(dry run, nothing written) 1 profiles would be imported" in result.output
    assert counts(db) == before
    result = runner.invoke(args=["pool", "import", str(path), "--as", consultant.email])
    assert result.exit_code == 0, result.output
    assert counts(db)[0] == before[0] + 1
    result = runner.invoke(args=["pool", "import", str(path), "--as", "niemand@example.nl"])
    assert result.exit_code != 0 and "not an active consultant" in result.output
    path.write_bytes(b"\xff\xfe\x00")
    result = runner.invoke(args=["pool", "import", str(path), "--as", consultant.email])
    assert result.exit_code == 1 and "geen UTF-8" in result.output and "Traceback" not in result.output


def test_the_optional_age_band_column(app, db, region, consultant):
    header = HEADER + ";leeftijdsgroep"
    rows = (GOOD + ";50_plus", WITH_CONSENT + ";", GOOD.replace("Importeen", "Importdrie") + ";oud")
    result = run(app, db, region, consultant, csv_bytes(*rows, header=header), consent_confirmed=True)
    assert [(number, column) for number, column, _message in result.problems] == [(4, "leeftijdsgroep")]
    result = run(app, db, region, consultant, csv_bytes(*rows[:2], header=header), consent_confirmed=True)
    assert not result.problems
    bands = dict(db.session.execute(select(CandidateProfile.name, CandidateProfile.age_band)).all())
    assert bands == {"Testkandidaat Importeen": "50_plus", "Testkandidaat Importtwee": None}
