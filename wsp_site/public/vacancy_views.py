"""Reporting a vacancy (/vacature-melden) and its confirmation.

The employer fields are the contact form's (VacancyForm inherits them); the submission is stored and routed as
a lead by the same intake service, with the vacancy beside it (services.vacancies.intake)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from wsp_site.extensions import db, limiter
from wsp_site.formatting import date_text
from wsp_site.i18n import current_lang
from wsp_site.models import Vacancy
from wsp_site.public import bp, visit
from wsp_site.public.contact_views import _source_of_submission
from wsp_site.public.forms import new_submission_key
from wsp_site.public.vacancy_forms import VacancyForm
from wsp_site.services import catalogue
from wsp_site.services.vacancies import intake
from wsp_site.vocabulary import CONTRACT_LENGTH_LABELS, SECTOR_LABELS, SIZE_BAND_LABELS, WORK_FORM_LABELS


def _form(region, lang) -> VacancyForm:
    form = VacancyForm()
    form.set_choices(catalogue.municipalities(region), [], lang, SECTOR_LABELS, _("Buiten de regio"))
    return form


def _prefill(form: VacancyForm) -> None:
    kept = visit.kept_source()
    form.bron.data = kept.bron if kept else None
    form.submission_key.data = new_submission_key()
    wanted = request.args.get("gemeente")
    if form.offers("location", wanted):
        form.location.data = wanted
        if form.offers("workplace", wanted):
            form.workplace.data = wanted


def _details(form: VacancyForm) -> intake.VacancyDetails:
    return intake.VacancyDetails(
        title=form.title.data,
        occupation=form.occupation.data,
        places=form.places.data,
        work_forms=list(form.work_forms.data or []),
        hours_min=form.hours_min.data,
        hours_max=form.hours_max.data,
        workplace_slug=form.workplace.data,
        start_on=form.start_on.data,
        contract_length=form.contract_length.data,
        education_min=form.education_min.data or None,
        licence_required=bool(form.licence_required.data),
        dutch_min=form.dutch_min.data or None,
        wishes=form.wishes.data or "",
        carving_tasks=form.carving_tasks.data or "",
        support_coach=bool(form.support_coach.data),
        support_adaptations=bool(form.support_adaptations.data),
        support_notes=form.support_notes.data or "",
        public=bool(form.public.data),
    )


@bp.route("/vacature-melden", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CONTACT_RATE_LIMIT"], methods=["POST"])
def vacancy_report():
    region = catalogue.current_region()
    lang = current_lang()
    form = _form(region, lang)
    if request.method == "GET":
        _prefill(form)
    elif form.validate_on_submit():
        if form.website.data:
            # A bot filled in the hidden field: answer like a success, store nothing.
            return render_template("public/vacancy_done.html", region=region, lead=None, vacancy=None)
        source, referrer = _source_of_submission()
        submission = form.submission(lang, source, referrer, request_type=intake.REQUEST_TYPE)
        result = intake.submit_vacancy(db.session, region, submission, _details(form))
        db.session.commit()
        session["submitted_vacancy"] = result.vacancy.id
        return redirect(url_for("public.vacancy_done"), code=303)
    return render_template(
        "public/vacancy.html",
        region=region,
        form=form,
        errors=form.ordered_errors() if request.method == "POST" else [],
        response_days=region.promised_working_days,
        size_band_labels=SIZE_BAND_LABELS,
        work_form_labels=WORK_FORM_LABELS,
        contract_length_labels=CONTRACT_LENGTH_LABELS,
    ), (400 if request.method == "POST" else 200)


@bp.get("/vacature-melden/verzonden")
def vacancy_done():
    region = catalogue.current_region()
    vacancy_id = session.get("submitted_vacancy")
    vacancy = db.session.get(Vacancy, vacancy_id) if vacancy_id else None
    if vacancy is None:
        return redirect(url_for("public.vacancy_report"))
    return render_template(
        "public/vacancy_done.html",
        region=region,
        vacancy=vacancy,
        lead=vacancy.lead,
        due_on_text=date_text(vacancy.lead.due_on),
    )
