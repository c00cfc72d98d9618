"""The candidate pool's bulk import (upload a CSV, check it, import it) and a candidate's placement.

Thin views: reading and checking the file is pool_import (shared with `flask pool import`), the placement is
services.pool.profiles.place.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.forms import EmptyForm
from wsp_site.backoffice.pool_import import (
    IMPORT_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    import_profiles,
)
from wsp_site.backoffice.pool_views import _profile_or_404
from wsp_site.clock import utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.forms import Form
from wsp_site.services import catalogue
from wsp_site.services.pool import consent as consent_ledger
from wsp_site.services.pool import profiles


class PoolImportForm(Form):
    file = FileField(_l("CSV-bestand met profielen"), validators=[FileRequired(_l("Kies een CSV-bestand."))])
    consent_confirmed = BooleanField()


@bp.route("/kandidaten/importeren", methods=["GET", "POST"])
@allow("consultant")
def pool_import():
    """ "Controleren" checks every row and writes nothing; "Importeren" imports, only when every row is fine."""
    form = PoolImportForm()
    result, errors = None, []
    if request.method == "POST":
        apply_changes = request.form.get("actie") == "importeren"
        if form.validate_on_submit():
            raw = form.file.data.read(MAX_BYTES + 1)
            try:
                with transaction():
                    result = import_profiles(
                        db.session,
                        catalogue.current_region(),
                        signed_in_user(),
                        raw,
                        utcnow(),
                        dry_run=not apply_changes,
                        consent_confirmed=bool(form.consent_confirmed.data),
                    )
            except ImportFileError as exc:
                errors.append(("file", _("Het bestand is niet ingelezen; er is niets veranderd. %(error)s", error=exc)))
            else:
                if result.imported:
                    flash(
                        _(
                            "%(count)s profielen geïmporteerd, %(consent)s met toestemming. Een collega keurt ze goed; daarna staan die met toestemming op de website.",
                            count=len(result.rows),
                            consent=result.with_consent,
                        ),
                        "ok",
                    )
                    return redirect(url_for("backoffice.pool_list"), 303)
        errors += [("file", str(message)) for message in form.file.errors]
    page = render_template(
        "backoffice/pool/import.html",
        region=catalogue.current_region(),
        form=form,
        errors=errors,
        result=result,
        columns=IMPORT_COLUMNS,
        max_rows=MAX_ROWS,
        max_kb=MAX_BYTES // 1000,
        consent_version=consent_ledger.CONSENT_TEXT_VERSION,
    )
    return page, 400 if errors or (result is not None and result.problems) else 200


@bp.post("/kandidaten/<int:profile_id>/geplaatst")
@allow("consultant")
def pool_place(profile_id: int):
    """The candidate found work: the profile leaves the pool at once (and is erased after the retention period)."""
    profile = _profile_or_404(profile_id, keep=True)
    if EmptyForm().validate():
        with transaction():
            placed = profiles.place(db.session, signed_in_user(), profile, utcnow())
        flash(
            _("Geplaatst. Het profiel staat niet meer op de website.")
            if placed
            else _("Deze kandidaat was al geplaatst."),
            "ok",
        )
    return redirect(url_for("backoffice.pool_detail", profile_id=profile.id), 303)
