"""The signed-in person's dashboard: their records, links waiting for them, notices, stale records."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from .. import access
from ..extensions import db
from ..models import Actor, Area, Management, Notification
from ..models._common import utcnow
from ..pagination import page_from_request
from . import linkrules
from .blueprint import bp
from .helpers import back_to, stale_cutoff

PREVIEW = 10


@bp.get("/account/records")
@login_required
def dashboard():
    """Your records (any status), the links waiting for you, unread notices and records to confirm."""
    mine = select(Management.actor_id).where(Management.user_id == current_user.id)
    records = db.paginate(select(Actor).where(Actor.id.in_(mine)).order_by(Actor.name, Actor.id),
                          page=page_from_request(), per_page=20, error_out=False)
    stale = list(db.session.scalars(
        select(Actor).where(Actor.id.in_(mine), Actor.status.in_(("active", "pending")),
                            or_(Actor.verified_at.is_(None), Actor.verified_at < stale_cutoff()))
        .order_by(Actor.verified_at, Actor.name).limit(50)).unique())
    rows, total = _preview(linkrules.inbox_query(current_user))
    inbox = ([(l, linkrules.can_confirm(l, current_user)) for l in rows], total)
    outgoing = _preview(linkrules.outgoing_query(current_user))
    unread = select(Notification).where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
    notices = _preview(unread.order_by(Notification.created_at.desc(), Notification.id.desc()))
    areas = list(db.session.scalars(select(Area).where(Area.id.in_(access.moderated_area_ids()))
                                    .order_by(Area.name)))
    return render_template("manage/dashboard.html", records=records, stale=stale, inbox=inbox,
                           outgoing=outgoing, notices=notices, areas=areas)


def _preview(stmt) -> tuple[list, int]:
    """The first few rows of a query and how many there are in all."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = list(db.session.scalars(stmt.limit(PREVIEW)).unique()) if total else []
    return rows, total


@bp.get("/account/inbox")
@login_required
def inbox():
    """Every proposed link waiting for you, a page at a time."""
    pagination = db.paginate(linkrules.inbox_query(current_user), page=page_from_request(), per_page=20,
                             error_out=False)
    rows = [(l, linkrules.can_confirm(l, current_user)) for l in pagination.items]
    return render_template("manage/inbox.html", pagination=pagination, rows=rows)


@bp.get("/account/notices")
@login_required
def notices():
    """All your notices, newest first, a page at a time."""
    stmt = (select(Notification).where(Notification.user_id == current_user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    pagination = db.paginate(stmt, page=page_from_request(), per_page=20, error_out=False)
    return render_template("manage/notices.html", pagination=pagination)


@bp.post("/account/notices/<int:notice_id>/read")
@login_required
def read_notice(notice_id: int):
    """Mark one of your notices as read."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return redirect(back_to(url_for("manage.dashboard")))


@bp.post("/account/notices/read-all")
@login_required
def read_all_notices():
    """Mark all your notices as read."""
    now = utcnow()
    for notice in db.session.scalars(select(Notification).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None))):
        notice.read_at = now
    db.session.commit()
    flash("All notices marked as read.", "success")
    return redirect(back_to(url_for("manage.dashboard")))
