"""Every connection to a station database file: SQLCipher, keyed before anything is read.

The station store is encrypted at rest with SQLCipher (``sqlcipher3``: SQLite 3.51 with the
SQLCipher 4 codec, wheels for Windows and Linux). One driver serves keyed (the station's own
files) and unkeyed connections (a plain database being migrated, a test's scratch file), so
every part of the program runs on one SQLite version.

A keyed connection is checked at once: a wrong key (or a plain file opened with a key) reads
as "file is not a database", which becomes ``StoreKeyWrong`` here, never a traceback later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as driver

from app.store.store_key import StoreKey

Connection = driver.Connection
DatabaseError = driver.DatabaseError
Error = driver.Error
OperationalError = driver.OperationalError
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreKeyWrong(Exception):
    """The key does not open this database file."""

    template = ("The station's data in {path} cannot be opened with this key: it belongs to "
                "another station or PC. Open it with this station's recovery key.")

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.params = {"path": str(path)}
        super().__init__(self.template.format(path=path))


def is_plain(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite file (its header is readable)."""
    try:
        with Path(path).open("rb") as f:
            return f.read(16) == SQLITE_HEADER
    except OSError:
        return False


def apply_key(conn: Any, key: StoreKey | None, path: Path | str) -> None:
    """Keys a fresh connection (before any other statement) and proves the key opens it."""
    if key is None:
        return
    # SQLCipher writes its own error lines to stderr on a wrong key; we say it ourselves
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key.sqlcipher_pragma())
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        if "not a database" in str(exc):
            raise StoreKeyWrong(path) from None
        raise


def connect(path: Path | str, key: StoreKey | None, *, uri: bool = False,
            **kwargs: Any) -> Connection:
    """A DB-API connection to ``path`` (a file path, or a ``file:`` URI when ``uri``)."""
    conn = driver.connect(str(path), uri=uri, **kwargs)
    try:
        apply_key(conn, key, path)
    except BaseException:
        conn.close()
        raise
    return conn
