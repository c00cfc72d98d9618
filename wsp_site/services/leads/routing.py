"""Routing a lead: one employer, one face.

In order: the employer's account holder; else the first matching routing rule (a person, or a pool served
by lowest open workload); else the region's default key account. Then absence: an absent person's deputy
takes the lead. Exactly one owner comes out, always, with the reason in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from wsp_site.models import Employer, Lead, Region, RoutingRule, User
from wsp_site.vocabulary import LEAD_HANDLER_ROLES

PUBLIC_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.nl",
        "outlook.com",
        "outlook.nl",
        "live.com",
        "live.nl",
        "msn.com",
        "yahoo.com",
        "yahoo.nl",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "proton.me",
        "protonmail.com",
        "ziggo.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "planet.nl",
        "home.nl",
        "hetnet.nl",
        "xs4all.nl",
        "upcmail.nl",
        "chello.nl",
        "casema.nl",
        "quicknet.nl",
        "online.nl",
        "tele2.nl",
        "telfort.nl",
        "caiway.nl",
        "zeelandnet.nl",
        "solcon.nl",
    ]
)
MAX_DEPUTY_HOPS = 5


def handles_leads(user: User | None) -> bool:
    return user is not None and user.handles_leads


class RoutingError(RuntimeError):
    """The region has nobody who can receive a lead: a configuration error, not an employer's problem."""


@dataclass(frozen=True)
class LeadFacts:
    """What routing may look at."""

    request_type: str
    sector: str | None = None
    size_band: str | None = None
    municipality: str | None = None  # slug of the employer's location, None when outside the region
    instruments: tuple[str, ...] = ()
    kvk: str | None = None
    email: str | None = None

    def as_conditions(self) -> dict[str, list[str]]:
        return {
            "request_type": [self.request_type],
            "sector": [self.sector] if self.sector else [],
            "size_band": [self.size_band] if self.size_band else [],
            "municipality": [self.municipality] if self.municipality else [],
            "instrument": list(self.instruments),
        }


@dataclass
class RoutingDecision:
    owner: User
    reason: str
    rule: RoutingRule | None = None
    chosen: User | None = None  # the person routing chose, before absence moved it to a deputy
    steps: list[str] = field(default_factory=list)


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def company_domain(email: str | None) -> str | None:
    """The e-mail domain when it identifies a company (not gmail.com and the like)."""
    domain = email_domain(email)
    return None if domain is None or domain in PUBLIC_MAIL_DOMAINS else domain


def lock_employer_keys(session: Session, region: Region, facts: LeadFacts) -> None:
    """Serialise concurrent submissions for the same employer (PostgreSQL; SQLite serialises writers)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted(k for k in (facts.kvk and f"kvk:{facts.kvk}", company_domain(facts.email)) if k)
    for key in keys:
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"{region.id}:{key}"})


def find_employer(session: Session, region: Region, kvk: str | None, email: str | None) -> Employer | None:
    """The known employer: same KvK number, else the same company e-mail domain."""
    if kvk:
        employer = session.scalar(select(Employer).filter_by(region_id=region.id, kvk=kvk).limit(1))
        if employer is not None:
            return employer
    domain = company_domain(email)
    if domain:
        return session.scalar(
            select(Employer).filter_by(region_id=region.id, email_domain=domain).order_by(Employer.id).limit(1)
        )
    return None


def open_workload(session: Session, user_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Lead.owner_id, func.count())
        .where(Lead.owner_id.in_(user_ids), Lead.status != "closed")
        .group_by(Lead.owner_id)
    ).all()
    counts = {uid: 0 for uid in user_ids}
    counts.update(dict(rows))
    return counts


def _pick_from_pool(session: Session, pool: list[User], rule_id: int | None = None) -> User | None:
    active = [u for u in pool if handles_leads(u)]  # not someone who lost the role since the rule was made
    if not active:
        return None
    if rule_id is not None and session.get_bind().dialect.name == "postgresql":
        # Two new employers at the same moment would both read the same workload and land with the same
        # person: read it one at a time per rule (until commit). SQLite serialises the writers anyway.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"pool:{rule_id}"})
    load = open_workload(session, [u.id for u in active])
    # Lowest open workload first; ties go to the lowest id, so the choice is deterministic.
    return min(active, key=lambda u: (load[u.id], u.id))


def _first_rule(session: Session, region: Region, facts: LeadFacts) -> tuple[RoutingRule, User] | None:
    rules = session.scalars(
        select(RoutingRule).filter_by(region_id=region.id, enabled=True).order_by(RoutingRule.position, RoutingRule.id)
    ).all()
    conditions = facts.as_conditions()
    for rule in rules:
        if rule.matches(conditions):
            person = _pick_from_pool(session, list(rule.pool), rule.id)
            if person is not None:
                return rule, person
    return None


def _fallback(session: Session, region: Region) -> User:
    default = region.default_key_account
    if handles_leads(default):
        return default
    candidates = session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.id)).all()
    for wanted in LEAD_HANDLER_ROLES:
        for user in candidates:
            if user.has_role(wanted):
                return user
    raise RoutingError(f"Region {region.slug} has no active person to receive leads")


def _follow_deputies(person: User, today: dt.date, seen: set[int], steps: list[str]) -> User:
    """From `person`, follow deputies past absent people; the last one reached (absent when the chain ran out).
    Never loops: nobody is visited twice."""
    current = person
    for _ in range(MAX_DEPUTY_HOPS):
        if not current.is_absent(today):
            return current
        deputy = current.deputy
        if not handles_leads(deputy) or deputy.id in seen:
            break
        steps.append(f"{current.name} is afwezig tot en met {current.absent_until:%d-%m-%Y}; vervanger {deputy.name}")
        seen.add(deputy.id)
        current = deputy
    return current


def _available(person: User, today: dt.date, region: Region, session: Session) -> tuple[User, list[str]]:
    """The person, or who stands in: their deputies, then the default key account and its deputies, then any
    coordinator or account manager who is there. Nobody there at all: the last one reached keeps the lead
    (never nobody, never two)."""
    steps: list[str] = []
    seen = {person.id}
    current = _follow_deputies(person, today, seen, steps)
    if not current.is_absent(today):
        return current, steps
    fallback = _fallback(session, region)
    if fallback.id not in seen:
        seen.add(fallback.id)
        chain: list[str] = []
        reached = _follow_deputies(fallback, today, seen, chain)
        if not reached.is_absent(today):
            steps.append(
                f"{current.name} is afwezig zonder beschikbare vervanger; standaard accounthouder {fallback.name}"
            )
            return reached, steps + chain
    staff = session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.id)).all()
    for wanted in LEAD_HANDLER_ROLES:
        for user in staff:
            if user.id not in seen and user.has_role(wanted) and not user.is_absent(today):
                steps.append(
                    f"{current.name} is afwezig en de vervangers en de standaard accounthouder ook; "
                    f"{user.name} is er wel"
                )
                return user, steps
    steps.append(f"niemand beschikbaar; {current.name} houdt de aanvraag (afwezig)")
    return current, steps


def route_lead(
    session: Session, region: Region, facts: LeadFacts, employer: Employer | None, today: dt.date
) -> RoutingDecision:
    rule = None
    holder = employer.account_holder if employer is not None else None
    if handles_leads(holder):
        chosen = holder
        key = f"KvK {employer.kvk}" if employer.kvk else f"domein {employer.email_domain}"
        reason = f"Bekende werkgever ({key}): vaste accounthouder {holder.name}."
    else:
        prefix = ""
        if holder is not None:
            gone = "is niet meer actief" if not holder.active else "behandelt geen aanvragen meer"
            prefix = f"Accounthouder {holder.name} {gone}. "
        found = _first_rule(session, region, facts)
        if found is not None:
            rule, chosen = found
            how = "pool, laagste werkvoorraad" if len(rule.pool) > 1 else "vaste persoon"
            reason = f"{prefix}Routeringsregel ‘{rule.name}’ ({how}): {chosen.name}."
        else:
            chosen = _fallback(session, region)
            reason = f"{prefix}Geen bekende werkgever en geen passende regel: standaard accounthouder {chosen.name}."
    owner, steps = _available(chosen, today, region, session)
    if steps:
        joined = "; ".join(steps)
        reason += " " + joined[:1].upper() + joined[1:] + "."
    return RoutingDecision(owner=owner, reason=reason, rule=rule, chosen=chosen, steps=steps)
