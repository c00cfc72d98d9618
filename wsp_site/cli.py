"""Flask CLI commands: `flask wsp ...` for set-up and region packs."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from wsp_site.content_cli import content_group
from wsp_site.digest_cli import digest_group
from wsp_site.extensions import db
from wsp_site.outbox_cli import outbox
from wsp_site.privacy_cli import privacy
from wsp_site.services import catalogue, packs, search

wsp = AppGroup("wsp", help="Set-up and region packs of the WSP website.")


def load_region(slug: str, dry_run: bool = False) -> packs.LoadReport:
    """Read, validate and load a region pack in one transaction (rolled back on any error or dry run)."""
    from wsp_site.public.pages import SITE_PAGES

    pack = packs.read_pack(slug)
    try:
        report = packs.apply_pack(db.session, pack)
        region = catalogue.get_region(slug)
        search.rebuild_index(db.session, region, SITE_PAGES)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


@wsp.command("load-pack")
@click.argument("region", required=False)
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
def load_pack_command(region: str | None, dry_run: bool) -> None:
    """Load (or update) the region pack REGION; default: the configured WSP_REGION."""
    slug = region or current_app.config["WSP_REGION"]
    try:
        report = load_region(slug, dry_run=dry_run)
    except packs.PackError as exc:
        raise click.ClickException(f"Region pack not loaded, nothing was changed.\n{exc}") from None
    prefix = "(dry run) " if dry_run else ""
    for line in report.lines():
        click.echo(prefix + line)


@wsp.command("regions")
def regions_command() -> None:
    """List the region packs that ship with the site."""
    for slug in packs.available_regions():
        click.echo(slug)


@wsp.command("setup")
def setup_command() -> None:
    """Migrate the database to the latest version and load the configured region pack."""
    upgrade()
    slug = current_app.config["WSP_REGION"]
    try:
        report = load_region(slug)
    except packs.PackError as exc:
        raise click.ClickException(f"Region pack not loaded, nothing was changed.\n{exc}") from None
    click.echo(f"Database ready; region {slug}: {report.lines()[-1]}")


def init_app(app: Flask) -> None:
    app.cli.add_command(wsp)
    app.cli.add_command(outbox)
    app.cli.add_command(privacy)
    app.cli.add_command(digest_group)
    app.cli.add_command(content_group)
