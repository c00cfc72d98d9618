"""Reports for coordinators and viewers: one page with every report, and each report as CSV; the candidate
pool's reports on a page of their own (also for consultants), and the vacancies' reports on one of theirs."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow
from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services import reports as report_service
from wsp_site.services.reports import cache as report_cache
from wsp_site.services.reports import export
from wsp_site.services.reports import pool as pool_report_service
from wsp_site.services.reports import vacancies as vacancy_report_service
from wsp_site.services.reports.filters import OUTSIDE_REGION, filters_from_args


def _options(region) -> dict:
    municipalities = [(m.slug, m.name) for m in catalogue.municipalities(region)]
    return {
        "service_point_options": [(sp.slug, sp.name) for sp in region.service_points],
        "municipality_options": municipalities + [(OUTSIDE_REGION, _("Buiten de regio"))],
    }


@bp.get("/rapportages")
@allow("viewer")
def reports():
    region = catalogue.current_region()
    now = utcnow()
    today = local_today(now)
    filters, form = filters_from_args(db.session, region, request.args, today)
    results, computed_at = report_cache.build_all(db.session, region, filters, today, now) if filters else ([], now)
    query = {key: value for key, value in form.values.items() if value}
    return render_template(
        "backoffice/reports/index.html",
        region=region,
        form=form,
        filters=filters,
        reports=results,
        query=query,
        today=today,
        computed_at=computed_at,
        **_options(region),
    ), (400 if form.errors else 200)


@bp.get("/rapportages/<name>.csv")
@allow("viewer")
def report_csv(name: str):
    return _report_csv(name, report_service.REPORTS, report_service.build)


@bp.get("/rapportages/kandidatenpool")
@allow("viewer", "consultant")
def pool_reports():
    """The candidate pool in figures: its size today, placements in the period (services.reports.pool)."""
    return _section_page("backoffice/reports/pool.html", pool_report_service.build_all)


@bp.get("/rapportages/kandidatenpool/<pool_report>.csv")
@allow("viewer", "consultant")
def pool_report_csv(pool_report: str):
    return _report_csv(pool_report, pool_report_service.POOL_REPORTS, pool_report_service.build)


def _section_page(template: str, build_all):
    """A section's reports page (pool, vacancies): period and service point from the query string, every report
    of the section (`build_all`), 400 with the form's messages when the filters are wrong."""
    region = catalogue.current_region()
    today = local_today(utcnow())
    filters, form = filters_from_args(db.session, region, request.args, today)
    results = build_all(db.session, region, filters, today) if filters else []
    query = {key: value for key, value in form.values.items() if value and key != "gemeente"}
    return render_template(
        template,
        region=region,
        form=form,
        filters=filters,
        reports=results,
        query=query,
        today=today,
        service_point_options=_options(region)["service_point_options"],
    ), (400 if form.errors else 200)


def _report_csv(name: str, known, build) -> Response:
    """One report of a section (`known` its names, `build` its builder) as CSV for the filters in the query
    string; the export is recorded (who, which report, which filters)."""
    if name not in known:
        abort(404)
    region = catalogue.current_region()
    now = utcnow()
    today = local_today(now)
    filters, form = filters_from_args(db.session, region, request.args, today)
    if filters is None:
        abort(400)
    report = build(name, db.session, region, filters, today)
    export.record_export(db.session, current_user._get_current_object(), name, form.values, now)
    db.session.commit()
    return _csv(report, filters)


def _csv(report, filters) -> Response:
    return Response(
        export.to_csv(report),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{export.csv_filename(report, filters)}"',
        },
    )


@bp.get("/rapportages/vacatures")
@allow("viewer")
def vacancy_reports():
    """The vacancies in figures: by occupation group, sector, work form and sub-region, the time to fill, the
    proposals (services.reports.vacancies)."""
    return _section_page("backoffice/reports/vacancies.html", vacancy_report_service.build_all)


@bp.get("/rapportages/vacatures/<vacancy_report>.csv")
@allow("viewer")
def vacancy_report_csv(vacancy_report: str):
    return _report_csv(vacancy_report, vacancy_report_service.VACANCY_REPORTS, vacancy_report_service.build)
