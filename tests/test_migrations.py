"""The migrations match the models and run down and up again with data in the tables."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Actor, Collaboration


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
