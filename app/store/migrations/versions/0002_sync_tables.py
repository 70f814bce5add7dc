"""station sync tables: registration, state, conflicts, notices, HQ order links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hq_url", sa.String(length=300), nullable=False),
        sa.Column("station_code", sa.String(length=16), nullable=False),
        sa.Column("ca_bundle", sa.String(length=500), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_registration")),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("push_acked_seq", sa.Integer(), nullable=False),
        sa.Column("inflight_from", sa.Integer(), nullable=True),
        sa.Column("inflight_to", sa.Integer(), nullable=True),
        sa.Column("pull_cursor", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=32), nullable=False),
        sa.Column("last_message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("local_summary", sa.Text(), nullable=False),
        sa.Column("remote_summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(length=32), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("source_key", name=op.f("uq_sync_conflicts_source_key")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflicts_open", ["resolved_at", "created_at"],
                              unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("read_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_published", ["published_at"], unique=False)
    op.create_table(
        "hq_order_links",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("hq_revision", sa.Integer(), nullable=False),
        sa.Column("applied_revision", sa.Integer(), nullable=False),
        sa.Column("last_hq_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["service_orders.id"],
            name=op.f("fk_hq_order_links_order_id_service_orders"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_hq_order_links")),
    )


def downgrade() -> None:
    op.drop_table("hq_order_links")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_published")
    op.drop_table("notices")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflicts_open")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_state")
    op.drop_table("sync_registration")
