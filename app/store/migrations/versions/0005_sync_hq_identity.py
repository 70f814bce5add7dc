"""sync: the identity of the head office the station is registered with

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00

Registering with another head office (another database) must start afresh there: every op
re-sent, a snapshot pulled. Head office sends an identity made once with its database; the
station keeps it beside the address, so a mere change of address keeps the sync position.
Stations registered before keep "" (unknown): their next registration keeps their position.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_registration") as batch:
        batch.add_column(sa.Column("hq_id", sa.String(length=64), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sync_registration") as batch:
        batch.drop_column("hq_id")
