"""The contact form, its confirmation and the employer's own status page of a request."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wsp_site.clock import local_today
from wsp_site.extensions import db, limiter
from wsp_site.formatting import date_text
from wsp_site.i18n import current_lang
from wsp_site.models import Lead
from wsp_site.presentation.urls import site_url
from wsp_site.public import bp, visit
from wsp_site.public.forms import ContactForm, new_submission_key
from wsp_site.services import catalogue
from wsp_site.services.catalogue.filters import InstrumentFilter
from wsp_site.services.catalogue.tiers import group_by_tier
from wsp_site.services.leads import contact_person, pool_requests
from wsp_site.services.leads import intake as leads
from wsp_site.services.pool import codes as pool_codes
from wsp_site.services.pool import public as pool_public
from wsp_site.vocabulary import (
    CONTACT_FORM_REQUEST_TYPES,
    EMPLOYER_OUTCOMES,
    OUTCOME_LABELS,
    REQUEST_TYPE_LABELS,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    STATUS_LABELS,
    TIER_LABELS,
)


def _region():
    return catalogue.current_region()


def _contact_form(region, lang):
    form = ContactForm()
    instruments = catalogue.published_instruments(region, lang)
    municipalities = catalogue.municipalities(region)
    choices = catalogue.published(region).memo(
        ("contact form choices", lang),
        lambda: ContactForm.build_choices(municipalities, instruments, lang, SECTOR_LABELS, _("Buiten de regio")),
    )
    form.use_choices(choices)
    return form, instruments, municipalities


def _prefill(form) -> None:
    """A link may fill in the form (the documented parameters: /voor-gemeenten). `gemeente` is where the
    employer's organisation is; `woonplaats` and `situatie` are about the candidate (the finder's answers, a
    municipality's page)."""
    args = request.args
    kept = visit.kept_source()
    form.bron.data = kept.bron if kept else None
    form.submission_key.data = new_submission_key()
    wanted = args.get("instrument", "")
    if form.offers("instruments", wanted):
        form.instruments.data = [wanted]
        form.request_type.data = "instrument_vraag"
    if args.get("type") in CONTACT_FORM_REQUEST_TYPES:
        form.request_type.data = args["type"]
    for field_name, parameter in (("location", "gemeente"), ("candidate_municipality", "woonplaats")):
        if form.offers(field_name, args.get(parameter)):
            form[field_name].data = args[parameter]
    if form.offers("candidate_situation", args.get("situatie")):
        form.candidate_situation.data = args["situatie"]


def _source_of_submission() -> tuple[str | None, str | None]:
    """(source, referrer) for the lead: what the form sent (its `bron` field), else what the visit kept. The
    form's own page is never the referrer (visit.request_source drops the site's own pages)."""
    sent, kept = visit.request_source(), visit.kept_source()
    source = (sent.bron if sent else None) or (kept.bron if kept else None)
    referrer = (sent.referrer if sent else None) or (kept.referrer if kept else None)
    return source, referrer


def _instrument_groups(form, instruments, municipalities, lang) -> list[dict]:
    """The instrument choice by tier (basic package, UWV, the municipality's own; services.catalogue.tiers),
    showing only what applies where the candidate lives (all when no municipality is chosen). Every instrument
    is in the page, the ones that do not apply hidden (a script shows them when the municipality changes);
    one already ticked is always shown."""
    candidate = next((m for m in municipalities if m.slug == form.candidate_municipality.data), None)
    ticked = set(form.instruments.data or [])
    if ticked:
        return _build_instrument_groups(instruments, candidate, ticked, lang)
    # Nothing ticked (every GET without ?instrument=): the same groups for everyone, once per content version.
    return catalogue.published(catalogue.current_region()).memo(
        ("contact form instrument groups", lang, candidate.slug if candidate else None),
        lambda: _build_instrument_groups(instruments, candidate, ticked, lang),
    )


def _build_instrument_groups(instruments, candidate, ticked: set[str], lang: str) -> list[dict]:
    applies = InstrumentFilter(municipality=candidate).matches
    groups = []
    for tier in group_by_tier(instruments, candidate, lang, by_provider=False):
        options = [
            {
                "value": item.slug,
                "label": item.title(lang),
                "hidden": not applies(item) and item.slug not in ticked,
                "attrs": {"data-wsp-gemeenten": " ".join(m.slug for m in item.municipalities)}
                if item.kind == "lokaal"
                else {},
            }
            for item in tier.items
        ]
        groups.append(
            {
                "legend": TIER_LABELS[tier.kind],
                "options": options,
                "hidden": all(option["hidden"] for option in options),
                "attrs": {"data-wsp-tier": tier.kind},
            }
        )
    return groups


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CONTACT_RATE_LIMIT"], methods=["POST"])
def contact():
    region = _region()
    lang = current_lang()
    form, instruments, municipalities = _contact_form(region, lang)
    if request.method == "GET":
        if request.args.get("type") == "vacature":
            # A vacancy has its own form (the same employer fields, and the vacancy's).
            return redirect(url_for("public.vacancy_report", gemeente=request.args.get("gemeente") or None))
        _prefill(form)
        code = pool_codes.normalise(request.args.get("kandidaat", ""))
        if pool_codes.is_code(code) and pool_public.profile(region, code, lang) is not None:
            form.request_type.data = "kandidaat"
            form.message.data = _("Ik wil graag kennismaken met kandidaat %(code)s.", code=code)
    elif form.validate_on_submit():
        if form.website.data:
            # A bot filled in the hidden field: answer like a success, store nothing.
            return render_template("public/contact_done.html", region=region, lead=None, response_days=0)
        source, referrer = _source_of_submission()
        submission = form.submission(lang, source, referrer)
        # A repeat of a form already sent stores nothing: the result is that first lead, confirmed again.
        result = leads.submit_lead(db.session, region, submission)
        lead_id = result.lead.id  # read before the commit expires it: no SELECT of the lead after it
        db.session.commit()
        session["submitted_lead"] = lead_id
        # The status link for the confirmation page (the e-mail has it too). A repeat has no new token: the page
        # then shows the link only if this browser sent the first one.
        if result.status_token:
            session["submitted_status"] = result.status_token
        return redirect(url_for("public.contact_done"), code=303)
    return render_template(
        "public/contact.html",
        region=region,
        form=form,
        errors=form.ordered_errors() if request.method == "POST" else [],
        response_days=region.promised_working_days,
        request_type_labels={code: REQUEST_TYPE_LABELS[code] for code in CONTACT_FORM_REQUEST_TYPES},
        size_band_labels=SIZE_BAND_LABELS,
        instrument_groups=_instrument_groups(form, instruments, municipalities, lang),
    ), (400 if request.method == "POST" else 200)


@bp.get("/contact/verzonden")
def contact_done():
    region = _region()
    lead_id = session.get("submitted_lead")
    lead = db.session.get(Lead, lead_id) if lead_id else None
    if lead is None or lead.anonymised_at is not None:
        return redirect(url_for("public.contact"))
    token = session.get("submitted_status")
    status_url = None
    if token and lead.status_token_hash == leads.hash_token(token):
        status_url = site_url("public.lead_status", current_lang(), token=token)
    response = make_response(
        render_template(
            "public/contact_done.html",
            region=region,
            lead=lead,
            contact=contact_person.current_contact(lead),
            copy=contact_person.submitted_copy(lead),
            status_url=status_url,
            response_days=region.promised_working_days,
            due_on_text=date_text(lead.due_on),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/aanvraag/<token>")
def lead_status(token: str):
    """The employer's own view of one request, printable as its receipt: status, who has it now and how to reach
    them, the promised date, to whom it was referred, and the copy of what the employer sent. Nothing else."""
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
            contact=contact_person.current_contact(lead),
            copy=contact_person.submitted_copy(lead),
            due_on_text=date_text(lead.due_on) if lead.status == "new" else None,
            referred_to=contact_person.referred_to(lead),
            # A request to meet a candidate of the pool: its steps (services.leads.pool_requests).
            pool_request=pool_requests.view(lead, local_today()) if lead.pool_stage else None,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
