"""Loading a validated region pack (packs.read) into the database: create or update only what differs.

Running it twice changes nothing. The caller owns the transaction: it flushes, never commits, so on any
error nothing is written. Passwords, absences and what routing learnt (account holders) are never touched, and an
instrument's review date never moves forward (a later `last_reviewed` in the pack is not taken: content.review).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.models import (
    Instrument,
    InstrumentText,
    Municipality,
    Organisation,
    Region,
    RegionTarget,
    RoutingRule,
    ServicePoint,
    User,
)
from wsp_site.services.intermediaries import demo as intermediary_demo
from wsp_site.services.packs.read import Pack
from wsp_site.services.pool import demo
from wsp_site.services.vacancies import demo as vacancy_demo


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_pack: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def instrument_slugs(self, created: bool = True) -> set[str]:
        """The slugs of the instruments this load updated (and created, unless created=False)."""
        labels = (*self.created, *self.updated) if created else self.updated
        return {label.removeprefix("instrument ") for label in labels if label.startswith("instrument ")}

    def lines(self) -> list[str]:
        out = [f"created {item}" for item in self.created]
        out += [f"updated {item}" for item in self.updated]
        out += [f"kept (not in pack) {item}" for item in self.not_in_pack]
        out.append(f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged")
        return out


def _sync(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(session: Session, model, region: Region, key: str, values: dict, label: str, report: LoadReport):
    existing = session.scalar(select(model).filter_by(region_id=region.id, **{key: values[key]}))
    if existing is None:
        obj = model(region=region, **values)
        session.add(obj)
        report.created.append(label)
        return obj
    if _sync(existing, values):
        report.updated.append(label)
    else:
        report.unchanged += 1
    return existing


def _upsert_all(session: Session, model, region: Region, entries: list[dict], noun: str, report, **parents) -> dict:
    """Every entry of one list of the pack, by slug, then a flush; `parents`: field -> the objects by slug its
    value names (a service point's organisation)."""
    found = {}
    for raw in entries:
        values = {**raw, **{name: by_slug[raw[name]] if raw[name] else None for name, by_slug in parents.items()}}
        found[raw["slug"]] = _upsert(session, model, region, "slug", values, f"{noun} {raw['slug']}", report)
    session.flush()
    return found


def apply_pack(session: Session, pack: Pack) -> LoadReport:
    """Bring the database in line with the pack. Flushes, never commits."""
    report = LoadReport()
    region = session.scalar(select(Region).filter_by(slug=pack.slug))
    if region is None:
        region = Region(**pack.region)
        session.add(region)
        report.created.append(f"region {pack.slug}")
    elif _sync(region, pack.region):
        report.updated.append(f"region {pack.slug}")
    else:
        report.unchanged += 1
    session.flush()

    orgs = _upsert_all(session, Organisation, region, pack.organisations, "organisation", report)
    points = _upsert_all(session, ServicePoint, region, pack.service_points, "service point", report, organisation=orgs)
    munis = _upsert_all(
        session, Municipality, region, pack.municipalities, "municipality", report, service_point=points, provider=orgs
    )

    for item in pack.instruments:
        _apply_instrument(session, region, item, orgs, munis, report)
    session.flush()

    known = {i["slug"] for i in pack.instruments}
    for slug in session.scalars(select(Instrument.slug).filter_by(region_id=region.id)):
        if slug not in known:
            report.not_in_pack.append(f"instrument {slug}")

    users = _apply_people(session, region, pack, points, munis, report)
    _apply_routing(session, region, pack, users, report)
    _apply_targets(session, region, pack, report)
    session.flush()
    if pack.candidates:
        demo.apply_candidates(session, region, pack.candidates, report)
    if getattr(pack, "vacancies", None):
        vacancy_demo.apply_vacancies(session, region, pack.vacancies, report)
    if getattr(pack, "intermediaries", None):
        intermediary_demo.apply_intermediaries(session, region, pack.intermediaries, report)
    return report


def _apply_people(session, region, pack, points, munis, report) -> dict[str, User]:
    """Create or update the pack's people. Passwords and absences are never touched here."""
    users = {}
    for raw in pack.people:
        label = f"person {raw['email']}"
        values = {
            "name": raw["name"],
            "phone": raw.get("phone"),
            "roles": raw["roles"],
            "service_point": points[raw["service_point"]] if raw["service_point"] else None,
        }
        user = session.scalar(select(User).filter_by(email=raw["email"]))
        if user is None:
            user = User(region=region, email=raw["email"], active=True, **values)
            user.municipalities = [munis[m] for m in raw["municipalities"]]
            session.add(user)
            report.created.append(label)
        else:
            changed = _sync(user, values)
            if sorted(m.slug for m in user.municipalities) != sorted(raw["municipalities"]):
                user.municipalities = [munis[m] for m in raw["municipalities"]]
                changed = True
            if changed:
                report.updated.append(label)
            else:
                report.unchanged += 1
        users[raw["email"]] = user
    session.flush()
    return users


def _apply_targets(session, region, pack, report) -> None:
    for raw in pack.targets:
        key = {"year": raw["year"], "metric": raw["metric"], "sector": raw["sector"]}
        label = f"target {raw['year']} {raw['metric']} {raw['sector'] or 'all'}"
        target = session.scalar(select(RegionTarget).filter_by(region_id=region.id, **key))
        if target is None:
            session.add(RegionTarget(region=region, value=raw["value"], **key))
            report.created.append(label)
        elif target.value != raw["value"]:
            target.value = raw["value"]
            report.updated.append(label)
        else:
            report.unchanged += 1


def _apply_routing(session, region, pack, users, report) -> None:
    routing = pack.routing
    if routing["default_key_account"]:
        default = users[routing["default_key_account"]]
        if region.default_key_account_id != default.id:
            if region.default_key_account_id is not None:  # a new region gets its first one: not a change
                report.updated.append(f"default key account {default.email}")
            region.default_key_account = default
    for position, raw in enumerate(routing["rules"], start=1):
        label = f"routing rule {raw['name']}"
        values = {"position": position, "conditions": raw["conditions"]}
        if raw["enabled"] is not None:
            values["enabled"] = raw["enabled"]
        rule = session.scalar(select(RoutingRule).filter_by(region_id=region.id, name=raw["name"]))
        pool = [users[email] for email in raw["targets"]]
        if rule is None:
            session.add(RoutingRule(region=region, name=raw["name"], pool=pool, **{"enabled": True, **values}))
            report.created.append(label)
            continue
        changed = _sync(rule, values)
        if [u.id for u in rule.pool] != sorted(u.id for u in pool):
            rule.pool = pool
            changed = True
        if changed:
            report.updated.append(label)
        else:
            report.unchanged += 1


def _apply_instrument(session, region, item, orgs, munis, report) -> Instrument:
    label = f"instrument {item['slug']}"
    values = {
        "kind": item["kind"],
        "status": item["status"],
        "provider": orgs[item["provider"]] if item["provider"] else None,
        "target_groups": item["target_groups"],
        "employer_goals": item["employer_goals"],
        "external_url": item["external_url"],
        "last_reviewed_on": item["last_reviewed"],
        "sources": item["sources"],
        "example": item["example"],
        "valid_from": item.get("valid_from"),
        "valid_until": item.get("valid_until"),
    }
    instrument = session.scalar(select(Instrument).filter_by(region_id=region.id, slug=item["slug"]))
    created = instrument is None
    if not created and instrument.last_reviewed_on and instrument.last_reviewed_on < item["last_reviewed"]:
        # A bulk change never moves a review forward: only an editor checking the sources does (content.review).
        values["last_reviewed_on"] = instrument.last_reviewed_on
    if created:
        instrument = Instrument(region=region, slug=item["slug"])
        session.add(instrument)
    changed = _sync(instrument, values)
    wanted_munis = [munis[s] for s in item["municipalities"]]
    if {m.slug for m in instrument.municipalities} != set(item["municipalities"]):
        instrument.municipalities = wanted_munis
        changed = True
    by_lang = {t.lang: t for t in instrument.texts}
    for lang, text_values in item["texts"].items():
        text = by_lang.pop(lang, None)
        if text is None:
            instrument.texts.append(InstrumentText(lang=lang, **text_values))
            changed = True
        elif _sync(text, text_values):
            changed = True
    for stale in by_lang.values():
        instrument.texts.remove(stale)
        changed = True
    if created:
        report.created.append(label)
    elif changed:
        report.updated.append(label)
    else:
        report.unchanged += 1
    return instrument
