"""The migrations match the models and run down and up again with data in the tables."""
import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from directory.extensions import db
from directory.models import Actor, Collaboration, record_change


def test_autogenerate_finds_no_difference(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_downgrade_and_upgrade_with_data(app, demo):
    assert db.session.scalar(select(func.count()).select_from(Actor)) > 0
    db.session.remove()
    downgrade(revision="base")
    upgrade()
    # The schema is back; the demo loads into it again.
    from directory.demo.load import load_demo_area

    loaded, _ = load_demo_area()
    assert loaded
    assert db.session.scalar(select(func.count()).select_from(Collaboration)) >= 120


def _row_counts() -> dict[str, int]:
    """Rows in each table the database has at its revision (a later revision may add tables)."""
    present = set(inspect(db.engine).get_table_names())
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name in present}


def test_later_revisions_keep_every_row(app, demo, make):
    """Revisions after the first copy tables on SQLite (batch mode): no row may be lost, in particular
    none cascade-deleted by dropping the old copy of a table other tables refer to."""
    service = db.session.scalars(select(Actor).where(Actor.kind == "service")).first()
    make.user("keeper@example.org", manages=[service])
    make.barrier(service)
    counts = _row_counts()
    assert all(counts[t] for t in ("actor", "actor_facet", "actor_word", "collaboration", "management",
                                   "barrier_report"))
    db.session.remove()
    downgrade(revision="0001")
    at_first = _row_counts()
    assert at_first == {t: n for t, n in counts.items() if t in at_first}
    db.session.remove()
    upgrade()
    assert _row_counts() == counts


def test_account_emails_are_put_in_their_normal_form(app):
    """0003: addresses stored lower-cased only are stored in the normal form sign-in now looks up."""
    from directory.models import User

    db.session.remove()
    downgrade(revision="0002")
    stored = ["ｄave@example.org", "straße@example.org", "ｍia@example.org", "mia@example.org", "ok@example.org"]
    with db.engine.begin() as conn:
        conn.execute(User.__table__.insert(), [{"email": e, "name": "", "password_hash": "", "is_admin": False,
                                                "active": True} for e in stored])
    upgrade()
    emails = db.session.scalars(select(User.email).order_by(User.id)).all()
    # A variant of another account's address is left for an administrator: two accounts cannot share one.
    assert emails == ["dave@example.org", "strasse@example.org", "ｍia@example.org", "mia@example.org",
                      "ok@example.org"]


def _revision_before(name: str) -> str:
    """The revision just before the one in migrations/versions/NNNN_<name>.py (numbers change at merges)."""
    (path,) = (Path(__file__).parent.parent / "migrations" / "versions").glob(f"*_{name}.py")
    return re.search(r"^down_revision = '(\w+)'", path.read_text(), re.M).group(1)


def test_records_archived_before_archived_as_was_kept_get_it_from_the_change_log(app, make):
    """The revision adding Actor.archived_as fills it in for records already archived: an admin's entry is an
    admin's archive, someone who did not manage the record archived it as a moderator, else (or with no entry)
    a manager did."""
    area = make.area()
    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    by_manager, by_coordinator, by_admin, unlogged = (make.actor(area=area, status="archived") for _ in range(4))
    archivers = {by_manager.id: make.user(manages=[by_manager]), by_coordinator.id: make.user(manages=[forum]),
                 by_admin.id: make.user(admin=True)}
    for actor in (by_manager, by_coordinator, by_admin):
        record_change(actor, "archived", archivers[actor.id], {"status": ("active", "archived")})
    db.session.commit()
    ids = [by_manager.id, by_coordinator.id, by_admin.id, unlogged.id]
    db.session.remove()
    downgrade(revision=_revision_before("actor_archived_as"))
    upgrade()
    rows = {a.id: (a.archived_as, a.archived_at is not None)
            for a in db.session.scalars(select(Actor).where(Actor.id.in_(ids)))}
    assert [rows[i] for i in ids] == [("manager", True), ("moderator", True), ("admin", True), ("manager", False)]
