"""orders by kind and product: an index on (order_type, product_id, status, cleared_at,
closed_at), so the maintenance due list reads only the maintenance and install orders, from
the index, instead of scanning every order

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:00:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_kind_product", "service_orders",
                    ["order_type", "product_id", "status", "cleared_at", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_kind_product", "service_orders")
