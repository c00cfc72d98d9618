"""What coordinators change: routing rules, the default key account and the people of the back office.

Every change is written to the audit trail (AuditEvent: who, when, what) in the same transaction as the
change itself; the caller commits once. A change the rules do not allow raises AdminRefused before anything
is modified, with messages a coordinator can act on, so a view can show them and the session stays clean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import (
    REQUEST_TYPES,
    ROLES,
    SECTORS,
    SIZE_BANDS,
    AuditEvent,
    Employer,
    Lead,
    Municipality,
    Region,
    RoutingRule,
    ServicePoint,
    User,
)
from wsp_site.models.routing import CONDITION_KEYS
from wsp_site.models.user import LEAD_HANDLER_ROLES
from wsp_site.services import catalogue
from wsp_site.services.leads import routing
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.vocabulary import REQUEST_TYPE_LABELS, SECTOR_LABELS, SIZE_BAND_LABELS

ROLE_LABELS = {
    "coordinator": _l("Coördinator"),
    "account_manager": _l("Accountmanager"),
    "editor": _l("Redacteur"),
    "viewer": _l("Meekijker"),
}
CONDITION_LABELS = {
    "request_type": _l("Soort vraag"),
    "sector": _l("Sector"),
    "size_band": _l("Aantal medewerkers"),
    "municipality": _l("Gemeente van de werkgever"),
    "instrument": _l("Regeling"),
}
# Stored on every lead moved away from a person who leaves; Dutch, like every lead event note.
DEACTIVATION_REASON = "Medewerker gedeactiveerd"


class AdminRefused(ValueError):
    """A change the rules do not allow. `problems` are (form field or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = problems


def record(
    session: Session, actor: User, action: str, target: RoutingRule | User | Region, now: dt.datetime, **data
) -> AuditEvent:
    """One line of the audit trail. `data` holds what changed, in JSON-safe values (ids, codes, names)."""
    target_type = {RoutingRule: "routing_rule", User: "user", Region: "region"}[type(target)]
    event = AuditEvent(at=now, actor=actor, action=action, target_type=target_type, target_id=target.id, data=data)
    session.add(event)
    return event


def lead_handlers(session: Session, region: Region) -> list[User]:
    """The people who may receive leads: active account managers and coordinators."""
    return lead_workflow.staff(session, region.id)


# --- routing rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInput:
    name: str
    conditions: dict[str, list[str]]
    pool_ids: list[int]


def ordered_rules(session: Session, region: Region, lock: bool = False) -> list[RoutingRule]:
    """The rules in the order routing tries them (disabled ones included, in their place)."""
    query = (
        select(RoutingRule)
        .filter_by(region_id=region.id)
        .order_by(RoutingRule.position, RoutingRule.id)
        .options(selectinload(RoutingRule.pool))
    )
    if lock:
        # Two coordinators reordering at once on PostgreSQL: the second waits for the first.
        query = query.with_for_update(of=RoutingRule)
    return list(session.scalars(query))


def find_rule(session: Session, region: Region, rule_id: int) -> RoutingRule | None:
    return session.scalar(select(RoutingRule).filter_by(region_id=region.id, id=rule_id))


def condition_options(
    session: Session, region: Region, keep: dict[str, list[str]] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """What a rule can test, per condition key: (code, label) pairs in the order a form shows them.

    Values in `keep` that are no longer on offer (an instrument taken offline, say) stay listed under their
    code, so editing an old rule never silently drops one of its conditions.
    """
    options = {
        "request_type": [(code, str(REQUEST_TYPE_LABELS[code])) for code in REQUEST_TYPES],
        "sector": [(code, str(SECTOR_LABELS[code])) for code in SECTORS],
        "size_band": [(code, str(SIZE_BAND_LABELS[code])) for code in SIZE_BANDS],
        "municipality": [(m.slug, m.name) for m in municipalities(session, region)],
        "instrument": [(i.slug, i.title("nl")) for i in catalogue.published_instruments(region)],
    }
    for key, values in (keep or {}).items():
        known = {code for code, _label in options.get(key, [])}
        options.setdefault(key, []).extend((value, value) for value in values if value not in known)
    return options


def _or_list(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s of %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def describe_conditions(
    conditions: dict[str, list[str]], options: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str]]:
    """A rule's conditions in words: (what is tested, the accepted values joined with 'of')."""
    described = []
    for key in CONDITION_KEYS:
        values = (conditions or {}).get(key) or []
        if values:
            labels = dict(options.get(key, []))
            described.append((str(CONDITION_LABELS[key]), _or_list([labels.get(v, v) for v in values])))
    return described


def describe_target(rule: RoutingRule) -> str:
    """Who a rule sends leads to, in words."""
    names = [u.name if u.active else _("%(name)s (niet actief)", name=u.name) for u in rule.pool]
    if len(names) == 1:
        return names[0]
    return _("Pool: %(names)s (wie de minste open aanvragen heeft)", names=", ".join(names))


def _clean_conditions(conditions: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: sorted(set(conditions[key])) for key in CONDITION_KEYS if conditions.get(key)}


def _check_rule(session: Session, region: Region, data: RuleInput, rule: RoutingRule | None) -> list[User]:
    """The pool as people, or AdminRefused with every problem at once."""
    problems: list[tuple[str | None, str]] = []
    name = data.name.strip()
    # Compared in Python: SQLite's lower() knows only ASCII ("Ölie" and "ölie" would both pass).
    others = session.scalars(
        select(RoutingRule.name).where(
            RoutingRule.region_id == region.id, RoutingRule.id != (rule.id if rule is not None else -1)
        )
    )
    same_name = next((other for other in others if other.casefold() == name.casefold()), None)
    if not name:
        problems.append(("name", _("Geef de regel een naam.")))
    elif same_name is not None:
        problems.append(("name", _("Er is al een regel met deze naam. Kies een andere naam.")))
    handlers = {u.id: u for u in lead_handlers(session, region)}
    if not data.pool_ids:
        problems.append(("pool", _("Kies minstens één persoon die de aanvragen krijgt.")))
    elif any(user_id not in handlers for user_id in data.pool_ids):
        problems.append(("pool", _("Kies alleen actieve accountmanagers of coördinatoren.")))
    if problems:
        raise AdminRefused(problems)
    return sorted((handlers[user_id] for user_id in set(data.pool_ids)), key=lambda u: u.id)


def _rule_snapshot(rule: RoutingRule) -> dict:
    return {
        "name": rule.name,
        "conditions": rule.conditions or {},
        "pool": [u.id for u in rule.pool],
        "enabled": rule.enabled,
    }


def create_rule(session: Session, region: Region, actor: User, data: RuleInput, now: dt.datetime) -> RoutingRule:
    """A new rule, enabled, placed last: a new rule never silently takes leads from the existing ones."""
    pool = _check_rule(session, region, data, None)
    last = session.scalar(select(func.max(RoutingRule.position)).filter_by(region_id=region.id)) or 0
    rule = RoutingRule(
        region=region,
        name=data.name.strip(),
        position=last + 1,
        enabled=True,
        conditions=_clean_conditions(data.conditions),
        pool=pool,
    )
    session.add(rule)
    session.flush()
    record(session, actor, "routing_rule.created", rule, now, **_rule_snapshot(rule), position=rule.position)
    return rule


def update_rule(
    session: Session, region: Region, rule: RoutingRule, actor: User, data: RuleInput, now: dt.datetime
) -> bool:
    """Change a rule's name, conditions and pool. False when nothing changed (no audit line then)."""
    pool = _check_rule(session, region, data, rule)
    before = _rule_snapshot(rule)
    rule.name = data.name.strip()
    rule.conditions = _clean_conditions(data.conditions)
    rule.pool = pool
    after = _rule_snapshot(rule)
    if after == before:
        return False
    changed = {key: {"from": before[key], "to": after[key]} for key in after if after[key] != before[key]}
    record(session, actor, "routing_rule.updated", rule, now, name=rule.name, changes=changed)
    return True


def move_rule(
    session: Session, region: Region, rule: RoutingRule, direction: str, actor: User, now: dt.datetime
) -> bool:
    """Swap a rule with its neighbour above ("up") or below ("down"). False at the top or bottom.

    Positions are renumbered 1..n first, so rules that share a position (loaded from a pack, say) get the
    order routing already gives them and the swap is always visible.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', got {direction!r}")
    rules = ordered_rules(session, region, lock=True)
    for number, each in enumerate(rules, start=1):
        each.position = number
    index = next(i for i, each in enumerate(rules) if each.id == rule.id)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(rules):
        return False
    other = rules[other_index]
    rule.position, other.position = other.position, rule.position
    record(
        session,
        actor,
        "routing_rule.moved",
        rule,
        now,
        name=rule.name,
        direction=direction,
        position={"from": other.position, "to": rule.position},
        swapped_with=other.id,
    )
    return True


def set_rule_enabled(session: Session, rule: RoutingRule, enabled: bool, actor: User, now: dt.datetime) -> bool:
    """Switch a rule on or off; a disabled rule keeps its place. False when it already was so."""
    if rule.enabled == enabled:
        return False
    if enabled and not any(routing.handles_leads(user) for user in rule.pool):
        raise AdminRefused(
            [(None, _("Niemand in deze regel behandelt nog aanvragen. Kies eerst wie de aanvragen krijgt."))]
        )
    rule.enabled = enabled
    action = "routing_rule.enabled" if enabled else "routing_rule.disabled"
    record(session, actor, action, rule, now, name=rule.name)
    return True


def set_default_key_account(session: Session, region: Region, user: User, actor: User, now: dt.datetime) -> bool:
    """Who receives a lead when nothing else decides. Always an active account manager or coordinator."""
    if user.region_id != region.id or not user.handles_leads:
        raise AdminRefused([("user", _("Kies een actieve accountmanager of coördinator."))])
    previous = region.default_key_account_id
    if previous == user.id:
        return False
    region.default_key_account = user
    record(session, actor, "region.default_key_account", region, now, **{"from": previous, "to": user.id})
    return True


@dataclass
class Preview:
    """Who would receive an example lead, and why; `employer` is the known employer it matched, if any."""

    decision: routing.RoutingDecision | None
    employer: Employer | None
    problem: str | None = None


def preview_routing(session: Session, region: Region, facts: routing.LeadFacts, today: dt.date) -> Preview:
    """Route an example lead without storing anything.

    find_employer and route_lead only read (the pool workload is counted, not changed), nothing is added
    to the session here, and autoflush is off so no pending change of this request is written either.
    """
    with session.no_autoflush:
        employer = routing.find_employer(session, region, facts.kvk, facts.email)
        try:
            decision = routing.route_lead(session, region, facts, employer, today)
        except routing.RoutingError:
            return Preview(None, employer, _("Er is niemand actief die aanvragen kan krijgen."))
    return Preview(decision, employer)


# --- people -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    roles: list[str]
    service_point_id: int | None
    municipality_ids: list[int]
    name: str = ""
    email: str = ""


def all_users(session: Session, region: Region) -> list[User]:
    """Everyone in the region: active people first, then by name."""
    return list(
        session.scalars(
            select(User)
            .filter_by(region_id=region.id)
            .order_by(User.active.desc(), User.name, User.id)
            .options(selectinload(User.service_point), selectinload(User.municipalities))
        )
    )


def find_user(session: Session, region: Region, user_id: int) -> User | None:
    return session.scalar(select(User).filter_by(region_id=region.id, id=user_id))


def municipalities(session: Session, region: Region) -> list[Municipality]:
    return list(session.scalars(select(Municipality).filter_by(region_id=region.id).order_by(Municipality.name)))


def service_points(session: Session, region: Region) -> list[ServicePoint]:
    return list(session.scalars(select(ServicePoint).filter_by(region_id=region.id).order_by(ServicePoint.name)))


def _check_person(session: Session, region: Region, data: PersonInput) -> tuple[ServicePoint | None, list]:
    problems: list[tuple[str | None, str]] = []
    if not data.roles or set(data.roles) - set(ROLES):
        problems.append(("roles", _("Kies minstens één rol.")))
    point = None
    if data.service_point_id is not None:
        point = session.scalar(select(ServicePoint).filter_by(region_id=region.id, id=data.service_point_id))
        if point is None:
            problems.append(("service_point", _("Kies een servicepunt uit de lijst.")))
    elif "account_manager" in data.roles:
        problems.append(("service_point", _("Kies het servicepunt van deze accountmanager.")))
    municipalities = []
    if data.municipality_ids:
        municipalities = list(
            session.scalars(
                select(Municipality).where(
                    Municipality.region_id == region.id, Municipality.id.in_(data.municipality_ids)
                )
            )
        )
        if "editor" not in data.roles:
            problems.append(("municipalities", _("Gemeenten kiest u alleen voor een redacteur.")))
        elif len(municipalities) != len(set(data.municipality_ids)):
            problems.append(("municipalities", _("Kies gemeenten uit de lijst.")))
    if problems:
        raise AdminRefused(problems)
    return point, sorted(municipalities, key=lambda m: m.name)


def _person_snapshot(user: User) -> dict:
    return {
        "roles": sorted(user.roles or []),
        "service_point": user.service_point.slug if user.service_point else None,
        "municipalities": sorted(m.slug for m in user.municipalities),
    }


def invite_user(session: Session, region: Region, actor: User, data: PersonInput, now: dt.datetime) -> User:
    """A new person without a password; the caller sends the invitation link (auth_views.send_password_link)."""
    email = data.email.strip().lower()
    problems: list[tuple[str | None, str]] = []
    if not data.name.strip():
        problems.append(("name", _("Vul de naam in.")))
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        problems.append(("email", _("Er is al een account met dit e-mailadres.")))
    try:
        point, municipalities = _check_person(session, region, data)
    except AdminRefused as refused:
        problems += refused.problems
    if problems:
        raise AdminRefused(problems)
    user = User(
        region=region,
        email=email,
        name=data.name.strip(),
        roles=[role for role in ROLES if role in data.roles],
        service_point=point,
        municipalities=municipalities,
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


def update_user(session: Session, region: Region, user: User, actor: User, data: PersonInput, now: dt.datetime) -> bool:
    """Change roles, service point and municipalities. False when nothing changed.

    Losing the lead roles (account manager, coordinator) is refused while the person still has work,
    for the same reasons as deactivation; a coordinator cannot take away their own coordinator role.
    Once allowed, routing stops picking the person: as deputy, in pools, and as account holder (routing
    only skips inactive account holders, and this person stays active), so their employers' next lead is
    routed afresh and gets a new account holder.
    """
    point, municipalities = _check_person(session, region, data)
    handles_leads = user.has_role(*LEAD_HANDLER_ROLES)
    will_handle = any(role in data.roles for role in LEAD_HANDLER_ROLES)
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
    user.municipalities = municipalities
    after = _person_snapshot(user)
    if after == before:
        return False
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
