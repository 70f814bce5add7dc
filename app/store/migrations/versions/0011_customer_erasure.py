"""customer erasure (个人信息删除): a customer file's erased_at, and the record of each erasure
(who at the station erased whose file, who asked and why, when; no personal data in it)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_table(
        "customer_erasures",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("erased_by", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_erasures_customer_id_customers")),
        sa.ForeignKeyConstraint(["erased_by"], ["users.id"],
                                name=op.f("fk_customer_erasures_erased_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_erasures")),
    )
    with op.batch_alter_table("customer_erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_erasures_customer_id"), ["customer_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer_erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_erasures_customer_id"))
    op.drop_table("customer_erasures")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
