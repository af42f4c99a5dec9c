"""Account forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation

from ..fields import converted_by
from ..validation import COMMON_PASSWORD, check_email, is_common_password

MIN_PASSWORD = 10
MAX_PASSWORD = 200


def password_length() -> list:
    """WTForms validators: MIN_PASSWORD to MAX_PASSWORD characters, each limit with its own message."""
    return [Length(min=MIN_PASSWORD, message=f"Use at least {MIN_PASSWORD} characters"),
            Length(max=MAX_PASSWORD, message=f"Use {MAX_PASSWORD} characters or fewer")]


def not_common(_form, field) -> None:
    """WTForms validator: not one of the most common passwords (then its length is not mentioned too)."""
    if is_common_password(field.data or ""):
        raise StopValidation(COMMON_PASSWORD)


valid_email = converted_by(check_email)  # a well-formed email address, normalised in place


class SignInForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), valid_email])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class SignUpForm(FlaskForm):
    """Create an account."""

    name = StringField("Your name", validators=[
        DataRequired("Enter your name"), Length(max=200, message="Enter a name in 200 characters or fewer")])
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), valid_email])
    password = PasswordField("Password", validators=[DataRequired("Enter a password"), not_common, *password_length()])
    confirm = PasswordField("Confirm password", validators=[
        DataRequired("Enter the password again"), EqualTo("password", "The passwords do not match")])


def new_password_field(label: str = "New password") -> PasswordField:
    """A new password of at least MIN_PASSWORD characters, not one of the most common."""
    return PasswordField(label, validators=[DataRequired("Enter a new password"), not_common, *password_length()])


def confirm_field() -> PasswordField:
    """The new password typed again."""
    return PasswordField("Confirm new password", validators=[
        DataRequired("Enter the new password again"),
        EqualTo("password", "The passwords do not match")])


class ForgotPasswordForm(FlaskForm):
    """Ask for a password-reset link."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), valid_email])


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = new_password_field()
    confirm = confirm_field()


class ChangePasswordForm(FlaskForm):
    """Change the password of the signed-in account."""

    current = PasswordField("Current password", validators=[DataRequired("Enter your current password")])
    password = new_password_field()
    confirm = confirm_field()


class ChangeEmailForm(FlaskForm):
    """Change the email address of the signed-in account."""

    email = EmailField("New email address", validators=[
        DataRequired("Enter your new email address"), valid_email])
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password")])


class ConfirmLinkForm(FlaskForm):
    """One button that acts on an emailed link (a POST with CSRF, so a mail scanner opening it does nothing)."""
