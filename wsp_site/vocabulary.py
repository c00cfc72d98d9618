"""Every code list the site stores, and its translatable labels: one place for both.

Models, schemas, forms and reports import the codes from here; a test checks every code has its label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# --- code lists ----------------------------------------------------------------------------------------

INSTRUMENT_KINDS = ("basispakket", "uwv", "lokaal")
STATUSES = ("draft", "published")
TARGET_GROUPS = (
    "bijstand",
    "nug",
    "ww",
    "wia",
    "wajong",
    "ziektewet",
    "doelgroepregister",
    "statushouder",
    "jongere",
    "vijftig_plus",
)
EMPLOYER_GOALS = ("try_out", "compensate", "coaching", "workplace", "training", "sickness")
# The fixed questions every instrument page answers, in this order.
TEXT_FIELDS = ("what", "for_whom", "employer_gets", "conditions", "how_to_apply", "decision_time")
# The finder's first question, and the contact form's "the candidate's situation" (the same answers).
FINDER_SITUATIONS = ("bijstand", "nug", "ww", "wia", "ziektewet", "wajong", "doelgroepregister", "onbekend")
REQUEST_TYPES = ("instrument_vraag", "kandidaat", "vacature", "terugbellen", "anders", "kennismaken")
# The request types an employer picks on the contact form; "kennismaken" (meeting a candidate of the pool) is
# sent from a profile's own request page (/kandidaten/<code>/kennismaken), never chosen on the form.
CONTACT_FORM_REQUEST_TYPES = REQUEST_TYPES[:5]
POOL_REQUEST_TYPE = "kennismaken"
SIZE_BANDS = ("1-9", "10-49", "50-249", "250+")
SECTORS = (
    "retail",
    "food",
    "techniek",
    "zorg",
    "bouw",
    "logistiek",
    "zakelijke_dienstverlening",
    "onderwijs",
    "overheid",
    "horeca",
    "overig",
)
LEAD_STATUSES = ("new", "in_progress", "referred", "closed")
OUTCOMES = ("placed", "advice", "referred", "no_match", "duplicate", "spam")
EMPLOYER_OUTCOMES = OUTCOMES[:4]  # what an employer may read on the status page; duplicate and spam are triage
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")
ORGANISATION_KINDS = ("gemeente", "sociale_dienst", "uwv", "regio")
# The lead fields a rule can test, each against a list of accepted values.
CONDITION_KEYS = ("request_type", "sector", "size_band", "municipality", "instrument")
ROLES = ("coordinator", "account_manager", "editor", "viewer", "consultant", "intermediary")
# The people of the region's own organisations; an intermediary (a user of an accredited intermediary
# organisation) has that one role only and sees its portal only, nothing else of the back office.
STAFF_ROLES = ROLES[:5]
LEAD_HANDLER_ROLES = ("coordinator", "account_manager")  # who may receive and handle leads, in that order

# --- labels --------------------------------------------------------------------------------------------

REQUEST_TYPE_LABELS = {
    "instrument_vraag": _l("Vraag over een regeling"),
    "kandidaat": _l("Ik wil iemand aannemen die ondersteuning nodig heeft"),
    "vacature": _l("Ik wil een vacature melden"),
    "terugbellen": _l("Bel mij terug"),
    "anders": _l("Iets anders"),
    "kennismaken": _l("Kennismaken met een kandidaat uit de kandidatenpool"),
}
SECTOR_LABELS = {
    "retail": _l("Detailhandel"),
    "food": _l("Voedingsmiddelen (food)"),
    "techniek": _l("Techniek en industrie"),
    "zorg": _l("Zorg en welzijn"),
    "bouw": _l("Bouw"),
    "logistiek": _l("Transport en logistiek"),
    "zakelijke_dienstverlening": _l("Zakelijke dienstverlening"),
    "onderwijs": _l("Onderwijs"),
    "overheid": _l("Overheid"),
    "horeca": _l("Horeca en recreatie"),
    "overig": _l("Anders"),
}
SIZE_BAND_LABELS = {
    "1-9": _l("1 tot 9 medewerkers"),
    "10-49": _l("10 tot 49 medewerkers"),
    "50-249": _l("50 tot 249 medewerkers"),
    "250+": _l("250 medewerkers of meer"),
}
KIND_LABELS = {
    "basispakket": _l("Regionaal basispakket"),
    "uwv": _l("UWV (landelijk)"),
    "lokaal": _l("Lokaal"),
}
# The heading of each tier where the tiers are listed together (the finder's results, the contact form).
TIER_LABELS = {
    "basispakket": _l("Het regionale basispakket"),
    "uwv": _l("Regelingen van UWV"),
    "lokaal": _l("Eigen regelingen van de gemeente"),
}
TARGET_GROUP_LABELS = {
    "bijstand": _l("Bijstandsuitkering"),
    "nug": _l("Geen uitkering (niet-uitkeringsgerechtigd)"),
    "ww": _l("WW-uitkering"),
    "wia": _l("WIA- of WGA-uitkering"),
    "wajong": _l("Wajong"),
    "ziektewet": _l("Ziektewet-uitkering"),
    "doelgroepregister": _l("Doelgroepregister (banenafspraak)"),
    "statushouder": _l("Statushouder"),
    "jongere": _l("Jongere"),
    "vijftig_plus": _l("50-plusser"),
}
SITUATION_LABELS = {
    "bijstand": _l("Bijstandsuitkering"),
    "nug": _l("Geen uitkering"),
    "ww": _l("WW-uitkering"),
    "wia": _l("WIA- of WGA-uitkering"),
    "ziektewet": _l("Ziektewet-uitkering"),
    "wajong": _l("Wajong"),
    "doelgroepregister": _l("In het doelgroepregister (banenafspraak)"),
    "onbekend": _l("Weet ik niet"),
}
GOAL_LABELS = {
    "try_out": _l("Iemand eerst laten proefdraaien"),
    "compensate": _l("Compensatie voor lagere productiviteit"),
    "coaching": _l("Begeleiding op de werkvloer"),
    "workplace": _l("De werkplek aanpassen"),
    "training": _l("Opleiden of scholen"),
    "sickness": _l("Het risico bij ziekte afdekken"),
}
STATUS_LABELS = {
    "new": _l("Nieuw"),
    "in_progress": _l("In behandeling"),
    "referred": _l("Doorverwezen"),
    "closed": _l("Afgerond"),
}
OUTCOME_LABELS = {
    "placed": _l("Geplaatst"),
    "advice": _l("Advies gegeven"),
    "referred": _l("Doorverwezen"),
    "no_match": _l("Geen match"),
    "duplicate": _l("Dubbele aanvraag"),
    "spam": _l("Spam"),
}
ROLE_LABELS = {
    "coordinator": _l("Coördinator"),
    "account_manager": _l("Accountmanager"),
    "editor": _l("Redacteur"),
    "viewer": _l("Meekijker"),
    "consultant": _l("Consulent (kandidatenpool)"),
    "intermediary": _l("Bemiddelaar (eigen portaal)"),
}
CONDITION_LABELS = {
    "request_type": _l("Soort vraag"),
    "sector": _l("Sector"),
    "size_band": _l("Aantal medewerkers"),
    "municipality": _l("Gemeente van de werkgever"),
    "instrument": _l("Regeling"),
}


def request_type_label(code: str) -> str:
    return str(REQUEST_TYPE_LABELS.get(code, code))


def label(mapping: dict, code: str | None) -> str:
    return str(mapping.get(code, code or ""))


# The e-mails about a lead, as the back office names them (an undelivered one is shown on the lead).
MAIL_KIND_LABELS = {
    "lead_confirmation": _l("bevestiging aan de werkgever"),
    "lead_notification": _l("melding aan de eigenaar"),
    "lead_reassigned": _l("melding aan de nieuwe eigenaar"),
    "lead_contact_changed": _l("bericht aan de werkgever over de nieuwe contactpersoon"),
    "pool_request_consultant": _l("melding aan de consulent van de kandidaat"),
}

# Why personal data were erased: a category for the audit trail, never free text (which could name the person).
ERASE_REASON_LABELS = {
    "verzoek_betrokkene": _l("Verzoek van de betrokkene om te wissen (art. 17 AVG)"),
    "bezwaar": _l("Bezwaar tegen de verwerking (art. 21 AVG)"),
    "niet_meer_nodig": _l("De gegevens zijn niet meer nodig"),
    "onrechtmatig": _l("De gegevens zijn onrechtmatig verwerkt"),
    "anders": _l("Een andere reden (vastgelegd buiten dit systeem)"),
}
ERASE_REASONS = tuple(ERASE_REASON_LABELS)

# --- the candidate pool (services.pool) ----------------------------------------------------------------
# The public part of a profile uses these codes; a vacancy and matching module is meant to use the same ones.

# Accepted work forms, in the region's order of preference (regular job first).
WORK_FORMS = ("regulier", "leerwerkplek", "basisbaan", "proefplaatsing", "werkervaringsplek")
WORK_FORM_LABELS = {
    "regulier": _l("Reguliere baan"),
    "leerwerkplek": _l("Leerwerkplek"),
    "basisbaan": _l("Basisbaan"),
    "proefplaatsing": _l("Proefplaatsing"),
    "werkervaringsplek": _l("Werkervaringsplek"),
}
# Highest completed education, lowest first (the order counts).
EDUCATION_LEVELS = ("basisonderwijs", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo_vwo", "hbo", "wo")
EDUCATION_LEVEL_LABELS = {
    "basisonderwijs": _l("Basisonderwijs"),
    "vmbo": _l("Vmbo"),
    "mbo1": _l("Mbo niveau 1 (entree)"),
    "mbo2": _l("Mbo niveau 2"),
    "mbo3": _l("Mbo niveau 3"),
    "mbo4": _l("Mbo niveau 4"),
    "havo_vwo": _l("Havo of vwo"),
    "hbo": _l("Hbo"),
    "wo": _l("Wo (universiteit)"),
}
# Dutch: the levels of the Common European Framework, and native speaker.
DUTCH_LEVELS = ("a1", "a2", "b1", "b2", "c1", "moedertaal")
DUTCH_LEVEL_LABELS = {
    "a1": _l("A1: een paar woorden en zinnen"),
    "a2": _l("A2: eenvoudige gesprekken"),
    "b1": _l("B1: de meeste gesprekken op het werk"),
    "b2": _l("B2: goed, ook over werk dat nieuw is"),
    "c1": _l("C1: vloeiend"),
    "moedertaal": _l("Moedertaal"),
}
# The situations a consultant records (the finder's, without "not known"); never shown publicly.
CANDIDATE_SITUATIONS = ("bijstand", "nug", "ww", "wia", "ziektewet", "wajong", "doelgroepregister")
# A candidate's age as a band, only for the report of whether matching treats groups alike (never shown publicly,
# never used by the rules; optional). The bands follow the Participatiewet's rules for young people under 27 and
# the common labour-market group of people of 50 and over.
AGE_BANDS = ("tot_27", "27_49", "50_plus")
AGE_BAND_LABELS = {
    "tot_27": _l("Jonger dan 27"),
    "27_49": _l("27 tot en met 49"),
    "50_plus": _l("50 of ouder"),
}
CONSENT_SCOPES = ("werkgevers", "werkgevers_bemiddelaars")
CONSENT_SCOPE_LABELS = {
    "werkgevers": _l("Werkgevers"),
    "werkgevers_bemiddelaars": _l("Werkgevers en ook particuliere bemiddelaars"),
}
REVIEW_STATUSES = ("concept", "ter_beoordeling", "goedgekeurd")
REVIEW_STATUS_LABELS = {
    "concept": _l("Concept"),
    "ter_beoordeling": _l("Wacht op goedkeuring"),
    "goedgekeurd": _l("Goedgekeurd"),
}
# Instruments that reveal a work disability (health data, art. 9 AVG): shown on a profile only when the
# candidate's consent says so. By instrument slug; a region may add its own local ones here.
HEALTH_INSTRUMENTS = frozenset(
    {"no-riskpolis", "loondispensatie", "jobcoaching", "jobcoach-uwv", "werkplekaanpassingen"}
)
# The audit trail of a profile, as the back office names its events (services.pool).
POOL_EVENT_LABELS = {
    "pool.profile_created": _l("Profiel aangemaakt"),
    "pool.profile_changed": _l("Profiel gewijzigd"),
    "pool.profile_approved": _l("Teksten goedgekeurd"),
    "pool.consent_recorded": _l("Toestemming vastgelegd"),
    "pool.consent_renewed": _l("Toestemming verlengd"),
    "pool.consent_withdrawn": _l("Toestemming ingetrokken"),
}
# Public or private intermediary (services.intermediaries): which consent scopes let each see a profile. A
# private intermediary only where the candidate also allowed private intermediaries.
INTERMEDIARY_SCOPES = {True: CONSENT_SCOPES, False: ("werkgevers_bemiddelaars",)}
INTERMEDIARY_KIND_LABELS = {True: _l("Publiek"), False: _l("Particulier")}

# --- a request to meet a candidate of the pool (services.leads.workflow, request type "kennismaken") --------
# The stages of the request, in order; the last four end it. Each open stage has a next step with a deadline in
# working days (services.leads.deadlines.POOL_STEP_WORKING_DAYS).
POOL_STAGES = (
    "requested",
    "asked",
    "agreed",
    "introduction_planned",
    "declined",
    "placed",
    "not_suitable",
    "withdrawn",
)
POOL_OPEN_STAGES = POOL_STAGES[:4]
POOL_OUTCOMES = ("placed", "not_suitable", "withdrawn")
POOL_STAGE_LABELS = {
    "requested": _l("Verzoek ontvangen"),
    "asked": _l("De consulent vraagt de kandidaat"),
    "agreed": _l("De kandidaat wil kennismaken"),
    "introduction_planned": _l("Kennismaking gepland"),
    "declined": _l("De kandidaat heeft bedankt"),
    "placed": _l("Geplaatst"),
    "not_suitable": _l("Geen passende match"),
    "withdrawn": _l("Ingetrokken"),
}
# What comes next in each open stage, as the employer's status page names it.
POOL_NEXT_STEP_LABELS = {
    "requested": _l("De consulent vraagt de kandidaat of die u wil ontmoeten"),
    "asked": _l("De kandidaat laat weten of die u wil ontmoeten"),
    "agreed": _l("Wij plannen de kennismaking"),
    "introduction_planned": _l("De uitkomst van de kennismaking"),
}

# --- vacancies and matching (services.vacancies, services.matching) --------------------------------------
# A vacancy's life: reported (new), taken on by its owner (open), candidates proposed, then closed as filled,
# withdrawn by the employer, or expired (its closing date passed and the owner closed it).
VACANCY_STATUSES = ("new", "open", "proposed", "filled", "withdrawn", "expired")
VACANCY_OPEN_STATUSES = ("new", "open", "proposed")  # still looking for someone
VACANCY_MATCHABLE_STATUSES = ("open", "proposed")  # matched against the pool
VACANCY_STATUS_LABELS = {
    "new": _l("Nieuw"),
    "open": _l("Open"),
    "proposed": _l("Kandidaten voorgesteld"),
    "filled": _l("Vervuld"),
    "withdrawn": _l("Ingetrokken"),
    "expired": _l("Verlopen"),
}
CONTRACT_LENGTHS = ("onbepaald", "langer_12", "6_12", "korter_6", "weet_niet")
CONTRACT_LENGTH_LABELS = {
    "onbepaald": _l("Onbepaalde tijd"),
    "langer_12": _l("Langer dan 12 maanden"),
    "6_12": _l("6 tot 12 maanden"),
    "korter_6": _l("Korter dan 6 maanden"),
    "weet_niet": _l("Weet ik nog niet"),
}
# A proposal of a candidate for a vacancy, decided by people at every step: the owner proposes, the candidate's
# consultant asks the candidate, the introduction follows, and the outcome is recorded.
PROPOSAL_STATUSES = ("proposed", "candidate_agreed", "candidate_declined", "introduced", "placed", "not_placed")
PROPOSAL_OPEN_STATUSES = ("proposed", "candidate_agreed", "introduced")
PROPOSAL_STATUS_LABELS = {
    "proposed": _l("Voorgesteld, kandidaat nog niet gevraagd"),
    "candidate_agreed": _l("Kandidaat wil kennismaken"),
    "candidate_declined": _l("Kandidaat wil niet"),
    "introduced": _l("Kennismaking geweest"),
    "placed": _l("Geplaatst"),
    "not_placed": _l("Niet geplaatst"),
}
# The audit trail of a vacancy.
VACANCY_EVENT_LABELS = {
    "vacancy.created": _l("Vacature gemeld"),
    "vacancy.changed": _l("Vacature gewijzigd"),
    "vacancy.status": _l("Status gewijzigd"),
    "vacancy.confirmed": _l("Sluitingsdatum bevestigd"),
    "vacancy.proposed": _l("Kandidaat voorgesteld"),
    "vacancy.proposal_decided": _l("Voorstel bijgewerkt"),
    "pool.placed": _l("Geplaatst: uit de pool"),
}
