"""Reports of the vacancies employers reported: by occupation group (ISCO-08 sub-major group), sector, work form
and sub-region (the service point of the workplace municipality); the time to fill them; and what came of the
proposals (proposed → introduced → placed); and supply and demand (open places against available candidates). Tables, charts and CSV as the lead reports (tables.Report); counts
only, no personal data.

The period counts the vacancies reported in it (created_at), the vacancies filled in it (closed_at of a filled
one) for the time to fill, and the proposals made in it (proposed_at). The service-point filter is that of the
workplace. A vacancy that accepts more work forms counts at each of them.
"""

from __future__ import annotations

import datetime as dt
import statistics

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_today
from wsp_site.formatting import number
from wsp_site.models import Municipality, Region, Vacancy, VacancyProposal
from wsp_site.services.leads.deadlines import working_days_between
from wsp_site.services.pool import occupations
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.tables import Report, bar_chart, share
from wsp_site.services.vacancies import supply_demand
from wsp_site.vocabulary import SECTOR_LABELS, SECTORS, WORK_FORM_LABELS, WORK_FORMS

# Proposal statuses that reached each step (a later status passed the earlier steps).
FUNNEL = {
    "proposed": None,
    "candidate_agreed": ("candidate_agreed", "introduced", "placed", "not_placed"),
    "introduced": ("introduced", "placed", "not_placed"),
    "placed": ("placed",),
}


def _point_id(vacancy: Vacancy) -> int | None:
    return vacancy.municipality.service_point_id if vacancy.municipality else None


def _vacancies(session: Session, region: Region, filters: ReportFilters, column=Vacancy.created_at) -> list[Vacancy]:
    start, end = filters.bounds()
    query = (
        select(Vacancy)
        .where(Vacancy.region_id == region.id, column >= start, column < end)
        .options(
            selectinload(Vacancy.municipality).selectinload(Municipality.service_point),
            selectinload(Vacancy.employer),
        )
        .order_by(Vacancy.id)
    )
    return [v for v in session.scalars(query) if filters.service_point_id in (None, _point_id(v))]


def _breakdown(name: str, title: str, label_head: str, rows: list[tuple[str, int, int]], total: int) -> Report:
    """Label, vacancies, share of the vacancies, places; sorted by size when `rows` has no fixed order."""
    shown = [(text, count) for text, count, _places in rows if count]
    if shown:
        top = ", ".join(f"{text} ({number(count)})" for text, count in sorted(shown, key=lambda r: -r[1])[:3])
        summary = ngettext(
            "%(total)s vacature gemeld in deze periode. De meeste: %(top)s.",
            "%(total)s vacatures gemeld in deze periode. De meeste: %(top)s.",
            total,
            total=number(total),
            top=top,
        )
    else:
        summary = _("Geen vacatures gemeld in deze periode.")
    return Report(
        name=name,
        title=title,
        head=[label_head, _("Vacatures"), _("Aandeel (%)"), _("Plaatsen")],
        rows=[[text, number(count), share(count, total), number(places)] for text, count, places in rows],
        summary=summary,
        chart=bar_chart(name, title, shown),
        numeric=(1, 2, 3),
    )


def _tally(vacancies: list[Vacancy], keys) -> dict:
    counts: dict = {}
    for vacancy in vacancies:
        for key in keys(vacancy):
            count, places = counts.get(key, (0, 0))
            counts[key] = (count + 1, places + vacancy.places)
    return counts


def report_by_occupation_group(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    lang = str(get_locale() or "nl")
    vacancies = _vacancies(session, region, filters)
    counts = _tally(vacancies, lambda v: [v.occupation[:2]])
    groups = occupations.sub_major_groups()
    rows = sorted(
        ((f"{code} {groups[code].title(lang)}" if code in groups else code, *counts[code]) for code in counts),
        key=lambda r: (-r[1], r[0]),
    )
    return _breakdown(
        "vacatures-per-beroepsgroep",
        _("Vacatures per beroepsgroep (ISCO-08)"),
        _("Beroepsgroep"),
        rows,
        len(vacancies),
    )


def report_by_sector(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    vacancies = _vacancies(session, region, filters)
    counts = _tally(vacancies, lambda v: [v.employer.sector])
    rows = [(str(SECTOR_LABELS[s]), *counts[s]) for s in SECTORS if s in counts]
    rows += [(str(s or _("Onbekend")), *counts[s]) for s in counts if s not in SECTORS]
    return _breakdown(
        "vacatures-per-sector", _("Vacatures per sector"), _("Sector van de werkgever"), rows, len(vacancies)
    )


def report_by_work_form(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    vacancies = _vacancies(session, region, filters)
    counts = _tally(vacancies, lambda v: v.work_forms)
    rows = [(str(WORK_FORM_LABELS[form]), *counts.get(form, (0, 0))) for form in WORK_FORMS]
    report = _breakdown("vacatures-per-werkvorm", _("Vacatures per werkvorm"), _("Werkvorm"), rows, len(vacancies))
    report.note = _("Een vacature die meer werkvormen toestaat, telt bij elk ervan.")
    return report


def report_by_sub_region(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    vacancies = _vacancies(session, region, filters)
    counts = _tally(vacancies, lambda v: [_point_id(v)])
    rows = [
        (point.name, *counts.get(point.id, (0, 0)))
        for point in region.service_points
        if filters.service_point_id in (None, point.id)
    ]
    if None in counts:
        rows.append((_("Werkplek onbekend"), *counts[None]))
    report = _breakdown(
        "vacatures-per-subregio", _("Vacatures per subregio"), _("Servicepunt van de werkplek"), rows, len(vacancies)
    )
    report.note = _("De subregio is het servicepunt van de gemeente van de werkplek.")
    return report


def fill_times(vacancies: list[Vacancy]) -> list[int]:
    """Working days from intake (the day it was reported) to filled, per filled vacancy."""
    return [
        working_days_between(local_today(v.created_at), local_today(v.closed_at))
        for v in vacancies
        if v.status == "filled" and v.closed_at is not None
    ]


def report_time_to_fill(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    filled = [v for v in _vacancies(session, region, filters, Vacancy.closed_at) if v.status == "filled"]
    by_point: dict[int | None, list[int]] = {}
    for vacancy in filled:
        by_point.setdefault(_point_id(vacancy), []).extend(fill_times([vacancy]))
    waits = fill_times(filled)
    median = statistics.median(waits) if waits else None
    rows = []
    for point in region.service_points:
        if filters.service_point_id not in (None, point.id):
            continue
        days = by_point.get(point.id, [])
        rows.append((point.name, len(days), statistics.median(days) if days else None))
    title = _("Doorlooptijd tot vervulling")
    return Report(
        name="vacatures-doorlooptijd",
        title=title,
        head=[_("Servicepunt van de werkplek"), _("Vervuld"), _("Mediaan (werkdagen)")],
        rows=[[text, number(count), number(days, "0.#") if days is not None else "–"] for text, count, days in rows],
        summary=(
            ngettext(
                "%(num)d vacature vervuld in deze periode.",
                "%(num)d vacatures vervuld in deze periode.",
                len(filled),
            )
            + " "
            + (
                _("Van melding tot vervulling: mediaan %(days)s werkdagen.", days=number(median, "0.#"))
                if median is not None
                else _("Nog geen vacature vervuld.")
            )
        ),
        chart=bar_chart("vacatures-doorlooptijd", title, [(t, d) for t, c, d in rows if d is not None]),
        numeric=(1, 2),
        note=_("Werkdagen van de dag van melding tot de dag waarop de vacature vervuld werd."),
    )


def funnel(session: Session, region: Region, filters: ReportFilters) -> dict[str, int]:
    """How many proposals made in the period reached each step (FUNNEL)."""
    start, end = filters.bounds()
    query = (
        select(VacancyProposal)
        .join(Vacancy, VacancyProposal.vacancy_id == Vacancy.id)
        .where(Vacancy.region_id == region.id, VacancyProposal.proposed_at >= start, VacancyProposal.proposed_at < end)
        .options(selectinload(VacancyProposal.vacancy).selectinload(Vacancy.municipality))
    )
    proposals = [p for p in session.scalars(query) if filters.service_point_id in (None, _point_id(p.vacancy))]
    return {
        step: sum(1 for p in proposals if statuses is None or p.status in statuses) for step, statuses in FUNNEL.items()
    }


def report_proposals(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    steps = funnel(session, region, filters)
    labels = {
        "proposed": _("Voorgesteld"),
        "candidate_agreed": _("Kandidaat wil kennismaken"),
        "introduced": _("Kennismaking geweest"),
        "placed": _("Geplaatst"),
    }
    rows = [(labels[step], count) for step, count in steps.items()]
    title = _("Voorstellen, kennismakingen en plaatsingen")
    proposed = steps["proposed"]
    return Report(
        name="vacatures-voorstellen",
        title=title,
        head=[_("Stap"), _("Voorstellen"), _("Van de voorstellen (%)")],
        rows=[[text, number(count), share(count, proposed)] for text, count in rows],
        summary=ngettext(
            "%(num)d kandidaat voorgesteld voor een vacature in deze periode.",
            "%(num)d kandidaten voorgesteld voor een vacature in deze periode.",
            proposed,
        )
        + " "
        + _(
            "%(introduced)s kennismakingen, %(placed)s plaatsingen.",
            introduced=number(steps["introduced"]),
            placed=number(steps["placed"]),
        ),
        chart=bar_chart("vacatures-voorstellen", title, [(t, c) for t, c in rows if c]),
        numeric=(1, 2),
        note=_("Elk voorstel telt bij elke stap die het bereikte; per servicepunt van de werkplek."),
    )


def report_supply_demand(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    """Open places against available candidates per occupation group and sub-region, exact (for coordinators;
    the public sees the same cells suppressed: services.vacancies.supply_demand)."""
    lang = str(get_locale() or "nl")
    cells = supply_demand.cells(session, region, today, filters.service_point_id)
    places = sum(c.open_places for c in cells)
    title = _("Vraag en aanbod per beroepsgroep en subregio")
    return Report(
        name="vraag-en-aanbod",
        title=title,
        head=[_("Beroepsgroep"), _("Subregio"), _("Open vacatures"), _("Open plaatsen"), _("Beschikbare kandidaten")],
        rows=[
            [
                f"{c.group.code} {c.group.title(lang)}",
                c.service_point.name,
                number(c.vacancies),
                number(c.open_places),
                number(c.candidates),
            ]
            for c in cells
        ],
        summary=ngettext("%(num)d open plaats in de regio.", "%(num)d open plaatsen in de regio.", places),
        chart=bar_chart(
            "vraag-en-aanbod",
            title,
            [(f"{c.group.code} {c.service_point.name}", c.open_places) for c in cells if c.open_places],
        ),
        numeric=(2, 3, 4),
        note=_(
            "Stand van vandaag; de periode telt hier niet. Open plaatsen: vacatures die nog iemand zoeken, bij het "
            "servicepunt van de werkplek. Kandidaten: gepubliceerd in de pool; met beroepen in twee groepen telt een "
            "kandidaat in beide. Op de openbare pagina staan aantallen onder 5 als 'minder dan 5'."
        ),
    )


VACANCY_REPORTS = {
    "vacatures-per-beroepsgroep": report_by_occupation_group,
    "vacatures-per-sector": report_by_sector,
    "vacatures-per-werkvorm": report_by_work_form,
    "vacatures-per-subregio": report_by_sub_region,
    "vacatures-doorlooptijd": report_time_to_fill,
    "vacatures-voorstellen": report_proposals,
    "vraag-en-aanbod": report_supply_demand,
}


def build(name: str, session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report | None:
    builder = VACANCY_REPORTS.get(name)
    return builder(session, region, filters, today) if builder else None


def build_all(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> list[Report]:
    return [builder(session, region, filters, today) for builder in VACANCY_REPORTS.values()]
