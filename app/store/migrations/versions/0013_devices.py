"""several devices of one station (issue 15): which device this is, the station's other
devices as head office last listed them, the joining download's position, and each outbox
op's pull cursor when it was made

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_number", sa.Integer(), server_default="1",
                                      nullable=False))
        batch_op.add_column(sa.Column("device_name", sa.String(length=64), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("device_tag", sa.String(length=2), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("primary_device", sa.Integer(), server_default="1",
                                      nullable=False))
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("join_stage", sa.String(length=16), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("join_after", sa.String(length=80), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("join_cursor", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("join_total", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("join_done", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("credentials_shared", sa.Boolean(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("device_start_seq", sa.Integer(), server_default="0",
                                      nullable=False))
    # add_column without a table rebuild: the outbox is the largest table of a station
    op.add_column("outbox", sa.Column("seen_hq_seq", sa.Integer(), server_default="0",
                                      nullable=False))
    op.create_table(
        "sync_devices",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.String(length=2), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("last_push_at", sa.DateTime(), nullable=True),
        sa.Column("last_pull_at", sa.DateTime(), nullable=True),
        sa.Column("high_water", sa.Integer(), nullable=False),
        sa.Column("listed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_sync_devices")),
    )


def downgrade() -> None:
    op.drop_table("sync_devices")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("seen_hq_seq")
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        for name in ("device_start_seq", "credentials_shared", "join_done", "join_total", "join_cursor",
                     "join_after", "join_stage"):
            batch_op.drop_column(name)
    with op.batch_alter_table("sync_registration", schema=None) as batch_op:
        for name in ("primary_device", "device_tag", "device_name", "device_number"):
            batch_op.drop_column(name)
