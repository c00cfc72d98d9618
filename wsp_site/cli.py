"""Flask CLI commands: `flask wsp ...` for set-up and region packs."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from wsp_site.content_cli import content_group
from wsp_site.digest_cli import digest_group
from wsp_site.extensions import db
from wsp_site.models import ROLES
from wsp_site.outbox_cli import outbox
from wsp_site.privacy_cli import privacy
from wsp_site.services import catalogue, content, packs, search

wsp = AppGroup("wsp", help="Set-up and region packs of the WSP website.")


def load_region(slug: str, dry_run: bool = False) -> packs.LoadReport:
    """Read, validate and load a region pack in one transaction (rolled back on any error or dry run)."""
    from wsp_site.public.pages import SITE_PAGES

    pack = packs.read_pack(slug)
    try:
        report = packs.apply_pack(db.session, pack)
        region = catalogue.get_region(slug)
        # An instrument the pack changed: its new state becomes the editor's working copy (an "import"
        # version), or the next publish in the back office would put the old text back.
        content.record_imports(db.session, region, report.instrument_slugs(created=False), dt.datetime.now(dt.UTC))
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
    """Load (or update) the region pack REGION; default: the configured WSP_REGION.

    What the pack describes is set as the pack says, also where the back office changed it since (texts,
    people, routing rules); --dry-run lists what would change.
    """
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


@wsp.command("setup")
def setup_command() -> None:
    """Migrate the database to the latest version; on a new database, also load the configured region pack.

    Once the region is in the database, setup leaves its content, people and routing as the back office keeps
    them. A changed pack is applied on purpose with `flask wsp load-pack` (see --dry-run first).
    """
    try:
        click.echo(prepare_database(current_app.config["WSP_REGION"]))
    except packs.PackError as exc:
        raise click.ClickException(f"Region pack not loaded, nothing was changed.\n{exc}") from None


@wsp.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name, e.g. 'Anna Jansen'.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    default=["account_manager"],
    show_default=True,
    help="Repeat for several roles.",
)
@click.option("--service-point", help="Slug of the person's service point, e.g. lekstroom.")
@click.option("--password", is_flag=True, help="Ask for a password now instead of e-mailing an invitation.")
def create_user_command(email: str, name: str, roles: tuple[str, ...], service_point: str | None, password: bool):
    """Create a back-office user in the configured region (invitation by e-mail through the outbox)."""
    from sqlalchemy import func, select

    from wsp_site.models import ServicePoint, User
    from wsp_site.services import auth

    region = catalogue.get_region(current_app.config["WSP_REGION"])
    if region is None:
        raise click.ClickException("The region is not loaded yet: run `flask wsp setup` first.")
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)) is not None:
        raise click.ClickException(f"A user with e-mail {email} already exists.")
    point = None
    if service_point:
        point = db.session.scalar(select(ServicePoint).filter_by(region_id=region.id, slug=service_point))
        if point is None:
            known = ", ".join(sp.slug for sp in region.service_points)
            raise click.ClickException(f"Unknown service point {service_point!r} (known: {known}).")
    user = User(region=region, email=email, name=name, roles=list(roles), service_point=point, active=True)
    db.session.add(user)
    if password:
        secret = click.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True)
        problem = auth.password_problem(secret, user)
        if problem:
            raise click.ClickException("Choose a password of at least 12 characters that is not your name or e-mail.")
        user.password_hash = auth.hash_password(secret)
        db.session.commit()
        click.echo(f"Created {email} ({', '.join(roles)}); sign in at /beheer/inloggen.")
        return
    db.session.flush()
    from wsp_site.backoffice.auth_views import send_password_link

    with current_app.test_request_context("/"):
        send_password_link(user, "invite")
    db.session.commit()
    click.echo(f"Created {email} ({', '.join(roles)}); an invitation is in the outbox (`flask outbox send-once`).")


@wsp.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set a user's password (for a local demo: the demo people have none)."""
    from sqlalchemy import func, select

    from wsp_site.models import User
    from wsp_site.services import auth

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    secret = click.prompt("New password (12 characters or more)", hide_input=True, confirmation_prompt=True)
    if auth.password_problem(secret, user):
        raise click.ClickException("Choose a password of at least 12 characters that is not your name or e-mail.")
    user.password_hash = auth.hash_password(secret)
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()
    click.echo(f"Password set for {user.email}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(wsp)
    app.cli.add_command(outbox)
    app.cli.add_command(privacy)
    app.cli.add_command(digest_group)
    app.cli.add_command(content_group)
