"""Public pages for employers: the catalogue, municipalities, the finder, search and site pages."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, make_response, render_template, request, url_for

from wsp_site.extensions import db
from wsp_site.i18n import current_lang
from wsp_site.page_cache import cached_page
from wsp_site.presentation import glossary
from wsp_site.public import bp
from wsp_site.services import catalogue
from wsp_site.services.catalogue import finder, search
from wsp_site.services.catalogue.filters import InstrumentFilter
from wsp_site.vocabulary import (
    EMPLOYER_GOALS,
    FINDER_SITUATIONS,
    GOAL_LABELS,
    INSTRUMENT_KINDS,
    KIND_LABELS,
    SITUATION_LABELS,
    TARGET_GROUP_LABELS,
    TARGET_GROUPS,
    TIER_LABELS,
)


def _region():
    return catalogue.current_region()


@bp.get("/")
@cached_page
def home():
    region = _region()
    lang = current_lang()
    instruments = catalogue.published_instruments(region, lang)
    return render_template(
        "public/home.html",
        region=region,
        basispakket=[i for i in instruments if i.kind == "basispakket"],
        response_days=region.promised_working_days,
    )


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name, "").strip()
    return value if value in allowed else None


@bp.get("/instrumenten")
@cached_page
def instruments():
    region = _region()
    lang = current_lang()
    municipalities = catalogue.municipalities(region)
    muni_by_slug = {m.slug: m for m in municipalities}
    muni_slug = _choice("gemeente", muni_by_slug)
    selected = InstrumentFilter(
        municipality=muni_by_slug.get(muni_slug) if muni_slug else None,
        kind=_choice("soort", INSTRUMENT_KINDS),
        target_group=_choice("doelgroep", TARGET_GROUPS),
        goal=_choice("doel", EMPLOYER_GOALS),
    )
    filters = {name: selected.as_args().get(name) for name in ("soort", "gemeente", "doelgroep", "doel")}
    items = selected.apply(catalogue.published_instruments(region, lang))
    tiers = [(kind, [i for i in items if i.kind == kind]) for kind in INSTRUMENT_KINDS]
    return render_template(
        "public/instruments.html",
        region=region,
        tiers=tiers,
        filters=filters,
        municipality_options=[(m.slug, m.name) for m in municipalities],
        count=len(items),
        filtered=any(filters.values()),
        kind_labels=KIND_LABELS,
        target_group_labels=TARGET_GROUP_LABELS,
        goal_labels=GOAL_LABELS,
    )


@bp.get("/instrumenten/<slug>")
@cached_page
def instrument(slug: str):
    region = _region()
    lang = current_lang()
    item = catalogue.published_instrument(region, slug)
    if item is None:
        ended = catalogue.ended_instrument(region, slug)
        if ended is not None:
            abort(410)  # errors/error.html: this regeling is no longer available
        abort(404)
    related = catalogue.related_instruments(region, item, lang)
    return render_template(
        "public/instrument.html",
        region=region,
        instrument=item,
        related=related,
        kind_labels=KIND_LABELS,
        target_group_labels=TARGET_GROUP_LABELS,
        provider_rows=catalogue.basic_package_providers(region) if item.kind == "basispakket" else [],
    )


@bp.get("/gemeenten")
@cached_page
def municipalities():
    region = _region()
    return render_template("public/municipalities.html", region=region, municipalities=catalogue.municipalities(region))


@bp.get("/gemeenten/<slug>")
@cached_page
def municipality(slug: str):
    region = _region()
    muni = catalogue.municipality(region, slug)
    if muni is None:
        abort(404)
    offer = catalogue.offer_for(region, muni, current_lang())
    return render_template("public/municipality.html", region=region, offer=offer, muni=muni, kind_labels=KIND_LABELS)


@bp.get("/wegwijzer", endpoint="finder")
@cached_page
def finder_page():
    region = _region()
    lang = current_lang()
    municipalities = catalogue.municipalities(region)
    muni_by_slug = {m.slug: m for m in municipalities}
    situation = _choice("situatie", FINDER_SITUATIONS)
    muni_slug = _choice("gemeente", muni_by_slug)
    goals = tuple(g for g in request.args.getlist("doel") if g in EMPLOYER_GOALS)
    result = None
    if situation:
        query = finder.FinderQuery(situation=situation, municipality=muni_by_slug.get(muni_slug), goals=goals)
        result = finder.find_instruments(catalogue.published_instruments(region, lang), query, lang)
    return render_template(
        "public/finder.html",
        region=region,
        municipality_options=[(m.slug, m.name) for m in municipalities],
        situation=situation,
        muni_slug=muni_slug,
        goals=goals,
        result=result,
        goal_labels=GOAL_LABELS,
        situation_labels=SITUATION_LABELS,
        tier_labels=TIER_LABELS,
    )


@bp.get("/zoeken", endpoint="search")
@cached_page
def search_page():
    region = _region()
    query = request.args.get("q", "").strip()[:200]
    results = search.find(db.session, region, query, current_lang()) if query else search.Results(hits=[])
    return render_template(
        "public/search.html", region=region, query=query, results=results, hits=results.hits, kind_labels=KIND_LABELS
    )


@bp.get("/voor-gemeenten")
@cached_page
def for_municipalities():
    region = _region()
    return render_template(
        "public/for_municipalities.html",
        region=region,
        municipalities=catalogue.municipalities(region),
        site_url=current_app.config["SITE_URL"],
        situation_codes=[code for code in FINDER_SITUATIONS if code != "onbekend"],
    )


@bp.get("/begrippen", endpoint="glossary")
@cached_page
def glossary_page():
    return render_template("public/glossary.html", region=_region(), terms=glossary.TERMS)


@bp.get("/toegankelijkheid")
@cached_page
def accessibility():
    return render_template("public/accessibility.html", region=_region())


@bp.get("/privacy")
@cached_page
def privacy():
    return render_template("public/privacy.html", region=_region())


@bp.get("/sitemap.xml")
@cached_page
def sitemap():
    region = _region()
    site = current_app.config["SITE_URL"]
    paths = [
        "/",
        "/instrumenten",
        "/gemeenten",
        "/wegwijzer",
        "/kandidaten",
        "/vacatures",
        "/vacature-melden",
        "/vraag-en-aanbod",
        "/algoritme",
        "/contact",
        "/voor-gemeenten",
        "/begrippen",
        "/toegankelijkheid",
        "/privacy",
    ]
    paths += [f"/instrumenten/{i.slug}" for i in catalogue.published_instruments(region)]
    paths += [f"/gemeenten/{m.slug}" for m in catalogue.municipalities(region)]
    body = render_template("public/sitemap.xml", site=site, paths=paths)
    response = make_response(body)
    response.mimetype = "application/xml"
    return response


@bp.get("/robots.txt")
def robots():
    site = current_app.config["SITE_URL"]
    body = f"User-agent: *\nDisallow: /beheer/\nDisallow: /aanvraag/\nSitemap: {site}/sitemap.xml\n"
    return current_app.response_class(body, mimetype="text/plain")


@bp.get("/.well-known/security.txt")
def security_txt():
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    site = current_app.config["SITE_URL"]
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {site}/.well-known/security.txt\n"
        f"Policy: {site}{url_for('public.accessibility')}\n"
    )
    return current_app.response_class(body, mimetype="text/plain")
