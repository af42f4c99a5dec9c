"""Moderation forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class DecisionForm(FlaskForm):
    """Approve: a button carrying a CSRF token."""


class RejectForm(FlaskForm):
    """Reject, with the reason the applicant will be sent."""

    reason = TextAreaField("Reason", filters=[lambda v: v.strip() if isinstance(v, str) else v], validators=[
        DataRequired("Give the reason, so the applicant knows what to change"),
        Length(max=1000, message="Use 1000 characters or fewer")])
