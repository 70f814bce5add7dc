"""The engine and its SQLite pragmas, and short-lived sessions for reading and writing.

Connections go through ``app.store.sqlite_driver`` (SQLCipher): the station's file is keyed
with its ``StoreKey`` before anything else is read. Every connection gets WAL, ``synchronous=FULL`` (a saved claim survives a power cut),
foreign keys and a busy timeout. ``write()`` sessions start with ``BEGIN IMMEDIATE`` so a
read-then-write step (numbering, duplicate checks) cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.store import sqlite_driver
from app.store.store_key import StoreKey

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 128 * 1024


SYNCHRONOUS_MODES = ("FULL", "NORMAL", "OFF")


def _pragmas(synchronous: str):
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite otherwise defers it)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # SQLCipher decrypts and checks each page it reads from the OS; a statement walking
        # more pages than the cache holds pays that again and again (docs/performance.md:
        # 2-4x at the 8 MiB default, within 1.0x at 128 MiB on a million orders). A ceiling,
        # filled only as pages are read: a station of tens of MB never reaches it
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.close()

    return on_connect


def _on_begin(connection: Any) -> None:
    mode = "IMMEDIATE" if connection.get_execution_options().get("immediate") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(db_path: Path | str, synchronous: str = "FULL",
                key: StoreKey | None = None) -> Engine:
    """``synchronous`` stays FULL for the program; only bulk fills that can be redone from
    scratch (the demo generator) may trade durability for speed. ``key`` None opens an
    unencrypted file (tests' scratch stores, a plain database being migrated)."""
    if synchronous not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS_MODES}")
    memory = str(db_path) == ":memory:"
    url = "sqlite://" if memory else f"sqlite:///{Path(db_path)}"
    target = ":memory:" if memory else str(Path(db_path))

    def creator() -> sqlite_driver.Connection:
        return sqlite_driver.connect(target, key, check_same_thread=False, timeout=10)

    # hide_parameters: a database error's text (logged, shown in a crash report) carries the
    # statement but never the customer's name or phone it was writing
    engine = create_engine(url, module=sqlite_driver.driver, creator=creator,
                           hide_parameters=True)
    event.listen(engine, "connect", _pragmas(synchronous))
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """Hands out one short session per service call."""

    def __init__(self, engine: Engine, key: StoreKey | None = None) -> None:
        self.engine = engine
        #: the store's key (None for an unencrypted store): backups and photos use it too
        self.key = key
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(immediate=True), expire_on_commit=False
        )

    @classmethod
    def open(cls, db_path: Path | str, synchronous: str = "FULL",
             key: StoreKey | None = None) -> Database:
        return cls(make_engine(db_path, synchronous, key), key)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read snapshot; closing ends its transaction (loaded objects stay readable)."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One ``BEGIN IMMEDIATE`` transaction: committed whole, or rolled back whole."""
        with self._write.begin() as session:
            yield session

    @property
    def write_sessions(self) -> sessionmaker[Session]:
        """The factory of ``write()`` sessions (for listeners that follow every write)."""
        return self._write

    def dispose(self) -> None:
        self.engine.dispose()
