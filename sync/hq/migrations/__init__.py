"""Head office's schema migrations (Alembic), on SQLite or PostgreSQL.

Head office keeps its own version table, ``hq_alembic_version``, so its revisions never meet a
station's (``alembic_version``) even in one database. ``state`` tells what a database is:

- ``empty``: no head-office table: ``upgrade`` creates the schema by running every revision;
- ``head``: stamped with the newest revision this program knows: used as it is;
- ``behind``: stamped with an older one: ``upgrade`` (``repair-station-hq migrate``) runs the
  rest; the server and the other commands refuse it until then (``HqSchemaBehind``);
- ``unstamped``: made by ``create_all`` before head office had migrations (every deployed head
  office of then): recognised by its tables and brought to 0001 in place (the tables it lacks
  created, its conflicts per clash), then upgraded like ``behind``;
- ``newer``: stamped with a revision this program does not know: refused, untouched
  (``HqSchemaTooNew``).

An upgrade runs in one transaction (PostgreSQL and SQLite both have transactional DDL) under
an exclusive lock (``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), so two processes starting
at once migrate once, and a failed migration leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, text

from sync.hq.i18n import Message

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "hq_alembic_version"
#: the newest revision this program knows; a database stamped with it opens without loading
#: Alembic. tests/sync/hq/test_hq_migrations.py keeps it equal to Alembic's head.
SCHEMA_HEAD = "0003"
#: a table every head-office database has had since the first one: how ``unstamped`` is told
_MARKER_TABLE = "hq_stations"
#: PostgreSQL advisory lock key held while migrating ("hqmigr" as a number)
_PG_LOCK = 0x6871_6D69_6772


class HqSchemaError(Message, Exception):
    """The database's schema cannot be used by this program as it is; the message says why."""


class HqSchemaBehind(HqSchemaError):
    def __init__(self, current: str | None, head: str) -> None:
        if current is None:  # made by create_all, before head office had migrations
            super().__init__(
                "The head-office database was made before head office had migrations; this "
                "program needs schema {head}. Back the database up, then run: "
                "repair-station-hq --db URL migrate", head=head)
            return
        super().__init__(
            "The head-office database has schema {current}; this program needs {head}. Back "
            "the database up, then run: repair-station-hq --db URL migrate",
            current=current, head=head)


class HqSchemaTooNew(HqSchemaError):
    def __init__(self, current: str) -> None:
        super().__init__(
            "The head-office database has schema {current}, newer than this program knows. "
            "Install the newer repair-station-hq; the database was not touched.",
            current=current)


class HqSchemaUnknown(HqSchemaError):
    def __init__(self, table: str, missing: str) -> None:
        super().__init__(
            "The database has a table {table} without the columns {missing}: it is not a head "
            "office database this program knows, and was not touched.",
            table=table, missing=missing)


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is stamped with (None: no version table, or empty)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def state(conn: Connection) -> str:
    """empty | head | behind | unstamped | newer (see the module's docstring)."""
    current = current_revision(conn)
    if current is None:
        return "unstamped" if inspect(conn).has_table(_MARKER_TABLE) else "empty"
    if current == SCHEMA_HEAD:
        return "head"
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(config()).get_revision(current)
    except Exception:  # alembic raises several kinds for an unknown revision
        return "newer"
    return "behind"


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Brings the database to head (from empty, unstamped or behind) in one locked transaction.

    Returns (the revision before, or None for empty/unstamped; the revision now). Raises
    ``HqSchemaTooNew`` or ``HqSchemaUnknown``, leaving the database untouched.
    """
    with _locked(engine) as conn:
        found = state(conn)
        before = current_revision(conn)
        if found == "newer":
            raise HqSchemaTooNew(str(before))
        if found != "head":
            from alembic import command

            command.upgrade(config(conn), "head")
        return before, str(current_revision(conn))


def require_head(engine: Engine) -> None:
    """At start (server, every command): a new database gets the schema; one at head is used
    as it is; any other is refused with what to do (``HqSchemaError``)."""
    with engine.connect() as conn:
        found = state(conn)
        current = current_revision(conn)
    if found == "head":
        return
    if found == "empty":
        upgrade(engine)
    elif found == "newer":
        raise HqSchemaTooNew(str(current))
    else:
        raise HqSchemaBehind(current, SCHEMA_HEAD)


class _locked:
    """One transaction holding the migration lock (``BEGIN IMMEDIATE`` on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine.execution_options(immediate=True)
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        self.conn = self.engine.connect()
        self.conn.begin()
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        return self.conn

    def __exit__(self, kind: Any, *_rest: Any) -> None:
        assert self.conn is not None
        try:
            if kind is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()


# -- bringing a create_all head office to 0001 (called by 0001 itself) ----------------------
def conflicts_per_clash(conn: Connection) -> None:
    """A database from before one conflict record per clash: ``hq_conflicts`` gets its
    ``clash`` column (0 for the records it has) and the unique key on it."""
    found = inspect(conn)
    if not found.has_table("hq_conflicts") or "clash" in {
            c["name"] for c in found.get_columns("hq_conflicts")}:
        return
    if conn.dialect.name == "sqlite":
        # SQLite cannot drop a table's unique key: the table is rebuilt as 0001 has it
        cols = ("id, station_id, kind, subject_entity, subject_id, detail, found_by, resolved, "
                "created_at")
        # legacy_alter_table: the settlements' key keeps naming hq_conflicts, not the old copy
        conn.execute(text("PRAGMA legacy_alter_table = ON"))
        conn.execute(text("ALTER TABLE hq_conflicts RENAME TO hq_conflicts_v1"))
        conn.execute(text("PRAGMA legacy_alter_table = OFF"))
        conn.execute(text(
            "CREATE TABLE hq_conflicts (id VARCHAR(36) NOT NULL, station_id INTEGER NOT NULL, "
            "kind VARCHAR(32) NOT NULL, subject_entity VARCHAR(32) NOT NULL, subject_id "
            "VARCHAR(36) NOT NULL, clash BIGINT DEFAULT '0' NOT NULL, detail TEXT NOT NULL, "
            "found_by VARCHAR(8) NOT NULL, resolved BOOLEAN NOT NULL, created_at DATETIME NOT "
            "NULL, CONSTRAINT pk_hq_conflicts PRIMARY KEY (id), CONSTRAINT "
            "uq_hq_conflicts_clash UNIQUE (station_id, kind, subject_id, clash), CONSTRAINT "
            "fk_hq_conflicts_station_id_hq_stations FOREIGN KEY(station_id) REFERENCES "
            "hq_stations (id))"))
        conn.execute(text(f"INSERT INTO hq_conflicts ({cols}, clash) "
                          f"SELECT {cols}, 0 FROM hq_conflicts_v1"))
        conn.execute(text("DROP TABLE hq_conflicts_v1"))
    else:
        # DEFAULT '0' as create_all writes the model's server_default ('0'::bigint)
        conn.execute(text("ALTER TABLE hq_conflicts ADD COLUMN clash BIGINT NOT NULL "
                          "DEFAULT '0'"))
        conn.execute(text("ALTER TABLE hq_conflicts DROP CONSTRAINT IF EXISTS "
                          "uq_hq_conflicts_station_id"))
        conn.execute(text("ALTER TABLE hq_conflicts ADD CONSTRAINT uq_hq_conflicts_clash "
                          "UNIQUE (station_id, kind, subject_id, clash)"))


def check_columns(conn: Connection, expected: dict[str, tuple[str, ...]]) -> None:
    """Every table the database has among ``expected`` has all of its columns."""
    found = inspect(conn)
    for table, columns in expected.items():
        if not found.has_table(table):
            continue
        have = {c["name"] for c in found.get_columns(table)}
        missing = [c for c in columns if c not in have]
        if missing:
            raise HqSchemaUnknown(table, ", ".join(missing))
