"""An intermediary organisation of a region pack (intermediaries.yaml beside region.yaml: invented ones for the
demo), with its people (role intermediary); services.intermediaries.demo loads them with the region."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from wsp_site.schemas.base import Date, InputModel, PersonEmail, RequiredText, StrictBool, fail, max_length


def _kvk(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{8}", value):
        raise fail("kvk", "'kvk' has exactly 8 digits")
    return value


class PackIntermediaryPersonIn(InputModel):
    name: Annotated[RequiredText, max_length(200)] = None
    email: PersonEmail = None


class PackIntermediaryIn(InputModel):
    name: Annotated[RequiredText, max_length(200)] = None
    public: StrictBool = None
    kvk: Annotated[RequiredText, AfterValidator(_kvk)] = None
    accreditation: Annotated[RequiredText, max_length(300)] = None
    accredited_until: Date = None
    people: list[PackIntermediaryPersonIn] = []
