"""First page of an order search on a big station, through the service and as the same SQL
on a raw connection (``benchmarks.station_db``: the program's SQLCipher driver, keyed), in one
run. Goal: within 2x of the raw SQL and under 50 ms. The first open encrypts the big station
in place (``open_services``; issue 14), so both sides run on the encrypted store.

    python -m benchmarks.big_station          # once: 1,000,000 orders, 200,000 customers
    python -m benchmarks.order_search [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from app.bootstrap import open_services
from app.domain.enums import OrderStatus
from app.services.order_queries import OrderFilter, prepare
from app.store.sqlite_driver import Connection
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR, build


def _ms(fn, runs: int) -> float:
    fn()  # warm the page cache and statement cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def order_cases(raw: Connection) -> dict[str, OrderFilter]:
    """The orders list's first page and its prefix searches, from order rowid 500,000."""
    phone, serial, number, name = raw.execute(
        "select p.digits, pr.serial_no, o.number, c.name from service_orders o "
        "join customer_phones p on p.customer_id = o.customer_id "
        "join products pr on pr.id = o.product_id join customers c on c.id = o.customer_id "
        "where o.rowid = (select min(500000, max(rowid) / 2) from service_orders)"
    ).fetchone()
    cases: dict[str, OrderFilter | str] = {
        "phone (full)": phone,
        "phone (prefix 7)": phone[:7],
        "serial": serial,
        "order number": number,
        "number prefix (day)": number[:17],
        "name prefix (2 chars)": name[:2],
        "no text (newest first)": "",
        "broad: 'SO-'": "SO-",
        "broad: station prefix": "SO-BJ001-",
        "broad: a month a year ago": number[:9] + str(int(number[9:13]) - 1) + "06",
        "broad: one character": name[:1],
        "broad: phone '138'": "138",
        "status = waiting parts": OrderFilter(status=OrderStatus.WAITING_PARTS),
        "overdue only": OrderFilter(overdue_only=True),
    }
    return {label: c if isinstance(c, OrderFilter) else OrderFilter(text=c)
            for label, c in cases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    build(DEFAULT_DIR, 200_000, 1_000_000)
    services = open_services(DEFAULT_DIR)
    raw = station_db.connect(services.paths.database)
    cases = order_cases(raw)
    now = datetime.now(UTC)
    print(f"{'search':<24}{'rows':>6}{'service ms':>12}{'raw ms':>12}{'ratio':>8}")
    for label, flt in cases.items():
        rows = services.orders.search(flt, limit=100)
        sql, values = prepare(raw, flt, now, None, 100)
        service_ms = _ms(lambda flt=flt: services.orders.search(flt, limit=100), args.runs)
        raw_ms = _ms(lambda sql=sql, values=values: raw.execute(sql, values).fetchall(),
                     args.runs)
        print(f"{label:<24}{len(rows):>6}{service_ms:>12.2f}{raw_ms:>12.2f}"
              f"{service_ms / raw_ms:>8.2f}")
        if args.explain:
            for row in raw.execute("EXPLAIN QUERY PLAN " + sql, values):
                print("    ", row[-1])
    services.close()


if __name__ == "__main__":
    main()
