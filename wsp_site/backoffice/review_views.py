"""The review of an instrument's content: the editor confirms each source was checked (services.content.review).

GET shows the sources, one checkbox each; POST records the review only when every box is ticked, and answers
with a redirect to the editor (POST-redirect-GET). Outside the editor's scope: 404, as in content_views.
"""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.content_forms import ActionForm
from wsp_site.backoffice.content_views import _back_to, _instrument_or_404
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.content import review
from wsp_site.services.content.errors import ContentRefused, NotAllowed


@bp.route("/inhoud/<int:instrument_id>/controleren", methods=["GET", "POST"])
@allow("editor")
def content_review(instrument_id: int):
    instrument = _instrument_or_404(instrument_id, for_update=request.method == "POST")
    try:
        sources = review.review_sources(db.session, signed_in_user(), instrument)
    except NotAllowed:
        abort(404)
    form = ActionForm()
    errors: list[tuple[str, str]] = []
    confirmed: set[int] = set()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        confirmed = {i for i in range(len(sources)) if request.form.get(review.source_field(i)) == "1"}
        try:
            with transaction():
                review.review(db.session, signed_in_user(), instrument, confirmed, utcnow())
        except NotAllowed:
            abort(404)
        except ContentRefused as refused:
            first = review.source_field(0)
            errors = [(name or first, str(message)) for name, message in refused.problems]
        else:
            flash(_("Gecontroleerd: de datum van de laatste controle is nu vandaag."), "ok")
            return _back_to(instrument)
    page = render_template(
        "backoffice/content/review.html",
        region=catalogue.current_region(),
        instrument=instrument,
        sources=sources,
        confirmed=confirmed,
        errors=errors,
        problems=dict(errors),
        action_form=form,
        today=local_today(),
        field_name=review.source_field,
    )
    return page, 400 if errors else 200
