"""What coordinators change about the people of the back office: invite, update, deactivate and reactivate.

What a valid person is, is defined once in schemas.people (the same rules as for a region pack's people); its
problems are put in Dutch on the fields of the form. A person who handles leads cannot stop doing so while work
depends on them (blockers). Every change is audited (people.audit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Employer, Intermediary, Lead, Municipality, Region, RoutingRule, ServicePoint, User
from wsp_site.schemas.errors import field_problems
from wsp_site.schemas.people import PersonIn, PersonRolesIn
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.leads.rules import ordered_rules
from wsp_site.services.people import sessions
from wsp_site.services.people.audit import AdminRefused, check_version, raise_version, record
from wsp_site.vocabulary import LEAD_HANDLER_ROLES, ROLES

# Stored on every lead moved away from a person who leaves; Dutch, like every lead event note.
DEACTIVATION_REASON = "Medewerker gedeactiveerd"


@dataclass(frozen=True)
class PersonInput:
    roles: list[str]
    service_point_id: int | None
    municipality_ids: list[int]
    name: str = ""
    email: str = ""
    intermediary_id: int | None = None  # the organisation of a person of role intermediary


def all_users(session: Session, region: Region) -> list[User]:
    """Everyone in the region: active people first, then by name."""
    return list(
        session.scalars(
            select(User)
            .filter_by(region_id=region.id)
            .order_by(User.active.desc(), User.name, User.id)
            .options(
                selectinload(User.service_point),
                selectinload(User.municipalities),
                selectinload(User.intermediary),
            )
        )
    )


def find_user(session: Session, region: Region, user_id: int) -> User | None:
    return session.scalar(select(User).filter_by(region_id=region.id, id=user_id))


def municipalities(session: Session, region: Region) -> list[Municipality]:
    return list(session.scalars(select(Municipality).filter_by(region_id=region.id).order_by(Municipality.name)))


def service_points(session: Session, region: Region) -> list[ServicePoint]:
    return list(session.scalars(select(ServicePoint).filter_by(region_id=region.id).order_by(ServicePoint.name)))


# The fields of the invitation and the edit form, in their order: the order in which problems are listed.
PERSON_FIELDS = ("name", "email", "roles", "service_point", "municipalities", "intermediary")


def _person_messages() -> dict:
    """The Dutch message per field of the person forms (and error code, where one field has several)."""
    return {
        ("name", "required"): _("Vul de naam in."),
        ("name", "too_long"): _("Gebruik hoogstens 200 tekens."),
        ("email", "required"): _("Vul het e-mailadres in."),
        ("email", "duplicate"): _("Er is al een account met dit e-mailadres."),
        "email": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        "roles": _("Kies minstens één rol."),
        ("service_point", "account_manager_without_service_point"): _("Kies het servicepunt van deze accountmanager."),
        "service_point": _("Kies een servicepunt uit de lijst."),
        ("municipalities", "not_an_editor"): _("Gemeenten kiest u alleen voor een redacteur."),
        "municipalities": _("Kies gemeenten uit de lijst."),
        ("intermediary", "intermediary_only"): _("Een bemiddelaar heeft geen andere rol."),
        ("intermediary", "intermediary_required"): _("Kies de organisatie van deze bemiddelaar."),
        ("intermediary", "not_an_intermediary"): _("Een organisatie kiest u alleen voor een bemiddelaar."),
        "intermediary": _("Kies een bemiddelaar uit de lijst."),
    }


def intermediaries(session: Session, region: Region) -> list[Intermediary]:
    return list(session.scalars(select(Intermediary).filter_by(region_id=region.id).order_by(Intermediary.name)))


def _check_person(
    session: Session, region: Region, data: PersonInput, new: bool = False
) -> tuple[PersonRolesIn, ServicePoint | None, list[Municipality], Intermediary | None]:
    """The input checked with schemas.people (a new person: PersonIn, with a name and an address nobody has
    yet), with the service point and municipalities it names; or AdminRefused with every problem at once."""
    points = {str(p.id): p for p in service_points(session, region)}
    munis = {str(m.id): m for m in municipalities(session, region)}
    organisations = {str(i.id): i for i in intermediaries(session, region)}
    values: dict = {
        "roles": list(data.roles),
        "service_point": str(data.service_point_id) if data.service_point_id is not None else None,
        "municipalities": [str(number) for number in data.municipality_ids],
        "intermediary": str(data.intermediary_id) if data.intermediary_id is not None else None,
    }
    context: dict = {"service_points": set(points), "municipalities": set(munis), "intermediaries": set(organisations)}
    model: type[PersonRolesIn] = PersonRolesIn
    if new:
        model = PersonIn
        values.update(name=data.name, email=data.email)
        context["emails"] = {email.lower() for email in session.scalars(select(User.email))}
    try:
        person = model.model_validate(values, context=context)
    except ValidationError as exc:
        problems = field_problems(exc, _person_messages(), lambda problem: str(problem.loc[0]))
        raise AdminRefused(sorted(problems, key=lambda pair: PERSON_FIELDS.index(pair[0]))) from None
    chosen = sorted((munis[key] for key in person.municipalities), key=lambda m: m.name)
    return person, points.get(person.service_point or ""), chosen, organisations.get(person.intermediary or "")


def _person_snapshot(user: User) -> dict:
    return {
        "roles": sorted(user.roles or []),
        "service_point": user.service_point.slug if user.service_point else None,
        "municipalities": sorted(m.slug for m in user.municipalities),
        "intermediary": user.intermediary_id,
    }


def invite_user(session: Session, region: Region, actor: User, data: PersonInput, now: dt.datetime) -> User:
    """A new person without a password; the caller sends the invitation link (auth_views.send_password_link)."""
    person, point, chosen, organisation = _check_person(session, region, data, new=True)
    user = User(
        region=region,
        email=person.email,
        name=person.name,
        roles=[role for role in ROLES if role in person.roles],
        service_point=point,
        municipalities=chosen,
        intermediary=organisation,
        active=True,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.invited", user, now, email=user.email, name=user.name, **_person_snapshot(user))
    return user


def _open_leads(session: Session, user: User) -> list[Lead]:
    return list(
        session.scalars(
            select(Lead)
            .where(Lead.owner_id == user.id, Lead.status != "closed")
            .order_by(Lead.due_on, Lead.id)
            .options(selectinload(Lead.employer))
        )
    )


def _sole_target_rules(session: Session, region: Region, user: User) -> list[RoutingRule]:
    """Enabled rules that would have nobody left without this person."""
    return [
        rule
        for rule in ordered_rules(session, region)
        if rule.enabled and user in rule.pool and not any(u.active and u.id != user.id for u in rule.pool)
    ]


@dataclass
class Blockers:
    """Why a person cannot stop handling leads yet. Only `open_leads` can be solved on the same screen."""

    open_leads: list[Lead] = field(default_factory=list)
    default_key_account: bool = False
    sole_target_rules: list[RoutingRule] = field(default_factory=list)
    is_self: bool = False

    @property
    def others(self) -> bool:
        """Something other than open leads stands in the way."""
        return self.default_key_account or bool(self.sole_target_rules) or self.is_self


def blockers(session: Session, region: Region, user: User, actor: User) -> Blockers:
    """What must be solved before `user` stops receiving leads (deactivation, or losing the lead roles)."""
    return Blockers(
        open_leads=_open_leads(session, user),
        default_key_account=region.default_key_account_id == user.id,
        sole_target_rules=_sole_target_rules(session, region, user),
        is_self=user.id == actor.id,
    )


def _blocker_problems(
    found: Blockers, field_name: str | None, include_leads: bool = True
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if found.is_self:
        problems.append((field_name, _("U kunt dit niet voor uw eigen account doen; vraag een andere coördinator.")))
    if found.default_key_account:
        problems.append((field_name, _("Deze persoon is de standaard accounthouder. Kies eerst een ander.")))
    if found.sole_target_rules:
        names = ", ".join(f"‘{rule.name}’" for rule in found.sole_target_rules)
        problems.append((field_name, _("Deze persoon is de enige ontvanger van de regel %(names)s.", names=names)))
    if found.open_leads and include_leads:
        count = len(found.open_leads)
        problems.append(
            (
                field_name,
                ngettext(
                    "Deze persoon heeft nog %(num)d open aanvraag.",
                    "Deze persoon heeft nog %(num)d open aanvragen.",
                    count,
                ),
            )
        )
    return problems


def _stop_receiving_leads(session: Session, region: Region, user: User) -> tuple[list[User], list[RoutingRule]]:
    """Routing must not pick this person any more: no longer anyone's deputy, out of the pools they share.

    A rule this person served alone keeps them (shown as inactive); that only happens for disabled rules,
    enabled ones are refused as blockers first.
    """
    deputised = list(session.scalars(select(User).filter_by(deputy_id=user.id).order_by(User.id)))
    for other in deputised:
        other.deputy = None
    left = [rule for rule in ordered_rules(session, region) if user in rule.pool and len(rule.pool) > 1]
    for rule in left:
        rule.pool = [u for u in rule.pool if u.id != user.id]
    return deputised, left


def update_user(
    session: Session,
    region: Region,
    user: User,
    actor: User,
    data: PersonInput,
    now: dt.datetime,
    seen_version: int | None = None,
) -> bool:
    """Change roles, service point and municipalities. False when nothing changed. `seen_version`: the person's
    version when the form was opened; ChangedMeanwhile if another coordinator saved since.

    Losing the lead roles (account manager, coordinator) is refused while the person still has work,
    for the same reasons as deactivation; a coordinator cannot take away their own coordinator role.
    Once allowed, routing stops picking the person: as deputy, in pools, and as account holder (routing
    only skips inactive account holders, and this person stays active), so their employers' next lead is
    routed afresh and gets a new account holder.
    """
    _person, point, chosen, organisation = _check_person(session, region, data)
    handles_leads = user.has_role(*LEAD_HANDLER_ROLES)
    will_handle = any(role in data.roles for role in LEAD_HANDLER_ROLES)
    check_version(session, user, seen_version)
    problems: list[tuple[str | None, str]] = []
    if user.id == actor.id and "coordinator" not in data.roles:
        problems.append(("roles", _("U kunt uw eigen rol van coördinator niet weghalen.")))
    elif handles_leads and not will_handle and user.active:
        problems += _blocker_problems(blockers(session, region, user, actor), "roles")
    if problems:
        raise AdminRefused(problems)
    before = _person_snapshot(user)
    stopped: dict = {}
    if handles_leads and not will_handle:
        deputised, left = _stop_receiving_leads(session, region, user)
        employers = list(session.scalars(select(Employer).filter_by(account_holder_id=user.id).order_by(Employer.id)))
        for employer in employers:
            employer.account_holder = None
        stopped = {
            "deputy_cleared_for": [u.id for u in deputised],
            "removed_from_rules": [r.id for r in left],
            "account_holder_cleared_for": [e.id for e in employers],
        }
    user.roles = [role for role in ROLES if role in data.roles]
    user.service_point = point
    user.municipalities = chosen
    user.intermediary = organisation
    after = _person_snapshot(user)
    if after == before:
        return False
    raise_version(user)
    changed = {key: {"from": before[key], "to": after[key]} for key in after if after[key] != before[key]}
    record(session, actor, "user.updated", user, now, email=user.email, changes=changed, **stopped)
    return True


@dataclass
class Deactivation:
    reassigned: list[Lead]
    deputy_cleared_for: list[User]
    left_rules: list[RoutingRule]


def deactivate_user(
    session: Session,
    region: Region,
    user: User,
    actor: User,
    now: dt.datetime,
    reassign_to: User | None = None,
) -> Deactivation:
    """Switch a person off, after their open leads went to `reassign_to` (one reassignment per lead).

    Refused while the person is the default key account or the only receiver of a rule, or has open leads
    and no colleague was chosen. The person also stops being anyone's deputy and leaves the rule pools they
    share with others; employers move with the leads when this person was their account holder.
    """
    if not user.active:
        raise AdminRefused([(None, _("Deze persoon is al gedeactiveerd."))])
    found = blockers(session, region, user, actor)
    problems = _blocker_problems(found, None, include_leads=False)
    if found.open_leads and not problems:
        if reassign_to is None:
            problems.append(("reassign_to", _("Kies de collega die de open aanvragen overneemt.")))
        elif reassign_to.id == user.id or reassign_to.region_id != region.id or not reassign_to.handles_leads:
            problems.append(("reassign_to", _("Kies een actieve collega die aanvragen behandelt.")))
    if problems:
        raise AdminRefused(problems)
    for lead in found.open_leads:
        moves_account = lead.employer.account_holder_id == user.id
        lead_workflow.reassign(session, lead, actor, reassign_to, DEACTIVATION_REASON, now, moves_account)
    deputised, left = _stop_receiving_leads(session, region, user)
    user.active = False
    sessions.end_all(session, user.id, now, "deactivated")
    record(
        session,
        actor,
        "user.deactivated",
        user,
        now,
        email=user.email,
        reassigned_leads=[lead.id for lead in found.open_leads],
        reassigned_to=reassign_to.id if found.open_leads else None,
        deputy_cleared_for=[u.id for u in deputised],
        removed_from_rules=[rule.id for rule in left],
    )
    return Deactivation(reassigned=found.open_leads, deputy_cleared_for=deputised, left_rules=left)


def reactivate_user(session: Session, user: User, actor: User, now: dt.datetime) -> bool:
    """Let a person sign in again (with a clean lockout). False when the account was active already."""
    if user.active:
        return False
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    record(session, actor, "user.reactivated", user, now, email=user.email)
    return True
