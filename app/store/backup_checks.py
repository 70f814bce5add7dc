"""Is this file a sound station database? The start-up health check and the check of a file
offered for a restore. Qt-free, no services: plain ``sqlite3`` so a damaged file can be looked
at without the engine's pragmas (which would write to it).

A problem is a ``BackupProblem`` whose ``template`` is English source text (translated through
the catalogue) and ``params`` fill it in; ``kind`` names it for code and tests.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.store import sqlite_driver
from app.store.store_key import StoreKey

SQLITE_HEADER = b"SQLite format 3\x00"
ENCRYPTED_PAGE = 4096  # SQLCipher 4's page size
#: the tables every station database has had since the first schema
STATION_TABLES = frozenset({"alembic_version", "station", "outbox", "users", "service_orders"})
VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


class BackupProblem(Exception):
    """A database file that cannot be used (or restored from), and why."""

    def __init__(self, kind: str, template: str, **params: object) -> None:
        self.kind = kind
        self.template = template
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(template.format(**self.params))


#: kind -> message; the catalogue (locale/zh_CN/LC_MESSAGES/backups.po) has every one
PROBLEMS = {
    "missing": "The file {path} does not exist.",
    "unreadable": "The file {path} cannot be read: {error}",
    "empty": "The file {path} is empty (zero bytes).",
    "not_sqlite": "The file {path} is not a database file.",
    "truncated": "The file {path} is cut short: {size} bytes of the {expected} its header "
                 "promises.",
    "damaged": "The database {path} is damaged: {error}",
    "wrong_key": "The database {path} is encrypted with another key (another station's, or "
                 "one this PC does not hold): it opens only with that station's recovery key.",
    "not_station": "The file {path} is not a repair-station database.",
    "too_new": "The backup {path} has schema version {revision}, newer than this program "
               "understands; install the newer program to restore it.",
    "unknown_schema": "The backup {path} has schema version {revision}, which this program "
                      "does not know.",
}


def problem(kind: str, **params: object) -> BackupProblem:
    return BackupProblem(kind, PROBLEMS[kind], **params)


def known_revisions() -> list[str]:
    """The migration revisions this program ships, oldest first (``0001`` …)."""
    return sorted(p.name.split("_", 1)[0] for p in VERSIONS_DIR.glob("[0-9]*_*.py"))


def _key_for(path: Path, key: StoreKey | None) -> StoreKey | None:
    """The key a connection to ``path`` needs: none for a plain file (an older program's)."""
    return None if key is None or sqlite_driver.is_plain(path) else key


def read_header(path: Path, key: StoreKey | None = None) -> None:
    """Raises a problem if ``path`` is missing, empty, not SQLite or shorter than its header
    says; reads only the first 100 bytes. An encrypted file (``key`` given) has no readable
    header: it must be whole pages (SQLCipher's 4096 bytes)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        raise problem("missing", path=path) from None
    except OSError as exc:
        raise problem("unreadable", path=path, error=exc) from None
    if size == 0:
        raise problem("empty", path=path)
    if not header.startswith(SQLITE_HEADER) and size >= ENCRYPTED_PAGE:
        # no readable header: an encrypted file is whole pages (a shorter or other file is
        # simply not a database); without a key it can only be another station's
        if size % ENCRYPTED_PAGE:
            if key is None:
                raise problem("not_sqlite", path=path)
            raise problem("truncated", path=path, size=size,
                          expected=(size // ENCRYPTED_PAGE + 1) * ENCRYPTED_PAGE)
        with contextlib.suppress(OSError), path.open("rb") as f:
            first = f.read(ENCRYPTED_PAGE)
            if len(set(first)) < 128:  # zeros, text: an encrypted page reads as random bytes
                raise problem("not_sqlite", path=path)
        if key is None:
            raise problem("wrong_key", path=path)
        return
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise problem("not_sqlite", path=path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter, valid_for = header[24:28], header[92:96]
    # the header's page count is trusted only when it was written by the same change
    if pages and change_counter == valid_for and size < pages * page_size:
        raise problem("truncated", path=path, size=size, expected=pages * page_size)


def _connect_ro(path: Path, immutable: bool,
                key: StoreKey | None = None) -> sqlite_driver.Connection:
    """A file nobody writes (a backup) is opened read-only and immutable; the live database
    normally (a read-only connection cannot replay its WAL), and only read."""
    key = _key_for(path, key)
    try:
        if immutable:
            conn = sqlite_driver.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1",
                                         key, uri=True)
        else:
            conn = sqlite_driver.connect(path, key, timeout=10)
    except sqlite_driver.StoreKeyWrong:
        raise problem("wrong_key", path=path) from None
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def check_pages(path: Path, full: bool, immutable: bool = False,
                key: StoreKey | None = None) -> None:
    """``PRAGMA quick_check`` (or ``integrity_check`` when ``full``) over the whole file."""
    read_header(path, key)
    try:
        conn = _connect_ro(path, immutable, key)
        try:
            rows = conn.execute("PRAGMA integrity_check" if full
                                else "PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite_driver.DatabaseError as exc:
        raise problem("damaged", path=path, error=exc) from None
    if [tuple(r) for r in rows] != [("ok",)]:
        first = "; ".join(str(r[0]) for r in rows[:3])
        raise problem("damaged", path=path, error=first)


#: up to this size the start-up reads every page (``quick_check``: well under a second for a
#: station's usual tens of megabytes); a larger file gets the header and the core tables
#: checked at start-up, and every page each day, when the daily backup checks its copy
FULL_CHECK_BYTES = 512 * 1024 * 1024
CORE_TABLES = ("alembic_version", "station", "users", "sync_registration", "sync_state")


def _check_core(path: Path, key: StoreKey | None) -> None:
    read_header(path, key)
    try:
        conn = _connect_ro(path, immutable=False, key=key)
        try:
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in CORE_TABLES:
                if table not in tables:
                    continue
                rows = conn.execute(f'PRAGMA quick_check("{table}")').fetchall()
                if [tuple(r) for r in rows] != [("ok",)]:
                    raise problem("damaged", path=path,
                                  error="; ".join(str(r[0]) for r in rows[:3]))
        finally:
            conn.close()
    except sqlite_driver.DatabaseError as exc:
        raise problem("damaged", path=path, error=exc) from None


def health_check(db_path: Path, key: StoreKey | None = None,
                 full_check_bytes: int = FULL_CHECK_BYTES) -> BackupProblem | None:
    """None when the station database can be opened (or does not exist yet: a new station);
    otherwise what is wrong. Finishes a restore that was cut off after its copy was complete.
    A wrong key is not damage: it raises ``StoreKeyWrong`` (the recovery key opens the file)."""
    finish_interrupted_restore(db_path)
    if not db_path.exists():
        return None
    try:
        if db_path.stat().st_size <= full_check_bytes:
            check_pages(db_path, full=False, key=key)
        else:
            _check_core(db_path, key)
    except BackupProblem as exc:
        if exc.kind == "wrong_key":
            raise sqlite_driver.StoreKeyWrong(db_path) from None
        return exc
    return None


@dataclass(frozen=True)
class DatabaseFacts:
    """What a sound station database says about itself (read-only)."""

    revision: str | None
    station_code: str
    station_name: str
    outbox_seq: int


def read_facts(path: Path, immutable: bool = False,
               key: StoreKey | None = None) -> DatabaseFacts:
    conn = _connect_ro(path, immutable, key)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables >= STATION_TABLES:
            raise problem("not_station", path=path)
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        station = conn.execute("SELECT code, name FROM station LIMIT 1").fetchone()
        seq = conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
        if "sqlite_sequence" in tables:
            row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
            seq = max(seq, row[0] if row else 0)
    except sqlite_driver.DatabaseError as exc:
        raise problem("damaged", path=path, error=exc) from None
    finally:
        conn.close()
    return DatabaseFacts(revision[0] if revision else None, station[0] if station else "",
                         station[1] if station else "", int(seq))


def check_candidate(path: Path, key: StoreKey | None = None) -> DatabaseFacts:
    """A file offered for a restore: SQLite, ``integrity_check`` ok, a station's tables, and a
    schema revision this program knows (older ones are migrated after the restore). Opened
    immutable (nothing written to it) unless a write-ahead log beside it must be read too."""
    immutable = not Path(str(path) + "-wal").exists()
    check_pages(path, full=True, immutable=immutable, key=key)
    facts = read_facts(path, immutable=immutable, key=key)
    known = known_revisions()
    if facts.revision is None:
        raise problem("not_station", path=path)
    if facts.revision not in known:
        newer = facts.revision[:4].isdigit() and facts.revision > known[-1]
        raise problem("too_new" if newer else "unknown_schema", path=path,
                      revision=facts.revision)
    return facts


def readable_facts(path: Path, key: StoreKey | None = None) -> DatabaseFacts | None:
    """The facts of the live database when it is sound, else None (never raises)."""
    try:
        check_pages(path, full=False, key=key)
        return read_facts(path, key=key)
    except (BackupProblem, sqlite_driver.Error, OSError):
        return None


RESTORING_SUFFIX = ".restoring"


def restoring_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + RESTORING_SUFFIX)


def finish_interrupted_restore(db_path: Path) -> None:
    """A restore writes its complete, checked copy beside the database, moves the old database
    aside and renames the copy into place. Cut off between the two, the database is missing
    and the copy is whole: rename it now. A copy left beside a database is unfinished: drop it."""
    pending = restoring_path(db_path)
    if not pending.exists():
        return
    if db_path.exists():
        pending.unlink()
    else:
        os.replace(pending, db_path)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(pending) + suffix).unlink()


class DatabaseDamaged(Exception):
    """The station database cannot be used (found by the start-up health check)."""

    def __init__(self, db_path: Path, found: BackupProblem) -> None:
        self.db_path = db_path
        self.problem = found
        self.template = found.template
        self.params = found.params
        super().__init__(str(found))
