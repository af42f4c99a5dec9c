"""Links: propose from a record you manage, confirm or decline from the other side, end, re-confirm."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from .. import access, vocab
from ..converters import MAX_ID
from ..extensions import db
from ..mail import notify
from ..models import Actor, Collaboration, LinkRuleError, record_change
from ..models.collaboration import check_link
from ..templating import render_form
from ..transitions import change_once
from . import linkrules
from .blueprint import bp
from .forms import LinkProposalForm
from .helpers import back_to, managers_of
from .records import restore_refusal

DUPLICATE = "These records already have a proposed or confirmed “{}” link"


@bp.app_template_global()
def manage_panel(actor: Actor) -> dict | None:
    """What the record page shows a party: actions, and the proposed links waiting on either side."""
    if not current_user.is_authenticated or not access.can_edit(actor):
        return None
    proposed = linkrules.links_of(actor.id, ("proposed",))
    return {
        "restore_refusal": restore_refusal(actor),
        "proposed": [(l, linkrules.can_confirm(l, current_user), linkrules.can_withdraw(l, current_user))
                     for l in proposed],
    }


@bp.app_template_global()
def link_note(link: Collaboration) -> str:
    """A link's note for the signed-in user: shown only to the managers of either end, else ""."""
    if not link.note or not linkrules.can_read_note(link, current_user):
        return ""
    return link.note


@bp.get("/actors/<int:actor_id>/links")
@login_required
def links(actor_id: int):
    """A record's proposed and confirmed links, with what the user may do to each."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    rows = [(l, linkrules.can_confirm(l, current_user), linkrules.can_withdraw(l, current_user))
            for l in linkrules.links_of(actor.id)]
    return render_template("manage/links.html", actor=actor, rows=rows)


@bp.route("/actors/<int:actor_id>/links/new", methods=["GET", "POST"])
@login_required
def propose_link(actor_id: int):
    """Pick a kind and direction, search for the other record, and propose the link."""
    actor = access.get_actor_or_404(actor_id, edit=True)
    if actor.status != "active":
        flash("This record must be approved and active before it can propose links.", "warning")
        return redirect(url_for("manage.links", actor_id=actor.id))
    form = LinkProposalForm(actor_kind=actor.kind)
    if request.method == "GET":
        form.q.data = (request.args.get("q") or "").strip()[:200]
        for name in ("kind", "direction"):
            if request.args.get(name):
                form[name].data = request.args[name]
    q = (form.q.data or "").strip()[:200]
    results = linkrules.search_others(actor, q) if q else []
    if form.validate_on_submit():
        link = _propose(actor, form)
        if link is not None:
            flash("Link proposed. It will show on both records once the other side confirms it.", "success")
            return redirect(url_for("manage.links", actor_id=actor.id))
    chosen = form.other.data
    # Only an id a key can hold is looked up: a bigger one is a database error (PostgreSQL and SQLite).
    other = db.session.get(Actor, chosen) if isinstance(chosen, int) and 1 <= chosen <= MAX_ID else None
    if other is not None and other.status == "active" and other not in results:
        results.insert(0, other)
    return render_form("manage/link_new.html", actor=actor, form=form, q=q, results=results)


def _propose(actor: Actor, form: LinkProposalForm) -> Collaboration | None:
    """Check the proposal, then save it and tell the other side; None (with messages) when refused."""
    other = db.session.get(Actor, form.other.data)
    if other is None or other.status != "active" or other.id == actor.id:
        form.other.errors.append("Choose another active record from the search results")
        return None
    source, target = (actor, other) if form.direction.data == "out" else (other, actor)
    try:
        check_link(form.kind.data, source, target)
    except LinkRuleError as exc:
        form.kind.errors.append(str(exc))
        return None
    label = vocab.LINK_KINDS[form.kind.data].label
    if existing := linkrules.live_duplicate(form.kind.data, source.id, target.id):
        return _proposed_already(existing, actor, form, label)
    link = Collaboration(kind=form.kind.data, source=source, target=target, status="proposed",
                         proposed_by_id=current_user.id, proposed_from_id=actor.id,
                         note=(form.note.data or "").strip(), start_date=form.start_date.data)
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone proposed the same link a moment ago: the partial unique index caught it.
        db.session.rollback()
        return _proposed_already(linkrules.live_duplicate(form.kind.data, source.id, target.id), actor, form,
                                 label)
    record_change(link, "proposed", current_user, {"status": (None, "proposed")})
    url = url_for("manage.dashboard", _external=True)
    for manager in managers_of(other.id):
        notify(manager, f"{actor.name} proposed a link: {linkrules.describe(link)}. Confirm or decline it.",
               url, email_subject="A link is waiting for your confirmation")
    db.session.commit()
    return link


ALREADY = {"confirmed": "This link has already been confirmed.",
           "declined": "This link has already been declined or withdrawn.",
           "ended": "This link has already been ended."}


def _already(link: Collaboration):
    """The answer to a second press, or to someone else's decision that came first: what the link is now."""
    db.session.rollback()
    return _back(ALREADY.get(link.status, "This link has changed meanwhile."), "info")


def _back(message: str, category: str = "success"):
    """Say what happened, and go back to the page the button was pressed on (else the dashboard)."""
    flash(message, category)
    return redirect(back_to(url_for("manage.dashboard")))


def _proposed_already(existing: Collaboration | None, actor: Actor, form, label: str) -> Collaboration | None:
    """A second press of Propose gets the first one's link; any other live link of this kind between the
    two is refused with a message beside the field."""
    if existing is not None and existing.repeats(current_user.id, actor.id, (form.note.data or "").strip()):
        return existing
    form.other.errors.append(DUPLICATE.format(label))
    return None


@bp.post("/links/<int:link_id>/confirm")
@login_required
def confirm_link(link_id: int):
    """The other side confirms a proposed link."""
    link = access.get_link_or_404(link_id)
    if link.status != "proposed":
        return _already(link)
    if not linkrules.can_confirm(link, current_user):
        abort(403, "Only the other side's managers can confirm this link.")
    if not change_once(link, Collaboration.status == "proposed", status="confirmed",
                       confirmed_by_id=current_user.id, last_confirmed=date.today()):
        return _already(link)
    record_change(link, "confirmed", current_user, {"status": ("proposed", "confirmed")})
    _tell_proposers(link, f"Your proposed link was confirmed: {linkrules.describe(link)}.")
    db.session.commit()
    return _back("Link confirmed. It now shows on both public records.")


@bp.post("/links/<int:link_id>/decline")
@login_required
def decline_link(link_id: int):
    """The other side declines a proposal, or the proposing side withdraws it."""
    link = access.get_link_or_404(link_id)
    if link.status != "proposed":
        return _already(link)
    if linkrules.can_confirm(link, current_user):
        action = "declined"
    elif linkrules.can_withdraw(link, current_user):
        action = "withdrawn"
    else:
        abort(403, "Only the other side's managers can decline this link.")
    if not change_once(link, Collaboration.status == "proposed", status="declined"):
        return _already(link)
    record_change(link, action, current_user, {"status": ("proposed", "declined")})
    if action == "declined":
        _tell_proposers(link, f"Your proposed link was declined: {linkrules.describe(link)}.")
    db.session.commit()
    return _back("Link declined." if action == "declined" else "Proposal withdrawn.")


@bp.route("/links/<int:link_id>/end", methods=["GET", "POST"])
@login_required
def end_link(link_id: int):
    """Either side ends a confirmed link, after a confirmation page."""
    link = access.get_link_or_404(link_id)
    if link.status == "ended":
        return _already(link)
    if link.status != "confirmed":
        abort(400, "Only a confirmed link can be ended.")
    if request.method == "GET":
        return render_template("manage/link_end.html", link=link, next=back_to(""))
    old_end = link.end_date
    end_date = max(date.today(), link.start_date or date.today())
    if not change_once(link, Collaboration.status == "confirmed", status="ended", end_date=end_date):
        return _already(link)
    record_change(link, "ended", current_user, {"status": ("confirmed", "ended"), "end_date": (old_end, end_date)})
    db.session.commit()
    return _back("Link ended. It no longer shows on the public records.")


@bp.post("/links/<int:link_id>/reconfirm")
@login_required
def reconfirm_link(link_id: int):
    """Either side confirms that a confirmed link is still in place (logged once a day at most)."""
    link = access.get_link_or_404(link_id)
    if link.status != "confirmed":
        abort(400, "Only a confirmed link can be re-confirmed.")
    old, today = link.last_confirmed, date.today()
    if change_once(link, Collaboration.status == "confirmed",
                   or_(Collaboration.last_confirmed.is_(None), Collaboration.last_confirmed != today),
                   last_confirmed=today):
        record_change(link, "reconfirmed", current_user, {"last_confirmed": (old, today)})
        db.session.commit()
    else:
        db.session.rollback()  # confirmed today already, or ended a moment ago
        if link.status != "confirmed":
            return _already(link)
    return _back("Link re-confirmed as still in place.")


def _tell_proposers(link: Collaboration, message: str) -> None:
    """An in-app notice and an email to the managers of the end that proposed the link."""
    end = linkrules.proposing_end(link)
    people = managers_of(end.id) if end is not None else []
    url = url_for("manage.links", actor_id=end.id, _external=True) if end is not None else ""
    for person in people:
        if person.id != current_user.id:
            notify(person, message, url, email_subject=message.split(":")[0])
