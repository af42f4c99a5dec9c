"""A record's freshness, archive and restore, and its history."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from .. import access, vocab
from ..extensions import db
from ..models import Actor, BarrierReport, ChangeLog, Collaboration, record_change
from ..models._common import utcnow
from ..pagination import page_from_request
from ..transitions import change_once
from .blueprint import bp
from .helpers import back_to


@bp.post("/actors/<int:actor_id>/still-accurate")
@login_required
def confirm_accurate(actor_id: int):
    """One click: the record is still accurate (sets the verified date to today; logged once a day at most)."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    old, today = actor.verified_at, date.today()
    if change_once(actor, or_(Actor.verified_at.is_(None), Actor.verified_at != today), verified_at=today):
        record_change(actor, "confirmed_accurate", current_user, {"verified_at": (old, today)})
        db.session.commit()
    else:
        db.session.rollback()  # confirmed today already, perhaps by a second press a moment ago
    flash(f"Thank you: “{actor.name}” is confirmed as accurate today.", "success")
    return redirect(back_to(url_for("public.actor", actor_id=actor.id)))


@bp.route("/actors/<int:actor_id>/archive", methods=["GET", "POST"])
@login_required
def archive(actor_id: int):
    """Archive a record after a confirmation page; it leaves the public pages but is kept."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.status == "archived":
        return _changed_meanwhile(actor, "archive")
    role = access.archiving_role(actor)
    if request.method == "GET":
        return render_template("manage/archive.html", actor=actor, role=role)
    old = actor.status
    if not change_once(actor, Actor.status == old, status="archived", archived_as=role, archived_at=utcnow()):
        return _changed_meanwhile(actor, "archive")
    record_change(actor, "archived", current_user, {"status": (old, "archived"), "archived_as": (None, role)})
    db.session.commit()
    flash(f"“{actor.name}” is archived. It no longer shows in the directory; you can restore it.", "success")
    return redirect(url_for("public.actor", actor_id=actor.id))


def status_before_archive(actor: Actor) -> str:
    """Where a restored record goes: active if it had ever been approved, else pending."""
    entries = db.session.scalars(select(ChangeLog).where(
        ChangeLog.object_type == "actor", ChangeLog.object_id == actor.id)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()))
    for entry in entries:
        old_new = (entry.changes or {}).get("status")
        if old_new and (old_new[1] == "active" or (entry.action == "archived" and old_new[0] == "active")):
            return "active"
    return "pending"


def restore_refusal(actor: Actor) -> dict | None:
    """Why the current user may not restore this archived record: who archived it, when, whom to ask; else None."""
    if actor.status != "archived" or access.can_restore(actor):
        return None
    forums = db.session.scalars(select(Actor).where(
        Actor.kind == "forum", Actor.status == "active", Actor.area_id == actor.area_id).order_by(Actor.name)
    ).all() if actor.area_id is not None else []
    return {"by": vocab.ARCHIVED_AS.label(actor.archived_as), "at": actor.archived_at, "forums": forums}


@bp.route("/actors/<int:actor_id>/restore", methods=["GET", "POST"])
@login_required
def restore(actor_id: int):
    """Restore an archived record: active again if it had been approved, otherwise pending.

    A moderator's or admin's archive is theirs to undo: its managers are told why, and a POST is a 403.
    """
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.status != "archived":
        return _changed_meanwhile(actor, "restore")
    refusal = restore_refusal(actor)
    new_status = status_before_archive(actor)
    if request.method == "GET" or refusal:
        status = 403 if refusal and request.method == "POST" else 200
        return render_template("manage/restore.html", actor=actor, new_status=new_status, refusal=refusal), status
    # The same archive that was checked: not one a moderator made meanwhile.
    if not change_once(actor, Actor.status == "archived", Actor.archived_at.is_not_distinct_from(actor.archived_at),
                       status=new_status, archived_as=None, archived_at=None):
        return _changed_meanwhile(actor, "restore")
    record_change(actor, "restored", current_user, {"status": ("archived", new_status)})
    db.session.commit()
    flash(f"“{actor.name}” is restored" + (" and shows in the directory again." if new_status == "active"
                                           else "; it waits for a moderator to approve it."), "success")
    return redirect(back_to(url_for("public.actor", actor_id=actor.id)))


def _changed_meanwhile(actor: Actor, action: str):
    """The answer when there is nothing to archive or restore (a second press, or someone else was first):
    nothing is changed, and the person sees where the record stands now."""
    db.session.rollback()
    if action == "archive" and actor.status == "archived":
        flash(f"“{actor.name}” has already been archived.", "info")
    elif action == "restore" and actor.status != "archived":
        flash(f"“{actor.name}” is not archived: it has already been restored, or never was archived.", "info")
    else:
        flash(f"“{actor.name}” changed while you were deciding: nothing was changed. Look again.", "warning")
    return redirect(url_for("public.actor", actor_id=actor.id))


@bp.get("/actors/<int:actor_id>/history")
@login_required
def history(actor_id: int):
    """The change log of a record, its barrier reports and its links, newest first."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    barrier_ids = select(BarrierReport.id).where(BarrierReport.actor_id == actor.id)
    link_ids = select(Collaboration.id).where(
        or_(Collaboration.source_id == actor.id, Collaboration.target_id == actor.id))
    stmt = (select(ChangeLog).where(or_(
        and_(ChangeLog.object_type == "actor", ChangeLog.object_id == actor.id),
        and_(ChangeLog.object_type == "barrierreport", ChangeLog.object_id.in_(barrier_ids)),
        and_(ChangeLog.object_type == "collaboration", ChangeLog.object_id.in_(link_ids)),
    )).options(selectinload(ChangeLog.user)).order_by(ChangeLog.at.desc(), ChangeLog.id.desc()))
    pagination = db.paginate(stmt, page=page_from_request(), per_page=25, error_out=False)
    return render_template("manage/history.html", actor=actor, pagination=pagination,
                           subjects=_subjects(pagination.items))


def _subjects(entries: list[ChangeLog]) -> dict[tuple[str, int], str]:
    """What each link or barrier entry is about, in words, in two queries at most."""
    wanted: dict[str, set[int]] = {"collaboration": set(), "barrierreport": set()}
    for entry in entries:
        if entry.object_type in wanted:
            wanted[entry.object_type].add(entry.object_id)
    found: dict[tuple[str, int], str] = {}
    if wanted["collaboration"]:
        for link in db.session.scalars(select(Collaboration).where(
                Collaboration.id.in_(wanted["collaboration"]))).unique():
            found[("collaboration", link.id)] = (
                f"Link: {link.source.name} – {link.link_kind.label.lower()} – {link.target.name}")
    if wanted["barrierreport"]:
        for report in db.session.scalars(select(BarrierReport).where(
                BarrierReport.id.in_(wanted["barrierreport"]))):
            found[("barrierreport", report.id)] = f"Barrier report: {report.category_label}"
    return found
