"""The station's backups: make one, list them, keep the right ones, restore one.

A backup is a folder ``backups/<UTC time>-<kind>/`` holding ``station.sqlite3`` (a copy made
through SQLite's online backup API, never a file copy, then ``integrity_check``-ed),
``manifest.json`` (time, kind, schema revision, station, outbox high-water seq, sizes) and
``attachments/`` (the photos). It is built under ``backups/.tmp-…`` and renamed into place
last, so a backup cut off by a crash is never listed; the next backup removes the leftover.

Attachments are content-addressed (``attachments/ab/abcdef…``) and never change, so a backup's
copy of one is a hard link to the previous backup's copy (or to the live file), and only a
file no earlier backup has is copied. On the same disk that costs no space; on a backup folder
on another drive only the new photos are copied each day, and every backup folder is still
whole on its own (deleting an old one never breaks a newer one).

Encrypted like the store: with the station's key, the database copy is a SQLCipher file under
the same key and the attachments are the vault's encrypted files (``app.store.vault``); the
manifest names the key by its ``key_id`` (never the key itself), so a restore tells a backup of
another station (it asks for that station's recovery key) from a damaged one.
``encrypt_plain_backups`` encrypts in place the backups an older program made in plain.

``repair-station backup --to FILE`` writes the same content as one ``.zip`` (``export_zip``).
Kinds: ``daily`` (the automatic one), ``manual``, ``before-migration``, ``before-restore``.
Retention (``retained``): the 14 newest daily/manual backups, plus the newest daily/manual one
of each of the last 12 calendar months, plus every before-migration / before-restore backup
younger than 90 days and the newest of each of those two kinds whatever its age.
Qt-free; no services import.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.domain.parts import DocumentPrefix
from app.store import sqlite_driver
from app.store.backup_checks import (
    BackupProblem,
    DatabaseFacts,
    check_candidate,
    check_pages,
    problem,
    read_facts,
    readable_facts,
    restoring_path,
)
from app.store.db_copy import attach_key, copy_database
from app.store.durable_files import fsync_dir, fsync_file
from app.store.file_lock import FileLock
from app.store.store_key import StoreKey
from app.store.vault import (
    AttachmentUnreadable,
    decrypt_bytes,
    encrypt_bytes,
    header_key_id,
    is_encrypted,
    write_atomically,
)

DB_NAME = "station.sqlite3"
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
KINDS = ("daily", "manual", "before-migration", "before-restore")
ORDINARY = ("daily", "manual")
KEEP_NEWEST = 14
KEEP_MONTHS = 12
KEEP_SPECIAL_DAYS = 90
_NAME = re.compile(r"^(\d{8}T\d{12}Z)-(" + "|".join(KINDS) + r")$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601, UTC
    kind: str
    schema_revision: str | None
    station_code: str
    station_name: str
    outbox_seq: int
    database_bytes: int
    attachments: int
    attachment_bytes: int
    #: the id of the key the backup is encrypted with (None: a plain backup)
    key_id: str | None = None

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


@dataclass(frozen=True)
class Backup:
    """One listed backup: its folder (or a bare ``.sqlite3`` file of an older program)."""

    path: Path
    database: Path
    manifest: Manifest

    @property
    def attachments(self) -> Path | None:
        folder = self.path / ATTACHMENTS
        return folder if self.path.is_dir() and folder.is_dir() else None


# -- making one ----------------------------------------------------------------------------------






def _link_or_copy(candidates: Iterable[Path], target: Path) -> int:
    """Hard-links ``target`` to the first candidate that exists (same disk), else copies the
    first existing one; returns the bytes copied (0 for a link)."""
    existing = [c for c in candidates if c.is_file()]
    for source in existing:
        try:
            os.link(source, target)
            return 0
        except OSError:
            continue
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(existing[0], partial)
    fsync_file(partial)
    os.replace(partial, target)
    return target.stat().st_size


def _attachment_files(folder: Path | None) -> Iterator[Path]:
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*/*")):
        if path.is_file() and "." not in path.name:  # not a half-copied .part / .tmp
            yield path.relative_to(folder)


def _as_stored(path: Path, key: StoreKey | None) -> bool:
    """True when the stored file is as a store with ``key`` keeps it (encrypted under that
    key, or plain for a plain store)."""
    return header_key_id(path) == key.key_id if key is not None else not is_encrypted(path)


def _recrypt(path: Path, from_key: StoreKey | None, to_key: StoreKey | None) -> bytes:
    """The stored file at ``path`` (under ``from_key``) as stored under ``to_key``."""
    data = decrypt_bytes(path.read_bytes(), path.name, from_key)
    return encrypt_bytes(data, path.name, to_key) if to_key is not None else data


def _copy_attachments(source: Path | None, target: Path, previous: Path | None,
                      key: StoreKey | None = None) -> tuple[int, int]:
    """Every attachment of ``source`` into ``target`` (linked to ``previous`` when it has it
    as the store keeps it); returns (files, bytes). With a key, a file still plain in the live
    folder (a migration cut off) is encrypted into the backup, never copied plain."""
    files = total = 0
    for rel in _attachment_files(source):
        assert source is not None
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        live = source / rel
        if key is not None and not is_encrypted(live):
            try:
                write_atomically(dest, encrypt_bytes(live.read_bytes(), live.name, key))
            except OSError:
                continue
        else:
            candidates = ([previous / rel] if previous is not None
                          and _as_stored(previous / rel, key) else [])
            _link_or_copy([*candidates, live], dest)
        files += 1
        total += dest.stat().st_size
    return files, total


def _remove_leftovers(backup_dir: Path) -> None:
    for left in backup_dir.glob(".tmp-*"):
        shutil.rmtree(left, ignore_errors=True)


def make_backup(db_path: Path, backup_dir: Path, attachments_dir: Path | None, kind: str,
                now: datetime | None = None, *, key: StoreKey | None = None) -> Backup:
    """A new backup of the station database and its attachments, encrypted with the store's
    ``key`` (None: a plain store); returns it listed."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    now = now or datetime.now(UTC)
    backup_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(backup_dir / ".lock"):
        _remove_leftovers(backup_dir)
        name = f"{now.astimezone(UTC).strftime(_STAMP)}-{kind}"
        final = backup_dir / name
        while final.exists():  # two backups within one microsecond
            now += timedelta(microseconds=1)
            name = f"{now.astimezone(UTC).strftime(_STAMP)}-{kind}"
            final = backup_dir / name
        work = backup_dir / f".tmp-{name}"
        work.mkdir()
        try:
            copy_database(db_path, work / DB_NAME, key)
            encrypted = not sqlite_driver.is_plain(work / DB_NAME)
            try:
                facts = read_facts(work / DB_NAME, key=key)
            except BackupProblem:  # not (yet) a station's schema: still worth keeping
                facts = DatabaseFacts(None, "", "", 0)
            previous = next((b.attachments for b in list_backups(backup_dir)
                             if b.attachments is not None), None)
            files, size = _copy_attachments(attachments_dir, work / ATTACHMENTS, previous,
                                            key if encrypted else None)
            manifest = Manifest(
                created_at=now.astimezone(UTC).isoformat(), kind=kind,
                schema_revision=facts.revision, station_code=facts.station_code,
                station_name=facts.station_name, outbox_seq=facts.outbox_seq,
                database_bytes=(work / DB_NAME).stat().st_size, attachments=files,
                attachment_bytes=size,
                key_id=key.key_id if key is not None and encrypted else None)
            (work / MANIFEST).write_text(json.dumps(asdict(manifest), ensure_ascii=False,
                                                    indent=1), encoding="utf-8")
            fsync_file(work / MANIFEST)
            fsync_dir(work)
            os.replace(work, final)
            fsync_dir(backup_dir)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return Backup(final, final / DB_NAME, manifest)


def export_zip(backup: Backup, target: Path) -> Path:
    """One backup as a single ``.zip`` (database, manifest, attachments), written under a
    temporary name and renamed, so ``target`` is whole or absent."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.write(backup.database, DB_NAME, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(MANIFEST, json.dumps(asdict(backup.manifest), ensure_ascii=False,
                                              indent=1))
        folder = backup.attachments
        for rel in _attachment_files(folder):
            assert folder is not None
            archive.write(folder / rel, f"{ATTACHMENTS}/{rel.as_posix()}",
                          compress_type=zipfile.ZIP_STORED)  # photos are compressed already
    fsync_file(partial)
    os.replace(partial, target)
    return target


# -- listing and retention -----------------------------------------------------------------------


def _read_manifest(folder: Path) -> Manifest | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def _legacy(path: Path) -> Backup:
    """A bare copy an older program made before a migration (``station-before-0003-….sqlite3``)."""
    created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    kind = "before-migration" if "-before-" in path.name else "manual"
    return Backup(path, path, Manifest(created.isoformat(), kind, None, "", "", 0,
                                       path.stat().st_size, 0, 0))


def list_backups(backup_dir: Path) -> list[Backup]:
    """Every complete backup in ``backup_dir``, newest first (a replaced database kept aside
    by a restore, ``replaced-….sqlite3``, is not a backup and is not listed)."""
    if not backup_dir.is_dir():
        return []
    found: list[Backup] = []
    for entry in backup_dir.iterdir():
        if entry.is_dir() and _NAME.match(entry.name):
            manifest = _read_manifest(entry)
            if manifest is not None and (entry / DB_NAME).is_file():
                found.append(Backup(entry, entry / DB_NAME, manifest))
        elif (entry.is_file() and entry.suffix == ".sqlite3"
              and not entry.name.startswith("replaced-")):
            found.append(_legacy(entry))
    return sorted(found, key=lambda b: b.manifest.created, reverse=True)


def retained(entries: list[tuple[datetime, str]], now: datetime) -> set[int]:
    """The indexes of ``entries`` (time, kind) the retention rule keeps (see the module doc)."""
    keep: set[int] = set()
    order = sorted(range(len(entries)), key=lambda i: entries[i][0], reverse=True)
    ordinary = [i for i in order if entries[i][1] in ORDINARY]
    keep.update(ordinary[:KEEP_NEWEST])
    months: set[tuple[int, int]] = set()
    year, month = now.year, now.month
    for _ in range(KEEP_MONTHS):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    seen: set[tuple[int, int]] = set()
    for i in ordinary:
        ym = (entries[i][0].year, entries[i][0].month)
        if ym in months and ym not in seen:
            seen.add(ym)
            keep.add(i)
    for kind in ("before-migration", "before-restore"):
        special = [i for i in order if entries[i][1] == kind]
        keep.update(special[:1])
        keep.update(i for i in special
                    if now - entries[i][0] <= timedelta(days=KEEP_SPECIAL_DAYS))
    return keep


def prune(backup_dir: Path, now: datetime | None = None) -> list[Path]:
    """Deletes the backups the retention rule does not keep; returns what it deleted."""
    now = now or datetime.now(UTC)
    with FileLock(backup_dir / ".lock"):
        backups = list_backups(backup_dir)
        keep = retained([(b.manifest.created, b.manifest.kind) for b in backups], now)
        gone = []
        for i, backup in enumerate(backups):
            if i in keep:
                continue
            if backup.path.is_dir():
                # renamed out of the list first: a prune cut off half way never leaves a
                # listed backup with some of its files gone
                trash = backup_dir / f".tmp-gone-{backup.path.name}"
                os.replace(backup.path, trash)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                backup.path.unlink(missing_ok=True)
            gone.append(backup.path)
    return gone


# -- restoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A checked file to restore from, with its attachments folder if it has one."""

    database: Path
    attachments: Path | None
    facts: DatabaseFacts
    created: datetime | None
    #: the key that opened it (None: a plain backup)
    key: StoreKey | None = None
    #: the key id its manifest names (None: plain, or no manifest)
    key_id: str | None = None


def _checked(database: Path, key: StoreKey | None, key_id: str | None) -> DatabaseFacts:
    """``check_candidate`` with the key the backup needs: a manifest naming another key than
    ``key`` (or a key where none is held) is ``wrong_key`` before anything is read; with the
    named key, a file that still does not open is damaged, not a wrong key."""
    if key_id is not None and (key is None or key.key_id != key_id):
        raise problem("wrong_key", path=database)
    try:
        return check_candidate(database, key)
    except BackupProblem as exc:
        if exc.kind == "wrong_key" and key_id is not None:
            raise problem("damaged", path=database,
                          error="its first page does not decrypt") from None
        raise


@contextlib.contextmanager
def open_candidate(path: Path, key: StoreKey | None = None) -> Iterator[Candidate]:
    """``path`` (a backup folder, its ``station.sqlite3`` or ``manifest.json``, a ``.zip`` from
    ``backup --to``, or a bare ``.sqlite3``) checked for a restore with ``key`` (this station's,
    or the one a recovery key gave); raises ``BackupProblem`` (``wrong_key``: the backup is
    encrypted with another key, so the recovery key of its station is needed)."""
    path = Path(path)
    with contextlib.ExitStack() as stack:
        if path.is_file() and zipfile.is_zipfile(path):
            unpacked = Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix="restore-", dir=path.parent if os.access(path.parent, os.W_OK)
                else None)))
            try:
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        if member.startswith(("/", "..")) or ".." in Path(member).parts:
                            raise problem("not_station", path=path)
                    archive.extractall(unpacked)
            except (zipfile.BadZipFile, OSError):
                raise problem("not_station", path=path) from None
            path = unpacked
        if path.is_file() and path.name == MANIFEST:
            path = path.parent
        folder = path if path.is_dir() else None
        database = path / DB_NAME if folder is not None else path
        manifest = _read_manifest(folder) if folder is not None else None
        key_id = manifest.key_id if manifest else None
        facts = _checked(database, key, key_id)
        attachments = folder / ATTACHMENTS if folder is not None else None
        opened = None if sqlite_driver.is_plain(database) else key
        yield Candidate(database, attachments if attachments and attachments.is_dir() else None,
                        facts, manifest.created if manifest else None, opened, key_id)


@dataclass(frozen=True)
class RestoreResult:
    replaced: Path | None  # the database moved aside, if there was one
    before_restore: Backup | None  # the backup made first, when the database was sound
    outbox_seq_floor: int  # the new outbox numbers start above this
    attachments_added: int
    #: the key the restored store is encrypted with (the backup's; this PC must keep it)
    key: StoreKey | None = None


def _seq_floor(restored: DatabaseFacts, current: DatabaseFacts | None,
               backups: list[Backup], now: datetime) -> int:
    """Where the restored station's new outbox numbers must start. Head office keeps every
    seq it ever took and skips a seq it already holds, so a new change must never get one the
    lost database already sent. When that database is readable its last seq is the answer;
    when it is not, nothing tells how far it went, so the floor is the clock in microseconds
    (far above any count of changes, and higher at every later restore)."""
    floor = max([restored.outbox_seq] + [b.manifest.outbox_seq for b in backups])
    if current is not None:
        return max(floor, current.outbox_seq)
    return max(floor, int(now.timestamp() * 1_000_000))


def _carry_over(conn: sqlite_driver.Connection, current: Path | None, floor: int,
                skip_days: list[date], current_key: StoreKey | None = None) -> None:
    """In the restored copy: the outbox counter moved to ``floor``; the day counters of order
    and document numbers no lower than the replaced database's, so a number it issued is not
    issued again for another order (head office would refuse it). When that database cannot
    be read, each counter of ``skip_days`` (the backup's day to today) jumps ``NUMBER_GAP``."""
    if current is not None:
        plain = current_key is None or sqlite_driver.is_plain(current)
        conn.execute("ATTACH DATABASE ? AS old KEY ?",
                     (str(current), attach_key(None if plain else current_key)))
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
        if row is None:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)",
                         (floor,))
        elif row[0] < floor:
            conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'", (floor,))
        if current is not None:
            for table, keys in (("order_counters", ("day",)),
                                ("document_counters", ("prefix", "day"))):
                on = " AND ".join(f"t.{k} = o.{k}" for k in keys)
                cols = ", ".join(keys)
                conn.execute(f"UPDATE {table} AS t SET last = o.last FROM old.{table} AS o "
                             f"WHERE {on} AND o.last > t.last")
                conn.execute(f"INSERT INTO {table} ({cols}, last) SELECT {cols}, last FROM "
                             f"old.{table} AS o WHERE NOT EXISTS (SELECT 1 FROM {table} AS t "
                             f"WHERE {on})")
        for day in skip_days:
            _skip_numbers(conn, day)
        conn.execute("COMMIT")
    except sqlite_driver.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        if current is not None:
            conn.execute("DETACH DATABASE old")


#: how many numbers of each day a restore over an unreadable database leaves out: more than
#: a station issues in a day, far below head office's dispatch numbers (5001…)
NUMBER_GAP = 300


def _skip_numbers(conn: sqlite_driver.Connection, day: date) -> None:
    conn.execute("INSERT INTO order_counters (day, last) VALUES (?, ?) ON CONFLICT (day) "
                 "DO UPDATE SET last = last + ?", (day.isoformat(), NUMBER_GAP, NUMBER_GAP))
    for prefix in DocumentPrefix:
        conn.execute("INSERT INTO document_counters (prefix, day, last) VALUES (?, ?, ?) "
                     "ON CONFLICT (prefix, day) DO UPDATE SET last = last + ?",
                     (prefix.value, f"{day:%Y%m%d}", NUMBER_GAP, NUMBER_GAP))


def _days_since(backup: datetime | None, now: datetime) -> list[date]:
    """The local days from the backup's (or yesterday when unknown) to tomorrow: a day
    counter's day is the station's local day, which may lie a day either side of UTC's."""
    first = (backup or now - timedelta(days=1)).astimezone().date() - timedelta(days=1)
    last = now.astimezone().date() + timedelta(days=1)
    if (last - first).days > 400:
        first = last - timedelta(days=400)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _move_aside(db_path: Path, backup_dir: Path, now: datetime) -> Path | None:
    """The replaced database (with its WAL, which belongs to it alone) moved to
    ``backups/replaced-<time>.sqlite3``; nothing of it is left beside the new one."""
    if not db_path.exists():
        return None
    target = backup_dir / f"replaced-{now.astimezone(UTC).strftime(_STAMP)}.sqlite3"
    shutil.move(db_path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            shutil.move(side, Path(str(target) + suffix))
    return target


def restore(path: Path, db_path: Path, backup_dir: Path, attachments_dir: Path,
            now: datetime | None = None, *, key: StoreKey | None = None,
            backup_key: StoreKey | None = None) -> RestoreResult:
    """Replaces the station database with the backup at ``path`` (checked first). The caller
    makes sure nothing has the database open. A sound current database (opened with ``key``,
    this PC's) is backed up first (``before-restore``) and in any case moved aside;
    attachments the backup has and the data folder lacks are put back (none is deleted: they
    are named by their content). ``backup_key`` (from the recovery key of the backup's
    station) opens a backup encrypted with another key than ``key``. The restored store keeps
    the backup's key (a plain backup is encrypted with ``key``): ``RestoreResult.key``, which
    the caller seals on this PC."""
    now = now or datetime.now(UTC)
    backup_dir.mkdir(parents=True, exist_ok=True)
    with open_candidate(path, backup_key or key) as candidate:
        restored_key = candidate.key if candidate.key is not None else key
        current = readable_facts(db_path, key) if db_path.exists() else None
        before = (make_backup(db_path, backup_dir, attachments_dir, "before-restore", now,
                              key=key) if current is not None else None)
        floor = _seq_floor(candidate.facts, current, list_backups(backup_dir), now)
        pending = restoring_path(db_path)
        pending.unlink(missing_ok=True)
        copy_database(candidate.database, pending, candidate.key, target_key=restored_key)
        conn = sqlite_driver.connect(pending, restored_key, isolation_level=None)
        try:
            _carry_over(conn, db_path if current is not None else None, floor,
                        [] if current is not None else _days_since(candidate.created, now),
                        key)
        finally:
            conn.close()
        check_pages(pending, full=True, key=restored_key)
        fsync_file(pending)
        added = _restore_attachments(candidate.attachments, attachments_dir, candidate.key,
                                     restored_key)
        replaced = _move_aside(db_path, backup_dir, now)
        os.replace(pending, db_path)
        fsync_dir(db_path.parent)
    return RestoreResult(replaced, before, floor, added, restored_key)


def _restore_attachments(source: Path | None, target: Path, source_key: StoreKey | None = None,
                         target_key: StoreKey | None = None) -> int:
    """The backup's files the data folder lacks (or holds under another key) put back, stored
    as the restored store keeps them; one that cannot be read is left out (counted by the
    photo's own 'missing' message later), never copied wrong."""
    added = 0
    for rel in _attachment_files(source):
        assert source is not None
        dest = target / rel
        if dest.exists() and _as_stored(dest, target_key):
            continue
        origin = source / rel
        try:
            if _as_stored(origin, target_key):
                blob = origin.read_bytes()
            else:
                blob = _recrypt(origin, source_key, target_key)
        except (OSError, AttachmentUnreadable):  # a damaged or foreign file
            continue
        write_atomically(dest, blob)
        added += 1
    return added


def newest_good(backup_dir: Path,
                on_bad: Callable[[Backup, BackupProblem], None] | None = None,
                key: StoreKey | None = None) -> Backup | None:
    """The newest listed backup that passes the restore checks with ``key`` (each bad one
    reported; one of another key is ``wrong_key``)."""
    for backup in list_backups(backup_dir):
        try:
            _checked(backup.database, key, backup.manifest.key_id)
        except BackupProblem as exc:
            if on_bad is not None:
                on_bad(backup, exc)
            continue
        return backup
    return None


# -- encrypting the backups an older program made --------------------------------------------------


def encrypt_plain_backups(backup_dir: Path, key: StoreKey,
                          progress: Callable[[float], None] | None = None,
                          attachments_dir: Path | None = None) -> int:
    """Every backup made before the store was encrypted, encrypted in place with ``key``
    (``app.store.backup_encryption``); returns how many it encrypted."""
    from app.store.backup_encryption import encrypt_plain_backups as encrypt

    return encrypt(backup_dir, key, progress, attachments_dir)


__all__ = ["Backup", "BackupProblem", "Candidate", "Manifest", "RestoreResult",
           "encrypt_plain_backups", "export_zip", "list_backups", "make_backup", "newest_good",
           "open_candidate", "prune", "restore", "retained"]
