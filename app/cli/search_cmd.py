"""``search``: the order and customer search indexes from the command line.

``repair-station [--data-dir D] search status`` says whether each index is complete;
``repair-station search rebuild`` rebuilds both from the records (after rows were written
behind the program's back, or to repair them), printing its progress. The window builds a
missing index by itself in the background after log-in; this is the headless way.
"""

from __future__ import annotations

import argparse
import sys
import time

from app.bootstrap import open_services
from app.i18n import tr
from app.services.search_build import INDEXES, SearchBuilder, index_ready, mark_stale


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("search", help="the search indexes (搜索索引)")
    cmds = parser.add_subparsers(dest="search_command", metavar="ACTION", required=True)
    cmds.add_parser("status", help="is each index complete?").set_defaults(handler=run_status)
    rebuild = cmds.add_parser("rebuild", help="rebuild the indexes from the records")
    rebuild.add_argument("--if-needed", action="store_true",
                         help="only build what is not complete (resumes a stopped build)")
    rebuild.set_defaults(handler=run_rebuild)


def run_status(args: argparse.Namespace) -> int:
    services = open_services(args.data_dir)
    try:
        with services.db.read() as s:
            conn = s.connection()
            for name in INDEXES:
                state = tr("complete") if index_ready(conn, name) else tr("not complete")
                print(f"{name}: {state}")
        return 0
    finally:
        services.close()


def run_rebuild(args: argparse.Namespace) -> int:
    services = open_services(args.data_dir)
    try:
        if not args.if_needed:
            with services.db.write() as s:
                mark_stale(s.connection())
        started = time.perf_counter()
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            if percent != shown[0]:
                shown[0] = percent
                print(f"\r{tr('Building the search index {percent}%', percent=percent)}",
                      end="", file=sys.stderr)

        SearchBuilder(services.db).run(progress)
        print(file=sys.stderr)
        print(tr("Search index complete in {seconds} s.",
                 seconds=f"{time.perf_counter() - started:.1f}"))
        return 0
    finally:
        services.close()
