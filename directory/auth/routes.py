"""Sign in, sign out; forgotten passwords; the account page and changing the password.

Sign-up is in signup.py and changing the email address in email_change.py; they share `bp`.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..mail import send_mail
from ..models import Actor, Area, Management, User, record_change
from ..models._common import utcnow
from ..models.user import dummy_password_check
from ..templating import render_form
from . import email_change, signup  # noqa: F401  (their routes register on bp on import)
from . import sign_ins, throttle
from .blueprint import bp, current_password_right, safe_next, signed_out_only
from .forms import ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm, SignInForm
from .tokens import MAX_AGE, make_reset_token, user_for_reset_token

__all__ = ["bp", "safe_next"]

SENT_RESET = ("If an account exists for that email address, we have sent it a link to reset the password. "
              f"The link works for {MAX_AGE // 60} minutes.")


@bp.route("/sign-in", methods=["GET", "POST"])
@throttle.throttled(throttle.sign_in_limits)
@signed_out_only
def login():
    """Sign in; the same message whether the email is unknown or the password wrong."""
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        # Always check a password hash, a dummy one when there is no account, so timing tells nothing.
        right = user.check_password(form.password.data) if user is not None \
            else dummy_password_check(form.password.data)
        if right and user.active:
            user.last_login_at = utcnow()
            sign_ins.begin(user)
            return redirect(safe_next(request.args.get("next"), url_for("public.home")))
        throttle.mark_failed()
        form.password.errors.append("The email address or password is not right")
    return render_form("auth/login.html", form=form)


@bp.post("/sign-out")
@login_required
def logout():
    """Sign out (POST only, with CSRF): this browser's sign-in ends, so a copy of its cookie ends too."""
    sign_ins.end()
    flash("You have signed out.", "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@throttle.throttled(throttle.reset_request_limits)
def forgot():
    """Ask for a reset link; the answer is the same whether or not the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        # Every address asked for gets an email, so the time the answer takes (sending by SMTP) is the
        # same whether or not it has an account, as the answer itself is.
        if user is not None and user.active:
            link = url_for("auth.reset", token=make_reset_token(user), _external=True)
            send_mail(user.email, "Reset your password", (
                "Someone asked to reset the password of your account in the sector engagement directory.\n\n"
                f"To choose a new password, open this link within {MAX_AGE // 60} minutes:\n\n{link}\n\n"
                "The link works once. If you did not ask for this, ignore this email: "
                "your password has not changed."))
        else:
            _send_no_account(form.email.data, closed=user is not None)
        flash(SENT_RESET, "info")
        return redirect(url_for("auth.login"))
    return render_form("auth/forgot.html", form=form)


def _send_no_account(email: str, *, closed: bool) -> None:
    """Tell an address with no usable account that someone asked to reset its password."""
    what = ("the account with this email address has been closed by an administrator; ask them if you "
            "need it again" if closed else
            f"there is no account with this email address. To create one, sign up:\n\n"
            f"{url_for('auth.register', _external=True)}")
    send_mail(email, "Someone asked to reset a password", (
        "Someone asked to reset the password of an account in the sector engagement directory with this "
        f"email address, but {what}.\n\nIf it was not you, ignore this email: nothing has changed."))


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
        record_change(user, "password_reset", user)
        sign_ins.end_all(user)  # whoever knew the old password is signed out everywhere
        db.session.commit()
        send_mail(user.email, "Your password has been changed",
                  "The password of your account in the sector engagement directory has just been changed "
                  "with a reset link. If this was not you, reset it again and tell an administrator.")
        if current_user.is_authenticated:
            sign_ins.end()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return render_form("auth/reset.html", form=form)


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
    """Change your password; needs the current one. Every other signed-in session ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit() and current_password_right(user, form):
        user.set_password(form.password.data)
        record_change(user, "password_changed", user)
        sign_ins.end_all(user, but_this_browser=True)
        db.session.commit()
        send_mail(user.email, "Your password has been changed",
                  "The password of your account in the sector engagement directory has just been changed. "
                  "If this was not you, reset it with the “Forgot your password?” link and tell an "
                  "administrator.")
        flash("Your password has been changed.", "success")
        return redirect(url_for("auth.account"))
    return render_form("auth/change_password.html", form=form)
