"""Flask CLI commands: `flask wsp ...` for set-up and region packs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from pydantic import ValidationError

from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.schemas.errors import Problem, problems
from wsp_site.schemas.people import PersonIn
from wsp_site.services import catalogue
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.install import load_region, prepare_database
from wsp_site.vocabulary import ROLES

wsp = AppGroup("wsp", help="Set-up and region packs of the WSP website.")


def _person_problem(
    problem: Problem, email: str, known_points: list[str], known_intermediaries: list[str] | tuple[str, ...] = ()
) -> str:
    known = ", ".join(known_points)
    if problem.code == "duplicate":
        return f"A user with e-mail {email.strip().lower()} already exists."
    if problem.code == "unknown_service_point":
        return f"Unknown service point {problem.ctx['value']!r} (known: {known})."
    if problem.code == "account_manager_without_service_point":
        return f"An account manager needs --service-point (known: {known})."
    if problem.code in ("intermediary_required", "unknown_intermediary"):
        return (
            "A person of role intermediary needs --intermediary with the KvK number of an active organisation "
            f"of the region (known: {', '.join(known_intermediaries) or 'none; add one at /beheer/bemiddelaars'})."
        )
    if problem.code == "intermediary_only":
        return "A person of role intermediary has no other role."
    if problem.code == "not_an_intermediary":
        return "Only a person of role intermediary belongs to an intermediary (--intermediary)."
    return f"{problem.key}: {problem.message}"


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
@click.option(
    "--intermediary",
    "intermediary_kvk",
    help="For role intermediary: the KvK number of the person's intermediary organisation (see /beheer/bemiddelaars).",
)
@click.option("--password", is_flag=True, help="Ask for a password now instead of e-mailing an invitation.")
def create_user_command(
    email: str,
    name: str,
    roles: tuple[str, ...],
    service_point: str | None,
    intermediary_kvk: str | None,
    password: bool,
):
    """Create a back-office user in the configured region (invitation by e-mail through the outbox).

    The person is checked like one of a region pack or an invitation in the back office (schemas.people).
    """
    from sqlalchemy import select

    from wsp_site.models import Intermediary, ServicePoint, User
    from wsp_site.services.people import auth

    region = catalogue.get_region(current_app.config["WSP_REGION"])
    if region is None:
        raise click.ClickException("The region is not loaded yet: run `flask wsp setup` first.")
    points = {p.slug: p for p in db.session.scalars(select(ServicePoint).filter_by(region_id=region.id))}
    organisations = {
        i.kvk: i for i in db.session.scalars(select(Intermediary).filter_by(region_id=region.id, active=True))
    }
    values = {
        "email": email,
        "name": name,
        "roles": list(roles),
        "service_point": service_point,
        "intermediary": (intermediary_kvk or "").strip() or None,
    }
    context = {
        "service_points": set(points),
        "intermediaries": set(organisations),
        "emails": {e.lower() for e in db.session.scalars(select(User.email))},
    }
    try:
        person = PersonIn.model_validate(values, context=context)
    except ValidationError as exc:
        order = ("email", "name", "roles", "service_point", "intermediary")  # as the options are given
        first = min(problems(exc), key=lambda p: order.index(p.loc[0]) if p.loc and p.loc[0] in order else len(order))
        raise click.ClickException(_person_problem(first, email, sorted(points), sorted(organisations))) from None
    email = person.email
    point = points.get(person.service_point or "")
    user = User(
        region=region,
        email=email,
        name=person.name,
        roles=person.roles,
        service_point=point,
        intermediary=organisations.get(person.intermediary or ""),
        active=True,
    )
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
    with current_app.test_request_context("/"):
        auth.send_password_link(db.session, user, "invite", utcnow())
    db.session.commit()
    click.echo(f"Created {email} ({', '.join(roles)}); an invitation is in the outbox (`flask outbox send-once`).")


@wsp.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set a user's password (for a local demo: the demo people have none)."""
    from sqlalchemy import func, select

    from wsp_site.models import User
    from wsp_site.services.people import auth

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    secret = click.prompt("New password (12 characters or more)", hide_input=True, confirmation_prompt=True)
    if auth.password_problem(secret, user):
        raise click.ClickException("Choose a password of at least 12 characters that is not your name or e-mail.")
    auth.set_password(db.session, user, secret, utcnow())
    db.session.commit()
    click.echo(f"Password set for {user.email}.")
