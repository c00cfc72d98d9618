"""Matching in the back office: a vacancy's candidates and a candidate's vacancies, each with its reasons and
the candidate's instruments (services.matching); proposing a candidate and recording what follows
(services.vacancies.workflow). Nothing here sends anything to an employer or a candidate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.vacancy_forms import DecideForm, ProposeForm
from wsp_site.backoffice.vacancy_views import _vacancy_or_404
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, VacancyProposal
from wsp_site.services import catalogue
from wsp_site.services.matching import service as matching
from wsp_site.services.pool import occupations, profiles
from wsp_site.services.vacancies import workflow
from wsp_site.vocabulary import PROPOSAL_STATUS_LABELS, VACANCY_STATUS_LABELS


def _page_number() -> int:
    """?pagina=N of a list of matches (out of range: the nearest page)."""
    return request.args.get("pagina", 1, type=int)


@bp.get("/vacatures/<int:vacancy_id>/kandidaten")
@allow("account_manager")
def vacancy_matches(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id)
    user = signed_in_user()
    proposed = {p.profile_id for p in vacancy.proposals}
    return render_template(
        "backoffice/vacancies/matches.html",
        region=catalogue.current_region(),
        vacancy=vacancy,
        result=matching.candidate_page(vacancy, "nl", local_today(), _page_number(), matching.PAGE_SIZE),
        base_url=url_for("backoffice.vacancy_matches", vacancy_id=vacancy.id),
        proposed=proposed,
        may_propose=workflow.may_change(user, vacancy) and vacancy.status in ("open", "proposed"),
        occupation=occupations.get,
        status_labels=VACANCY_STATUS_LABELS,
    )


@bp.post("/vacatures/<int:vacancy_id>/voorstellen")
@allow("account_manager")
def vacancy_propose(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id, change=True)
    form = ProposeForm()
    if not form.validate():
        for field in form:
            for message in field.errors:
                flash(str(message), "error")
        return redirect(url_for("backoffice.vacancy_matches", vacancy_id=vacancy.id), 303)
    profile = db.session.scalar(
        select(CandidateProfile).filter_by(region_id=vacancy.region_id, code=form.code.data.strip().upper())
    )
    if profile is None:
        abort(404)
    evaluation = matching.evaluate_pair(vacancy, profile)
    record = {"score": evaluation.score, "reasons": evaluation.reasons, "is_match": evaluation.is_match}
    try:
        with transaction():
            workflow.propose(db.session, vacancy, profile, signed_in_user(), form.reason.data, utcnow(), record)
        flash(
            _(
                "Kandidaat %(code)s is voorgesteld. Er is niets verstuurd: de consulent van de kandidaat vraagt de kandidaat eerst.",
                code=profile.code,
            ),
            "ok",
        )
    except workflow.VacancyRefused as refused:
        flash(str(refused), "error")
    return redirect(url_for("backoffice.vacancy_detail", vacancy_id=vacancy.id), 303)


@bp.post("/voorstellen/<int:proposal_id>")
@allow("account_manager", "consultant")
def proposal_decide(proposal_id: int):
    proposal = db.session.get(VacancyProposal, proposal_id)
    user = signed_in_user()
    if proposal is None or proposal.vacancy.region_id != user.region_id:
        abort(404)
    if not workflow.may_decide(user, proposal):
        abort(403)
    form = DecideForm(prefix=f"p{proposal.id}")
    form.decision.choices = [(d, str(PROPOSAL_STATUS_LABELS[d])) for d in workflow.next_decisions(proposal)]
    if form.validate():
        try:
            with transaction():
                workflow.decide(proposal, user, form.decision.data, utcnow(), form.note.data)
            flash(_("Vastgelegd: %(status)s.", status=PROPOSAL_STATUS_LABELS[proposal.status]), "ok")
        except workflow.VacancyRefused as refused:
            flash(str(refused), "error")
    else:
        flash(_("Kies de volgende stap."), "error")
    if workflow.can_view(db.session, user, proposal.vacancy, local_today()):
        return redirect(url_for("backoffice.vacancy_detail", vacancy_id=proposal.vacancy_id), 303)
    return redirect(url_for("backoffice.candidate_vacancies", profile_id=proposal.profile_id), 303)


@bp.get("/kandidaten/<int:profile_id>/vacatures")
@allow("account_manager", "consultant")
def candidate_vacancies(profile_id: int):
    profile = db.session.get(CandidateProfile, profile_id)
    user = signed_in_user()
    if profile is None or not profiles.may_read(user, profile):
        abort(404)
    today = local_today()
    proposals = []
    for proposal in db.session.scalars(
        select(VacancyProposal).filter_by(profile_id=profile.id).order_by(VacancyProposal.id)
    ):
        form = DecideForm(prefix=f"p{proposal.id}")
        form.decision.choices = [(d, str(PROPOSAL_STATUS_LABELS[d])) for d in workflow.next_decisions(proposal)]
        proposals.append((proposal, form if workflow.may_decide(user, proposal) and form.decision.choices else None))
    result = matching.vacancy_page(profile, today, _page_number(), matching.PAGE_SIZE)
    return render_template(
        "backoffice/vacancies/candidate.html",
        region=catalogue.current_region(),
        profile=profile,
        result=result,
        base_url=url_for("backoffice.candidate_vacancies", profile_id=profile.id),
        matches=[(m, workflow.can_view(db.session, user, m.vacancy, today)) for m in result.matches],
        proposals=proposals,
        occupation=occupations.get,
        proposal_labels=PROPOSAL_STATUS_LABELS,
        status_labels=VACANCY_STATUS_LABELS,
    )


@bp.get("/vacatures/rapportage")
@allow("viewer")
def vacancy_fairness():
    from wsp_site.services.vacancies import report

    region = catalogue.current_region()
    return render_template(
        "backoffice/vacancies/report.html", region=region, report=report.fairness(db.session, region)
    )
