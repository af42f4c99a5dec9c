"""Actor web addresses are http(s) only, in the database as well as the model

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Frozen here: the model's WEBSITE_HTTP_ONLY may change in a later revision.
WEBSITE_HTTP_ONLY = "website IS NULL OR lower(website) LIKE 'http://%' OR lower(website) LIKE 'https://%'"


def upgrade():
    # SQLite cannot add a CHECK constraint to a table: batch mode copies the table (see env.py for
    # why foreign keys are off while it does).
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_actor_website_http'), sa.text(WEBSITE_HTTP_ONLY))


def downgrade():
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_actor_website_http'), type_='check')
