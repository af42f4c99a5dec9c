"""Change your email address: a link goes to the new address, and the change happens when it is followed.

The form gives the same answer whether or not the new address already has an account; only the person
who can read the new address's mail learns that the change could not be made.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mail import send_mail
from ..models import User, record_change
from ..templating import render_form
from . import throttle
from .blueprint import bp, current_password_right, link_problem
from .forms import ChangeEmailForm, ConfirmLinkForm
from .tokens import LINK_HOURS, email_change_from_token, make_email_change_token


@bp.route("/email", methods=["GET", "POST"])
@login_required
@throttle.throttled(throttle.account_change_limits)
def change_email():
    """Ask to change your email address; needs the current password. A link is sent to the new address."""
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    if form.validate_on_submit() and current_password_right(user, form):
        new = form.email.data
        if new == user.email:
            form.email.errors.append("Enter a different email address")
        else:
            link = url_for("auth.confirm_email", token=make_email_change_token(user, new), _external=True)
            send_mail(new, "Confirm your new email address", (
                "Someone, we hope you, asked to use this email address for their account in the sector "
                f"engagement directory.\n\nTo confirm it, open this link within {LINK_HOURS} hours:\n\n{link}\n\n"
                "If this was not you, ignore this email: nothing will change."))
            flash(f"We have sent a link to {new}. Your email address changes when you open it; "
                  f"the link works for {LINK_HOURS} hours.", "info")
            return redirect(url_for("auth.account"))
    return render_form("auth/change_email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Follow the link sent to the new address: a button makes the change, if the address is still free."""
    found = email_change_from_token(token)
    if found is None:
        return link_problem(
            "This link cannot be used",
            "The link to confirm a new email address has expired, has already been used, or was copied "
            f"incompletely. Links work once, for {LINK_HOURS} hours.",
            url_for("auth.change_email"), "Ask for a new link")
    user, new = found
    if db.session.scalar(select(User.id).where(User.email == new)) is not None:
        return _cannot_change()
    form = ConfirmLinkForm()
    if form.validate_on_submit():
        old = user.email
        user.email = new
        record_change(user, "email_changed", user, {"email": (old, new)})
        try:
            db.session.commit()
        except IntegrityError:  # taken by someone else between the check and the save
            db.session.rollback()
            return _cannot_change()
        send_mail(old, "Your email address has been changed",
                  f"The email address of your account in the sector engagement directory is now {new}. "
                  "If this was not you, tell an administrator.")
        flash("Your email address has been changed.", "success")
        signed_in_here = current_user.is_authenticated and current_user.id == user.id
        return redirect(url_for("auth.account") if signed_in_here else url_for("auth.login"))
    return render_template("auth/confirm_email.html", form=form, email=new)


def _cannot_change():
    return link_problem(
        "Your email address could not be changed",
        "This email address already belongs to an account in the directory, so it cannot be moved to "
        "another one. Nothing has changed.",
        url_for("public.home"), "Go to the home page")
