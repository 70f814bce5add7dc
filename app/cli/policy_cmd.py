"""``policy``: the warranty policy (三包政策) from the command line.

``repair-station --data-dir D policy import FILE.csv`` loads head office's policy file
offline, for a station without a line (all rows or none: each bad row is named by line and
column, exit 2); the next policy head office publishes replaces it. ``repair-station policy
show`` prints the policy in force: its name, where it came from, the periods per category and
key part, the labour fees and the travel bands. ``repair-station policy demo -o FILE.csv``
writes the demo policy as a file to start from.

Who acts: like ``parts import``, the command acts as the station's manager (the person at the
keyboard owns the data folder), under the user name ``cli``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.parts_cmd import CLI_ACTOR, _open
from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.i18n import label, render, tr
from app.services.warranty_policy import DEMO_POLICY_CSV


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("policy", help="warranty policy (三包政策)")
    cmds = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    imp = cmds.add_parser("import", help="import head office's warranty policy (CSV)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(handler=run_import)
    show = cmds.add_parser("show", help="print the warranty policy in force")
    show.set_defaults(handler=run_show)
    demo = cmds.add_parser("demo", help="write the demo policy as a CSV file")
    demo.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv")
    demo.set_defaults(handler=run_demo)


def run_import(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        before = services.policy.current()
        info = services.policy.import_file(CLI_ACTOR, args.file)
    except RuleViolation as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    finally:
        services.close()
    if before.applied_at is not None and before.applied_at == info.applied_at:
        print(tr("The warranty policy {name} is already in force; nothing was imported.",
                 name=info.label or "-"))
    else:
        print(tr("Imported the warranty policy {name} from {file}.", name=info.label or "-",
                 file=args.file))
    return 0


def run_show(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        info = services.policy.current()
    finally:
        services.close()
    if not info.source:
        print(tr("No warranty policy yet: each product's own warranty months apply."))
        return 0
    policy = info.policy
    print(tr("Warranty policy {name} ({source}), in force since {when}.",
             name=info.label or "-", source=tr(_SOURCES.get(info.source, info.source)),
             when=info.applied_at.strftime("%Y-%m-%d %H:%M") if info.applied_at else "-"))
    for c in policy.categories:
        print(tr("{category}: models {prefixes}, whole unit {months} months",
                 category=c.name, prefixes="|".join(c.model_prefixes), months=c.unit_months))
        for r in policy.key_parts:
            if r.category == c.name:
                print("  " + tr("{part} ({prefix}): {months} months", part=r.name,
                                prefix=r.part_prefix, months=r.months))
    for f in policy.labour:
        print(tr("Labour {order_type} / {category}: {fee} yuan", order_type=label(f.order_type),
                 category=tr("all categories") if f.category == "*" else f.category,
                 fee=v.format_fen(f.fee_fen)))
    for b in policy.travel:
        print(tr("Travel up to {km} km: {fee} yuan", km=b.up_to_km, fee=v.format_fen(b.fee_fen)))
    if policy.invoice_required:
        print(tr("An invoice is required for warranty service."))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    try:
        Path(args.output).write_text(DEMO_POLICY_CSV, encoding="utf-8-sig")
    except OSError as exc:
        print(tr("Error: {message}", message=exc.strerror or str(exc)), file=sys.stderr)
        return 2
    print(tr("Wrote the demo warranty policy to {file}.", file=args.output))
    return 0


_SOURCES = {"hq": "from head office", "file": "imported from a file"}
