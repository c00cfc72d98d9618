"""What a valid region pack is (docs/region-pack.md): region.yaml with the pack's instrument files.

`RegionPackIn` is region.yaml plus an `instruments` list (the files, which region.yaml itself never lists).
The fields are validated in the order they depend on each other, sharing one context (schemas.base): each
organisation, service point, municipality, person, instrument and rule registers itself, so what follows can
name it and a second one with the same key is refused. `new_context` gives that context.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo, field_validator

from wsp_site.schemas.base import (
    Email,
    EntryList,
    InputModel,
    RequiredNumber,
    RequiredText,
    Slug,
    StrictBool,
    Text,
    WholeNumber,
    check_known,
    context_entry,
    fail,
    one_of,
    register,
)
from wsp_site.schemas.instrument import InstrumentIn, stated_figure
from wsp_site.schemas.people import PersonIn
from wsp_site.schemas.routing import RoutingIn
from wsp_site.vocabulary import ORGANISATION_KINDS

CBS_RE = re.compile(r"^GM\d{4}$")
METRIC_RE = re.compile(r"^[a-z_]+$")


def new_context(region_slug: str) -> dict[str, Any]:
    """The registries a pack fills while it is validated (see the module docstring)."""
    names = ("organisations", "service_points", "municipalities", "cbs_codes", "emails", "people", "instruments")
    return {"region_slug": region_slug, "lead_handlers": set(), "rule_names": {}, **{name: {} for name in names}}


def _pattern(regex: re.Pattern):
    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not regex.match(value):
            raise fail("pattern", "'{key}' has an invalid value {value!r}", key=info.field_name, value=value)
        return value

    return AfterValidator(check)


def _registered(registry: str, what: str = "slug"):
    def check(value: str, info: ValidationInfo) -> str:
        register(info, registry, value, value, f"duplicate {what} '{{value}}'")
        return value

    return AfterValidator(check)


def _known(registry: str, what: str, code: str):
    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:  # an optional reference left out (a required one is RequiredText)
            check_known(info, registry, value, code, f"unknown {what} '{{value}}'")
        return value

    return AfterValidator(check)


class OrganisationIn(InputModel):
    slug: Annotated[Slug, _registered("organisations")] = None
    name: RequiredText = None
    kind: Annotated[RequiredText, one_of(ORGANISATION_KINDS)] = None
    website: Text = None


class ServicePointIn(InputModel):
    slug: Annotated[Slug, _registered("service_points")] = None
    name: RequiredText = None
    organisation: Annotated[RequiredText, _known("organisations", "organisation", "unknown_organisation")] = None
    email: Email = None
    phone: Text = None
    uwv: StrictBool = False  # UWV's regional team: serves no municipality


class MunicipalityIn(InputModel):
    slug: Annotated[Slug, _registered("municipalities")] = None
    name: RequiredText = None
    cbs_code: Annotated[RequiredText, _pattern(CBS_RE), _registered("cbs_codes", "cbs_code")] = None
    service_point: Annotated[RequiredText, _known("service_points", "service point", "unknown_service_point")] = None
    # Who provides the basic package here, when it is not the service point's organisation (one integrated WSP
    # over several municipal organisations, as in Amersfoort).
    provider: Annotated[Text, _known("organisations", "organisation", "unknown_organisation")] = None


class TargetIn(InputModel):
    year: RequiredNumber = None
    metric: Annotated[RequiredText, _pattern(METRIC_RE)] = None
    sector: Text = None
    value: RequiredNumber = None


def _registered_instrument(value: InstrumentIn, info: ValidationInfo) -> InstrumentIn:
    register(info, "instruments", value.slug, value.slug, "duplicate slug '{value}'")
    figure = stated_figure(value.texts())
    if figure and not value.sources:  # a figure a reader acts on needs what it is based on (docs/region-pack.md)
        key, text = figure
        raise fail(
            "unsourced",
            "'{key}' states {value!r} but the instrument names no 'sources': add the regulation or official "
            "page it is based on",
            key=key,
            value=text,
        )
    return value


class RegionPackIn(InputModel):
    slug: Slug = None
    name: RequiredText = None
    name_en: Text = None
    email: Email = None
    phone: Text = None
    response_working_days: WholeNumber = None
    organisations: Annotated[list[OrganisationIn], EntryList] = []
    service_points: Annotated[list[ServicePointIn], EntryList] = []
    municipalities: Annotated[list[MunicipalityIn], EntryList] = []
    people: Annotated[list[PersonIn], EntryList] = []
    instruments: Annotated[list[Annotated[InstrumentIn, AfterValidator(_registered_instrument)]], EntryList] = []
    routing: RoutingIn | None = None
    targets: Annotated[list[TargetIn], EntryList] = []

    @field_validator("slug")
    @classmethod
    def _folder(cls, value: str, info: ValidationInfo) -> str:
        folder = context_entry(info, "region_slug")
        if folder is not None and value != folder:
            raise fail("folder", "slug '{value}' does not match the folder name '{folder}'", value=value, folder=folder)
        return value

    @field_validator("response_working_days")
    @classmethod
    def _days(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 20:
            raise fail("days", "'response_working_days' must be a whole number from 1 to 20")
        return value

    @field_validator("service_points", "municipalities")
    @classmethod
    def _at_least_one(cls, value: list, info: ValidationInfo) -> list:
        if not value:
            what = {"service_points": "service point", "municipalities": "municipality"}[info.field_name]
            raise fail("empty", "a region needs at least one {what}", what=what)
        return value

    @field_validator("routing")
    @classmethod
    def _routing(cls, value: RoutingIn | None, info: ValidationInfo) -> RoutingIn | None:
        if value is None and info.data.get("people"):
            raise fail("required", "missing required key 'routing' (people are given)", key="routing")
        return value
