"""Customer notifications (issue 16): head office's delivery state of each message a station
queued, ``hq_notifications``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

A head office whose tables ``create_all`` made already has the table: it is kept as it is.
"""

import sqlalchemy as sa
from alembic import op

import app.store.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if 'hq_notifications' in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table('hq_notifications',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('state_detail', sa.String(length=200), nullable=False),
        sa.Column('attempts', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('next_attempt_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('state_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('state_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_notifications_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_notifications'))
    )
    op.create_index('ix_hq_notifications_state_due', 'hq_notifications',
                    ['state', 'next_attempt_at'], unique=False)
    op.create_index('ix_hq_notifications_station_id', 'hq_notifications', ['station_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('hq_notifications')
