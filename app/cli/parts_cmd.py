"""``parts``: the catalogue and the stock from the command line.

``repair-station --data-dir D parts import FILE.csv`` loads head office's catalogue file
offline, for a station that has not synced yet (all rows or none: each bad row is named by
line and column, exit 2). ``repair-station parts stock [--low] [--search TEXT]`` prints the
stock list, one part a line: part number, name, on-hand, reserved, value at station price
(tab-separated under a header line, so a script or Excel can read it; a text that would
start a formula there gets a leading apostrophe).

Who acts: like ``sync`` and ``register``, the command acts as the station's manager. A
headless command has nobody logged in, and the person at this keyboard owns the data folder
(they can read and copy the database file itself); the import is what a manager does while
setting a station up, often before any user could sync, and it writes an audit entry under
the user name ``cli``. The folder must already hold a station: a mistyped ``--data-dir``
must not create an empty one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.bootstrap import Services, open_services
from app.domain import validation as v
from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.paths import DataPaths, default_data_dir
from app.services.context import Actor
from app.store.migrate import DatabaseTooNew

#: the person at the keyboard of a headless command owns the data folder
CLI_ACTOR = Actor(user_id="", username="cli", display_name="command line", role=Role.MANAGER)


#: what a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@")


def _cell(text: str) -> str:
    """One field of a line: no tab or line break (a name from head office is not checked for
    them), and never a formula when the list is opened in Excel."""
    text = " ".join(text.replace("\t", " ").splitlines())
    return "'" + text if text.startswith(FORMULA_START) else text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("parts", help="parts catalogue and stock")
    cmds = parser.add_subparsers(dest="parts_command", metavar="ACTION", required=True)
    imp = cmds.add_parser("import", help="import head office's parts catalogue (CSV)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(handler=run_import)
    stock = cmds.add_parser("stock", help="print the stock list, one part a line")
    stock.add_argument("--low", action="store_true",
                       help="only parts at or below their low-stock threshold")
    stock.add_argument("--search", default="", metavar="TEXT",
                       help="part number prefix, name or compatible model")
    stock.set_defaults(handler=run_stock)


def _open(args: argparse.Namespace) -> Services | None:
    paths = DataPaths(args.data_dir or default_data_dir())
    if not paths.database.exists():
        print(tr("Error: no station data in {folder}.", folder=paths.root), file=sys.stderr)
        return None
    try:
        return open_services(paths.root)
    except DatabaseTooNew as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return None


def run_import(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        done = services.catalogue.import_csv(CLI_ACTOR, args.file)
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(tr("Imported {rows} parts from {file}: {added} new, {updated} updated, "
             "{unchanged} unchanged, {skipped} kept as head office sent them.",
             rows=done.rows, file=args.file, added=done.added, updated=done.updated,
             unchanged=done.unchanged, skipped=done.skipped_from_hq))
    return 0


def run_stock(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    count = value = 0
    try:
        print("\t".join((tr("Part number"), tr("Part name"), tr("On hand"), tr("Reserved"),
                         tr("Value (yuan)"))))
        after: str | None = None
        while True:
            page = services.stock.stock_list(args.search, low=args.low, after=after,
                                             limit=500)
            for row in page:
                print(f"{_cell(row.part_no)}\t{_cell(row.name)}\t{row.on_hand}\t"
                      f"{row.reserved}\t{v.format_fen(row.value_fen)}")
                value += row.value_fen
            count += len(page)
            if len(page) < 500:
                break
            after = page[-1].part_no
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(tr("{count} parts, worth {value} yuan at station price.", count=count,
             value=v.format_fen(value)), file=sys.stderr)
    return 0
