"""Bulk import of candidate profiles from a CSV export of a municipality's or UWV's client system.

Used by the back office's upload (/beheer/kandidaten/importeren) and by `flask pool import FILE.csv`. Every row
goes through the profile form (ProfileForm, with the same choices), the profile schema and profiles.save (the
free-text check among it), exactly as a profile typed into the back office: there is no second copy of the
rules. A row with consent fields also goes through the consent form, and its consent is recorded by the person
importing; its first publication still waits for a second person to approve it (four-eyes), as on the form.
A row without consent fields becomes a profile that is not shown anywhere until a consent is recorded.

The file (IMPORT_COLUMNS below; README "Bulk import of candidates"): a header row with the column names, then a
profile per row; separated by ; or , (read from the header); UTF-8, with or without a BOM. At most MAX_BYTES and
MAX_ROWS rows. All or nothing: while any row has a problem nothing is imported, and the report names every
problem by row number (the header is row 1, as in a spreadsheet), column and message. A dry run checks every
row the same way (saving inside a transaction that is rolled back) and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from wsp_site.backoffice.pool_forms import ConsentForm, ProfileForm, consent_choices, fill_choices
from wsp_site.models import AuditEvent, Municipality, Region, User
from wsp_site.schemas.pool import ProfileIn
from wsp_site.services.people.audit import AdminRefused
from wsp_site.services.pool import consent as consent_ledger
from wsp_site.services.pool import profiles

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
MAX_OCCUPATIONS = 3
# column -> (form field, required, what it holds) -- the documentation of the file, also shown on the upload page
IMPORT_COLUMNS: dict[str, tuple[str, bool, str]] = {
    "naam": ("name", True, _l("naam van de kandidaat")),
    "contact": ("contact", True, _l("hoe het WSP de kandidaat bereikt (e-mail, telefoon), in woorden")),
    "situatie": ("situation", True, _l("bijstand, nug, ww, wia, ziektewet, wajong of doelgroepregister")),
    "leeftijdsgroep": (
        "age_band",
        False,
        _l("tot_27, 27_49 of 50_plus; leeg: niet vastgelegd (alleen voor de rapportage)"),
    ),
    "gemeente": ("municipality", True, _l("woongemeente: naam, code (slug) of CBS-code")),
    "consulent": ("consultant", False, _l("e-mailadres van de verantwoordelijke consulent; leeg: wie importeert")),
    "beroepen": ("occupations", True, _l("1 tot 3 ISCO-08-codes (4 cijfers), gescheiden door |")),
    "werkvormen": ("work_forms", True, _l("regulier, leerwerkplek, basisbaan, proefplaatsing, werkervaringsplek; |")),
    "uren_min": ("hours_min", True, _l("uren per week, minimaal")),
    "uren_max": ("hours_max", True, _l("uren per week, maximaal")),
    "beschikbaar_vanaf": ("available_from", True, _l("datum: JJJJ-MM-DD of DD-MM-JJJJ")),
    "reisafstand_km": ("travel_km", True, _l("enkele reis, in km")),
    "opleiding": ("education_level", True, _l("basisonderwijs, vmbo, mbo1 ... mbo4, havo_vwo, hbo, wo")),
    "rijbewijs": ("driving_licence", False, _l("ja of nee (leeg: nee)")),
    "nederlands": ("dutch_level", True, _l("a1, a2, b1, b2, c1 of moedertaal")),
    "over": ("about", False, _l("wat ik goed kan en wat ik zoek (wordt gecontroleerd op namen, nummers, adressen)")),
    "ondersteuning": ("support", False, _l("wat helpt op het werk, in gewone woorden")),
    "toestemming": ("scope", False, _l("leeg: geen toestemming (concept); werkgevers of werkgevers_bemiddelaars")),
    "toestemming_gezondheid": ("show_health", False, _l("ja: regelingen die een arbeidsbeperking verraden tonen")),
}
FIELD_COLUMNS = {form_field: column for column, (form_field, _r, _w) in IMPORT_COLUMNS.items()}
FIELD_COLUMNS.update({"occupation_1": "beroepen", "occupation_2": "beroepen", "occupation_3": "beroepen"})
FIELD_COLUMNS["confirmed"] = "toestemming"
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
LIST_SPLIT = re.compile(r"[|/\s]+")
DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, header, row count): nothing was imported."""


@dataclass
class RowResult:
    number: int  # the row in the spreadsheet: the header is row 1
    code: str | None = None
    consent: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)

    @property
    def problems(self) -> list[tuple[int, str, str]]:
        return [(row.number, column, message) for row in self.rows for column, message in row.problems]

    @property
    def valid(self) -> int:
        return sum(1 for row in self.rows if not row.problems)

    @property
    def with_consent(self) -> int:
        return sum(1 for row in self.rows if row.consent and not row.problems)

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.problems and bool(self.rows)


def read_rows(raw: bytes) -> list[tuple[int, dict[str, str], bool]]:
    """(row number, column -> value, whether the row has more values than columns) for every non-empty row;
    ImportFileError when the file cannot be used."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            _("Het bestand is te groot: hoogstens %(kb)s kB. Splits het in kleinere bestanden.", kb=MAX_BYTES // 1000)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Het bestand is geen UTF-8. Sla het op als ‘CSV UTF-8 (door komma's gescheiden)’ en probeer opnieuw.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("Dit is geen CSV-bestand (tekst). Exporteer de profielen als CSV."))
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportFileError(_("Het bestand is leeg: de eerste regel moet de kolomnamen bevatten."))
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        unknown = [name for name in header if name not in IMPORT_COLUMNS]
        missing = [name for name, (_f, required, _w) in IMPORT_COLUMNS.items() if required and name not in header]
        doubled = sorted({name for name in header if header.count(name) > 1})
        if unknown or missing or doubled:
            parts = []
            if missing:
                parts.append(_("Deze kolommen ontbreken: %(names)s.", names=", ".join(missing)))
            if unknown:
                parts.append(_("Deze kolommen kennen we niet: %(names)s.", names=", ".join(unknown)))
            if doubled:
                parts.append(_("Deze kolommen staan er twee keer in: %(names)s.", names=", ".join(doubled)))
            raise ImportFileError(
                _("De eerste regel (de kolomnamen) klopt niet.") + " " + " ".join(parts) + " "
                + _("Gebruik de kolomnamen uit de beschrijving van het bestand.")
            )  # fmt: skip
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("Het bestand heeft meer dan %(max)s profielen. Splits het in kleinere bestanden.", max=MAX_ROWS)
                )
            cells = dict(zip(header, [v.strip() for v in values], strict=False))
            rows.append((number, cells, len(values) > len(header)))
    except csv.Error as exc:
        raise ImportFileError(_("Het bestand is geen geldig CSV-bestand: %(error)s", error=str(exc))) from None
    if not rows:
        raise ImportFileError(_("Het bestand heeft kolomnamen maar geen profielen."))
    return rows


def _yes_no(value: str) -> bool | None:
    value = (value or "").strip().lower()
    return True if value in YES else False if value in NO else None


def _date(value: str) -> str:
    match = DUTCH_DATE.match(value or "")
    return f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}" if match else value


class _Lookups:
    """Names in the file to the keys the form takes: municipality ids, consultants' ids."""

    def __init__(self, session: Session, region: Region):
        self.municipalities: dict[str, str] = {}
        for muni in session.scalars(select(Municipality).filter_by(region_id=region.id)):
            for key in (muni.slug, muni.name, muni.cbs_code):
                if key:
                    self.municipalities[str(key).strip().lower()] = str(muni.id)
        self.session, self.region = session, region

    def municipality(self, value: str) -> str:
        return self.municipalities.get(value.strip().lower(), value)

    def consultant(self, value: str) -> str:
        if not value:
            return ""
        found = self.session.scalar(
            select(User.id).filter_by(region_id=self.region.id).where(func.lower(User.email) == value.strip().lower())
        )
        return str(found) if found is not None else value


def _profile_form(values: dict[str, str], lookups: _Lookups, problems: list) -> ProfileForm:
    data = MultiDict()
    for column, (form_field, _required, _what) in IMPORT_COLUMNS.items():
        value = values.get(column, "")
        if column in ("beroepen", "werkvormen", "rijbewijs", "toestemming", "toestemming_gezondheid"):
            continue
        if column == "gemeente":
            value = lookups.municipality(value)
        elif column == "consulent":
            value = lookups.consultant(value)
        elif column == "beschikbaar_vanaf":
            value = _date(value)
        data[form_field] = value
    codes = [code for code in LIST_SPLIT.split(values.get("beroepen", "")) if code]
    if len(codes) > MAX_OCCUPATIONS:
        problems.append(("beroepen", _("Hoogstens %(max)s beroepen.", max=MAX_OCCUPATIONS)))
    for number, code in enumerate(codes[:MAX_OCCUPATIONS], start=1):
        data[f"occupation_{number}"] = code
    for form in LIST_SPLIT.split(values.get("werkvormen", "")):
        if form:
            data.add("work_forms", form)
    licence = _yes_no(values.get("rijbewijs", ""))
    if licence is None:
        problems.append(("rijbewijs", _("Vul ja of nee in.")))
    elif licence:
        data["driving_licence"] = "y"
    form = ProfileForm(formdata=data, meta={"csrf": False})
    return form


def _consent_form(values: dict[str, str], confirmed: bool, problems: list) -> ConsentForm | None:
    """The row's consent, or None when it carries none."""
    scope = values.get("toestemming", "")
    health = _yes_no(values.get("toestemming_gezondheid", ""))
    if health is None:
        problems.append(("toestemming_gezondheid", _("Vul ja of nee in.")))
    if not scope:
        if health:
            problems.append(("toestemming", _("Vul de toestemming in, of laat ook toestemming_gezondheid leeg.")))
        return None
    data = MultiDict({"scope": scope})
    if health:
        data["show_health"] = "y"
    if confirmed:
        data["confirmed"] = "y"
    form = ConsentForm(formdata=data, meta={"csrf": False})
    consent_choices(form)
    return form


def _errors(form, problems: list) -> None:
    for item in form:
        for message in item.errors:
            problems.append((FIELD_COLUMNS.get(item.name, item.name), str(message)))


def _import_row(session, region, actor, values, lookups, now, confirmed: bool, result: RowResult) -> None:
    problems = result.problems
    form = _profile_form(values, lookups, problems)
    fill_choices(form, region)
    consent_form = _consent_form(values, confirmed, problems)
    profile_ok = form.validate()
    _errors(form, problems)
    if consent_form is not None and not consent_form.validate():
        _errors(consent_form, problems)
    if problems or not profile_ok:
        # The free-text check too (profiles.save would run it), so one pass shows every problem of the row.
        texts = {"about": values.get("over", ""), "support": values.get("ondersteuning", "")}
        problems += [(FIELD_COLUMNS[f], m) for f, m in profiles.check_texts(values.get("naam", ""), texts)]
        return
    savepoint = session.begin_nested()
    try:
        data = ProfileIn.model_validate(form.profile_data())
        profile = profiles.save(session, actor, region, data, now)
        if consent_form is not None:
            consent_ledger.record(
                session, actor, profile, now, consent_form.scope.data, bool(consent_form.show_health.data)
            )
            result.consent = True
        result.code = profile.code
        savepoint.commit()
    except AdminRefused as refused:
        savepoint.rollback()
        problems += [(FIELD_COLUMNS.get(name or "", name or ""), str(message)) for name, message in refused.problems]
    except ValueError as invalid:  # the schema: the form checks the same, so rarely seen
        savepoint.rollback()
        problems.append(("", str(invalid).splitlines()[0]))


def import_profiles(
    session: Session,
    region: Region,
    actor: User,
    raw: bytes,
    now: dt.datetime,
    dry_run: bool = False,
    consent_confirmed: bool = False,
) -> ImportResult:
    """Check (and unless `dry_run`, import) every row. Raises ImportFileError when the file cannot be read.
    Works inside a savepoint it releases only when every row is fine and this is no dry run; the caller commits.

    `consent_confirmed`: the person importing confirms that every candidate whose row carries consent fields
    read the consent text of version CONSENT_TEXT_VERSION and agreed (as the confirmation box on the form)."""
    rows = read_rows(raw)
    result = ImportResult(dry_run=dry_run)
    lookups = _Lookups(session, region)
    outer = session.begin_nested()
    try:
        for number, values, too_many in rows:
            row = RowResult(number)
            if too_many:
                row.problems.append(("", _("Deze rij heeft meer waarden dan er kolommen zijn.")))
            else:
                _import_row(session, region, actor, values, lookups, now, consent_confirmed, row)
            result.rows.append(row)
    except BaseException:
        outer.rollback()
        raise
    if dry_run or result.problems:
        outer.rollback()
        session.expire_all()
        return result
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="pool.import",
            target_type="candidate_import",
            data={"profiles": len(result.rows), "with_consent": result.with_consent},
        )
    )
    outer.commit()
    return result
