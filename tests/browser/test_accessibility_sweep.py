"""Accessibility sweep: axe-core in a real browser over the pages the other browser tests do not check.

For each role the test builds the demo area and a few records around it, signs in once through the real
form, opens each of the role's pages and checks that axe finds no serious or critical violation, that the
status is the expected one and (for a 200) that the console stayed clean and nothing left the machine;
every problem on every page is listed when it fails.
Journeys (registering a service step by step) and pages showing form errors are walked once each,
with axe run at every step.
"""
from __future__ import annotations

import re
from pprint import pformat

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.mail import notify
from directory.models import Actor, ClaimRequest

from .conftest import run_axe

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SERVICE = "The Lantern Day Centre"
FORUM = "Soarbridge Homelessness Forum"
RESEARCHER = "Dr Amira Okafor"
EMAILS = {"manager": "manager@example.org", "coordinator": "coordinator@example.org",
          "admin": "admin@example.org"}


def _actor(name: str) -> Actor:
    return db.session.scalar(select(Actor).where(Actor.name == name))


def build_world(demo, make) -> dict:
    """The demo area, a manager of a service, a coordinator of a forum, an admin, and work for each.

    Returns the values the paths below are formatted with.
    """
    service, forum, researcher = _actor(SERVICE), _actor(FORUM), _actor(RESEARCHER)
    manager = make.user(EMAILS["manager"], PASSWORD, manages=[service], name="Morgan Manager")
    make.user(EMAILS["coordinator"], PASSWORD, manages=[forum], name="Casey Coordinator")
    make.user(EMAILS["admin"], PASSWORD, admin=True, name="Alex Admin")
    # Something in each list: a link waiting for the manager, a notice, a current and an archived
    # barrier report, a record and a claim waiting for the coordinator.
    make.link(_actor("Highcross Drop-in"), "refers_to", service, status="proposed")
    notify(manager, "Your record was viewed by a moderator.", f"/actors/{service.id}")
    make.barrier(service, "workforce", stage=2, description="A three-week wait for a key worker.")
    make.barrier(service, "funding", stage=2, description="Funding renewed late.", archived=True)
    make.actor("service", area=demo, status="pending", name="Eastside Pending Service",
               organisation="Eastside Trust")
    claimant = make.user("claimant@example.org", PASSWORD, name="Chris Claimant")
    db.session.add(ClaimRequest(actor_id=_actor("Bridge Street Hostel").id, user_id=claimant.id,
                                message="I run this hostel's day-to-day services."))
    db.session.commit()
    return {"service": service.id, "forum": forum.id, "researcher": researcher.id, "area": demo.slug,
            "area_id": demo.id, "user": manager.id}


def sign_in(page, role: str) -> None:
    """Sign in through the real form."""
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(EMAILS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Sign out").is_visible(), f"{role} could not sign in"


def unresolved_failures(page) -> list[dict]:
    """What axe leaves "to review" that is a failure all the same (call after run_axe, which loads axe).

    axe does not call text of the same colour as its background a violation (it may be meant to be
    hidden), and reports an id used twice and pointed at by a label only for review. Both are real here:
    buttons nobody could see, a label that may name the wrong field.
    """
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['color-contrast', 'duplicate-id-aria'],"
        " resultTypes: ['incomplete']})")
    found = []
    for rule in result["incomplete"]:
        for node in rule["nodes"]:
            checks = node["any"] + node["all"] + node["none"]
            data = [c.get("data") for c in checks if isinstance(c.get("data"), dict)]
            measured_too_low = any(
                d.get("messageKey") == "equalRatio"
                or (d.get("contrastRatio") and d["contrastRatio"] < float(d["expectedContrastRatio"].split(":")[0]))
                for d in data)
            if rule["id"] == "duplicate-id-aria" or measured_too_low:
                found.append({"id": rule["id"], "target": node["target"],
                              "message": "; ".join(c.get("message", "") for c in checks)})
    return found


def assert_accessible(page, what: str) -> None:
    """axe finds no serious or critical violation (nor a failure it leaves for review); the message lists them."""
    violations = run_axe(page)
    assert violations == [], f"{what}: serious or critical accessibility violations:\n{pformat(violations)}"
    unresolved = unresolved_failures(page)
    assert unresolved == [], f"{what}: failures axe left for review:\n{pformat(unresolved)}"


# (role, path, expected status). Paths are formatted with build_world's values.
PAGES = [
    ("anonymous", "/account/sign-in", 200),
    ("anonymous", "/account/sign-up", 200),
    ("anonymous", "/account/forgot-password", 200),
    ("anonymous", "/actors/{service}", 200),
    ("anonymous", "/actors/{forum}", 200),
    ("anonymous", "/actors/{researcher}", 200),
    ("anonymous", "/research/partners?topics=peer+support&area={area}", 200),
    ("anonymous", "/research/researchers?interests=reflective+practice&area={area}", 200),
    ("anonymous", "/register", 200),
    ("anonymous", "/no-such-page", 404),
    ("anonymous", "/actors/999999", 404),
    ("manager", "/account", 200),
    ("manager", "/account/records", 200),
    ("manager", "/account/inbox", 200),
    ("manager", "/account/notices", 200),
    ("manager", "/actors/{service}", 200),
    ("manager", "/actors/{service}/edit", 200),
    ("manager", "/actors/{service}/managers", 200),
    ("manager", "/actors/{service}/links", 200),
    ("manager", "/actors/{service}/links/new?q=forum", 200),
    ("manager", "/actors/{service}/barriers", 200),
    ("manager", "/actors/{service}/barriers/new", 200),
    ("manager", "/actors/{service}/history", 200),
    ("manager", "/actors/{service}/archive", 200),
    ("manager", "/actors/{forum}/claim", 200),
    ("manager", "/research/researchers?interests=reflective+practice", 200),
    ("manager", "/account/password", 200),
    ("manager", "/account/email", 200),
    ("manager", "/admin", 403),
    ("coordinator", "/moderation", 200),
    ("coordinator", "/moderation/claims", 200),
    ("coordinator", "/areas/{area}/research", 200),
    ("coordinator", "/areas/{area}/stale", 200),
    ("coordinator", "/areas/{area}/stale?show=links", 200),
    ("admin", "/admin", 200),
    ("admin", "/admin/users", 200),
    ("admin", "/admin/users/{user}?q=lantern", 200),
    ("admin", "/admin/areas", 200),
    ("admin", "/admin/areas/new", 200),
    ("admin", "/admin/areas/{area_id}/edit", 200),
    ("admin", "/admin/roles", 200),
]


@pytest.mark.parametrize("role", ["anonymous", "manager", "coordinator", "admin"])
def test_pages_have_no_serious_accessibility_violations(page, demo, make, role):
    """Each role's pages in one browser session (signing in once); every problem is listed at the end."""
    world = build_world(demo, make)
    if role != "anonymous":
        sign_in(page, role)
    problems, checked = [], 0
    for page_role, path, status in PAGES:
        if page_role != role:
            continue
        url = path.format(**world)
        errors_before = len(page.watch.console_errors)
        response = page.goto(url)
        checked += 1
        if response.status != status:
            problems.append(f"{url}: status {response.status}, expected {status}")
            continue
        problems += [f"{url}: {pformat(v)}" for v in run_axe(page)]
        problems += [f"{url}: left for review but failing: {pformat(v)}" for v in unresolved_failures(page)]
        if status == 200:  # an error status is itself logged to the console
            problems += [f"{url}: console error: {e}" for e in page.watch.console_errors[errors_before:]]
    assert checked > 0
    assert page.watch.outside_requests == [], f"requests outside 127.0.0.1: {page.watch.outside_requests}"
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def submit_empty(page, path: str, button: str, status: int = 400) -> None:
    """Open a form, submit it as it is, and check the page that shows the errors."""
    page.goto(path)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    assert response.status == status, f"{path}: status {response.status} after {button!r}"
    assert page.locator(".error-summary").is_visible(), f"{path}: no error summary"
    assert_accessible(page, f"{path} with errors")


def test_anonymous_forms_with_errors(page, demo, make):
    build_world(demo, make)
    submit_empty(page, "/account/sign-in", "Sign in")
    submit_empty(page, "/account/sign-up", "Create account")
    submit_empty(page, "/account/forgot-password", "Send the link")
    assert page.watch.outside_requests == []


def test_signed_in_forms_with_errors(page, demo, make):
    world = build_world(demo, make)
    sign_in(page, "manager")
    service = world["service"]
    submit_empty(page, f"/actors/{service}/barriers/new", "Add the report")
    submit_empty(page, f"/actors/{service}/links/new?q=forum", "Propose the link")
    submit_empty(page, f"/actors/{service}/managers", "Send the invitation")
    submit_empty(page, "/account/password", "Change password")
    submit_empty(page, "/account/email", "Change email address")
    assert page.watch.outside_requests == []


def test_admin_forms_with_errors(page, demo, make):
    build_world(demo, make)
    sign_in(page, "admin")
    submit_empty(page, "/admin/areas/new", "Save area")
    assert page.watch.outside_requests == []


def _continue(page, step: str):
    """Press Continue; if the record looks like one already listed, say it is not."""
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    if "possible-duplicates" in page.url:
        assert_accessible(page, f"possible duplicates after {step}")
        page.get_by_role("button", name="None of these — continue").click()
        page.wait_for_load_state()


def test_register_a_service_every_step(page, demo, make):
    build_world(demo, make)
    sign_in(page, "manager")
    page.goto("/register")
    page.get_by_role("link", name="Register a service").click()
    page.wait_for_url("**/register/service/about")
    assert_accessible(page, "service: about")

    # The first step submitted empty: the error summary and the fields' messages.
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Continue").click()
    assert navigation.value.status == 400
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "service: about, with errors")

    page.get_by_label("Name").first.fill("Northgate Recovery Hub")
    page.get_by_label("Organisation that runs it").fill("Northgate Trust")
    page.get_by_label("Summary").fill("Recovery support with assessment.")
    page.get_by_label("Home area").select_option(label=demo.name)
    _continue(page, "about")
    page.wait_for_url("**/register/service/details")
    assert_accessible(page, "service: details")

    page.get_by_label("Substance use").check()
    page.get_by_label("3. Assessment and relief").check()
    _continue(page, "details")
    page.wait_for_url("**/register/service/location")
    picker = page.locator("#location-map")
    picker.wait_for(state="visible")
    assert_accessible(page, "service: location (map picker)")

    page.get_by_label("Address", exact=True).fill("5 Granby Street, Soarbridge")
    page.get_by_label("Postcode").fill("le1 6aa")
    picker.click(position={"x": 200, "y": 120})
    assert re.fullmatch(r"5\d\.\d+", page.get_by_label("Latitude").input_value())
    assert_accessible(page, "service: location, point set")
    _continue(page, "location")
    page.wait_for_url("**/register/service/check")
    assert page.get_by_role("heading", name=re.compile("Check your answers")).is_visible()
    assert_accessible(page, "service: check your answers")
    # The one console error is the browser logging the 400 of the empty submit on purpose.
    assert page.watch.outside_requests == []
    assert [e for e in page.watch.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize("kind", ["forum", "researcher"])
def test_register_first_step(page, demo, make, kind):
    build_world(demo, make)
    sign_in(page, "manager")
    response = page.goto(f"/register/{kind}")
    assert response.status == 200 and page.url.endswith(f"/register/{kind}/about")
    assert_accessible(page, f"{kind}: about")
    page.watch.assert_clean()
