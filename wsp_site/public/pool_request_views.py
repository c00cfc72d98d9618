"""\"I'd like to meet this candidate\": the request an employer sends from a profile's page.

The contact form's employer part (public.forms.CandidateRequestForm, a subclass of ContactForm: the same fields,
validation, consent and spam protection) and the same intake (services.leads.intake.submit_lead): the request
becomes a lead of type "kennismaken" linked to the profile, routed to the employer's one key account, with the
candidate's consultant notified. The confirmation and the status page are the contact form's.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wsp_site.extensions import db, limiter
from wsp_site.i18n import current_lang
from wsp_site.models import CandidateProfile
from wsp_site.public import bp, visit
from wsp_site.public.contact_views import _source_of_submission
from wsp_site.public.forms import CandidateRequestForm, new_submission_key
from wsp_site.services import catalogue
from wsp_site.services.leads import intake as leads
from wsp_site.services.leads.deadlines import POOL_STEP_WORKING_DAYS
from wsp_site.services.pool import codes
from wsp_site.services.pool import public as pool
from wsp_site.vocabulary import POOL_REQUEST_TYPE, SECTOR_LABELS, SIZE_BAND_LABELS


def _pool_rate_limit() -> str:
    return current_app.config["POOL_RATE_LIMIT"]


def _contact_rate_limit() -> str:
    return current_app.config["CONTACT_RATE_LIMIT"]


@bp.route("/kandidaten/<code>/kennismaken", methods=["GET", "POST"], endpoint="candidate_request")
@limiter.limit(_pool_rate_limit)
@limiter.limit(_contact_rate_limit, methods=["POST"])
def candidate_request(code: str):
    region = catalogue.current_region()
    lang = current_lang()
    wanted = codes.normalise(code)
    # Only a public profile can be asked for (consent in force, approved): any other code answers 404.
    profile = pool.profile(region, wanted, lang) if codes.is_code(wanted) else None
    if profile is None:
        abort(404)
    form = CandidateRequestForm()
    form.set_choices(catalogue.municipalities(region), SECTOR_LABELS, _("Buiten de regio"))
    if request.method == "GET":
        kept = visit.kept_source()
        form.bron.data = kept.bron if kept else None
        form.submission_key.data = new_submission_key()
    elif form.validate_on_submit():
        if form.website.data:
            # A bot filled in the hidden field: answer like a success, store nothing.
            return render_template("public/contact_done.html", region=region, lead=None, response_days=0)
        row = db.session.scalar(select(CandidateProfile.id).filter_by(region_id=region.id, code=wanted))
        source, referrer = _source_of_submission()
        submission = form.submission(lang, source, referrer, request_type=POOL_REQUEST_TYPE, candidate_profile_id=row)
        result = leads.submit_lead(db.session, region, submission)
        db.session.commit()
        session["submitted_lead"] = result.lead.id
        return redirect(url_for("public.contact_done"), code=303)
    response = current_app.make_response(
        (
            render_template(
                "public/candidate_request.html",
                region=region,
                profile=profile,
                form=form,
                errors=form.ordered_errors() if request.method == "POST" else [],
                size_band_labels=SIZE_BAND_LABELS,
                ask_days=POOL_STEP_WORKING_DAYS["requested"],
            ),
            400 if request.method == "POST" else 200,
        )
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
