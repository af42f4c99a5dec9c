"""Sign up, sign in, sign out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..models._common import utcnow
from .forms import SignInForm, SignUpForm

bp = Blueprint("auth", __name__, url_prefix="/account")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site may be a redirect target after sign-in."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
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
        form.password.errors.append("The email address or password is not right")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


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
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.post("/sign-out")
@login_required
def logout():
    """Sign out (POST only, with CSRF)."""
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("public.home"))
