"""Head office's engine and sessions, for SQLite (default) or PostgreSQL (by URL).

SQLite connections get WAL, ``synchronous=FULL``, foreign keys and a busy timeout, and write
sessions begin with ``BEGIN IMMEDIATE`` so a push's read-then-write cannot interleave with
another. On PostgreSQL the same guarantee comes from row locks (``SELECT ... FOR UPDATE`` on
the station's high-water row, and on the change-log counter); see ``lock_for_update``.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from sync.hq import migrations
from sync.hq.models import HqMeta

BUSY_TIMEOUT_MS = 30_000
DEFAULT_URL = "sqlite:///./hq.sqlite3"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy issues BEGIN itself (the "begin" listener); pysqlite would otherwise defer it
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get("immediate") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


#: ``HqMeta`` key of head office's identity
HQ_ID_KEY = "hq_id"


def hq_identity(s: Session) -> str:
    """Head office's identity as it is sent in its answers ("" before ``create_all``)."""
    value = s.scalar(select(HqMeta.value).where(HqMeta.key == HQ_ID_KEY))
    return f"{value:08x}" if value else ""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            pool_size=20,
            max_overflow=20,
            # a database error's text must not carry customers' names and phones into logs
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url,
            pool_size=20,
            max_overflow=20,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10},
            hide_parameters=True,
        )
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or "
                     "postgresql+psycopg URLs")


class HqDatabase:
    """Short sessions for reading and for one write transaction each."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(immediate=True),
                                   expire_on_commit=False)
        # SQLite lets one writer in at a time and makes the others poll (busy_timeout, sleeping
        # up to 100 ms a try); queueing this process's writers on a lock instead keeps latency
        # flat. Other processes are still kept out by BEGIN IMMEDIATE.
        self._write_lock = threading.Lock() if self.is_sqlite else None

    @classmethod
    def open(cls, url: str = DEFAULT_URL, create: bool = True) -> HqDatabase:
        """The database at ``url``. With ``create``, a new (empty) one gets head office's
        schema, one at the program's schema is used as it is, and any other is refused with
        what to do (``sync.hq.migrations.HqSchemaError``: run ``repair-station-hq migrate``).
        """
        db = cls(make_engine(url))
        if create:
            try:
                migrations.require_head(db.engine)
                db._seed()
            except BaseException:
                db.dispose()
                raise
        return db

    def create_all(self) -> None:
        """Brings the database to the program's schema through its migrations, from any
        schema head office ever had (``repair-station-hq migrate``), and seeds its counters."""
        migrations.upgrade(self.engine)
        self._seed()

    def _seed(self) -> None:
        """The counters and head office's identity, where missing. Insert-or-ignore: two
        processes starting on a new database at once both succeed, and the first identity
        stays (a restored backup keeps it too: the same head office)."""
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        insert = sqlite_insert if self.is_sqlite else pg_insert
        rows = [{"key": "last_hq_seq", "value": 0}, {"key": "pruned_through", "value": 0},
                {"key": HQ_ID_KEY, "value": secrets.randbelow(2**31 - 1) + 1}]
        with self.write() as s:
            s.execute(insert(HqMeta).values(rows).on_conflict_do_nothing(
                index_elements=["key"]))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction (``BEGIN IMMEDIATE`` on SQLite): committed whole or not at all."""
        if self._write_lock is None:
            with self._write.begin() as session:
                yield session
            return
        with self._write_lock, self._write.begin() as session:
            yield session

    def lock_for_update(self, stmt: Select[Any]) -> Select[Any]:
        """``stmt`` with ``FOR UPDATE`` where row locks exist (SQLite locks the whole file)."""
        return stmt if self.is_sqlite else stmt.with_for_update()

    def dispose(self) -> None:
        self.engine.dispose()
