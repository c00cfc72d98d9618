"""What a valid instrument is: one definition for pack files, the content import and the content editor.

`InstrumentIn` has the shape of an instrument file (docs/region-pack.md); the editor's snapshots are mapped
onto it (content.validation). The context may hold "organisations" (the slugs a provider may be) and
"municipalities" (the slugs a local instrument may name); without them the references are not checked.
`kind_problems` is the part the database row must keep too (models.Instrument.validate, on every flush).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo, create_model, field_validator

from wsp_site.schemas.base import (
    Date,
    EntryList,
    InputModel,
    OptionalDate,
    RequiredText,
    Slug,
    StrictBool,
    Text,
    check_known,
    codes,
    fail,
    max_length,
    one_of,
)
from wsp_site.vocabulary import EMPLOYER_GOALS, INSTRUMENT_KINDS, STATUSES, TARGET_GROUPS, TEXT_FIELDS

LANGS = ("nl", "en")
TEXT_KEYS = ("title", "summary", *TEXT_FIELDS)
MAX_LENGTHS = {"slug": 120, "external_url": 500, "title": 200, "text": 20_000, "source": 300}
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _url(value: str | None, info: ValidationInfo) -> str | None:
    if value and not URL_RE.match(value):
        raise fail("url", "'{key}' has an invalid value {value!r}", key=info.field_name, value=value)
    return value or None


# The kind_problems codes of something missing (a provider, a municipality), as opposed to one too many.
MISSING = ("required", "no_municipality")


def kind_problems(
    kind: str | None, has_provider: bool | None = None, has_municipalities: bool | None = None
) -> list[tuple[str, str, str]]:
    """(field, code, message) for what the kind demands of the provider and the municipalities (None: not
    asked). An unknown kind demands nothing here: it is wrong on its own."""
    out = []
    if kind not in INSTRUMENT_KINDS:
        return out
    if has_provider is not None:
        if kind == "basispakket" and has_provider:
            message = "the basic package has no 'provider': the candidate's service point provides it"
            out.append(("provider", "basic_provider", message))
        if kind != "basispakket" and not has_provider:
            out.append(("provider", "required", "missing required key 'provider'"))
    if has_municipalities is not None:
        if kind == "lokaal" and not has_municipalities:
            out.append(("municipalities", "no_municipality", "a local instrument must name at least one municipality"))
        if kind != "lokaal" and has_municipalities:
            out.append(("municipalities", "not_local", "only local instruments name municipalities"))
    return out


def _raise_first(found: list[tuple[str, str, str]]) -> None:
    for _field, code, message in found:
        raise fail(code, message)


class TextsIn(InputModel):
    """The texts of an instrument in one language (Markdown, trimmed), one field per key of TEXT_KEYS."""

    def values(self) -> dict[str, str]:
        return {key: getattr(self, key) or "" for key in TEXT_KEYS}


def _texts_model(name: str, doc: str, required: Collection[str]) -> type[TextsIn]:
    fields: dict[str, Any] = {}
    for key in TEXT_KEYS:
        limit = MAX_LENGTHS["title" if key == "title" else "text"]
        fields[key] = (Annotated[RequiredText if key in required else Text, max_length(limit)], None)
    return create_model(name, __base__=TextsIn, __doc__=doc, __module__=__name__, **fields)


DutchTextIn = _texts_model("DutchTextIn", "Dutch is the source language: every text is required.", TEXT_KEYS)
EnglishTextIn = _texts_model(
    "EnglishTextIn", "A translation: the title is required, a missing text falls back to Dutch.", ("title",)
)


class SourceIn(InputModel):
    """What an instrument is based on: the regulation or the provider's official page, and what it supports."""

    title: Annotated[RequiredText, max_length(MAX_LENGTHS["source"])] = None
    url: Annotated[RequiredText, max_length(MAX_LENGTHS["external_url"]), AfterValidator(_url)] = None
    supports: Annotated[RequiredText, max_length(MAX_LENGTHS["source"])] = None


# A figure a reader acts on: an amount in euros, or a period in days, weeks or months ("6 maanden", "8 weeks").
AMOUNT_RE = re.compile(r"€\s?\d[\d.,]*")
PERIOD_RE = re.compile(r"\b\d+(?:[.,]\d+)?\s+(?:dagen|dag|weken|week|maanden|maand|days?|weeks?|months?)\b", re.I)


def stated_figure(texts: dict[str, dict[str, str]]) -> tuple[str, str] | None:
    """The first ('nl.employer_gets', '€ 2.500') an instrument's texts state, or None."""
    for lang, values in texts.items():
        for key, value in values.items():
            found = AMOUNT_RE.search(value or "") or PERIOD_RE.search(value or "")
            if found:
                return f"{lang}.{key}", found.group(0)
    return None


class InstrumentIn(InputModel):
    slug: Annotated[Slug, max_length(MAX_LENGTHS["slug"])] = None
    kind: Annotated[RequiredText, one_of(INSTRUMENT_KINDS)] = None
    status: Annotated[RequiredText, one_of(STATUSES)] = "published"
    provider: Text = None
    municipalities: Annotated[list[str], codes(None)] = []
    target_groups: Annotated[list[str], codes(TARGET_GROUPS)] = []
    employer_goals: Annotated[list[str], codes(EMPLOYER_GOALS)] = []
    external_url: Annotated[Text, max_length(MAX_LENGTHS["external_url"]), AfterValidator(_url)] = None
    last_reviewed: Date = None
    sources: Annotated[list[SourceIn], EntryList] = []
    example: StrictBool = False
    valid_from: OptionalDate = None  # the first day it applies (none: since always)
    valid_until: OptionalDate = None  # the last day it applies (none: until further notice)
    nl: DutchTextIn | None = None
    en: EnglishTextIn | None = None

    @field_validator("provider")
    @classmethod
    def _provider(cls, value: str | None, info: ValidationInfo) -> str | None:
        _raise_first(kind_problems(info.data.get("kind"), has_provider=bool(value)))
        if value is not None:
            check_known(info, "organisations", value, "unknown_provider", "unknown provider organisation '{value}'")
        return value

    @field_validator("municipalities")
    @classmethod
    def _municipalities(cls, value: list[str], info: ValidationInfo) -> list[str]:
        _raise_first(kind_problems(info.data.get("kind"), has_municipalities=bool(value)))
        for slug in value:
            check_known(info, "municipalities", slug, "unknown_municipality", "unknown municipality '{value}'")
        return sorted(value)

    @field_validator("valid_until")
    @classmethod
    def _validity(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise fail(
                "before_start", "'valid_until' ({value}) is before 'valid_from' ({start})", value=value, start=start
            )
        return value

    @field_validator("nl")
    @classmethod
    def _dutch(cls, value: TextsIn | None) -> TextsIn:
        if value is None:
            raise fail("required", "missing required key 'nl'", key="nl")
        return value

    def texts(self) -> dict[str, dict[str, str]]:
        """{language: {text key: text}} for the languages given."""
        return {lang: text.values() for lang in LANGS if (text := getattr(self, lang)) is not None}
