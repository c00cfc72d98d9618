"""Coordinator screens: routing rules with a preview, the default key account, and the people of the back office.

Thin views: they parse the form, call leads.rules or people.staff (which check the rules and write the audit trail)
and commit once. Every change answers with a redirect and a flash message (POST-redirect-GET).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, signed_in_user
from wsp_site.backoffice.admin_forms import (
    OUTSIDE_REGION,
    DeactivateForm,
    DefaultKeyAccountForm,
    EnableForm,
    InviteForm,
    MoveForm,
    PersonForm,
    PreviewForm,
    RuleForm,
)
from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models import RoutingRule, User
from wsp_site.services import catalogue
from wsp_site.services.leads import routing, rules
from wsp_site.services.people import auth, staff
from wsp_site.services.people.audit import AdminRefused, ChangedMeanwhile, saving
from wsp_site.vocabulary import ROLE_LABELS, STATUS_LABELS


def _back_to(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def _change(form, change, endpoint: str, target=None):
    """Make a change through leads.rules or people.staff: `change()` answers the message for the flash, or
    None when nothing changed. Refused, its problems go on the form's fields and None comes back (the view
    shows the form again); otherwise commit and go to `endpoint`. `target`: the rule or person being edited;
    when someone else saved it meanwhile, the form is loaded with what is stored now (audit.saving)."""
    try:
        with saving(db.session, target):
            message = change()
    except ChangedMeanwhile as conflict:
        form.load(target)
        form.add_problems(conflict.problems)
        return None
    except AdminRefused as refused:
        form.add_problems(refused.problems)
        return None
    flash(message or _("Er is niets veranderd."), "ok" if message else "info")
    return _back_to(endpoint)


# --- routing rules ------------------------------------------------------------------------------------


def _rule_or_404(rule_id: int) -> RoutingRule:
    rule = rules.find_rule(db.session, catalogue.current_region(), rule_id)
    if rule is None:
        abort(404)
    return rule


def _default_form() -> DefaultKeyAccountForm:
    region = catalogue.current_region()
    form = DefaultKeyAccountForm()
    form.user.choices = [SelectChoice(str(u.id), u.name) for u in rules.lead_handlers(db.session, region)]
    if not form.is_submitted():
        form.user.data = str(region.default_key_account_id or "")
    return form


@bp.get("/routering")
@allow()
def routing_rules(default_form: DefaultKeyAccountForm | None = None, status: int = 200):
    region = catalogue.current_region()
    ordered = rules.ordered_rules(db.session, region)
    used: dict[str, list[str]] = {}
    for rule in ordered:
        for key, values in (rule.conditions or {}).items():
            used.setdefault(key, []).extend(values)
    options = rules.condition_options(db.session, region, keep=used)
    form = default_form or _default_form()
    return render_template(
        "backoffice/admin/routing_rules.html",
        region=region,
        rules=[
            (rule, rules.describe_conditions(rule.conditions, options), rules.describe_target(rule)) for rule in ordered
        ],
        default_form=form,
        errors=form.ordered_errors(),
    ), status


@bp.post("/routering/standaard-accounthouder")
@allow()
def default_key_account():
    region = catalogue.current_region()
    form = _default_form()
    if form.validate_on_submit():
        user = staff.find_user(db.session, region, int(form.user.data))

        def change():
            if rules.set_default_key_account(db.session, region, user, signed_in_user(), utcnow()):
                return _("%(name)s is nu de standaard accounthouder.", name=user.name)
            return None

        if (done := _change(form, change, "backoffice.routing_rules")) is not None:
            return done
    return routing_rules(default_form=form, status=400)


def _rule_form(rule: RoutingRule | None):
    region = catalogue.current_region()
    form = RuleForm()
    form.set_choices(
        rules.condition_options(db.session, region, keep=rule.conditions if rule else None),
        rules.lead_handlers(db.session, region),
    )
    if rule is not None and not form.is_submitted():
        form.load(rule)
    elif form.validate_on_submit():
        data = rules.RuleInput(name=form.name.data, conditions=form.conditions(), pool_ids=form.pool_ids())

        def change():
            if rule is None:
                new = rules.create_rule(db.session, region, signed_in_user(), data, utcnow())
                return _("De regel ‘%(name)s’ is toegevoegd, onderaan de lijst.", name=new.name)
            if rules.update_rule(db.session, region, rule, signed_in_user(), data, utcnow(), form.seen_version()):
                return _("De regel ‘%(name)s’ is opgeslagen.", name=rule.name)
            return None

        if (done := _change(form, change, "backoffice.routing_rules", rule)) is not None:
            return done
    errors = form.ordered_errors()
    return render_template("backoffice/admin/rule_form.html", region=region, form=form, rule=rule, errors=errors), (
        400 if errors else 200
    )


@bp.route("/routering/nieuw", methods=["GET", "POST"])
@allow()
def rule_new():
    return _rule_form(None)


@bp.route("/routering/<int:rule_id>", methods=["GET", "POST"])
@allow()
def rule_edit(rule_id: int):
    return _rule_form(_rule_or_404(rule_id))


@bp.post("/routering/<int:rule_id>/verplaatsen")
@allow()
def rule_move(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("De regel is niet verplaatst. Probeer het opnieuw."), "error")
        return _back_to("backoffice.routing_rules")
    if rules.move_rule(db.session, catalogue.current_region(), rule, form.direction.data, signed_in_user(), utcnow()):
        db.session.commit()
        flash(_("De regel ‘%(name)s’ staat nu op plaats %(position)s.", name=rule.name, position=rule.position), "ok")
    else:
        db.session.rollback()  # only the renumbering happened, and it is redone on every move
        flash(_("De regel ‘%(name)s’ kan niet verder die kant op.", name=rule.name), "info")
    return _back_to("backoffice.routing_rules")


@bp.post("/routering/<int:rule_id>/aan-uit")
@allow()
def rule_enable(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = EnableForm()
    if not form.validate_on_submit():
        flash(_("Er is niets veranderd. Probeer het opnieuw."), "error")
        return _back_to("backoffice.routing_rules")
    enabled = form.enabled.data == "1"
    try:
        with transaction():
            rules.set_rule_enabled(db.session, rule, enabled, signed_in_user(), utcnow())
    except AdminRefused as refused:
        for _field, message in refused.problems:
            flash(message, "error")
        return _back_to("backoffice.routing_rules")
    if enabled:
        flash(_("De regel ‘%(name)s’ staat aan.", name=rule.name), "ok")
    else:
        flash(_("De regel ‘%(name)s’ staat uit. Routering slaat hem over.", name=rule.name), "ok")
    return _back_to("backoffice.routing_rules")


@bp.get("/routering/testen")
@allow()
def routing_preview():
    region = catalogue.current_region()
    form = PreviewForm(formdata=request.args or None)
    form.set_choices(rules.condition_options(db.session, region), _("Buiten de regio"))
    result = None
    if request.args and form.validate():
        facts = routing.LeadFacts(
            request_type=form.request_type.data,
            sector=form.sector.data or None,
            size_band=form.size_band.data or None,
            municipality=None if form.municipality.data in (None, "", OUTSIDE_REGION) else form.municipality.data,
            instruments=tuple(sorted(form.instrument.data or [])),
            kvk=form.kvk.data or None,
            email=form.email.data or None,
        )
        result = rules.preview_routing(db.session, region, facts, local_today(utcnow()))
    return render_template(
        "backoffice/admin/routing_preview.html",
        region=region,
        form=form,
        result=result,
        errors=form.ordered_errors() if request.args else [],
    )


# --- people -------------------------------------------------------------------------------------------


def _user_or_404(user_id: int) -> User:
    user = staff.find_user(db.session, catalogue.current_region(), user_id)
    if user is None:
        abort(404)
    return user


def _person_choices(form) -> None:
    region = catalogue.current_region()
    form.set_choices(
        ROLE_LABELS,
        staff.service_points(db.session, region),
        staff.municipalities(db.session, region),
        staff.intermediaries(db.session, region),
    )


@bp.get("/gebruikers")
@allow()
def users():
    region = catalogue.current_region()
    return render_template(
        "backoffice/admin/users.html",
        region=region,
        users=staff.all_users(db.session, region),
        role_labels=ROLE_LABELS,
    )


@bp.route("/gebruikers/uitnodigen", methods=["GET", "POST"])
@allow()
def user_invite():
    region = catalogue.current_region()
    form = InviteForm()
    _person_choices(form)
    if form.validate_on_submit():
        data = staff.PersonInput(
            name=form.name.data,
            email=form.email.data,
            roles=list(form.roles.data),
            service_point_id=form.service_point_id(),
            municipality_ids=form.municipality_ids(),
            intermediary_id=form.intermediary_id(),
        )

        def change():
            user = staff.invite_user(db.session, region, signed_in_user(), data, utcnow())
            auth.send_password_link(db.session, user, "invite", utcnow())
            return _("%(name)s is uitgenodigd. De uitnodiging gaat naar %(email)s.", name=user.name, email=user.email)

        if (done := _change(form, change, "backoffice.users")) is not None:
            return done
    errors = form.ordered_errors()
    return render_template("backoffice/admin/user_form.html", region=region, form=form, person=None, errors=errors), (
        400 if errors else 200
    )


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@allow()
def user_edit(user_id: int):
    region = catalogue.current_region()
    person = _user_or_404(user_id)
    form = PersonForm()
    _person_choices(form)
    if not form.is_submitted():
        form.load(person)
    elif form.validate_on_submit():
        data = staff.PersonInput(
            roles=list(form.roles.data),
            service_point_id=form.service_point_id(),
            municipality_ids=form.municipality_ids(),
            intermediary_id=form.intermediary_id(),
        )

        def change():
            seen = form.seen_version()
            if staff.update_user(db.session, region, person, signed_in_user(), data, utcnow(), seen):
                return _("De gegevens van %(name)s zijn opgeslagen.", name=person.name)
            return None

        if (done := _change(form, change, "backoffice.users", person)) is not None:
            return done
    errors = form.ordered_errors()
    return render_template(
        "backoffice/admin/user_form.html",
        region=region,
        form=form,
        person=person,
        errors=errors,
    ), (400 if errors else 200)


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["GET", "POST"])
@allow()
def user_deactivate(user_id: int):
    region = catalogue.current_region()
    person = _user_or_404(user_id)
    actor = signed_in_user()
    form = DeactivateForm()
    colleagues = [u for u in rules.lead_handlers(db.session, region) if u.id != person.id]
    form.reassign_to.choices = [
        SelectChoice(str(u.id), f"{u.name} ({u.service_point.name})" if u.service_point else u.name) for u in colleagues
    ]
    if form.validate_on_submit():
        colleague_id = form.colleague_id()
        colleague = staff.find_user(db.session, region, colleague_id) if colleague_id else None
        try:
            done = staff.deactivate_user(db.session, region, person, actor, utcnow(), reassign_to=colleague)
        except AdminRefused as refused:
            # Problems without a field (the default key account, say) are the blockers the page lists anyway.
            form.add_problems([(name, message) for name, message in refused.problems if name])
        else:
            db.session.commit()
            if done.reassigned:
                flash(
                    _(
                        "%(name)s is gedeactiveerd. %(count)s open aanvragen zijn overgedragen aan %(colleague)s.",
                        name=person.name,
                        count=len(done.reassigned),
                        colleague=colleague.name,
                    ),
                    "ok",
                )
            else:
                flash(_("%(name)s is gedeactiveerd.", name=person.name), "ok")
            return _back_to("backoffice.users")
    return render_template(
        "backoffice/admin/user_deactivate.html",
        region=region,
        person=person,
        form=form,
        blockers=staff.blockers(db.session, region, person, actor),
        errors=form.ordered_errors(),
        status_labels=STATUS_LABELS,
    ), (400 if form.is_submitted() else 200)


@bp.post("/gebruikers/<int:user_id>/activeren")
@allow()
def user_reactivate(user_id: int):
    person = _user_or_404(user_id)
    form = EnableForm()
    if form.validate_on_submit() and form.enabled.data == "1":
        if staff.reactivate_user(db.session, person, signed_in_user(), utcnow()):
            db.session.commit()
            flash(_("%(name)s kan weer inloggen.", name=person.name), "ok")
        else:
            flash(_("%(name)s was al actief.", name=person.name), "info")
    else:
        flash(_("Er is niets veranderd. Probeer het opnieuw."), "error")
    return _back_to("backoffice.user_edit", user_id=person.id)
