"""Instruments grouped by tier and provider: the basic package first, then UWV, then the municipality's own.

One ordering for every list that mixes the tiers: the finder's results and the contact form's instrument
choice. A tier is an instrument's kind (vocabulary.INSTRUMENT_KINDS, in that order); within a tier the groups
follow the provider's name, and within a group the instruments their title (A-Z). Who provides the basic
package depends on where the candidate lives (Municipality.basic_package_provider): without a municipality its
provider is not known (None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from wsp_site.models import Instrument, Municipality, Organisation
from wsp_site.vocabulary import INSTRUMENT_KINDS

T = TypeVar("T")
UNKNOWN_PROVIDER = "gemeente-onbekend"  # the key of the basic package when the municipality is not known


@dataclass
class TierGroup(Generic[T]):
    kind: str  # basispakket | uwv | lokaal
    organisation: Organisation | None  # None: not grouped by provider, or the basic package without a municipality
    items: list[T] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The provider's slug (UNKNOWN_PROVIDER for the basic package without a municipality)."""
        if self.organisation is not None:
            return self.organisation.slug
        return UNKNOWN_PROVIDER if self.kind == "basispakket" else self.kind


def provider_of(instrument: Instrument, municipality: Municipality | None) -> Organisation | None:
    """Who provides this instrument for a resident of `municipality` (the basic package: that municipality's
    provider; UWV and local schemes: their own provider)."""
    if instrument.kind == "basispakket":
        return municipality.basic_package_provider if municipality is not None else None
    return instrument.provider


def group_by_tier(
    items: Iterable[T],
    municipality: Municipality | None = None,
    lang: str = "nl",
    *,
    instrument_of: Callable[[T], Instrument] = lambda item: item,  # type: ignore[assignment,return-value]
    by_provider: bool = True,
) -> list[TierGroup[T]]:
    """The items in groups: tier first (basic package, UWV, local), then provider (when `by_provider`)."""
    groups: dict[tuple, TierGroup[T]] = {}
    for item in items:
        instrument = instrument_of(item)
        org = provider_of(instrument, municipality) if by_provider else None
        key = (INSTRUMENT_KINDS.index(instrument.kind), org.name.lower() if org else "", org.slug if org else "")
        groups.setdefault(key, TierGroup(kind=instrument.kind, organisation=org)).items.append(item)
    ordered = [groups[key] for key in sorted(groups)]
    for group in ordered:
        group.items.sort(key=lambda item: instrument_of(item).title(lang).lower())
    return ordered
