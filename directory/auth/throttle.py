"""Rate limits for signing up, signing in and resetting passwords (Flask-Limiter; storage set by RATELIMIT_STORAGE_URI).

The limits are settings, so a deployment can tighten or loosen them without code changes.
"""
from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter
from ..validation import InvalidValue, check_email

LIMITS = {
    # Every sign-in POST from one address (protects the slow password check).
    "LIMIT_SIGN_IN_PER_ADDRESS": "60 per minute",
    # Failed sign-ins from one address, whichever accounts they try.
    "LIMIT_FAILED_SIGN_IN_PER_ADDRESS": "10 per minute",
    # Failed sign-ins for one account, from any address.
    "LIMIT_FAILED_SIGN_IN_PER_ACCOUNT": "5 per 15 minutes",
    # Password-reset requests.
    "LIMIT_RESET_REQUEST_PER_ADDRESS": "10 per hour",
    "LIMIT_RESET_REQUEST_PER_ACCOUNT": "3 per hour",
    # Choosing a new password from a reset link.
    "LIMIT_RESET_PER_ADDRESS": "20 per hour",
    # Sign-up requests from one address, and sign-up emails sent to one email address.
    "LIMIT_SIGN_UP_PER_ADDRESS": "20 per hour",
    "LIMIT_SIGN_UP_PER_ACCOUNT": "3 per hour",
    # Wrong current password on the change-password or change-email forms, per signed-in user.
    "LIMIT_ACCOUNT_CHANGE_FAILURES": "10 per 15 minutes",
}

TOO_MANY_SIGN_INS = ("There have been too many attempts to sign in. Wait 15 minutes, then try again, "
                     "or reset your password.")
TOO_MANY_RESETS = "There have been too many requests to reset a password. Wait an hour, then try again."
TOO_MANY_SIGN_UPS = "There have been too many requests to create an account. Wait an hour, then try again."
TOO_MANY_CHANGES = "There have been too many wrong passwords. Wait 15 minutes, then try again."


def setting(name: str):
    """A callable that reads one limit from the settings at request time."""
    return lambda: current_app.config.get(name) or LIMITS[name]


def submitted_email() -> str:
    """Key for per-account limits: the email typed into the form in the normal form accounts are found by."""
    typed = request.form.get("email") or ""
    try:
        email = check_email(typed) or ""
    except InvalidValue:  # the form refuses it before any account is looked up
        email = typed.strip().casefold()
    return "email:" + email


def signed_in_user() -> str:
    """Key for per-account limits (account changes, research messages): the account id, which a password change keeps."""
    from flask_login import current_user

    return f"user:{current_user.id if current_user.is_authenticated else get_remote_address()}"


_FAILED = "directory.attempt_failed"


def mark_failed() -> None:
    """Tell the limits below that this request was a failed attempt (so it counts)."""
    # Kept on the request itself, not on g: g lives as long as the app context, which may span requests.
    request.environ[_FAILED] = True


def mark_mail_sent() -> None:
    """Tell the per-account sign-up limit that this request sent an email (so it counts; typos do not)."""
    mark_failed()


def _failed(_response) -> bool:
    return bool(request.environ.get(_FAILED))


sign_in_limits = [
    limiter.limit(setting("LIMIT_SIGN_IN_PER_ADDRESS"), methods=["POST"], error_message=TOO_MANY_SIGN_INS,
                  scope="sign-in-address"),
    limiter.limit(setting("LIMIT_FAILED_SIGN_IN_PER_ADDRESS"), methods=["POST"], deduct_when=_failed,
                  error_message=TOO_MANY_SIGN_INS, scope="sign-in-failed-address"),
    limiter.limit(setting("LIMIT_FAILED_SIGN_IN_PER_ACCOUNT"), methods=["POST"], deduct_when=_failed,
                  key_func=submitted_email, error_message=TOO_MANY_SIGN_INS, scope="sign-in-failed-account"),
]

reset_request_limits = [
    limiter.limit(setting("LIMIT_RESET_REQUEST_PER_ADDRESS"), methods=["POST"], error_message=TOO_MANY_RESETS,
                  scope="reset-request-address"),
    limiter.limit(setting("LIMIT_RESET_REQUEST_PER_ACCOUNT"), methods=["POST"], key_func=submitted_email,
                  error_message=TOO_MANY_RESETS, scope="reset-request-account"),
]

sign_up_limits = [
    limiter.limit(setting("LIMIT_SIGN_UP_PER_ADDRESS"), methods=["POST"], error_message=TOO_MANY_SIGN_UPS,
                  scope="sign-up-address"),
    limiter.limit(setting("LIMIT_SIGN_UP_PER_ACCOUNT"), methods=["POST"], deduct_when=_failed,
                  key_func=submitted_email, error_message=TOO_MANY_SIGN_UPS, scope="sign-up-account"),
]

reset_limits = [
    limiter.limit(setting("LIMIT_RESET_PER_ADDRESS"), methods=["POST"], error_message=TOO_MANY_RESETS,
                  scope="reset-address"),
]

account_change_limits = [
    limiter.limit(setting("LIMIT_ACCOUNT_CHANGE_FAILURES"), methods=["POST"], deduct_when=_failed,
                  key_func=signed_in_user, error_message=TOO_MANY_CHANGES, scope="account-change"),
]


def throttled(limits):
    """Apply a list of limits to a view."""

    def decorate(view):
        for limit in reversed(limits):
            view = limit(view)
        return view

    return decorate
