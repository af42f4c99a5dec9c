"""No contact email and no user email appears on any page or export a signed-out visitor can load.

The test walks every GET rule of the app whose arguments it can fill, so a page added later is
covered without editing this file.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from directory import vocab
from directory.extensions import db
from directory.models import Actor, Area, User

# What each URL argument is filled with; rules with any other argument are skipped (and listed).
FILLABLE = {"slug", "actor_id", "service_id", "kind"}
# Query strings that draw more of the same pages (filters, overlays, search on the words of an address).
EXTRA = ["/directory?q=example.org", "/directory?q=private", "/map?gaps=1", "/map.geojson?proposed=1",
         "/research/partners?topics=reflective+practice&include_all=y", "/research/researchers?include_all=y",
         "/research/researchers?interests=private"]


def _world(make, demo):
    """The demo area, plus a record of each kind (and a confidential and a pending one) with contact emails."""
    service = make.actor(area=demo, name="Private Mail Hostel", contact_email="hostel-private@example.org",
                         open_to_research=True, research_topics="reflective practice", postcode="LE1 5WW")
    refuge = make.actor(area=demo, name="Quiet Refuge", contact_email="refuge-private@example.org",
                        confidential=True, open_to_research=True)
    forum = make.actor("forum", area=demo, name="Mail Forum", forum_type="homelessness_forum",
                       contact_email="forum-private@example.org")
    researcher = make.actor("researcher", area=demo, name="Dr Mail", seeking_partners=True,
                            contact_email="researcher-private@example.org", interests="reflective practice")
    make.actor(area=demo, name="Pending Mail", status="pending", contact_email="pending-private@example.org")
    make.link(service, "member_of", forum)
    make.link(refuge, "member_of", forum)
    make.link(service, "hosts_research", researcher)
    make.link(researcher, "evaluates", refuge, status="proposed", note="Write to me at researcher-private@example.org")
    make.barrier(service, description="Referrals rejected", visibility="public")
    make.user("hostel-manager@example.org", manages=[service, refuge], name="Hana")
    make.user("forum-coordinator@example.org", manages=[forum], name="Fen")
    make.user("researcher-user@example.org", manages=[researcher], name="Rae")
    make.user("admin-person@example.org", admin=True, name="Ada")
    return {"service": service, "forum": forum, "researcher": researcher, "refuge": refuge}


def _fillings(rule, records, slugs) -> list[dict]:
    """Every way to fill a rule's arguments: each area slug, each kind's actor id, each kind."""
    options = {"slug": slugs, "actor_id": [a.id for a in records.values()],
               "service_id": [records["service"].id, records["refuge"].id], "kind": list(vocab.ACTOR_KINDS.keys())}
    fillings = [{}]
    for name in sorted(rule.arguments):
        fillings = [dict(f, **{name: value}) for f in fillings for value in options[name]]
    return fillings


def test_no_email_address_appears_on_any_public_page_or_export(app, client, make, demo):
    records = _world(make, demo)
    emails = set(db.session.scalars(select(Actor.contact_email).where(Actor.contact_email.is_not(None))))
    emails |= set(db.session.scalars(select(User.email)))
    assert len(emails) >= 9
    slugs = list(db.session.scalars(select(Area.slug)))

    paths, skipped = [], []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            if not rule.arguments <= FILLABLE:
                skipped.append(rule.rule)
                continue
            paths += [(rule.endpoint, url_for(rule.endpoint, **args)) for args in _fillings(rule, records, slugs)]
    paths += [("extra", path) for path in EXTRA]

    walked, leaks, errors = [], [], []
    for endpoint, path in paths:
        r = client.get(path)
        if r.status_code >= 500:
            errors.append((path, r.status_code))
        if r.status_code != 200:
            continue
        walked.append(endpoint)
        body = r.get_data(as_text=True).lower()
        leaks += [(path, email) for email in emails if email.lower() in body]

    report = (f"{len(paths)} requests; 200 from {len(set(walked))} endpoints: {sorted(set(walked))}; "
              f"skipped rules with other arguments: {skipped}")
    assert not errors, f"server errors {errors}; {report}"
    assert not leaks, f"email addresses shown: {leaks}; {report}"
    # The walk really covered the public pages and every export.
    for endpoint in ("public.home", "public.directory", "public.actor", "public.area", "public.areas",
                     "maps.national_map", "maps.national_geojson", "maps.area_map", "maps.area_geojson",
                     "maps.area_graph", "maps.network", "maps.network_table", "maps.area_map_list",
                     "analysis.national", "analysis.area", "analysis.area_csv", "analysis.area_json",
                     "partners.partner_search", "partners.researcher_search"):
        assert endpoint in walked, f"{endpoint} was not loaded; {report}"
    assert len(set(walked)) >= 20, report
    print(report)  # shown with pytest -s: what was walked
