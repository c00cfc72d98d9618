"""Putting a region into the database: load (or update) its pack, and prepare a database for a release.

Used by `flask wsp setup` and `load-pack`, by `scripts/run` (wsp_site.run) and by the tests.
"""

from __future__ import annotations

import datetime as dt

from flask_migrate import upgrade

from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.catalogue import search
from wsp_site.services.content import versions
from wsp_site.services.packs.apply import LoadReport, apply_pack
from wsp_site.services.packs.read import read_pack


def load_region(slug: str, dry_run: bool = False) -> LoadReport:
    """Read, validate and load a region pack in one transaction (rolled back on any error or dry run)."""
    from wsp_site.public.pages import SITE_PAGES

    pack = read_pack(slug)
    with transaction(db.session, dry_run=dry_run):
        report = apply_pack(db.session, pack)
        region = catalogue.get_region(slug)
        # An instrument the pack changed: its new state becomes the editor's working copy (an "import"
        # version), or the next publish in the back office would put the old text back.
        versions.record_imports(db.session, region, report.instrument_slugs(created=False), dt.datetime.now(dt.UTC))
        search.rebuild_index(db.session, region, SITE_PAGES)
    return report


def prepare_database(slug: str) -> str:
    """Migrate to the latest version; on a new database also load the region pack. Returns what happened.

    Once the region is in the database, the back office is where its content, people and routing change, so
    this leaves them as they are: running it with every release (or every local start) must never undo an
    editor's or a coordinator's work. A changed pack is applied on purpose with `flask wsp load-pack`.
    Raises PackError when a new database gets a malformed pack (nothing is written then).
    """
    from wsp_site.public.pages import SITE_PAGES

    upgrade()
    region = catalogue.get_region(slug)
    if region is None:
        report = load_region(slug)
        return f"Database ready; region {slug}: {report.lines()[-1]}"
    search.rebuild_index(db.session, region, SITE_PAGES)  # derived data: a release may change its make-up
    db.session.commit()
    return (
        f"Database ready; region {slug} was loaded before and is kept as the back office left it. "
        f"To apply a changed pack: flask wsp load-pack {slug} --dry-run, then without --dry-run."
    )
