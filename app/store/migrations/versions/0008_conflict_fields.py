"""conflict fields: a stale head-office edit's conflict keeps its fields side by side (the
station's value, head office's, the value both started from) and how a person settled it; an
order head office dispatched keeps the editable fields as head office last gave them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

Conflicts recorded before this revision keep their free-text summaries (fields ""), and links
from before it know no base ("": the base shows as not known).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflicts") as batch:
        batch.add_column(sa.Column("fields", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("resolution", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("hq_order_links") as batch:
        batch.add_column(sa.Column("hq_fields", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("hq_order_links") as batch:
        batch.drop_column("hq_fields")
    with op.batch_alter_table("sync_conflicts") as batch:
        batch.drop_column("resolution")
        batch.drop_column("fields")
