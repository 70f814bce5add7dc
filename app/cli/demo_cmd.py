"""``demo``: fills an empty data folder with a realistic station and prints the logins."""

from __future__ import annotations

import argparse
import sys

from app.bootstrap import build_services, prepare_store
from app.domain.errors import RuleViolation
from app.i18n import label, render, tr
from app.paths import DataPaths, default_data_dir
from app.services.demo_data import WalkingClock, default_start, generate
from app.services.search_build import build_all
from app.store import migrate
from app.store.database import Database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="fill an empty data folder with demo data")
    # a first start the newcomer waits for (about 40 s); --orders 1000 and more for a fuller one
    parser.add_argument("--customers", type=int, default=150)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--if-empty", action="store_true",
                        help="do nothing (exit 0) when the folder already holds a station")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths = DataPaths(args.data_dir or default_data_dir()).ensure()
    # a demo is made in one go and can be made again: no fsync per transaction
    key = prepare_store(paths)
    db = Database.open(paths.database, synchronous="OFF", key=key)
    try:
        migrate.upgrade(db.engine, paths.database, paths.backups, key)
        clock = WalkingClock(default_start())
        services = build_services(paths, db, clock)
        if args.if_empty and not services.users.needs_setup():
            print(tr("This data folder already holds a station; demo data was not added."))
            return 0
        total_seen = [0]

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total
            if percent != total_seen[0]:
                total_seen[0] = percent
                print(f"\r{tr('Generating demo data')}: {percent}%", end="", file=sys.stderr)

        try:
            accounts = generate(services, clock, args.customers, args.orders, args.seed,
                                progress)
        except RuleViolation as exc:
            print(f"\n{render(exc)}", file=sys.stderr)
            return 2
        build_all(db)  # the search indexes, complete before the window first opens
        services.knowledge.build()  # 维修知识库 complete before the first log-in
        raw = db.engine.raw_connection()  # outside any transaction: make it all durable
        try:
            raw.driver_connection.execute("PRAGMA synchronous = FULL")
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        print(file=sys.stderr)
        print(tr("Demo station ready in {folder}", folder=paths.root))
        for acc in accounts:
            print(f"  {label(acc.role)}  {acc.display_name}  {tr('user')}: {acc.username}  "
                  f"{tr('password')}: {acc.password}")
        if services.store_keys.recovery_pending():  # a station created just now
            print(tr("Recovery key (opens this data on another PC; the manager is shown it "
                     "at the first log-in): {key}",
                     key=services.store_keys.recovery_key_for_setup()))
        return 0
    finally:
        db.dispose()
