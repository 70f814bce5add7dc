"""The background build of the order and customer search indexes, and whether each is ready.

A station upgraded to schema 0009 (or whose rows were bulk-written behind the ORM's back, or
whose ``WORDS_VERSION`` changed) has documents missing or stale. ``SearchBuilder`` walks the
records in short write transactions of ``batch`` records (the window keeps saving between
them), writing each record's document; where it has come to is kept in the ``settings``
table (``search.build.<index>`` = ``"<words version>:<position>"``), so a stopped build
resumes there. Orders are walked newest first by ``ix_orders_called``: their document keys
are their call times, so a batch's documents and FTS rows land side by side in the b-trees
(walked in ``rowid`` order, each batch touched a page per document in five b-trees and wrote
15 MB of WAL at 650,000 documents: 2-4 s a batch). Customers are walked by ``rowid``. When the walk reaches the end, ``search_state`` marks the index complete
for the current ``WORDS_VERSION``, in the same transaction as the last batch.

Until an index is complete its search falls back to the prefix search (``index_ready``).
The write sessions' refreshers keep documents in step all along, so a record changed while
the build runs is never left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from app.domain.search_words import WORDS_VERSION
from app.services.search_docs import _rows, index_customers, index_orders
from app.store import sqlite_driver
from app.store.database import Database

#: index name -> (records' table, writer of their documents)
INDEXES: dict[str, tuple[str, Callable[[Any, list[str]], int]]] = {
    "orders": ("service_orders", index_orders),
    "customers": ("customers", index_customers),
}
#: how each index walks its records: (the batch after a position, the count up to one, the
#: position of a row); a position is a text, "" before the first batch
_ORDERS_WALK = (
    "SELECT called_at || '|' || id, id FROM service_orders {where} "
    "ORDER BY called_at DESC, id DESC LIMIT ?",
    "WHERE (called_at, id) < (?, ?)",
    "SELECT count(*) FROM service_orders WHERE (called_at, id) >= (?, ?)",
)
_ROWID_WALK = (
    "SELECT rowid, id FROM {table} {where} ORDER BY rowid LIMIT ?",
    "WHERE rowid > ?",
    "SELECT count(*) FROM {table} WHERE rowid <= ?",
)
BATCH = 500
CURSOR_KEY = "search.build.{name}"

#: progress(done, total): records indexed so far of all those to index
Progress = Callable[[int, int], None]


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def index_ready(conn: Any, name: str) -> bool:
    """Is index ``name`` complete for the current ``WORDS_VERSION``? (DBAPI or SQLAlchemy
    connection.)"""
    try:
        rows = _rows(conn, "SELECT version, complete FROM search_state WHERE name = ?", (name,))
    except sqlite_driver.OperationalError:  # a database older than 0009 has no index at all
        return False
    return bool(rows) and rows[0][0] == WORDS_VERSION and bool(rows[0][1])


def _set_state(conn: Connection, name: str, complete: bool) -> None:
    conn.exec_driver_sql(
        "INSERT INTO search_state (name, version, complete, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET version = excluded.version, "
        "complete = excluded.complete, updated_at = excluded.updated_at",
        (name, WORDS_VERSION, complete, _now()))


def mark_stale(conn: Connection, *names: str) -> None:
    """For bulk writes that bypass the ORM: the named indexes (default both) are rebuilt by
    the next build, and search falls back to prefixes until then."""
    for name in names or tuple(INDEXES):
        _set_state(conn, name, False)
        conn.exec_driver_sql("DELETE FROM settings WHERE key = ?",
                             (CURSOR_KEY.format(name=name),))


@dataclass(frozen=True)
class BuildStep:
    done: int
    total: int
    #: every index is complete
    finished: bool

    @property
    def percent(self) -> int:
        return 100 if self.finished or not self.total else min(99, self.done * 100 // self.total)


class SearchBuilder:
    """Fills the indexes that are not complete, a batch at a time (``step``) or to the end
    (``run``). One builder per build; not thread-safe (the window drives it from the
    database worker, one step per task)."""

    def __init__(self, db: Database, batch: int = BATCH) -> None:
        self.db = db
        self.batch = batch
        self._pending: list[str] | None = None
        self._done: dict[str, int] = {}
        self._total: dict[str, int] = {}

    def pending(self) -> list[str]:
        """The indexes still to build (read once; ``step`` works through them)."""
        if self._pending is None:
            with self.db.read() as s:
                conn = s.connection()
                self._pending = [n for n in INDEXES if not index_ready(conn, n)]
                for name, (table, _writer) in INDEXES.items():
                    total = _rows(conn, f"SELECT count(*) FROM {table}", ())[0][0]
                    self._total[name] = total
                    if name not in self._pending:
                        self._done[name] = total
                    else:
                        after = self._cursor(conn, name)
                        count = _walk(name)[2].format(table=table)
                        self._done[name] = _rows(conn, count, _position_args(name, after))[
                            0][0] if after else 0
        return self._pending

    def progress(self) -> BuildStep:
        pending = self.pending()
        return BuildStep(sum(self._done.values()), sum(self._total.values()), not pending)

    @staticmethod
    def _cursor(conn: Any, name: str) -> str:
        rows = _rows(conn, "SELECT value FROM settings WHERE key = ?",
                     (CURSOR_KEY.format(name=name),))
        if not rows:
            return ""
        version, _, after = rows[0][0].partition(":")
        return after if version == str(WORDS_VERSION) else ""

    def step(self) -> BuildStep:
        """Indexes one batch of the first pending index, in one short transaction."""
        pending = self.pending()
        if not pending:
            return self.progress()
        name = pending[0]
        table, writer = INDEXES[name]
        with self.db.write() as s:
            conn = s.connection()
            after = self._cursor(conn, name)
            if not after:
                _set_state(conn, name, False)
            select, where, _count = _walk(name)
            batch = _rows(conn, select.format(table=table, where=where if after else ""),
                          (*_position_args(name, after), self.batch))
            if batch:
                writer(conn, [r[1] for r in batch])
                conn.exec_driver_sql(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                    "DO UPDATE SET value = excluded.value",
                    (CURSOR_KEY.format(name=name), f"{WORDS_VERSION}:{batch[-1][0]}"))
                self._done[name] = min(self._total[name], self._done[name] + len(batch))
            if len(batch) < self.batch:
                _set_state(conn, name, True)
                conn.exec_driver_sql("DELETE FROM settings WHERE key = ?",
                                     (CURSOR_KEY.format(name=name),))
                pending.pop(0)
                self._done[name] = self._total[name]
        return self.progress()

    def run(self, progress: Progress | None = None,
            should_stop: Callable[[], bool] | None = None) -> bool:
        """Builds to the end (or until ``should_stop()``); True when every index is
        complete."""
        step = self.progress()
        while not step.finished:
            if should_stop is not None and should_stop():
                return False
            step = self.step()
            if progress is not None:
                progress(step.done, step.total)
        return True


def _walk(name: str) -> tuple[str, str, str]:
    return _ORDERS_WALK if name == "orders" else _ROWID_WALK


def _position_args(name: str, position: str) -> tuple[Any, ...]:
    if not position:
        return ()
    if name == "orders":
        called, _, order_id = position.rpartition("|")
        return (called, order_id)
    return (int(position),)


def build_all(db: Database, progress: Progress | None = None) -> bool:
    """The headless build (``repair-station search rebuild``, demo, check)."""
    return SearchBuilder(db).run(progress)
