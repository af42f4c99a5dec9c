"""Sign up: the form always answers "check your email"; the account is made when the emailed link is followed.

A new address is sent an encrypted, signed link carrying the account (name, email, hashed password); nothing is stored
until it is followed. An address that already has an account is told so instead. Both answers look the
same from outside, so the form does not reveal who has an account.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mail import send_mail
from ..models import User
from ..models._common import utcnow
from ..templating import render_form
from . import sign_ins, throttle
from .blueprint import bp, link_problem, safe_next, signed_out_only
from .forms import ConfirmLinkForm, SignUpForm
from .tokens import LINK_HOURS, link_used, make_sign_up_token, mark_link_used, sign_up_from_token


@bp.route("/sign-up", methods=["GET", "POST"])
@throttle.throttled(throttle.sign_up_limits)
@signed_out_only
def register():
    """Ask for an account: the same "check your email" page whether or not the address has one."""
    form = SignUpForm()
    if form.validate_on_submit():
        email, name = form.email.data, form.name.data.strip()
        # Hash first, whichever way it goes, so the time taken says nothing either.
        password_hash = User.hash_password(form.password.data)
        existing = db.session.scalar(select(User).where(User.email == email))
        if existing is None:
            _send_finish_link(email, name, password_hash, request.args.get("next") or "")
        else:
            _send_already_registered(existing)
        throttle.mark_mail_sent()
        return render_template("auth/sign_up_sent.html", email=email, hours=LINK_HOURS)
    return render_form("auth/register.html", form=form)


def _send_finish_link(email: str, name: str, password_hash: str, next_url: str) -> None:
    token = make_sign_up_token(email, name, password_hash, safe_next(next_url, ""))
    link = url_for("auth.finish_sign_up", token=token, _external=True)
    send_mail(email, "Finish creating your account", (
        "Someone, we hope you, asked to create an account in the sector engagement directory with this "
        f"email address.\n\nTo finish creating your account, open this link within {LINK_HOURS} hours:\n\n"
        f"{link}\n\nIf this was not you, ignore this email: no account will be created."))


def _send_already_registered(user: User) -> None:
    sign_in = url_for("auth.login", _external=True)
    forgot = url_for("auth.forgot", _external=True)
    inactive = ("" if user.active else
                "\n\nYour account has been closed by an administrator; ask them if you need it again.")
    send_mail(user.email, "Someone tried to create an account with your email address", (
        "Someone tried to create an account in the sector engagement directory with this email address, "
        "but it already has an account, so nothing has changed.\n\n"
        f"If it was you, sign in:\n\n{sign_in}\n\n"
        f"or, if you have forgotten your password, reset it:\n\n{forgot}\n\n"
        f"If it was not you, ignore this email.{inactive}"))


@bp.route("/sign-up/finish/<token>", methods=["GET", "POST"])
def finish_sign_up(token: str):
    """Follow the emailed link: a button creates the account (if the address is still free) and signs in.

    The link works once: followed again, even after the account's address has changed, it makes nothing.
    """
    data = sign_up_from_token(token)
    if data is None:
        return link_problem(
            "This link cannot be used",
            f"The link to finish creating your account has expired or was copied incompletely. "
            f"Links work for {LINK_HOURS} hours.",
            url_for("auth.register"), "Start again")
    if link_used(token):
        return link_problem(
            "This link has already been used",
            "The link to finish creating your account works once, and the account has been created with it. "
            "Sign in, or reset the password if you have forgotten it.",
            url_for("auth.login"), "Sign in")
    if db.session.scalar(select(User.id).where(User.email == data["email"])) is not None:
        return _already_exists()
    form = ConfirmLinkForm()
    if form.validate_on_submit():
        user = User(email=data["email"], name=data["name"], password_hash=data["pw"], last_login_at=utcnow())
        db.session.add(user)
        mark_link_used(token)
        try:
            db.session.commit()
        except IntegrityError:  # created between the check and the save (the link used twice at once)
            db.session.rollback()
            return _already_exists()
        sign_ins.begin(user)
        flash("Your account has been created. You are signed in.", "success")
        return redirect(safe_next(data["next"], url_for("public.home")))
    return render_template("auth/sign_up_finish.html", form=form, name=data["name"], email=data["email"])


def _already_exists():
    return link_problem(
        "You already have an account",
        "There is already an account with this email address (perhaps this link has been used). "
        "Sign in with it, or reset its password if you have forgotten it.",
        url_for("auth.login"), "Sign in")
