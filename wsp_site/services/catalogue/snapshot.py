"""The published catalogue in memory: one immutable copy per region, content version and day.

Every public page reads the same few things (the published instruments with their texts, municipalities and
provider; the municipalities with their service point and providers), and they change only when an editor
publishes. So they are read once per content version into plain frozen dataclasses and kept per worker, instead
of being queried per request. The key is the region's `content_version` (bumped by page_cache's flush listener
whenever content changes, the same number the page cache uses) and the date in the Netherlands (an instrument's
validity ends at a day change with nothing written). Each request has the region row (catalogue.current_region:
kept per worker for at most REGION_ROW_TTL seconds, forgotten when the worker itself commits a change), so a
publication through one process is seen by every other process within that time, with no shared state.

A session that has changed content and not committed yet (an editor's preview, a dry run of a region pack) sees
its own changes: it gets a fresh copy that is not kept, since its version number may still be rolled back.

The dataclasses answer the same questions as the database rows (InstrumentRules, MunicipalityRules,
OrganisationRules in wsp_site.models), so templates, the finder, the API and the embed read them alike.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Instrument, InstrumentText, Municipality, Organisation, Region, ServicePoint
from wsp_site.models.instrument import InstrumentRules
from wsp_site.models.region import MunicipalityRules, OrganisationRules
from wsp_site.vocabulary import TEXT_FIELDS

T = TypeVar("T")
MAX_SNAPSHOTS = 8  # per worker: a few regions or versions side by side (one request may still read the old one)
KIND_ORDER = {"basispakket": 0, "uwv": 1, "lokaal": 2}
TEXT_FIELDS_ALL = ("summary", *TEXT_FIELDS)
# What public content is: a change to any of these (or to the region's own details) bumps the region's content
# version (page_cache's flush listener) and so renews every copy kept per version, pages and catalogue alike.
CONTENT_MODELS = (Instrument, InstrumentText, Municipality, Organisation, ServicePoint)
CHANGED_KEY = "wsp_content_changed"


class _CopyOfRow:
    """A copy is equal to its database row and to other copies of that row (same table, same id)."""

    row_type: ClassVar[type]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (self.row_type, type(self))):
            return other.id == self.id  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.row_type.__name__, self.id))  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class PublishedOrganisation(_CopyOfRow, OrganisationRules):
    row_type = Organisation

    id: int
    slug: str
    name: str
    kind: str
    website: str | None


@dataclass(frozen=True, eq=False)
class PublishedServicePoint(_CopyOfRow):
    row_type = ServicePoint
    id: int
    slug: str
    name: str
    email: str | None
    phone: str | None
    is_uwv: bool
    organisation_id: int
    organisation: PublishedOrganisation
    municipalities: tuple[PublishedMunicipality, ...] = field(default=(), repr=False)


@dataclass(frozen=True, eq=False)
class PublishedMunicipality(_CopyOfRow, MunicipalityRules):
    row_type = Municipality
    id: int
    region_id: int
    slug: str
    name: str
    cbs_code: str
    service_point_id: int
    service_point: PublishedServicePoint
    provider_id: int | None
    provider: PublishedOrganisation | None


@dataclass(frozen=True, eq=False)
class PublishedText:
    lang: str
    title: str
    summary: str
    what: str
    for_whom: str
    employer_gets: str
    conditions: str
    how_to_apply: str
    decision_time: str


@dataclass(frozen=True, eq=False)
class PublishedInstrument(_CopyOfRow, InstrumentRules):
    row_type = Instrument
    id: int
    region_id: int
    slug: str
    kind: str
    status: str
    provider_id: int | None
    provider: PublishedOrganisation | None
    target_groups: tuple[str, ...]
    employer_goals: tuple[str, ...]
    external_url: str | None
    last_reviewed_on: dt.date
    sources: tuple[dict, ...]
    example: bool
    valid_from: dt.date | None
    valid_until: dt.date | None
    updated_at: dt.datetime | None
    municipalities: tuple[PublishedMunicipality, ...]
    texts: tuple[PublishedText, ...]
    _by_lang: dict[str, PublishedText] = field(default_factory=dict, repr=False)

    def texts_by_lang(self) -> dict[str, PublishedText]:
        return self._by_lang


@dataclass(frozen=True, eq=False)
class Catalogue:
    """What the public sees of one region on one day at one content version."""

    region_id: int
    content_version: int
    day: dt.date
    instruments: tuple[PublishedInstrument, ...]  # by kind, then Dutch title
    municipalities: tuple[PublishedMunicipality, ...]  # by name
    service_points: tuple[PublishedServicePoint, ...] = ()  # by name, UWV's too
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value derived from this catalogue only (sorted lists, related instruments, a form's choices),
        computed once per content version. `build` must not read anything else (no request, no user)."""
        try:
            return self._memo[key]
        except KeyError:
            return self._memo.setdefault(key, build())

    def sorted_instruments(self, lang: str) -> tuple[PublishedInstrument, ...]:
        return self.memo(("sorted", lang), lambda: tuple(sorted(self.instruments, key=lambda i: sort_key(i, lang))))

    def instrument(self, slug: str) -> PublishedInstrument | None:
        return self.memo("by_slug", lambda: {i.slug: i for i in self.instruments}).get(slug)

    def municipality(self, slug: str) -> PublishedMunicipality | None:
        return self.memo("muni_by_slug", lambda: {m.slug: m for m in self.municipalities}).get(slug)

    def municipality_by_id(self, municipality_id: int) -> PublishedMunicipality | None:
        return self.memo("muni_by_id", lambda: {m.id: m for m in self.municipalities}).get(municipality_id)

    def service_point_by_id(self, point_id: int) -> PublishedServicePoint | None:
        return self.memo("point_by_id", lambda: {p.id: p for p in self.service_points}).get(point_id)

    @property
    def slugs(self) -> frozenset[str]:
        return self.memo("slugs", lambda: frozenset(i.slug for i in self.instruments))

    def owns(self, item: object) -> bool:
        """Whether `item` is one of this catalogue's own instruments (not a draft row, not another version's)."""
        return isinstance(item, PublishedInstrument) and self.instrument(item.slug) is item


def sort_key(instrument, lang: str = "nl") -> tuple:
    return (KIND_ORDER[instrument.kind], instrument.title(lang).lower())


_lock = threading.Lock()
_all_kept: weakref.WeakValueDictionary[int, LRUCache] = weakref.WeakValueDictionary()  # every app's, for clear()


def kept_in_app(name: str, maxsize: int) -> LRUCache:
    """This app's LRU called `name` (one app per process in production; two apps in one test are two processes):
    the copies here, and what is derived from them elsewhere (wsp_site.fragments). clear() empties every one."""
    kept = current_app.extensions.get(name)
    if kept is None:
        with _lock:
            kept = current_app.extensions.setdefault(name, LRUCache(maxsize=maxsize))
            _all_kept[id(kept)] = kept
    return kept


def _kept() -> LRUCache[tuple, Catalogue]:
    return kept_in_app("wsp_catalogue", MAX_SNAPSHOTS)


def clear() -> None:
    """Forget every app's copies, and all kept_in_app() keeps besides (tests: a rolled-back transaction gives its
    content version numbers back)."""
    with _lock:
        for kept in list(_all_kept.values()):
            kept.clear()


def mark_content_changed(session: Session) -> None:
    """Called by the flush that bumps a content version: until this transaction ends, that number may still
    be rolled back, so nothing is kept under it."""
    session.info[CHANGED_KEY] = True


def content_changed_in(session: Session) -> bool:
    """Whether this session has changed public content that it has not committed: flushed (its content version
    bumped, but a rollback may still give that number back) or pending."""
    if session.info.get(CHANGED_KEY):
        return True
    return any(isinstance(obj, (Region, *CONTENT_MODELS)) for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_transaction_end")
def _forget_content_changes(session: Session, transaction) -> None:
    """The outermost transaction ended: its changes are committed (their version stands) or gone. The end of a
    SAVEPOINT decides nothing yet: the transaction around it may still roll back."""
    if transaction.parent is None:
        session.info.pop(CHANGED_KEY, None)


def catalogue_for(session: Session, region: Region, day: dt.date, published_query: Callable[[], Any]) -> Catalogue:
    """The region's published catalogue on `day`; `published_query()` gives the query of what the public sees
    (services.catalogue decides that). Kept per (region, content version, day) unless this session has
    content changes of its own that it has not committed."""
    if content_changed_in(session):
        return _load(session, region, day, published_query)
    key = (region.id, region.content_version, day)
    kept = _kept()
    with _lock:
        found = kept.get(key)
    if found is None:
        found = _load(session, region, day, published_query)
        with _lock:
            kept[key] = found
    return found


def _load(session: Session, region: Region, day: dt.date, published_query: Callable[[], Any]) -> Catalogue:
    orgs = {
        o.id: PublishedOrganisation(id=o.id, slug=o.slug, name=o.name, kind=o.kind, website=o.website)
        for o in session.scalars(select(Organisation).filter_by(region_id=region.id))
    }
    points = {
        p.id: PublishedServicePoint(
            id=p.id,
            slug=p.slug,
            name=p.name,
            email=p.email,
            phone=p.phone,
            is_uwv=p.is_uwv,
            organisation_id=p.organisation_id,
            organisation=orgs[p.organisation_id],
        )
        for p in session.scalars(select(ServicePoint).filter_by(region_id=region.id))
    }
    munis = tuple(
        PublishedMunicipality(
            id=m.id,
            region_id=m.region_id,
            slug=m.slug,
            name=m.name,
            cbs_code=m.cbs_code,
            service_point_id=m.service_point_id,
            service_point=points[m.service_point_id],
            provider_id=m.provider_id,
            provider=orgs.get(m.provider_id) if m.provider_id is not None else None,
        )
        for m in session.scalars(
            select(Municipality).filter_by(region_id=region.id).order_by(Municipality.name, Municipality.id)
        )
    )
    for point in points.values():
        object.__setattr__(point, "municipalities", tuple(m for m in munis if m.service_point_id == point.id))
    muni_by_id = {m.id: m for m in munis}
    rows = session.scalars(
        published_query().options(selectinload(Instrument.texts), selectinload(Instrument.municipalities))
    ).all()
    instruments = []
    for row in rows:
        texts = tuple(
            PublishedText(lang=t.lang, title=t.title, **{name: getattr(t, name) or "" for name in TEXT_FIELDS_ALL})
            for t in row.texts
        )
        instruments.append(
            PublishedInstrument(
                id=row.id,
                region_id=row.region_id,
                slug=row.slug,
                kind=row.kind,
                status=row.status,
                provider_id=row.provider_id,
                provider=orgs.get(row.provider_id) if row.provider_id is not None else None,
                target_groups=tuple(row.target_groups or ()),
                employer_goals=tuple(row.employer_goals or ()),
                external_url=row.external_url,
                last_reviewed_on=row.last_reviewed_on,
                sources=tuple(dict(source) for source in row.sources or ()),
                example=bool(row.example),
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                updated_at=row.updated_at,
                municipalities=tuple(muni_by_id[m.id] for m in row.municipalities),
                texts=texts,
                _by_lang={t.lang: t for t in texts},
            )
        )
    instruments.sort(key=lambda i: sort_key(i, "nl"))
    return Catalogue(
        region_id=region.id,
        content_version=region.content_version,
        day=day,
        instruments=tuple(instruments),
        municipalities=munis,
        service_points=tuple(sorted(points.values(), key=lambda p: (p.name, p.id))),
    )
