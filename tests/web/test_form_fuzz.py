"""Hostile input in each field of each form never gives a 500, on SQLite and on PostgreSQL.

One test per form: the POST forms (FORMS) and the GET searches (SEARCHES). Each sends the form once per
field and hostile value (HOSTILE, the field sent twice, and the form's own `extras`), the other fields keeping
valid answers (the form's baseline, which on its own is accepted). Each answer must be below 500, and a 400
must show a message (beside a field or above the form; the error page's own words where there is no form).
An accepted post is followed to the page it leads to, and a registration step on through check-your-answers
to the new record's page: what was stored must show without a 500 too. The person posting is an admin who
also manages a record of each kind (anonymous for signing in, signing up and resetting a password).

PostgreSQL enforces VARCHAR(n) lengths and integer ranges that SQLite does not, so run it on both:
TEST_DATABASE_URL=postgresql://... .venv/bin/python -m pytest tests/web/test_form_fuzz.py
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete, func, select, update
from werkzeug.exceptions import BadRequest
from wtforms.fields.core import UnboundField

from directory.admin.forms import AddManagedRecordForm, AreaForm, RecordSearchForm, UserSearchForm
from directory.auth import throttle
from directory.auth.forms import (
    ChangeEmailForm, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm, SignInForm, SignUpForm,
)
from directory.auth.tokens import make_reset_token
from directory.extensions import db
from directory.manage.forms import BarrierForm, InviteForm, LinkProposalForm
from directory.models import Actor, Area, ClaimRequest, Collaboration, Management, User
from directory.maps.forms import MapFilterForm
from directory.moderation.forms import RejectForm
from directory.partners.forms import InterestForm, PartnerSearchForm, ResearcherSearchForm
from directory.public.forms import DirectoryFilterForm
from directory.records.forms import EDIT_FORMS, STEP_FORMS, ClaimForm
from tests.helpers import csrf_token, form_values, login

PASSWORD = "correct horse battery"
ADMIN, MEMBER = "fuzz-admin@example.org", "fuzz-member@example.org"

HOSTILE = {
    "5,000 characters": "x" * 5000,
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "1e400": "1e400",
    "a huge integer": "99999999999999999999999",
    "-1": "-1",
    "0": "0",
    "spaces": "   ",
    "nothing": "",
    "an Arabic-Indic digit": "٣",
    "mathematical letters": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "a combining accent": "e\u0301",
    "an unknown choice": "no-such-choice",
}
DATES = ["2024-02-30", "9999-12-31", "0001-01-01", "31/12/2023", "2023-1-1"]
IDS = ["2147483648", "999999", "1.5", "0x10"]
NUMBERS = ["90.0000001", "-180.0000001", "1_0", "53,48", "1e-400", "0x10", "١٢"]
WEBSITES = ["http://[", "http://[::1", "javascript:alert(1)", "http://exa mple.org",
            "https://" + "a" * 295 + ".org", "http://example.org:99999"]
EMAILS = ["ünïcode@exämple.org", "a@b", "x" * 64 + "@" + "a" * 185 + ".org", "@example.org",
          "name@example.org\nBcc: other@example.org"]
POSTCODES = ["SW١A 1AA", "sw1a1aa", "GIR 0AA", "SW1A 1AA SW1A 1AA"]
SQUARE = [[[-1.0, 52.0], [-0.9, 52.0], [-0.9, 52.1], [-1.0, 52.1], [-1.0, 52.0]]]
BOUNDARIES = [
    "[" * 100_000 + "]" * 100_000,
    '{"type": "Polygon", "coordinates": [[[NaN, 0], [1, 0], [1, 1], [NaN, 0]]]}',
    '{"type": "Polygon", "coordinates": [[[Infinity, 0], [1, 0], [1, 1], [Infinity, 0]]]}',
    '{"type": "Polygon", "coordinates": [[[1e400, 0], [1, 0], [1, 1], [1e400, 0]]]}',
    '{"type": "Polygon", "coordinates": [[[' + "9" * 5000 + ", 0], [1, 0], [1, 1], [0, 0]]]}",
    '{"type": "Polygon", "coordinates": [[[' + "9" * 4000 + ", 0], [1, 0], [1, 1], [0, 0]]]}",
    '{"type": "Polygon", "coordinates": [[[0, 0, NaN], [1, 0, 1e400], [1, 1, 0], [0, 0, NaN]]]}',
    '{"type": "Polygon", "coordinates": [[[true, 0], [1, 0], [1, 1], [true, 0]]]}',
    '{"type": "Polygon", "coordinates": [[["0", "0"], ["1", "0"], ["1", "1"], ["0", "0"]]]}',
    '{"type": "Polygon", "coordinates": "abc"}',
    '{"type": "Polygon", "coordinates": {}}',
    '{"type": "Polygon", "coordinates": [[]]}',
    '{"type": "MultiPolygon", "coordinates": [[]]}',
    '{"type": "MultiPolygon", "coordinates": [5]}',
    '{"type": "Feature"}',
    '{"type": "Feature", "geometry": [1, 2]}',
    '{"type": ["Polygon"]}',
    "null", "[]", "{}", "1", '"text"', "true", "{not json", '{"a": 1, "a": 2}',
    json.dumps({"type": "Polygon", "coordinates": SQUARE}),
]
ERROR_SHOWN = ('class="error-summary"', 'class="error-message"')


def _shows_a_message(text: str) -> bool:
    """A form's message beside a field or above it; or, where there is no form, the error page's own words."""
    if any(marker in text for marker in ERROR_SHOWN):
        return True
    return "There is a problem with the request</h1>" in text and BadRequest.description not in text


# --- the world ------------------------------------------------------------------------------------------

@dataclass
class World:
    """Ids of the rows the forms act on, and the finished registration drafts to start each post from."""

    home: int
    elsewhere: int
    register_area: int      # new registrations go here, away from look-alike records
    service: int            # managed by the admin; has a barrier report
    forum: int              # managed by the admin
    researcher: int         # managed by the admin
    partner: int            # an active service open to research, managed by nobody
    pending: int            # a pending service managed by the member
    report: int
    claim: int              # another person asks to manage the partner
    admin: int
    member: int
    drafts: dict[str, dict] = field(default_factory=dict)


def _world(make) -> World:
    home, elsewhere = make.area(name="Fuzz Home"), make.area(name="Fuzz Elsewhere")
    register_area = make.area(name="Fuzz Registrations")
    service = make.actor("service", area=home, name="Fuzz Day Centre", stages=[4], open_to_research=True)
    forum = make.actor("forum", area=home, name="Fuzz Forum", forum_type="homelessness_forum")
    researcher = make.actor("researcher", area=home, name="Dr Fuzz")
    partner = make.actor("service", area=home, name="Open Door Shelter", stages=[3], open_to_research=True)
    pending = make.actor("service", area=home, name="Pending Place", status="pending")
    admin = make.user(ADMIN, manages=[service, forum, researcher], admin=True)
    member = make.user(MEMBER, manages=[pending])
    claimant = make.user("claimant@example.org")
    claim = ClaimRequest(actor_id=partner.id, user_id=claimant.id, message="This is us")
    db.session.add(claim)
    db.session.commit()
    report = make.barrier(service, description="Beds full by noon")
    return World(home=home.id, elsewhere=elsewhere.id, register_area=register_area.id, service=service.id,
                 forum=forum.id, researcher=researcher.id, partner=partner.id, pending=pending.id,
                 report=report.id, claim=claim.id, admin=admin.id, member=member.id)


# --- valid answers ----------------------------------------------------------------------------------------

def _about(w: World, area: int) -> dict:
    return {"name": "Harbour Lights Day Centre", "organisation": "Harbour Trust", "summary": "Breakfast and advice",
            "description": "Open every weekday.", "area_id": str(area), "areas_served": [str(w.elsewhere)]}


DETAILS = {
    "service": {"service_types": ["day_centre", "advice_advocacy"], "stages": ["2", "3"],
                "client_groups": ["rough_sleepers"], "eligibility": "Adults 18+", "capacity": "60 a day",
                "referral_route": "Drop in", "self_referral": "y", "engagement_offered": ["training"],
                "open_to_research": "y", "research_topics": "Peer support", "research_conditions": "DBS checks",
                "research_capacity": "One project a year", "confidential": "",
                "pie_psychological_awareness": "1", "pie_training_support": "2", "pie_learning_enquiry": "2",
                "pie_spaces_of_opportunity": "3", "pie_three_rs": "0"},
    "forum": {"forum_type": "homelessness_forum", "meeting_frequency": "monthly", "open_to_new_members": "y",
              "coordinator_contact": "Sam, forum chair"},
    "researcher": {"institution": "Harbour University", "disciplines": "Social policy", "interests": "Move-on",
                   "methods": "Interviews", "research_engagement": ["evaluation_partner"],
                   "seeking_partners": "y"},
}
LOCATION = {"address": "1 Quay Street", "postcode": "M1 1AE", "latitude": "53.4808", "longitude": "-2.2426",
            "website": "https://harbour.example.org", "phone": "0161 000 0000",
            "contact_email": "info@harbour.example.org"}
STEP_ANSWERS = {"about": lambda w, kind: _about(w, w.register_area), "details": lambda w, kind: DETAILS[kind],
                "location": lambda w, kind: LOCATION}
BARRIER = {"category": "funding", "stage": "4", "description": "Short-term grants", "since": "2023-01-31",
           "visibility": "public"}


def _edit_answers(w: World, kind: str) -> dict:
    answers = {**_about(w, w.home), **DETAILS[kind], **LOCATION, "name": f"Fuzz {kind}"}
    if kind != "service":
        del answers["organisation"]
    return answers


def _area_answers(slug: str = "") -> dict:
    return {"name": "Fuzz New Area", "slug": slug, "centre_lat": "52.1", "centre_lon": "-1.2", "zoom": "11",
            "boundary": json.dumps({"type": "Polygon", "coordinates": SQUARE})}


# --- after an accepted post: put things back so the next post is like the first ----------------------------

def _undo(statement: Callable[[World], Any]) -> Callable[[World, Any], None]:
    """Run one SQL statement (built from the world) and commit."""
    def reset(w: World, _client) -> None:
        db.session.execute(statement(w))
        db.session.commit()
    return reset


def _sign_out_anonymous(w: World, client) -> None:
    with client.session_transaction() as session:
        for key in [k for k in session if k != "csrf_token"]:
            del session[key]


# --- the forms ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """One form: where it is, its fields, valid answers, and how to undo an accepted post."""

    id: str
    path: Callable[[World], str]
    form: type | None                              # the WTForms class: every field of it is tried
    answers: Callable[[World], dict]               # valid answers: the baseline, accepted on its own
    method: str = "POST"                           # GET: a search, its answers in the query string
    anonymous: bool = False
    only: tuple[str, ...] = ()                     # just these fields of the form (those a GET reads)
    without: tuple[str, ...] = ()                  # fields the page removes (organisation, for a forum)
    more_fields: tuple[str, ...] = ()              # names the view reads outside the form
    extras: dict[str, list[str]] = field(default_factory=dict)  # more hostile values for some fields
    kind: str | None = None                        # a registration step of this kind of record
    reset: Callable[..., None] | None = None       # after an accepted post (world, client)

    def fields(self) -> list[str]:
        names = [n for n in dir(self.form) if isinstance(getattr(self.form, n), UnboundField)] if self.form else []
        names = [n for n in names if n != "csrf_token" and n not in self.without and (not self.only or n in self.only)]
        return names + list(self.more_fields)


RECORD_EXTRAS = {"latitude": NUMBERS, "longitude": NUMBERS, "website": WEBSITES, "contact_email": EMAILS,
                 "postcode": POSTCODES, "area_id": IDS}


def _register(kind: str, step: str) -> Form:
    index = ("about", "details", "location").index(step)
    return Form(f"register {kind} {step}", lambda w: f"/register/{kind}/{step}", STEP_FORMS[kind][index],
                lambda w: STEP_ANSWERS[step](w, kind), without=("organisation",) if kind != "service" else (),
                extras=RECORD_EXTRAS, kind=kind,
                # new records are archived, so the next registration has no look-alike to be shown
                reset=_undo(lambda w: update(Actor).where(Actor.area_id == w.register_area,
                                                          Actor.status == "pending").values(status="archived")))


def _edit(kind: str) -> Form:
    return Form(f"edit {kind}", lambda w: f"/actors/{getattr(w, kind)}/edit", EDIT_FORMS[kind],
                lambda w: _edit_answers(w, kind), without=("organisation",) if kind != "service" else (),
                extras=RECORD_EXTRAS)


def _reset_password_path(w: World) -> str:
    return f"/account/reset-password/{make_reset_token(db.session.get(User, w.member))}"


FORMS = [
    *[_register(kind, step) for kind in ("service", "forum", "researcher")
      for step in ("about", "details", "location")],
    *[_edit(kind) for kind in ("service", "forum", "researcher")],
    Form("barrier report new", lambda w: f"/actors/{w.service}/barriers/new", BarrierForm, lambda w: BARRIER,
         extras={"since": DATES, "stage": ["4.0", "04"]}),
    Form("barrier report edit", lambda w: f"/actors/{w.service}/barriers/{w.report}/edit", BarrierForm,
         lambda w: BARRIER, extras={"since": DATES}),
    Form("propose a link", lambda w: f"/actors/{w.service}/links/new", LinkProposalForm,
         lambda w: {"kind": "member_of", "direction": "out", "other": str(w.forum), "q": "forum",
                    "note": "We meet monthly", "start_date": "2022-05-01"},
         extras={"other": [*IDS, "SELF", "PENDING", "PARTNER"], "start_date": DATES},
         reset=_undo(lambda w: delete(Collaboration).where(Collaboration.proposed_from_id == w.service))),
    Form("invite a manager", lambda w: f"/actors/{w.service}/managers", InviteForm,
         lambda w: {"email": "invitee@example.org"}, extras={"email": EMAILS}),
    Form("express interest", lambda w: f"/research/partners/{w.partner}/interest", InterestForm,
         lambda w: {"researcher": str(w.researcher), "engagement": "researcher_in_residence",
                    "message": "We would like to study reflective practice with your team."},
         extras={"researcher": [*IDS, "PARTNER"]},
         reset=_undo(lambda w: delete(Collaboration).where(Collaboration.target_id == w.researcher))),
    Form("claim a record", lambda w: f"/actors/{w.partner}/claim", ClaimForm,
         lambda w: {"message": "We run this service"}, more_fields=("from_registration",),
         reset=_undo(lambda w: delete(ClaimRequest).where(ClaimRequest.user_id == w.admin))),
    Form("moderation reject record", lambda w: f"/moderation/records/{w.pending}/reject", RejectForm,
         lambda w: {"reason": "Not a homelessness service"},
         reset=_undo(lambda w: update(Actor).where(Actor.id == w.pending).values(status="pending"))),
    Form("moderation reject claim", lambda w: f"/moderation/claims/{w.claim}/reject", RejectForm,
         lambda w: {"reason": "We could not confirm you work there"},
         reset=_undo(lambda w: update(ClaimRequest).where(ClaimRequest.id == w.claim)
                     .values(status="pending", reason=""))),
    Form("admin new area", lambda w: "/admin/areas/new", AreaForm, lambda w: _area_answers(),
         extras={"boundary": BOUNDARIES, "slug": ["UPPER", "a--b", "-a", "fuzz-home", "x" * 200],
                 "centre_lat": NUMBERS, "centre_lon": NUMBERS, "zoom": ["12.5", "1e1", "0x10", "٣"]},
         reset=_undo(lambda w: delete(Area).where(Area.id.not_in([w.home, w.elsewhere, w.register_area])))),
    Form("admin edit area", lambda w: f"/admin/areas/{w.elsewhere}/edit", AreaForm,
         lambda w: _area_answers("fuzz-elsewhere"),
         extras={"boundary": BOUNDARIES, "slug": ["UPPER", "fuzz-home", "x" * 200],
                 "centre_lat": NUMBERS, "centre_lon": NUMBERS, "zoom": ["12.5", "1e1"]}),
    Form("admin add managed record", lambda w: f"/admin/users/{w.member}/records", AddManagedRecordForm,
         lambda w: {"actor_id": str(w.partner)}, extras={"actor_id": [*IDS, "PENDING", "SELF"]},
         reset=_undo(lambda w: delete(Management).where(Management.user_id == w.member,
                                                      Management.actor_id == w.partner))),
    Form("sign up", lambda w: "/account/sign-up", SignUpForm,
         lambda w: {"name": "New Person", "email": "newcomer@example.org", "password": "a long passphrase",
                    "confirm": "a long passphrase"}, anonymous=True, extras={"email": EMAILS}),
    Form("sign in", lambda w: "/account/sign-in", SignInForm,
         lambda w: {"email": MEMBER, "password": PASSWORD}, anonymous=True, extras={"email": EMAILS},
         reset=_sign_out_anonymous),
    Form("forgot password", lambda w: "/account/forgot-password", ForgotPasswordForm,
         lambda w: {"email": MEMBER}, anonymous=True, extras={"email": EMAILS}),
    Form("reset password", _reset_password_path, ResetPasswordForm,
         lambda w: {"password": PASSWORD, "confirm": PASSWORD}, anonymous=True),
    Form("change password", lambda w: "/account/password", ChangePasswordForm,
         lambda w: {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}),
    Form("change email", lambda w: "/account/email", ChangeEmailForm,
         lambda w: {"email": "new-address@example.org", "current": PASSWORD}, extras={"email": EMAILS}),
]


def _slug(w: World) -> str:
    return db.session.get(Area, w.home).slug


SEARCHES = [
    Form("directory search", lambda w: "/directory", DirectoryFilterForm, method="GET",
         answers=lambda w: {"q": "shelter", "kind": "service", "area": _slug(w), "service_type": "advice_advocacy",
                            "stage": "4", "client_group": "", "open_to_research": "y", "page": "1"}),
    *[Form(f"map filters {path}", lambda w, path=path: path.format(slug=_slug(w)), MapFilterForm, method="GET",
           answers=lambda w: {"area": _slug(w), "kind": ["service", "forum"], "link_kind": ["member_of"],
                              "stage": "4", "service_type": "", "proposed": "y", "gaps": "y", "page": "1"})
      for path in ("/map", "/map/list", "/areas/{slug}/map")],
    Form("partner search", lambda w: "/research/partners", PartnerSearchForm, method="GET",
         answers=lambda w: {"topics": "peer support", "area": _slug(w), "near": "53.0, -1.5", "within_km": "25",
                            "service_type": ["day_centre"], "stage": ["4"], "client_group": ["families"],
                            "pie_theme": ["three_rs"], "page": "1"},
         extras={"near": ["SW1A 1AA", "M1 1AE", "Fuzz Home", "fuzz-home", "91, 0", "53.0,-1.5", "53 -1.5",
                          "1e400, 0", "nan, nan", "٥٣, ١"], "within_km": ["0.1", "1000.0001", "1_0", "1e-400"]}),
    Form("researcher search", lambda w: "/research/researchers", ResearcherSearchForm, method="GET",
         answers=lambda w: {"interests": "move-on", "engagement": ["evaluation_partner"], "area": _slug(w),
                            "include_all": "y", "page": "1"}),
    Form("admin user search", lambda w: "/admin/users", UserSearchForm, method="GET",
         answers=lambda w: {"q": "example", "page": "1"}, more_fields=("page",)),
    Form("admin record search", lambda w: f"/admin/users/{w.member}", RecordSearchForm, method="GET",
         answers=lambda w: {"q": "shelter"}),
    Form("link search", lambda w: f"/actors/{w.service}/links/new", LinkProposalForm, method="GET",
         answers=lambda w: {"q": "forum", "kind": "member_of", "direction": "out"}, only=("q", "kind", "direction")),
    Form("interest page", lambda w: f"/research/partners/{w.partner}/interest", InterestForm, method="GET",
         answers=lambda w: {"researcher": str(w.researcher)}, only=("researcher",), extras={"researcher": IDS}),
    *[Form(f"area {page} page", lambda w, page=page: f"/areas/{_slug(w)}/{page}", None, method="GET",
           answers=lambda w, name=name, value=value: {name: value}, more_fields=(name, "page"))
      for page, name, value in (("analysis", "sort", "severity"), ("stale", "show", "links"),
                                ("research", "show", "proposed"))],
]


def _values(form: Form, w: World, name: str, answers: dict) -> list[tuple[str, Any]]:
    """(label, value) pairs to send as this field: the hostile values, the field twice, the form's extras."""
    valid = answers.get(name) or "1"
    twice = valid + valid if isinstance(valid, list) else [valid, valid]
    first = valid[0] if isinstance(valid, list) else valid
    special = {"SELF": str(w.service), "PENDING": str(w.pending), "PARTNER": str(w.partner)}
    values = list(HOSTILE.items()) + [("the field twice", twice), ("the field twice, the second 5,000 characters",
                                                                 [first, "x" * 5000])]
    for extra in form.extras.get(name, []):
        label = f"{special[extra]} ({extra.lower()})" if extra in special else extra
        values.append((label if len(label) < 60 else f"{label[:40]}... ({len(label)} characters)",
                       special.get(extra, extra)))
    return values


# --- posting --------------------------------------------------------------------------------------------

class Poster:
    """Posts and follows, collecting every answer of 500 or more (or an exception) and every silent 400."""

    def __init__(self, client, token: str):
        self.client, self.token, self.problems = client, token, []
        self.opened: dict[str, dict] = {}  # an edit form's hidden version, by path, while it is current

    def _opened(self, path: str) -> dict:
        """An edit form carries the version of the record it was opened at: the one last shown, or afresh."""
        if not path.endswith("/edit"):
            return {}
        if path not in self.opened:
            self.opened[path] = form_values(self.client.get(path).text)
        return self.opened[path]

    def _keep_version(self, path: str, r) -> None:
        """A form shown again carries the version to save over next; after a save, open the form again."""
        shown = form_values(r.text) if r.status_code in (400, 409) else {}
        if "version" in shown:
            self.opened[path] = shown
        else:
            self.opened.pop(path, None)

    def request(self, what: str, method: str, path: str, data: dict | None = None):
        try:
            if method == "POST":
                r = self.client.post(path, data={"csrf_token": self.token, **self._opened(path), **(data or {})})
                self._keep_version(path, r)
            else:
                r = self.client.get(path, query_string=data)
        except Exception as exc:  # TESTING propagates exceptions: each is a 500 in production
            self.problems.append(f"{what}: {method} {path[:80]} raised {type(exc).__name__}: {str(exc)[:300]}")
            return None
        if r.status_code >= 500:
            self.problems.append(f"{what}: {method} {path[:80]} gave {r.status_code}")
        elif r.status_code == 400 and not _shows_a_message(r.text):
            self.problems.append(f"{what}: a 400 with no message beside a field or above the form")
        elif r.status_code == 409 and "Your changes have not been saved" not in r.text:
            self.problems.append(f"{what}: a 409 that does not say what changed since the form was opened")
        elif r.status_code not in (200, 302, 400, 409):  # 409: the form's version is not the record's
            self.problems.append(f"{what}: {method} {path[:80]} gave {r.status_code}, not the form's answer")
        return r

    def follow(self, what: str, r):
        """GET the page a redirect leads to (on this site)."""
        if r is None or r.status_code not in (301, 302, 303):
            return r
        target = urlsplit(r.headers["Location"])
        path = target.path + (f"?{target.query}" if target.query else "")
        return self.request(f"{what}, then the page it leads to", "GET", path)


def _draft(client, kind: str) -> dict:
    with client.session_transaction() as session:
        return copy.deepcopy(session[f"register_draft_{kind}"])


def _restore_draft(client, kind: str, draft: dict) -> None:
    """Start from the finished draft as a new registration: without its one-time key, which would make
    every post a repeat of the first registration, answered with the record it made."""
    with client.session_transaction() as session:
        session[f"register_draft_{kind}"] = {k: copy.deepcopy(v) for k, v in draft.items() if k != "key"}


@pytest.mark.parametrize("form", FORMS + SEARCHES, ids=[f.id for f in FORMS + SEARCHES])
def test_hostile_values_never_give_a_500(app, make, form):
    app.config.update({name: "100000 per minute" for name in throttle.LIMITS})
    app.config["LIMIT_RESEARCH_MESSAGES"] = "100000 per minute"
    w = _world(make)
    client = app.test_client()
    if not form.anonymous:
        login(client, ADMIN, PASSWORD)
    token = csrf_token(client, "/account/sign-in" if form.anonymous else "/")
    poster = Poster(client, token)
    answers = form.answers(w)
    draft = None
    if form.kind:  # every step answered with the valid answers: each post then changes one step
        for step in ("about", "details", "location"):
            r = poster.request("valid answers", "POST", f"/register/{form.kind}/{step}",
                               STEP_ANSWERS[step](w, form.kind))
            assert r is not None and r.status_code == 302, (step, r and r.text[:3000])
        draft = _draft(client, form.kind)

    # The valid answers on their own are accepted (else every post below would test only the message).
    r = poster.request("valid answers", form.method, form.path(w), answers)
    assert r is not None and r.status_code in (200, 302), (r and r.status_code, r and r.text[:3000])
    if form.reset:
        form.reset(w, client)

    for name in form.fields():
        for label, value in _values(form, w, name, answers):
            what = f"{name} = {label}"
            if draft is not None:
                _restore_draft(client, form.kind, draft)
            r = poster.request(what, form.method, form.path(w), {**answers, name: value})
            if r is None or r.status_code >= 400 or form.method == "GET":
                continue
            page = poster.follow(what, r)
            if form.kind and page is not None and page.status_code == 200 and "/check" in r.headers["Location"]:
                done = poster.request(f"{what}, then check your answers", "POST", f"/register/{form.kind}/check")
                poster.follow(f"{what}, then check your answers", done)
            if form.reset:
                form.reset(w, client)
    assert not poster.problems, f"{form.id}: {len(poster.problems)} problems\n" + "\n".join(poster.problems)
    if form.kind:  # the accepted answers went all the way through check-your-answers to a new record
        assert db.session.scalar(select(func.count(Actor.id)).where(Actor.area_id == w.register_area)) > 1
