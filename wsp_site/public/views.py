"""Public pages for employers: the catalogue, municipalities, the finder, search and site pages."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wsp_site.extensions import db, limiter
from wsp_site.i18n import current_lang
from wsp_site.models import EMPLOYER_GOALS, INSTRUMENT_KINDS, REQUEST_TYPES, TARGET_GROUPS, Lead
from wsp_site.models.lead import EMPLOYER_OUTCOMES
from wsp_site.page_cache import cached_page
from wsp_site.public.forms import OUTSIDE_REGION, ContactForm, new_submission_key
from wsp_site.services import catalogue, finder, leads, search
from wsp_site.services.labels import (
    GOAL_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    REQUEST_TYPE_LABELS,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
    date_text,
)
from wsp_site.services.leads import Submission

bp = Blueprint("public", __name__)

FINDER_SITUATIONS = finder.SITUATIONS


def _region():
    return catalogue.current_region()


def _response_days(region) -> int:
    return region.response_working_days or current_app.config["RESPONSE_WORKING_DAYS"]


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
        response_days=_response_days(region),
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
    filters = {
        "soort": _choice("soort", INSTRUMENT_KINDS),
        "gemeente": _choice("gemeente", muni_by_slug),
        "doelgroep": _choice("doelgroep", TARGET_GROUPS),
        "doel": _choice("doel", EMPLOYER_GOALS),
    }
    items = catalogue.published_instruments(region, lang)
    muni = muni_by_slug.get(filters["gemeente"]) if filters["gemeente"] else None
    if filters["soort"]:
        items = [i for i in items if i.kind == filters["soort"]]
    if muni is not None:
        items = [i for i in items if i.applies_to(muni)]
    if filters["doelgroep"]:
        items = [i for i in items if filters["doelgroep"] in (i.target_groups or [])]
    if filters["doel"]:
        items = [i for i in items if filters["doel"] in (i.employer_goals or [])]
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
    )


@bp.get("/zoeken", endpoint="search")
@cached_page
def search_page():
    region = _region()
    query = request.args.get("q", "").strip()[:200]
    hits = search.search(db.session, region, query, current_lang()) if query else []
    return render_template("public/search.html", region=region, query=query, hits=hits, kind_labels=KIND_LABELS)


@bp.get("/voor-gemeenten")
@cached_page
def for_municipalities():
    region = _region()
    return render_template(
        "public/for_municipalities.html",
        region=region,
        municipalities=catalogue.municipalities(region),
        site_url=current_app.config["SITE_URL"],
        example_instrument="jobcoaching",
    )


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
        "/contact",
        "/voor-gemeenten",
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


# --- contact form -----------------------------------------------------------------------------------


def _source_from_request() -> tuple[str | None, str | None]:
    """The source (bron) a municipal site passed, and the referrer when it is another site."""
    bron = request.values.get("bron", "").strip()[:300] or None
    referrer = (request.referrer or "")[:500] or None
    if referrer and referrer.startswith(current_app.config["SITE_URL"]):
        referrer = None  # our own pages say nothing about where the employer came from
    return bron, referrer


def _contact_form(region, lang):
    form = ContactForm()
    instruments = catalogue.published_instruments(region, lang)
    form.set_choices(catalogue.municipalities(region), instruments, lang, SECTOR_LABELS, _("Buiten de regio"))
    return form


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CONTACT_RATE_LIMIT"], methods=["POST"])
def contact():
    region = _region()
    lang = current_lang()
    form = _contact_form(region, lang)
    if request.method == "GET":
        bron, referrer = _source_from_request()
        form.bron.data = bron or (referrer[:300] if referrer else None)
        form.submission_key.data = new_submission_key()
        wanted = request.args.get("instrument", "")
        if wanted in dict(form.instruments.choices):
            form.instruments.data = [wanted]
            form.request_type.data = "instrument_vraag"
        if request.args.get("type") in REQUEST_TYPES:
            form.request_type.data = request.args["type"]
        if request.args.get("gemeente") in dict(form.location.choices):
            form.location.data = request.args["gemeente"]
    elif form.validate_on_submit():
        if form.website.data:
            # A bot filled in the hidden field: answer like a success, store nothing.
            return render_template("public/contact_done.html", region=region, lead=None, response_days=0)
        submission = Submission(
            company_name=form.company_name.data,
            contact_name=form.contact_name.data,
            email=form.email.data,
            phone=form.phone.data,
            request_type=form.request_type.data,
            sector=form.sector.data,
            size_band=form.size_band.data,
            municipality_slug=None if form.location.data == OUTSIDE_REGION else form.location.data,
            message=form.message.data or "",
            kvk=form.kvk.data or None,
            instrument_slugs=list(form.instruments.data or []),
            language=lang,
            source=form.bron.data or None,
            referrer=(request.referrer or "")[:500] or None,
            submission_key=form.submission_key.data,
        )
        # A repeat of a form already sent stores nothing: the result is that first lead, confirmed again.
        result = leads.submit_lead(db.session, region, submission)
        db.session.commit()
        session["submitted_lead"] = result.lead.id
        return redirect(url_for("public.contact_done"), code=303)
    return render_template(
        "public/contact.html",
        region=region,
        form=form,
        errors=form.ordered_errors() if request.method == "POST" else [],
        response_days=_response_days(region),
        request_type_labels=REQUEST_TYPE_LABELS,
        size_band_labels=SIZE_BAND_LABELS,
    ), (400 if request.method == "POST" else 200)


@bp.get("/contact/verzonden")
def contact_done():
    region = _region()
    lead_id = session.get("submitted_lead")
    lead = db.session.get(Lead, lead_id) if lead_id else None
    if lead is None:
        return redirect(url_for("public.contact"))
    return render_template(
        "public/contact_done.html",
        region=region,
        lead=lead,
        response_days=_response_days(region),
        due_on_text=date_text(lead.due_on),
    )


@bp.get("/aanvraag/<token>")
def lead_status(token: str):
    """The employer's own view of one request: status, who handles it, when it changed. Nothing else."""
    region = _region()
    lead = db.session.scalar(select(Lead).filter_by(status_token_hash=leads.hash_token(token)))
    if lead is None or lead.anonymised_at is not None:
        abort(404)
    last_change = max((e.at for e in lead.events), default=lead.created_at)
    response = make_response(
        render_template(
            "public/lead_status.html",
            region=region,
            lead=lead,
            status_label=STATUS_LABELS[lead.status],
            # Triage outcomes (spam, duplicate) are for staff: the employer sees only that it was closed.
            outcome_label=OUTCOME_LABELS.get(lead.outcome) if lead.outcome in EMPLOYER_OUTCOMES else None,
            last_change=last_change,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


from wsp_site.public import embed  # noqa: E402,F401 - registers the embed routes on this blueprint
