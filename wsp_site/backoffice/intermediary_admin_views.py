"""Coordinator screens for intermediary organisations: list, create, edit, deactivate and reactivate. Their people
are invited on the people screens (role `intermediary`, with the organisation), like every other colleague."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.admin_views import _back_to
from wsp_site.backoffice.intermediary_forms import ActiveForm, IntermediaryForm
from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.intermediaries import organisations
from wsp_site.services.people.audit import ChangedMeanwhile, saving
from wsp_site.vocabulary import INTERMEDIARY_KIND_LABELS


def _organisation_or_404(intermediary_id: int):
    organisation = organisations.find(db.session, catalogue.current_region(), intermediary_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.get("/bemiddelaars")
@allow()
def intermediaries():
    region = catalogue.current_region()
    return render_template(
        "backoffice/intermediaries/list.html",
        region=region,
        organisations=organisations.all_of(db.session, region),
        kind_labels=INTERMEDIARY_KIND_LABELS,
        today=local_today(),
    )


def _form_page(form, organisation, status: int):
    return render_template(
        "backoffice/intermediaries/form.html",
        region=catalogue.current_region(),
        form=form,
        organisation=organisation,
        people=organisations.people(db.session, organisation) if organisation else [],
        errors=form.ordered_errors(),
        today=local_today(),
    ), status


@bp.route("/bemiddelaars/nieuw", methods=["GET", "POST"])
@allow()
def intermediary_new():
    form = IntermediaryForm()
    if form.validate_on_submit():
        organisation = organisations.create(
            db.session, catalogue.current_region(), signed_in_user(), form.values(), utcnow()
        )
        db.session.commit()
        flash(_("%(name)s is toegevoegd. Nodig nu de medewerkers uit bij Gebruikers.", name=organisation.name), "ok")
        return _back_to("backoffice.intermediaries")
    return _form_page(form, None, 400 if form.is_submitted() else 200)


@bp.route("/bemiddelaars/<int:intermediary_id>", methods=["GET", "POST"])
@allow()
def intermediary_edit(intermediary_id: int):
    organisation = _organisation_or_404(intermediary_id)
    form = IntermediaryForm()
    if not form.is_submitted():
        form.load(organisation)
    elif form.validate_on_submit():
        try:
            with saving(db.session, organisation):
                changed = organisations.update(
                    db.session, organisation, signed_in_user(), form.values(), utcnow(), form.seen_version()
                )
        except ChangedMeanwhile as conflict:
            form.load(organisation)
            form.add_problems(conflict.problems)
        else:
            if changed:
                flash(_("De gegevens van %(name)s zijn opgeslagen.", name=organisation.name), "ok")
            else:
                flash(_("Er is niets veranderd."), "info")
            return _back_to("backoffice.intermediaries")
    return _form_page(form, organisation, 400 if form.is_submitted() else 200)


@bp.post("/bemiddelaars/<int:intermediary_id>/actief")
@allow()
def intermediary_active(intermediary_id: int):
    organisation = _organisation_or_404(intermediary_id)
    form = ActiveForm()
    if form.validate_on_submit() and form.active.data in ("0", "1"):
        active = form.active.data == "1"
        if organisations.set_active(db.session, organisation, signed_in_user(), active, utcnow()):
            db.session.commit()
            if active:
                flash(_("%(name)s kan het portaal weer gebruiken.", name=organisation.name), "ok")
            else:
                flash(
                    _(
                        "%(name)s is gedeactiveerd: de medewerkers kunnen het portaal niet meer gebruiken.",
                        name=organisation.name,
                    ),
                    "ok",
                )
        else:
            flash(_("Er is niets veranderd."), "info")
    else:
        flash(_("Er is niets veranderd. Probeer het opnieuw."), "error")
    return _back_to("backoffice.intermediary_edit", intermediary_id=organisation.id)
