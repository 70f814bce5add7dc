"""A PostgreSQL database of its own for a test session, on the server CI provides
(REPAIR_STATION_TEST_PG, a URL where databases may be created); dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "REPAIR_STATION_TEST_PG"
#: SQLite always; PostgreSQL too where a server is configured (CI always has one)
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@contextmanager
def fresh_database(prefix: str) -> Iterator[str | None]:
    """The URL of a new database named ``<prefix>_<random>``, or None without a server."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
