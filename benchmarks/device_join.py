"""A new device joining a big station: 100,000 orders and 1,000,000 stock movements.

    python -m benchmarks.device_join [--orders 100000] [--movements 1000000] [--keep DIR]

Head office (``python -m sync.hq serve``, SQLite) runs as its own process on loopback, its
database filled in bulk with the station's records as the station's first device would have
pushed them (payloads copied from rows the real services made, with new ids): customers with
their phones, products, orders with their charge lines, the parts catalogue, users, and the
stock ledger. The joining device runs in a fresh child process on an empty data folder
through the real code (``app.services.device_join``: snapshot, then ``/v1/station-state``
page by page, one local transaction per page with its position), so its ``ru_maxrss`` is the
join's alone; "RSS before" is that process just before it started.

Baseline, in the same run: the same rows read from head office's database and written into a
plain SQLite file with the standard library (``sqlite3``, one transaction per 1,000 rows, no
HTTP, no JSON decoding, no ORM): the floor of moving this much data on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks.sync_push_pull import _free_port, _rss_kib, _wait_health

ROOT = Path(__file__).resolve().parent.parent
CODE = "JOIN1"
CHUNK = 5_000
PARTS = 500
PASSWORD = "correct-horse"


# -- head office's database ------------------------------------------------------------------


def _templates(scratch: Path) -> dict[str, dict[str, Any]]:
    """One payload of each kind, as the real services write them (outbox payloads)."""
    from sqlalchemy import select

    from app.bootstrap import open_services
    from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
    from app.domain.parts import part_id
    from app.services.customers import CustomerInput
    from app.services.orders import NewOrder
    from app.services.users import NewStation, NewUser
    from app.store.models import OutboxOp, Part

    services = open_services(scratch)
    services.users.set_up_station(NewStation(CODE, "基准站", "北京", "010-62345678"),
                                  NewUser("boss", "站长", Role.MANAGER, PASSWORD))
    boss = services.users.login("boss", PASSWORD)
    with services.db.write() as s:
        s.add(Part(id=part_id("P00000"), part_no="P00000", name="启动电容", unit="个",
                   retail_price_fen=4500, station_price_fen=3000))
    services.orders.create(boss, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "空调不制冷，外机不转",
        "13900000000", customer=CustomerInput("张三", ("13900000000",),
                                              "北京市海淀区中关村大街1号")))
    with services.db.read() as s:
        out = {o.entity: json.loads(o.payload) for o in s.scalars(select(OutboxOp))}
    services.close()
    out["stock_movement"] = {
        "id": "", "part_id": part_id("P00000"), "kind": "counted", "quantity": 1,
        "created_at": out["service_order"]["created_at"], "user_id": out["user"]["id"],
        "username": "boss", "reason": "盘点", "order_id": None, "sale_id": None,
        "count_id": None, "parts_order_id": None, "reference": ""}
    return out


def build_hq(db_url: str, scratch: Path, orders: int, movements: int) -> str:
    """Head office with station ``CODE`` and its records; returns device 1's token."""
    from sqlalchemy import insert, select

    from app.domain.parts import part_id
    from sync.hq import catalogue
    from sync.hq.admin import HqAdmin
    from sync.hq.db import HqDatabase
    from sync.hq.models import HqRecord, HqStation, utcnow
    from sync.parts_csv import CatalogueRow

    t = _templates(scratch)
    db = HqDatabase.open(db_url)
    token = HqAdmin(db).add_station(CODE, "基准站")
    catalogue.publish(db, [CatalogueRow(i + 2, f"P{i:05d}", f"配件{i}", "", "", "个", 4500,
                                        3000, False, None) for i in range(PARTS)])
    now = utcnow()
    with db.read() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == CODE))

    def rows(entity: str, payloads: Any) -> None:
        batch: list[dict[str, Any]] = []
        for payload in payloads:
            batch.append({"station_id": station_id, "entity": entity,
                          "entity_id": payload["id"], "revision": payload.get("revision", 1),
                          "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                          "deleted": False, "last_seq": 0, "updated_at": now,
                          "last_device_id": 0, "last_change_seq": 0})
            if len(batch) >= CHUNK:
                with db.write() as s:
                    s.execute(insert(HqRecord), batch)
                batch = []
        if batch:
            with db.write() as s:
                s.execute(insert(HqRecord), batch)

    rows("station", [t["station"]] if "station" in t else [])
    rows("user", [t["user"]])
    customer_ids = [str(uuid.uuid4()) for _ in range(orders)]

    def customers() -> Any:
        from datetime import datetime, timedelta

        made = datetime.fromisoformat(t["customer"]["created_at"])
        for i, cid in enumerate(customer_ids):
            phone = f"139{i:08d}"
            at = (made - timedelta(minutes=5 * i)).isoformat()
            yield {**t["customer"], "id": cid, "name": f"客户{i}", "phones": [phone],
                   "created_at": at, "updated_at": at}

    def service_orders() -> Any:
        from datetime import datetime, timedelta

        called = datetime.fromisoformat(t["service_order"]["called_at"])
        for i, cid in enumerate(customer_ids):
            # a year of calls, a few minutes apart (the search keys its documents by them)
            at = called - timedelta(minutes=5 * i)
            yield {**t["service_order"], "id": str(uuid.uuid4()), "customer_id": cid,
                   "product_id": None, "number": f"SO-{CODE}-{at:%Y%m%d}-{i + 1:06d}",
                   "called_at": at.isoformat(), "created_at": at.isoformat(),
                   "updated_at": at.isoformat(), "contact_phone": f"139{i:08d}",
                   "contact_digits": f"139{i:08d}", "charge_lines": []}

    def stock() -> Any:
        for i in range(movements):
            yield {**t["stock_movement"], "id": str(uuid.uuid4()),
                   "part_id": part_id(f"P{i % PARTS:05d}"), "quantity": 1 + i % 3}

    rows("customer", customers())
    rows("service_order", service_orders())
    rows("stock_movement", stock())
    db.dispose()
    return token


# -- the joining device (child process) ------------------------------------------------------


def child(data_dir: Path, url: str, token: str) -> dict[str, Any]:
    from app.bootstrap import open_services
    from app.services.device_join import DeviceJoin
    from app.services.sync_token import FileTokenStore

    services = open_services(data_dir)
    join = DeviceJoin(services.db, services.bus, FileTokenStore(data_dir), services.sync.clock,
                      services.sync.transport_factory)
    before = _rss_kib()
    start = time.perf_counter()
    join.start(None, url, CODE, token)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    state = join.state()
    services.close()
    return {"seconds": seconds, "rss_before_kib": before, "peak_kib": peak,
            "rows": state.done, "total": state.total}


# -- the baseline: the same rows moved with the standard library ------------------------------


def baseline(hq_file: Path, target: Path) -> dict[str, Any]:
    start = time.perf_counter()
    source = sqlite3.connect(hq_file)
    out = sqlite3.connect(target)
    out.execute("PRAGMA journal_mode=WAL")
    out.execute("PRAGMA synchronous=FULL")
    out.execute("CREATE TABLE rows (entity TEXT, id TEXT PRIMARY KEY, payload TEXT)")
    count = 0
    cursor = source.execute("SELECT entity, entity_id, payload FROM hq_records ORDER BY id")
    while True:
        chunk = cursor.fetchmany(1000)
        if not chunk:
            break
        with out:
            out.executemany("INSERT INTO rows VALUES (?, ?, ?)", chunk)
        count += len(chunk)
    source.close()
    out.close()
    return {"seconds": time.perf_counter() - start, "rows": count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="leave the data here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1], args.child[2])))
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="device-join-"))
    work.mkdir(parents=True, exist_ok=True)
    hq_file = work / "hq.sqlite3"
    db_url = f"sqlite:///{hq_file}"
    env = dict(os.environ, REPAIR_STATION_TOKEN_FILE_ONLY="1",
               REPAIR_STATION_KEY_DIR=str(work / "keys"))
    os.environ.update(env)
    started = time.perf_counter()
    build_hq(db_url, work / "scratch", args.orders, args.movements)
    built = time.perf_counter() - started
    from sync.hq.admin import HqAdmin
    from sync.hq.db import HqDatabase

    db = HqDatabase.open(db_url)
    _row, token = HqAdmin(db).add_device(CODE, "外勤笔记本")
    db.dispose()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "sync.hq", "--db", db_url, "serve",
                               "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_health(url, server)
        proc = subprocess.run([sys.executable, "-m", "benchmarks.device_join", "--child",
                               str(work / "device"), url, token], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(30)
    base = baseline(hq_file, work / "baseline.sqlite3")
    mib = 1024
    print(f"head office built in {built:.0f} s: {args.orders:,} orders and customers, "
          f"{args.movements:,} stock movements, {PARTS} parts")
    print("| what | rows | seconds | rows/s | RSS before MiB | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| device joins (snapshot + station state) | {result['rows']:,} | "
          f"{result['seconds']:.1f} | {result['rows'] / result['seconds']:,.0f} | "
          f"{result['rss_before_kib'] / mib:.0f} | {result['peak_kib'] / mib:.0f} |")
    print(f"| baseline: sqlite3 copy of the same rows | {base['rows']:,} | "
          f"{base['seconds']:.1f} | {base['rows'] / base['seconds']:,.0f} | | |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
