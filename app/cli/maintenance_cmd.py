"""``maintenance``: the maintenance reminders (保养提醒) from the command line.

``repair-station [--data-dir D] maintenance due [--days N]`` prints the products due for
their periodic maintenance by today + N days (30 unless given), the overdue first, one a
line: due date, days overdue, customer, phone, address, model, serial, last service.
``--csv F`` or ``--xlsx F`` writes the same list as the call list of a campaign instead.

Who acts: like ``parts import``, the command acts as the station's manager (the person at the
keyboard owns the data folder), under the user name ``cli``; the export is audited as such.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.parts_cmd import CLI_ACTOR, _cell, _open
from app.domain.errors import RuleViolation
from app.i18n import label, render, tr
from app.services.maintenance import DEFAULT_DAYS, MAX_EXPORT, check_days

#: the printed list stops here (the export holds every row)
MAX_PRINTED = 1000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("maintenance", help="maintenance reminders (保养提醒)")
    cmds = parser.add_subparsers(dest="maintenance_command", metavar="ACTION", required=True)
    due = cmds.add_parser("due", help="list the products due for maintenance")
    due.add_argument("--days", type=int, default=DEFAULT_DAYS, metavar="N",
                     help=f"due by today + N days (default {DEFAULT_DAYS})")
    out = due.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, metavar="FILE.csv", help="write the list as .csv")
    out.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="write the list as .xlsx")
    due.set_defaults(handler=run_due)


def run_due(args: argparse.Namespace) -> int:
    try:
        check_days(args.days)
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    services = _open(args)
    if services is None:
        return 2
    target = args.csv or args.xlsx
    try:
        if target is not None:
            done = services.maintenance.export(CLI_ACTOR, target, args.days)
            print(tr("Wrote {rows} products due for maintenance to {file}.", rows=done.rows,
                     file=done.path))
            return 0
        page = services.maintenance.due(args.days, limit=MAX_PRINTED)
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(tr("{count} products due for maintenance by {horizon} (today {today}).",
             count=page.total, horizon=page.horizon.isoformat(), today=page.today.isoformat()))
    for r in page.rows:
        overdue = tr("{days} days overdue", days=r.overdue_days) if r.overdue else ""
        print("\t".join(_cell(x) for x in (
            r.due_on.isoformat(), overdue, r.customer_name, r.phone, r.address, r.model,
            r.serial_no, f"{r.last_service.isoformat()} {label(r.basis)}")))
    if page.total > len(page.rows):
        print(tr("... and {more} more; write the whole list with --csv or --xlsx (at most "
                 "{limit} rows).", more=page.total - len(page.rows), limit=MAX_EXPORT))
    return 0
