"""Asking to manage a record, and editing one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from .. import access, conflicts
from ..extensions import db
from ..models import ClaimRequest, record_change
from ..models._common import utcnow
from ..templating import render_form
from . import answers as ans
from . import draft as drafts
from .blueprint import bp
from .forms import EDIT_FORMS, ClaimForm, prepare
from .journey import claimable_or_404
from .queries import all_areas, has_pending_claim, is_manager


@bp.route("/actors/<int:actor_id>/claim", methods=["GET", "POST"])
@login_required
def claim(actor_id: int):
    """"This is us": ask the moderators to make you a manager of a record."""
    actor = claimable_or_404(actor_id)
    done = url_for("public.actor", actor_id=actor.id) if access.can_view(actor) else url_for("records.index")
    if is_manager(actor.id, current_user.id):
        flash(f"You already manage “{actor.name}”.", "info")
        return redirect(done)
    already = f"You have already asked to manage “{actor.name}”. A moderator will look at it soon."
    if has_pending_claim(actor.id, current_user.id):
        flash(already, "info")
        return redirect(done)
    form = ClaimForm()
    if form.validate_on_submit():
        if request.form.get("from_registration") == "1":
            drafts.clear(actor.kind)
        request_ = ClaimRequest(actor_id=actor.id, user_id=current_user.id, message=form.message.data or "")
        db.session.add(request_)
        try:
            db.session.flush()
        except IntegrityError:  # one waiting request per person and record: the first press sent it
            db.session.rollback()
            flash(already, "info")
            return redirect(done)
        record_change(request_, "requested", current_user,
                      {"actor": (None, actor.name), "status": (None, "pending")})
        db.session.commit()
        flash(f"Your request to manage “{actor.name}” has been sent to the moderators. "
              "We will let you know their decision.", "success")
        return redirect(done)
    return render_form("records/claim.html", actor=actor, form=form)


@bp.route("/actors/<int:actor_id>/edit", methods=["GET", "POST"])
@login_required
def edit(actor_id: int):
    """Edit a record on one page; every changed answer goes to the change log.

    A form opened before someone else's save saves nothing: the page shows what changed (conflicts.py).
    """
    actor = access.get_actor_or_404(actor_id, edit=True)
    areas = all_areas()
    areas_by_id = {a.id: a for a in areas}
    before = ans.from_actor(actor)
    form = EDIT_FORMS[actor.kind](data=before)
    prepare(form, actor.kind, areas)
    conflict = None
    if form.validate_on_submit() and not _forum_move_refused(actor, form):
        conflict = conflicts.submit(form, actor, lambda: _save(actor, form, before, areas_by_id),
                                    lambda: _saved_form(actor, areas))
        if conflict is None:
            return redirect(url_for("public.actor", actor_id=actor.id))
    conflicts.carry_version(form, actor, conflict)
    return render_template("records/edit.html", actor=actor, form=form, kind=actor.kind,
                           home_area=actor.area, conflict=conflict), conflicts.status(form, conflict)


def _save(actor, form, before: dict, areas_by_id) -> None:
    """Save the form's answers, logging each change."""
    ans.apply(actor, ans.from_form(form), areas_by_id)
    changes = ans.differences(before, ans.from_actor(actor), areas_by_id)
    if not changes:
        db.session.rollback()
        flash("Nothing was changed.", "info")
        return
    actor.updated_at = utcnow()  # an UPDATE of the row, so its version moves on even when only a list changed
    record_change(actor, "edited", current_user, changes)
    db.session.commit()
    flash("Your changes have been saved.", "success")


def _saved_form(actor, areas):
    """The edit form filled from the record as it is saved now."""
    form = EDIT_FORMS[actor.kind](formdata=None, data=ans.from_actor(actor), meta={"csrf": False})
    prepare(form, actor.kind, areas)
    return form


FORUM_MOVE_REFUSED = ("Only an administrator or a coordinator of that area can move a forum into it, because "
                      "the forum's managers would become coordinators there. Ask one of them to move it")


def _forum_move_refused(actor, form) -> bool:
    """True (with a message beside the field) when moving a forum to another area is not this user's to do.

    The managers of an active forum coordinate its area: they moderate its records. Moving a forum into
    another area would make them coordinators there without anyone there agreeing, so only admins and
    coordinators of the new area may. A pending forum may move: the new area's moderators approve it.
    """
    new_area = form.area_id.data
    if actor.kind != "forum" or actor.status == "pending" or not new_area or int(new_area) == actor.area_id:
        return False
    if current_user.is_admin or int(new_area) in access.moderated_area_ids():
        return False
    form.area_id.errors.append(FORUM_MOVE_REFUSED)
    return True
