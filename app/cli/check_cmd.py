"""``check``: integrity and foreign-key checks of the station database, and its schema version."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import text

from app.bootstrap import open_services
from app.i18n import render
from app.store import migrate
from app.store.migrate import DatabaseTooNew


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="check the database and report its schema version")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        services = open_services(args.data_dir)
    except DatabaseTooNew as exc:
        print(render(exc), file=sys.stderr)
        return 2
    try:
        with services.db.engine.connect() as conn:
            integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            foreign = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            pending = conn.execute(
                text("SELECT count(*) FROM outbox WHERE acked_at IS NULL")
            ).scalar_one()
        print(f"database: {services.paths.database}")
        print(f"schema version: {migrate.current_revision(services.db.engine)}"
              f" (program: {migrate.head_revision()})")
        print(f"integrity_check: {', '.join(integrity)}")
        print(f"foreign_key_check: {'ok' if not foreign else f'{len(foreign)} problems'}")
        print(f"pending outbox changes: {pending}")
        return 0 if integrity == ["ok"] and not foreign else 1
    finally:
        services.close()
