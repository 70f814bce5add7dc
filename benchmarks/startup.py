"""Time from starting the program to a main window whose orders table shows rows, on the big
station (1,000,000 orders), beside the bare cost of starting Python with PySide6 and
SQLAlchemy imported (the floor no Python desktop program can go under).

    python -m benchmarks.big_station   # once
    python -m benchmarks.startup [--runs 5]

The login dialog is skipped (its time is the person typing); everything else — opening and
checking the database schema, building the window and the first page of orders off the GUI
thread — is counted, from the moment the process is started.

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from benchmarks.big_station import DEFAULT_DIR, build

PROBE = r"""
import os, sys, time
started = float(os.environ["RS_STARTED"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from app.ui.qt_app import make_application
from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.context import Actor
from app.ui.tasks import TaskRunner
from app.ui.window import open_main_window
from app.ui.orders.page import OrdersPage
from PySide6.QtCore import QCoreApplication
app = make_application()
services = open_services(sys.argv[1])
boss = services.users.list_users(Role.MANAGER)[0]
actor = Actor(boss.id, boss.username, boss.display_name, Role.MANAGER)
tasks = TaskRunner()
window = open_main_window(services, actor, tasks)
window.show()
page = window.findChild(OrdersPage)
while page.model.rowCount() == 0:
    QCoreApplication.processEvents()
    time.sleep(0.001)
print(f"{time.time() - started:.4f}")
tasks.shutdown()
os._exit(0)
"""

BARE = r"""
import os, time
started = float(os.environ["RS_STARTED"])
import PySide6.QtWidgets, sqlalchemy, sqlalchemy.orm
print(f"{time.time() - started:.4f}")
"""


def _run(code: str, *args: str) -> float:
    env = dict(os.environ, RS_STARTED=repr(time.time()), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(DEFAULT_DIR, 200_000, 1_000_000)
    _run(PROBE, str(DEFAULT_DIR))  # warm the OS file cache once
    window = [_run(PROBE, str(DEFAULT_DIR)) for _ in range(args.runs)]
    bare = [_run(BARE) for _ in range(args.runs)]
    print(f"start -> populated main window (1M orders): median {statistics.median(window):.3f} s"
          f"  (min {min(window):.3f}, max {max(window):.3f})")
    print(f"bare python + PySide6 + SQLAlchemy import:  median {statistics.median(bare):.3f} s")


if __name__ == "__main__":
    main()
