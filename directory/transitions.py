"""State changes that happen once, however many requests ask for them at the same moment.

A double click, two tabs or two moderators can send the same decision twice at once. Each request
first claims the change with a conditional UPDATE (… WHERE id = :id AND status = 'pending'): on
PostgreSQL the second UPDATE waits for the first transaction's row lock and then matches no row; on
SQLite it waits for the database's write lock and then finds the row already changed. Exactly one
request sees a row changed; it goes on to log and notify in the same transaction, and the others roll
back and answer with what the first one did.
"""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db


def change_once(obj, *conditions, **values) -> bool:
    """Set values on obj's row only where the conditions still hold; True for the one request that did it.

    The object in the session is updated too. Call it before any other change of the action, and roll
    back when it returns False.
    """
    model = type(obj)
    stmt = update(model).where(model.id == obj.id, *conditions).values(**values)
    changed = db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount == 1
    if changed:
        for name, value in values.items():
            set_committed_value(obj, name, value)  # the loaded object in step, not marked as changed
    return changed


def insert_once(model, **values) -> bool:
    """Insert a row unless one with the same key exists (INSERT … ON CONFLICT DO NOTHING); True if inserted."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = model.__table__
    # RETURNING tells whether a row went in: the row count of this INSERT is not reported on PostgreSQL.
    stmt = insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key.columns)
    return db.session.execute(stmt).first() is not None


def delete_once(model, *conditions) -> bool:
    """Delete the row the conditions pick; True for the one request that did it."""
    return db.session.execute(delete(model).where(*conditions)).rowcount == 1


def lock(model, obj_id: int) -> None:
    """Hold obj_id's row until commit (PostgreSQL: SELECT … FOR UPDATE), so checks made after it see the
    other requests' changes.

    SQLite has no row locks: there a transaction holds the whole database from its first write, so the
    checks must come after a write (as they do after change_once or delete_once).
    """
    db.session.execute(select(model.id).where(model.id == obj_id).with_for_update())
