"""Actors remember in which role they were archived (manager, moderator or admin) and when

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Frozen here: the vocabulary may grow in a later revision.
ARCHIVED_AS_KNOWN = "archived_as IN ('manager', 'moderator', 'admin')"

# Records archived before this revision: the newest "archived" entry of the change log says who and when.
# An admin then is an admin's archive; someone who did not manage the record archived it as a moderator;
# a manager (even one who also coordinated the area) or an unknown person, as a manager, as before.
BACKFILL = """
UPDATE actor SET
  archived_at = (SELECT c.at FROM change_log c WHERE c.object_type = 'actor' AND c.object_id = actor.id
                   AND c.action = 'archived' ORDER BY c.at DESC, c.id DESC LIMIT 1),
  archived_as = COALESCE((
    SELECT CASE WHEN u.is_admin THEN 'admin'
                WHEN EXISTS (SELECT 1 FROM management m WHERE m.user_id = u.id AND m.actor_id = actor.id)
                  THEN 'manager'
                ELSE 'moderator' END
    FROM change_log c JOIN "user" u ON u.id = c.user_id
    WHERE c.object_type = 'actor' AND c.object_id = actor.id AND c.action = 'archived'
    ORDER BY c.at DESC, c.id DESC LIMIT 1), 'manager')
WHERE status = 'archived'
"""


def upgrade():
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_as', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_actor_archived_as_known'), sa.text(ARCHIVED_AS_KNOWN))
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_actor_archived_as_known'), type_='check')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('archived_as')
