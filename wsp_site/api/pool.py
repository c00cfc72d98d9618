"""The candidate pool in the API: GET /kandidaten (filtered, paged) and GET /kandidaten/{code}.

Public fields only, from services.pool.public (the same as the pages); never the name, contact, situation or
consultant, and the municipality only above the threshold. Paged (`pagina`, `paginaGrootte` up to 50, HAL links
`next`/`prev`): there is no other bulk export. Answers carry `Cache-Control: no-cache` (revalidate with the
ETag), so a withdrawn consent is gone from every client at its next request. Rate-limited like the pages.
"""

from __future__ import annotations

from flask import abort, current_app, request

from wsp_site.api import bp, http
from wsp_site.api.params import parse_candidate_query, parse_language
from wsp_site.api.representation import api_url, link, page_url, paged_body
from wsp_site.extensions import limiter
from wsp_site.services import catalogue
from wsp_site.services.pool import codes, occupations
from wsp_site.services.pool import public as pool


def _rate_limit() -> str:
    return current_app.config["POOL_RATE_LIMIT"]


def candidate_resource(profile: pool.PublicProfile, lang: str) -> dict:
    muni = profile.municipality
    point = profile.service_point
    return {
        "code": profile.code,
        "beroepen": [{"isco": o.isco, "titel": o.title(lang)} for o in profile.occupations],
        "werkvormen": profile.work_forms,
        "urenPerWeekMinimaal": profile.hours_min,
        "urenPerWeekMaximaal": profile.hours_max,
        "beschikbaarVanaf": profile.available_from.isoformat(),
        "servicepunt": {"slug": point.slug, "naam": point.name},
        "gemeente": {"slug": muni.slug, "naam": muni.name} if muni is not None else None,
        "reisafstandKm": profile.travel_km,
        "opleidingsniveau": profile.education_level,
        "rijbewijsB": profile.driving_licence,
        "nederlands": profile.dutch_level,
        "overMij": profile.about,
        "ondersteuning": profile.support,
        "regelingen": [{"slug": i.slug, "titel": i.title, "aanbieder": i.provider} for i in profile.instruments],
        "taal": lang,
        "url": page_url("public.candidate", lang, code=profile.code),
        "_links": {"self": link(api_url("api.candidate", lang, code=profile.code))},
    }


def _fresh(response):
    response.cache_control.public = True
    response.cache_control.max_age = None
    response.cache_control.no_cache = True
    return response


def area_slugs(region) -> list[str]:
    """Every service point and municipality: a municipality below the threshold gives an empty list, so the API
    accepts it (a refusal would tell which municipalities have few candidates)."""
    published = catalogue.published(region)
    return [p.slug for p in published.service_points if not p.is_uwv] + [m.slug for m in published.municipalities]


@bp.get("/kandidaten", endpoint="candidates")
@limiter.limit(_rate_limit)
def candidates():
    region = catalogue.current_region()
    query, lang = parse_candidate_query(
        request.args,
        request.accept_languages,
        occupations=set(occupations.all_occupations()),
        groups=set(occupations.groups()),
        areas=set(area_slugs(region)),
        instruments=catalogue.published_slugs(region),
    )
    filters = pool.PoolFilter(
        occupation=query.beroep,
        occupation_group=query.beroepsgroep,
        work_form=query.werkvorm,
        hours=query.uren,
        area=query.gebied,
        available_by=query.beschikbaar,
        instrument=query.regeling,
        education_level=query.opleiding,
    )
    size = query.paginaGrootte or pool.PAGE_SIZE
    result = pool.browse(region, filters, page=query.pagina or 1, page_size=size, lang=lang)
    args = {**filters.as_args(), "paginaGrootte": size if query.paginaGrootte else None}
    items = [candidate_resource(p, lang) for p in result.profiles]
    return _fresh(http.json_response(paged_body("api.candidates", lang, args, result, "kandidaten", items), lang))


@bp.get("/kandidaten/<code>", endpoint="candidate")
@limiter.limit(_rate_limit)
def candidate(code: str):
    lang = parse_language(request.args, request.accept_languages)
    wanted = codes.normalise(code)
    profile = pool.profile(catalogue.current_region(), wanted, lang) if codes.is_code(wanted) else None
    if profile is None:
        abort(404, description=f"Er is geen gepubliceerd profiel met code {code!r}.")
    return _fresh(http.json_response(candidate_resource(profile, lang), lang))
