"""Privacy tools for coordinators: data-subject requests (find, export, erase) and a lead's access log.

The address is sent by POST, never in a URL (URLs end up in logs and browser history), so the search
result is the answer to the POST; erasing is POST-redirect-GET. Every action goes into the audit trail
with a keyed hash of the address, never the address itself.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.privacy_forms import CandidateSearchForm, EraseForm, ExportForm, SearchForm
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.models import Lead
from wsp_site.services import catalogue
from wsp_site.services.privacy import subject_requests as subjects
from wsp_site.services.privacy.retention import RetentionPeriods
from wsp_site.vocabulary import ERASE_REASON_LABELS, OUTCOME_LABELS, STATUS_LABELS

EXPORT_FORMATS = {"json": "application/json", "txt": "text/plain"}


def _key() -> str:
    return current_app.config["SECRET_KEY"]


@bp.get("/privacy")
@allow()
def privacy():
    return _search_page(SearchForm(formdata=None))


def _search_page(form: SearchForm | None, status: int = 200, candidate_form: CandidateSearchForm | None = None):
    return render_template(
        "backoffice/privacy/index.html",
        region=catalogue.current_region(),
        form=form or SearchForm(formdata=None),
        candidate_form=candidate_form or CandidateSearchForm(formdata=None),
        periods=RetentionPeriods.from_config(current_app.config),
        requests=subjects.recent_requests(db.session),
        erase_reason_labels=ERASE_REASON_LABELS,
    ), status


def _results(address: str, erase_form: EraseForm | None = None, status: int = 200):
    region = catalogue.current_region()
    data = subjects.find(db.session, region, address)
    erase_form = erase_form or EraseForm(formdata=None, email=data.address)
    return render_template(
        "backoffice/privacy/results.html",
        region=region,
        data=data,
        export_form=ExportForm(formdata=None, email=data.address),
        erase_form=erase_form,
        status_labels=STATUS_LABELS,
        outcome_labels=OUTCOME_LABELS,
    ), status


@bp.post("/privacy/zoeken")
@allow()
def privacy_search():
    form = SearchForm()
    if not form.validate_on_submit():
        return _search_page(form, 400)
    region = catalogue.current_region()
    data = subjects.find(db.session, region, form.email.data)
    subjects.record_request(
        db.session, "privacy.search", signed_in_user(), data.address, _key(), utcnow(), **data.counts
    )
    db.session.commit()
    return _results(data.address)


@bp.post("/privacy/export")
@allow()
def privacy_export():
    form = ExportForm()
    if not form.validate_on_submit() or form.format.data not in EXPORT_FORMATS:
        abort(400)
    region, now = catalogue.current_region(), utcnow()
    data = subjects.find(db.session, region, form.email.data)
    if form.format.data == "json":
        body = subjects.export_json(data, region, now)
    else:
        body = subjects.export_text(data, region, now)
    subjects.record_request(
        db.session,
        "privacy.export",
        signed_in_user(),
        data.address,
        _key(),
        now,
        format=form.format.data,
        **data.counts,
    )
    db.session.commit()
    filename = f"wsp-gegevens-{now:%Y%m%d-%H%M%S}.{form.format.data}"
    return Response(
        body,
        headers={
            "Content-Type": f"{EXPORT_FORMATS[form.format.data]}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.post("/privacy/wissen")
@allow()
def privacy_erase():
    form = EraseForm()
    if not form.validate_on_submit():
        if not form.email.data:
            abort(400)
        return _results(form.email.data, erase_form=form, status=400)
    region, now, user = catalogue.current_region(), utcnow(), signed_in_user()
    counts = subjects.erase(db.session, region, form.email.data, user, now)
    subjects.record_request(
        db.session,
        "privacy.erase",
        user,
        form.email.data,
        _key(),
        now,
        leads=counts.leads,
        open_leads_closed=counts.open_leads_closed,
        outbox_messages=counts.outbox_messages,
        employers=counts.employers,
        intermediary_accounts=counts.intermediary_accounts,
        reason=form.reason.data,
    )
    db.session.commit()
    flash(
        _(
            "De gegevens zijn gewist: %(leads)s aanvragen geanonimiseerd (%(closed)s open aanvragen afgesloten), "
            "%(messages)s e-mails verwijderd, %(employers)s werkgevers geanonimiseerd.",
            leads=counts.leads,
            closed=counts.open_leads_closed,
            messages=counts.outbox_messages,
            employers=counts.employers,
        ),
        "ok",
    )
    return redirect(url_for("backoffice.privacy"), code=303)


@bp.get("/aanvragen/<int:lead_id>/inzage")
@allow()
def lead_access_log(lead_id: int):
    lead = db.session.get(Lead, lead_id)
    if lead is None or lead.region_id != signed_in_user().region_id:
        abort(404)
    return render_template(
        "backoffice/privacy/access_log.html",
        region=catalogue.current_region(),
        lead=lead,
        accesses=subjects.access_log(db.session, lead),
        total=subjects.access_count(db.session, lead),
    )
