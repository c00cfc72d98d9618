"""Region packs: read and validate the YAML files of a region, then load them into the database.

Reading is pure (files in, a validated `Pack` out, or one `PackError` naming the file and the entry).
Loading compares the pack with the database and changes only what differs, so running it twice changes
nothing. The caller owns the transaction: on any error nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.models import (
    EMPLOYER_GOALS,
    INSTRUMENT_KINDS,
    ORGANISATION_KINDS,
    TARGET_GROUPS,
    TEXT_FIELDS,
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

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # wsp_site/
REGIONS_DIR = PACKAGE_DIR / "regions"
CONTENT_DIR = PACKAGE_DIR / "content"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CBS_RE = re.compile(r"^GM\d{4}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLES = ("coordinator", "account_manager", "editor", "viewer")
LANGS = ("nl", "en")
RULE_CONDITION_KEYS = ("request_type", "sector", "size_band", "municipality", "instrument")
INSTRUMENT_TEXT_KEYS = ("title", "summary", *TEXT_FIELDS)


class PackError(Exception):
    """A pack that cannot be loaded; the message names the file and the entry."""

    def __init__(self, file: Path | str, entry: str, message: str):
        self.file = str(file)
        self.entry = entry
        self.message = message
        super().__init__(f"{self.file}: {entry}: {message}" if entry else f"{self.file}: {message}")


@dataclass
class Pack:
    slug: str
    region: dict[str, Any]
    organisations: list[dict[str, Any]]
    service_points: list[dict[str, Any]]
    municipalities: list[dict[str, Any]]
    people: list[dict[str, Any]]
    routing: dict[str, Any]
    targets: list[dict[str, Any]]
    instruments: list[dict[str, Any]]


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


# --- reading and validating -------------------------------------------------------------------------


def available_regions(regions_dir: Path | None = None) -> list[str]:
    regions_dir = regions_dir or REGIONS_DIR
    return sorted(p.parent.name for p in regions_dir.glob("*/region.yaml"))


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(path, where, f"invalid YAML: {problem}") from None
    except OSError as exc:
        raise PackError(path, "", f"cannot read file: {exc.strerror}") from None


class _Checker:
    """Small helpers that raise PackError with the file and entry filled in."""

    def __init__(self, file: Path):
        self.file = file

    def fail(self, entry: str, message: str) -> PackError:
        return PackError(self.file, entry, message)

    def mapping(self, value: Any, entry: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(entry, "expected a mapping of keys to values")
        return value

    def keys(self, data: dict, entry: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        for key in required:
            if key not in data or data[key] in (None, ""):
                raise self.fail(entry, f"missing required key '{key}'")
        unknown = set(data) - set(required) - set(optional)
        if unknown:
            raise self.fail(entry, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")

    def string(self, data: dict, key: str, entry: str, pattern: re.Pattern | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise self.fail(entry, f"'{key}' must be text")
        value = str(value).strip()
        if pattern and not pattern.match(value):
            raise self.fail(entry, f"'{key}' has an invalid value {value!r}")
        return value

    def slug_list(self, data: dict, key: str, entry: str, allowed: tuple[str, ...] | set[str] | None) -> list:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise self.fail(entry, f"'{key}' must be a list")
        out = []
        for item in value:
            item = str(item)
            if allowed is not None and item not in allowed:
                raise self.fail(entry, f"'{key}' has unknown value {item!r}")
            if item in out:
                raise self.fail(entry, f"'{key}' lists {item!r} twice")
            out.append(item)
        return out

    def unique(self, items: list[dict], key: str, what: str) -> None:
        seen: set[str] = set()
        for item in items:
            if item[key] in seen:
                raise self.fail(f"{what} '{item[key]}'", f"duplicate {key} '{item[key]}'")
            seen.add(item[key])


def _entry_list(check: _Checker, data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise check.fail(key, "expected a list")
    return value


def read_pack(region_slug: str, regions_dir: Path | None = None, content_dir: Path | None = None) -> Pack:
    regions_dir = regions_dir or REGIONS_DIR
    content_dir = content_dir or CONTENT_DIR
    region_dir = regions_dir / region_slug
    region_file = region_dir / "region.yaml"
    if not region_file.exists():
        known = ", ".join(available_regions(regions_dir)) or "none"
        raise PackError(region_file, "", f"no region pack named '{region_slug}' (available: {known})")
    check = _Checker(region_file)
    data = check.mapping(_load_yaml(region_file), "region")
    check.keys(
        data,
        "region",
        ("slug", "name"),
        (
            "name_en",
            "email",
            "phone",
            "response_working_days",
            "organisations",
            "service_points",
            "municipalities",
            "people",
            "routing",
            "targets",
        ),
    )
    slug = check.string(data, "slug", "region", SLUG_RE)
    if slug != region_slug:
        raise check.fail("region", f"slug '{slug}' does not match the folder name '{region_slug}'")
    days = data.get("response_working_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 20):
        raise check.fail("region", "'response_working_days' must be a whole number from 1 to 20")
    region = {
        "slug": slug,
        "name": check.string(data, "name", "region"),
        "name_en": check.string(data, "name_en", "region"),
        "email": check.string(data, "email", "region", EMAIL_RE),
        "phone": check.string(data, "phone", "region"),
        "response_working_days": days,
    }

    organisations = []
    for raw in _entry_list(check, data, "organisations"):
        entry = f"organisation '{raw.get('slug', '?')}'" if isinstance(raw, dict) else "organisations"
        raw = check.mapping(raw, entry)
        check.keys(raw, entry, ("slug", "name", "kind"), ("website",))
        kind = check.string(raw, "kind", entry)
        if kind not in ORGANISATION_KINDS:
            raise check.fail(entry, f"'kind' must be one of {', '.join(ORGANISATION_KINDS)}, got {kind!r}")
        organisations.append(
            {
                "slug": check.string(raw, "slug", entry, SLUG_RE),
                "name": check.string(raw, "name", entry),
                "kind": kind,
                "website": check.string(raw, "website", entry),
            }
        )
    check.unique(organisations, "slug", "organisation")
    org_slugs = {o["slug"] for o in organisations}

    service_points = []
    for raw in _entry_list(check, data, "service_points"):
        entry = f"service point '{raw.get('slug', '?')}'" if isinstance(raw, dict) else "service_points"
        raw = check.mapping(raw, entry)
        check.keys(raw, entry, ("slug", "name", "organisation"), ("email", "phone", "uwv"))
        org = check.string(raw, "organisation", entry)
        if org not in org_slugs:
            raise check.fail(entry, f"unknown organisation '{org}'")
        service_points.append(
            {
                "slug": check.string(raw, "slug", entry, SLUG_RE),
                "name": check.string(raw, "name", entry),
                "organisation": org,
                "email": check.string(raw, "email", entry, EMAIL_RE),
                "phone": check.string(raw, "phone", entry),
                "is_uwv": bool(raw.get("uwv", False)),
            }
        )
    if not service_points:
        raise check.fail("service_points", "a region needs at least one service point")
    check.unique(service_points, "slug", "service point")
    sp_slugs = {s["slug"] for s in service_points}

    municipalities = []
    for raw in _entry_list(check, data, "municipalities"):
        entry = f"municipality '{raw.get('slug', '?')}'" if isinstance(raw, dict) else "municipalities"
        raw = check.mapping(raw, entry)
        check.keys(raw, entry, ("slug", "name", "cbs_code", "service_point"))
        sp = check.string(raw, "service_point", entry)
        if sp not in sp_slugs:
            raise check.fail(entry, f"unknown service point '{sp}'")
        municipalities.append(
            {
                "slug": check.string(raw, "slug", entry, SLUG_RE),
                "name": check.string(raw, "name", entry),
                "cbs_code": check.string(raw, "cbs_code", entry, CBS_RE),
                "service_point": sp,
            }
        )
    if not municipalities:
        raise check.fail("municipalities", "a region needs at least one municipality")
    check.unique(municipalities, "slug", "municipality")
    check.unique(municipalities, "cbs_code", "municipality")
    muni_slugs = {m["slug"] for m in municipalities}

    people = []
    for raw in _entry_list(check, data, "people"):
        entry = f"person '{raw.get('email', '?')}'" if isinstance(raw, dict) else "people"
        raw = check.mapping(raw, entry)
        check.keys(raw, entry, ("email", "name", "roles"), ("service_point", "municipalities"))
        sp = check.string(raw, "service_point", entry)
        if sp is not None and sp not in sp_slugs:
            raise check.fail(entry, f"unknown service point '{sp}'")
        people.append(
            {
                "email": check.string(raw, "email", entry, EMAIL_RE).lower(),
                "name": check.string(raw, "name", entry),
                "service_point": sp,
                "roles": check.slug_list(raw, "roles", entry, ROLES),
                "municipalities": check.slug_list(raw, "municipalities", entry, muni_slugs),
            }
        )
    check.unique(people, "email", "person")
    person_emails = {p["email"] for p in people}

    instruments = _read_instruments(content_dir, region_dir / "instruments", org_slugs, muni_slugs)
    instrument_slugs = {i["slug"] for i in instruments}

    routing = _read_routing(check, data.get("routing"), person_emails, muni_slugs, instrument_slugs, people)
    targets = _read_targets(check, data.get("targets"))

    return Pack(
        slug=slug,
        region=region,
        organisations=organisations,
        service_points=service_points,
        municipalities=municipalities,
        people=people,
        routing=routing,
        targets=targets,
        instruments=instruments,
    )


def _read_routing(check, raw, person_emails, muni_slugs, instrument_slugs, people) -> dict:
    if raw is None:
        if people:
            raise check.fail("routing", "missing required key 'routing' (people are given)")
        return {"default_key_account": None, "rules": []}
    raw = check.mapping(raw, "routing")
    check.keys(raw, "routing", ("default_key_account",), ("rules",))
    default = check.string(raw, "default_key_account", "routing").lower()
    if default not in person_emails:
        raise check.fail("routing", f"default_key_account '{default}' is not one of the people")
    rules = []
    for index, rule in enumerate(raw.get("rules") or [], start=1):
        entry = f"routing rule {index}"
        rule = check.mapping(rule, entry)
        check.keys(rule, entry, ("name", "conditions"), ("target", "pool", "enabled"))
        if ("target" in rule) == ("pool" in rule):
            raise check.fail(entry, "give exactly one of 'target' or 'pool'")
        conditions = check.mapping(rule["conditions"], entry)
        clean: dict[str, list[str]] = {}
        for key in conditions:
            if key not in RULE_CONDITION_KEYS:
                raise check.fail(entry, f"unknown condition '{key}'")
            allowed = {"municipality": muni_slugs, "instrument": instrument_slugs}.get(key)
            clean[key] = check.slug_list(conditions, key, entry, allowed)
        targets = [rule["target"]] if "target" in rule else rule["pool"]
        if not isinstance(targets, list) or not targets:
            raise check.fail(entry, "'pool' must be a non-empty list")
        targets = [str(t).lower() for t in targets]
        for target in targets:
            if target not in person_emails:
                raise check.fail(entry, f"target '{target}' is not one of the people")
        enabled = rule.get("enabled")  # None: a new rule is enabled, an existing one keeps its state
        if enabled is not None and not isinstance(enabled, bool):
            raise check.fail(entry, "'enabled' must be true or false")
        rules.append(
            {"name": check.string(rule, "name", entry), "conditions": clean, "targets": targets, "enabled": enabled}
        )
    return {"default_key_account": default, "rules": rules}


def _read_targets(check, raw) -> list[dict]:
    out = []
    for index, target in enumerate(raw or [], start=1):
        entry = f"target {index}"
        target = check.mapping(target, entry)
        check.keys(target, entry, ("year", "metric", "value"), ("sector",))
        if not isinstance(target["year"], int) or not isinstance(target["value"], int):
            raise check.fail(entry, "'year' and 'value' must be whole numbers")
        out.append(
            {
                "year": target["year"],
                "metric": check.string(target, "metric", entry, re.compile(r"^[a-z_]+$")),
                "sector": check.string(target, "sector", entry),
                "value": target["value"],
            }
        )
    return out


def _read_instruments(content_dir: Path, local_dir: Path, org_slugs: set, muni_slugs: set) -> list[dict]:
    files = sorted((content_dir / "basispakket").glob("*.yaml")) + sorted((content_dir / "uwv").glob("*.yaml"))
    files += sorted(local_dir.glob("*.yaml")) if local_dir.exists() else []
    instruments = []
    seen: dict[str, Path] = {}
    for path in files:
        item = read_instrument(path, org_slugs, muni_slugs)
        if item["slug"] in seen:
            raise PackError(path, f"instrument '{item['slug']}'", f"duplicate slug (also in {seen[item['slug']]})")
        seen[item["slug"]] = path
        instruments.append(item)
    return instruments


def read_instrument(path: Path, org_slugs: set, muni_slugs: set, data: Any = None) -> dict:
    check = _Checker(path)
    if data is None:
        data = _load_yaml(path)
    entry = f"instrument '{data.get('slug', '?')}'" if isinstance(data, dict) else "instrument"
    data = check.mapping(data, entry)
    return validate_instrument(check, data, entry, org_slugs, muni_slugs)


def validate_instrument(check: _Checker, data: dict, entry: str, org_slugs: set, muni_slugs: set) -> dict:
    check.keys(
        data,
        entry,
        ("slug", "kind", "last_reviewed", "nl"),
        ("provider", "municipalities", "target_groups", "employer_goals", "external_url", "en", "status"),
    )
    kind = check.string(data, "kind", entry)
    if kind not in INSTRUMENT_KINDS:
        raise check.fail(entry, f"'kind' must be one of {', '.join(INSTRUMENT_KINDS)}, got {kind!r}")
    provider = check.string(data, "provider", entry)
    if kind == "basispakket" and provider is not None:
        raise check.fail(entry, "the basic package has no 'provider': the candidate's service point provides it")
    if kind != "basispakket":
        if provider is None:
            raise check.fail(entry, "missing required key 'provider'")
        if provider not in org_slugs:
            raise check.fail(entry, f"unknown provider organisation '{provider}'")
    municipalities = check.slug_list(data, "municipalities", entry, None)
    if kind == "lokaal" and not municipalities:
        raise check.fail(entry, "a local instrument must name at least one municipality")
    if kind != "lokaal" and municipalities:
        raise check.fail(entry, "only local instruments name municipalities")
    for slug in municipalities:
        if slug not in muni_slugs:
            raise check.fail(entry, f"unknown municipality '{slug}'")
    reviewed = data["last_reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            raise check.fail(entry, f"'last_reviewed' must be a date (YYYY-MM-DD), got {reviewed!r}") from None
    if not isinstance(reviewed, dt.date):
        raise check.fail(entry, "'last_reviewed' must be a date (YYYY-MM-DD)")
    status = data.get("status", "published")
    if status not in ("draft", "published"):
        raise check.fail(entry, f"'status' must be draft or published, got {status!r}")
    texts = {}
    for lang in LANGS:
        if lang not in data or data[lang] is None:
            continue
        text_entry = f"{entry}, language '{lang}'"
        raw = check.mapping(data[lang], text_entry)
        required = ("title", "summary", *TEXT_FIELDS) if lang == "nl" else ("title",)
        check.keys(raw, text_entry, required, INSTRUMENT_TEXT_KEYS)
        texts[lang] = {key: (check.string(raw, key, text_entry) or "") for key in INSTRUMENT_TEXT_KEYS}
    return {
        "slug": check.string(data, "slug", entry, SLUG_RE),
        "kind": kind,
        "status": status,
        "provider": provider,
        "municipalities": sorted(municipalities),
        "target_groups": check.slug_list(data, "target_groups", entry, TARGET_GROUPS),
        "employer_goals": check.slug_list(data, "employer_goals", entry, EMPLOYER_GOALS),
        "external_url": check.string(data, "external_url", entry, re.compile(r"^https?://\S+$")),
        "last_reviewed": reviewed,
        "texts": texts,
    }


# --- loading into the database ------------------------------------------------------------------------


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

    orgs = {}
    for values in pack.organisations:
        orgs[values["slug"]] = _upsert(
            session, Organisation, region, "slug", values, f"organisation {values['slug']}", report
        )
    session.flush()

    points = {}
    for raw in pack.service_points:
        values = {**raw, "organisation": orgs[raw["organisation"]]}
        points[raw["slug"]] = _upsert(
            session, ServicePoint, region, "slug", values, f"service point {raw['slug']}", report
        )
    session.flush()

    munis = {}
    for raw in pack.municipalities:
        values = {**raw, "service_point": points[raw["service_point"]]}
        munis[raw["slug"]] = _upsert(
            session, Municipality, region, "slug", values, f"municipality {raw['slug']}", report
        )
    session.flush()

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
    return report


def _apply_people(session, region, pack, points, munis, report) -> dict[str, User]:
    """Create or update the pack's people. Passwords and absences are never touched here."""
    users = {}
    for raw in pack.people:
        label = f"person {raw['email']}"
        values = {
            "name": raw["name"],
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
    }
    instrument = session.scalar(select(Instrument).filter_by(region_id=region.id, slug=item["slug"]))
    created = instrument is None
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
