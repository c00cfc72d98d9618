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
REQUEST_TYPES = ("instrument_vraag", "kandidaat", "vacature", "terugbellen", "anders")
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
ROLES = ("coordinator", "account_manager", "editor", "viewer", "consultant")
LEAD_HANDLER_ROLES = ("coordinator", "account_manager")  # who may receive and handle leads, in that order

# --- labels --------------------------------------------------------------------------------------------

REQUEST_TYPE_LABELS = {
    "instrument_vraag": _l("Vraag over een regeling"),
    "kandidaat": _l("Ik wil iemand aannemen die ondersteuning nodig heeft"),
    "vacature": _l("Ik wil een vacature melden"),
    "terugbellen": _l("Bel mij terug"),
    "anders": _l("Iets anders"),
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
    "pool.placed": _l("Geplaatst: uit de pool"),
}
