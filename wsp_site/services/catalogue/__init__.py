"""Reading the region's published content: instruments, municipalities, service points.

What the public sees of an instrument is decided here, once: published, and valid today (the date in the
Netherlands, clock.local_today) between its `valid_from` and `valid_until` (both inclusive). The pages, the
finder, search, the API and the embed all read `published_instruments` / `published_instrument`, so the day
after `valid_until` an instrument is gone from all of them (the page cache's key has the date too).

They read it from `published(region)`: the catalogue held in memory per content version and day
(catalogue/snapshot.py), read from the database once after each publication instead of on every request. What
they get are frozen copies (PublishedInstrument, PublishedMunicipality, ...) with the rows' own rules; a caller
that changes content works on the rows themselves (services.content).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import Instrument, Municipality, Organisation, Region
from wsp_site.services.catalogue.filters import InstrumentFilter
from wsp_site.services.catalogue.snapshot import KIND_ORDER, Catalogue, catalogue_for, sort_key  # noqa: F401


class RegionNotLoaded(RuntimeError):
    """The configured region pack has not been loaded into the database."""


def get_region(slug: str) -> Region | None:
    return db.session.scalar(select(Region).filter_by(slug=slug))


# The region row of each app (its database) and slug, as a detached copy read at most once per REGION_ROW_TTL
# seconds: every request needs it (its content version is the key of everything kept per version), and reading
# it was a quarter of an uncached page. A change made in this process forgets it when it commits (below); one
# made by another process is seen within the TTL, as the page cache sees a new content version.
_region_rows: dict[tuple[int, str], tuple[float, Region]] = {}
_region_rows_lock = threading.Lock()
REGION_CHANGED_KEY = "wsp_region_row_changed"
VERSION_ENVIRON_KEY = "wsp.content_version"  # the content version the page cache keeps this request's page under


def forget_region_rows() -> None:
    with _region_rows_lock:
        _region_rows.clear()


def _detached_copy(region: Region) -> Region:
    copy = Region(**{attr.key: getattr(region, attr.key) for attr in inspect(Region).column_attrs})
    make_transient_to_detached(copy)
    return copy


def current_region() -> Region:
    """The region this deployment serves (WSP_REGION), cached for the request; the row itself is kept for
    REGION_ROW_TTL seconds (see _region_rows) and joins the request's session without a query."""
    if "region" not in g:
        slug = current_app.config["WSP_REGION"]
        ttl = current_app.config.get("REGION_ROW_TTL", 0)
        key = (id(db.engine), slug)
        kept = _region_rows.get(key) if ttl > 0 else None
        now = time.monotonic()
        # The page cache's middleware saw this content version (it keeps the page under it): a kept row that is
        # older will not do.
        seen = request.environ.get(VERSION_ENVIRON_KEY) if has_request_context() else None
        if kept is not None and now - kept[0] < ttl and (seen is None or kept[1].content_version >= seen):
            g.region = db.session.merge(kept[1], load=False)
            return g.region
        region = get_region(slug)
        if region is None:
            raise RegionNotLoaded(f"Region {slug!r} is not loaded; run `flask wsp setup`.")
        if ttl > 0 and not db.session.info.get(REGION_CHANGED_KEY):
            with _region_rows_lock:
                _region_rows[key] = (now, _detached_copy(region))
        g.region = region
    return g.region


@event.listens_for(Session, "after_commit")
def _forget_changed_region(session: Session) -> None:
    """A commit that changed a region or its public content (page_cache marks it at the flush): the kept rows
    go, so the next request in this process reads the new content version."""
    if session.info.pop(REGION_CHANGED_KEY, False):
        forget_region_rows()


@event.listens_for(Session, "after_rollback")
def _keep_rows_after_rollback(session: Session) -> None:
    session.info.pop(REGION_CHANGED_KEY, None)


def current_filter(today: dt.date | None = None):
    """The SQL condition of being valid on `today` (default: today in the Netherlands); the same rule as
    Instrument.is_valid_on."""
    today = today or local_today()
    return (
        or_(Instrument.valid_from.is_(None), Instrument.valid_from <= today),
        or_(Instrument.valid_until.is_(None), Instrument.valid_until >= today),
    )


def _published_query(region: Region, today: dt.date):
    """What the public sees: the region's published instruments, valid on `today`."""
    return select(Instrument).filter_by(region_id=region.id, status="published").where(*current_filter(today))


def published(region: Region) -> Catalogue:
    """The region's published catalogue today, from memory when its content version has not changed."""
    today = local_today()
    return catalogue_for(db.session, region, today, lambda: _published_query(region, today))


def published_instruments(region: Region, lang: str = "nl") -> list[Instrument]:
    """By tier, then title in `lang` (frozen copies, see the module's docstring)."""
    return list(published(region).sorted_instruments(lang))


def published_instrument(region: Region, slug: str) -> Instrument | None:
    return published(region).instrument(slug)


def ended_instrument(region: Region, slug: str) -> Instrument | None:
    """A published instrument whose `valid_until` has passed (its page answers 410 Gone), or None."""
    found = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=slug, status="published"))
    return found if found is not None and found.has_ended(local_today()) else None


def published_slugs(region: Region) -> frozenset[str]:
    """The slugs of the instruments the public sees today (search drops hits on any other)."""
    return published(region).slugs


def municipalities(region: Region) -> list[Municipality]:
    """By name, with their service point and providers (frozen copies)."""
    return list(published(region).municipalities)


def municipality(region: Region, slug: str) -> Municipality | None:
    return published(region).municipality(slug)


@dataclass
class MunicipalityOffer:
    """Everything that applies when an employer hires a resident of one municipality."""

    municipality: Municipality
    basispakket: list[Instrument]
    uwv: list[Instrument]
    lokaal: list[Instrument]


def offer_for(region: Region, muni: Municipality, lang: str = "nl") -> MunicipalityOffer:
    def build() -> MunicipalityOffer:
        instruments = published_instruments(region, lang)
        return MunicipalityOffer(
            municipality=muni,
            basispakket=[i for i in instruments if i.kind == "basispakket"],
            uwv=[i for i in instruments if i.kind == "uwv"],
            lokaal=InstrumentFilter(municipality=muni, kind="lokaal").apply(instruments),
        )

    catalogue = published(region)
    if catalogue.municipality(muni.slug) is not muni:  # not this catalogue's own copy: nothing to keep
        return build()
    return catalogue.memo(("offer", muni.id, lang), build)


def related_instruments(region: Region, instrument: Instrument, lang: str = "nl", limit: int = 4) -> list[Instrument]:
    """Other instruments that serve the same employer goals, the closest first; only those that can be used
    wherever this one can (Instrument.applies_wherever: no other municipality's own scheme). Kept with the
    catalogue for its own instruments; worked out each time for another (a draft in the back office)."""
    catalogue = published(region)
    if catalogue.owns(instrument):
        return list(
            catalogue.memo(("related", instrument.id, lang, limit), lambda: _related(region, instrument, lang, limit))
        )
    return _related(region, instrument, lang, limit)


def _related(region: Region, instrument: Instrument, lang: str, limit: int) -> list[Instrument]:
    goals = set(instrument.employer_goals or [])
    scored = []
    for other in published_instruments(region, lang):
        if other.id == instrument.id or not other.applies_wherever(instrument):
            continue
        shared = len(goals & set(other.employer_goals or []))
        if shared:
            scored.append((-shared, sort_key(other, lang), other))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in scored[:limit]]


def basic_package_providers(region: Region) -> list[tuple[Organisation, list[Municipality]]]:
    """Who provides the basic package where: each providing organisation with its municipalities (a
    municipality's own provider, or else its service point's organisation), by the organisation's name."""

    def build() -> list[tuple[Organisation, list[Municipality]]]:
        by_provider: dict[int, tuple[Organisation, list[Municipality]]] = {}
        for muni in catalogue.municipalities:
            org = muni.basic_package_provider
            by_provider.setdefault(org.id, (org, []))[1].append(muni)
        return sorted(by_provider.values(), key=lambda row: row[0].name)

    catalogue = published(region)
    return list(catalogue.memo("basic_package_providers", build))
