"""A record's managers: invite by email (single-use token, 7 days), accept, remove (never the last)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import access
from ..auth.tokens import token_hash
from ..extensions import db
from ..mail import notify, send_mail
from ..models import Actor, Management, ManagerInvitation, User, record_change
from ..models._common import utcnow
from ..templating import render_form
from ..transitions import change_once, delete_once, insert_once, lock
from .blueprint import bp
from .forms import InviteForm
from .helpers import managers_of, who

INVITATION_DAYS = 7
LAST_MANAGER = "A record needs at least one manager: invite someone else before removing this one."


def _open_invitations(actor_id: int) -> list[ManagerInvitation]:
    """Invitations not yet accepted and not expired."""
    return list(db.session.scalars(select(ManagerInvitation).where(
        ManagerInvitation.actor_id == actor_id, ManagerInvitation.accepted_at.is_(None),
        ManagerInvitation.expires_at > utcnow()).order_by(ManagerInvitation.created_at)))


@bp.route("/actors/<int:actor_id>/managers", methods=["GET", "POST"])
@login_required
def managers(actor_id: int):
    """Who manages a record, open invitations, and a form to invite someone else."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    people = managers_of(actor.id)
    form = InviteForm(managers=people)
    if form.validate_on_submit():
        _invite(actor, form.email.data)
        flash(f"Invitation sent to {form.email.data}. It works once, for {INVITATION_DAYS} days.", "success")
        return redirect(url_for("manage.managers", actor_id=actor.id))
    return render_form("manage/managers.html", actor=actor, form=form, people=people,
                       invitations=_open_invitations(actor.id))


def _invite(actor, email: str) -> None:
    """Store a hashed single-use token and email the link."""
    token = secrets.token_urlsafe(32)
    invitation = ManagerInvitation(actor_id=actor.id, email=email, token_hash=token_hash(token),
                                   invited_by_id=current_user.id,
                                   expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    record_change(actor, "manager_invited", current_user, {"invitation": (None, email)})
    link = url_for("manage.invitation", token=token, _external=True)
    send_mail(email, f"Help manage “{actor.name}” in the sector engagement directory",
              f"{who(current_user)} has invited you to help keep the record of “{actor.name}” up to date.\n\n"
              f"Open this link, sign in or create an account with this email address, and accept:\n{link}\n\n"
              f"The link works once and expires in {INVITATION_DAYS} days. If you did not expect it, ignore it.")
    db.session.commit()


def _invitation_by_token(token: str) -> ManagerInvitation | None:
    return db.session.scalar(select(ManagerInvitation).where(ManagerInvitation.token_hash == token_hash(token)))


def _invitation_or_404(token: str) -> ManagerInvitation:
    """An open invitation by its token; used, expired or unknown tokens are all a 404."""
    return _open_or_404(_invitation_by_token(token))


def _open_or_404(invitation: ManagerInvitation | None) -> ManagerInvitation:
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        abort(404, "This invitation link has already been used or has expired. Ask for a new one.")
    return invitation


@bp.get("/invitations/<token>")
def invitation(token: str):
    """The invitation: who invites you to what, and an Accept button once you are signed in."""
    invite = _invitation_or_404(token)
    return render_template("manage/invitation.html", invitation=invite, token=token,
                           email_matches=current_user.is_authenticated and current_user.email == invite.email)


@bp.post("/invitations/<token>/accept")
@login_required
def accept_invitation(token: str):
    """Accept an invitation with the account it was sent to; it cannot be used again."""
    invite = _invitation_by_token(token)
    if (invite is not None and invite.accepted_at is not None and current_user.email == invite.email
            and access.manages(invite.actor_id)):
        # A second press that arrives after the first accepted it: the first press's answer, not a 404.
        return _accepted(invite)
    invite = _open_or_404(invite)
    if current_user.email != invite.email:
        abort(403, "This invitation was sent to another email address. Sign in with that address to accept it.")
    # Once: a second press finds the invitation used and gets the same answer; someone who became a
    # manager another way meanwhile is not added (or logged) twice.
    if change_once(invite, ManagerInvitation.accepted_at.is_(None), accepted_at=utcnow()):
        if insert_once(Management, user_id=current_user.id, actor_id=invite.actor_id):
            record_change(invite.actor, "manager_added", current_user, {"manager": (None, current_user.email)})
        db.session.commit()
    else:
        db.session.rollback()
    return _accepted(invite)


def _accepted(invite: ManagerInvitation):
    flash(f"You now help manage “{invite.actor.name}”.", "success")
    return redirect(url_for("manage.dashboard"))


def _manager_count(actor_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Management).where(Management.actor_id == actor_id))


def is_last_manager(actor_id: int) -> bool:
    """True when a record has one manager or none: the last one is never removed (admins follow this too)."""
    return _manager_count(actor_id) <= 1


def take_off(user_id: int, actor_id: int) -> str:
    """Stop someone managing a record, once and never the last manager, even when two removals run at once.

    "removed"; "gone" when another request removed them a moment ago; "last" when they are the only one
    left. Anything but "removed" has been rolled back.
    """
    lock(Actor, actor_id)  # removals of two different managers of one record wait for each other
    if not delete_once(Management, Management.user_id == user_id, Management.actor_id == actor_id):
        db.session.rollback()
        return "gone"
    if _manager_count(actor_id) == 0:
        db.session.rollback()
        return "last"
    return "removed"


@bp.route("/actors/<int:actor_id>/managers/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def remove_manager(actor_id: int, user_id: int):
    """Remove a manager after a confirmation page; the last manager cannot be removed."""
    management = db.session.get(Management, (user_id, actor_id))
    # A second press finds them removed by the first: the same answer, not an error page.
    if management is None and request.method == "POST" and user_id == current_user.id:
        flash("You no longer manage that record.", "success")  # and may no longer open its pages
        return redirect(url_for("manage.dashboard"))
    actor = access.get_actor_or_404(actor_id, edit=True)
    if management is None and request.method == "POST":
        flash(f"That person no longer manages “{actor.name}”.", "success")
        return redirect(url_for("manage.managers", actor_id=actor.id))
    if management is None:
        abort(404)
    if is_last_manager(actor.id):
        flash(LAST_MANAGER, "warning")
        return redirect(url_for("manage.managers", actor_id=actor.id))
    person = db.session.get(User, user_id)
    if request.method == "GET":
        return render_template("manage/manager_remove.html", actor=actor, person=person)
    outcome = take_off(person.id, actor.id)
    if outcome == "last":
        flash(LAST_MANAGER, "warning")
        return redirect(url_for("manage.managers", actor_id=actor.id))
    if outcome == "removed":  # else a second press: the first one removed them and told them
        record_change(actor, "manager_removed", current_user, {"manager": (person.email, None)})
        removed_by_another = person.id != current_user.id
        if removed_by_another:
            message = f"{who(current_user)} removed you as a manager of “{actor.name}”."
            notify(person, message, url_for("public.actor", actor_id=actor.id))
        db.session.commit()
        if removed_by_another:
            send_mail(person.email, f"You no longer manage “{actor.name}” in the sector engagement directory",
                      message)
    flash(f"{who(person)} no longer manages “{actor.name}”.", "success")
    if person.id == current_user.id and not access.can_edit(actor):
        return redirect(url_for("manage.dashboard"))
    return redirect(url_for("manage.managers", actor_id=actor.id))
