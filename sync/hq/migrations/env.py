"""Alembic environment of head office: runs on the connection ``sync.hq.migrations`` hands over,
with its own version table (``hq_alembic_version``), so it never meets a station's."""

from __future__ import annotations

from alembic import context

from sync.hq.migrations import VERSION_TABLE
from sync.hq.models import HqBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=HqBase.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
