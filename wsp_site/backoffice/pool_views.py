"""The candidate pool in the back office: the list, a profile, creating and editing, four-eyes approval, consent.

Thin views: who may keep or read a profile, saving, approval and the consent ledger are services.pool.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.forms import EmptyForm
from wsp_site.backoffice.pool_forms import ConsentForm, ProfileForm, fill_choices
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models import AuditEvent, CandidateProfile
from wsp_site.schemas.pool import ProfileIn
from wsp_site.services import catalogue
from wsp_site.services.leads import pool_requests
from wsp_site.services.people.audit import AdminRefused
from wsp_site.services.pool import consent as consent_ledger
from wsp_site.services.pool import occupations, profiles
from wsp_site.services.pool import public as pool_public
from wsp_site.services.pool.instruments import for_profile
from wsp_site.vocabulary import (
    AGE_BAND_LABELS,
    CONSENT_SCOPE_LABELS,
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    POOL_EVENT_LABELS,
    POOL_STAGE_LABELS,
    REVIEW_STATUS_LABELS,
    TARGET_GROUP_LABELS,
    WORK_FORM_LABELS,
)


def _state_label(state: str) -> str:
    return {
        "public": _("Zichtbaar op de website"),
        "awaiting_approval": _("Nog niet gepubliceerd: wacht op goedkeuring"),
        "no_consent": _("Niet zichtbaar: geen geldige toestemming"),
    }[state]


def _profile_or_404(profile_id: int, keep: bool = False) -> CandidateProfile:
    profile = db.session.get(CandidateProfile, profile_id)
    user = signed_in_user()
    allowed = profile is not None and (profiles.may_keep if keep else profiles.may_read)(user, profile)
    if not allowed:
        abort(404)  # a profile outside your reach answers like one that does not exist
    return profile


def _fill(form: ProfileForm, profile: CandidateProfile) -> None:
    for name in (*profiles.PUBLIC_FIELDS, *profiles.PERSONAL_FIELDS, *profiles.TEXT_FIELDS):
        if name != "occupations":
            getattr(form, name).data = getattr(profile, name)
    form.municipality.data = str(profile.municipality_id)
    form.consultant.data = str(profile.consultant_id or "")
    for field, code in zip(
        (form.occupation_1, form.occupation_2, form.occupation_3), profile.occupations, strict=False
    ):
        field.data = code


def _save(form: ProfileForm, region, profile: CandidateProfile | None):
    """Validate and save; the profile, or None with the problems on the form."""
    if not form.validate():
        return None
    try:
        data = ProfileIn.model_validate(form.profile_data())
        with transaction():
            return profiles.save(db.session, signed_in_user(), region, data, utcnow(), profile=profile)
    except AdminRefused as refused:
        form.add_problems(refused.problems)
    except ValueError as invalid:  # pydantic's ValidationError; the form checks the same, so rarely seen
        form.add_problems([(None, str(invalid).splitlines()[0])])
    return None


@bp.get("/kandidaten")
@allow("consultant", "account_manager")
def pool_list():
    user = signed_in_user()
    today = local_today()
    rows = list(db.session.scalars(profiles.visible_query(user)))
    return render_template(
        "backoffice/pool/list.html",
        region=catalogue.current_region(),
        rows=[(p, _state_label(profiles.state(p, today))) for p in rows],
        to_review=profiles.awaiting_review(db.session, user) if user.has_role(*profiles.KEEPERS) else [],
        open_requests=pool_requests.open_for_consultant(db.session, user),
        pool_due=pool_requests.step_due,
        today=today,
        stage_labels=POOL_STAGE_LABELS,
        review_labels=REVIEW_STATUS_LABELS,
    )


@bp.route("/kandidaten/nieuw", methods=["GET", "POST"])
@allow("consultant")
def pool_new():
    region = catalogue.current_region()
    form = ProfileForm()
    fill_choices(form, region)
    if request.method == "POST":
        profile = _save(form, region, None)
        if profile is not None:
            flash(
                _(
                    "Het profiel %(code)s is opgeslagen. Een collega keurt het goed; daarna, met toestemming van de kandidaat, staat het op de website.",
                    code=profile.code,
                ),
                "ok",
            )
            return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)
    return render_template("backoffice/pool/form.html", region=region, form=form, profile=None)


@bp.route("/kandidaten/<int:profile_id>/bewerken", methods=["GET", "POST"])
@allow("consultant")
def pool_edit(profile_id: int):
    region = catalogue.current_region()
    profile = _profile_or_404(profile_id, keep=True)
    form = ProfileForm()
    fill_choices(form, region)
    if request.method == "GET":
        _fill(form, profile)
    else:
        saved = _save(form, region, profile)
        if saved is not None:
            flash(_("Het profiel is opgeslagen."), "ok")
            return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)
    return render_template("backoffice/pool/form.html", region=region, form=form, profile=profile)


@bp.get("/kandidaten/<int:profile_id>")
@allow("consultant", "account_manager")
def pool_detail(profile_id: int):
    region = catalogue.current_region()
    profile = _profile_or_404(profile_id)
    user = signed_in_user()
    today = local_today()
    keeps = profiles.may_keep(user, profile)
    current = profile.consent_on(today)
    consent_form = ConsentForm()
    consent_form.scope.choices = [SelectChoice(k, str(v)) for k, v in CONSENT_SCOPE_LABELS.items()]
    municipality_public = profile.municipality_id in pool_public.public_municipality_ids(region, today)
    instruments = for_profile(
        catalogue.published_instruments(region),
        profile,
        bool(current and current.show_health),
        municipality_public,
        "nl",
    )
    events = db.session.scalars(
        select(AuditEvent)
        .filter_by(target_type="candidate_profile", target_id=profile.id)
        .order_by(AuditEvent.at.desc())
    ).all()
    return render_template(
        "backoffice/pool/detail.html",
        region=region,
        profile=profile,
        keeps=keeps,
        state=_state_label(profiles.state(profile, today)),
        public_now=profiles.state(profile, today) == "public",
        current=current,
        consent_form=consent_form,
        may_approve=keeps and profile.review_status == "ter_beoordeling" and profile.text_author_id != user.id,
        instruments=instruments,
        events=events if keeps else [],
        occupation=occupations.get,
        work_form_labels=WORK_FORM_LABELS,
        education_labels=EDUCATION_LEVEL_LABELS,
        dutch_labels=DUTCH_LEVEL_LABELS,
        scope_labels=CONSENT_SCOPE_LABELS,
        review_labels=REVIEW_STATUS_LABELS,
        event_labels=POOL_EVENT_LABELS,
        situation_labels=TARGET_GROUP_LABELS,
        age_band_labels=AGE_BAND_LABELS,
        consent_version=consent_ledger.CONSENT_TEXT_VERSION,
        requests=pool_requests.for_profile(db.session, profile) if keeps else [],
        stage_labels=POOL_STAGE_LABELS,
    )


@bp.post("/kandidaten/<int:profile_id>/goedkeuren")
@allow("consultant")
def pool_approve(profile_id: int):
    profile = _profile_or_404(profile_id, keep=True)
    if EmptyForm().validate():
        try:
            with transaction():
                profiles.approve(db.session, signed_in_user(), profile, utcnow())
            flash(_("Goedgekeurd. De teksten staan nu op het profiel."), "ok")
        except AdminRefused as refused:
            for _field, message in refused.problems:
                flash(message, "error")
    return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)


@bp.post("/kandidaten/<int:profile_id>/toestemming")
@allow("consultant")
def pool_consent(profile_id: int):
    profile = _profile_or_404(profile_id, keep=True)
    form = ConsentForm()
    form.scope.choices = [SelectChoice(k, str(v)) for k, v in CONSENT_SCOPE_LABELS.items()]
    if form.validate():
        with transaction():
            consent_ledger.record(
                db.session, signed_in_user(), profile, utcnow(), form.scope.data, bool(form.show_health.data)
            )
        flash(_("De toestemming is vastgelegd."), "ok")
    else:
        for field in form:
            for message in field.errors:
                flash(str(message), "error")
    return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)


@bp.post("/kandidaten/<int:profile_id>/intrekken")
@allow("consultant")
def pool_withdraw(profile_id: int):
    profile = _profile_or_404(profile_id, keep=True)
    if EmptyForm().validate():
        with transaction():
            count = consent_ledger.withdraw(db.session, signed_in_user(), profile, utcnow())
        flash(
            _("De toestemming is ingetrokken. Het profiel staat niet meer op de website.")
            if count
            else _("Er was geen geldige toestemming om in te trekken."),
            "ok",
        )
    return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)
