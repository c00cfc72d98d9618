"""Reports of the candidate pool: its size today by sub-region (service point), occupation group (ISCO-08
sub-major group) and work form, and what came of it in the period (placements). Tables, charts and CSV as the
lead reports (tables.Report); counts only, no personal data.

"In the pool" is what the public sees today: approved once, a consent in force, not placed
(services.pool.public). Beside it, the profiles the desk keeps that are not (yet) visible: a draft waiting for
approval or without a consent in force. A profile with occupations in two groups counts in both.

Placements are counted from the audit trail ("pool.placed", which keeps the service point): a placed profile is
erased after POOL_RETENTION_MONTHS, its placement still counts. Requests to meet a candidate (leads of type
"kennismaken") are counted from their steps (services.leads.workflow, the "pool_*" lead events): how many
reached each step, and the working days from the request to the planned introduction.
"""

from __future__ import annotations

import datetime as dt
import statistics

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_today
from wsp_site.formatting import number
from wsp_site.models import AuditEvent, CandidateFacet, CandidateProfile, Lead, Region
from wsp_site.services.leads.deadlines import working_days_between
from wsp_site.services.pool import occupations
from wsp_site.services.pool.consent import in_force_clause
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.tables import Report, bar_chart, share
from wsp_site.vocabulary import POOL_REQUEST_TYPE, POOL_STAGE_LABELS, WORK_FORM_LABELS, WORK_FORMS


def _profiles(region: Region, filters: ReportFilters, today: dt.date):
    """(in the pool, kept but not visible) conditions over the region's profiles that are not placed."""
    base = [CandidateProfile.region_id == region.id, CandidateProfile.placed_at.is_(None)]
    if filters.service_point_id is not None:
        base.append(CandidateProfile.service_point_id == filters.service_point_id)
    public = CandidateProfile.first_published_at.is_not(None) & in_force_clause(today)
    return base, public


def _counts(session: Session, region: Region, filters: ReportFilters, today: dt.date, key, join_facet=None):
    """{key: (in the pool, not visible)}."""
    base, public = _profiles(region, filters, today)
    visible = func.sum(case((public, 1), else_=0))
    query = select(key, func.count(func.distinct(CandidateProfile.id)), visible).where(*base).group_by(key)
    if join_facet is not None:
        query = query.join(CandidateFacet, CandidateFacet.profile_id == CandidateProfile.id).where(
            CandidateFacet.facet == join_facet
        )
    return {row[0]: (int(row[2] or 0), int(row[1]) - int(row[2] or 0)) for row in session.execute(query)}


def _total(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> tuple[int, int]:
    base, public = _profiles(region, filters, today)
    everyone = session.scalar(select(func.count(CandidateProfile.id)).where(*base)) or 0
    shown = session.scalar(select(func.count(CandidateProfile.id)).where(*base, public)) or 0
    return shown, everyone - shown


def _pool_report(name: str, title: str, label_head: str, rows: list[tuple[str, int, int]], total: int) -> Report:
    """Label, in the pool, share of the pool, not visible; sorted by size."""
    rows = sorted(rows, key=lambda r: (-r[1], -r[2], r[0].lower()))
    shown = [(text, count) for text, count, _hidden in rows if count]
    if shown:
        top = ", ".join(f"{text} ({number(count)})" for text, count in shown[:3])
        summary = ngettext(
            "%(total)s kandidaat in de pool. De meeste: %(top)s.",
            "%(total)s kandidaten in de pool. De meeste: %(top)s.",
            total,
            total=number(total),
            top=top,
        )
    else:
        summary = _("Geen kandidaten in de pool.")
    return Report(
        name=name,
        title=title,
        head=[label_head, _("In de pool"), _("Aandeel (%)"), _("Nog niet zichtbaar")],
        rows=[[text, number(count), share(count, total), number(hidden)] for text, count, hidden in rows],
        summary=summary,
        chart=bar_chart(name, title, shown),
        numeric=(1, 2, 3),
        note=_(
            "In de pool: op de website, met toestemming, niet geplaatst. Nog niet zichtbaar: wacht op goedkeuring "
            "of op (nieuwe) toestemming. Stand van vandaag; de periode telt hier niet."
        ),
    )


def report_by_service_point(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    counts = _counts(session, region, filters, today, CandidateProfile.service_point_id)
    shown, _hidden = _total(session, region, filters, today)
    rows = [
        (point.name, *counts.get(point.id, (0, 0)))
        for point in region.service_points
        if filters.service_point_id in (None, point.id)
    ]
    return _pool_report("pool-per-servicepunt", _("Kandidaten per servicepunt"), _("Servicepunt"), rows, shown)


def report_by_occupation_group(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    lang = str(get_locale() or "nl")
    counts = _counts(session, region, filters, today, CandidateFacet.value, join_facet="sub_major_group")
    shown, _hidden = _total(session, region, filters, today)
    groups = occupations.sub_major_groups()
    rows = [
        (f"{code} {groups[code].title(lang)}" if code in groups else code, visible, hidden)
        for code, (visible, hidden) in counts.items()
    ]
    report = _pool_report(
        "pool-per-beroepsgroep", _("Kandidaten per beroepsgroep (ISCO-08)"), _("Beroepsgroep"), rows, shown
    )
    report.note = (report.note or "") + " " + _("Met beroepen in twee groepen telt een kandidaat in beide.")
    return report


def report_by_work_form(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    counts = _counts(session, region, filters, today, CandidateFacet.value, join_facet="work_form")
    shown, _hidden = _total(session, region, filters, today)
    rows = [(str(WORK_FORM_LABELS[form]), *counts.get(form, (0, 0))) for form in WORK_FORMS]
    report = _pool_report("pool-per-werkvorm", _("Kandidaten per werkvorm"), _("Werkvorm"), rows, shown)
    report.note = (report.note or "") + " " + _("Een kandidaat die meer werkvormen wil, telt bij elk ervan.")
    return report


def report_placements(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    start, end = filters.bounds()
    events = session.scalars(
        select(AuditEvent.data).where(
            AuditEvent.action == "pool.placed",
            AuditEvent.target_type == "candidate_profile",
            AuditEvent.at >= start,
            AuditEvent.at < end,
        )
    ).all()
    region_points = {point.id: point.name for point in region.service_points}
    placed = [
        data
        for data in events
        if (data or {}).get("service_point_id") in region_points
        and filters.service_point_id in (None, data.get("service_point_id"))
    ]
    by_point = {point_id: 0 for point_id in region_points if filters.service_point_id in (None, point_id)}
    for data in placed:
        by_point[data["service_point_id"]] += 1
    bars = [(region_points[pid], count) for pid, count in by_point.items()]
    title = _("Plaatsingen uit de pool")
    return Report(
        name="pool-plaatsingen",
        title=title,
        head=[_("Servicepunt"), _("Geplaatst")],
        rows=[[text, number(count)] for text, count in bars],
        summary=ngettext(
            "%(num)d kandidaat uit de pool geplaatst in deze periode.",
            "%(num)d kandidaten uit de pool geplaatst in deze periode.",
            len(placed),
        ),
        chart=bar_chart("pool-plaatsingen", title, [(t, c) for t, c in bars if c]),
        numeric=(1,),
    )


def report_requests(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report:
    """The employers' requests to meet a candidate that came in during the period, by the furthest step each
    reached, and the time from request to the planned introduction (median, in working days)."""
    start, end = filters.bounds()
    query = (
        select(Lead)
        .where(
            Lead.region_id == region.id,
            Lead.request_type == POOL_REQUEST_TYPE,
            Lead.created_at >= start,
            Lead.created_at < end,
        )
        .options(selectinload(Lead.events), selectinload(Lead.owner))
    )
    leads = [
        lead
        for lead in session.scalars(query)
        if filters.service_point_id in (None, lead.owner.service_point_id if lead.owner else None)
    ]
    reached = {"asked": 0, "agreed": 0, "introduction_planned": 0, "placed": 0}
    waits = []
    for lead in leads:
        stages = {(event.data or {}).get("to") for event in lead.events if event.kind.startswith("pool_")}
        for stage in reached:
            if stage in stages:
                reached[stage] += 1
        planned = [e.at for e in lead.events if e.kind == "pool_plan_introduction"]
        if planned:
            waits.append(working_days_between(local_today(lead.created_at), local_today(min(planned))))
    rows = [(_("Verzoek ontvangen"), len(leads))] + [(str(POOL_STAGE_LABELS[stage]), n) for stage, n in reached.items()]
    title = _("Verzoeken om kennis te maken")
    median = statistics.median(waits) if waits else None
    return Report(
        name="pool-verzoeken",
        title=title,
        head=[_("Stap"), _("Verzoeken")],
        rows=[[text, number(count)] for text, count in rows],
        summary=ngettext(
            "%(num)d verzoek om kennis te maken in deze periode.",
            "%(num)d verzoeken om kennis te maken in deze periode.",
            len(leads),
        )
        + " "
        + (
            _("Van verzoek tot geplande kennismaking: mediaan %(days)s werkdagen.", days=number(median, "0.#"))
            if median is not None
            else _("Nog geen kennismaking gepland.")
        ),
        chart=bar_chart("pool-verzoeken", title, [(t, c) for t, c in rows if c]),
        numeric=(1,),
        note=_("Elk verzoek telt bij elke stap die het bereikte; per servicepunt van de accounthouder."),
    )


POOL_REPORTS = {
    "pool-per-servicepunt": report_by_service_point,
    "pool-per-beroepsgroep": report_by_occupation_group,
    "pool-per-werkvorm": report_by_work_form,
    "pool-plaatsingen": report_placements,
    "pool-verzoeken": report_requests,
}


def build(name: str, session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report | None:
    builder = POOL_REPORTS.get(name)
    return builder(session, region, filters, today) if builder else None


def build_all(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> list[Report]:
    return [builder(session, region, filters, today) for builder in POOL_REPORTS.values()]
