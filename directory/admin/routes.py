"""Administration pages: users, areas and who holds which role. Admins only."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from .. import access
from ..extensions import db, login_manager
from ..models import Actor, Area, ChangeLog, Management, User, record_change
from ..pagination import page_from_request
from ..validation import slugify
from .forms import AreaForm, ConfirmForm, UserSearchForm, boundary_summary, parse_boundary

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


def _page() -> int:
    return page_from_request()


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
    pagination = db.paginate(stmt, page=_page(), per_page=_per_page(), error_out=False)
    return render_template("admin/users.html", form=form, pagination=pagination), 400 if form.errors else 200


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    """One user: details, roles, records managed, recent changes to the account."""
    record = _user_or_404(user_id)
    managed = db.session.scalars(
        select(Actor).join(Management, Management.actor_id == Actor.id)
        .where(Management.user_id == record.id).order_by(Actor.name)
    ).all()
    area_ids = access.moderated_area_ids(record)
    moderated = db.session.scalars(select(Area).where(Area.id.in_(area_ids)).order_by(Area.name)).all() \
        if area_ids else []
    changes = db.session.scalars(
        select(ChangeLog).options(joinedload(ChangeLog.user))
        .where(ChangeLog.object_type == "user", ChangeLog.object_id == record.id)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()).limit(20)
    ).all()
    return render_template("admin/user.html", user=record, managed=managed, moderated=moderated,
                           changes=changes, form=ConfirmForm())


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
    if old != value:
        setattr(record, field, value)
        record_change(record, action, _me(), {field: (old, value)})
        db.session.commit()
    flash(done.format(email=record.email), "success")
    return redirect(url_for("admin.user", user_id=record.id))


@bp.post("/users/<int:user_id>/make-admin")
def make_admin(user_id: int):
    """Give a user the administrator role."""
    return _set_flag(user_id, "is_admin", True, "made admin", "{email} is now an administrator.")


@bp.post("/users/<int:user_id>/remove-admin")
def remove_admin(user_id: int):
    """Take the administrator role away (never from yourself)."""
    return _set_flag(user_id, "is_admin", False, "admin removed", "{email} is no longer an administrator.",
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
    return render_template("admin/deactivate.html", user=record, form=ConfirmForm())


@bp.post("/users/<int:user_id>/reactivate")
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    return _set_flag(user_id, "active", True, "reactivated", "{email} can sign in again.")


# --- areas --------------------------------------------------------------------------------------------

@bp.get("/areas")
def areas():
    """Every area, a page at a time."""
    pagination = db.paginate(select(Area).order_by(Area.name, Area.id), page=_page(), per_page=_per_page(),
                             error_out=False)
    return render_template("admin/areas.html", pagination=pagination)


def _area_values(form: AreaForm) -> dict:
    return {
        "name": form.name.data.strip(),
        "slug": form.slug.data or slugify(form.name.data),
        "centre_lat": form.centre_lat.data,
        "centre_lon": form.centre_lon.data,
        "zoom": form.zoom.data,
        "boundary": parse_boundary(form.boundary.data),
    }


def _slug_taken(slug: str, area_id: int | None) -> bool:
    stmt = select(Area.id).where(Area.slug == slug)
    if area_id is not None:
        stmt = stmt.where(Area.id != area_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _logged(field: str, value):
    """Boundaries can be large: the change log keeps a summary of them."""
    return boundary_summary(value) if field == "boundary" else value


@bp.route("/areas/new", methods=["GET", "POST"])
def new_area():
    """Add an area."""
    form = AreaForm()
    if form.validate_on_submit():
        values = _area_values(form)
        if _slug_taken(values["slug"], None):
            form.slug.errors.append(f"Another area already uses “{values['slug']}”: choose another")
        else:
            area = Area(**values)
            db.session.add(area)
            db.session.flush()
            record_change(area, "created", _me(), {f: (None, _logged(f, values[f])) for f in AREA_FIELDS})
            db.session.commit()
            flash(f"Area “{area.name}” added.", "success")
            return redirect(url_for("admin.areas"))
    return render_template("admin/area_form.html", form=form, area=None), 400 if form.errors else 200


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
def edit_area(area_id: int):
    """Change an area's name, web address, map centre, zoom or boundary."""
    area = db.get_or_404(Area, area_id)
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        values = _area_values(form)
        if _slug_taken(values["slug"], area.id):
            form.slug.errors.append(f"Another area already uses “{values['slug']}”: choose another")
        else:
            changes = {f: (_logged(f, getattr(area, f)), _logged(f, v))
                       for f, v in values.items() if getattr(area, f) != v}
            if changes:
                for field in changes:
                    setattr(area, field, values[field])
                record_change(area, "edited", _me(), changes)
                db.session.commit()
                flash(f"Area “{area.name}” saved.", "success")
            else:
                flash("Nothing was changed.", "info")
            return redirect(url_for("admin.areas"))
    return render_template("admin/area_form.html", form=form, area=area), 400 if form.errors else 200


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
    pagination = db.paginate(stmt, page=_page(), per_page=100, error_out=False)
    groups = [(area, list(rows)) for area, rows in groupby(pagination.items, key=lambda m: m.actor.area)]
    return render_template("admin/roles.html", admins=admins, pagination=pagination, groups=groups)
