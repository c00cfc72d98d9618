"""Vacancies in the back office: the list, a vacancy with its employer and leads, editing, status, confirming.

Thin views: who may see and change what, and every step, are services.vacancies.workflow."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.vacancy_forms import ConfirmForm, DecideForm, StatusForm, VacancyEditForm
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.ids import parse_id
from wsp_site.models import Municipality, Vacancy
from wsp_site.services import catalogue
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.pool import occupations
from wsp_site.services.vacancies import public as vacancy_public
from wsp_site.services.vacancies import workflow
from wsp_site.vocabulary import (
    CONTRACT_LENGTH_LABELS,
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    PROPOSAL_STATUS_LABELS,
    REQUEST_TYPE_LABELS,
    STATUS_LABELS,
    VACANCY_EVENT_LABELS,
    VACANCY_STATUS_LABELS,
    WORK_FORM_LABELS,
)


def action_label(action: str) -> str:
    return {
        "open": _("In behandeling nemen (open)"),
        "fill": _("Sluiten: vervuld"),
        "withdraw": _("Sluiten: ingetrokken door de werkgever"),
        "expire": _("Sluiten: verlopen"),
        "reopen": _("Opnieuw openen"),
    }[action]


def _vacancy_or_404(vacancy_id: int, change: bool = False) -> Vacancy:
    vacancy = db.session.get(Vacancy, vacancy_id)
    user = signed_in_user()
    if vacancy is None or not workflow.can_view(db.session, user, vacancy, local_today()):
        abort(404)  # outside your reach answers like one that does not exist
    if change and not workflow.may_change(user, vacancy):
        abort(403)
    return vacancy


def _flash_errors(form) -> None:
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "error")


@bp.get("/vacatures")
@allow("account_manager")
def vacancy_list():
    user = signed_in_user()
    today = local_today()
    mine = request.args.get("weergave", "mijn" if not user.has_role("coordinator") else "alle") == "mijn"
    status = request.args.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    rows = workflow.visible(db.session, user, today, mine=mine, status=status)
    return render_template(
        "backoffice/vacancies/list.html",
        region=catalogue.current_region(),
        rows=rows,
        today=today,
        mine=mine,
        status=status,
        to_confirm=workflow.asking_confirmation(db.session, user, today),
        status_labels=VACANCY_STATUS_LABELS,
        occupation=occupations.get,
    )


@bp.get("/aanvragen/<int:lead_id>/vacature")
@allow("account_manager")
def lead_vacancy(lead_id: int):
    """From a lead to the vacancy it came with (the lead page links here); without one, back to the lead."""
    vacancy = db.session.scalar(select(Vacancy).filter_by(lead_id=lead_id))
    if vacancy is None:
        flash(_("Bij deze aanvraag hoort geen vacature uit het vacatureformulier."), "info")
        return redirect(url_for("backoffice.lead_detail", lead_id=lead_id))
    _vacancy_or_404(vacancy.id)
    return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy.id))


@bp.get("/vacatures/<int:vacancy_id>")
@allow("account_manager")
def vacancy_detail(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id)
    user = signed_in_user()
    today = local_today()
    leads = lead_workflow.viewable(db.session, user, list(vacancy.employer.leads), today)
    proposals = []
    for proposal in vacancy.proposals:
        form = DecideForm(prefix=f"p{proposal.id}")
        form.decision.choices = [(d, str(PROPOSAL_STATUS_LABELS[d])) for d in workflow.next_decisions(proposal)]
        proposals.append((proposal, form if workflow.may_decide(user, proposal) and form.decision.choices else None))
    confirm_form = ConfirmForm()
    return render_template(
        "backoffice/vacancies/detail.html",
        region=catalogue.current_region(),
        vacancy=vacancy,
        leads=leads,
        today=today,
        may_change=workflow.may_change(user, vacancy),
        actions=[(a, action_label(a)) for a in workflow.allowed_actions(vacancy)],
        status_form=StatusForm(),
        confirm_form=confirm_form,
        proposals=proposals,
        occupation=occupations.get(vacancy.occupation),
        public_url=url_for("public.vacancy", reference=vacancy.lead.reference)
        if vacancy_public.is_shown(vacancy, today)
        else None,
        status_labels=VACANCY_STATUS_LABELS,
        lead_status_labels=STATUS_LABELS,
        request_type_labels=REQUEST_TYPE_LABELS,
        proposal_labels=PROPOSAL_STATUS_LABELS,
        event_labels=VACANCY_EVENT_LABELS,
        work_form_labels=WORK_FORM_LABELS,
        contract_length_labels=CONTRACT_LENGTH_LABELS,
        education_labels=EDUCATION_LEVEL_LABELS,
        dutch_labels=DUTCH_LEVEL_LABELS,
    )


def _fill(form: VacancyEditForm, vacancy: Vacancy) -> None:
    for name in workflow.EDITABLE:
        if name != "municipality":
            getattr(form, name).data = getattr(vacancy, name)
    form.workplace.data = vacancy.municipality.slug if vacancy.municipality else None
    form.version.data = str(vacancy.version)
    form.education_min.data = vacancy.education_min or ""
    form.dutch_min.data = vacancy.dutch_min or ""


def _values(form: VacancyEditForm, region) -> dict:
    values = {name: getattr(form, name).data for name in workflow.EDITABLE if name != "municipality"}
    values["work_forms"] = list(values["work_forms"] or [])
    values["education_min"] = values["education_min"] or None
    values["dutch_min"] = values["dutch_min"] or None
    values["licence_required"] = bool(values["licence_required"])
    for name in ("support_coach", "support_adaptations", "public"):
        values[name] = bool(values[name])
    for name in ("wishes", "carving_tasks", "support_notes"):
        values[name] = values[name] or ""
    values["municipality"] = db.session.scalar(
        select(Municipality).filter_by(region_id=region.id, slug=form.workplace.data)
    )
    return values


def _changed_meanwhile(vacancy_id: int):
    flash(
        _("Iemand anders heeft de vacature intussen gewijzigd. Bekijk wat nu geldt en breng uw wijziging opnieuw aan."),
        "error",
    )
    return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy_id), 303)


@bp.route("/vacatures/<int:vacancy_id>/bewerken", methods=["GET", "POST"])
@allow("account_manager")
def vacancy_edit(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id, change=True)
    region = catalogue.current_region()
    form = VacancyEditForm()
    form.set_vacancy_choices(catalogue.municipalities(region), "nl")
    if request.method == "GET":
        _fill(form, vacancy)
    elif parse_id(form.version.data, minimum=0) not in (None, vacancy.version):
        return _changed_meanwhile(vacancy_id)
    elif form.validate():
        try:
            with transaction():
                changed = workflow.update(vacancy, signed_in_user(), _values(form, region), utcnow())
        except StaleDataError:  # saved by someone else at the same moment
            return _changed_meanwhile(vacancy_id)
        flash(_("De vacature is opgeslagen.") if changed else _("Er was niets gewijzigd."), "ok")
        return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy.id), 303)
    return render_template(
        "backoffice/vacancies/form.html",
        region=region,
        form=form,
        vacancy=vacancy,
        errors=[(f.name, str(f.errors[0])) for f in form if f.errors and f.name != "csrf_token"],
        work_form_labels=WORK_FORM_LABELS,
        contract_length_labels=CONTRACT_LENGTH_LABELS,
    ), (400 if request.method == "POST" else 200)


@bp.post("/vacatures/<int:vacancy_id>/status")
@allow("account_manager")
def vacancy_status(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id, change=True)
    form = StatusForm()
    if form.validate():
        try:
            with transaction():
                workflow.change_status(vacancy, signed_in_user(), form.action.data, utcnow(), form.note.data)
            flash(_("De status is nu: %(status)s.", status=VACANCY_STATUS_LABELS[vacancy.status]), "ok")
        except workflow.VacancyRefused as refused:
            flash(str(refused), "error")
    else:
        _flash_errors(form)
    return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy.id), 303)


@bp.post("/vacatures/<int:vacancy_id>/bevestigen")
@allow("account_manager")
def vacancy_confirm(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id, change=True)
    form = ConfirmForm()
    if form.validate():
        try:
            with transaction():
                workflow.confirm(vacancy, signed_in_user(), form.closes_on.data, utcnow())
            flash(_("De vacature blijft open tot %(date)s.", date=form.closes_on.data.isoformat()), "ok")
        except workflow.VacancyRefused as refused:
            flash(str(refused), "error")
    else:
        _flash_errors(form)
    return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy.id), 303)
