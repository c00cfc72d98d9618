"""The content editor: instruments in Dutch and English, drafts, preview, publication, versions, stale content.

Thin views: they parse the form, call services/content/ (which checks the editor's scope and the rules and
records every version) and commit once; every change answers with a redirect (POST-redirect-GET). An
instrument outside the editor's scope answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.content_forms import ActionForm, ImportForm, InstrumentForm
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.i18n import current_lang
from wsp_site.models import Instrument
from wsp_site.security import larger_body
from wsp_site.services import catalogue
from wsp_site.services.content import diff, preview, publishing, scope, snapshots, staleness, versions
from wsp_site.services.content.errors import ContentRefused, NotAllowed
from wsp_site.services.packs import exchange as pack_export
from wsp_site.services.packs.read import PackError
from wsp_site.vocabulary import (
    EMPLOYER_GOALS,
    GOAL_LABELS,
    INSTRUMENT_KINDS,
    KIND_LABELS,
    TARGET_GROUP_LABELS,
    TARGET_GROUPS,
)

STATUS_PARAMS = {"concept": "draft", "gepubliceerd": "published"}


def _instrument_or_404(instrument_id: int, for_update: bool = False) -> Instrument:
    instrument = scope.find_editable(db.session, signed_in_user(), instrument_id, for_update=for_update)
    if instrument is None or instrument.region_id != catalogue.current_region().id:
        abort(404)
    return instrument


def _back_to(instrument: Instrument, endpoint: str = "backoffice.content_edit"):
    return redirect(url_for(endpoint, instrument_id=instrument.id), code=303)


# --- the list and the stale dashboard ---------------------------------------------------------------------


def _filters(stale: bool) -> staleness.ContentFilters:
    args = request.args
    kind = args.get("soort") if args.get("soort") in INSTRUMENT_KINDS else None
    return staleness.ContentFilters(
        kind=kind, status=STATUS_PARAMS.get(args.get("status", "")), stale=stale or args.get("verouderd") == "1"
    )


def _render_list(stale_view: bool):
    region = catalogue.current_region()
    user, today = signed_in_user(), local_today()
    filters = _filters(stale_view)
    rows = staleness.editable_instruments(db.session, user, region, today, filters)
    stale_count = len(staleness.stale_instruments(db.session, user, region, today))
    return render_template(
        "backoffice/content/list.html",
        region=region,
        rows=rows,
        filters=filters,
        stale_view=stale_view,
        stale_count=stale_count,
        months=current_app.config["STALE_AFTER_MONTHS"],
        scoped=scope.is_scoped(user),
        kind_labels=KIND_LABELS,
        status_labels=snapshots.STATUS_LABELS,
        status_params={v: k for k, v in STATUS_PARAMS.items()},
    )


@bp.get("/inhoud")
@allow("editor")
def content_list():
    return _render_list(stale_view=False)


@bp.get("/inhoud/verouderd")
@allow("editor")
def content_stale():
    return _render_list(stale_view=True)


# --- create and edit --------------------------------------------------------------------------------------


def _form(instrument: Instrument | None) -> InstrumentForm:
    region = catalogue.current_region()
    user = signed_in_user()
    form = InstrumentForm()
    form.kind.choices = [SelectChoice(k, str(KIND_LABELS[k])) for k in scope.allowed_kinds(user)]
    form.provider.choices = [SelectChoice(o.slug, o.name) for o in scope.provider_choices(db.session, region)]
    munis = scope.municipality_choices(db.session, user, region)
    form.municipalities.choices = [SelectChoice(m.slug, m.name) for m in munis]
    form.target_groups.choices = [SelectChoice(g, str(TARGET_GROUP_LABELS[g])) for g in TARGET_GROUPS]
    form.employer_goals.choices = [SelectChoice(g, str(GOAL_LABELS[g])) for g in EMPLOYER_GOALS]
    if not form.is_submitted():
        if instrument is None:
            form.kind.data = "lokaal"
            form.base_version.data = "0"
        else:
            working = versions.working_copy(db.session, instrument)
            form.load(working, versions.version_number(db.session, instrument))
    return form


def _render_form(form: InstrumentForm, instrument: Instrument | None, status: int = 200):
    region = catalogue.current_region()
    context = {
        "region": region,
        "form": form,
        "instrument": instrument,
        "errors": form.ordered_errors(),
        "text_labels": snapshots.TEXT_LABELS,
    }
    if instrument is not None:
        latest = versions.latest_version(db.session, instrument)
        context.update(
            pending=versions.has_pending_changes(db.session, instrument),
            stale=staleness.is_stale(instrument, staleness.stale_cutoff(local_today()), local_today()),
            latest=latest,
            action_form=ActionForm(),
            status_labels=snapshots.STATUS_LABELS,
        )
    return render_template("backoffice/content/edit.html", **context), status


@bp.route("/inhoud/nieuw", methods=["GET", "POST"])
@allow("editor")
def content_new():
    form = _form(None)
    if form.validate_on_submit():
        try:
            with transaction():
                result = publishing.create(
                    db.session, signed_in_user(), catalogue.current_region(), form.content(), utcnow()
                )
        except ContentRefused as refused:
            form.add_problems(refused.problems, first_field="slug")
        else:
            flash(_("Het instrument is aangemaakt als concept. Het is nog niet te zien op de website."), "ok")
            return _back_to(result.instrument)
    return _render_form(form, None, 400 if form.is_submitted() else 200)


@bp.route("/inhoud/<int:instrument_id>", methods=["GET", "POST"])
@allow("editor")
def content_edit(instrument_id: int):
    instrument = _instrument_or_404(instrument_id, for_update=request.method == "POST")
    form = _form(instrument)
    if form.validate_on_submit():
        try:
            with transaction():
                result = publishing.save(
                    db.session,
                    signed_in_user(),
                    instrument,
                    form.content(),
                    utcnow(),
                    form.base_version_number(),
                )
        except NotAllowed:
            abort(404)
        except ContentRefused as refused:
            form.add_problems(refused.problems, first_field="kind")
        else:
            if result.version is None:
                flash(_("Er is niets veranderd."), "info")
            elif instrument.is_published:
                flash(
                    _(
                        "De wijzigingen zijn opgeslagen als concept (versie %(number)s). De website toont de "
                        "gepubliceerde tekst tot u de wijzigingen publiceert.",
                        number=result.version.number,
                    ),
                    "ok",
                )
            else:
                flash(_("Opgeslagen (versie %(number)s).", number=result.version.number), "ok")
            return _back_to(instrument)
    return _render_form(form, instrument, 400 if form.is_submitted() else 200)


# --- preview and publication -------------------------------------------------------------------------------


@bp.get("/inhoud/<int:instrument_id>/voorbeeld")
@allow("editor")
def content_preview(instrument_id: int):
    """The working copy in the public instrument template, with a banner above the page's content."""
    instrument = _instrument_or_404(instrument_id)
    region = catalogue.current_region()
    draft = preview.preview_instrument(db.session, instrument)
    return render_template(
        "backoffice/content/preview.html",
        region=region,
        instrument=draft,
        stored=instrument,
        pending=versions.has_pending_changes(db.session, instrument),
        related=catalogue.related_instruments(region, draft, current_lang()),
        kind_labels=KIND_LABELS,
        target_group_labels=TARGET_GROUP_LABELS,
        provider_rows=catalogue.basic_package_providers(region) if draft.kind == "basispakket" else [],
    )


def _post_action(instrument_id: int, action, version_id: int | None = None):
    """A button's action (publish, unpublish, restore a version) in one transaction: (the instrument, what the
    action returned). 404 outside the editor's scope, 400 without a valid token; ContentRefused (rolled back)
    goes to the caller."""
    form = ActionForm()
    instrument = _instrument_or_404(instrument_id, for_update=True)
    version = [] if version_id is None else [_version_or_404(instrument, version_id)]
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction():
            return instrument, action(db.session, signed_in_user(), instrument, *version, utcnow())
    except NotAllowed:
        abort(404)


@bp.post("/inhoud/<int:instrument_id>/publiceren")
@allow("editor")
def content_publish(instrument_id: int):
    try:
        instrument, done = _post_action(instrument_id, publishing.publish)
    except ContentRefused as refused:
        flash(_("Niet gepubliceerd: %(problem)s", problem=str(refused.problems[0][1])), "error")
        return redirect(url_for("backoffice.content_edit", instrument_id=instrument_id), code=303)
    if done:
        flash(_("Gepubliceerd. De tekst staat nu op de website."), "ok")
    else:
        flash(_("Er was niets te publiceren: de website toont deze tekst al."), "info")
    return _back_to(instrument)


@bp.post("/inhoud/<int:instrument_id>/depubliceren")
@allow("editor")
def content_unpublish(instrument_id: int):
    instrument, done = _post_action(instrument_id, publishing.unpublish)
    if done:
        flash(_("Gedepubliceerd. Het instrument staat niet meer op de website."), "ok")
    else:
        flash(_("Dit instrument stond al niet op de website."), "info")
    return _back_to(instrument)


# --- versions ----------------------------------------------------------------------------------------------


@bp.get("/inhoud/<int:instrument_id>/versies")
@allow("editor")
def content_versions(instrument_id: int):
    instrument = _instrument_or_404(instrument_id)
    history = versions.versions(db.session, instrument)
    return render_template(
        "backoffice/content/versions.html",
        region=catalogue.current_region(),
        instrument=instrument,
        versions=history,
        labels={v.id: diff.summary_labels(v) for v in history},
        action_labels=snapshots.ACTION_LABELS,
        action_form=ActionForm(),
    )


def _version_or_404(instrument: Instrument, version_id: int):
    version = versions.find_version(db.session, instrument, version_id)
    if version is None:
        abort(404)
    return version


@bp.get("/inhoud/<int:instrument_id>/versies/<int:version_id>")
@allow("editor")
def content_version(instrument_id: int, version_id: int):
    instrument = _instrument_or_404(instrument_id)
    version = _version_or_404(instrument, version_id)
    previous = versions.previous_version(db.session, version)
    latest = versions.latest_version(db.session, instrument)
    diffs = diff.diff_snapshots(
        db.session, instrument.region_id, previous.snapshot if previous else None, version.snapshot
    )
    return render_template(
        "backoffice/content/version.html",
        region=catalogue.current_region(),
        instrument=instrument,
        version=version,
        previous=previous,
        is_latest=latest is not None and latest.id == version.id,
        diffs=diffs,
        action_labels=snapshots.ACTION_LABELS,
        action_form=ActionForm(),
    )


@bp.post("/inhoud/<int:instrument_id>/versies/<int:version_id>/terugzetten")
@allow("editor")
def content_restore(instrument_id: int, version_id: int):
    try:
        instrument, result = _post_action(instrument_id, publishing.restore, version_id)
    except ContentRefused as refused:
        flash(str(refused.problems[0][1]), "error")
        return redirect(url_for("backoffice.content_versions", instrument_id=instrument_id), code=303)
    number = _version_or_404(instrument, version_id).number
    if result.version is None:
        flash(_("Versie %(number)s is gelijk aan de huidige tekst; er is niets veranderd.", number=number), "info")
    elif instrument.is_published:
        message = _(
            "Versie %(number)s is teruggezet als concept (nieuwe versie %(new)s). Publiceer om deze tekst op "
            "de website te zetten.",
            number=number,
            new=result.version.number,
        )
        flash(message, "ok")
    else:
        flash(
            _("Versie %(number)s is teruggezet (nieuwe versie %(new)s).", number=number, new=result.version.number),
            "ok",
        )
    return _back_to(instrument)


# --- the region pack: download and upload (coordinators) -----------------------------------------------------


@bp.get("/inhoud/regiopakket.zip")
@allow()
def content_export():
    region = catalogue.current_region()
    archive = pack_export.export_zip(pack_export.export_region(db.session, region))
    response = current_app.response_class(archive, mimetype="application/zip")
    filename = f"regiopakket-{region.slug}-{local_today().isoformat()}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/inhoud/importeren", methods=["GET", "POST"])
@larger_body("MAX_PACK_UPLOAD_BYTES")  # a larger upload is answered 413 (errors.py)
@allow()
def content_import():
    """Upload a region pack (ZIP): "Controleren" shows what would change, "Importeren" changes it."""
    form = ImportForm()
    result = None
    error = None
    apply_changes = request.form.get("actie") == "importeren"
    if form.validate_on_submit():
        try:
            files = pack_export.read_zip(form.pack.data.read())
            with transaction(dry_run=not apply_changes):
                result = pack_export.import_region(
                    db.session, files, dry_run=not apply_changes, user=signed_in_user(), now=utcnow()
                )
        except PackError as exc:
            error = str(exc)
        else:
            if result.applied:
                flash(
                    _(
                        "Het regiopakket is geïmporteerd: %(created)s nieuw, %(updated)s gewijzigd.",
                        created=len(result.report.created),
                        updated=len(result.report.updated),
                    ),
                    "ok",
                )
                return redirect(url_for("backoffice.content_list"), code=303)
    errors = [("pack", str(message)) for message in form.pack.errors]
    if error:
        errors.append(("pack", _("Het pakket is niet ingelezen; er is niets veranderd. %(error)s", error=error)))
    page = render_template(
        "backoffice/content/import.html", region=catalogue.current_region(), form=form, errors=errors, result=result
    )
    return page, 400 if errors else 200
