"""``print``: renders a registered document to a PDF file: a paper of an order (report,
work-order), a sale's receipt, a count sheet, a shipment's manifest or old-part tags, a
quality feedback card (``print feedback-card QF-BJ001-20260601-0001 -o card.pdf``), a
technician's route sheet of a day (``print route-sheet wang --date 2026-06-01 -o route.pdf``:
NUMBER is his username).

``repair-station --data-dir D print report SO-BJ001-20260601-0001 -o report.pdf --paper A5``,
``repair-station print receipt SA-BJ001-20260601-0001 -o r.pdf --paper 80MM``; every document
joins as ``print <name> ...`` through the printing registry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.bootstrap import open_services
from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.paths import DataPaths, default_data_dir
from app.printing.data import Paper
from app.printing.registry import names
from app.services.errors import NotFound


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("print", help="print a document to a PDF file")
    parser.add_argument("document", choices=names(), help="which document")
    parser.add_argument("order", metavar="NUMBER",
                        help="number of the order (SO-...), sale (SA-...), count (PC-...), "
                             "shipment (RS-...), claim batch (CB-...; for settlement also "
                             "the statement's number) or feedback card (QF-...) the document "
                             "is about, or its id; for route-sheet the technician's username")
    parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--paper", choices=[p.value for p in Paper], default=None,
                        type=str.upper,
                        help="paper size (default: the document's first, A4 for orders)")
    parser.add_argument("--date", default=None,
                        help="route-sheet: the day (YYYY-MM-DD, default today); NUMBER is "
                             "the technician's username")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths = DataPaths(args.data_dir or default_data_dir())
    if not paths.database.exists():
        # opening would create an empty station there: a mistyped folder must not
        print(tr("Error: no station data in {folder}.", folder=paths.root), file=sys.stderr)
        return 2
    services = open_services(paths.root)
    try:
        path = services.reports.render(args.document, _key(args), args.paper, args.output)
    except NotFound:
        print(tr("Error: {number} was not found.", number=args.order), file=sys.stderr)
        return 2
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    except OSError as exc:
        print(tr("Error: cannot write {path}: {reason}", path=args.output,
                 reason=exc.strerror or exc), file=sys.stderr)
        return 2
    finally:
        services.close()
    print(tr("Wrote {path}", path=path))
    return 0


def _key(args: argparse.Namespace) -> str:
    """The record the document is about: a route sheet's is the technician and the day."""
    if args.document != "route-sheet":
        return args.order
    from datetime import date

    from app.services.route_sheets import parse_day, sheet_key

    return sheet_key(args.order, date.today() if args.date is None else parse_day(args.date))
