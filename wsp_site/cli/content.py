"""`flask content ...`: the monthly stale-content digest, the region pack round trip (export, import) and the
content lint (check)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from wsp_site.cli.digest import enqueued_words, run_once
from wsp_site.clock import local_today
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.content import lint, staleness
from wsp_site.services.packs import exchange as pack_export
from wsp_site.services.packs.read import CONTENT_DIR, REGIONS_DIR, PackError

content_group = AppGroup(
    "content", help="Instrument content: stale-content digest, export and import of a region, the content lint."
)


@content_group.command("stale-digest")
@click.option("--dry-run", is_flag=True, help="Show who would get an e-mail; store none.")
@click.option("--force", is_flag=True, help="Send again when this month's digest already went out.")
def stale_digest_command(dry_run: bool, force: bool) -> None:
    """Put one e-mail per active editor and coordinator with the instruments in their scope that were not
    reviewed for STALE_AFTER_MONTHS months in the outbox (`flask outbox` delivers it). Run monthly from cron:
    a second run in the same month sends nothing (unless --force).
    """
    report = run_once(
        lambda region, today, now: staleness.send_stale_digests(
            db.session, region, today, now, dry_run=dry_run, force=force
        ),
        dry_run,
        "this month's stale-content digest",
    )
    if report is None:
        return
    prefix, verb = enqueued_words(dry_run)
    click.echo(f"{prefix}{report.enqueued} digest(s) {verb}, {report.skipped} skipped (nothing stale)")
    for address, count in report.recipients:
        click.echo(f"{prefix}to {address}: {count} stale instrument(s)")


@content_group.command("export")
@click.argument("region")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
def export_command(region: str, outdir: Path) -> None:
    """Write the current content of REGION as a region pack (YAML) under OUTDIR.

    OUTDIR gets regions/<region>/region.yaml, regions/<region>/instruments/*.yaml and content/basispakket,
    content/uwv: the layout `flask content import` reads back.
    """
    found = catalogue.get_region(region)
    if found is None:
        raise click.ClickException(f"Region {region!r} is not loaded.")
    files = pack_export.export_region(db.session, found)
    written = pack_export.write_files(files, outdir)
    click.echo(f"{len(written)} file(s) written under {outdir}")


@content_group.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--apply", "apply_changes", is_flag=True, help="Change the database (default: only show the changes).")
def import_command(directory: Path, apply_changes: bool) -> None:
    """Check a region pack in DIRECTORY (the layout `flask content export` writes) and show what would change.

    Nothing is changed without --apply. The pack is validated exactly as `flask wsp load-pack` does; on an
    error nothing is written and the message names the file and the entry.
    """
    try:
        with transaction(db.session, dry_run=not apply_changes):
            result = pack_export.import_region(
                db.session, pack_export.read_directory(directory), dry_run=not apply_changes
            )
    except PackError as exc:
        raise click.ClickException(f"Import refused, nothing was changed.\n{exc}") from None
    prefix = "" if apply_changes else "(dry run) "
    click.echo(f"{prefix}region {result.region}")
    for line in result.report.lines():
        click.echo(prefix + line)
    if not apply_changes and result.report.changed:
        click.echo("Nothing was changed. Run again with --apply to make these changes.")


@content_group.command("check")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_command(directory: Path | None) -> None:
    """Lint the instrument content of every shipped region pack (wsp_site/regions/* with wsp_site/content/), or
    of the pack in DIRECTORY (the layout `flask content export` writes, or one region's directory).

    Prints one "file: key: problem" line per problem and exits with status 1 if there is any: a review older
    than STALE_AFTER_MONTHS, a valid_until that has passed, a glossary term without its link, informal "je"
    beside "u", a € amount without its year, from 1 December an amount of this year without next year's
    figure, and an English text whose figures differ from its Dutch text's (English older than Dutch; see
    services/content/lint.py).
    """
    today, months = local_today(), current_app.config["STALE_AFTER_MONTHS"]
    if directory is None:
        result = lint.check_packs(REGIONS_DIR, CONTENT_DIR, today, months)
    else:
        result = lint.check_directory(directory, today, months, CONTENT_DIR)
    for problem in result.problems:
        click.echo(problem.line())
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"{len(result.problems)} problem(s) in {result.checked_files} instrument file(s)", err=True)
    if result.problems:
        raise SystemExit(1)
