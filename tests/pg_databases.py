"""A PostgreSQL database of its own for a test session, on the server CI provides
(REPAIR_STATION_TEST_PG, a URL where databases may be created); dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "REPAIR_STATION_TEST_PG"
SKIP_REASON = (f"PostgreSQL tests need {PG_ENV}=postgresql+psycopg://user:password@host/db "
               "(a server where the tests may create databases)")
#: SQLite always; PostgreSQL always collected, and skipped with the reason where no server is
#: configured (CI always has one), so a run without it says what it left out
BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not os.environ.get(PG_ENV), reason=SKIP_REASON),
    ]),
]


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
