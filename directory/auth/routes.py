"""Sign up, sign in, sign out; forgotten passwords; the account page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access
from ..extensions import db
from ..mail import send_mail
from ..models import Actor, Area, Management, User, record_change
from ..models._common import utcnow
from . import throttle
from .forms import ChangeEmailForm, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm, SignInForm, SignUpForm
from .tokens import MAX_AGE, make_reset_token, user_for_reset_token

bp = Blueprint("auth", __name__, url_prefix="/account")

SENT_RESET = ("If an account exists for that email address, we have sent it a link to reset the password. "
              f"The link works for {MAX_AGE // 60} minutes.")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site may be a redirect target after sign-in."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _form_page(template: str, form, **context):
    """Render a form page: 400 when it has errors, so tests and tools can tell."""
    return render_template(template, form=form, **context), 400 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@throttle.throttled(throttle.sign_in_limits)
def login():
    """Sign in; the same message whether the email is unknown or the password wrong."""
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        if user is not None and user.active and user.check_password(form.password.data):
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("public.home")))
        throttle.mark_failed()
        form.password.errors.append("The email address or password is not right")
    return _form_page("auth/login.html", form)


@bp.route("/sign-up", methods=["GET", "POST"])
def register():
    """Create an account; an email already in use gets the same answer as a new one."""
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        existing = db.session.scalar(select(User).where(User.email == form.email.data))
        if existing is None:
            user = User(email=form.email.data, name=form.name.data.strip())
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash("Your account has been created. You are signed in.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("public.home")))
        flash("If that email address can be used, you can now sign in with it.", "info")
        return redirect(url_for("auth.login"))
    return _form_page("auth/register.html", form)


@bp.post("/sign-out")
@login_required
def logout():
    """Sign out (POST only, with CSRF)."""
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@throttle.throttled(throttle.reset_request_limits)
def forgot():
    """Ask for a reset link; the answer is the same whether or not the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        if user is not None and user.active:
            link = url_for("auth.reset", token=make_reset_token(user), _external=True)
            send_mail(user.email, "Reset your password", (
                "Someone asked to reset the password of your account in the sector engagement directory.\n\n"
                f"To choose a new password, open this link within {MAX_AGE // 60} minutes:\n\n{link}\n\n"
                "The link works once. If you did not ask for this, ignore this email: "
                "your password has not changed."))
        flash(SENT_RESET, "info")
        return redirect(url_for("auth.login"))
    return _form_page("auth/forgot.html", form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@throttle.throttled(throttle.reset_limits)
def reset(token: str):
    """Choose a new password from an emailed link that is signed, recent and not yet used."""
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        record_change(user, "password reset", user)
        db.session.commit()
        send_mail(user.email, "Your password has been changed",
                  "The password of your account in the sector engagement directory has just been changed "
                  "with a reset link. If this was not you, reset it again and tell an administrator.")
        if current_user.is_authenticated:
            logout_user()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return _form_page("auth/reset.html", form)


@bp.get("")
@login_required
def account():
    """Your details, your roles and the records you manage, with links to change them."""
    managed = db.session.scalars(
        select(Actor).join(Management, Management.actor_id == Actor.id)
        .where(Management.user_id == current_user.id).order_by(Actor.name)
    ).all()
    area_ids = access.moderated_area_ids()
    moderated = db.session.scalars(select(Area).where(Area.id.in_(area_ids)).order_by(Area.name)).all() \
        if area_ids else []
    return render_template("auth/account.html", managed=managed, moderated=moderated)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@throttle.throttled(throttle.account_change_limits)
def change_password():
    """Change your password; needs the current one."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            throttle.mark_failed()
            form.current.errors.append("Your current password is not right")
        else:
            user.set_password(form.password.data)
            record_change(user, "password changed", user)
            db.session.commit()
            send_mail(user.email, "Your password has been changed",
                      "The password of your account in the sector engagement directory has just been changed. "
                      "If this was not you, reset it with the “Forgot your password?” link and tell an "
                      "administrator.")
            flash("Your password has been changed.", "success")
            return redirect(url_for("auth.account"))
    return _form_page("auth/change_password.html", form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@throttle.throttled(throttle.account_change_limits)
def change_email():
    """Change your email address; needs the current password and an address no one else can claim."""
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new, old = form.email.data, user.email
        if not user.check_password(form.current.data):
            throttle.mark_failed()
            form.current.errors.append("Your current password is not right")
        elif new == old:
            form.email.errors.append("Enter a different email address")
        elif db.session.scalar(select(User.id).where(User.email == new)) is not None:
            form.email.errors.append("That email address cannot be used")
        else:
            user.email = new
            record_change(user, "email changed", user, {"email": (old, new)})
            try:
                db.session.commit()
            except IntegrityError:  # taken by someone else between the check and the save
                db.session.rollback()
                form.email.errors.append("That email address cannot be used")
            else:
                send_mail(old, "Your email address has been changed",
                          f"The email address of your account in the sector engagement directory is now {new}. "
                          "If this was not you, tell an administrator.")
                flash("Your email address has been changed.", "success")
                return redirect(url_for("auth.account"))
    return _form_page("auth/change_email.html", form)
