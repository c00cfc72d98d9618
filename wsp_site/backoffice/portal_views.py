"""The intermediaries' portal (/beheer/bemiddelaar): for a signed-in person of role `intermediary` whose
organisation is active and accredited; nothing else of the back office is theirs (every other view refuses
the role), and a coordinator has no portal (allow(coordinators=False)).

Shortlists belong to the organisation; a profile is there only within the scope rule
(services.intermediaries.shortlists.may_see). The request on behalf of a client is the employer's request
(ClientRequestForm, a CandidateRequestForm) through the same intake, routed to the client's key account by the
client's KvK; the lead records the organisation and the person who sent it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.auth import second_factor_ok
from wsp_site.backoffice.intermediary_forms import ClientRequestForm, RemoveForm, ShortlistCodeForm, ShortlistForm
from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.i18n import current_lang
from wsp_site.public.forms import new_submission_key
from wsp_site.services import catalogue
from wsp_site.services.intermediaries import organisations, requests, shortlists
from wsp_site.services.leads import intake
from wsp_site.services.leads.deadlines import POOL_STEP_WORKING_DAYS
from wsp_site.services.people.audit import AdminRefused
from wsp_site.services.pool import public as pool
from wsp_site.vocabulary import (
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    POOL_REQUEST_TYPE,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    WORK_FORM_LABELS,
)

PROFILE_LABELS = {
    "work_form_labels": WORK_FORM_LABELS,
    "education_labels": EDUCATION_LEVEL_LABELS,
    "dutch_labels": DUTCH_LEVEL_LABELS,
}


def _organisation():
    """The signed-in person's organisation, or 403 when it may not use the portal (deactivated, accreditation
    ended)."""
    organisation = organisations.portal_organisation(signed_in_user())
    if organisation is None:
        abort(403)
    return organisation


def _shortlist_or_404(organisation, shortlist_id: int):
    shortlist = shortlists.find(db.session, organisation, shortlist_id)
    if shortlist is None:
        abort(404)
    return shortlist


def _saved(form, change):
    """Make a shortlist change and commit; refused (AdminRefused), roll back, put its problems on the form and
    answer None."""
    try:
        done = change()
    except AdminRefused as refused:
        db.session.rollback()
        form.add_problems(refused.problems)
        return None
    db.session.commit()
    return done


def _to_list(shortlist):
    return redirect(url_for("backoffice.portal_shortlist", shortlist_id=shortlist.id), code=303)


def public_page_shortlists(code: str) -> dict | None:
    """For a public profile's page: the signed-in intermediary's lists to put this profile on (a plain form), or
    None when nobody of a usable intermediary is signed in or the profile is outside its scope."""
    if not current_user.is_authenticated or not second_factor_ok():
        return None
    organisation = organisations.portal_organisation(signed_in_user())
    if organisation is None or shortlists.available_profile(db.session, organisation, code) is None:
        return None
    return {
        "code": code,
        "lists": [(str(s.id), s.name) for s, _count in shortlists.of_organisation(db.session, organisation)],
    }


@bp.get("/bemiddelaar")
@allow("intermediary", coordinators=False)
def portal_home(form: ShortlistForm | None = None, status: int = 200):
    organisation = _organisation()
    form = form or ShortlistForm()
    return render_template(
        "backoffice/portal/home.html",
        region=catalogue.current_region(),
        organisation=organisation,
        lists=shortlists.of_organisation(db.session, organisation),
        form=form,
        errors=form.ordered_errors(),
    ), status


@bp.post("/bemiddelaar/shortlijsten")
@allow("intermediary", coordinators=False)
def portal_shortlist_new():
    organisation = _organisation()
    form = ShortlistForm()
    if form.validate_on_submit():
        user = signed_in_user()
        shortlist = _saved(form, lambda: shortlists.create(db.session, organisation, user, form.name.data, utcnow()))
        if shortlist is not None:
            flash(_("De shortlijst %(name)s is gemaakt.", name=shortlist.name), "ok")
            return _to_list(shortlist)
    return portal_home(form, 400)


@bp.get("/bemiddelaar/shortlijsten/<int:shortlist_id>")
@allow("intermediary", coordinators=False)
def portal_shortlist(shortlist_id: int, form: ShortlistCodeForm | None = None, status: int = 200):
    organisation = _organisation()
    shortlist = _shortlist_or_404(organisation, shortlist_id)
    form = form or ShortlistCodeForm()
    region = catalogue.current_region()
    return render_template(
        "backoffice/portal/shortlist.html",
        region=region,
        organisation=organisation,
        shortlist=shortlist,
        rows=shortlists.rows(shortlist, region, current_lang()),
        form=form,
        errors=form.ordered_errors(),
        **PROFILE_LABELS,
    ), status


@bp.post("/bemiddelaar/shortlijsten/toevoegen")
@allow("intermediary", coordinators=False)
def portal_shortlist_add():
    """A code onto a list: from the list's own page (the list in a hidden field) or a public profile's page."""
    organisation = _organisation()
    form = ShortlistCodeForm()
    form.shortlist.choices = [
        SelectChoice(str(s.id), s.name) for s, _count in shortlists.of_organisation(db.session, organisation)
    ]
    shortlist = shortlists.find(db.session, organisation, form.shortlist_id() or 0)
    if shortlist is None:
        abort(404)
    if form.validate_on_submit():
        user = signed_in_user()
        profile = _saved(form, lambda: shortlists.add(db.session, shortlist, user, form.code.data, utcnow()))
        if profile is not None:
            flash(
                _("Kandidaat %(code)s staat op de shortlijst %(name)s.", code=profile.code, name=shortlist.name), "ok"
            )
            return _to_list(shortlist)
    return portal_shortlist(shortlist.id, form, 400)


@bp.post("/bemiddelaar/shortlijsten/<int:shortlist_id>/verwijderen")
@allow("intermediary", coordinators=False)
def portal_shortlist_remove(shortlist_id: int):
    organisation = _organisation()
    shortlist = _shortlist_or_404(organisation, shortlist_id)
    form = RemoveForm()
    if form.validate_on_submit() and shortlists.remove(
        db.session, shortlist, signed_in_user(), form.code.data, utcnow()
    ):
        db.session.commit()
        flash(_("Kandidaat %(code)s is van de shortlijst gehaald.", code=form.code.data), "ok")
    else:
        flash(_("Er is niets veranderd."), "info")
    return _to_list(shortlist)


@bp.get("/bemiddelaar/verzoeken")
@allow("intermediary", coordinators=False)
def portal_requests():
    organisation = _organisation()
    today = local_today()
    user = signed_in_user()
    return render_template(
        "backoffice/portal/requests.html",
        region=catalogue.current_region(),
        organisation=organisation,
        requests=[
            (lead, requests.portal_view(lead, user, today)) for lead in requests.sent_by(db.session, organisation)
        ],
    )


@bp.route("/bemiddelaar/kandidaten/<code>/kennismaken", methods=["GET", "POST"])
@allow("intermediary", coordinators=False)
def portal_request(code: str):
    organisation = _organisation()
    region = catalogue.current_region()
    lang = current_lang()
    row = shortlists.available_profile(db.session, organisation, code)
    profile = pool.profile(region, row.code, lang) if row is not None else None
    if profile is None:
        abort(404)
    form = ClientRequestForm()
    form.set_choices(catalogue.municipalities(region), SECTOR_LABELS, _("Buiten de regio"))
    if request.method == "GET":
        form.submission_key.data = new_submission_key()
    elif form.validate_on_submit():
        user = signed_in_user()
        submission = form.submission(
            lang,
            None,
            None,
            request_type=POOL_REQUEST_TYPE,
            candidate_profile_id=row.id,
            intermediary_id=organisation.id,
            intermediary_user_id=user.id,
        )
        result = intake.submit_lead(db.session, region, submission)
        if not result.repeat:
            requests.record_sent(db.session, result.lead, user, utcnow())
        db.session.commit()
        flash(
            _(
                "Uw verzoek namens %(client)s is verstuurd (referentie %(reference)s).",
                client=result.lead.company_name,
                reference=result.lead.reference,
            ),
            "ok",
        )
        return redirect(url_for("backoffice.portal_requests"), code=303)
    return render_template(
        "backoffice/portal/request.html",
        region=region,
        organisation=organisation,
        profile=profile,
        form=form,
        errors=form.ordered_errors() if request.method == "POST" else [],
        size_band_labels=SIZE_BAND_LABELS,
        ask_days=POOL_STEP_WORKING_DAYS["requested"],
        client=True,
    ), (400 if request.method == "POST" else 200)
