"""`flask pool import FILE.csv`: profiles for the candidate pool from a CSV export (see
wsp_site/backoffice/pool_import.py and the README for the columns)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from wsp_site.backoffice.pool_import import MAX_BYTES, ImportFileError, import_profiles
from wsp_site.clock import utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models import User
from wsp_site.services import catalogue
from wsp_site.services.pool import profiles

pool_group = AppGroup("pool", help="The candidate pool: bulk import of profiles.")


@pool_group.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "email", required=True, help="E-mail of the consultant or coordinator who imports.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--consent-confirmed",
    is_flag=True,
    help="The candidates in rows with consent fields read the consent text and agreed (as the form's checkbox).",
)
def import_command(file, email: str, dry_run: bool, consent_confirmed: bool) -> None:
    """Check (and import) the profiles in FILE. Nothing is imported while any row has a problem; every problem
    is reported by row, column and message. Exits 1 when the file or a row is refused."""
    region = catalogue.current_region()
    actor = db.session.scalar(
        select(User).filter_by(region_id=region.id, active=True).where(func.lower(User.email) == email.lower())
    )
    if actor is None or not actor.has_role(*profiles.KEEPERS):
        raise click.ClickException(f"{email} is not an active consultant or coordinator of {region.name}.")
    raw = file.read(MAX_BYTES + 1)
    # The profile form is a Flask-WTF form: it runs inside a request context, as in the back office.
    with current_app.test_request_context():
        try:
            with transaction(db.session):
                result = import_profiles(
                    db.session, region, actor, raw, utcnow(), dry_run=dry_run, consent_confirmed=consent_confirmed
                )
        except ImportFileError as exc:
            raise click.ClickException(f"nothing imported: {exc}") from None
    for number, column, message in result.problems:
        click.echo(f"row {number}, {column or '(whole row)'}: {message}")
    prefix = "(dry run, nothing written) " if dry_run else ""
    if result.problems:
        click.echo(
            f"{prefix}{len(result.rows)} rows read, {len(result.rows) - result.valid} with problems: nothing imported"
        )
        raise SystemExit(1)
    verb = "would be imported" if dry_run else "imported"
    click.echo(
        f"{prefix}{len(result.rows)} profiles {verb}, {result.with_consent} with consent; "
        "each waits for a second person's approval before it is published"
    )
