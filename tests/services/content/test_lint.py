"""`flask content check`: the content lint over a fixture pack with one of each problem, and the shipped packs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
import yaml

from wsp_site.clock import local_today
from wsp_site.services.content import amounts, lint
from wsp_site.services.packs.read import CONTENT_DIR, REGIONS_DIR

FIXTURE = Path(__file__).parent / "lint_pack"
INSTRUMENTS = FIXTURE / "regions" / "lintregio" / "instruments"
CHECKED_ON = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)

# The problems the lint may find in the shipped packs and leave to content work: none. (From 1 December 2026
# the LKV's 2026 amounts needed 2027 figures; its text now says they could not be checked yet, and when.)
KNOWN_SHIPPED: set[tuple[str, str]] = set()


def run_check(app, *args: str):
    with time_machine.travel(CHECKED_ON, tick=False):
        return app.test_cli_runner().invoke(args=["content", "check", *args])


def test_the_fixture_pack_fails_with_each_problem(app):
    result = run_check(app, str(FIXTURE))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()

    def line_of(name: str) -> str:
        found = [line for line in lines if f"{name}.yaml:" in line]
        assert len(found) == 1, (name, lines)
        return found[0]

    assert line_of("lint-oud-gecontroleerd").endswith(": last_reviewed: reviewed 2025-06-01, 12 months or more ago")
    assert ": valid_until: ended on 2026-06-30" in line_of("lint-afgelopen")
    assert ": nl.what: uses the glossary term 'loonwaarde' without a link" in line_of("lint-begrip-zonder-link")
    assert line_of("lint-je-en-u").endswith(": nl.what: informal 'je' beside formal 'u'")
    assert line_of("lint-zonder-bron").endswith(": sources: no source: name the regulation or the provider's page")
    assert line_of("lint-bedrag-zonder-jaar").endswith(
        ": nl.employer_gets: amount without the year it applies to: € 1.500"
    )
    assert line_of("lint-bedrag-zonder-volgend-jaar").endswith(
        ": nl.employer_gets: amount of 2026 without a figure for 2027: € 1.500"
    )
    assert line_of("lint-engels-ouder").endswith(
        ": en.conditions: English older than Dutch? figures differ (Dutch only: 12; English only: 6)"
    )
    assert not [line for line in lines if "lint-schoon" in line]
    assert len(lines) == 8
    assert str(INSTRUMENTS / "lint-afgelopen.yaml") in str(Path(line_of("lint-afgelopen").split(":")[0]).resolve())
    # what a pack cannot tell is said, not silently skipped
    assert "English older than Dutch: checked as figures" in result.stderr and "editors' content list" in result.stderr


def test_one_region_directory_and_a_pack_that_does_not_load(app, tmp_path):
    result = run_check(app, str(FIXTURE / "regions" / "lintregio"))  # the shared content is the shipped one
    assert result.exit_code == 1 and "lint-je-en-u.yaml: nl.what" in result.stdout
    broken = tmp_path / "regions" / "kapot"
    broken.mkdir(parents=True)
    (broken / "region.yaml").write_text("slug: kapot\nname: [\n", encoding="utf-8")
    result = run_check(app, str(tmp_path))
    assert result.exit_code == 1 and "region.yaml: line" in result.stdout and "invalid YAML" in result.stdout


def test_informal_only_beside_formal_and_the_sources_hook():
    raw = {"nl": {"title": "Tip", "what": "Zo pak je het aan."}}
    assert lint.informal_problems(raw) == []  # no "u" anywhere: consistent, if informal
    raw["nl"]["how_to_apply"] = "U vraagt het aan bij de gemeente."
    assert lint.informal_problems(raw) == [("nl.what", "informal 'je' beside formal 'u'")]
    assert lint.missing_sources({"slug": "x"}, fields=set()) == []  # a schema without `sources`: quiet
    assert lint.missing_sources({"slug": "x"}) == [("sources", "no source: name the regulation or the provider's page")]
    assert lint.missing_sources({"slug": "x"}, fields={"sources"}) == [
        ("sources", "no source: name the regulation or the provider's page")
    ]
    assert lint.missing_sources({"sources": [{"url": "https://wetten.overheid.nl/"}]}, fields={"sources"}) == []


def test_the_shipped_packs_have_no_problems_but_the_known_ones(app):
    result = lint.check_packs(REGIONS_DIR, CONTENT_DIR, local_today(), app.config["STALE_AFTER_MONTHS"])
    assert result.checked_files >= 14
    found = {(Path(p.file).name, p.key) for p in result.problems}
    assert found <= KNOWN_SHIPPED, "\n".join(p.line() for p in result.problems)


def test_flask_content_check_on_the_shipped_packs_names_only_the_known_problems(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    found = {(Path(line.split(": ")[0]).name, line.split(": ")[1]) for line in result.stdout.splitlines()}
    assert found <= KNOWN_SHIPPED, result.stdout
    assert result.exit_code == (1 if found else 0), result.stdout


def test_english_with_other_figures_than_the_dutch_is_older():
    raw = {
        "nl": {"employer_gets": "Tot **€ 3.000** (2026), 70% van het WML, € 1,01 per uur.", "conditions": "12 uur."},
        "en": {"employer_gets": "Up to **€3,000** (2026), 70% of the WML, € 1.01 an hour.", "conditions": "12 hours."},
    }
    assert lint.translation_problems(raw) == []  # the same figures, each written the way its language does
    raw["nl"]["employer_gets"] = raw["nl"]["employer_gets"].replace("€ 3.000", "€ 3.500")
    assert lint.translation_problems(raw) == [
        ("en.employer_gets", "English older than Dutch? figures differ (Dutch only: 3500; English only: 3000)")
    ]
    del raw["en"]["employer_gets"]  # no English: the page shows the Dutch, nothing to compare
    assert lint.translation_problems(raw) == []
    assert amounts.figures_in("€ 6.000 per jaar, 3 jaar, Stb. 2023, 131", "nl") == {6000, 3, 2023, 131}


def test_an_amount_names_its_year_nearby():
    def years(text):
        return [(a.text, a.year) for a in amounts.amounts_in(text)]

    assert years("In 2026 is het € 1,01 per uur. Daarna € 2.000.") == [("€ 1,01", 2026), ("€ 2.000", None)]
    assert years("Per 1 januari 2026: € 2000 per jaar (2027: € 2100).") == [("€ 2000", 2026), ("€ 2100", 2027)]
    assert years("Bedragen in 2026:\n\n- **€ 3,05** per uur\n- € 6.000 per jaar") == [
        ("€ 3,05", 2026),
        ("€ 6.000", 2026),
    ]
    assert years("Tot € 2.000 (2026).") == [("€ 2.000", 2026)]
    assert years("Tot € 2.000 per jaar.") == [("€ 2.000", None)]


@pytest.mark.parametrize(
    ("moment", "flagged"),
    [
        (dt.datetime(2026, 11, 30, 22, 59, tzinfo=dt.UTC), False),  # 23:59 on 30 November in Amsterdam
        (dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC), True),  # 00:00 on 1 December in Amsterdam
        (dt.datetime(2027, 1, 2, 12, 0, tzinfo=dt.UTC), False),  # 2027 now: a 2026 amount is no longer this year's
    ],
)
def test_from_1_december_this_years_amounts_need_next_years_figure(moment, flagged):
    raw = {"nl": {"title": "Premie", "employer_gets": "In 2026 € 1.500."}, "sources": [{"url": "https://x.nl"}]}
    message = ("nl.employer_gets", "amount of 2026 without a figure for 2027: € 1.500")
    with time_machine.travel(moment, tick=False):
        today = local_today()
    assert (message in lint.amount_problems(raw, today)) is flagged
    with_next = {"nl": {"employer_gets": "In 2026 € 1.500; in 2027 € 1.550."}}
    assert lint.amount_problems(with_next, today) == []
    ends = {**raw, "valid_until": "2026-12-31"}  # ends this year: no figure for next year needed
    assert lint.amount_problems(ends, dt.date(2026, 12, 2)) == []
    said = {"nl": {"employer_gets": "In 2026 € 1.500. De bedragen voor 2027 zijn nog niet bekend (3 december)."}}
    assert lint.amount_problems(said, today) == []  # the text tells the reader what is known of next year
    other_year = {"nl": {"employer_gets": "In 2026 € 1.500. Sinds 2018 ongewijzigd."}}
    assert (message in lint.amount_problems({**raw, **other_year}, today)) is flagged  # naming 2018 is not that


def test_the_shipped_lkv_has_no_2027_figure_and_stays_on_the_stale_list():
    """4 December 2026: no 2027 LKV figure was found, so the text says so (the lint accepts that) and the 2026
    amounts stay on the editors' stale list until the 2027 figure is in the text."""
    raw = yaml.safe_load((CONTENT_DIR / "uwv" / "loonkostenvoordeel.yaml").read_text(encoding="utf-8"))
    fields = [(f"{lang}.{key}", value) for lang in ("nl", "en") for key, value in raw[lang].items()]
    today = dt.date(2026, 12, 4)
    assert lint.amount_problems(raw, today) == []
    due = {a.text for _key, a in amounts.without_next_year(fields, today, note_answers=False)}
    assert {"€ 3,05", "€ 6.000", "€ 1,01", "€ 2.000"} <= due
    assert not any(a.year == 2027 for _key, text in fields for a in amounts.amounts_in(text))
