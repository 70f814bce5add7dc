"""The backups an older program made in plain, encrypted in place with the station's key
(the plain→encrypted migration runs it after ``app.store.vault.encrypt_folder``).

Each backup folder: its database exported into SQLCipher beside it, checked, renamed over the
plain file, and the plain file wiped; its attachments replaced by encrypted files (hard links to
the live folder's encrypted copies where they are on the same disk, so the space stays shared);
its manifest rewritten with ``key_id`` last, which marks the folder done. Bare ``.sqlite3``
files in the backup folder (an older program's before-migration copies, databases a restore
replaced) are encrypted the same way. A kill at any step leaves every file whole under its
name (plain or encrypted) and the next run carries on. A damaged plain backup cannot be
exported: it is left as it is and logged.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from app.store import sqlite_driver
from app.store.backup_checks import BackupProblem
from app.store.backups import (
    _NAME,
    ATTACHMENTS,
    DB_NAME,
    MANIFEST,
    Manifest,
    _attachment_files,
    _read_manifest,
    copy_database,
)
from app.store.durable_files import fsync_dir, wipe
from app.store.file_lock import FileLock
from app.store.store_key import StoreKey
from app.store.vault import (
    encrypt_bytes,
    header_key_id,
    is_encrypted,
    stored_files,
    write_atomically,
)

log = logging.getLogger(__name__)

_ENCRYPTING = ".encrypting"
_PLAIN_LINK = ".plain"




def _encrypt_database(db: Path, key: StoreKey) -> bool:
    """A plain database file of a backup encrypted in place: exported beside it, checked,
    renamed over it; the plain file is first linked aside (``….plain``) and wiped last, so a
    kill at any step leaves the plain or the encrypted file whole under its name and the next
    run finishes. True when it encrypted it now."""
    partial, aside = Path(str(db) + _ENCRYPTING), Path(str(db) + _PLAIN_LINK)
    partial.unlink(missing_ok=True)
    if not db.is_file() or not sqlite_driver.is_plain(db):
        if aside.exists():
            wipe(aside)  # the encrypted copy is in place: the plain one goes
        return False
    aside.unlink(missing_ok=True)  # a link to the plain file itself: never wiped
    try:
        copy_database(db, partial, None, target_key=key)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.link(db, aside)
    os.replace(partial, db)
    fsync_dir(db.parent)
    for extra in ("-wal", "-shm", "-journal"):  # a plain WAL must never meet the new file
        Path(str(db) + extra).unlink(missing_ok=True)
    wipe(aside)
    return True


def _encrypt_attachments(folder: Path, key: StoreKey, pool: dict[Path, Path]) -> None:
    """Each plain file of a backup's attachments replaced by the encrypted one: a hard link to
    an encrypted copy already made (``pool``: the live folder's, an earlier backup's), else
    encrypted anew. A hard link to a plain file is never written through."""
    for rel in _attachment_files(folder):
        path = folder / rel
        if is_encrypted(path):
            pool.setdefault(rel, path)
            continue
        known = pool.get(rel)
        if known is not None and header_key_id(known) == key.key_id:
            tmp = path.with_name(path.name + ".link.tmp")
            tmp.unlink(missing_ok=True)
            try:
                os.link(known, tmp)
                os.replace(tmp, path)
                continue
            except OSError:
                tmp.unlink(missing_ok=True)
        write_atomically(path, encrypt_bytes(path.read_bytes(), path.name, key))
        pool[rel] = path


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    write_atomically(folder / MANIFEST, json.dumps(asdict(manifest), ensure_ascii=False,
                                                   indent=1).encode("utf-8"))


def encrypt_plain_backups(backup_dir: Path, key: StoreKey,
                          progress: Callable[[float], None] | None = None,
                          attachments_dir: Path | None = None) -> int:
    """Every backup made before the store was encrypted, encrypted in place with ``key``: its
    database (online copy into SQLCipher, checked, then the plain file wiped), its attachments
    (linked to the already encrypted live files of ``attachments_dir`` when on the same disk)
    and its manifest (``key_id`` written last: a backup with it is done). Bare ``.sqlite3``
    files (an older program's before-migration copies, replaced databases) are encrypted too.
    Crash-safe and idempotent; returns how many backups it encrypted."""
    if not backup_dir.is_dir():
        if progress is not None:
            progress(1.0)
        return 0
    pool: dict[Path, Path] = {}
    if attachments_dir is not None:
        for path in stored_files(attachments_dir):
            if header_key_id(path) == key.key_id:
                pool[path.relative_to(attachments_dir)] = path
    with FileLock(backup_dir / ".lock"):
        folders = [e for e in sorted(backup_dir.iterdir())
                   if e.is_dir() and _NAME.match(e.name) and (e / MANIFEST).is_file()]
        bare = [e for e in sorted(backup_dir.glob("*.sqlite3")) if e.is_file()]
        todo = len(folders) + len(bare)
        done = 0
        for n, folder in enumerate(folders, start=1):
            manifest = _read_manifest(folder)
            if manifest is not None and manifest.key_id is None:
                try:
                    _encrypt_database(folder / DB_NAME, key)
                except BackupProblem as exc:  # a damaged plain backup: kept as it is, told
                    log.warning("backup %s not encrypted: %s", folder.name, exc)
                    continue
                if (folder / ATTACHMENTS).is_dir():
                    _encrypt_attachments(folder / ATTACHMENTS, key, pool)
                size = sum((folder / ATTACHMENTS / r).stat().st_size
                           for r in _attachment_files(folder / ATTACHMENTS))
                db_bytes = (folder / DB_NAME).stat().st_size if (folder / DB_NAME).is_file() \
                    else manifest.database_bytes
                _write_manifest(folder, replace(manifest, key_id=key.key_id,
                                                database_bytes=db_bytes,
                                                attachment_bytes=size))
                done += 1
            elif manifest is not None and (folder / ATTACHMENTS).is_dir():
                for rel in _attachment_files(folder / ATTACHMENTS):
                    pool.setdefault(rel, folder / ATTACHMENTS / rel)
            if progress is not None:
                progress(n / todo)
        for n, db in enumerate(bare, start=len(folders) + 1):
            try:
                done += _encrypt_database(db, key)
            except BackupProblem as exc:
                log.warning("old copy %s not encrypted: %s", db.name, exc)
            if progress is not None:
                progress(n / todo)
    if progress is not None and not todo:
        progress(1.0)
    return done
