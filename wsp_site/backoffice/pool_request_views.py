"""The steps of a request to meet a candidate of the pool, in the back office: one page per request for the
candidate's consultant (asks the candidate, records the answer) and the lead's owner (plans the introduction,
records the outcome). Who may take which step is decided by services.leads.workflow (pool_actions)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.pool_request_forms import AgreeForm, OutcomeForm, PlanForm, StepNoteForm
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models import Lead, LeadEvent
from wsp_site.services import catalogue
from wsp_site.services.leads import pool_requests
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.vocabulary import POOL_STAGE_LABELS, SECTOR_LABELS, SIZE_BAND_LABELS, WORK_FORM_LABELS, WORK_FORMS

# action -> (the path in the URL, the form's prefix)
STEP_PATHS = {
    "ask": "vragen",
    "agree": "akkoord",
    "decline": "bedankt",
    "plan_introduction": "kennismaking",
    "outcome": "uitkomst",
}
DONE_MESSAGES = {
    "ask": _l("Vastgelegd: u vraagt de kandidaat."),
    "agree": _l("Vastgelegd: de kandidaat wil kennismaken. De werkgever ziet nu de voornaam en de contactroute."),
    "decline": _l("Vastgelegd: de kandidaat heeft bedankt. Het verzoek is afgesloten."),
    "plan_introduction": _l("De kennismaking is gepland."),
    "outcome": _l("De uitkomst is vastgelegd. Het verzoek is afgesloten."),
}


def _request_or_404(lead_id: int) -> Lead:
    """A pool request the person may see: as the candidate's consultant or as one who may open the lead."""
    lead = db.session.scalar(
        select(Lead)
        .filter_by(id=lead_id)
        .options(selectinload(Lead.events).selectinload(LeadEvent.actor), selectinload(Lead.candidate_profile))
    )
    user = signed_in_user()
    if lead is None or lead.pool_stage is None:
        abort(404)
    if not (
        lead_workflow.may_act_for_candidate(user, lead) or lead_workflow.can_view(db.session, user, lead, local_today())
    ):
        abort(404)
    return lead


def _forms(lead: Lead) -> dict:
    outcome = OutcomeForm(prefix="uitkomst")
    outcome.outcome.choices = [
        SelectChoice(code, str(POOL_STAGE_LABELS[code])) for code in lead_workflow.pool_outcomes(lead)
    ]
    outcome.work_form.choices = [SelectChoice(code, str(WORK_FORM_LABELS[code])) for code in WORK_FORMS]
    outcome.instruments.choices = [
        SelectChoice(i.slug, i.title("nl")) for i in catalogue.published_instruments(catalogue.current_region())
    ]
    agree = AgreeForm(prefix="akkoord")
    if lead.candidate_profile is not None and not agree.first_name.data:
        agree.first_name.data = lead.candidate_profile.name.split()[0] if lead.candidate_profile.name else ""
    return {
        "ask": StepNoteForm(prefix="vragen"),
        "agree": agree,
        "decline": StepNoteForm(prefix="bedankt"),
        "plan_introduction": PlanForm(prefix="kennismaking"),
        "outcome": outcome,
    }


@bp.get("/kandidaten/verzoeken/<int:lead_id>")
@allow("account_manager", "consultant")
def pool_request(lead_id: int, forms: dict | None = None, status: int = 200):
    lead = _request_or_404(lead_id)
    user, today = signed_in_user(), local_today()
    return render_template(
        "backoffice/pool/request.html",
        region=catalogue.current_region(),
        lead=lead,
        request_view=pool_requests.view(lead, today),
        actions=lead_workflow.pool_actions(db.session, user, lead, today),
        opens_lead=lead_workflow.can_view(db.session, user, lead, today),
        keeps_profile=lead_workflow.may_act_for_candidate(user, lead),
        forms=forms or _forms(lead),
        paths=STEP_PATHS,
        sector_labels=SECTOR_LABELS,
        size_band_labels=SIZE_BAND_LABELS,
        stage_labels=POOL_STAGE_LABELS,
    ), status


@bp.post("/kandidaten/verzoeken/<int:lead_id>/<step>")
@allow("account_manager", "consultant")
def pool_request_action(lead_id: int, step: str):
    actions = {path: action for action, path in STEP_PATHS.items()}
    if step not in actions:
        abort(404)
    action = actions[step]
    lead = _request_or_404(lead_id)
    user, now = signed_in_user(), utcnow()
    side = lead_workflow.may_act_for_candidate if action in lead_workflow.POOL_CONSULTANT_ACTIONS else None
    allowed = side(user, lead) if side else lead_workflow.can_view(db.session, user, lead, local_today())
    if not allowed:
        abort(403)  # the request is visible, this step is for the other side
    forms = _forms(lead)
    form = forms[action]
    if not form.validate_on_submit():
        flash(_("De stap is niet vastgelegd: vul de gemarkeerde velden in."), "error")
        return pool_request(lead_id, forms=forms, status=400)
    try:
        with transaction():
            if action == "ask":
                lead_workflow.pool_ask(lead, user, now, form.note.data)
            elif action == "agree":
                lead_workflow.pool_agree(lead, user, form.first_name.data, form.contact_route.data, now)
            elif action == "decline":
                lead_workflow.pool_decline(lead, user, now, form.note.data)
            elif action == "plan_introduction":
                lead_workflow.pool_plan_introduction(lead, user, form.introduction_on.data, now, form.note.data)
            else:
                lead_workflow.pool_outcome(
                    db.session,
                    lead,
                    user,
                    form.outcome.data,
                    now,
                    work_form=form.work_form.data or None,
                    instruments=list(form.instruments.data or []),
                    note=form.note.data,
                )
    except lead_workflow.TransitionRefused:
        flash(
            _("Deze stap kan nu niet: kijk bij welke stap het verzoek is, en vul bij een plaatsing de werkvorm in."),
            "error",
        )
        return redirect(url_for("backoffice.pool_request", lead_id=lead_id), code=303)
    flash(str(DONE_MESSAGES[action]), "ok")
    return redirect(url_for("backoffice.pool_request", lead_id=lead_id), code=303)
