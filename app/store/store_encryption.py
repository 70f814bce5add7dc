"""The station store at rest: its key obtained at start-up, and a plain database encrypted.

``key_for_store`` gives the key a data folder's database needs: a new station gets a fresh key
(sealed by this PC, its recovery key waiting to be shown: ``RECOVERY_PENDING``); an encrypted
database whose key this PC does not hold raises ``StoreKeyMissing`` (the window then asks for
the recovery key, ``unlock``).

``encrypt_in_place`` turns the plain database of an older program into an encrypted one, in
steps that a kill at any moment leaves recoverable (``resume``, run first at every start):

1. the plain file is checkpointed into one self-contained file, exported by SQLCipher into
   ``station.sqlite3.encrypting``, checked (``integrity_check`` and every table's row count
   against the plain one), synced to disk and renamed ``….encrypted``: until then the plain
   store is whole and untouched, and a leftover partial copy is deleted;
2. ``ENCRYPTION_PENDING`` is written, the plain file renamed ``….plain`` and the encrypted one
   renamed into its place; a kill between the two renames leaves ``….encrypted`` beside
   ``….plain``, and ``resume`` finishes the second rename;
3. the plain copy is overwritten with zeros and deleted; photos and backups made before are
   encrypted (``app.store.vault.encrypt_folder``, ``app.store.backups.encrypt_plain_backups``;
   both idempotent); an encrypted before-migration backup is made; the marker is removed.

Qt-free; no services import.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from app.store import sqlite_driver
from app.store.durable_files import fsync_dir, fsync_file, wipe
from app.store.key_seal import KeySeal
from app.store.store_key import StoreKey

#: files in the data folder, beside ``station.sqlite3``; none of them holds a secret
RECOVERY_PENDING = "recovery-key-pending"
ENCRYPTION_PENDING = "encryption-pending"
_PARTIAL = ".encrypting"
_READY = ".encrypted"
_PLAIN = ".plain"

Progress = Callable[[str, float], None]
#: the one-off checks of an encryption read the whole file: a large page cache for them
CHECK_CACHE_KIB = 256 * 1024
FULL_CHECK_BYTES = 512 * 1024 * 1024


class StoreKeyMissing(Exception):
    """The database is encrypted and this PC does not hold its key."""

    template = ("The station's data in {path} is encrypted and this PC does not hold its "
                "key. Enter the station's recovery key (printed when the station was set up).")

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.params = {"path": str(path)}
        super().__init__(self.template.format(path=path))


class EncryptionCheckFailed(Exception):
    """The encrypted copy did not match the plain database: the plain one is kept as it was."""

    template = ("Encrypting the station's data was stopped: the encrypted copy did not match "
                "the original ({detail}). Nothing was changed.")

    def __init__(self, detail: str) -> None:
        self.params = {"detail": detail}
        super().__init__(self.template.format(detail=detail))


def _sibling(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)






def recovery_pending(root: Path) -> bool:
    return (root / RECOVERY_PENDING).exists()


def recovery_shown(root: Path) -> None:
    """The manager has the recovery key on paper: stop asking."""
    (root / RECOVERY_PENDING).unlink(missing_ok=True)


def _mark(path: Path) -> None:
    path.write_text("", encoding="ascii")


# -- the key ----------------------------------------------------------------------------------


def key_for_store(db_path: Path, seal: KeySeal) -> StoreKey:
    """The key to open (or create, or encrypt) the database at ``db_path`` with."""
    key = seal.load()
    encrypted = db_path.exists() and db_path.stat().st_size > 0 and \
        not sqlite_driver.is_plain(db_path)
    if encrypted:
        if key is None:
            raise StoreKeyMissing(db_path)
        return key
    if key is None:
        key = StoreKey.generate()
        seal.save(key)
        _mark(db_path.parent / RECOVERY_PENDING)
    return key


def unlock(db_path: Path, seal: KeySeal, recovery_text: str) -> StoreKey:
    """The recovery key typed by the manager: checked against the database, then sealed on
    this PC. Raises ``RecoveryKeyInvalid`` (mistyped) or ``StoreKeyWrong`` (another key)."""
    key = StoreKey.from_recovery_text(recovery_text)
    sqlite_driver.connect(db_path, key).close()
    seal.save(key)
    return key


# -- a kill during an earlier encryption --------------------------------------------------------


def resume(db_path: Path) -> bool:
    """Brings back a whole store after a kill inside ``encrypt_in_place``; True when the rest
    of the encryption (step 3) still has to run."""
    partial, ready, plain = (_sibling(db_path, s) for s in (_PARTIAL, _READY, _PLAIN))
    for leftover in (partial, _sibling(partial, "-journal")):
        leftover.unlink(missing_ok=True)
    if ready.exists():
        if db_path.exists() and sqlite_driver.is_plain(db_path):
            ready.unlink()  # step 2 had not begun: start again from the plain store
            (db_path.parent / ENCRYPTION_PENDING).unlink(missing_ok=True)
        elif not db_path.exists() and plain.exists():
            os.replace(ready, db_path)  # killed between the two renames
            fsync_dir(db_path.parent)
        else:
            ready.unlink()
    if plain.exists() and db_path.exists() and not sqlite_driver.is_plain(db_path):
        wipe(plain)
    if db_path.exists() and sqlite_driver.is_plain(db_path):
        (db_path.parent / ENCRYPTION_PENDING).unlink(missing_ok=True)
    return (db_path.parent / ENCRYPTION_PENDING).exists()


# -- encrypting ----------------------------------------------------------------------------------


def _tables(conn: sqlite_driver.Connection, schema: str) -> list[str]:
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        # a virtual table (FTS) is compared through its shadow tables, which are real ones
        "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]


def _counts(conn: sqlite_driver.Connection, schema: str) -> dict[str, int]:
    counts = {}
    for name in _tables(conn, schema):
        counts[name] = conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
    return counts


def _export(db_path: Path, target: Path, key: StoreKey, progress: Progress | None) -> None:
    source_bytes = max(db_path.stat().st_size, 1)
    conn = sqlite_driver.connect(db_path, None, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")  # the file alone holds everything now
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.database_key.hex()}'\"",
                     (str(target),))
        # the copy is synced to disk once, whole, before it is used (below): no journal and no
        # sync per page while it is written
        conn.execute("PRAGMA encrypted.synchronous = OFF")
        conn.execute("PRAGMA encrypted.journal_mode = OFF")
        if progress is not None:
            def tick() -> int:
                with contextlib.suppress(OSError):
                    progress("encrypt", min(target.stat().st_size / source_bytes, 0.99))
                return 0

            conn.set_progress_handler(tick, 200_000)
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.set_progress_handler(None, 0)
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        before, after = _counts(conn, "main"), _counts(conn, "encrypted")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    if before != after:
        differ = sorted(t for t in before.keys() | after.keys()
                        if before.get(t) != after.get(t))
        raise EncryptionCheckFailed(", ".join(differ[:5]))
    check = sqlite_driver.connect(target, key)
    try:
        check.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
        # every page read and its b-tree checked; the index-against-table cross-check of
        # integrity_check takes hours on a station of millions of orders, and the row counts
        # above already compare every table
        full = target.stat().st_size <= FULL_CHECK_BYTES
        rows = check.execute("PRAGMA integrity_check" if full
                             else "PRAGMA quick_check").fetchall()
    finally:
        check.close()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise EncryptionCheckFailed(str(rows[0][0]))




def encrypt_in_place(db_path: Path, key: StoreKey, progress: Progress | None = None) -> None:
    """Steps 1 and 2 (see the module docstring); the caller then runs ``finish_encryption``.
    No connection to ``db_path`` may be open."""
    partial, ready, plain = (_sibling(db_path, s) for s in (_PARTIAL, _READY, _PLAIN))
    partial.unlink(missing_ok=True)
    try:
        _export(db_path, partial, key, progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_file(partial)
    os.replace(partial, ready)
    fsync_dir(db_path.parent)
    _mark(db_path.parent / ENCRYPTION_PENDING)
    for extra in ("-wal", "-shm"):  # a plain WAL must never meet the encrypted file
        _sibling(db_path, extra).unlink(missing_ok=True)
    os.replace(db_path, plain)
    fsync_dir(db_path.parent)
    os.replace(ready, db_path)
    fsync_dir(db_path.parent)
    if progress is not None:
        progress("encrypt", 1.0)


def finish_encryption(db_path: Path, key: StoreKey, backup_dir: Path,
                      progress: Progress | None = None) -> None:
    """Step 3: the plain copy wiped, photos and earlier backups encrypted, a backup made."""
    from app.store import backups, vault

    wipe(_sibling(db_path, _PLAIN))
    root = db_path.parent
    vault.encrypt_folder(root / "attachments", key,
                         (lambda f: progress("photos", f)) if progress else None)
    backups.encrypt_plain_backups(backup_dir, key,
                                  (lambda f: progress("backups", f)) if progress else None,
                                  attachments_dir=root / "attachments")
    backups.make_backup(db_path, backup_dir, root / "attachments", "before-migration", key=key)
    (root / ENCRYPTION_PENDING).unlink(missing_ok=True)
