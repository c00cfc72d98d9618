"""The instrument finder (wegwijzer): which instruments apply to this candidate, and who provides them.

Who pays for what: for a candidate on bijstand or without benefit (NUG) the municipality where the
candidate lives provides, through its service point's organisation; for WW, WIA/WGA, Ziektewet and Wajong
UWV provides. A candidate in the doelgroepregister can be either, so both are shown with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from wsp_site.models import Instrument, Municipality, Organisation
from wsp_site.services.catalogue.scope import local_scheme_reason
from wsp_site.services.catalogue.tiers import group_by_tier
from wsp_site.vocabulary import FINDER_SITUATIONS

SITUATIONS = FINDER_SITUATIONS
MUNICIPAL_SITUATIONS = frozenset({"bijstand", "nug"})
UWV_SITUATIONS = frozenset({"ww", "wia", "wajong", "ziektewet"})


@dataclass(frozen=True)
class FinderQuery:
    situation: str = "onbekend"
    municipality: Municipality | None = None
    goals: tuple[str, ...] = ()


@dataclass
class Match:
    instrument: Instrument
    reason: str


@dataclass
class ProviderGroup:
    """The matches of one tier from one provider (services.catalogue.tiers orders them: basic package first)."""

    key: str  # organisation slug, or "gemeente-onbekend" when the municipality is not chosen
    name: str  # follows "Via " in the heading: an organisation's name, or "de gemeente waar ..." in lower case
    organisation: Organisation | None
    kind: str = "basispakket"  # the tier: basispakket | uwv | lokaal
    matches: list[Match] = field(default_factory=list)


@dataclass
class FinderResult:
    query: FinderQuery
    groups: list[ProviderGroup]
    notes: list[str]

    @property
    def count(self) -> int:
        return sum(len(g.matches) for g in self.groups)

    def slugs(self) -> set[str]:
        return {m.instrument.slug for g in self.groups for m in g.matches}


def _situation_groups(situation: str) -> tuple[set[str], bool, bool]:
    """The target groups that count, and whether municipal and UWV instruments are in play."""
    if situation in MUNICIPAL_SITUATIONS:
        return {situation}, True, False
    if situation in UWV_SITUATIONS:
        return {situation}, False, True
    if situation == "doelgroepregister":
        return {"doelgroepregister"}, True, True
    return set(), True, True  # not known: everything that could apply


def _goal_ok(instrument: Instrument, goals: tuple[str, ...]) -> bool:
    return not goals or bool(set(goals) & set(instrument.employer_goals or []))


def find_instruments(instruments: list[Instrument], query: FinderQuery, lang: str = "nl") -> FinderResult:
    groups_wanted, municipal, uwv = _situation_groups(query.situation)
    muni = query.municipality
    notes: list[str] = []
    matches: list[Match] = []

    def add(instrument: Instrument, reason: str) -> None:
        matches.append(Match(instrument=instrument, reason=reason))

    def targets(instrument: Instrument) -> bool:
        return not groups_wanted or bool(groups_wanted & set(instrument.target_groups or []))

    for instrument in instruments:
        if not instrument.is_published or not _goal_ok(instrument, query.goals) or not targets(instrument):
            continue
        if instrument.kind == "basispakket" and municipal:
            if muni is not None:
                org = muni.basic_package_provider
                reason = _(
                    "Regionaal basispakket: %(org)s regelt dit voor inwoners van %(municipality)s.",
                    org=org.name,
                    municipality=muni.name,
                )
                add(instrument, reason)
            else:
                add(instrument, _("Regionaal basispakket: de gemeente waar uw kandidaat woont regelt dit."))
        elif instrument.kind == "lokaal" and municipal and muni is not None and instrument.applies_to(muni):
            add(instrument, local_scheme_reason(instrument))
        elif instrument.kind == "uwv" and uwv:
            if query.situation in UWV_SITUATIONS:
                reason = _("UWV regelt dit voor kandidaten met een %(benefit)s.", benefit=_benefit(query.situation))
            elif query.situation == "doelgroepregister":
                reason = _("UWV regelt dit voor mensen in het doelgroepregister.")
            else:
                reason = _("Via UWV, als uw kandidaat een uitkering van UWV heeft (WW, WIA, Ziektewet of Wajong).")
            add(instrument, reason)

    if municipal and muni is None:
        notes.append(_("Kies de woonplaats van uw kandidaat: dan ziet u ook de regelingen van die gemeente."))
    if query.situation == "doelgroepregister":
        notes.append(
            _(
                "Heeft uw kandidaat een Wajong-uitkering? Dan regelt UWV de ondersteuning. "
                "Anders doet de gemeente waar uw kandidaat woont dat."
            )
        )
    if query.situation == "onbekend":
        notes.append(
            _(
                "Welke regeling past, hangt af van de uitkering van uw kandidaat. "
                "Bijstand of geen uitkering: de woongemeente. WW, WIA of Wajong: UWV."
            )
        )
    groups = [
        ProviderGroup(
            key=tier.key,
            name=tier.organisation.name if tier.organisation else _("de gemeente waar uw kandidaat woont"),
            organisation=tier.organisation,
            kind=tier.kind,
            matches=tier.items,
        )
        for tier in group_by_tier(matches, muni, lang, instrument_of=lambda m: m.instrument)
    ]
    return FinderResult(query=query, groups=groups, notes=notes)


def _benefit(situation: str) -> str:
    return {
        "ww": _("WW-uitkering"),
        "wia": _("WIA- of WGA-uitkering"),
        "wajong": _("Wajong-uitkering"),
        "ziektewet": _("Ziektewet-uitkering"),
    }[situation]
