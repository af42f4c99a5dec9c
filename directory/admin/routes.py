"""Administration pages: users, areas and who holds which role. Admins only."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from .. import access, conflicts, vocab
from ..analysis import SEVERITIES
from ..extensions import db, login_manager
from ..mail import notify, send_mail
from ..manage.linkrules import search_actors
from ..manage.managers import is_last_manager, take_off
from ..models import Actor, Area, ChangeLog, Management, User, record_change
from ..pagination import page_from_request
from ..templating import render_form
from ..transitions import change_once, insert_once
from .forms import (
    AddManagedRecordForm, AreaEditForm, AreaForm, ConfirmForm, RecordSearchForm, UserSearchForm, boundary_summary,
    parse_boundary,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

AREA_FIELDS = ("name", "slug", "centre_lat", "centre_lon", "zoom", "boundary")


@bp.before_request
def _admins_only():
    """Anonymous visitors are sent to sign in; signed-in people who are not admins get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def _per_page() -> int:
    return current_app.config.get("PER_PAGE", 25)


def _me():
    return current_user._get_current_object()


@bp.get("")
def index():
    """The administration home: counts and the way to each admin page."""
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "admins": db.session.scalar(select(func.count(User.id)).where(User.is_admin.is_(True))),
        "areas": db.session.scalar(select(func.count(Area.id))),
    }
    return render_template("admin/index.html", counts=counts)


# --- users --------------------------------------------------------------------------------------------

@bp.get("/users")
def users():
    """Every user, a page at a time, searchable by email."""
    form = UserSearchForm(request.args)
    stmt = select(User).order_by(User.email)
    if request.args.get("q") and form.validate():
        stmt = stmt.where(User.email.contains(form.q.data.strip().lower(), autoescape=True))
    pagination = db.paginate(stmt, page=page_from_request(), per_page=_per_page(), error_out=False)
    return render_form("admin/users.html", form=form, pagination=pagination)


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    """One user: details, roles, records managed (with a search to add one), recent changes to the account."""
    return _user_page(_user_or_404(user_id))


def _user_page(record: User, add_form: AddManagedRecordForm | None = None):
    """Render a user's page; add_form carries the errors of a refused "Add" (then the status is 400)."""
    managed = db.session.scalars(
        select(Actor).options(joinedload(Actor.area)).join(Management, Management.actor_id == Actor.id)
        .where(Management.user_id == record.id).order_by(Actor.name, Actor.id)
    ).unique().all()
    # After a refused "Add" (a POST) the search that was shown comes back from the form's hidden q.
    search = RecordSearchForm(request.values)
    q = (request.values.get("q") or "").strip()[:200]
    # Any status: archived and rejected records are listed too, so the page can say why they cannot be added.
    results = search_actors(q, statuses=None) if q and search.validate() else []
    area_ids = access.moderated_area_ids(record)
    moderated = db.session.scalars(select(Area).where(Area.id.in_(area_ids)).order_by(Area.name)).all() \
        if area_ids else []
    changes = db.session.scalars(
        select(ChangeLog).options(joinedload(ChangeLog.user))
        .where(ChangeLog.object_type == "user", ChangeLog.object_id == record.id)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()).limit(20)
    ).all()
    return render_form("admin/user.html", user=record, managed=managed, moderated=moderated,
                       changes=changes, form=ConfirmForm(), search=search, q=q, results=results,
                       managed_ids={a.id for a in managed}, add_form=add_form or AddManagedRecordForm(),
                       coordination=coordination)


def _refuse_self(record: User, what: str):
    """Admins may not lock themselves out; returns a redirect when they try."""
    if record.id == current_user.id:
        flash(f"You cannot {what} your own account. Ask another administrator.", "error")
        return redirect(url_for("admin.user", user_id=record.id))
    return None


def _set_flag(user_id: int, field: str, value: bool, action: str, done: str, refuse: str | None = None):
    """Change one yes/no field of a user, log it, and go back to their page."""
    record = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if refuse and (refused := _refuse_self(record, refuse)):
        return refused
    old = getattr(record, field)
    # Once: a second press (or another administrator) finds it already done, and logs nothing.
    if old != value and change_once(record, getattr(User, field) == old, **{field: value}):
        record_change(record, action, _me(), {field: (old, value)})
        db.session.commit()
    flash(done.format(email=record.email), "success")
    return redirect(url_for("admin.user", user_id=record.id))


@bp.post("/users/<int:user_id>/make-admin")
def make_admin(user_id: int):
    """Give a user the administrator role."""
    return _set_flag(user_id, "is_admin", True, "made_admin", "{email} is now an administrator.")


@bp.post("/users/<int:user_id>/remove-admin")
def remove_admin(user_id: int):
    """Take the administrator role away (never from yourself)."""
    return _set_flag(user_id, "is_admin", False, "admin_removed", "{email} is no longer an administrator.",
                     refuse="remove the administrator role from")


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    """Confirm, then stop a user signing in (their records and history stay)."""
    record = _user_or_404(user_id)
    if request.method == "POST":
        return _set_flag(user_id, "active", False, "deactivated", "{email} can no longer sign in.",
                         refuse="deactivate")
    if refused := _refuse_self(record, "deactivate"):
        return refused
    return render_template("admin/deactivate.html", user=record)


@bp.post("/users/<int:user_id>/reactivate")
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    return _set_flag(user_id, "active", True, "reactivated", "{email} can sign in again.")


# --- records a user manages (and so, for forums, the areas they coordinate) ----------------------------

def coordination(actor: Actor, subject: str = "They") -> str:
    """What managing this record will mean for coordination ("" unless an active or pending forum with an area)."""
    if actor.kind != "forum" or actor.area is None:
        return ""
    if actor.status == "active":
        return f"{subject} will coordinate {actor.area.name} because this is a forum."
    if actor.status == "pending":
        return f"{subject} will coordinate {actor.area.name} once this forum is approved."
    return ""


def _coordination_without(person: User, actor: Actor, subject: str = "They", tense: str = "will") -> str:
    """What no longer managing this record means for coordination: another active forum there keeps the area."""
    if actor.kind != "forum" or actor.status != "active" or actor.area is None:
        return ""
    another = db.session.scalar(
        select(Actor.id).join(Management, Management.actor_id == Actor.id).where(
            Management.user_id == person.id, Actor.id != actor.id, Actor.kind == "forum",
            Actor.status == "active", Actor.area_id == actor.area_id).limit(1))
    if another is not None:
        return f"{subject} {'will still' if tense == 'will' else 'still'} coordinate {actor.area.name} " \
               "through another forum there."
    return f"{subject} {'will no longer' if tense == 'will' else 'no longer'} coordinate {actor.area.name}."


@bp.post("/users/<int:user_id>/records")
def add_managed_record(user_id: int):
    """Make the user a manager of a record (and so a coordinator of its area when it is an active forum)."""
    person = _user_or_404(user_id)
    form = AddManagedRecordForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _user_page(person, form)
    actor = form.actor
    # Once: another administrator (or an accepted invitation) may have added them a moment ago.
    if not insert_once(Management, user_id=person.id, actor_id=actor.id):
        db.session.rollback()
        flash(f"{person.email} already manages “{actor.name}”: nothing was changed.", "info")
        return redirect(url_for("admin.user", user_id=person.id))
    record_change(actor, "manager_added", _me(), {"manager": (None, person.email)})
    record_change(person, "made_manager", _me(), {"manages": (None, actor.name)})
    note, your_note = coordination(actor), coordination(actor, "You")
    message = f"An administrator made you a manager of “{actor.name}”." + (" " + your_note if your_note else "")
    url = url_for("public.actor", actor_id=actor.id, _external=True)
    notify(person, message, url)
    db.session.commit()
    send_mail(person.email, f"You now help manage “{actor.name}” in the sector engagement directory",
              f"{message}\n\n{url}")
    flash(f"{person.email} now manages “{actor.name}”." + (" " + note if note else ""), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/users/<int:user_id>/records/<int:actor_id>/remove", methods=["GET", "POST"])
def remove_managed_record(user_id: int, actor_id: int):
    """Confirm, then stop the user managing a record; as on a record's own page, the last manager stays."""
    person = _user_or_404(user_id)
    management = db.session.get(Management, (person.id, actor_id))
    if management is None and request.method == "POST":  # a second press: the first one removed them
        flash(f"{person.email} no longer manages that record.", "success")
        return redirect(url_for("admin.user", user_id=person.id))
    if management is None:
        abort(404)
    actor = management.actor
    only_one = (f"{person.email} is the only manager of “{actor.name}”, and a record needs at least one manager. "
                "Add another manager first, then remove this one.")
    if is_last_manager(actor.id):
        flash(only_one, "warning")
        return redirect(url_for("admin.user", user_id=person.id))
    if request.method == "GET":
        return render_template("admin/remove_managed_record.html", user=person, actor=actor,
                               note=_coordination_without(person, actor))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = take_off(person.id, actor.id)
    if outcome == "last":
        flash(only_one, "warning")
        return redirect(url_for("admin.user", user_id=person.id))
    if outcome == "gone":  # a second press: the first one removed them and told them
        flash(f"{person.email} no longer manages “{actor.name}”.", "success")
        return redirect(url_for("admin.user", user_id=person.id))
    note = _coordination_without(person, actor, tense="now")
    your_note = _coordination_without(person, actor, "You", tense="now")
    record_change(actor, "manager_removed", _me(), {"manager": (person.email, None)})
    record_change(person, "manager_removed", _me(), {"manages": (actor.name, None)})
    message = f"An administrator removed you as a manager of “{actor.name}”." + (" " + your_note if your_note else "")
    notify(person, message)
    db.session.commit()
    send_mail(person.email, f"You no longer manage “{actor.name}” in the sector engagement directory", message)
    flash(f"{person.email} no longer manages “{actor.name}”." + (" " + note if note else ""), "success")
    return redirect(url_for("admin.user", user_id=person.id))


# --- areas --------------------------------------------------------------------------------------------

@bp.get("/areas")
def areas():
    """Every area, a page at a time."""
    pagination = db.paginate(select(Area).order_by(Area.name, Area.id), page=page_from_request(), per_page=_per_page(),
                             error_out=False)
    return render_template("admin/areas.html", pagination=pagination)


def _area_values(form: AreaForm) -> dict:
    return {
        "name": form.name.data.strip(),
        "slug": form.web_address_name(),
        "centre_lat": form.centre_lat.data,
        "centre_lon": form.centre_lon.data,
        "zoom": form.zoom.data,
        "boundary": parse_boundary(form.boundary.data),
    }


def _added_by_me(values: dict) -> bool:
    """True when this administrator already added this area, with this name and web address."""
    created = select(ChangeLog.object_id).where(ChangeLog.object_type == "area", ChangeLog.action == "created",
                                                ChangeLog.user_id == current_user.id)
    return db.session.scalar(select(Area.id).where(Area.slug == values["slug"], Area.name == values["name"],
                                                   Area.id.in_(created)).limit(1)) is not None


def _logged(field: str, value):
    """Boundaries can be large: the change log keeps a summary of them."""
    return boundary_summary(value) if field == "boundary" else value


@bp.route("/areas/new", methods=["GET", "POST"])
def new_area():
    """Add an area."""
    form = AreaForm()
    if form.validate_on_submit():
        values = _area_values(form)
        area = Area(**values)
        db.session.add(area)
        try:
            db.session.flush()
        except IntegrityError:  # the web address was taken a moment ago
            db.session.rollback()
            form.refuse_slug()
        else:
            record_change(area, "created", _me(), {f: (None, _logged(f, values[f])) for f in AREA_FIELDS})
            db.session.commit()
            flash(f"Area “{area.name}” added.", "success")
            return redirect(url_for("admin.areas"))
    if form.slug_taken and _added_by_me(_area_values(form)):  # the first of two presses added it a moment ago
        flash(f"Area “{form.name.data.strip()}” added.", "success")
        return redirect(url_for("admin.areas"))
    return render_form("admin/area_form.html", form=form, area=None)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
def edit_area(area_id: int):
    """Change an area's name, web address, map centre, zoom or boundary.

    A form opened before someone else's change saves nothing: the page shows what changed (conflicts.py).
    """
    area = db.get_or_404(Area, area_id)
    form = AreaEditForm(data=_area_answers(area), area_id=area.id)
    conflict = None
    if form.validate_on_submit():
        values = _area_values(form)
        conflict = conflicts.submit(form, area, lambda: _save_area(area, values), lambda: AreaForm(
            formdata=None, data=_area_answers(area), meta={"csrf": False}))
        if conflict is None:
            return redirect(url_for("admin.areas"))
    conflicts.carry_version(form, area, conflict)
    return render_template("admin/area_form.html", form=form, area=area, conflict=conflict), \
        conflicts.status(form, conflict)


def _area_answers(area: Area) -> dict:
    """An area's values as the form holds them."""
    return {f: getattr(area, f) for f in AREA_FIELDS}


def _save_area(area: Area, values: dict) -> None:
    """Save an area's changed values and log them."""
    changes = {f: (_logged(f, getattr(area, f)), _logged(f, v)) for f, v in values.items() if getattr(area, f) != v}
    if not changes:
        flash("Nothing was changed.", "info")
        return
    for field in changes:
        setattr(area, field, values[field])
    record_change(area, "edited", _me(), changes)
    db.session.commit()
    flash(f"Area “{area.name}” saved.", "success")


# --- roles --------------------------------------------------------------------------------------------

@bp.get("/roles")
def roles():
    """Who holds which role: administrators, and coordinators by area (managers of active forums)."""
    admins = db.session.scalars(select(User).where(User.is_admin.is_(True)).order_by(User.email)).all()
    stmt = (
        select(Management)
        .join(Management.actor).join(Actor.area).join(Management.user)
        .options(contains_eager(Management.actor).contains_eager(Actor.area), contains_eager(Management.user))
        .where(Actor.kind == "forum", Actor.status == "active")
        .order_by(Area.name, Area.id, Actor.name, Actor.id, User.email)
    )
    pagination = db.paginate(stmt, page=page_from_request(), per_page=100, error_out=False)
    groups = [(area, list(rows)) for area, rows in groupby(pagination.items, key=lambda m: m.actor.area)]
    return render_template("admin/roles.html", admins=admins, pagination=pagination, groups=groups)


# --- the pathway's expected handoffs -------------------------------------------------------------------

@bp.get("/expected-routes")
def expected_routes():
    """The handoffs between pathway stages that the analysis expects (vocab.EXPECTED_ROUTES), as a table."""
    return render_template("admin/expected_routes.html", routes=vocab.EXPECTED_ROUTES, severities=SEVERITIES)
