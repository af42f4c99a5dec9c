"""Issue 3's journey in a real browser: a new user registers a service, a coordinator approves it,
the service proposes a link to a forum, the forum's coordinator confirms it, and the link is public."""
import re

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor, Collaboration
from tests.helpers import sign_up_link

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser

FORUM = "Soarbridge Homelessness Forum"
SERVICE = "Northgate Recovery Hub"


def sign_in(page, email, password):
    """Sign in through the real form."""
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_register_approve_link_confirm(browser, live_server, demo, make):
    forum = db.session.scalar(select(Actor).where(Actor.name == FORUM))
    make.user("coordinator@example.org", "coordinator password", manages=[forum])

    applicant = browser.new_context(base_url=live_server).new_page()
    errors = []
    applicant.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # Sign up from the home page.
    applicant.goto("/")
    applicant.get_by_role("link", name="Sign in").click()
    applicant.get_by_role("link", name="Create an account").click()
    applicant.get_by_label("Your name").fill("Sam Applicant")
    applicant.get_by_label("Email address").fill("sam@example.org")
    applicant.get_by_label("Password", exact=True).fill("a long password")
    applicant.get_by_label("Confirm password").fill("a long password")
    applicant.get_by_role("button", name="Create account").click()
    assert applicant.get_by_role("heading", name="Check your email").is_visible()
    # Follow the link from the email (written to the mail folder) and finish creating the account.
    applicant.goto(sign_up_link("sam@example.org"))
    applicant.get_by_role("button", name="Create my account").click()
    assert applicant.get_by_text("Your account has been created").is_visible()

    # Register a service, step by step.
    applicant.get_by_role("link", name="Register", exact=True).click()
    applicant.get_by_role("link", name="Register a service").click()
    applicant.get_by_label("Name").first.fill(SERVICE)
    applicant.get_by_label("Organisation that runs it").fill("Northgate Trust")
    applicant.get_by_label("Summary").fill("Recovery support with assessment.")
    applicant.get_by_label("Home area").select_option(label="Demo: Soarbridge (fictional)")
    applicant.get_by_role("button", name="Continue").click()
    applicant.get_by_label("Substance use").check()
    applicant.get_by_label("3. Assessment and relief").check()
    applicant.get_by_role("button", name="Continue").click()
    if "possible-duplicates" in applicant.url:
        applicant.get_by_role("button", name="None of these — continue").click()
    applicant.get_by_label("Address", exact=True).fill("5 Granby Street, Soarbridge")
    applicant.get_by_label("Postcode").fill("le1 6aa")
    # Set the point by clicking the map.
    picker = applicant.locator("#location-map")
    picker.wait_for(state="visible")
    picker.click(position={"x": 200, "y": 120})
    lat = applicant.get_by_label("Latitude").input_value()
    lon = applicant.get_by_label("Longitude").input_value()
    assert re.fullmatch(r"5\d\.\d+", lat) and re.fullmatch(r"-?\d\.\d+", lon), (lat, lon)
    screenshot(applicant, "journey-location-picker")
    applicant.get_by_role("button", name="Continue").click()
    if "possible-duplicates" in applicant.url:
        applicant.get_by_role("button", name="None of these — continue").click()
    assert applicant.get_by_role("heading", name=re.compile("Check your answers")).is_visible()
    assert run_axe(applicant) == []
    applicant.get_by_role("button", name="Register").click()
    assert applicant.get_by_text("is waiting for a moderator to approve it").is_visible()

    service = db.session.scalar(select(Actor).where(Actor.name == SERVICE))
    assert service.status == "pending" and service.postcode == "LE1 6AA"
    assert abs(service.latitude - float(lat)) < 1e-4 and abs(service.longitude - float(lon)) < 1e-4
    # Pending: the applicant sees it, the public does not.
    applicant.goto(f"/actors/{service.id}")
    assert applicant.get_by_text("Pending approval", exact=False).first.is_visible()
    public = browser.new_context(base_url=live_server).new_page()
    assert public.goto(f"/actors/{service.id}").status == 404

    # The coordinator of a forum in the area approves it.
    coordinator = browser.new_context(base_url=live_server).new_page()
    sign_in(coordinator, "coordinator@example.org", "coordinator password")
    coordinator.get_by_role("link", name="Moderation").click()
    coordinator.get_by_role("button", name=f"Approve {SERVICE}").click()
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"

    # The applicant proposes "member of" the forum.
    applicant.goto(f"/actors/{service.id}")
    applicant.get_by_role("link", name="Propose a link").click()
    applicant.get_by_label("Name of the service, forum or researcher").fill("Homelessness Forum")
    applicant.get_by_role("button", name="Search").click()
    applicant.get_by_label(re.compile(FORUM)).check()
    applicant.get_by_label("Kind").select_option(label="Member of")
    applicant.get_by_role("button", name="Propose the link").click()
    link = db.session.scalar(select(Collaboration).where(Collaboration.source_id == service.id))
    assert link.status == "proposed" and link.target_id == forum.id
    # Not public yet.
    public.goto(f"/actors/{forum.id}")
    assert public.get_by_role("link", name=SERVICE).count() == 0

    # The forum's coordinator confirms it from the inbox.
    coordinator.goto("/account/inbox")
    coordinator.get_by_role("button", name=re.compile(f"Confirm link: {SERVICE}")).click()
    db.session.expire_all()
    assert db.session.get(Collaboration, link.id).status == "confirmed"

    # The link shows on both public pages.
    public.goto(f"/actors/{forum.id}")
    assert public.get_by_role("link", name=SERVICE).is_visible()
    public.goto(f"/actors/{service.id}")
    assert public.get_by_role("link", name=FORUM).first.is_visible()
    screenshot(public, "journey-service-public")
    assert errors == []
