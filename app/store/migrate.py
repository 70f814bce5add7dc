"""Brings a station database to the program's schema, safely.

Before any migration runs, the database is backed up through SQLite's online backup API
(never a file copy, which can tear a WAL database). A database stamped with a revision this
program does not know was written by a newer program: it is refused, never touched.
Batch migrations rebuild tables, so they run with foreign keys off (otherwise
``ON DELETE CASCADE`` would empty child tables while a parent table is rebuilt).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

    from app.store.store_key import StoreKey

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: the newest revision this program knows; a database stamped with it opens without loading
#: Alembic at all (a sixth of the start-up). tests/store/test_migrations.py keeps it equal
#: to Alembic's head.
SCHEMA_HEAD = "0013"


class DatabaseTooNew(Exception):
    """The database was written by a newer version of the program."""

    template = (
        "This database has schema version {revision}, which is newer than this program "
        "understands. Please install the newer version of Repair Station; the data was not "
        "touched."
    )

    def __init__(self, revision: str) -> None:
        self.revision = revision
        self.params = {"revision": revision}
        super().__init__(self.template.format(revision=revision))


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a new, empty database)."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # no alembic_version table yet
            return None


def backup_database(db_path: Path, backup_dir: Path, key: StoreKey | None = None) -> Path:
    """A before-migration backup (``app.store.backups``: online API copy, checked, with the
    attachments beside the database, encrypted like the store); returns the path of its
    database file."""
    from app.store.backups import make_backup

    return make_backup(db_path, backup_dir, db_path.parent / "attachments",
                       "before-migration", key=key).database


def upgrade(engine: Engine, db_path: Path | None, backup_dir: Path | None,
            key: StoreKey | None = None) -> str | None:
    """Migrates to head. Returns the backup made first, or None when nothing was pending."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = head_revision()
    if current == head:
        return None
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:  # alembic raises several kinds for an unknown revision
            raise DatabaseTooNew(current) from exc
    backup = None
    if current is not None and db_path is not None and backup_dir is not None:
        backup = str(backup_database(db_path, backup_dir, key))
    config = _config()
    with engine.connect() as conn:
        # on the DB-API connection, outside any transaction: SQLite ignores the pragma inside
        # one, and the store's "begin" listener opens one at a Connection's first statement
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()
        raw.execute("PRAGMA foreign_keys = ON")
        problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")
    return backup
