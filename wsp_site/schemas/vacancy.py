"""A vacancy in a region pack (vacancies.yaml beside region.yaml, services.vacancies.demo): an invented employer
and the work it reports, checked like the intake form's answers (codes from the vocabulary and the occupation
list, a workplace among the region's municipalities)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ValidationInfo, field_validator, model_validator

from wsp_site.schemas.base import (
    Email,
    InputModel,
    RequiredNumber,
    RequiredText,
    StrictBool,
    Text,
    check_known,
    codes,
    fail,
    one_of,
    register,
)
from wsp_site.vocabulary import (
    CONTRACT_LENGTHS,
    DUTCH_LEVELS,
    EDUCATION_LEVELS,
    SECTORS,
    SIZE_BANDS,
    WORK_FORMS,
)

DEMO_STATUSES = ("new", "open")


def _occupations() -> set[str]:
    from wsp_site.services.pool import occupations

    return set(occupations.all_occupations())


class PackVacancyIn(InputModel):
    key: RequiredText  # fixed: the lead's submission key, so loading twice changes nothing
    company: RequiredText
    contact_name: RequiredText
    email: Email = None
    phone: Text = None
    sector: Annotated[RequiredText, one_of(SECTORS)]
    size_band: Annotated[RequiredText, one_of(SIZE_BANDS)]
    municipality: RequiredText  # where the employer is, and its workplace
    title: RequiredText
    occupation: RequiredText
    places: RequiredNumber = 1
    work_forms: Annotated[list[str], codes(WORK_FORMS)]
    hours_min: RequiredNumber
    hours_max: RequiredNumber
    starts_in_weeks: int | None = None  # from the day it is loaded
    contract_length: Annotated[RequiredText, one_of(CONTRACT_LENGTHS)] = "weet_niet"
    education_min: Annotated[Text, one_of(EDUCATION_LEVELS)] = None
    licence_required: StrictBool = False
    dutch_min: Annotated[Text, one_of(DUTCH_LEVELS)] = None
    wishes: Text = None
    carving_tasks: Text = None
    support_coach: StrictBool = False
    support_adaptations: StrictBool = False
    support_notes: Text = None
    public: StrictBool = False
    status: Annotated[RequiredText, one_of(DEMO_STATUSES)] = "open"

    @field_validator("key")
    @classmethod
    def _key(cls, value: str, info: ValidationInfo) -> str:
        register(info, "keys", value, value, "key {value!r} is used twice")
        return value

    @field_validator("municipality")
    @classmethod
    def _municipality(cls, value: str, info: ValidationInfo) -> str:
        check_known(info, "municipalities", value, "municipality", "unknown municipality {value!r}")
        return value

    @field_validator("occupation", mode="before")
    @classmethod
    def _occupation(cls, value, info: ValidationInfo):
        value = str(value).strip() if value is not None else value
        if value not in _occupations():
            raise fail("occupation", "occupation {value!r} is not in the occupation list", value=value)
        return value

    @field_validator("email")
    @classmethod
    def _example(cls, value: str | None) -> str | None:
        if value and not value.endswith("example.nl"):
            raise fail("example", "a demo e-mail address ends in example.nl, got {value!r}", value=value)
        return value

    @model_validator(mode="after")
    def _hours(self):
        if not self.work_forms:
            raise fail("work_forms", "name at least one work form")
        if not 1 <= self.hours_min <= self.hours_max <= 40:
            raise fail("hours", "hours must be 1 <= hours_min <= hours_max <= 40")
        return self
