"""The public vacancies: /vacatures (list, filters, pages) and /vacatures/<reference> with its schema.org JobPosting.

Only what services.vacancies.public lets through. Rendered on every request, never from the page cache, and sent
with `Cache-Control: no-cache`: a vacancy that is filled, withdrawn, closed or past its closing date is gone at
the next request, in every browser and proxy too. Rate-limited like the pool's pages.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _

from wsp_site.extensions import limiter
from wsp_site.i18n import current_lang
from wsp_site.public import bp
from wsp_site.services import catalogue
from wsp_site.services.pool import occupations
from wsp_site.services.vacancies import public as vacancies
from wsp_site.vocabulary import (
    CONTRACT_LENGTH_LABELS,
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    WORK_FORM_LABELS,
    WORK_FORMS,
)

FILTER_NAMES = ("beroepsgroep", "gemeente", "werkvorm")


def _rate_limit() -> str:
    return current_app.config["POOL_RATE_LIMIT"]


def _fresh(body: str):
    response = make_response(body)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _one(name: str, allowed) -> str | None:
    value = request.args.get(name, "").strip()
    return value if value in allowed else None


def _page() -> int:
    value = request.args.get("pagina", "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 100000 else 1


def description(item: vacancies.PublicVacancy, lang: str) -> str:
    """The JobPosting's description in words: what the page says, in plain text."""
    forms = ", ".join(str(WORK_FORM_LABELS[f]) for f in item.work_forms if f in WORK_FORM_LABELS)
    parts = [
        _("%(employer)s zoekt: %(title)s.", employer=item.employer, title=item.title),
        _("%(min)d tot %(max)d uur per week.", min=item.hours_min, max=item.hours_max),
    ]
    if forms:
        parts.append(_("Werkvormen: %(list)s.", list=forms))
    for text in (item.wishes, item.carving_tasks, item.support_notes):
        if text:
            parts.append(text)
    return " ".join(parts)


@bp.get("/vacatures", endpoint="vacancies")
@limiter.limit(_rate_limit)
def vacancy_list():
    region = catalogue.current_region()
    lang = current_lang()
    municipality_options = vacancies.municipality_options(region)
    filters = vacancies.VacancyFilter(
        occupation_group=_one("beroepsgroep", occupations.groups()),
        municipality=_one("gemeente", {slug for slug, _name in municipality_options}),
        work_form=_one("werkvorm", WORK_FORMS),
    )
    result = vacancies.browse(region, filters, page=_page())
    args = filters.as_args()
    return _fresh(
        render_template(
            "public/vacancies.html",
            region=region,
            result=result,
            filters={name: args.get(name) for name in FILTER_NAMES},
            filtered=bool(args),
            base_url=url_for("public.vacancies", **args),
            group_options=occupations.group_options(lang),
            municipality_options=municipality_options,
            work_form_labels=WORK_FORM_LABELS,
            lang=lang,
        )
    )


@bp.get("/vacatures/<reference>", endpoint="vacancy")
@limiter.limit(_rate_limit)
def vacancy_detail(reference: str):
    region = catalogue.current_region()
    lang = current_lang()
    item = vacancies.vacancy(region, reference)
    if item is None:
        abort(404)
    url = current_app.config["SITE_URL"].rstrip("/") + url_for("public.vacancy", reference=item.reference)
    posting = vacancies.job_posting(item, description(item, lang), url, lang)
    return _fresh(
        render_template(
            "public/vacancy_public.html",
            region=region,
            item=item,
            posting=posting,
            work_form_labels=WORK_FORM_LABELS,
            education_labels=EDUCATION_LEVEL_LABELS,
            dutch_labels=DUTCH_LEVEL_LABELS,
            contract_length_labels=CONTRACT_LENGTH_LABELS,
            lang=lang,
        )
    )
