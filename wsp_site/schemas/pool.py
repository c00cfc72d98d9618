"""What a valid candidate profile is: one definition for the back-office form (services.pool.profiles) and the
region pack's candidates.yaml (services.pool.demo).

Context entries (schemas.base): "municipalities" (the keys the residence may name: slugs in a pack, ids as text
in the back office), "consultants" (likewise, the people who may be responsible) and "codes" (profile codes
taken, for a pack: each one registered). The free texts are checked for identifying details by the service
(textcheck), which knows the candidate's name; this model checks form and sizes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ValidationInfo, field_validator, model_validator

from wsp_site.schemas.base import (
    Date,
    InputModel,
    RequiredNumber,
    RequiredText,
    StrictBool,
    Text,
    check_known,
    codes,
    fail,
    max_length,
    one_of,
    register,
)
from wsp_site.vocabulary import (
    AGE_BANDS,
    CANDIDATE_SITUATIONS,
    CONSENT_SCOPES,
    DUTCH_LEVELS,
    EDUCATION_LEVELS,
    WORK_FORMS,
)

MAX_TEXT = 600
MAX_HOURS = 40


def _occupation_codes() -> set[str]:
    from wsp_site.services.pool import occupations

    return set(occupations.all_occupations())


class ProfileIn(InputModel):
    # the personal part
    name: Annotated[RequiredText, max_length(200)]
    contact: Annotated[RequiredText, max_length(300)]
    situation: Annotated[RequiredText, one_of(CANDIDATE_SITUATIONS)]
    age_band: Annotated[Text, one_of(AGE_BANDS)] = None  # optional: only for the fairness report
    municipality: RequiredText
    consultant: Text = None
    # the public part
    occupations: Annotated[list[str], codes(None)] = []
    work_forms: Annotated[list[str], codes(WORK_FORMS)] = []
    hours_min: RequiredNumber
    hours_max: RequiredNumber
    available_from: Date
    travel_km: RequiredNumber
    education_level: Annotated[RequiredText, one_of(EDUCATION_LEVELS)]
    driving_licence: StrictBool = False
    dutch_level: Annotated[RequiredText, one_of(DUTCH_LEVELS)]
    about: Annotated[Text, max_length(MAX_TEXT)] = ""
    support: Annotated[Text, max_length(MAX_TEXT)] = ""

    @field_validator("municipality")
    @classmethod
    def _municipality(cls, value: str, info: ValidationInfo) -> str:
        check_known(info, "municipalities", value, "unknown_municipality", "unknown municipality '{value}'")
        return value

    @field_validator("consultant")
    @classmethod
    def _consultant(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            check_known(info, "consultants", value, "unknown_consultant", "unknown consultant '{value}'")
        return value

    @field_validator("occupations")
    @classmethod
    def _occupations(cls, value: list[str]) -> list[str]:
        if not value:
            raise fail("no_occupation", "'occupations' must name at least one occupation")
        unknown = [code for code in value if code not in _occupation_codes()]
        if unknown:
            raise fail("unknown_occupation", "unknown ISCO-08 occupation {value!r}", value=unknown[0])
        return value

    @field_validator("work_forms")
    @classmethod
    def _work_forms(cls, value: list[str]) -> list[str]:
        if not value:
            raise fail("no_work_form", "'work_forms' must name at least one work form")
        return value

    @field_validator("hours_min", "hours_max", "travel_km")
    @classmethod
    def _range(cls, value: int, info: ValidationInfo) -> int:
        limit = 200 if info.field_name == "travel_km" else MAX_HOURS
        if not 0 <= value <= limit:
            raise fail("range", "'{key}' must be between 0 and {limit}", key=info.field_name, limit=limit)
        return value

    @model_validator(mode="after")
    def _hours(self) -> ProfileIn:
        if self.hours_min is not None and self.hours_max is not None and self.hours_min > self.hours_max:
            raise fail("hours", "'hours_min' must not be more than 'hours_max'")
        return self


class ConsentIn(InputModel):
    scope: Annotated[RequiredText, one_of(CONSENT_SCOPES)]
    show_health: StrictBool = False


class PackCandidateIn(ProfileIn):
    """A profile in a region pack (candidates.yaml): its code is fixed (so loading twice changes nothing), its
    consultant is named by e-mail, its consent and approval are recorded when it is loaded."""

    code: RequiredText
    consent: ConsentIn | None = None
    approved: StrictBool = True

    @field_validator("code")
    @classmethod
    def _code(cls, value: str, info: ValidationInfo) -> str:
        from wsp_site.services.pool.codes import is_code

        if not is_code(value):
            raise fail("code", "code {value!r} is not K- and four characters of 2-9, A-Z without I and O", value=value)
        register(info, "codes", value, value, "code {value!r} is used twice")
        return value
