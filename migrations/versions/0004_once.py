"""Changes made once however often the button is pressed: a registration's one-time key on the record it
created, and one waiting request to manage a record per person

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

PENDING = "status = 'pending'"


def upgrade():
    op.add_column('actor', sa.Column('registration_key', sa.String(length=32), nullable=True))
    op.create_index(op.f('ix_actor_registration_key'), 'actor', ['registration_key'], unique=True)
    # Requests sent twice before this revision: the first stays waiting, the copies are closed with a reason.
    op.execute(
        "UPDATE claim_request SET status = 'rejected', "
        "reason = 'The same request was sent twice; the first one is kept.' "
        "WHERE status = 'pending' AND EXISTS (SELECT 1 FROM claim_request AS first "
        "WHERE first.actor_id = claim_request.actor_id AND first.user_id = claim_request.user_id "
        "AND first.status = 'pending' AND first.id < claim_request.id)")
    op.create_index('uq_claim_request_pending', 'claim_request', ['actor_id', 'user_id'], unique=True,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))


def downgrade():
    op.drop_index('uq_claim_request_pending', table_name='claim_request',
                  sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))
    op.drop_index(op.f('ix_actor_registration_key'), table_name='actor')
    # SQLite drops a column by copying the table (batch mode; see env.py for the foreign keys).
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_column('registration_key')
