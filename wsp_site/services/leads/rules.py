"""What coordinators change about routing: the ordered rules, the default key account, and the preview.

What a valid rule is, is defined once in schemas.routing (the same rules as for a region pack's routing); its
problems are put in Dutch on the fields of the rule form. Every change is audited (people.audit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Employer, Instrument, Region, RoutingRule, User
from wsp_site.schemas.base import name_key
from wsp_site.schemas.errors import Problem, field_problems
from wsp_site.schemas.routing import RoutingIn, RoutingRuleIn
from wsp_site.services import catalogue
from wsp_site.services.leads import routing
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.people.audit import AdminRefused, check_version, raise_version, record
from wsp_site.vocabulary import (
    CONDITION_KEYS,
    CONDITION_LABELS,
    REQUEST_TYPE_LABELS,
    REQUEST_TYPES,
    SECTOR_LABELS,
    SECTORS,
    SIZE_BAND_LABELS,
    SIZE_BANDS,
)


def lead_handlers(session: Session, region: Region) -> list[User]:
    """The people who may receive leads: active account managers and coordinators."""
    return lead_workflow.staff(session, region.id)


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
        "municipality": [(m.slug, m.name) for m in catalogue.municipalities(region)],
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


def _rule_messages() -> dict:
    """The Dutch message per field of the rule form (and error code, where one field has several)."""
    return {
        ("name", "required"): _("Geef de regel een naam."),
        ("name", "too_long"): _("Gebruik hoogstens 200 tekens."),
        ("name", "duplicate"): _("Er is al een regel met deze naam. Kies een andere naam."),
        ("pool", "empty_pool"): _("Kies minstens één persoon die de aanvragen krijgt."),
        ("pool", "target_or_pool"): _("Kies minstens één persoon die de aanvragen krijgt."),
        "pool": _("Kies alleen actieve accountmanagers of coördinatoren."),
        **{key: _("Kies uit de lijst.") for key in CONDITION_KEYS},
    }


def _rule_field(problem: Problem) -> str | None:
    """schemas.routing's location -> the field of the rule form (a condition: its key; the pool's people)."""
    head = str(problem.loc[0]) if problem.loc else None
    if head == "conditions":
        return problem.ctx.get("key") if problem.ctx.get("key") in CONDITION_KEYS else None
    return "pool" if head == "target" else head


def _check_rule(session: Session, region: Region, data: RuleInput, rule: RoutingRule | None) -> list[User]:
    """The pool as people, or AdminRefused with every problem at once (schemas.routing.RoutingRuleIn)."""
    handlers = {u.id: u for u in lead_handlers(session, region)}
    others = session.scalars(
        select(RoutingRule.name).where(
            RoutingRule.region_id == region.id, RoutingRule.id != (rule.id if rule is not None else -1)
        )
    )
    context = {
        "rule_names": {name_key(other): other for other in others},
        "lead_handlers": {str(user_id) for user_id in handlers},
        "municipalities": {m.slug for m in catalogue.municipalities(region)},
        "instruments": set(session.scalars(select(Instrument.slug).filter_by(region_id=region.id))),
        "kept_conditions": (rule.conditions or {}) if rule is not None else {},
    }
    values = {"name": data.name, "conditions": data.conditions, "pool": [str(user_id) for user_id in data.pool_ids]}
    try:
        checked = RoutingRuleIn.model_validate(values, context=context)
    except ValidationError as exc:
        raise AdminRefused(field_problems(exc, _rule_messages(), _rule_field)) from None
    return sorted((handlers[int(key)] for key in set(checked.targets)), key=lambda u: u.id)


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
    session: Session,
    region: Region,
    rule: RoutingRule,
    actor: User,
    data: RuleInput,
    now: dt.datetime,
    seen_version: int | None = None,
) -> bool:
    """Change a rule's name, conditions and pool. False when nothing changed (no audit line then).

    `seen_version`: the rule's version when the form was opened; ChangedMeanwhile if someone saved since."""
    check_version(session, rule, seen_version)
    pool = _check_rule(session, region, data, rule)
    before = _rule_snapshot(rule)
    rule.name = data.name.strip()
    rule.conditions = _clean_conditions(data.conditions)
    rule.pool = pool
    after = _rule_snapshot(rule)
    if after == before:
        return False
    raise_version(rule)
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
    handlers = {str(u.id) for u in lead_handlers(session, region)}
    try:
        RoutingIn.model_validate({"default_key_account": str(user.id)}, context={"lead_handlers": handlers})
    except ValidationError:
        raise AdminRefused([("user", _("Kies een actieve accountmanager of coördinator."))]) from None
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
