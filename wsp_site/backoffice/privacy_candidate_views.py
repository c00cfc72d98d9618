"""Data-subject requests of candidates in the pool (find, export, erase), beside those of employers
(privacy_views). Coordinators only. The search term is sent by POST, never in a URL; it goes into the audit
trail only as a keyed hash. Export and erase act on one profile chosen from the results (a name can be shared).
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.privacy_forms import CandidateEraseForm, CandidateExportForm, CandidateSearchForm
from wsp_site.backoffice.privacy_views import _search_page
from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.ids import parse_id
from wsp_site.models import AuditEvent
from wsp_site.services import catalogue
from wsp_site.services.pool import profiles
from wsp_site.services.privacy import candidates
from wsp_site.services.privacy import subject_requests as subjects
from wsp_site.vocabulary import TARGET_GROUP_LABELS


def _state(profile, today) -> str:
    if profile.placed_at is not None:
        return _("Geplaatst")
    return {
        "public": _("Zichtbaar op de website"),
        "awaiting_approval": _("Nog niet gepubliceerd"),
        "no_consent": _("Niet zichtbaar: geen geldige toestemming"),
    }[profiles.state(profile, today)]


def _audit(action: str, profile, **data) -> None:
    db.session.add(
        AuditEvent(
            at=utcnow(),
            actor=signed_in_user(),
            action=action,
            target_type="candidate_profile",
            target_id=profile.id,
            data={"code": profile.code, "candidates": 1, **data},
        )
    )


@bp.post("/privacy/kandidaten/zoeken")
@allow()
def privacy_candidate_search():
    form = CandidateSearchForm()
    if not form.validate_on_submit():
        return _search_page(None, 400, candidate_form=form)
    region = catalogue.current_region()
    found = candidates.find(db.session, region, form.term.data)
    subjects.record_request(
        db.session,
        "privacy.candidate_search",
        signed_in_user(),
        candidates.normalise_term(form.term.data),
        current_app.config["SECRET_KEY"],
        utcnow(),
        candidates=len(found),
    )
    db.session.commit()
    today = local_today()
    return render_template(
        "backoffice/privacy/candidates.html",
        region=region,
        term=candidates.normalise_term(form.term.data),
        found=[(profile, _state(profile, today)) for profile in found],
        erase_form=CandidateEraseForm(formdata=None),
        situation_labels=TARGET_GROUP_LABELS,
    )


def _chosen_profile(form):
    if not form.validate_on_submit():
        abort(400)
    profile = candidates.profile_in_region(db.session, catalogue.current_region(), parse_id(form.profile_id.data))
    if profile is None:
        abort(404)
    return profile


@bp.post("/privacy/kandidaten/export")
@allow()
def privacy_candidate_export():
    profile = _chosen_profile(CandidateExportForm())
    now = utcnow()
    body = candidates.export_json(db.session, catalogue.current_region(), profile, now)
    _audit("privacy.candidate_export", profile, format="json")
    db.session.commit()
    return Response(
        body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="wsp-kandidaat-{profile.code}-{now:%Y%m%d-%H%M%S}.json"',
        },
    )


@bp.post("/privacy/kandidaten/wissen")
@allow()
def privacy_candidate_erase():
    form = CandidateEraseForm()
    if not form.validate_on_submit():
        flash(_("Kies een reden en bevestig het wissen; er is niets gewist."), "error")
        return redirect(url_for("backoffice.privacy"), code=303)
    profile = _chosen_profile(form)
    code, now = profile.code, utcnow()
    _audit("privacy.candidate_erase", profile, reason=form.reason.data)
    candidates.erase_profile(db.session, profile, signed_in_user(), now, f"request:{form.reason.data}")
    db.session.commit()
    flash(
        _("Het profiel %(code)s is gewist, met de toestemmingen. Het logboek bewaart alleen de code.", code=code), "ok"
    )
    return redirect(url_for("backoffice.privacy"), code=303)
