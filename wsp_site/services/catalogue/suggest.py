"""“Did you mean”: a query word that finds nothing, corrected to a municipality's or an instrument's name.

A word is corrected only when a word of those names is within one typo of it (words of up to 7 letters) or
two (longer words): "lopk" -> Lopik, "jobcoahing" -> Jobcoaching. A typo is a letter inserted, left out or
replaced, or two letters swapped (the optimal string alignment distance; difflib's alignment is not always the
shortest, so it is counted here: a region has a few hundred name words at most).
"""

from __future__ import annotations

from wsp_site.services.catalogue.terms import fold, words

MIN_LENGTH = 4  # shorter words ("de", "uwv") are too easily one typo away from something else


def typos(a: str, b: str) -> int:
    """The fewest letters inserted, left out, replaced or swapped (neighbours) to get from `a` to `b`."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def allowed_typos(word: str) -> int:
    return 1 if len(word) <= 7 else 2


def name_words(names: list[str]) -> dict[str, str]:
    """The words of the names, folded -> as written ("lopik" -> "Lopik")."""
    found: dict[str, str] = {}
    for name in names:
        for word in words(name):
            if len(word) >= MIN_LENGTH:
                found.setdefault(fold(word), word)
    return found


def correct(word: str, vocabulary: dict[str, str]) -> str | None:
    """The name word closest to `word` within its allowed typos, as written; None when there is none."""
    folded = fold(word)
    if len(folded) < MIN_LENGTH or folded in vocabulary:
        return None
    limit = allowed_typos(folded)
    close = sorted((typos(folded, c), c) for c in vocabulary if abs(len(c) - len(folded)) <= limit)
    return vocabulary[close[0][1]] if close and close[0][0] <= limit else None


def suggestion(tokens: list[str], unknown: set[str], names: list[str]) -> str | None:
    """The query with each unknown word corrected, or None when no word could be corrected."""
    vocabulary = name_words(names)
    corrected, changed = [], False
    for token in tokens:
        better = correct(token, vocabulary) if token in unknown else None
        corrected.append(better or token)
        changed = changed or better is not None
    return " ".join(corrected) if changed else None
