"""A record's freshness, archive and restore, and its history."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from .. import access
from ..extensions import db
from ..models import Actor, BarrierReport, ChangeLog, Collaboration, record_change
from .blueprint import bp
from .helpers import back_to, page_arg


@bp.post("/actors/<int:actor_id>/still-accurate")
@login_required
def confirm_accurate(actor_id: int):
    """One click: the record is still accurate (sets the verified date to today)."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    old = actor.verified_at
    actor.verified_at = date.today()
    record_change(actor, "confirmed_accurate", current_user, {"verified_at": (old, actor.verified_at)})
    db.session.commit()
    flash(f"Thank you: “{actor.name}” is confirmed as accurate today.", "success")
    return redirect(back_to(url_for("public.actor", actor_id=actor.id)))


@bp.route("/actors/<int:actor_id>/archive", methods=["GET", "POST"])
@login_required
def archive(actor_id: int):
    """Archive a record after a confirmation page; it leaves the public pages but is kept."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.status == "archived":
        flash("This record is already archived.", "info")
        return redirect(url_for("public.actor", actor_id=actor.id))
    if request.method == "GET":
        return render_template("manage/archive.html", actor=actor)
    record_change(actor, "archived", current_user, {"status": (actor.status, "archived")})
    actor.status = "archived"
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


@bp.route("/actors/<int:actor_id>/restore", methods=["GET", "POST"])
@login_required
def restore(actor_id: int):
    """Restore an archived record: active again if it had been approved, otherwise pending."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.status != "archived":
        flash("Only an archived record can be restored.", "info")
        return redirect(url_for("public.actor", actor_id=actor.id))
    new_status = status_before_archive(actor)
    if request.method == "GET":
        return render_template("manage/restore.html", actor=actor, new_status=new_status)
    record_change(actor, "restored", current_user, {"status": ("archived", new_status)})
    actor.status = new_status
    db.session.commit()
    flash(f"“{actor.name}” is restored" + (" and shows in the directory again." if new_status == "active"
                                           else "; it waits for a moderator to approve it."), "success")
    return redirect(back_to(url_for("public.actor", actor_id=actor.id)))


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
    pagination = db.paginate(stmt, page=page_arg(), per_page=25, error_out=False)
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
