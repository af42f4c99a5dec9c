"""The moderation queue: approve or reject new records and requests to manage them."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..mail import notify, send_mail
from ..models import Actor, ClaimRequest, Management, record_change
from ..models._common import utcnow
from ..pagination import page_from_request
from ..templating import render_form
from ..transitions import change_once, insert_once
from . import queries
from .forms import DecisionForm, RejectForm

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.app_context_processor
def _moderator_flag():
    return {"is_moderator": queries.is_moderator(current_user)}


def _pending(query):
    """A page of what the signed-in moderator may decide on (403 for anyone else); query(user) selects it."""
    if not queries.is_moderator(current_user):
        abort(403)
    return db.paginate(query(current_user), page=page_from_request(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)


RECORD_DECIDED = {"active": "“{name}” has already been approved.",
                  "rejected": "“{name}” has already been rejected."}
CLAIM_DECIDED = {"approved": "That request has already been approved.",
                 "rejected": "That request has already been rejected."}


def _record_decided(actor):
    """The answer to a decision on a record someone has decided already (or a second press of the button)."""
    db.session.rollback()
    flash(RECORD_DECIDED.get(actor.status, "“{name}” has already been decided.").format(name=actor.name), "info")
    return redirect(url_for("moderation.queue"))


def _claim_decided(claim):
    """The answer to a decision on a request someone has decided already."""
    db.session.rollback()
    flash(CLAIM_DECIDED.get(claim.status, "That request has already been decided."), "info")
    return redirect(url_for("moderation.claims"))


def _announce(users, message: str, url: str, subject: str, *, done: str, back: str):
    """Announce an approval or a rejection: tell the people concerned (an in-app notice, saved with the decision,
    then an email once it is saved), say `done` to the moderator and go back to the list `back`."""
    for user in users:
        notify(user, message, url)
    addresses = [user.email for user in users]  # read before the commit expires them
    db.session.commit()
    for address in addresses:
        send_mail(address, subject, message + (f"\n\n{url}" if url else ""))
    flash(done, "success")
    return redirect(url_for(back))


@bp.get("")
@login_required
def queue():
    """Pending records in the areas the user moderates, a page at a time."""
    pagination = _pending(queries.pending_records)
    return render_template("moderation/queue.html", pagination=pagination,
                           managers=queries.managers_of([a.id for a in pagination.items]),
                           claim_count=queries.count(queries.pending_claims(current_user)))


@bp.get("/claims")
@login_required
def claims():
    """Pending requests to manage records in the areas the user moderates."""
    pagination = _pending(queries.pending_claims)
    return render_template("moderation/claims.html", pagination=pagination,
                           record_count=queries.count(queries.pending_records(current_user)))


@bp.post("/records/<int:actor_id>/approve")
@login_required
def approve_record(actor_id: int):
    """Approve a pending record: it becomes active and verified today."""
    actor = queries.record_to_moderate_or_404(actor_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    old_verified = actor.verified_at
    if not change_once(actor, Actor.status == "pending", status="active", verified_at=date.today()):
        return _record_decided(actor)
    record_change(actor, "approved", current_user,
                  {"status": ("pending", "active"), "verified_at": (old_verified, actor.verified_at)})
    return _announce(queries.managers_of([actor.id])[actor.id],
                     f"“{actor.name}” has been approved and is now in the directory.",
                     url_for("public.actor", actor_id=actor.id, _external=True), "Your record has been approved",
                     done=f"“{actor.name}” is approved and now in the directory.", back="moderation.queue")


@bp.route("/records/<int:actor_id>/reject", methods=["GET", "POST"])
@login_required
def reject_record(actor_id: int):
    """Reject a pending record, with a reason sent to its managers."""
    actor = queries.record_to_moderate_or_404(actor_id)
    return _reject(actor, Actor.status == "pending", _record_decided, actor=actor,
                   what=f"the {actor.kind_label.lower()} “{actor.name}”", announce=lambda reason: _announce(
                       queries.managers_of([actor.id])[actor.id],
                       f"“{actor.name}” was not approved. The moderator's reason: {reason}",
                       url_for("public.actor", actor_id=actor.id, _external=True), "Your record was not approved",
                       done=f"“{actor.name}” is rejected; its managers have been told why.", back="moderation.queue"))


def _reject(thing, pending, decided, *, actor: Actor, what: str, announce, keep_reason: bool = False, **values):
    """The reject page of a pending record or request (`thing`): asks the moderator for a reason, rejects the
    thing once however often the button is pressed (`values` are saved with it, and the reason with
    `keep_reason`), and `announce(reason)` tells the people concerned. Once decided, `decided(thing)` answers."""
    if thing.status != "pending":
        return decided(thing)
    form = RejectForm()
    if not form.validate_on_submit():
        return render_form("moderation/reject.html", form=form, actor=actor, what=what)
    reason = form.reason.data
    if keep_reason:
        values["reason"] = reason
    if not change_once(thing, pending, status="rejected", **values):
        return decided(thing)
    record_change(thing, "rejected", current_user, {"status": ("pending", "rejected"), "reason": (None, reason)})
    return announce(reason)


@bp.post("/claims/<int:claim_id>/approve")
@login_required
def approve_claim(claim_id: int):
    """Approve a request to manage a record: the person becomes one of its managers."""
    claim = queries.claim_to_moderate_or_404(claim_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    if claim.user_id == current_user.id and not current_user.is_admin:
        abort(403)
    if not change_once(claim, ClaimRequest.status == "pending", status="approved",
                       decided_by_id=current_user.id, decided_at=utcnow()):
        return _claim_decided(claim)
    record_change(claim, "approved", current_user, {"status": ("pending", "approved")})
    # They may have become a manager another way meanwhile (an invitation, an administrator).
    if insert_once(Management, user_id=claim.user_id, actor_id=claim.actor_id):
        record_change(claim.actor, "manager_added", current_user,
                      {"managers": (None, claim.user.name or claim.user.email)})
    return _announce([claim.user], f"You are now a manager of “{claim.actor.name}”.",
                     url_for("public.actor", actor_id=claim.actor_id, _external=True),
                     "Your request to manage a record was approved",
                     done=f"{claim.user.name or claim.user.email} now manages “{claim.actor.name}”.",
                     back="moderation.claims")


@bp.route("/claims/<int:claim_id>/reject", methods=["GET", "POST"])
@login_required
def reject_claim(claim_id: int):
    """Reject a request to manage a record, with a reason sent to the person who asked."""
    claim = queries.claim_to_moderate_or_404(claim_id)
    who = claim.user.name or claim.user.email
    return _reject(claim, ClaimRequest.status == "pending", _claim_decided, actor=claim.actor,
                   what=f"the request by {who} to manage “{claim.actor.name}”", announce=lambda reason: _announce(
                       [claim.user], f"Your request to manage “{claim.actor.name}” was not approved. "
                                     f"The moderator's reason: {reason}", "",
                       "Your request to manage a record was not approved",
                       done="The request is rejected; the person who asked has been told why.",
                       back="moderation.claims"),
                   keep_reason=True, decided_by_id=current_user.id, decided_at=utcnow())
