"""The contact form, its confirmation and the employer's own status page of a request."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wsp_site.extensions import db, limiter
from wsp_site.formatting import date_text
from wsp_site.i18n import current_lang
from wsp_site.models import Lead
from wsp_site.public import bp
from wsp_site.public.forms import OUTSIDE_REGION, ContactForm, new_submission_key
from wsp_site.services import catalogue
from wsp_site.services.leads import intake as leads
from wsp_site.services.leads.intake import Submission
from wsp_site.services.pool import codes as pool_codes
from wsp_site.services.pool import public as pool_public
from wsp_site.vocabulary import (
    EMPLOYER_OUTCOMES,
    OUTCOME_LABELS,
    REQUEST_TYPE_LABELS,
    REQUEST_TYPES,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    STATUS_LABELS,
)


def _region():
    return catalogue.current_region()


def _source_from_request() -> tuple[str | None, str | None]:
    """The source (bron) a municipal site passed, and the referrer when it is another site."""
    bron = request.values.get("bron", "").strip()[:300] or None
    referrer = (request.referrer or "")[:500] or None
    if referrer and referrer.startswith(current_app.config["SITE_URL"]):
        referrer = None  # our own pages say nothing about where the employer came from
    return bron, referrer


def _contact_form(region, lang):
    form = ContactForm()
    instruments = catalogue.published_instruments(region, lang)
    form.set_choices(catalogue.municipalities(region), instruments, lang, SECTOR_LABELS, _("Buiten de regio"))
    return form


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CONTACT_RATE_LIMIT"], methods=["POST"])
def contact():
    region = _region()
    lang = current_lang()
    form = _contact_form(region, lang)
    if request.method == "GET":
        bron, referrer = _source_from_request()
        form.bron.data = bron or (referrer[:300] if referrer else None)
        form.submission_key.data = new_submission_key()
        wanted = request.args.get("instrument", "")
        if form.offers("instruments", wanted):
            form.instruments.data = [wanted]
            form.request_type.data = "instrument_vraag"
        if request.args.get("type") in REQUEST_TYPES:
            form.request_type.data = request.args["type"]
        if form.offers("location", request.args.get("gemeente")):
            form.location.data = request.args["gemeente"]
        code = pool_codes.normalise(request.args.get("kandidaat", ""))
        if pool_codes.is_code(code) and pool_public.profile(region, code, lang) is not None:
            form.request_type.data = "kandidaat"
            form.message.data = _("Ik wil graag kennismaken met kandidaat %(code)s.", code=code)
    elif form.validate_on_submit():
        if form.website.data:
            # A bot filled in the hidden field: answer like a success, store nothing.
            return render_template("public/contact_done.html", region=region, lead=None, response_days=0)
        submission = Submission(
            company_name=form.company_name.data,
            contact_name=form.contact_name.data,
            email=form.email.data,
            phone=form.phone.data,
            request_type=form.request_type.data,
            sector=form.sector.data,
            size_band=form.size_band.data,
            municipality_slug=None if form.location.data == OUTSIDE_REGION else form.location.data,
            message=form.message.data or "",
            kvk=form.kvk.data or None,
            instrument_slugs=list(form.instruments.data or []),
            language=lang,
            source=form.bron.data or None,
            referrer=(request.referrer or "")[:500] or None,
            submission_key=form.submission_key.data,
        )
        # A repeat of a form already sent stores nothing: the result is that first lead, confirmed again.
        result = leads.submit_lead(db.session, region, submission)
        db.session.commit()
        session["submitted_lead"] = result.lead.id
        return redirect(url_for("public.contact_done"), code=303)
    return render_template(
        "public/contact.html",
        region=region,
        form=form,
        errors=form.ordered_errors() if request.method == "POST" else [],
        response_days=region.promised_working_days,
        request_type_labels=REQUEST_TYPE_LABELS,
        size_band_labels=SIZE_BAND_LABELS,
    ), (400 if request.method == "POST" else 200)


@bp.get("/contact/verzonden")
def contact_done():
    region = _region()
    lead_id = session.get("submitted_lead")
    lead = db.session.get(Lead, lead_id) if lead_id else None
    if lead is None:
        return redirect(url_for("public.contact"))
    return render_template(
        "public/contact_done.html",
        region=region,
        lead=lead,
        response_days=region.promised_working_days,
        due_on_text=date_text(lead.due_on),
    )


@bp.get("/aanvraag/<token>")
def lead_status(token: str):
    """The employer's own view of one request: status, who handles it, when it changed. Nothing else."""
    region = _region()
    lead = db.session.scalar(select(Lead).filter_by(status_token_hash=leads.hash_token(token)))
    if lead is None or lead.anonymised_at is not None:
        abort(404)
    last_change = max((e.at for e in lead.events), default=lead.created_at)
    response = make_response(
        render_template(
            "public/lead_status.html",
            region=region,
            lead=lead,
            status_label=STATUS_LABELS[lead.status],
            # Triage outcomes (spam, duplicate) are for staff: the employer sees only that it was closed.
            outcome_label=OUTCOME_LABELS.get(lead.outcome) if lead.outcome in EMPLOYER_OUTCOMES else None,
            last_change=last_change,
            # The partner of the latest referral, if any: the employer sees who has the request now.
            referred_to=next((e.data.get("partner_name") for e in reversed(lead.events) if e.kind == "refer"), None),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
