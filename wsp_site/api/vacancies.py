"""The public vacancies in the API: GET /vacatures (filtered, paged) and GET /vacatures/{kenmerk}.

The same vacancies and fields as the pages (services.vacancies.public): only those the employer allowed to show
and that are still looking for someone; never the contact person. Paged like /kandidaten (`pagina`,
`paginaGrootte` up to 50, HAL links `next`/`prev`), answered with `Cache-Control: no-cache`, so a closed vacancy
is gone from every client at its next request.
"""

from __future__ import annotations

from flask import abort, current_app, request

from wsp_site.api import bp, http
from wsp_site.api.params import parse_language, parse_vacancy_query
from wsp_site.api.representation import api_url, link, page_url, paged_body
from wsp_site.extensions import limiter
from wsp_site.services import catalogue
from wsp_site.services.pool import occupations
from wsp_site.services.vacancies import public as vacancies


def _rate_limit() -> str:
    return current_app.config["POOL_RATE_LIMIT"]


def _fresh(response):
    response.cache_control.public = True
    response.cache_control.max_age = None
    response.cache_control.no_cache = True
    return response


def vacancy_resource(item: vacancies.PublicVacancy, lang: str) -> dict:
    muni = item.municipality
    occupation = item.occupation
    return {
        "kenmerk": item.reference,
        "titel": item.title,
        "beroep": {"isco": occupation.isco, "titel": occupation.title(lang)} if occupation else None,
        "werkgever": item.employer,
        "aantalPlaatsen": item.places,
        "werkvormen": item.work_forms,
        "urenPerWeekMinimaal": item.hours_min,
        "urenPerWeekMaximaal": item.hours_max,
        "werkplek": {"slug": muni.slug, "naam": muni.name} if muni is not None else None,
        "startdatum": item.start_on.isoformat() if item.start_on else None,
        "contractduur": item.contract_length,
        "opleidingMinimaal": item.education_min,
        "rijbewijsBNodig": item.licence_required,
        "nederlandsMinimaal": item.dutch_min,
        "wensen": item.wishes,
        "losseTaken": item.carving_tasks,
        "begeleider": item.support_coach,
        "aanpassingenMogelijk": item.support_adaptations,
        "begeleiding": item.support_notes,
        "geplaatstOp": item.posted_on.isoformat(),
        "sluitingsdatum": item.closes_on.isoformat(),
        "taal": lang,
        "url": page_url("public.vacancy", lang, reference=item.reference),
        "_links": {"self": link(api_url("api.vacancy", lang, kenmerk=item.reference))},
    }


@bp.get("/vacatures", endpoint="vacancies")
@limiter.limit(_rate_limit)
def vacancy_list():
    region = catalogue.current_region()
    query, lang = parse_vacancy_query(
        request.args,
        request.accept_languages,
        groups=set(occupations.groups()),
        municipalities={m.slug for m in region.municipalities},
    )
    filters = vacancies.VacancyFilter(
        occupation_group=query.beroepsgroep, municipality=query.gemeente, work_form=query.werkvorm
    )
    size = query.paginaGrootte or vacancies.PAGE_SIZE
    result = vacancies.browse(region, filters, page=query.pagina or 1, page_size=size)
    args = {**filters.as_args(), "paginaGrootte": size if query.paginaGrootte else None}
    items = [vacancy_resource(v, lang) for v in result.vacancies]
    return _fresh(http.json_response(paged_body("api.vacancies", lang, args, result, "vacatures", items), lang))


@bp.get("/vacatures/<kenmerk>", endpoint="vacancy")
@limiter.limit(_rate_limit)
def vacancy_detail(kenmerk: str):
    lang = parse_language(request.args, request.accept_languages)
    item = vacancies.vacancy(catalogue.current_region(), kenmerk)
    if item is None:
        abort(404, description=f"Er is geen openbare vacature met kenmerk {kenmerk!r}.")
    return _fresh(http.json_response(vacancy_resource(item, lang), lang))
