"""Amounts carry their year: every € amount in an instrument text names the year it applies to, and from
1 December every amount of the current year has a figure for the next year beside it (or the text says what is
known of next year's figures).

"Nearby" is the amount's own sentence or list item, or the lead-in of its list ("Bedragen in 2026:"); of
several years there, the nearest. Pure text work: used by the content lint (a pack's YAML) and by the
editors' stale list (the texts in the database).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

AMOUNT_RE = re.compile(r"€\s?\d[\d.,]*\d|€\s?\d")
YEAR_RE = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)")
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[^a-z0-9€])")
NUMBER_RE = re.compile(r"(?<![\w.,])\d[\d.,]*\d|(?<![\w.,])\d(?!\w)")
NEXT_YEAR_FROM = (12, 1)  # month, day: from this day on the next year's figures are due


@dataclass(frozen=True)
class Amount:
    text: str  # "€ 3,05"
    year: int | None  # the year it applies to, None when no year stands nearby


def _blocks(text: str) -> list[tuple[str, bool]]:
    """(block, is a list item): list items with their continuation lines, paragraphs otherwise."""
    blocks: list[tuple[list[str], bool]] = []
    for line in text.splitlines():
        if not line.strip():
            blocks.append(([], False))
        elif LIST_ITEM_RE.match(line):
            blocks.append(([line], True))
        elif blocks and blocks[-1][0] and (blocks[-1][1] and line.startswith((" ", "\t")) or not blocks[-1][1]):
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], False))
    return [(" ".join(s.strip() for s in lines), item) for lines, item in blocks if lines]


def _nearest_year(segment: str, start: int, end: int) -> int | None:
    years = [
        (min(abs(m.start() - end), abs(start - m.end())), int(m.group(0)))
        for m in YEAR_RE.finditer(segment)
        if not (m.start() < end and start < m.end())  # not inside the amount itself
        and not any(a.start() <= m.start() < a.end() for a in AMOUNT_RE.finditer(segment))
    ]
    return min(years)[1] if years else None


def amounts_in(text: str) -> list[Amount]:
    """Every € amount in a (markdown) text, with the year nearby or None."""
    found: list[Amount] = []
    lead_in_year: int | None = None
    for block, item in _blocks(text):
        if not item:
            years = [int(m.group(0)) for m in YEAR_RE.finditer(AMOUNT_RE.sub("", block))]
            lead_in_year = years[-1] if years and block.rstrip().endswith(":") else None
        for sentence in SENTENCE_END_RE.split(block):
            for match in AMOUNT_RE.finditer(sentence):
                year = _nearest_year(sentence, match.start(), match.end())
                if year is None and item:
                    year = lead_in_year
                found.append(Amount(" ".join(match.group(0).split()), year))
    return found


def next_year_due(today: dt.date) -> bool:
    return (today.month, today.day) >= NEXT_YEAR_FROM


def without_year(fields: Iterable[tuple[str, str]]) -> list[tuple[str, Amount]]:
    """(key, amount) for each amount with no year nearby."""
    return [(key, a) for key, text in fields for a in amounts_in(text or "") if a.year is None]


def without_next_year(
    fields: Iterable[tuple[str, str]],
    today: dt.date,
    valid_until: dt.date | None = None,
    *,
    note_answers: bool = True,
) -> list[tuple[str, Amount]]:
    """From 1 December: (key, amount) for each amount of the current year in a text (key) that names no amount
    for the next year. Nothing before 1 December, nor for an instrument that ends this year.

    `note_answers`: a text that says what is known of next year ("De bedragen voor 2027 hebben wij nog niet
    kunnen nagaan") answers the rule, which is enough for the lint (the reader is told); the editors' stale
    list passes False, so it keeps naming those amounts until next year's figure itself is there."""
    if not next_year_due(today) or (valid_until is not None and valid_until.year <= today.year):
        return []
    out = []
    for key, text in fields:
        amounts = amounts_in(text or "")
        if any(a.year == today.year + 1 for a in amounts):
            continue  # next year's figure is there
        if note_answers and names_year(text or "", today.year + 1):
            continue  # the text says what is known of next year
        out += [(key, a) for a in amounts if a.year == today.year]
    return out


def names_year(text: str, year: int) -> bool:
    """The text names `year` outside its amounts ("De bedragen voor 2027 hebben wij nog niet kunnen nagaan"):
    an editor said what is known of that year's figures, which is all a reader can be told until they appear."""
    return any(int(m.group(0)) == year for m in YEAR_RE.finditer(AMOUNT_RE.sub("", text)))


def figures_in(text: str, lang: str) -> set[Decimal]:
    """Every number in a text as a value, read the way its language writes it: Dutch "€ 3.000" and "€ 1,01",
    English "€ 3,000" and "€ 1.01" are the same figures. For comparing a Dutch text with its English."""
    found = set()
    for match in NUMBER_RE.finditer(text or ""):
        digits = match.group(0)
        digits = digits.replace(".", "").replace(",", ".") if lang == "nl" else digits.replace(",", "")
        try:
            found.add(Decimal(digits).normalize())
        except InvalidOperation:  # "1.000.00,5": not a number in either language
            continue
    return found
