"""Sign-ins kept on the server (signing out ends a copied cookie too) and used single-use links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_token_hash')),
    )
    op.create_index(op.f('ix_sign_in_user_id'), 'sign_in', ['user_id'], unique=False)
    op.create_index(op.f('ix_sign_in_created_at'), 'sign_in', ['created_at'], unique=False)
    op.create_table(
        'used_link',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_used_link')),
    )
    op.create_index(op.f('ix_used_link_used_at'), 'used_link', ['used_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_used_link_used_at'), table_name='used_link')
    op.drop_table('used_link')
    op.drop_index(op.f('ix_sign_in_created_at'), table_name='sign_in')
    op.drop_index(op.f('ix_sign_in_user_id'), table_name='sign_in')
    op.drop_table('sign_in')
