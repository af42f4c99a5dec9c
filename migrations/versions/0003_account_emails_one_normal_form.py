"""Account email addresses in their one normal form (NFKC, case folded), as they are now looked up

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""
import logging

from alembic import op
import sqlalchemy as sa

from directory.validation import InvalidValue, check_email


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')


def upgrade():
    # Addresses were stored lower-cased only; sign-in now looks them up in the normal form, so an address
    # like "ｄave@example.org" must be stored as "dave@example.org" or its account could not sign in.
    conn = op.get_bind()
    users = conn.execute(sa.text('SELECT id, email FROM "user" ORDER BY id')).all()
    taken = {email for _, email in users}
    for user_id, email in users:
        new = _normal(email)
        if new == email:
            continue
        if new in taken:  # two accounts for one person, made before: an administrator decides
            log.warning("User %s keeps the address %r: %r belongs to another account", user_id, email, new)
            continue
        conn.execute(sa.text('UPDATE "user" SET email = :new WHERE id = :id'), {"new": new, "id": user_id})
        taken.discard(email)
        taken.add(new)
    # Invitations are accepted by the account with the same address.
    for invitation_id, email in conn.execute(sa.text("SELECT id, email FROM manager_invitation")).all():
        new = _normal(email)
        if new != email:
            conn.execute(sa.text("UPDATE manager_invitation SET email = :new WHERE id = :id"),
                         {"new": new, "id": invitation_id})


def _normal(email):
    try:
        return check_email(email) or email
    except InvalidValue:
        return email


def downgrade():
    # The earlier form (lower-cased only) cannot be recovered, and the normal form is one of its forms.
    pass
