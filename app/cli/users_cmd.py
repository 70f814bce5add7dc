"""``users``: the station's accounts from the command line.

``repair-station [--data-dir D] users list`` prints every account (user name, name, role,
whether it is active). ``repair-station [--data-dir D] users reset-password USERNAME
--password-stdin`` sets a new password for a station manager who forgot his own: whoever can
read the data folder already owns the data, so the command asks for no other password. The
new password comes from standard input (never the command line, where other users see it;
typed at a terminal it is not echoed and is asked twice); the lockout is cleared and the
audit trail says "reset by the command line".

Exit codes: 0 done, 2 unknown user, a refused password or no station data.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli.parts_cmd import _open
from app.domain.errors import RuleViolation
from app.i18n import label, render, tr


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help="the station's accounts (用户)")
    cmds = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    listing = cmds.add_parser("list", help="list the accounts")
    listing.set_defaults(handler=run_list)
    reset = cmds.add_parser("reset-password", help="set a user's new password")
    reset.add_argument("username", metavar="USERNAME")
    reset.add_argument("--password-stdin", action="store_true", required=True,
                       help="read the new password from standard input")
    reset.set_defaults(handler=run_reset)


def run_list(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        for user in services.users.list_users(active_only=False):
            state = tr("active") if user.active else tr("deactivated")
            print(f"{user.username}\t{user.display_name}\t{label(user.role)}\t{state}")
        return 0
    finally:
        services.close()


def _read_password() -> str | None:
    """The password from standard input: at a terminal asked twice without echo (None when
    the two differ), else the first line."""
    if sys.stdin.isatty():
        first = getpass.getpass(tr("New password: "))
        again = getpass.getpass(tr("New password again: "))
        return first if first == again else None
    return sys.stdin.readline().rstrip("\r\n")


def run_reset(args: argparse.Namespace) -> int:
    password = _read_password()
    if password is None:
        print(tr("Error: {message}", message=tr("The two passwords differ.")), file=sys.stderr)
        return 2
    if not password:
        print(tr("Error: {message}", message=tr("No password on standard input.")),
              file=sys.stderr)
        return 2
    services = _open(args)
    if services is None:
        return 2
    try:
        user = services.users.reset_password_by_command_line(args.username, password)
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(tr("New password set for {username} ({name}); the account is unlocked.",
             username=user.username, name=user.display_name))
    return 0
