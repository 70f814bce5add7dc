"""``register`` and ``sync``: join head office, and run one sync for a scheduler.

``repair-station --data-dir D register --hq URL --station CODE --token-stdin [--ca-bundle P]``
reads the token from standard input (never the command line, where other users see it),
checks it against head office and stores it in the keyring or a user-only file.
``repair-station --data-dir D sync`` runs one sync, prints progress, and exits non-zero with
a clear reason when it fails (the exit code says which kind of failure).

On an EMPTY data folder ``register`` joins the station as a new device with a device token
(``repair-station-hq add-device``): the station's data is downloaded with progress lines on
standard error; Ctrl+C stops it between pages and running ``register`` again goes on.
``repair-station devices`` lists the station's devices with their last sync;
``repair-station unsent [--csv FILE]`` lists what head office never received.
"""

from __future__ import annotations

import argparse
import sys

from app.bootstrap import Services, open_services
from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.services.context import Actor
from app.store.migrate import DatabaseTooNew
from sync import protocol as p
from sync.client import SyncError

#: the person at the keyboard of a headless command owns the data folder
CLI_ACTOR = Actor(user_id="", username="cli", display_name="command line", role=Role.MANAGER)

EXIT_CODES = {
    SyncError.NOT_REGISTERED: 2,
    SyncError.UNAUTHORIZED: 3,
    SyncError.REVOKED: 3,
    SyncError.UPGRADE_REQUIRED: 4,
    SyncError.OFFLINE: 5,
    SyncError.SERVER: 5,
    SyncError.TLS: 6,
    SyncError.PROTOCOL: 7,
    SyncError.BUSY: 8,
    SyncError.CANCELLED: 9,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    reg = subparsers.add_parser("register", help="register this station with head office")
    reg.add_argument("--hq", required=True, help="head-office address, https://...")
    reg.add_argument("--station", required=True, help="this station's code at head office")
    reg.add_argument("--token-stdin", action="store_true", required=True,
                     help="read the station token from standard input")
    reg.add_argument("--ca-bundle", default=None, help="company CA bundle (PEM file)")
    reg.add_argument("--offline", action="store_true",
                     help="with no line: a device set up from another device's backup takes "
                          "its device token now; head office checks it at the first sync")
    reg.set_defaults(handler=run_register)
    sync = subparsers.add_parser("sync", help="run one sync with head office")
    sync.set_defaults(handler=run_sync)
    devices = subparsers.add_parser("devices", help="list this station's devices")
    devices.set_defaults(handler=run_devices)
    unsent = subparsers.add_parser("unsent", help="list the changes head office never received")
    unsent.add_argument("--csv", default=None, help="write them to this .csv file")
    unsent.set_defaults(handler=run_unsent)


def _open(args: argparse.Namespace) -> Services | None:
    try:
        return open_services(args.data_dir)
    except DatabaseTooNew as exc:
        print(f"{tr('Error')}: {exc}", file=sys.stderr)
        return None


def run_register(args: argparse.Namespace) -> int:
    token = sys.stdin.readline().strip()
    if not token:
        print(tr("No token on standard input."), file=sys.stderr)
        return 2
    services = _open(args)
    if services is None:
        return 2
    offline = getattr(args, "offline", False)
    if offline and (services.join.is_empty() or p.token_device(token) is None):
        services.close()
        print(tr("Registering with no line needs a device token (it begins d2., d3., …)."),
              tr("Restore another device's backup into this data folder first."),
              file=sys.stderr)
        return 2
    if services.join.is_empty() or services.join.pending():
        return _join(services, args, token)
    try:
        services.sync.register(CLI_ACTOR, args.hq, args.station, token, args.ca_bundle,
                               check=not offline)
    except SyncError as exc:
        print(f"{tr('Registration failed')}: {render(exc)}", file=sys.stderr)
        return EXIT_CODES.get(exc.code, 1)
    except RuleViolation as exc:
        print(f"{tr('Registration failed')}: {render(exc)}", file=sys.stderr)
        return 2
    finally:
        services.close()
    if offline:
        number = p.token_device(token) or 1
        print(tr("Registered with no line as device {n} of station {code}; head office checks "
                 "the token at the first sync.", n=number, code=args.station.strip().upper()))
        return 0
    print(tr("Registered with head office {url} as station {code}.", url=args.hq.strip(),
             code=args.station.strip().upper()))
    return 0


def _join(services: Services, args: argparse.Namespace, token: str) -> int:
    def progress(stage: str, done: int, total: int) -> None:
        line = f"{tr('Downloading the station')}: {done}/{total}" if total else \
            f"{tr('Downloading the station')}: {done}"
        print(f"\r{line}", end="", file=sys.stderr, flush=True)

    try:
        report = services.join.start(CLI_ACTOR, args.hq, args.station, token, args.ca_bundle,
                                     progress)
    except KeyboardInterrupt:
        services.join.cancel()
        print(f"\n{tr('Stopped. Run register again to go on from where it stopped.')}",
              file=sys.stderr)
        return EXIT_CODES[SyncError.CANCELLED]
    except SyncError as exc:
        print(f"\n{tr('Joining failed')}: {render(exc)}", file=sys.stderr)
        return EXIT_CODES.get(exc.code, 1)
    except RuleViolation as exc:
        print(f"\n{tr('Joining failed')}: {render(exc)}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(file=sys.stderr)
    if report.cancelled:
        print(tr("Stopped. Run register again to go on from where it stopped."),
              file=sys.stderr)
        return EXIT_CODES[SyncError.CANCELLED]
    print(tr("Joined station {code} as device {n} ({name}): {done} records downloaded.",
             code=report.station_code, n=report.device_number, name=report.device_name,
             done=report.done))
    return 0


def run_devices(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        status = services.sync.device_status()
    finally:
        services.close()
    if not status.devices:
        print(tr("Head office has not listed this station's devices yet (sync first)."))
        return 0
    never = tr("never")
    for d in status.devices:
        mark = "*" if d.this_device else " "
        state = tr("stopped") if d.revoked else ""
        push = d.last_push_at.strftime("%Y-%m-%d %H:%M") if d.last_push_at else never
        pull = d.last_pull_at.strftime("%Y-%m-%d %H:%M") if d.last_pull_at else never
        print(f"{mark} {d.number:>2} {d.tag or '-':<2} {d.name}  "
              f"{tr('sent')} {push}  {tr('received')} {pull}  {state}".rstrip())
    return 0


def run_unsent(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    try:
        if args.csv:
            try:
                count = services.sync.export_unsent(CLI_ACTOR, args.csv)
            except (RuleViolation, OSError) as exc:
                message = render(exc) if isinstance(exc, RuleViolation) else str(exc)
                print(f"{tr('Error')}: {message}", file=sys.stderr)
                return 2
            print(tr("{n} changes head office never received written to {path}.", n=count,
                     path=args.csv))
            return 0
        rows = services.sync.unsent_changes(CLI_ACTOR, limit=1_000_000)
    finally:
        services.close()
    for r in rows:
        print(f"{r.seq:>7} {r.created_at:%Y-%m-%d %H:%M} {r.username:<12} {r.action:<16} "
              f"{r.entity} {r.summary}".rstrip())
    print(tr("{n} changes head office never received.", n=len(rows)))
    return 0


def run_sync(args: argparse.Namespace) -> int:
    services = _open(args)
    if services is None:
        return 2
    shown = {"stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        label = tr("Sending") if stage == "push" else tr("Receiving")
        line = f"{label}: {done}/{total}" if total else f"{label}: {done}"
        end = "\n" if stage != shown["stage"] and shown["stage"] else ""
        shown["stage"] = stage
        print(f"{end}\r{line}", end="", file=sys.stderr, flush=True)

    try:
        report = services.sync.sync_now(progress)
    except SyncError as exc:
        print(f"\n{tr('Sync failed')}: {render(exc)}", file=sys.stderr)
        return EXIT_CODES.get(exc.code, 1)
    finally:
        services.close()
    print(file=sys.stderr)
    print(tr("Sync finished: {pushed} changes sent, {pulled} received, {rejected} refused by "
             "head office.", pushed=report.pushed_ops, pulled=report.pulled_changes,
             rejected=report.rejected))
    return 0
