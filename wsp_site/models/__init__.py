"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from wsp_site.models.audit import AuditEvent
from wsp_site.models.auth import PasswordToken, StaffSession
from wsp_site.models.candidate import CandidateConsent, CandidateFacet, CandidateProfile
from wsp_site.models.content import InstrumentVersion
from wsp_site.models.digest import DigestRun
from wsp_site.models.instrument import Instrument, InstrumentInvalid, InstrumentText
from wsp_site.models.intermediary import Intermediary
from wsp_site.models.lead import Employer, Lead, LeadEvent
from wsp_site.models.outbox import OutboxMessage
from wsp_site.models.region import Municipality, Organisation, Region, ServicePoint
from wsp_site.models.reporting import LeadAccess, LeadDayCount, RegionTarget
from wsp_site.models.routing import RoutingRule
from wsp_site.models.shortlist import Shortlist, ShortlistEntry
from wsp_site.models.user import User
from wsp_site.models.vacancy import Vacancy, VacancyEvent, VacancyProposal
from wsp_site.vocabulary import (
    EMPLOYER_GOALS,
    INSTRUMENT_KINDS,
    LEAD_STATUSES,
    ORGANISATION_KINDS,
    OUTCOMES,
    REQUEST_TYPES,
    ROLES,
    SECTORS,
    SIZE_BANDS,
    TARGET_GROUPS,
    TEXT_FIELDS,
)

__all__ = [
    "CandidateConsent",
    "CandidateFacet",
    "CandidateProfile",
    "DigestRun",
    "InstrumentVersion",
    "Intermediary",
    "Shortlist",
    "ShortlistEntry",
    "LeadAccess",
    "LeadDayCount",
    "RegionTarget",
    "AuditEvent",
    "PasswordToken",
    "StaffSession",
    "LEAD_STATUSES",
    "OUTCOMES",
    "REQUEST_TYPES",
    "ROLES",
    "SECTORS",
    "SIZE_BANDS",
    "Employer",
    "Lead",
    "LeadEvent",
    "OutboxMessage",
    "RoutingRule",
    "User",
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
    "Vacancy",
    "VacancyEvent",
    "VacancyProposal",
]
