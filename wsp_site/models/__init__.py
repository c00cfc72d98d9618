"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from wsp_site.models.instrument import (
    EMPLOYER_GOALS,
    INSTRUMENT_KINDS,
    TARGET_GROUPS,
    TEXT_FIELDS,
    Instrument,
    InstrumentInvalid,
    InstrumentText,
)
from wsp_site.models.region import ORGANISATION_KINDS, Municipality, Organisation, Region, ServicePoint

__all__ = [
    "EMPLOYER_GOALS",
    "INSTRUMENT_KINDS",
    "ORGANISATION_KINDS",
    "TARGET_GROUPS",
    "TEXT_FIELDS",
    "Instrument",
    "InstrumentInvalid",
    "InstrumentText",
    "Municipality",
    "Organisation",
    "Region",
    "ServicePoint",
]
