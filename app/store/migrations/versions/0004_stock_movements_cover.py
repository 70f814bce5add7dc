"""stock ledger: ix_stock_movements_part also carries kind and quantity, so a part's on-hand
(and every per-part sum of the stock list, the low-stock list, a history page's balance and
the stock's value) is read from the index alone instead of one table row per movement

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00

Measured on 50,000 parts and 2,000,000 movements (benchmarks/parts_stock.py): the stock
list's first page 20 ms -> 1.2 ms, the low-stock list 1.3 s -> 0.14 s, the stock's value
8 s -> 0.6 s, on-hand of a part with 10,000 movements 18 ms -> 1.3 ms. The index keeps its
(part, time, id) prefix, so a history page still walks it newest first.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_stock_movements_part", table_name="stock_movements")
    op.create_index("ix_stock_movements_part", "stock_movements",
                    ["part_id", "created_at", "id", "kind", "quantity"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_stock_movements_part", table_name="stock_movements")
    op.create_index("ix_stock_movements_part", "stock_movements",
                    ["part_id", "created_at", "id"], unique=False)
