"""field work (上门服务): appointments booked with the customer, customer notifications with
their delivery state, signatures taken on screen; a customer's e-mail and notification opt-out

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("technician_id", sa.String(length=36), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("moved_to_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("reason_party", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_appointments_created_by_users")),
        sa.ForeignKeyConstraint(["order_id"], ["service_orders.id"],
                                name=op.f("fk_appointments_order_id_service_orders")),
        sa.ForeignKeyConstraint(["technician_id"], ["users.id"],
                                name=op.f("fk_appointments_technician_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointments_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_appointments_technician_starts", ["technician_id", "starts_at"],
                              unique=False)
    op.create_table(
        "notifications",
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=120), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("state_detail", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("state_at", sa.DateTime(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_notifications_customer_id_customers")),
        sa.ForeignKeyConstraint(["order_id"], ["service_orders.id"],
                                name=op.f("fk_notifications_order_id_service_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_customer_id"), ["customer_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_order_id"), ["order_id"],
                              unique=False)
    op.create_table(
        "order_signatures",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("signer_name", sa.String(length=40), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("image_png", sa.LargeBinary(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("taken_by", sa.String(length=36), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.String(length=200), nullable=False),
        sa.Column("voided_by", sa.String(length=36), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["order_id"], ["service_orders.id"],
                                name=op.f("fk_order_signatures_order_id_service_orders")),
        sa.ForeignKeyConstraint(["taken_by"], ["users.id"],
                                name=op.f("fk_order_signatures_taken_by_users")),
        sa.ForeignKeyConstraint(["voided_by"], ["users.id"],
                                name=op.f("fk_order_signatures_voided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_signatures")),
    )
    with op.batch_alter_table("order_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_signatures_order_id"), ["order_id"],
                              unique=False)
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=120), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("notify_opt_out", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("notify_opt_out")
        batch_op.drop_column("email")
    for table, indexes in (
            ("order_signatures", ("ix_order_signatures_order_id",)),
            ("notifications", ("ix_notifications_order_id", "ix_notifications_customer_id")),
            ("appointments", ("ix_appointments_technician_starts", "ix_appointments_order_id"))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
