"""How the orders table feels on the big station (1,000,000 orders): the time from asking
for a page to its rows being in the model, through the real task runner and model (worker
thread, queued delivery, row objects), for the first page, for each next page as the user
scrolls, for a refresh of 2,000 loaded rows, and for a scanned order number and serial.

    python -m benchmarks.big_station   # once
    python -m benchmarks.ui_paging [--pages 50]

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from app.bootstrap import open_services
from app.services.order_queries import OrderFilter
from app.ui.orders.table_model import OrdersTableModel
from app.ui.qt_app import make_application
from app.ui.tasks import TaskRunner
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR, build


def _timed(model: OrdersTableModel, start: Callable[[], None]) -> float:
    """Milliseconds from ``start()`` to the model announcing the page."""
    app = make_application()
    arrived: list[float] = []
    model.page_loaded.connect(lambda: arrived.append(time.perf_counter()))
    began = time.perf_counter()
    start()
    while not arrived:
        app.processEvents()
        time.sleep(0.0002)
    model.page_loaded.disconnect()
    return (arrived[0] - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = build(DEFAULT_DIR, 200_000, 1_000_000)
    make_application()
    services = open_services(folder)
    with station_db.connect(f"file:{services.paths.database}?mode=ro", uri=True) as conn:
        number, serial = conn.execute(
            "SELECT o.number, p.serial_no FROM service_orders o JOIN products p "
            "ON p.id = o.product_id ORDER BY o.called_at DESC LIMIT 1 OFFSET 5000").fetchone()
    tasks = TaskRunner()
    model = OrdersTableModel(services.orders, tasks, services.orders.clock)
    try:
        first = _timed(model, lambda: model.set_filter(OrderFilter()))
        pages = [_timed(model, model.fetchMore) for _ in range(args.pages)]
        while model.rowCount() < 2000:
            _timed(model, model.fetchMore)
        reload = _timed(model, model.reload)
        scanned = {text: _timed(model, lambda t=text: model.set_filter(OrderFilter(text=t)))
                   for text in (number, serial)}
    finally:
        tasks.shutdown()
        services.close()
    print(f"first page (100 rows):           {first:7.1f} ms")
    print(f"next {args.pages} pages, median (max): {statistics.median(pages):7.1f} ms "
          f"({max(pages):.1f})")
    print(f"refresh of 2,000 loaded rows:    {reload:7.1f} ms")
    for text, ms in scanned.items():
        print(f"scanned {text}: {ms:7.1f} ms")


if __name__ == "__main__":
    main()
