"""The authorisation matrix: every back-office endpoint, every role and anonymous, GET and POST.

Every URL parameter is a real object the signed-in person may use (their own lead, an instrument in their
editor's scope, a version of it, a colleague, a rule, a valid password link), and every POST carries a form that
passes validation. So an allowed role must get the endpoint's success answer (CASES below), a role that is not
allowed exactly 403, and an anonymous visitor a redirect to the sign-in page; anything else, a 404 included,
fails. A new endpoint without an @allow declaration fails here, and so does one without a case.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import url_for

from tests.factories import (
    make_employer,
    make_instrument,
    make_intermediary,
    make_lead,
    make_profile,
    make_rule,
    make_user,
    make_vacancy,
    municipality,
    organisation,
    service_point,
)
from tests.pages import check_page, csrf_token, form_values
from wsp_site.backoffice.access import ACCESS
from wsp_site.services.content import publishing, snapshots
from wsp_site.services.packs import exchange as pack_export
from wsp_site.services.people import auth
from wsp_site.vocabulary import ROLES

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
NEW_PASSWORD = "een heel ander lang wachtwoord voor de test"
ANONYMOUS = None
SIGN_IN = "/beheer/inloggen"


@dataclass
class World:
    """Builds the objects behind URL parameters afresh for each request, for the person signed in."""

    db: object
    region: object
    actor: object | None
    built: dict = field(default_factory=dict)

    def lead(self):
        if "lead" not in self.built:
            owner = (
                self.actor if self.actor is not None and self.actor.handles_leads else make_user(self.db, self.region)
            )
            employer = make_employer(self.db, self.region)
            self.built["lead"] = make_lead(self.db, self.region, employer, owner, email="inzage@werkgever.example.nl")
        return self.built["lead"]

    def user(self):
        if "user" not in self.built:
            point = service_point(self.db, self.region, "dijkland")
            self.built["user"] = make_user(self.db, self.region, name="Collega Matrix", service_point=point)
        return self.built["user"]

    def rule(self):
        return self.built.setdefault("rule", make_rule(self.db, self.region, request_type=["anders"]))

    def instrument(self):
        """A local instrument of Polderdam: in the scope of the editors of service point Dijkland."""
        if "instrument" not in self.built:
            self.built["instrument"] = make_instrument(
                self.db,
                self.region,
                municipalities=[municipality(self.db, self.region, "polderdam")],
                provider=organisation(self.db, self.region, "werk-inkomen-dijkland"),
            )
        return self.built["instrument"]

    def version(self):
        if "version" not in self.built:
            target = self.instrument()
            coordinator = make_user(self.db, self.region, roles=["coordinator"])
            data = snapshots.snapshot(target)
            data["texts"]["nl"]["what"] = "Een eerdere uitleg."
            self.built["version"] = publishing.save(self.db.session, coordinator, target, data, NOW).version
        return self.built["version"]

    def token(self):
        if "token" not in self.built:
            self.built["token"] = auth.issue_token(self.db.session, self.user(), "reset", dt.datetime.now(dt.UTC))
            self.db.session.flush()
        return self.built["token"]

    def profile(self):
        """A profile of Dijkland (the actor's service point), waiting for approval of a text someone else wrote,
        with a consent in force: every pool action has something to do."""
        if "profile" not in self.built:
            author = make_user(self.db, self.region, roles=["consultant"], name="Schrijvende Consulent")
            self.built["profile"] = make_profile(
                self.db, self.region, "polderdam", approved=False, text_author=author, about="Ik werk graag buiten."
            )
        return self.built["profile"]

    def vacancy(self):
        """An open vacancy owned by the actor when they handle leads (else by someone else): its owner's steps
        succeed, and a role that may not open vacancies is refused before the owner matters."""
        if "vacancy" not in self.built:
            self.built["vacancy"] = make_vacancy(self.db, self.region, lead=self.lead())
        return self.built["vacancy"]

    def published_profile(self):
        """A profile in the pool today, of Polderdam (kept by Dijkland's consultants)."""
        return self.built.setdefault("published", make_profile(self.db, self.region, "polderdam"))

    def proposal(self):
        """A proposal of a published candidate for the actor's vacancy: its owner and the candidate's consultant
        may record the next step."""
        if "proposal" not in self.built:
            from wsp_site.models import VacancyProposal

            profile = self.published_profile()
            proposal = VacancyProposal(
                vacancy=self.vacancy(),
                profile=profile,
                profile_code=profile.code,
                proposed_at=NOW,
                reason="Past goed.",
                situation=profile.situation,
                service_point_id=profile.service_point_id,
            )
            self.db.session.add(proposal)
            self.db.session.flush()
            self.built["proposal"] = proposal
        return self.built["proposal"]

    def pool_lead(self):
        """A request to meet the candidate of profile(): the actor's own lead when they handle leads, about a
        candidate of the actor's service point (a consultant of Dijkland keeps that profile)."""
        if "pool_lead" not in self.built:
            owner = (
                self.actor if self.actor is not None and self.actor.handles_leads else make_user(self.db, self.region)
            )
            self.built["pool_lead"] = make_lead(
                self.db,
                self.region,
                make_employer(self.db, self.region),
                owner,
                request_type="kennismaken",
                candidate_profile=self.profile(),
                pool_stage="requested",
            )
        return self.built["pool_lead"]

    def public_profile(self):
        """A published profile (the public request page takes only those)."""
        return self.built.setdefault("public_profile", make_profile(self.db, self.region, "polderdam"))

    def intermediary(self):
        """The actor's own intermediary organisation, or (anyone else) one of the region's."""
        if "intermediary" not in self.built:
            own = self.actor.intermediary if self.actor is not None else None
            self.built["intermediary"] = own or make_intermediary(self.db, self.region)
        return self.built["intermediary"]

    def shortlist(self):
        """A shortlist of the actor's organisation (an intermediary's colleagues share it)."""
        if "shortlist" not in self.built:
            from wsp_site.models import Shortlist

            shortlist = Shortlist(intermediary=self.intermediary(), name="Matrixlijst", created_at=NOW)
            self.db.session.add(shortlist)
            self.db.session.flush()
            self.built["shortlist"] = shortlist
        return self.built["shortlist"]

    def pool_step(self) -> str:
        """A step the actor may take on pool_lead(): the consultant side asks, the owner withdraws."""
        if self.actor is not None and self.actor.has_role("consultant", "coordinator"):
            return "vragen"
        return "uitkomst"

    def url_values(self, arguments, endpoint: str = "") -> dict:
        pool = endpoint.startswith("backoffice.pool_request")
        makers = {
            "lead_id": lambda: (self.pool_lead() if pool else self.lead()).id,
            "step": self.pool_step,
            "code": lambda: self.public_profile().code,
            "user_id": lambda: self.user().id,
            "rule_id": lambda: self.rule().id,
            "instrument_id": lambda: self.instrument().id,
            "version_id": lambda: self.version().id,
            "token": self.token,
            "profile_id": lambda: self.profile().id,
            "vacancy_id": lambda: self.vacancy().id,
            "proposal_id": lambda: self.proposal().id,
            "name": lambda: "per-maand",
            "pool_report": lambda: "pool-per-werkvorm",
            "vacancy_report": lambda: "vacatures-per-werkvorm",
            "action": lambda: "notitie",
            "intermediary_id": lambda: self.intermediary().id,
            "shortlist_id": lambda: self.shortlist().id,
        }
        missing = set(arguments) - set(makers)
        assert not missing, f"no object for URL parameter(s) {missing}: add one to World.url_values"
        return {arg: makers[arg]() for arg in arguments}


@dataclass(frozen=True)
class Case:
    """What an allowed request gets: the status of a GET and of a POST, and the form a POST sends."""

    get: int | Callable[[str | None], int] = 200
    post: int | Callable[[str | None], int] = 303
    data: Callable[[World], dict] | None = None
    # Start from what the page's form shows (a GET first, as a browser does), then apply `data`.
    from_form: bool = False


def _pack_upload(world: World) -> dict:
    archive = pack_export.export_zip(pack_export.export_region(world.db.session, world.region))
    return {"actie": "controleren", "pack": (io.BytesIO(archive), "pakket.zip")}


def _pool_csv() -> dict:
    """A valid CSV of one profile, checked (a dry run)."""
    text = (
        "naam;contact;situatie;gemeente;beroepen;werkvormen;uren_min;uren_max;beschikbaar_vanaf;reisafstand_km;"
        "opleiding;nederlands\nMatrix Kandidaat;via de consulent;bijstand;polderdam;9333;regulier;16;32;2027-02-01;10;"
        "mbo2;b1\n"
    )
    return {"actie": "controleren", "file": (io.BytesIO(text.encode()), "kandidaten.csv")}


def _signed_in(anonymous: int, signed_in: int) -> Callable[[str | None], int]:
    return lambda role: anonymous if role is ANONYMOUS else signed_in


CASES: dict[str, Case] = {
    # signing in (open to everyone; a signed-in visitor is sent on)
    "backoffice.login": Case(get=_signed_in(200, 302), post=302, data=lambda w: _credentials(w)),
    "backoffice.login_code": Case(get=302, post=302, data=lambda w: {"code": "000000"}),
    "backoffice.logout": Case(post=302),
    "backoffice.forgot_password": Case(post=200, data=lambda w: {"email": w.user().email}),
    "backoffice.reset_password": Case(post=302, data=lambda w: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    # leads
    "backoffice.home": Case(get=302),
    "backoffice.inbox": Case(),
    "backoffice.lead_detail": Case(),
    "backoffice.lead_action": Case(data=lambda w: {"notitie-note": "Gebeld met de werkgever."}),
    "backoffice.absence": Case(data=lambda w: {"absent_until": "", "deputy": ""}),
    # content
    "backoffice.content_list": Case(),
    "backoffice.content_stale": Case(),
    "backoffice.content_new": Case(data=lambda w: _new_instrument(), from_form=True),
    "backoffice.content_edit": Case(from_form=True),
    "backoffice.content_preview": Case(),
    "backoffice.content_publish": Case(),
    "backoffice.content_unpublish": Case(),
    "backoffice.content_versions": Case(),
    "backoffice.content_version": Case(),
    "backoffice.content_restore": Case(),
    "backoffice.content_review": Case(data=lambda w: {"bron-0": "1"}),
    "backoffice.content_export": Case(),
    "backoffice.content_import": Case(post=200, data=_pack_upload),
    # reports and privacy
    "backoffice.reports": Case(),
    "backoffice.report_csv": Case(),
    "backoffice.privacy": Case(),
    "backoffice.privacy_search": Case(post=200, data=lambda w: {"email": w.lead().email}),
    "backoffice.privacy_export": Case(post=200, data=lambda w: {"email": w.lead().email, "format": "json"}),
    "backoffice.privacy_erase": Case(
        data=lambda w: {"email": w.lead().email, "reason": "verzoek_betrokkene", "confirm": "y"}
    ),
    "backoffice.lead_access_log": Case(),
    # routing and people (coordinators)
    "backoffice.routing_rules": Case(),
    "backoffice.routing_preview": Case(),
    "backoffice.default_key_account": Case(data=lambda w: {"user": str(w.user().id)}),
    "backoffice.rule_new": Case(data=lambda w: {"name": "Matrixregel", "sector": ["bouw"], "pool": [str(w.user().id)]}),
    "backoffice.rule_edit": Case(from_form=True),
    "backoffice.rule_move": Case(data=lambda w: {"direction": "down"}),
    "backoffice.rule_enable": Case(data=lambda w: {"enabled": "0"}),
    "backoffice.users": Case(),
    "backoffice.user_invite": Case(
        data=lambda w: {"name": "Nieuwe Matrixcollega", "email": "matrix.nieuw@example.nl", "roles": ["viewer"]}
    ),
    "backoffice.user_edit": Case(from_form=True),
    "backoffice.user_deactivate": Case(),
    "backoffice.user_reactivate": Case(data=lambda w: {"enabled": "1"}),
    # the candidate pool
    "backoffice.pool_list": Case(),
    "backoffice.pool_detail": Case(),
    "backoffice.pool_new": Case(data=lambda w: _new_profile(w)),
    "backoffice.pool_edit": Case(from_form=True),
    "backoffice.pool_approve": Case(),
    "backoffice.pool_consent": Case(data=lambda w: {"scope": "werkgevers", "confirmed": "y"}),
    "backoffice.pool_withdraw": Case(),
    # vacancies
    "backoffice.vacancy_list": Case(),
    "backoffice.lead_vacancy": Case(get=302),
    "backoffice.vacancy_detail": Case(),
    "backoffice.vacancy_edit": Case(from_form=True),
    "backoffice.vacancy_status": Case(data=lambda w: {"action": "fill"}),
    "backoffice.vacancy_confirm": Case(data=lambda w: {"closes_on": "2099-12-31"}),
    "backoffice.vacancy_matches": Case(),
    "backoffice.vacancy_propose": Case(data=lambda w: {"code": w.published_profile().code, "reason": "Past."}),
    "backoffice.proposal_decide": Case(data=lambda w: {f"p{w.proposal().id}-decision": "candidate_agreed"}),
    "backoffice.candidate_vacancies": Case(),
    "backoffice.vacancy_fairness": Case(),
    "backoffice.pool_request": Case(),
    "backoffice.pool_request_action": Case(data=lambda w: {"uitkomst-outcome": "withdrawn"}),
    "backoffice.pool_place": Case(),
    "backoffice.pool_import": Case(post=200, data=lambda w: _pool_csv()),
    "backoffice.pool_reports": Case(),
    "backoffice.pool_report_csv": Case(),
    "backoffice.vacancy_reports": Case(),
    "backoffice.vacancy_report_csv": Case(),
    "backoffice.privacy_candidate_search": Case(post=200, data=lambda w: {"term": w.profile().name}),
    "backoffice.privacy_candidate_export": Case(post=200, data=lambda w: {"profile_id": str(w.profile().id)}),
    "backoffice.privacy_candidate_erase": Case(
        data=lambda w: {"profile_id": str(w.profile().id), "reason": "verzoek_betrokkene", "confirm": "y"}
    ),
    # intermediaries: the organisations (coordinators) and the portal (intermediaries only, no coordinator)
    "backoffice.intermediaries": Case(),
    "backoffice.intermediary_new": Case(data=lambda w: _new_intermediary()),
    "backoffice.intermediary_edit": Case(from_form=True),
    "backoffice.intermediary_active": Case(data=lambda w: {"active": "0"}),
    "backoffice.portal_home": Case(),
    "backoffice.portal_shortlist_new": Case(data=lambda w: {"name": "Matrix: heftruckchauffeurs"}),
    "backoffice.portal_shortlist": Case(),
    "backoffice.portal_shortlist_add": Case(
        data=lambda w: {"shortlist": str(w.shortlist().id), "code": w.public_profile().code}
    ),
    "backoffice.portal_shortlist_remove": Case(data=lambda w: {"code": w.public_profile().code}),
    "backoffice.portal_requests": Case(),
    "backoffice.portal_request": Case(data=lambda w: _client_request(), from_form=True),
}
# Done last, in this order: signing in makes an anonymous visitor someone, signing out ends the session.
LAST = ("backoffice.login", "backoffice.logout")


def _credentials(world: World) -> dict:
    from tests.backoffice.conftest import PASSWORD, password_hash

    person = make_user(world.db, world.region, email="matrix.inlog@example.nl", password_hash=password_hash())
    return {"email": person.email, "password": PASSWORD}


def _new_instrument() -> dict:
    return {
        "slug": "matrixregeling",
        "kind": "lokaal",
        "provider": "werk-inkomen-dijkland",
        "municipalities": ["polderdam"],
        "target_groups": ["bijstand"],
        "employer_goals": ["try_out"],
        "nl_title": "Matrixregeling",
        "nl_summary": "Een regeling voor de autorisatietest.",
        "nl_what": "Wat het is.",
        "nl_for_whom": "Voor wie.",
        "nl_employer_gets": "Wat u krijgt.",
        "nl_conditions": "Voorwaarden.",
        "nl_how_to_apply": "Aanvragen.",
        "nl_decision_time": "Twee weken.",
    }


def _new_intermediary() -> dict:
    return {
        "name": "Matrix Re-integratie B.V.",
        "public": "0",
        "kvk": "87654321",
        "accreditation": "Certificaat (verzonnen)",
        "accredited_until": "2099-12-31",
    }


def _client_request() -> dict:
    return {
        "company_name": "Matrixklant B.V.",
        "kvk": "11223344",
        "location": "polderdam",
        "sector": "bouw",
        "size_band": "10-49",
        "contact_name": "Klant Contactpersoon",
        "email": "contact@matrixklant.example.nl",
        "consent": "y",
    }


def _new_profile(world: World) -> dict:
    return {
        "name": "Matrix Kandidaat",
        "contact": "Via de consulent",
        "situation": "bijstand",
        "municipality": str(municipality(world.db, world.region, "polderdam").id),
        "occupation_1": "9333",
        "work_forms": ["regulier"],
        "hours_min": "16",
        "hours_max": "24",
        "available_from": "2027-01-01",
        "travel_km": "10",
        "education_level": "mbo2",
        "dutch_level": "b1",
        "about": "Ik werk graag in een team.",
    }


def backoffice_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("backoffice.")]


def test_every_endpoint_declares_its_roles(app):
    undeclared = sorted({r.endpoint for r in backoffice_rules(app)} - set(ACCESS))
    assert not undeclared, f"back-office endpoints without @allow: {undeclared}"


def test_every_endpoint_has_a_case(app):
    endpoints = {r.endpoint for r in backoffice_rules(app)}
    assert endpoints - set(CASES) == set(), "add a Case for the new endpoint(s)"
    assert set(CASES) - endpoints == set(), "a Case for an endpoint that no longer exists"


def _ordered(app, method: str):
    rules = [r for r in backoffice_rules(app) if method in r.methods]
    return sorted(rules, key=lambda r: (LAST.index(r.endpoint) if r.endpoint in LAST else -1, r.rule))


def _expected(case_status, role) -> int:
    return case_status(role) if callable(case_status) else case_status


def _check(response, role, allowed: tuple, success: int) -> str | None:
    """None when the answer is right; else what was wrong."""
    status = response.status_code
    if allowed == ():
        expected = success
    elif role is ANONYMOUS:
        location = response.headers.get("Location", "")
        if status == 302 and SIGN_IN in location:
            return None
        return f"{status} {location}, expected a redirect to {SIGN_IN}"
    elif role in allowed:
        expected = success
    else:
        expected = 403
    return None if status == expected else f"{status}, expected {expected}"


@pytest.fixture
def actor(client, make_staff, login_as, request):
    role = request.param
    if role is ANONYMOUS:
        return ANONYMOUS, None
    person = make_staff(role, sp="dijkland")
    login_as(person)
    return role, person


@pytest.mark.parametrize("actor", [ANONYMOUS, *ROLES], indirect=True, ids=["anonymous", *ROLES])
def test_get_matrix(app, client, db, region, actor):
    role, person = actor
    wrong = []
    checked = 0
    for rule in _ordered(app, "GET"):
        world = World(db, region, person)
        with app.test_request_context():
            path = url_for(rule.endpoint, **world.url_values(rule.arguments, rule.endpoint))
        response = client.get(path)
        problem = _check(response, role, ACCESS[rule.endpoint], _expected(CASES[rule.endpoint].get, role))
        if problem:
            wrong.append(f"GET {path} ({rule.endpoint}): {problem}")
        elif response.status_code == 200 and response.mimetype == "text/html":
            check_page(response.get_data(as_text=True), path)  # and every page a role may open is a sound page
        checked += 1
    assert not wrong, f"{role or 'anonymous'}:\n" + "\n".join(wrong)
    assert checked >= 25


@pytest.mark.parametrize("actor", [ANONYMOUS, *ROLES], indirect=True, ids=["anonymous", *ROLES])
def test_post_matrix(app, client, db, region, actor):
    """Valid forms with a valid token: done for the roles an endpoint allows, refused (403) for the others."""
    role, person = actor
    wrong = []
    checked = 0
    for rule in _ordered(app, "POST"):
        world = World(db, region, person)
        case = CASES[rule.endpoint]
        with app.test_request_context():
            path = url_for(rule.endpoint, **world.url_values(rule.arguments, rule.endpoint))
        token = csrf_token(client, "/contact")
        data = {}
        if case.from_form:
            page = client.get(path)  # a role that may not see the form sends the rest of the data without it
            data = form_values(page.get_data(as_text=True), "form.wsp-form") if page.status_code == 200 else {}
        data = {**data, **(case.data(world) if case.data else {}), "csrf_token": token}
        if rule.endpoint == "backoffice.lead_action":
            data["notitie-csrf_token"] = token
        if rule.endpoint == "backoffice.pool_request_action":
            data[f"{world.pool_step()}-csrf_token"] = token
        response = client.post(path, data=data, content_type="multipart/form-data")
        problem = _check(response, role, ACCESS[rule.endpoint], _expected(case.post, role))
        if problem:
            wrong.append(f"POST {path} ({rule.endpoint}): {problem}\n    {response.get_data(as_text=True)[:200]!r}")
        checked += 1
    assert not wrong, f"{role or 'anonymous'}:\n" + "\n".join(wrong)
    assert checked >= 25
