"""Sign-in, two-factor codes, sign-out and password reset."""

from __future__ import annotations

import datetime as dt

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from wsp_site.backoffice import bp
from wsp_site.backoffice.access import allow, safe_next
from wsp_site.backoffice.auth import SESSION_KEY, current_staff_session, second_factor_ok
from wsp_site.backoffice.forms import CodeForm, EmptyForm, ForgotForm, LoginForm, NewPasswordForm
from wsp_site.clock import utcnow
from wsp_site.extensions import db, limiter
from wsp_site.models import User
from wsp_site.services.catalogue import current_region
from wsp_site.services.people import auth, sessions

FAILED = _l("E-mailadres of wachtwoord klopt niet, of het account is tijdelijk geblokkeerd. Probeer het later opnieuw.")


def _needs_second_factor(user: User) -> bool:
    required = current_app.config["REQUIRE_TOTP_FOR_COORDINATORS"] and user.has_role("coordinator")
    return bool(user.totp_secret) or required


def _finish_login(user: User):
    now = utcnow()
    second_factor_ok = not _needs_second_factor(user)
    lifetime = dt.timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    session.clear()
    session[SESSION_KEY] = sessions.start(db.session, user, now, lifetime, second_factor_ok)
    login_user(user)
    session.permanent = True
    session["last_seen"] = now.timestamp()
    auth.record_login(db.session, user, now)
    db.session.commit()
    target = safe_next(request.args.get("next"))
    if not second_factor_ok:
        return redirect(url_for("backoffice.login_code", next=target))
    return redirect(target or url_for("backoffice.home"))


def _sign_out(reason: str = "signed_out") -> None:
    sessions.end(db.session, session.get(SESSION_KEY), utcnow(), reason)
    db.session.commit()
    logout_user()
    session.clear()


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@allow(anonymous=True)
def login():
    if current_user.is_authenticated and second_factor_ok():
        return redirect(url_for("backoffice.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = auth.authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is not None:
            return _finish_login(user)
        db.session.commit()  # keep the failure count
        error = str(FAILED)
    elif request.method == "POST":
        error = _("Vul uw e-mailadres en wachtwoord in.")
    status = 401 if error else 200
    return render_template("backoffice/login.html", region=current_region(), form=form, error=error), status


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@allow(anonymous=True)
def login_code():
    if not current_user.is_authenticated:
        return redirect(url_for("backoffice.login"))
    if second_factor_ok():
        return redirect(url_for("backoffice.home"))
    user = current_user._get_current_object()
    setting_up = not user.totp_secret
    if setting_up and "totp_setup" not in session:
        session["totp_setup"] = auth.new_totp_secret()
    secret = user.totp_secret or session["totp_setup"]
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        now = utcnow()
        if auth.use_totp_code(db.session, user, secret, form.code.data, now):
            if setting_up:
                user.totp_secret = secret
                session.pop("totp_setup", None)
            current_staff_session().second_factor_ok = True
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("backoffice.home"))
        db.session.commit()  # keep the failure count (and the lockout, which ends this session)
        if auth.is_locked(user, now):
            _sign_out("locked")
            flash(str(FAILED), "error")
            return redirect(url_for("backoffice.login"))
        error = _("Deze code klopt niet, of is al gebruikt. Gebruik de code die nu in uw app staat.")
    return render_template(
        "backoffice/login_code.html",
        region=current_region(),
        form=form,
        error=error,
        setting_up=setting_up,
        secret=secret if setting_up else None,
        uri=auth.totp_uri(user, secret, "WSP") if setting_up else None,
    ), (401 if error else 200)


@bp.post("/uitloggen")
@allow(anonymous=True)
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        _sign_out()
        flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("backoffice.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@allow(anonymous=True)
def forgot_password():
    form = ForgotForm()
    sent = False
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active:
            auth.send_password_link(db.session, user, "reset", utcnow())
            db.session.commit()
        sent = True  # the same answer whether or not the address is known
    return render_template("backoffice/forgot.html", region=current_region(), form=form, sent=sent)


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
@allow(anonymous=True)
def reset_password(token: str):
    now = utcnow()
    valid = auth.find_token(db.session, token, now)
    form = NewPasswordForm()
    error = None
    if valid is None:
        return render_template("backoffice/reset.html", region=current_region(), form=None, invalid=True), 404
    if form.validate_on_submit():
        problem = auth.password_problem(form.password.data, valid.user)
        if problem:
            error = _("Kies een wachtwoord dat niet uw naam of e-mailadres is.")
        else:
            if auth.use_token(db.session, token, form.password.data, now) is None:
                # Used at the same moment by another request with the same link.
                db.session.rollback()
                return render_template("backoffice/reset.html", region=current_region(), form=None, invalid=True), 404
            db.session.commit()
            flash(_("Uw wachtwoord is ingesteld. Log nu in."), "ok")
            return redirect(url_for("backoffice.login"))
    return render_template("backoffice/reset.html", region=current_region(), form=form, invalid=False, error=error), (
        400 if form.errors or error else 200
    )
