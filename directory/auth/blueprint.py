"""The "auth" blueprint object and the helpers its route modules share."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from . import throttle

bp = Blueprint("auth", __name__, url_prefix="/account")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site may be a redirect target after sign-in."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def signed_out_only(view):
    """A view for people not signed in (sign in, sign up): anyone signed in is sent to the home page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.is_authenticated:
            return redirect(url_for("public.home"))
        return view(*args, **kwargs)

    return wrapper


def current_password_right(user, form) -> bool:
    """Whether form.current holds the user's password; if not, it says so beside the field, and the request
    counts as a failed attempt against the limits."""
    if user.check_password(form.current.data):
        return True
    throttle.mark_failed()
    form.current.errors.append("Your current password is not right")
    return False


def link_problem(title: str, message: str, link_url: str, link_text: str, status: int = 400):
    """The page for an emailed link that cannot be used (expired, used, mangled, or overtaken)."""
    return render_template("auth/link_problem.html", title=title, message=message, link_url=link_url,
                           link_text=link_text), status
