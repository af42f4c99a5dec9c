"""The registration journeys: question pages, a duplicate check, check answers, submit."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access
from ..extensions import db
from ..models import Actor, Management, record_change
from ..templating import render_form
from . import answers as ans
from . import draft as drafts
from .blueprint import bp
from .forms import STEP_FORMS, ActionForm, ClaimForm, prepare
from .queries import all_areas, duplicate_matches

JOURNEYS = {
    "service": {"title": "Register a service", "noun": "service",
                "blurb": "A service run by an organisation: what it does, where it sits in the pathway, "
                         "who it is for and how it works with others."},
    "forum": {"title": "Register a forum", "noun": "forum",
              "blurb": "A local forum, partnership board or network, and how to join it."},
    "researcher": {"title": "Create a researcher profile", "noun": "researcher profile",
                   "blurb": "You or your research group: your interests, methods and the ways you work "
                            "with services."},
}
STEP_TITLES = {
    "about": {"service": "About the service", "forum": "About the forum",
              "researcher": "About you or your research group"},
    "details": {"service": "What the service does", "forum": "How the forum works",
                "researcher": "Your research"},
    "location": {"service": "Location and contact", "forum": "Location and contact",
                 "researcher": "Location and contact"},
}


def _journey_or_404(kind: str) -> dict:
    if kind not in JOURNEYS:
        abort(404)
    return JOURNEYS[kind]


def _step_url(kind: str, step: str | None) -> str:
    if step is None:
        return url_for("records.check", kind=kind)
    return url_for("records.step", kind=kind, step=step)


def _undismissed(kind: str, draft: dict) -> list:
    return duplicate_matches(kind, draft["answers"], exclude_ids=draft["dismissed"])


@bp.get("/register")
def index():
    """The ways to add a record to the directory."""
    drafts_in_progress = {k for k in JOURNEYS if current_user.is_authenticated and drafts.load(k)["done"]}
    return render_template("records/index.html", journeys=JOURNEYS, in_progress=drafts_in_progress)


@bp.get("/register/<kind>")
@login_required
def start(kind: str):
    """Start a journey, or carry on from the first unanswered question."""
    _journey_or_404(kind)
    return redirect(_step_url(kind, drafts.next_step(drafts.load(kind))))


@bp.post("/register/<kind>/start-again")
@login_required
def start_again(kind: str):
    """Forget the answers given so far."""
    _journey_or_404(kind)
    if ActionForm().validate_on_submit():
        drafts.clear(kind)
        flash("Your answers have been cleared.", "info")
    return redirect(url_for("records.start", kind=kind))


@bp.route("/register/<kind>/<any(about, details, location):step>", methods=["GET", "POST"])
@login_required
def step(kind: str, step: str):
    """One question page; answers are kept in the session until the final submit."""
    journey = _journey_or_404(kind)
    draft = drafts.load(kind)
    index_ = drafts.STEPS.index(step)
    missing = drafts.next_step(draft)
    if missing is not None and drafts.STEPS.index(missing) < index_:
        return redirect(_step_url(kind, missing))
    areas = all_areas()
    form = STEP_FORMS[kind][index_](data=draft["answers"])
    prepare(form, kind, areas)
    if form.validate_on_submit():
        try:
            draft = drafts.record_step(kind, step, ans.from_form(form))
        except drafts.DraftTooLarge:
            _too_long(form)
        else:
            if step in ("about", "location") and _undismissed(kind, draft):
                return redirect(url_for("records.duplicates", kind=kind))
            return redirect(_step_url(kind, drafts.next_step(draft)))
    if request.args.get("change") == "1" or (missing is None and request.method == "GET"):
        back = url_for("records.check", kind=kind)
    else:
        back = _step_url(kind, drafts.STEPS[index_ - 1]) if index_ else url_for("records.index")
    area = next((a for a in areas if str(a.id) == str(draft["answers"].get("area_id"))), None)
    return render_form(
        "records/step.html", form=form, kind=kind, step=step, journey=journey, back=back,
        title=STEP_TITLES[step][kind], number=index_ + 1, total=len(drafts.STEPS), home_area=area,
    )


def _too_long(form) -> None:
    """Say which answer to shorten when the draft no longer fits in the session."""
    texts = [f for name, f in form._fields.items() if isinstance(f.data, str) and name != "csrf_token"]
    if not texts:
        form.form_errors.append("Your answers are too long for us to keep between steps.")
        return
    longest = max(texts, key=lambda f: len(f.data or ""))
    longest.errors = list(longest.errors) + [
        "Your answers are too long for us to keep between steps. Shorten this one."]


@bp.route("/register/<kind>/possible-duplicates", methods=["GET", "POST"])
@login_required
def duplicates(kind: str):
    """Records that look like this one: ask to manage one, or carry on."""
    journey = _journey_or_404(kind)
    draft = drafts.load(kind)
    if "about" not in draft["done"]:
        return redirect(url_for("records.start", kind=kind))
    matches = _undismissed(kind, draft)
    if not matches:
        return redirect(_step_url(kind, drafts.next_step(draft)))
    form = ActionForm()
    if form.validate_on_submit():
        draft["dismissed"] = draft["dismissed"] + [m.candidate.id for m in matches]
        drafts.save(kind, draft)
        return redirect(_step_url(kind, drafts.next_step(draft)))
    return render_template("records/duplicates.html", kind=kind, journey=journey, matches=matches,
                           form=form, claim_form=ClaimForm(formdata=None),
                           visible={m.candidate.id for m in matches if m.candidate.status == "active"})


@bp.route("/register/<kind>/check", methods=["GET", "POST"])
@login_required
def check(kind: str):
    """Check your answers, then create the record (pending, managed by you) in one go."""
    journey = _journey_or_404(kind)
    draft = drafts.load(kind)
    missing = drafts.next_step(draft)
    if missing is not None:
        return redirect(_step_url(kind, missing))
    areas = all_areas()
    sections = []
    for step_name, form_cls in zip(drafts.STEPS, STEP_FORMS[kind]):
        form = form_cls(formdata=None, data=draft["answers"], meta={"csrf": False})
        prepare(form, kind, areas)
        if not form.validate():
            flash("Some of your answers need changing.", "warning")
            return redirect(_step_url(kind, step_name))
        sections.append((step_name, STEP_TITLES[step_name][kind], ans.summary_rows(form)))
    if _undismissed(kind, draft):
        # A second press of Register may find the record the first press made as a likely duplicate.
        if (created := _registered_from(draft)) is not None:
            return _registered(kind, created)
        return redirect(url_for("records.duplicates", kind=kind))
    form = ActionForm()
    if form.validate_on_submit():
        return _registered(kind, _create(kind, draft, areas))
    return render_template("records/check.html", kind=kind, journey=journey, sections=sections, form=form)


def _registered_from(draft: dict) -> Actor | None:
    """The record this draft created already (its one-time key is stored on it), if any."""
    return db.session.scalar(select(Actor).where(Actor.registration_key == draft["key"]))


def _registered(kind: str, actor: Actor):
    """Forget the draft and show the record; every press of Register gets this same answer."""
    drafts.clear(kind)
    flash(f"Thank you. “{actor.name}” is waiting for a moderator to approve it. "
          "Until then only you and the moderators can see it.", "success")
    return redirect(url_for("public.actor", actor_id=actor.id))


def _create(kind: str, draft: dict, areas) -> Actor:
    """One transaction: the record, its first manager and the change-log entry; or the record an earlier
    press of Register made from the same draft (the unique registration key refuses a second)."""
    areas_by_id = {a.id: a for a in areas}
    actor = Actor(kind=kind, status="pending", registration_key=draft["key"])
    ans.apply(actor, draft["answers"], areas_by_id)
    db.session.add(actor)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        created = _registered_from(draft)
        if created is None:
            raise
        return created
    db.session.add(Management(user_id=current_user.id, actor_id=actor.id))
    changes = ans.created_changes(ans.from_actor(actor), areas_by_id)
    changes["status"] = (None, "pending")
    record_change(actor, "created", current_user, changes)
    db.session.commit()
    return actor


def draft_match_ids(kind: str) -> set[int]:
    """Ids of the likely duplicates of the user's registration in progress."""
    draft = drafts.load(kind)
    if "about" not in draft["done"]:
        return set()
    return {m.candidate.id for m in duplicate_matches(kind, draft["answers"])}


def claimable_or_404(actor_id: int) -> Actor:
    """A record the user may ask to manage: one they can see, or one shown to them as a likely duplicate."""
    actor = db.session.get(Actor, actor_id)
    if actor is None or actor.status not in ("active", "pending"):
        abort(404)
    if not access.can_view(actor) and actor.id not in draft_match_ids(actor.kind):
        abort(404)
    return actor
