"""The region pack round trip: export a region's current content as pack YAML, and import it back.

`export_region` writes the files in the pack layout (docs/region-pack.md):
    regions/<region>/region.yaml, regions/<region>/instruments/<slug>.yaml (local instruments),
    content/basispakket/<slug>.yaml and content/uwv/<slug>.yaml.
It exports the instrument rows: what the site publishes (and drafts, with `status: draft`); changes saved in
the editor but not yet published stay in the version history and are not exported. People are exported
without passwords or second factors; a routing rule switched off in the back office is exported with
`enabled: false`.

`import_region` writes the given files into a temporary directory in the same layout and reads them with
`packs.read.read_pack`, so validation and messages are exactly those of `flask wsp load-pack` (the file is named
relative to the pack). It then applies the pack inside a savepoint: a dry run rolls the savepoint back and
only reports what would change; otherwise every created or changed instrument gets an "import" version and
the search index is rebuilt. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.db import transaction
from wsp_site.models import AuditEvent, Instrument, Region, RegionTarget, RoutingRule, User
from wsp_site.schemas.instrument import LANGS, TEXT_KEYS
from wsp_site.services.content import versions
from wsp_site.services.packs.apply import LoadReport, apply_pack
from wsp_site.services.packs.read import Pack, PackError, read_pack

PATH_RE = re.compile(
    r"^(?:regions/(?P<region>[a-z0-9-]+)/(?:region\.yaml|instruments/[a-z0-9-]+\.yaml)"
    r"|content/(?:basispakket|uwv)/[a-z0-9-]+\.yaml)$"
)
MAX_FILES = 2000
MAX_FILE_BYTES = 1_000_000
MAX_ZIP_BYTES = 20_000_000  # uncompressed, all files together


class _Dumper(yaml.SafeDumper):
    """Multi-line texts (Markdown) as literal blocks, so the files stay readable and diffable."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _without_empty(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "", [])}


# --- export ------------------------------------------------------------------------------------------------


def _region_data(session: Session, region: Region) -> dict:
    data = _without_empty(
        {
            "slug": region.slug,
            "name": region.name,
            "name_en": region.name_en,
            "email": region.email,
            "phone": region.phone,
            "response_working_days": region.response_working_days,
        }
    )
    data["organisations"] = [
        _without_empty({"slug": o.slug, "name": o.name, "kind": o.kind, "website": o.website})
        for o in sorted(region.organisations, key=lambda o: o.slug)
    ]
    data["service_points"] = [
        {
            **_without_empty(
                {
                    "slug": p.slug,
                    "name": p.name,
                    "organisation": p.organisation.slug,
                    "email": p.email,
                    "phone": p.phone,
                }
            ),
            "uwv": bool(p.is_uwv),
        }
        for p in sorted(region.service_points, key=lambda p: p.slug)
    ]
    data["municipalities"] = [
        _without_empty(
            {
                "slug": m.slug,
                "name": m.name,
                "cbs_code": m.cbs_code,
                "service_point": m.service_point.slug,
                "provider": m.provider.slug if m.provider is not None else None,
            }
        )
        for m in sorted(region.municipalities, key=lambda m: m.slug)
    ]
    # The region's own people; an intermediary's people belong to their organisation, which no pack holds.
    people = session.scalars(
        select(User)
        .filter_by(region_id=region.id, intermediary_id=None)
        .options(selectinload(User.municipalities), selectinload(User.service_point))
        .order_by(User.email)
    ).all()
    data["people"] = []
    for user in people:
        person = {"email": user.email, "name": user.name}
        if user.phone:
            person["phone"] = user.phone
        if user.service_point is not None:
            person["service_point"] = user.service_point.slug
        person["roles"] = list(user.roles or [])
        if user.municipalities:
            person["municipalities"] = sorted(m.slug for m in user.municipalities)
        data["people"].append(person)
    if people:
        rules = session.scalars(
            select(RoutingRule).filter_by(region_id=region.id).order_by(RoutingRule.position, RoutingRule.name)
        ).all()
        routing: dict = {
            "default_key_account": region.default_key_account.email if region.default_key_account else None,
        }
        routing["rules"] = []
        for rule in rules:
            entry: dict = {"name": rule.name, "conditions": dict(rule.conditions or {})}
            emails = [u.email for u in rule.pool]
            if len(emails) == 1:
                entry["target"] = emails[0]
            else:
                entry["pool"] = emails
            if not rule.enabled:
                entry["enabled"] = False
            routing["rules"].append(entry)
        data["routing"] = routing
    targets = session.scalars(
        select(RegionTarget)
        .filter_by(region_id=region.id)
        .order_by(RegionTarget.year, RegionTarget.metric, RegionTarget.sector)
    ).all()
    data["targets"] = [
        _without_empty({"year": t.year, "metric": t.metric, "sector": t.sector}) | {"value": t.value} for t in targets
    ]
    return data


def instrument_data(instrument: Instrument) -> dict:
    """One instrument as a pack file's mapping."""
    data: dict = {"slug": instrument.slug, "kind": instrument.kind}
    if instrument.kind != "basispakket" and instrument.provider is not None:
        data["provider"] = instrument.provider.slug
    if instrument.kind == "lokaal":
        data["municipalities"] = sorted(m.slug for m in instrument.municipalities)
    data["target_groups"] = list(instrument.target_groups or [])
    data["employer_goals"] = list(instrument.employer_goals or [])
    data["last_reviewed"] = instrument.last_reviewed_on
    if instrument.valid_from is not None:
        data["valid_from"] = instrument.valid_from
    if instrument.valid_until is not None:
        data["valid_until"] = instrument.valid_until
    if instrument.external_url:
        data["external_url"] = instrument.external_url
    if instrument.status != "published":
        data["status"] = instrument.status
    if instrument.example:
        data["example"] = True
    if instrument.sources:
        data["sources"] = [dict(source) for source in instrument.sources]
    texts = {t.lang: t for t in instrument.texts}
    for lang in LANGS:
        text = texts.get(lang)
        if text is None:
            continue
        values = {key: getattr(text, key) or "" for key in TEXT_KEYS}
        data[lang] = values if lang == "nl" else {k: v for k, v in values.items() if v}
    return data


def instrument_path(region: Region, instrument: Instrument) -> str:
    if instrument.kind == "lokaal":
        return f"regions/{region.slug}/instruments/{instrument.slug}.yaml"
    return f"content/{instrument.kind}/{instrument.slug}.yaml"


def export_region(session: Session, region: Region) -> dict[str, str]:
    """{path in the pack layout: YAML text} for the region and all its instruments."""
    files = {f"regions/{region.slug}/region.yaml": _dump(_region_data(session, region))}
    instruments = session.scalars(
        select(Instrument)
        .filter_by(region_id=region.id)
        .options(
            selectinload(Instrument.texts), selectinload(Instrument.municipalities), selectinload(Instrument.provider)
        )
        .order_by(Instrument.slug)
    )
    for instrument in instruments:
        files[instrument_path(region, instrument)] = _dump(instrument_data(instrument))
    return files


def write_files(files: Mapping[str, str], target: Path) -> list[Path]:
    written = []
    for relative, text in sorted(files.items()):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def export_zip(files: Mapping[str, str]) -> bytes:
    """The exported files as one ZIP archive (the back office offers it as a download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, text in sorted(files.items()):
            archive.writestr(relative, text)
    return buffer.getvalue()


# --- import ------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    region: str
    report: LoadReport
    applied: bool


def read_directory(directory: Path) -> dict[str, bytes]:
    """Every .yaml file under `directory`, by its path relative to it (the pack layout)."""
    files = {}
    for path in sorted(directory.rglob("*.yaml")):
        files[path.relative_to(directory).as_posix()] = path.read_bytes()
    return files


def read_zip(data: bytes) -> dict[str, bytes]:
    """The .yaml files of a ZIP archive by their path inside it. A single top folder around the pack layout
    (as when someone zips the export folder itself) is taken off. PackError for a bad or too large archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackError("(upload)", "", "not a ZIP archive") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.endswith(".yaml")]
        if len(members) > MAX_FILES:
            raise PackError("(upload)", "", f"too many files ({len(members)}; at most {MAX_FILES})")
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise PackError("(upload)", "", f"the files are too large together (at most {MAX_ZIP_BYTES} bytes)")
        files = {}
        for member in members:
            if member.file_size > MAX_FILE_BYTES:
                raise PackError(member.filename, "", f"file too large (at most {MAX_FILE_BYTES} bytes)")
            files[member.filename] = archive.read(member)
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and not tops & {"regions", "content"} and all("/" in name for name in files):
        files = {name.split("/", 1)[1]: body for name, body in files.items()}
    return files


def _check_files(files: Mapping[str, str | bytes]) -> str:
    """The region slug; PackError for a file outside the layout, too many or too large files."""
    if len(files) > MAX_FILES:
        raise PackError("(import)", "", f"too many files ({len(files)}; at most {MAX_FILES})")
    regions = set()
    for path, body in files.items():
        match = PATH_RE.match(path)
        if match is None:
            raise PackError(
                path,
                "",
                "not a file of the pack layout (regions/<region>/region.yaml, regions/<region>/instruments/"
                "<slug>.yaml, content/basispakket/<slug>.yaml, content/uwv/<slug>.yaml)",
            )
        if len(body) > MAX_FILE_BYTES:
            raise PackError(path, "", f"file too large (at most {MAX_FILE_BYTES} bytes)")
        if match.group("region"):
            regions.add(match.group("region"))
    region_files = [p for p in files if p.endswith("/region.yaml")]
    if len(region_files) != 1 or len(regions) != 1:
        raise PackError("regions/<region>/region.yaml", "", "an import needs exactly one region with its region.yaml")
    return regions.pop()


def read_files(files: Mapping[str, str | bytes]) -> Pack:
    """Validate files in the pack layout with read_pack; PackError names the file relative to the pack."""
    slug = _check_files(files)
    with tempfile.TemporaryDirectory(prefix="wsp-import-") as tmp:
        root = Path(tmp)
        for relative, body in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, str):
                path.write_text(body, encoding="utf-8")
            else:
                path.write_bytes(body)
        try:
            return read_pack(slug, regions_dir=root / "regions", content_dir=root / "content")
        except PackError as exc:
            file = Path(exc.file)
            relative = file.relative_to(root).as_posix() if file.is_relative_to(root) else exc.file
            raise PackError(relative, exc.entry, exc.message) from None


def import_region(
    session: Session,
    files: Mapping[str, str | bytes],
    dry_run: bool = True,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Validate, then apply (or, for a dry run, only report) a pack given as {path: YAML text}.

    Raises PackError before anything is written. Never commits.
    """
    pack = read_files(files)
    now = now or dt.datetime.now(dt.UTC)
    with transaction(session, nested=True, dry_run=dry_run):
        report = apply_pack(session, pack)
        if dry_run:
            return ImportResult(pack.slug, report, applied=False)
        region = session.scalar(select(Region).filter_by(slug=pack.slug))
        versions.record_imports(session, region, report.instrument_slugs(), now, user)
        session.add(
            AuditEvent(
                at=now,
                actor=user,
                action="content.import",
                target_type="region",
                target_id=region.id,
                data={"created": len(report.created), "updated": len(report.updated)},
            )
        )
        from wsp_site.public.pages import SITE_PAGES
        from wsp_site.services.catalogue import search

        search.rebuild_index(session, region, SITE_PAGES)
    return ImportResult(pack.slug, report, applied=True)
