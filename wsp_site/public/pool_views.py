"""The candidate pool's public pages: the list with its filters, one profile, the consent text.

Rendered on every request, never from the page cache, and sent with `Cache-Control: no-cache`: a withdrawn or
expired consent hides a profile at once, in every browser and proxy too. Rate-limited per address
(POOL_RATE_LIMIT) against harvesting; the sitemap lists the pool's list page, never the profiles.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, make_response, render_template, request, url_for

from wsp_site.clock import local_today
from wsp_site.extensions import limiter
from wsp_site.i18n import current_lang
from wsp_site.public import bp
from wsp_site.services import catalogue
from wsp_site.services.pool import codes, occupations
from wsp_site.services.pool import public as pool
from wsp_site.services.pool.consent import CONSENT_TEXT_VERSION
from wsp_site.vocabulary import (
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    EDUCATION_LEVELS,
    WORK_FORM_LABELS,
    WORK_FORMS,
)

FILTER_NAMES = ("beroep", "beroepsgroep", "werkvorm", "uren", "gebied", "beschikbaar", "regeling", "opleiding")


def _rate_limit() -> str:
    return current_app.config["POOL_RATE_LIMIT"]


def _fresh(body: str):
    response = make_response(body)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _one(name: str, allowed) -> str | None:
    value = request.args.get(name, "").strip()
    return value if value in allowed else None


def _number(name: str, low: int, high: int) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() and low <= int(value) <= high else None


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def page_filters(region, municipality_ids: set[int]) -> pool.PoolFilter:
    """The filters of the page's URL; a value that is not an option is left out (the page shows what it used)."""
    areas = {slug for slug, _name in pool.area_options(region, municipality_ids)}
    return pool.PoolFilter(
        occupation=_one("beroep", occupations.all_occupations()),
        occupation_group=_one("beroepsgroep", occupations.groups()),
        work_form=_one("werkvorm", WORK_FORMS),
        hours=_number("uren", 1, 40),
        area=_one("gebied", areas),
        available_by=_date("beschikbaar"),
        instrument=_one("regeling", catalogue.published_slugs(region)),
        education_level=_one("opleiding", EDUCATION_LEVELS),
    )


@bp.get("/kandidaten", endpoint="candidates")
@limiter.limit(_rate_limit)
def candidates():
    region = catalogue.current_region()
    lang = current_lang()
    municipality_ids = pool.public_municipality_ids(region, local_today())
    filters = page_filters(region, municipality_ids)
    page = _number("pagina", 1, 100000) or 1
    result = pool.browse(region, filters, page=page, lang=lang, municipality_ids=municipality_ids)
    args = filters.as_args()
    return _fresh(
        render_template(
            "public/candidates.html",
            region=region,
            result=result,
            filters={name: args.get(name) for name in FILTER_NAMES},
            filtered=bool(args),
            base_url=url_for("public.candidates", **args),
            occupation_options=occupations.options(lang),
            group_options=occupations.group_options(lang),
            work_form_labels=WORK_FORM_LABELS,
            education_labels=EDUCATION_LEVEL_LABELS,
            dutch_labels=DUTCH_LEVEL_LABELS,
            instrument_options=result.instrument_options,
        )
    )


@bp.get("/kandidaten/toestemming", endpoint="pool_consent")
def pool_consent():
    """The consent text a consultant shows the candidate (printable), in the version every consent records."""
    region = catalogue.current_region()
    return render_template(
        "public/pool_consent.html",
        region=region,
        version=CONSENT_TEXT_VERSION,
        months=current_app.config["POOL_CONSENT_MONTHS"],
    )


@bp.get("/kandidaten/<code>", endpoint="candidate")
@limiter.limit(_rate_limit)
def candidate(code: str):
    region = catalogue.current_region()
    lang = current_lang()
    wanted = codes.normalise(code)
    if not codes.is_code(wanted):
        abort(404)
    profile = pool.profile(region, wanted, lang)
    if profile is None:
        abort(404)
    # A signed-in intermediary gets a button to put the profile on one of its shortlists (a plain form).
    from wsp_site.backoffice.portal_views import public_page_shortlists

    shortlisting = public_page_shortlists(wanted)
    response = _fresh(
        render_template(
            "public/candidate.html",
            region=region,
            profile=profile,
            work_form_labels=WORK_FORM_LABELS,
            education_labels=EDUCATION_LEVEL_LABELS,
            dutch_labels=DUTCH_LEVEL_LABELS,
            lang=lang,
            shortlisting=shortlisting,
        )
    )
    if shortlisting is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response
