"""The lead inbox, the lead detail page with its actions, and absence."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.forms import (
    AbsenceForm,
    CloseForm,
    EmptyForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    ReferForm,
    RetryMailForm,
)
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.i18n import current_lang
from wsp_site.ids import parse_id
from wsp_site.models import Lead, LeadEvent, Organisation, User
from wsp_site.services import catalogue
from wsp_site.services.catalogue import finder
from wsp_site.services.leads import inbox as inbox_service
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.mail import undelivered
from wsp_site.services.privacy import subject_requests
from wsp_site.vocabulary import (
    LEAD_STATUSES,
    MAIL_KIND_LABELS,
    OUTCOME_LABELS,
    OUTCOMES,
    REQUEST_TYPE_LABELS,
    REQUEST_TYPES,
    SECTOR_LABELS,
    SITUATION_LABELS,
    SIZE_BAND_LABELS,
    STATUS_LABELS,
    TIER_LABELS,
)


@bp.get("/")
@allow("account_manager", "editor", "viewer", "consultant", "intermediary")
def home():
    user = signed_in_user()
    if user.has_role("intermediary"):
        return redirect(url_for("backoffice.portal_home"))
    if user.has_role("coordinator", "account_manager"):
        return redirect(url_for("backoffice.inbox"))
    if user.has_role("consultant"):
        return redirect(url_for("backoffice.pool_list"))
    if user.has_role("editor"):
        return redirect(url_for("backoffice.content_list"))
    if user.has_role("viewer"):
        return redirect(url_for("backoffice.reports"))
    return render_template("backoffice/home.html", region=catalogue.current_region())


def _filters() -> inbox_service.InboxFilters:
    args = request.args
    view = args.get("weergave", "mine")
    if view not in inbox_service.VIEWS or (view == "all" and not signed_in_user().has_role("coordinator")):
        view = "mine"
    status = args.get("status") or None
    if status not in (*LEAD_STATUSES, "all", None):
        status = None
    instrument_id = parse_id(args.get("regeling"))
    request_type = args.get("type") if args.get("type") in REQUEST_TYPES else None
    return inbox_service.InboxFilters(
        view=view,
        status=status,
        municipality=args.get("gemeente") or None,
        request_type=request_type,
        instrument_id=instrument_id,
        overdue=args.get("te_laat") == "1",
        source=(args.get("bron") or "").strip()[:100] or None,
        sort=args.get("sorteer") if args.get("sorteer") in inbox_service.SORTS else "due",
        after=(args.get("na") or "")[:600] or None,
        before=(args.get("voor") or "")[:600] or None,
        last=args.get("laatste") == "1",
    )


PAGE_ARGS = ("na", "voor", "laatste", "pagina")  # where a page starts; "pagina" (page numbers) is no longer read


@bp.get("/aanvragen")
@allow("account_manager")
def inbox():
    region = catalogue.current_region()
    user = signed_in_user()
    filters = _filters()
    today = local_today()
    result = inbox_service.inbox(db.session, user, filters, today)
    promised = region.promised_working_days
    deadlines = {lead.id: lead_workflow.deadline(lead, today, promised) for lead in result.leads}
    instruments = catalogue.published_instruments(region)
    args = {k: v for k, v in request.args.items() if k not in PAGE_ARGS and v}
    return render_template(
        "backoffice/inbox.html",
        region=region,
        result=result,
        filters=filters,
        deadlines=deadlines,
        municipality_options=[(m.slug, m.name) for m in catalogue.municipalities(region)],
        instrument_options=[(str(i.id), i.title("nl")) for i in instruments],
        status_labels=STATUS_LABELS,
        request_type_labels=REQUEST_TYPE_LABELS,
        base_url=url_for("backoffice.inbox", **args),
    )


def _lead_or_404(lead_id: int) -> Lead:
    lead = db.session.scalar(
        select(Lead)
        .filter_by(id=lead_id)
        .options(selectinload(Lead.events).selectinload(LeadEvent.actor), selectinload(Lead.instruments))
    )
    # A lead outside your reach answers exactly like a lead that does not exist.
    if lead is None or not lead_workflow.can_view(db.session, signed_in_user(), lead, local_today()):
        abort(404)
    return lead


def _forms(lead: Lead) -> dict:
    reassign = ReassignForm(prefix="overdragen")
    reassign.owner.choices = [
        SelectChoice(str(u.id), f"{u.name} ({u.service_point.name if u.service_point else '-'})")
        for u in lead_workflow.staff(db.session, lead.region_id)
        if u.id != lead.owner_id
    ]
    refer = ReferForm(prefix="doorverwijzen")
    refer.partner.choices = [
        SelectChoice(o.slug, o.name)
        for o in db.session.scalars(
            select(Organisation).filter_by(region_id=lead.region_id).order_by(Organisation.name)
        )
        if o.kind in ("uwv", "gemeente", "sociale_dienst")
    ]
    close = CloseForm(prefix="afsluiten")
    close.outcome.choices = [SelectChoice(code, str(OUTCOME_LABELS[code])) for code in OUTCOMES]
    return {
        "start_form": EmptyForm(prefix="starten"),
        "note_form": NoteForm(prefix="notitie"),
        "reassign_form": reassign,
        "refer_form": refer,
        "close_form": close,
        "reopen_form": ReasonForm(prefix="heropenen"),
        "retry_mail_form": RetryMailForm(prefix="mail"),
    }


@bp.get("/aanvragen/<int:lead_id>")
@allow("account_manager")
def lead_detail(lead_id: int, forms: dict | None = None, status: int = 200):
    lead = _lead_or_404(lead_id)
    subject_requests.record_access(db.session, lead, signed_in_user(), utcnow())  # AVG accountability: who opened it
    region = catalogue.current_region()
    # Other leads of the employer: only those this person may open; the rest is counted, not described.
    users = {u.id: u for u in db.session.scalars(select(User).filter_by(region_id=lead.region_id))}  # owners too
    others = [other for other in lead.employer.leads if other.id != lead.id]
    other_leads = lead_workflow.viewable(db.session, signed_in_user(), others, local_today())
    page = render_template(
        "backoffice/lead_detail.html",
        region=region,
        lead=lead,
        other_leads=other_leads,
        hidden_other_leads=len(others) - len(other_leads),
        undelivered=undelivered.for_lead(db.session, lead.id),
        mail_kind_labels=MAIL_KIND_LABELS,
        users=users,
        deadline=lead_workflow.deadline(lead, local_today(), region.promised_working_days),
        finder_answer=_finder_answer(region, lead),
        situation_labels=SITUATION_LABELS,
        tier_labels=TIER_LABELS,
        actions=lead_workflow.allowed_actions(lead),
        status_labels=STATUS_LABELS,
        outcome_labels=OUTCOME_LABELS,
        request_type_labels=REQUEST_TYPE_LABELS,
        sector_labels=SECTOR_LABELS,
        size_band_labels=SIZE_BAND_LABELS,
        **(forms or _forms(lead)),
    )
    # Committed once the page is rendered: the access is recorded when the page is shown, and the rendering
    # reads what the request loaded instead of loading it all again after a commit.
    db.session.commit()
    return page, status


def _finder_answer(region, lead: Lead):
    """What the finder says for the candidate the employer described (the same service as the public finder),
    so the account manager starts where the employer left off; None when the employer said nothing of them."""
    if not (lead.candidate_situation or lead.candidate_municipality):
        return None
    lang = current_lang()
    query = finder.FinderQuery(
        situation=lead.candidate_situation or "onbekend", municipality=lead.candidate_municipality
    )
    return finder.find_instruments(catalogue.published_instruments(region, lang), query, lang)


ACTION_PATHS = {
    "start": "starten",
    "note": "notitie",
    "reassign": "overdragen",
    "refer": "doorverwijzen",
    "close": "afsluiten",
    "reopen": "heropenen",
    "retry_mail": "mail-opnieuw",
}
DONE_MESSAGES = {
    "start": _l("U behandelt deze aanvraag nu. Het eerste contact is vastgelegd."),
    "note": _l("De notitie is toegevoegd."),
    "reassign": _l("De aanvraag is overgedragen. De nieuwe eigenaar en de werkgever krijgen een e-mail."),
    "refer": _l("De aanvraag is doorverwezen. De werkgever krijgt een e-mail met de organisatie waarnaar is verwezen."),
    "close": _l("De aanvraag is afgesloten."),
    "reopen": _l("De aanvraag is heropend."),
    "retry_mail": _l("De e-mail staat weer klaar om te versturen."),
}


@bp.post("/aanvragen/<int:lead_id>/<action>")
@allow("account_manager")
def lead_action(lead_id: int, action: str):
    codes = {path: code for code, path in ACTION_PATHS.items()}
    if action not in codes:
        abort(404)
    code = codes[action]
    lead = _lead_or_404(lead_id)
    forms = _forms(lead)
    form = forms[f"{code}_form"]
    user, now = signed_in_user(), utcnow()
    if not form.validate_on_submit():
        flash(_("De actie is niet uitgevoerd: vul de gemarkeerde velden in."), "error")
        return lead_detail(lead_id, forms=forms, status=400)
    try:
        with transaction():
            if code == "start":
                lead_workflow.start(lead, user, now)
            elif code == "note":
                lead_workflow.add_note(lead, user, form.note.data, now)
            elif code == "reassign":
                owner_id = parse_id(form.owner.data)
                new_owner = db.session.get(User, owner_id) if owner_id else None
                if new_owner is None or new_owner.region_id != lead.region_id:
                    raise lead_workflow.TransitionRefused("unknown colleague")
                lead_workflow.reassign(db.session, lead, user, new_owner, form.reason.data, now, form.move_account.data)
            elif code == "refer":
                partner = db.session.scalar(
                    select(Organisation).filter_by(region_id=lead.region_id, slug=form.partner.data)
                )
                if partner is None:
                    raise lead_workflow.TransitionRefused("unknown partner")
                lead_workflow.refer(lead, user, partner, form.note.data, now)
            elif code == "close":
                lead_workflow.close(lead, user, form.outcome.data, now, form.note.data)
            elif code == "reopen":
                lead_workflow.reopen(lead, user, form.reason.data, now)
            elif code == "retry_mail" and not undelivered.retry(db.session, lead, parse_id(form.message.data), now):
                raise lead_workflow.TransitionRefused("no such undelivered message")
    except lead_workflow.TransitionRefused:
        flash(_("Deze actie kan niet bij de huidige status van de aanvraag."), "error")
        return redirect(url_for("backoffice.lead_detail", lead_id=lead_id), code=303)
    flash(str(DONE_MESSAGES[code]), "ok")
    if code == "reassign" and not lead_workflow.can_view(db.session, user, lead, local_today()):
        return redirect(url_for("backoffice.inbox"), code=303)
    return redirect(url_for("backoffice.lead_detail", lead_id=lead_id), code=303)


@bp.route("/afwezigheid", methods=["GET", "POST"])
@allow("account_manager", "editor", "viewer")
def absence():
    user = signed_in_user()
    form = AbsenceForm(obj=None)
    colleagues = [u for u in lead_workflow.staff(db.session, user.region_id) if u.id != user.id]
    form.deputy.choices = [SelectChoice("", _("Geen vervanger"))] + [
        SelectChoice(str(u.id), u.name) for u in colleagues
    ]
    if request.method == "GET":
        form.absent_until.data = user.absent_until
        form.deputy.data = str(user.deputy_id) if user.deputy_id else ""
    elif form.validate_on_submit():
        until = form.absent_until.data
        deputy_id = parse_id(form.deputy.data)
        if until is not None and until < local_today():
            form.absent_until.errors.append(_("Kies een datum vanaf vandaag, of maak het veld leeg."))
        elif until is not None and deputy_id not in {u.id for u in colleagues}:
            form.deputy.errors.append(_("Kies een vervanger voor de tijd dat u afwezig bent."))
        else:
            user.absent_until = until
            user.deputy_id = deputy_id if until else user.deputy_id
            db.session.commit()
            flash(_("Uw afwezigheid is opgeslagen.") if until else _("U staat weer als aanwezig."), "ok")
            return redirect(url_for("backoffice.absence"), code=303)
    return render_template(
        "backoffice/absence.html", region=catalogue.current_region(), form=form, today=local_today()
    ), (400 if form.errors else 200)
