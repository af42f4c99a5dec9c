"""Expression of interest: a researcher asks a service to host research, as a proposed link.

The message becomes the note of a proposed "hosts research by" link (service -> researcher,
proposed from the researcher). The service's managers accept or decline it in their inbox
(the manage blueprint), which tells the researcher. Contact goes through the app: no email
address of either side is ever shown to the other.
"""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access, vocab
from ..auth.throttle import signed_in_user
from ..extensions import db, limiter
from ..mail import notify
from ..models import Actor, Collaboration, Management, User, record_change
from ..templating import render_form
from .blueprint import bp
from .forms import InterestForm

LINK_KIND = "hosts_research"
DEFAULT_LIMIT = "10 per hour"
TOO_MANY = ("You have sent a lot of messages to services in the last hour. "
            "Wait an hour, then try again. Your message has not been sent.")
DUPLICATE = ("{researcher} already has a proposed or confirmed research link with {service}. "
             "You can follow it up from your records page.")


def _message_limit() -> str:
    return current_app.config.get("LIMIT_RESEARCH_MESSAGES") or DEFAULT_LIMIT


def _sent(_response) -> bool:
    return bool(g.get("interest_sent"))


def my_researchers(user=None) -> list[Actor]:
    """Active researcher records the user manages, by name."""
    user = user or current_user
    mine = select(Management.actor_id).where(Management.user_id == user.id)
    return list(db.session.scalars(select(Actor).where(
        Actor.id.in_(mine), Actor.kind == "researcher", Actor.status == "active")
        .order_by(Actor.name, Actor.id)).unique())


def offered_service_or_404(service_id: int) -> Actor:
    """A service that may be offered to researchers (active, open to research), else 404."""
    service = access.get_actor_or_404(service_id)
    if service.kind != "service" or service.status != "active" or not service.open_to_research:
        abort(404)
    return service


def live_research_link(service_id: int, researcher_id: int) -> Collaboration | None:
    """A proposed or confirmed "hosts research by" link between the pair, if any."""
    return db.session.scalars(select(Collaboration).where(
        Collaboration.kind == LINK_KIND, Collaboration.source_id == service_id,
        Collaboration.target_id == researcher_id,
        Collaboration.status.in_(vocab.LIVE_LINK_STATUSES)).limit(1)).first()


def _linked_already(service_id: int, researcher_ids: list[int]) -> set[int]:
    """Which of these researchers already have a live research link with the service, in one query."""
    return set(db.session.scalars(select(Collaboration.target_id).where(
        Collaboration.kind == LINK_KIND, Collaboration.source_id == service_id,
        Collaboration.target_id.in_(researcher_ids), Collaboration.status.in_(vocab.LIVE_LINK_STATUSES))))


def _managers(actor_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Management, Management.user_id == User.id).where(
        Management.actor_id == actor_id, User.active.is_(True)).order_by(User.id)))


def _note(engagement: str, message: str) -> str:
    return f"Kind of engagement: {vocab.RESEARCH_ENGAGEMENT_TYPES.label(engagement)}\n\n{message.strip()}"


def _send(service: Actor, researcher: Actor, form: InterestForm) -> Collaboration | None:
    """Save the proposed link and tell the service's managers; None (with a message) when refused."""
    note = _note(form.engagement.data, form.message.data)
    if existing := live_research_link(service.id, researcher.id):
        return _sent_already(existing, researcher, note, form, service)
    link = Collaboration(kind=LINK_KIND, source=service, target=researcher, status="proposed",
                         proposed_by_id=current_user.id, proposed_from_id=researcher.id, note=note)
    db.session.add(link)
    try:
        db.session.flush()
    except IntegrityError:
        # The same link was proposed a moment ago: the partial unique index caught it.
        db.session.rollback()
        return _sent_already(live_research_link(service.id, researcher.id), researcher, note, form, service)
    record_change(link, "proposed", current_user, {"status": (None, "proposed")})
    inbox = "manage.inbox" if "manage.inbox" in current_app.view_functions else None
    url = url_for(inbox, _external=True) if inbox else url_for("public.actor", actor_id=service.id, _external=True)
    kind = vocab.RESEARCH_ENGAGEMENT_TYPES.label(form.engagement.data).lower()
    text = (f"{researcher.name} would like to do research with {service.name} ({kind}). "
            f"Their message: “{form.message.data.strip()}” "
            "Accept or decline it in your inbox; replies go through the directory.")
    for manager in _managers(service.id):
        notify(manager, text, url, email_subject=f"A researcher would like to work with {service.name}")
    g.interest_sent = True
    db.session.commit()
    return link


def _sent_already(existing: Collaboration | None, researcher: Actor, note: str, form: InterestForm,
                  service: Actor) -> Collaboration | None:
    """A second press of Send gets the first one's link; another message while one waits is refused."""
    if existing is not None and existing.repeats(current_user.id, researcher.id, note):
        return existing
    form.researcher.errors.append(DUPLICATE.format(researcher=researcher.name, service=service.name))
    return None


@bp.route("/research/partners/<int:service_id>/interest", methods=["GET", "POST"])
@login_required
@limiter.limit(_message_limit, key_func=signed_in_user, methods=["POST"], deduct_when=_sent,
               error_message=TOO_MANY, scope="research-interest")
def express_interest(service_id: int):
    """A researcher's manager writes to a service open to research; it becomes a proposed link."""
    service = offered_service_or_404(service_id)
    researchers = my_researchers()
    if not researchers:
        status = 403 if request.method == "POST" else 200
        return render_template("partners/no_researcher.html", service=service), status
    form = InterestForm(researchers=researchers)
    if request.method == "GET" and request.args.get("researcher", "").isdigit():
        form.researcher.data = int(request.args["researcher"])
    if form.validate_on_submit():
        researcher = next(r for r in researchers if r.id == form.researcher.data)
        if _send(service, researcher, form) is not None:
            has_managers = bool(_managers(service.id))
            flash("Your message has been sent. The service's managers will accept or decline it; "
                  "you will get a notice when they do." if has_managers else
                  "Your message is saved, but nobody manages this service's record yet: it will wait "
                  "in their inbox until someone does.", "success" if has_managers else "warning")
            return redirect(url_for("public.actor", actor_id=service.id))
    waiting = _linked_already(service.id, [r.id for r in researchers])
    return render_form("partners/interest.html", service=service, form=form, researchers=researchers,
                       waiting=waiting)
