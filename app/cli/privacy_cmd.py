"""``customer``: a customer's personal data on request (个人信息查阅/删除, PIPL).

``repair-station [--data-dir D] customer export CUSTOMER --to FILE.zip`` writes everything the
station holds about the customer (个人信息.pdf, data.json, photos/) into one .zip;
``repair-station customer erase CUSTOMER --requested-by TEXT --reason TEXT [--yes]`` erases
the customer's personal data (the orders stay, without it) and sends the erasure to head office
at the next sync. CUSTOMER is the customer file's id or a phone only that customer has.
Without ``--yes`` the erasure asks to type 删除 (or "erase") first.

Who acts: like ``maintenance due --csv``, the command acts as the station's manager under the
user name ``cli`` (the person at the keyboard owns the data folder); both are audited as such.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.parts_cmd import CLI_ACTOR, _open
from app.domain.errors import RuleViolation
from app.i18n import render, tr

#: what the person types to confirm an erasure (either)
CONFIRM_WORDS = ("删除", "erase")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("customer", help="a customer's personal data on request")
    cmds = parser.add_subparsers(dest="customer_command", metavar="ACTION", required=True)
    export = cmds.add_parser("export", help="write everything held about a customer to a .zip")
    export.add_argument("customer", metavar="CUSTOMER", help="customer id or unique phone")
    export.add_argument("--to", type=Path, required=True, metavar="FILE.zip")
    export.set_defaults(handler=run_export)
    erase = cmds.add_parser("erase", help="erase a customer's personal data")
    erase.add_argument("customer", metavar="CUSTOMER", help="customer id or unique phone")
    erase.add_argument("--requested-by", required=True, metavar="TEXT",
                       help="who asked for the erasure")
    erase.add_argument("--reason", required=True, metavar="TEXT")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm")
    erase.set_defaults(handler=run_erase)


def _fail(exc: RuleViolation) -> int:
    print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
    return 2


def run_export(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        customer_id = services.privacy.find(args.customer)
        done = services.privacy.export_customer(CLI_ACTOR, customer_id, args.to)
    except RuleViolation as exc:
        return _fail(exc)
    finally:
        services.close()
    print(tr("Wrote the customer's personal data ({orders} orders, {photos} photos) to "
             "{file}.", orders=done.orders, photos=done.photos, file=done.path))
    if done.missing_photos:
        print(tr("{n} photos could not be read at this station; data.json names them.",
                 n=done.missing_photos), file=sys.stderr)
    return 0


def run_erase(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        customer_id = services.privacy.find(args.customer)
        if not args.yes:
            print(tr("The customer's name, phones, address and notes will be erased from "
                     "every record, the audit and the data waiting for head office; the "
                     "orders stay (numbers, dates, products, faults, charges, amounts)."))
            print(tr("Type 删除 to erase: "), end="", flush=True)
            answer = sys.stdin.readline().strip()
            if answer not in CONFIRM_WORDS:
                print(tr("Nothing was erased."), file=sys.stderr)
                return 1
        done = services.privacy.erase_customer(CLI_ACTOR, customer_id, args.requested_by,
                                                args.reason)
    except RuleViolation as exc:
        return _fail(exc)
    finally:
        services.close()
    print(tr("Erased the customer's personal data ({orders} orders kept); head office "
             "erases its copy at the next sync.", orders=done.orders))
    return 0
