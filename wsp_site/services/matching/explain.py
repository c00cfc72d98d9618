"""The matching rules described for the public (/algoritme), from the configuration the rules run on
(rules.KNOCK_OUTS, rules.WEIGHTS, rules.OCCUPATION_LEVELS, the availability steps): change a weight and the page
says so. Texts are translatable; numbers come from the configuration only."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from wsp_site.services.matching import rules


@dataclass(frozen=True)
class ScorePart:
    rule: str
    name: str
    points: int
    explanation: str
    levels: list[tuple[str, int]]  # (level in words, points), best first; empty when the part has no levels


def knock_outs() -> list[tuple[str, str]]:
    """(rule, what it checks), in the order the rules run."""
    words = {
        "work_form": _(
            "Vorm van werk: de werkgever en de kandidaat willen allebei ten minste één dezelfde vorm, bijvoorbeeld "
            "een reguliere baan of een proefplaatsing."
        ),
        "hours": _("Uren: het aantal uren per week van de kandidaat en dat van de vacature overlappen."),
        "reach": _(
            "Reisafstand: de werkplek ligt binnen de afstand die de kandidaat wil reizen, hemelsbreed gemeten tussen "
            "het centrum van de woongemeente en dat van de gemeente van de werkplek. Is een van beide onbekend, dan "
            "valt niemand af en staat erbij dat de reistijd gecontroleerd moet worden."
        ),
        "education": _("Opleiding: als de vacature een minimale opleiding vraagt, heeft de kandidaat die ten minste."),
        "licence": _("Rijbewijs: als de vacature een rijbewijs B vraagt, heeft de kandidaat dat."),
        "dutch": _(
            "Nederlands: als de vacature een minimaal niveau vraagt, spreekt de kandidaat ten minste dat niveau."
        ),
    }
    return [(rule, words[rule]) for rule in rules.KNOCK_OUTS]


def _points(part: str, share: float = 1.0) -> int:
    return round(rules.WEIGHTS[part] * share)


def score_parts() -> list[ScorePart]:
    level_words = {
        "unit_group": _("hetzelfde beroep (ISCO-08 beroepsklasse, 4 cijfers) als het eerste gewenste beroep"),
        "minor_group": _("een verwant beroep (dezelfde beroepsgroep, 3 cijfers)"),
        "sub_major_group": _("een beroep in hetzelfde vakgebied (2 cijfers)"),
        "other_wish": _("een ander gewenst beroep van de kandidaat in hetzelfde vakgebied"),
    }
    step, share = rules.AVAILABILITY_STEP_DAYS, rules.AVAILABILITY_STEP_SHARE
    parts = {
        "occupation": ScorePart(
            "occupation",
            _("Beroep"),
            _points("occupation"),
            _(
                "Hoe dicht het beroep van de vacature bij het beroep ligt dat de kandidaat zoekt; een ander beroep geeft 0 punten."
            ),
            [(level_words[level], _points("occupation", s)) for level, s in rules.OCCUPATION_LEVELS.items()],
        ),
        "availability": ScorePart(
            "availability",
            _("Beschikbaarheid"),
            _points("availability"),
            _(
                "Alle punten als de kandidaat op de startdatum beschikbaar is (zonder startdatum: vandaag). Per "
                "%(days)d dagen later gaat er %(points)d punten af, tot 0.",
                days=step,
                points=_points("availability", share),
            ),
            [],
        ),
        "hours_fit": ScorePart(
            "hours_fit",
            _("Uren"),
            _points("hours_fit"),
            _(
                "Alle punten als de kandidaat alle uren van de vacature kan werken; anders het deel van de uren dat "
                "overlapt."
            ),
            [],
        ),
    }
    return [parts[name] for name in rules.WEIGHTS]


def total_points() -> int:
    return sum(rules.WEIGHTS.values())
