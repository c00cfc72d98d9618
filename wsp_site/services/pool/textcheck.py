"""The free-text checker: a profile's texts may not identify the candidate.

It looks for e-mail addresses, phone numbers, BSN-like numbers (nine digits passing the 11-proef), dates with a
year (a date of birth), street addresses and postcodes, names introduced as names ("mijn naam is ...",
"mevrouw ...", "Jan de Vries") and the candidate's own name. Any finding blocks publication; the message says
what was found, so the consultant can take it out. It errs on the side of caution: a full date is refused even
when it is not a birthday, since the text never needs one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+|[\w.+-]+\s*(\(at\)|\[at\]| at )\s*[\w-]+\s*(\.|\(dot\)| dot )\s*\w+", re.I
)
# A run of digits, spaces, dots and dashes starting with + or 0 and holding at least 9 digits.
PHONE = re.compile(r"(?<![\w])(\+|00|0)[\d][\d\s().-]{7,16}\d")
DIGIT_RUN = re.compile(r"(?<!\d)(\d[\d .-]{7,12}\d)(?!\d)")
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|may|june|july|august|october|"
    "jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec"
)
DATE = re.compile(
    rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.](\d{{4}}|\d{{2}})\b"
    rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b\d{{1,2}}(st|nd|rd|th|e)?\s+({MONTHS})\.?\s+\d{{4}}\b"
    rf"|\b({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b(geboren|born|geb\.|geboortedatum|date of birth|birthday|verjaardag)\b",
    re.I,
)
STREET_WORDS = (
    r"straat|laan|weg|plein|gracht|kade|dijk|singel|dreef|steeg|pad|hof|park|baan|wal|markt|erf|ring|"
    r"street|st\.|road|rd\.|avenue|ave\.|lane|drive|square"
)
STREET = re.compile(
    rf"\b[A-Z][\w'-]*({STREET_WORDS})\s+\d{{1,4}}\s?[a-zA-Z]?\b"
    rf"|\b\d{{1,4}}\s+[A-Z]\w+\s+(?i:{STREET_WORDS})(?!\w)"
)
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
NAME_INTRO = re.compile(
    r"\b(?i:mijn naam is|ik heet|ik ben|naam:|my name is|i am called|i'm called|call me|noem me|heet)\s+"
    r"([A-Z][a-z]+)",
)
TITLE = re.compile(r"\b(?i:meneer|mevrouw|mevr\.|dhr\.|mr\.?|mrs\.?|ms\.?|miss|juffrouw)\s+([A-Z][a-z]+)")
PARTICLE_NAME = re.compile(r"\b[A-Z][a-z]+\s+(van der|van den|van de|van|de|den|der|ter|ten|el|al)\s+[A-Z][a-z]+")
# Words after "ik ben" that are not names: "Ik ben Nederlands", "I'm Dutch".
NOT_NAMES = {"nederlands", "dutch", "english", "engels", "trots", "blij", "goed", "flexibel", "eerlijk", "bezig"}
# Capitalised words that start a sentence before "de"/"van" without being a first name ("Graag de Nederlandse ...").
SENTENCE_STARTS = {
    "graag",
    "ook",
    "in",
    "op",
    "met",
    "voor",
    "bij",
    "naar",
    "zoek",
    "werk",
    "liefst",
    "vooral",
    "alleen",
    "dan",
    "daarna",
    "eerst",
    "nu",
    "hier",
    "daar",
    "niet",
    "wel",
    "soms",
    "vaak",
    "altijd",
    "thuis",
    "samen",
    "leer",
    "help",
    "maak",
    "doe",
    "sinds",
    "tijdens",
    "na",
    "door",
    "om",
    "als",
    "want",
    "maar",
    "en",
    "of",
    "is",
    "was",
}
PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "el", "al", "da", "di", "le", "la", "du", "von"}


@dataclass(frozen=True)
class Finding:
    kind: str  # email, phone, bsn, date, address, name, own_name
    found: str

    def message(self, field_label: str) -> str:
        messages = {
            "email": _("%(field)s bevat een e-mailadres (%(found)s)."),
            "phone": _("%(field)s bevat een telefoonnummer (%(found)s)."),
            "bsn": _("%(field)s bevat een nummer dat op een burgerservicenummer lijkt (%(found)s)."),
            "date": _("%(field)s bevat een datum of geboortedatum (%(found)s)."),
            "address": _("%(field)s bevat een adres of postcode (%(found)s)."),
            "name": _("%(field)s bevat een naam (%(found)s)."),
            "own_name": _("%(field)s bevat de naam van de kandidaat (%(found)s)."),
        }
        return (
            messages[self.kind] % {"field": field_label, "found": self.found}
            + " "
            + _(
                "Haal het weg: het profiel is anoniem. Het WSP geeft contactgegevens pas door als de kandidaat dat wil."
            )
        )


def elf_proef(digits: str) -> bool:
    """The 11-proef of a burgerservicenummer: 9 digits, weights 9..2 and -1, the sum divisible by 11."""
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


def _name_parts(name: str) -> list[str]:
    return [p for p in re.split(r"[\s,.-]+", name or "") if len(p) >= 2 and p.lower() not in PARTICLES]


def check(text: str, own_name: str = "") -> list[Finding]:
    """Everything in `text` that could identify the candidate; an empty list when it may be published."""
    if not text:
        return []
    found: list[Finding] = []

    def add(kind: str, value: str) -> None:
        value = value.strip()
        if value and all(f.found != value for f in found):
            found.append(Finding(kind, value))

    for match in EMAIL.finditer(text):
        add("email", match.group(0))
    for match in DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if elf_proef(digits):
            add("bsn", match.group(1))
    for match in PHONE.finditer(text):
        if len(re.sub(r"\D", "", match.group(0))) >= 9 and not any(match.group(0).strip() == f.found for f in found):
            add("phone", match.group(0))
    for match in DATE.finditer(text):
        add("date", match.group(0))
    for pattern in (STREET, POSTCODE):
        for match in pattern.finditer(text):
            add("address", match.group(0))
    for pattern in (NAME_INTRO, TITLE):
        for match in pattern.finditer(text):
            if match.group(match.lastindex).lower() not in NOT_NAMES:
                add("name", match.group(0))
    for match in PARTICLE_NAME.finditer(text):
        if match.group(0).split()[0].lower() not in SENTENCE_STARTS:
            add("name", match.group(0))
    for part in _name_parts(own_name):
        match = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.I)
        if match:
            add("own_name", match.group(0))
    return found


def problems(texts: dict[str, tuple[str, str]], own_name: str) -> list[tuple[str, str]]:
    """(field, message) for every finding in `texts` (field -> (label, text))."""
    return [
        (field, finding.message(label)) for field, (label, text) in texts.items() for finding in check(text, own_name)
    ]
