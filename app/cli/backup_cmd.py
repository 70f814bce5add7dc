"""``backup`` and ``restore``: the station's backups from the command line.

``repair-station [--data-dir D] backup [--to FILE.zip]`` makes a backup in the backup folder
(online backup API, checked, with the photos) and, with ``--to``, also writes it as one .zip.
``repair-station restore FILE [--yes]`` checks FILE (a backup folder, its station.sqlite3, a
.zip from ``backup --to`` or a bare .sqlite3: integrity_check, a station's tables, a schema
this program knows), shows its date and station, asks for confirmation (or takes ``--yes``),
backs up the current database when it is sound, moves it aside and puts the backup in its
place. A window open on the station (it holds ``running.lock``) is asked to close (the
``close-request`` file, which it looks for every few seconds; it asks about unsaved work as
when closed by hand) and waited for up to ``--wait`` seconds; still open, the restore refuses.

Backups are encrypted with the station's key. A backup of another key (another station's, or
restored on a PC with no station yet) needs its station's recovery key:
``restore FILE --recovery-key-stdin`` reads it from the first line of standard input (never
from the command line, where other users and the shell's history would see it); the restore
then keeps that key on this PC. A wrong recovery key changes nothing.

Exit codes: 0 done, 1 cancelled, 2 bad file or arguments, 3 the station database is damaged
(``backup``) or the window holds the station (``restore``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.bootstrap import open_services
from app.i18n import tr
from app.paths import DataPaths, default_data_dir
from app.services.backups import read_settings
from app.services.recovery import (
    EXIT_DAMAGED,
    WindowRunning,
    local_time,
    restore_file,
    station_key,
)
from app.store import backups as store
from app.store.backup_checks import BackupProblem, health_check
from app.store.sqlite_driver import StoreKeyWrong
from app.store.store_key import RecoveryKeyInvalid, StoreKey

#: how long ``restore`` waits for a window it asked to close
WAIT_S = 60.0


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="back up the station now (备份)")
    backup.add_argument("--to", type=Path, metavar="FILE.zip",
                        help="also write the backup as one .zip file (database and photos)")
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser("restore", help="restore the station from a backup (恢复)")
    restore.add_argument("file", type=Path, metavar="FILE",
                         help="a backup folder, its station.sqlite3, or a .zip from backup --to")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.add_argument("--recovery-key-stdin", action="store_true",
                         help="read the recovery key of the backup's station from the first "
                              "line of standard input (a backup of another station or PC)")
    restore.add_argument("--wait", type=float, default=WAIT_S, metavar="SECONDS",
                         help="how long to wait for an open window to close when asked "
                              f"(default {WAIT_S:g}; 0 refuses at once)")
    restore.set_defaults(handler=run_restore)


def _paths(args: argparse.Namespace) -> DataPaths:
    return DataPaths(args.data_dir or default_data_dir())


def _problem_text(exc: BackupProblem) -> str:
    return tr(exc.template, **exc.params)


def run_backup(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if args.to is not None and args.to.suffix.lower() != ".zip":
        print(tr("Error: {message}", message=tr("The backup file must end in .zip.")),
              file=sys.stderr)
        return 2
    if not paths.database.exists():
        print(tr("Error: no station data in {folder}.", folder=paths.root), file=sys.stderr)
        return 2
    key = station_key(paths)
    try:
        damage = health_check(paths.database, key)
    except StoreKeyWrong as exc:
        print(tr("Error: {message}", message=tr(exc.template, **exc.params)), file=sys.stderr)
        return EXIT_DAMAGED
    if damage is not None:
        print(tr("Error: {message}", message=_problem_text(damage)), file=sys.stderr)
        return EXIT_DAMAGED
    folder = read_settings(paths).folder
    made = store.make_backup(paths.database, folder, paths.attachments, "manual", key=key)
    store.prune(folder)
    m = made.manifest
    print(tr("Backed up station {station} to {path} ({time}; {photos} photos).",
             station=m.station_code or "-", path=made.path, time=local_time(m.created),
             photos=m.attachments))
    if args.to is not None:
        store.export_zip(made, args.to)
        print(tr("Also written as {file}.", file=args.to))
    return 0


def _recovery_key(args: argparse.Namespace) -> StoreKey | None:
    """The recovery key from standard input's first line (``--recovery-key-stdin``)."""
    if not args.recovery_key_stdin:
        return None
    if sys.stdin.isatty():
        print(tr("Recovery key (nine groups of four, as on the printed sheet): "), end="",
              file=sys.stderr, flush=True)
    return StoreKey.from_recovery_text(sys.stdin.readline())


def run_restore(args: argparse.Namespace) -> int:
    paths = _paths(args)
    try:
        recovery = _recovery_key(args)
    except RecoveryKeyInvalid as exc:
        print(tr("Error: {message}", message=tr(exc.template)), file=sys.stderr)
        return 2
    try:
        with store.open_candidate(args.file, recovery or station_key(paths)) as candidate:
            facts, created = candidate.facts, candidate.created
    except BackupProblem as exc:
        if exc.kind == "wrong_key" and recovery is not None:
            print(tr("Error: {message}", message=tr(
                "This recovery key belongs to another station: it does not open the backup "
                "{path}. Nothing was changed.", path=args.file)), file=sys.stderr)
        elif exc.kind == "wrong_key":
            print(tr("Error: {message}", message=tr(
                "The backup {path} is encrypted with another station's key (or this PC does "
                "not hold the station's key yet). Restore it with that station's recovery "
                "key: repair-station restore FILE --recovery-key-stdin", path=args.file)),
                file=sys.stderr)
        else:
            print(tr("Error: {message}", message=_problem_text(exc)), file=sys.stderr)
        return 2
    when = local_time(created) if created else tr("unknown")
    print(tr("Backup of station {station} ({name}) made {time}, schema {revision}.",
             station=facts.station_code or "-", name=facts.station_name or "-", time=when,
             revision=facts.revision or "-"))
    print(tr("Restoring it replaces the station data in {folder}: what was entered after "
             "the backup is lost on this computer (the current database is kept in the "
             "backup folder).", folder=paths.root))
    if not args.yes:
        try:
            answer = input(tr("Restore this backup? Type y to confirm: "))
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            print(tr("Cancelled; nothing was changed."))
            return 1
    try:
        done = restore_file(paths, args.file, max(args.wait, 0), recovery_key=recovery)
    except WindowRunning:
        print(tr("Error: {message}", message=tr(
            "The Repair Station window is open on this station and did not close. Close it, "
            "then restore again.")), file=sys.stderr)
        return EXIT_DAMAGED
    except BackupProblem as exc:
        print(tr("Error: {message}", message=_problem_text(exc)), file=sys.stderr)
        return 2
    open_services(paths.root).close()  # an older backup is migrated now (after its backup)
    if done.replaced is not None:
        print(tr("The replaced database is kept as {file}.", file=done.replaced))
    print(tr("Restored. The next sync sends the changes since the backup's last sync and "
             "fetches head office's changes again."))
    return 0
