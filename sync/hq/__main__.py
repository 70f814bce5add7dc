"""The ``repair-station-hq`` command: run the head-office server and administer it.

    repair-station-hq serve --db URL --host H --port P
    repair-station-hq --db URL add-station CODE --name NAME     (token on the last line)
    repair-station-hq --db URL revoke-station CODE | rotate-token CODE
    repair-station-hq --db URL add-device CODE --name NAME     (token on the last line)
    repair-station-hq --db URL devices CODE | revoke-device CODE NUMBER
    repair-station-hq --db URL dispatch CODE --customer N --phone P --address A --fault F
    repair-station-hq --db URL dispatch CODE --file orders.csv|orders.json
    repair-station-hq --db URL cancel ORDER_NUMBER_OR_ID --reason R
    repair-station-hq --db URL notice --title T --body B [--station CODE]
    repair-station-hq --db URL old-parts inspect TAG --result R [--note N] | receive RS-... | list
    repair-station-hq --db URL parts-order confirm PO_NUMBER [--line PART_NO=QTY ...] [--note N]
    repair-station-hq --db URL parts-order ship PO_NUMBER [--line PART_NO=QTY ...]
    repair-station-hq --db URL parts import FILE.csv    (the catalogue every station pulls)
    repair-station-hq --db URL policy import FILE.csv   (the warranty policy, 三包政策)
    repair-station-hq --db URL claims list [--station CODE] [--status S]
    repair-station-hq --db URL claims decide BATCH_NUMBER --line 1=approve
        --line 2=adjust:YUAN:REASON --line 3=reject:REASON [--approve-rest]
    repair-station-hq --db URL claims settle BATCH_NUMBER [--deduct YUAN --reason R]
        [--statement-no NO]
    repair-station-hq --db URL feedback list [--station CODE] [--cause C] [--model TEXT]
    repair-station-hq --db URL stations | conflicts | rejected | prune | after-restore
    repair-station-hq --db URL migrate     (bring the database to this program's schema)

Exit status: 0 done, 1 refused (the message says why), 2 bad command line.
It speaks Chinese to head office's operators; ``--lang en`` (anywhere on the line, or
REPAIR_STATION_HQ_LANG=en) for English (``sync.hq.i18n``). The server and every command check
the database's schema first: a new database gets it, an older one is refused until
``migrate`` has run (``sync.hq.migrations``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from sync.hq import catalogue, changes, claims, feedback, migrations, notify, old_parts, policy
from sync.hq import conflicts as hq_conflicts
from sync.hq.admin import AdminError, DispatchInput, HqAdmin, RevokeReport
from sync.hq.db import DEFAULT_URL, HqDatabase
from sync.hq.i18n import (
    LANG_ENV,
    columns,
    default_language,
    language_code,
    pad,
    render,
    set_language,
    tr,
    translate_parser,
    translating_argparse,
)
from sync.hq.models import utcnow
from sync.hq.parts_orders import parse_lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repair-station-hq",
                                     description="Repair Station head-office server and admin.")
    parser.add_argument("--db", default=DEFAULT_URL,
                        help=f"SQLAlchemy database URL (default {DEFAULT_URL}); PostgreSQL: "
                             "postgresql+psycopg://user:password@host/dbname")
    parser.add_argument("--lang", default=argparse.SUPPRESS, metavar="{zh_CN,en}",
                        help=f"the language of messages and help (default zh_CN; or {LANG_ENV})")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --db may also follow the command (``serve --db URL``); SUPPRESS keeps the global one
    db_too = argparse.ArgumentParser(add_help=False)
    db_too.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    db_too.add_argument("--lang", default=argparse.SUPPRESS, metavar="{zh_CN,en}",
                        help="the language of messages and help")

    serve = sub.add_parser("serve", parents=[db_too], help="run the sync server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--retention-days", type=int, default=changes.DEFAULT_RETENTION_DAYS,
                       help="keep change-log tombstones this long (default 90)")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (PostgreSQL; SQLite has one writer anyway)")
    serve.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM)")
    serve.add_argument("--ssl-keyfile", help="the certificate's private key (PEM)")
    serve.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--notify-every", type=int, default=0,
                       help="send the customer messages every so many seconds (0: not here)")
    notify.add_sender_options(serve)

    add = sub.add_parser("add-station", parents=[db_too],
                         help="register a station; prints its token once")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    for name, text in (("revoke-station", "revoke a station's token"),
                       ("rotate-token", "give a station a new token; the old one stops")):
        sub.add_parser(name, parents=[db_too], help=text).add_argument("code")

    add_dev = sub.add_parser("add-device", parents=[db_too],
                             help="add a device (PC, laptop) to a station; prints its token once")
    add_dev.add_argument("code")
    add_dev.add_argument("--name", required=True, help="what the station calls it")
    sub.add_parser("devices", parents=[db_too],
                   help="list a station's devices, their last sync and backlog"
                   ).add_argument("code")
    revoke_dev = sub.add_parser("revoke-device", parents=[db_too],
                                help="revoke one device's token at once (a lost laptop)")
    revoke_dev.add_argument("code")
    revoke_dev.add_argument("number", type=int, help="the device's number (devices CODE)")

    dispatch = sub.add_parser("dispatch", parents=[db_too],
                              help="dispatch service orders to a station")
    dispatch.add_argument("code")
    dispatch.add_argument("--file", type=Path, help="orders from a .csv or .json file")
    dispatch.add_argument("--customer")
    dispatch.add_argument("--phone")
    dispatch.add_argument("--address")
    dispatch.add_argument("--fault", default="")
    dispatch.add_argument("--type", default="repair", dest="order_type")
    dispatch.add_argument("--mode", default="on_site")
    dispatch.add_argument("--model", default="")
    dispatch.add_argument("--serial", default="")
    dispatch.add_argument("--purchase-date", default="")
    dispatch.add_argument("--warranty-months", type=int, default=12)
    dispatch.add_argument("--reference", default="", help="head office's own reference")

    cancel = sub.add_parser("cancel", parents=[db_too], help="cancel an order")
    cancel.add_argument("order", metavar="ORDER_NUMBER_OR_ID")
    cancel.add_argument("--reason", required=True)

    update = sub.add_parser("update-order", parents=[db_too],
                            help="edit a dispatched order's fields")
    update.add_argument("order", metavar="ORDER_NUMBER_OR_ID")
    update.add_argument("--fault", dest="fault_description")
    update.add_argument("--phone", dest="contact_phone")
    update.add_argument("--address", dest="service_address")
    update.add_argument("--type", dest="order_type")
    update.add_argument("--mode", dest="service_mode")

    notice = sub.add_parser("notice", parents=[db_too], help="publish a notice")
    notice.add_argument("--title", required=True)
    notice.add_argument("--body", required=True)
    notice.add_argument("--station", help="only this station (default: all)")

    parts_order = sub.add_parser("parts-order", parents=[db_too],
                                 help="confirm or ship a station's order of parts")
    po_sub = parts_order.add_subparsers(dest="parts_order_command", required=True,
                                        metavar="ACTION")
    for action, text in (("confirm", "confirm a submitted order (per line: fewer)"),
                         ("ship", "ship what is confirmed (per line: this shipment)")):
        po_cmd = po_sub.add_parser(action, parents=[db_too], help=text)
        po_cmd.add_argument("order", metavar="PO_NUMBER_OR_ID")
        po_cmd.add_argument("--line", action="append", metavar="PART_NO=QTY",
                            help="this part's quantity (repeat per part); default: all")
        if action == "confirm":
            po_cmd.add_argument("--note", default="", help="head office's note to the station")

    sub.add_parser("stations", parents=[db_too], help="list stations, last sync, backlog")
    conflicts = sub.add_parser("conflicts", parents=[db_too], help="list sync conflicts")
    conflicts.add_argument("--station")
    sub.add_parser("after-restore", parents=[db_too],
                   help="after restoring head office from a backup: stations re-download")
    rejected = sub.add_parser("rejected", parents=[db_too],
                              help="list station ops head office refused")
    rejected.add_argument("--station")
    old_parts.add_commands(sub, [db_too])
    catalogue.add_commands(sub, [db_too])
    policy.add_commands(sub, [db_too])
    claims.add_commands(sub, [db_too])
    feedback.add_commands(sub, [db_too])
    notify.add_commands(sub, [db_too])
    sub.add_parser("migrate", parents=[db_too],
                   help="bring the database to this program's schema (back it up first)")
    prune = sub.add_parser("prune", parents=[db_too], help="drop old change-log tombstones")
    prune.add_argument("--retention-days", type=int, default=changes.DEFAULT_RETENTION_DAYS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        set_language(_language_asked(argv))
    except ValueError:
        set_language(default_language())
        print(tr("error: --lang must be zh_CN or en"), file=sys.stderr)
        return 2
    with translating_argparse():
        parser = build_parser()
        translate_parser(parser)
        args = parser.parse_args(argv)
    try:
        safe_url = make_url(args.db).render_as_string(hide_password=True)
    except ArgumentError:
        print(tr("error: {url} is not a database URL", url=repr(args.db)), file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "migrate":
            return _migrate(args.db, safe_url)
        db = HqDatabase.open(args.db)
        try:
            return _admin(args, HqAdmin(db))
        finally:
            db.dispose()
    except (AdminError, migrations.HqSchemaError) as exc:
        print(tr("error: {message}", message=render(exc)), file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(tr("error: cannot use database {url}: {reason}", url=safe_url,
                 reason=str(exc.orig)), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(tr("error: {message}", message=render(exc)), file=sys.stderr)
        return 1


def _language_asked(argv: list[str]) -> str:
    """The language --lang names anywhere on the line (else the default), read before the
    parser is built so that its help and errors are in it too."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv):
            return language_code(argv[i + 1])
        if word.startswith("--lang="):
            return language_code(word.split("=", 1)[1])
    return default_language()


def _migrate(url: str, safe_url: str) -> int:
    db = HqDatabase.open(url, create=False)
    try:
        with db.engine.connect() as conn:
            found = migrations.state(conn)
        if found == "head":
            print(tr("The database {url} already has schema {head}; nothing to do.",
                     url=safe_url, head=migrations.SCHEMA_HEAD))
            return 0
        before, after = migrations.upgrade(db.engine)
        db.create_all()  # its counters and identity, where a new database lacks them
    finally:
        db.dispose()
    if found == "empty":
        print(tr("Head office's tables created in {url} (schema {head}).", url=safe_url,
                 head=after))
    elif found == "unstamped":
        print(tr("The database {url} (made before head office had migrations) was recognised "
                 "and brought to schema {head}; nothing was lost.", url=safe_url, head=after))
    else:
        print(tr("The database {url} was migrated from schema {before} to {head}.",
                 url=safe_url, before=before, head=after))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.hq.api import DB_ENV, RETENTION_ENV, create_app

    if not 0 < args.port < 65536:
        raise AdminError("port {port} is out of range", port=args.port)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise AdminError("HTTPS needs both --ssl-certfile and --ssl-keyfile")
    if not 1 <= args.workers <= 64:
        raise AdminError("--workers must be between 1 and 64")
    tls = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    if args.notify_every > 0:  # the customer messages, sent from this process
        notify.start_loop(HqDatabase.open(args.db), notify.senders_from(args),
                          args.notify_every, notify.policy_from(args))
    if args.workers == 1:
        app = create_app(args.db, retention_days=args.retention_days)
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, **tls)
        return 0
    # the schema checked (a new database created) once, not in every worker at once
    HqDatabase.open(args.db).dispose()
    os.environ[DB_ENV] = args.db
    os.environ[RETENTION_ENV] = str(args.retention_days)
    uvicorn.run("sync.hq.api:app_from_env", factory=True, workers=args.workers,
                host=args.host, port=args.port, log_level=args.log_level, **tls)
    return 0


def _admin(args: argparse.Namespace, admin: HqAdmin) -> int:
    cmd = args.command
    if cmd == "add-station":
        token = admin.add_station(args.code, args.name)
        print(tr("Station {code} added. Its token is shown only now; give it to the station "
                 "(repair-station register --token-stdin):", code=args.code.upper()))
        print(token)
    elif cmd == "revoke-station":
        admin.revoke_station(args.code)
        print(tr("Station {code}'s token is revoked.", code=args.code.upper()))
    elif cmd == "rotate-token":
        token = admin.rotate_token(args.code)
        print(tr("Station {code} has a new token; the old one no longer works:",
                 code=args.code.upper()))
        print(token)
    elif cmd == "add-device":
        row, token = admin.add_device(args.code, args.name)
        print(tr("Device {number} ({name}) added to station {code}. Its token is shown only "
                 "now; register the device with it (repair-station register --token-stdin):",
                 number=row.number, name=row.name, code=args.code.upper()))
        print(token)
    elif cmd == "devices":
        _print_devices(admin, args.code)
    elif cmd == "revoke-device":
        _print_revoked(admin.revoke_device(args.code, args.number))
    elif cmd == "dispatch":
        orders = _dispatch_inputs(args)
        for d in admin.dispatch(args.code, orders):
            print(f"{d.number}  {d.order_id}")
        print(tr("{n} order(s) dispatched to {code}.", n=len(orders), code=args.code.upper()))
    elif cmd == "cancel":
        c = admin.cancel(args.order, args.reason)
        if c.conflict:
            print(tr("Order {number} was already finished at the station: the cancel is sent "
                     "but recorded as a conflict for a person to settle.", number=c.number))
        else:
            print(tr("Order {number} cancelled; the station learns it at its next sync.",
                     number=c.number))
    elif cmd == "update-order":
        fields = {k: getattr(args, k) for k in ("fault_description", "contact_phone",
                                                "service_address", "order_type",
                                                "service_mode") if getattr(args, k) is not None}
        admin.update_order(args.order, fields)
        print(tr("Order {number} updated; the station learns it at its next sync.",
                 number=args.order))
    elif cmd == "parts-order":
        _parts_order(args, admin)
    elif cmd == "notice":
        notice_id = admin.notice(args.title, args.body, args.station)
        print(tr("Notice {id} published to {to}.", id=notice_id,
                 to=args.station.upper() if args.station else tr("all stations")))
    elif cmd == "stations":
        _print_stations(admin)
    elif cmd == "conflicts":
        rows = admin.conflicts(args.station)
        for r in rows:
            print(hq_conflicts.format_conflict(r, _time(r.created_at)))
        settled = sum(1 for r in rows if r.settled)
        print(tr("{n} conflict(s). {settled} settled at the station.", n=len(rows),
                 settled=settled))
    elif cmd == "rejected":
        refused = admin.rejected(args.station)
        for x in refused:
            print(f"{_time(x.created_at)}  {x.station}  seq {x.seq}  {x.op} {x.entity} "
                  f"{x.entity_id}\n    {x.reason}")
        print(tr("{n} rejected op(s).", n=len(refused)))
    elif cmd == "after-restore":
        first = admin.after_restore()
        print(tr("Change log moved on to {first}: every station re-downloads head office's "
                 "data (snapshot) at its next sync and re-sends what the backup lacks.",
                 first=first))
    elif cmd == "old-parts":
        return old_parts.run_command(args, admin.db, admin.clock)
    elif cmd == "parts":
        return catalogue.run_command(args, admin.db, admin.clock)
    elif cmd == "policy":
        return policy.run_command(args, admin.db, admin.clock)
    elif cmd == "claims":
        return claims.run_command(args, admin.db, admin.clock)
    elif cmd == "feedback":
        return feedback.run_command(args, admin.db, admin.clock)
    elif cmd == "notify":
        return notify.run_command(args, admin.db, admin.clock)
    elif cmd == "prune":
        gone = changes.prune(admin.db, utcnow(), args.retention_days)
        print(tr("{n} change-log row(s) older than {days} days removed.", n=gone,
                 days=args.retention_days))
    return 0


def _parts_order(args: argparse.Namespace, admin: HqAdmin) -> None:
    lines = parse_lines(args.line)
    if args.parts_order_command == "confirm":
        answer = admin.confirm_parts_order(args.order, lines, args.note)
    else:
        answer = admin.ship_parts_order(args.order, lines)
    print(f"{pad(tr('PART'), 32)} {pad(tr('ORDERED'), 8, True)} "
          f"{pad(tr('CONFIRMED'), 10, True)} {pad(tr('SHIPPED'), 8, True)}")
    for line in answer.lines:
        print(f"{line.part_no:<32} {line.ordered:>8} {line.confirmed:>10} {line.shipped:>8}")
    print(tr("Parts order {number} {status}; the station learns it at its next sync.",
             number=answer.number, status=tr(answer.status)))


def _dispatch_inputs(args: argparse.Namespace) -> list[DispatchInput]:
    one = [args.customer, args.phone, args.address]
    if args.file is not None:
        if any(x is not None for x in one):
            raise AdminError("Give either --file or --customer/--phone/--address, not both.")
        from sync.hq.dispatch_file import read_orders

        return read_orders(args.file)
    if any(x is None for x in one):
        raise AdminError("dispatch needs --customer, --phone and --address (and --fault for a "
                         "repair), or --file.")
    return [DispatchInput(args.customer, args.phone, args.address, args.fault,
                          args.order_type, args.mode, args.model, args.serial,
                          args.purchase_date, args.warranty_months, args.reference)]


def _print_stations(admin: HqAdmin) -> None:
    rows = admin.stations()
    print(f"{pad(tr('CODE'), 16)} {pad(tr('NAME'), 24)} {pad(tr('LAST SYNC (UTC)'), 19)} "
          f"{pad(tr('BACKLOG'), 7, True)} {pad(tr('HIGH WATER'), 10, True)}  {tr('REVOKED')}")
    for r in rows:
        print(f"{r.code:<16} {pad(_cut(r.name, 24), 24)} {pad(_time(r.last_sync), 19)} "
              f"{r.backlog:>7} {r.high_water:>10}  {tr('yes') if r.revoked else tr('no')}")
    print(tr("{n} station(s).", n=len(rows)))


def _print_devices(admin: HqAdmin, code: str) -> None:
    rows = admin.devices(code)
    print(f"{pad(tr('NO.'), 4, True)} {pad(tr('NAME'), 24)} {pad(tr('TAG'), 4)} "
          f"{pad(tr('LAST PUSH (UTC)'), 19)} {pad(tr('LAST PULL (UTC)'), 19)} "
          f"{pad(tr('HIGH WATER'), 10, True)} {pad(tr('BACKLOG'), 7, True)}  {tr('STATE')}")
    for r in rows:
        state = (tr("revoked") if r.revoked else tr("primary") if r.primary
                 else tr("active"))
        print(f"{r.number:>4} {pad(_cut(r.name, 24), 24)} {pad(r.tag or '-', 4)} "
              f"{pad(_time(r.last_push_at), 19)} {pad(_time(r.last_pull_at), 19)} "
              f"{r.high_water:>10} {r.backlog:>7}  {state}")
    print(tr("{n} device(s).", n=len(rows)))


def _print_revoked(report: RevokeReport) -> None:
    print(tr("Device {number} ({name}) of station {code} is revoked; it can no longer sync.",
             number=report.number, name=report.name, code=report.code))
    print(tr("Last push: {push}. Last pull: {pull}. Head office holds its ops up to seq "
             "{high_water}; whatever the device made after that never reached head office.",
             push=_time(report.last_push_at), pull=_time(report.last_pull_at),
             high_water=report.high_water))
    if report.last_ops:
        print(tr("The last ops head office received from it:"))
        for o in report.last_ops:
            print(f"  seq {o.seq}  {_time(o.received_at)}  {o.op} {o.entity} {o.entity_id}  "
                  f"{o.username}  {o.status}")
    else:
        print(tr("Head office never received an op from it."))
    if report.new_primary is not None:
        print(tr("Device {number} is now the station's primary device; it re-downloads head "
                 "office's data at its next sync.", number=report.new_primary))
    if report.active_left == 0:
        print(tr("Station {code} now has no active device; add one with add-device (or "
                 "rotate-token for device 1).", code=report.code))


def _cut(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal columns."""
    while columns(text) > width:
        text = text[:-1]
    return text


def _time(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else tr("never")


if __name__ == "__main__":
    sys.exit(main())
