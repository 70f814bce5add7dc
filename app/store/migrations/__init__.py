"""Alembic migrations of the station store (run programmatically by ``app.store.migrate``)."""
