"""The maintenance due list (app/services/maintenance.py) on a big station: the first page and
the whole list (the export's rows) for a 30-day and a one-year horizon, under the demo
policy's intervals (空调 and 电热水器 12 months, 油烟机 6), read-only on the station file.

    python -m benchmarks.big_station          # once: 1,000,000 orders, 200,000 customers
    python -m benchmarks.maintenance_due [--runs 5]

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from app.services.maintenance import MAX_EXPORT, due_page
from app.services.warranty_policy import DEMO_POLICY_CSV
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR
from sync import policy_csv


def _ms(fn, runs: int) -> tuple[float, object]:
    value = fn()  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = DEFAULT_DIR / "station.sqlite3"
    raw = station_db.connect(f"file:{path}?mode=ro", uri=True)
    policy = policy_csv.parse(DEMO_POLICY_CSV.encode())
    now = datetime.now().astimezone()
    counts = raw.execute("select (select count(*) from products), "
                         "(select count(*) from service_orders)").fetchone()
    print(f"station: {counts[0]:,} products, {counts[1]:,} orders")
    for days in (30, 365):
        for name, limit in (("first page (200)", 200), ("whole list", MAX_EXPORT)):
            ms, page = _ms(lambda d=days, n=limit: due_page(raw, policy, now, d, n, 0),
                           args.runs)
            print(f"{days:>3} days, {name:<17} {ms:8.0f} ms  ({len(page.rows):,} rows of "
                  f"{page.total:,} due)")


if __name__ == "__main__":
    main()
