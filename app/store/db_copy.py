"""Copying a station database file whole: the online backup API between two files keyed
alike (two encrypted files, even under different keys, or two plain ones), SQLCipher's
``sqlcipher_export`` between a plain and an encrypted one; the copy is then checked with
``integrity_check``, made a self-contained rollback-journal file and synced. Used by the
backups, the restore and the encryption of an older program's backups. Qt-free.
"""

from __future__ import annotations

from pathlib import Path

from app.store import sqlite_driver
from app.store.backup_checks import problem, read_header
from app.store.durable_files import fsync_file
from app.store.store_key import StoreKey


class _Same:
    """``copy_database``'s default target key: the source's."""


SAME = _Same()


def attach_key(key: StoreKey | None) -> str:
    """The KEY of an ATTACH: a raw SQLCipher key, or '' for a plain file."""
    return f"x'{key.database_key.hex()}'" if key is not None else ""


def _export(src: sqlite_driver.Connection, target: Path, target_key: StoreKey | None) -> None:
    """``src`` written whole into the new file ``target`` by ``sqlcipher_export`` (between a
    plain and an encrypted file, where the online backup API cannot copy pages)."""
    version = src.execute("PRAGMA user_version").fetchone()[0]
    src.execute("ATTACH DATABASE ? AS copy KEY ?", (str(target), attach_key(target_key)))
    try:
        # a new file, synced whole once it is complete (``copy_database``): no sync per table
        src.execute("PRAGMA copy.synchronous = OFF")
        src.execute("PRAGMA copy.journal_mode = OFF")
        src.execute("SELECT sqlcipher_export('copy')")
        src.execute(f"PRAGMA copy.user_version = {int(version)}")
    finally:
        src.execute("DETACH DATABASE copy")


def copy_database(source: Path, target: Path, key: StoreKey | None = None,
                  target_key: StoreKey | None | _Same = SAME) -> None:
    """``source`` (opened with ``key``; a plain file needs none) copied whole into a new file
    ``target`` (keyed with ``target_key``, by default the same key) through the online backup
    API (one step: a consistent snapshot even while another process writes), then checked with
    ``integrity_check`` and made a self-contained rollback-journal file. Between a plain and an
    encrypted file SQLCipher's ``sqlcipher_export`` copies instead. Raises ``BackupProblem``
    (``wrong_key`` when ``key`` does not open ``source``)."""
    source_key = None if key is None or sqlite_driver.is_plain(source) else key
    dest_key = key if isinstance(target_key, _Same) else target_key
    if source_key is None and not sqlite_driver.is_plain(source):
        read_header(source, None)  # an encrypted file with no key: wrong_key, not damage
    try:
        src = sqlite_driver.connect(source, source_key, timeout=10)
    except sqlite_driver.StoreKeyWrong:
        raise problem("wrong_key", path=source) from None
    try:
        src.execute("PRAGMA busy_timeout = 10000")
        try:
            if (source_key is None) == (dest_key is None):
                dest = sqlite_driver.connect(target, dest_key)
                try:
                    src.backup(dest)
                finally:
                    dest.close()
            else:
                _export(src, target, dest_key)
            dest = sqlite_driver.connect(target, dest_key)
            try:
                dest.execute("PRAGMA journal_mode = DELETE")
                rows = dest.execute("PRAGMA integrity_check").fetchall()
            finally:
                dest.close()
        except sqlite_driver.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            raise problem("damaged", path=source, error=exc) from None
    finally:
        src.close()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise problem("damaged", path=source, error="; ".join(str(r[0]) for r in rows[:3]))
    fsync_file(target)


__all__ = ["SAME", "attach_key", "copy_database"]
