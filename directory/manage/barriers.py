"""Barrier reports: a service's managers add, change, archive and restore them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import access, conflicts
from ..extensions import db
from ..models import Actor, BarrierReport, record_change
from ..templating import render_form
from ..transitions import change_once, lock
from .blueprint import bp
from .forms import BarrierEditForm, BarrierForm

FIELDS = ("category", "stage", "description", "since", "visibility")


def _service_or_404(actor_id: int) -> Actor:
    """A service the current user may change (other kinds have no barrier reports)."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.kind != "service":
        abort(404)
    return actor


def _report_or_404(actor: Actor, report_id: int) -> BarrierReport:
    """A barrier report, looked up through its service so another service's report is a 404."""
    report = db.session.get(BarrierReport, report_id)
    if report is None or report.actor_id != actor.id:
        abort(404)
    return report


def _form_values(form: BarrierForm) -> dict:
    """The form's answers as model values."""
    return {"category": form.category.data, "stage": int(form.stage.data) if form.stage.data else None,
            "description": (form.description.data or "").strip(), "since": form.since.data,
            "visibility": form.visibility.data}


@bp.get("/actors/<int:actor_id>/barriers")
@login_required
def barriers(actor_id: int):
    """A service's barrier reports, current and archived."""
    actor = _service_or_404(actor_id)
    reports = list(db.session.scalars(select(BarrierReport).where(BarrierReport.actor_id == actor.id)
                                      .order_by(BarrierReport.archived, BarrierReport.stage,
                                                BarrierReport.category, BarrierReport.id)))
    return render_template("manage/barriers.html", actor=actor, reports=reports)


def _same_open_report(report: BarrierReport) -> bool:
    """True when the service already has another open report with the same answers (a second press)."""
    return db.session.scalar(select(BarrierReport.id).where(
        BarrierReport.actor_id == report.actor_id, BarrierReport.id != report.id,
        BarrierReport.archived.is_(False), *(getattr(BarrierReport, f) == getattr(report, f) for f in FIELDS))
        .limit(1)) is not None


@bp.route("/actors/<int:actor_id>/barriers/new", methods=["GET", "POST"])
@login_required
def add_barrier(actor_id: int):
    """Report a new barrier; pressed twice at once, it is added once and both presses are told so."""
    actor = _service_or_404(actor_id)
    form = BarrierForm()
    if form.validate_on_submit():
        values = _form_values(form)
        lock(Actor, actor.id)  # PostgreSQL: two adds to one service wait for each other
        report = BarrierReport(actor_id=actor.id, created_by_id=current_user.id, **values)
        db.session.add(report)
        db.session.flush()  # SQLite: the write holds the database, so the check below sees the other's
        if _same_open_report(report):
            db.session.rollback()
        else:
            record_change(report, "added", current_user, {k: (None, v) for k, v in values.items()})
            db.session.commit()
        flash("Barrier report added.", "success")
        return redirect(url_for("manage.barriers", actor_id=actor.id))
    return render_form("manage/barrier_form.html", actor=actor, form=form, report=None)


@bp.route("/actors/<int:actor_id>/barriers/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit_barrier(actor_id: int, report_id: int):
    """Change a barrier report; a form opened before someone else's change saves nothing (conflicts.py)."""
    actor = _service_or_404(actor_id)
    report = _report_or_404(actor, report_id)
    form = BarrierEditForm(data=_report_answers(report))
    conflict = None
    if form.validate_on_submit():
        conflict = conflicts.submit(form, report, lambda: _save(report, form), lambda: BarrierForm(
            formdata=None, data=_report_answers(report), meta={"csrf": False}))
        if conflict is None:
            return redirect(url_for("manage.barriers", actor_id=actor.id))
    conflicts.carry_version(form, report, conflict)
    return render_template("manage/barrier_form.html", actor=actor, form=form, report=report,
                           conflict=conflict), conflicts.status(form, conflict)


def _report_answers(report: BarrierReport) -> dict:
    """A report's values as the form holds them."""
    return {"category": report.category, "stage": str(report.stage or ""), "description": report.description,
            "since": report.since, "visibility": report.visibility}


def _save(report: BarrierReport, form: BarrierForm) -> None:
    """Save a report's changed answers and log them."""
    values = _form_values(form)
    changes = {k: (getattr(report, k), v) for k, v in values.items() if getattr(report, k) != v}
    for key, value in values.items():
        setattr(report, key, value)
    if changes:
        record_change(report, "changed", current_user, changes)
    db.session.commit()
    flash("Barrier report saved." if changes else "Nothing was changed.", "success")


@bp.route("/actors/<int:actor_id>/barriers/<int:report_id>/archive", methods=["GET", "POST"])
@login_required
def archive_barrier(actor_id: int, report_id: int):
    """Archive a barrier report after a confirmation page (it is kept, not deleted)."""
    actor = _service_or_404(actor_id)
    report = _report_or_404(actor, report_id)
    if report.archived:
        flash("That report is already archived.", "info")
        return redirect(url_for("manage.barriers", actor_id=actor.id))
    if request.method == "GET":
        return render_template("manage/barrier_archive.html", actor=actor, report=report)
    if change_once(report, BarrierReport.archived.is_(False), archived=True):
        record_change(report, "archived", current_user, {"archived": (False, True)})
        db.session.commit()
    flash("Barrier report archived. It no longer shows on the record.", "success")  # or by the first press
    return redirect(url_for("manage.barriers", actor_id=actor.id))


@bp.post("/actors/<int:actor_id>/barriers/<int:report_id>/restore")
@login_required
def restore_barrier(actor_id: int, report_id: int):
    """Bring an archived barrier report back."""
    actor = _service_or_404(actor_id)
    report = _report_or_404(actor, report_id)
    if change_once(report, BarrierReport.archived.is_(True), archived=False):
        record_change(report, "restored", current_user, {"archived": (True, False)})
        db.session.commit()
    flash("Barrier report restored.", "success")  # by this press, or by the first of two
    return redirect(url_for("manage.barriers", actor_id=actor.id))
