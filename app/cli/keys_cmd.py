"""``unlock`` and ``recovery-key``: the station key from the command line.

``repair-station [--data-dir D] unlock --recovery-key-stdin`` opens a station's encrypted data
on a PC that does not hold its key (data copied from another PC, Windows reinstalled): the
recovery key from standard input (typed at a terminal it is not echoed; spaces, dashes and
small letters do not matter) is checked against the database, then kept on this PC, so the
window and every command open the data again.

``repair-station [--data-dir D] recovery-key show --user USERNAME --password-stdin`` prints the
station's recovery key for a station manager who types his own password (a wrong one counts
towards the lockout; the audit records it). The key goes to standard output alone.

Exit codes: 0 done; 2 no station data, no key typed, a mistyped key, a refused password or
user; 3 the key does not open this data (another station's key), as every command says when
this PC cannot open the data (``app.cli._guarded``).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.paths import DataPaths, default_data_dir
from app.services.context import Actor

EXIT_REFUSED = 2
EXIT_KEY = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    unlock = subparsers.add_parser(
        "unlock", help="open the station's encrypted data on this PC with its recovery key")
    unlock.add_argument("--recovery-key-stdin", action="store_true", required=True,
                        help="read the recovery key from standard input")
    unlock.set_defaults(handler=run_unlock)
    parser = subparsers.add_parser("recovery-key", help="the station's recovery key (恢复密钥)")
    cmds = parser.add_subparsers(dest="recovery_command", metavar="ACTION", required=True)
    show = cmds.add_parser("show", help="print the recovery key (a station manager)")
    show.add_argument("--user", required=True, metavar="USERNAME",
                      help="the station manager's user name")
    show.add_argument("--password-stdin", action="store_true", required=True,
                      help="read the manager's password from standard input")
    show.set_defaults(handler=run_show)


def _error(message: str) -> None:
    print(tr("Error: {message}", message=message), file=sys.stderr)


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def run_unlock(args: argparse.Namespace) -> int:
    from app.store import sqlite_driver, store_encryption
    from app.store.key_seal import default_key_seal
    from app.store.sqlite_driver import StoreKeyWrong
    from app.store.store_key import RecoveryKeyInvalid

    paths = DataPaths(args.data_dir or default_data_dir())
    if not paths.database.exists():
        print(tr("Error: no station data in {folder}.", folder=paths.root), file=sys.stderr)
        return EXIT_REFUSED
    if sqlite_driver.is_plain(paths.database):
        _error(tr("The station's data in {folder} is not encrypted yet, so it needs no "
                  "recovery key: it is encrypted at the next start.", folder=paths.root))
        return EXIT_REFUSED
    text = " ".join(_read_secret(tr("Recovery key: ")).split())
    if not text:
        _error(tr("No recovery key on standard input."))
        return EXIT_REFUSED
    seal = default_key_seal(paths.root)
    try:
        key = store_encryption.unlock(paths.database, seal, text)
    except RecoveryKeyInvalid as exc:
        _error(render(exc))
        return EXIT_REFUSED
    except StoreKeyWrong:
        _error(tr("This recovery key does not open the station's data in {folder}: it is "
                  "another station's key.", folder=paths.root))
        return EXIT_KEY
    print(tr("The recovery key opens the station's data (key ID {key_id}); this PC now keeps "
             "the key ({where}).", key_id=key.key_id, where=seal.where))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from app.cli.parts_cmd import _open

    password = _read_secret(tr("Password: "))
    if not password:
        _error(tr("No password on standard input."))
        return EXIT_REFUSED
    services = _open(args)
    if services is None:
        return EXIT_REFUSED
    try:
        name = args.user.strip().lower()
        user = next((u for u in services.users.list_users() if u.username == name), None)
        if user is None:
            _error(tr("There is no user '{name}'.", name=name))
            return EXIT_REFUSED
        actor = Actor(user.id, user.username, user.display_name, user.role)
        text = services.store_keys.recovery_key(actor, password)
        key_id = services.store_keys.protection().key_id
    except RuleViolation as exc:
        _error(render(exc))
        return EXIT_REFUSED
    finally:
        services.close()
    print(text)
    print(tr("Key ID {key_id}. Keep the recovery key locked away: whoever holds it and a copy "
             "of the data reads every customer.", key_id=key_id), file=sys.stderr)
    return 0
