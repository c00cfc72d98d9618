"""The embeddable list of one municipality (/embed/gemeenten/<slug>).

Every link in the frame opens the full page on the WSP site in the top window (not inside the frame,
where the site's own pages refuse to load) and carries ``bron=embed-<slug>``, so a lead that starts
here is counted for that municipality's website.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from markupsafe import escape

from wsp_site.embed import bp
from wsp_site.i18n import current_lang
from wsp_site.models import Municipality
from wsp_site.page_cache import cached_page
from wsp_site.services import catalogue


def embed_source(municipality_slug: str) -> str:
    """The `bron` value of links from the embedded list of one municipality."""
    return f"embed-{municipality_slug}"


@bp.app_template_global("embed_snippet")
def embed_snippet(muni: Municipality) -> str:
    """The HTML a municipality pastes into its page (a plain string: templates show it escaped, as code).

    The iframe has a title (its accessible name, WCAG 4.1.2), takes the full width and loads lazily.
    The address follows the language of the current page (/en/embed/... on the English site).
    """
    src = current_app.config["SITE_URL"] + url_for("embed.municipality", slug=muni.slug)
    title = _("Regelingen voor inwoners van %(name)s", name=muni.name)
    return f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="600" loading="lazy"></iframe>'


@bp.get("/gemeenten/<slug>", endpoint="municipality")
@cached_page  # municipal pages load the frame on every view; it is the same for everyone
def embed_municipality(slug: str):
    region = catalogue.current_region()
    muni = catalogue.municipality(region, slug)
    if muni is None:
        # A compact, framable 404 (the site's own 404 page has the full layout and may not be framed).
        return render_template("embed/not_found.html", region=region, bron="embed"), 404
    offer = catalogue.offer_for(region, muni, current_lang())
    return render_template(
        "embed/municipality.html",
        region=region,
        muni=muni,
        offer=offer,
        bron=embed_source(muni.slug),
    )
