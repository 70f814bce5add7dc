"""Builds (once) a station database at scale for the benchmarks: 200,000 customers and
1,000,000 orders by default, bulk-inserted with plain sqlite3 into the real, migrated schema.

    python -m benchmarks.big_station [--orders 1000000] [--customers 200000] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.demo_data import COMMUNITIES, GIVEN, PRODUCTS, SURNAMES
from app.services.users import NewStation, NewUser

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "big"
STATUSES = ["received", "accepted", "assigned", "on_site", "in_workshop", "waiting_parts",
            "completed", "visited", "closed", "cancelled"]
STATUS_W = [1, 1, 2, 2, 1, 1, 4, 4, 80, 4]
PASSWORD = "benchmark-pass"


def build(out: Path, customers: int, orders: int, seed: int = 1) -> Path:
    marker = out / f"built-{customers}-{orders}"
    if marker.exists():
        return out
    if out.exists():
        for f in out.glob("station.sqlite3*"):
            f.unlink()
    services = open_services(out)
    services.users.set_up_station(
        NewStation("BJ001", "北京海淀特约维修站", "北京市海淀区中关村大街27号", "010-62345678"),
        NewUser("boss", "张站长", Role.MANAGER, PASSWORD),
    )
    boss = services.users.login("boss", PASSWORD)
    for i in range(8):
        services.users.create_user(boss, NewUser(f"tech{i}", f"师傅{i}", Role.TECHNICIAN,
                                                 PASSWORD))
    services.close()
    db = sqlite3.connect(out / "station.sqlite3")
    db.execute("PRAGMA synchronous=OFF")
    techs = [r[0] for r in db.execute("select id from users")]
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    started = time.perf_counter()
    cust_rows, phone_rows, prod_rows = [], [], []
    cust_ids, prod_ids, phones = [], [], []
    for i in range(customers):
        cid, pid = str(uuid.UUID(int=rng.getrandbits(128), version=4)), str(
            uuid.UUID(int=rng.getrandbits(128), version=4))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        phone = rng.choice(["13", "15", "18", "19"]) + f"{rng.randrange(10**9):09d}"
        created = now - timedelta(days=rng.uniform(0, 2000))
        cust_rows.append((cid, name, f"北京市海淀区{rng.choice(COMMUNITIES)}{i % 30}号楼", "", 1,
                          created, created))
        phone_rows.append((cid, phone, phone, 0))
        model = rng.choice(PRODUCTS)[0]
        serial = f"SN{i:010d}"
        prod_rows.append((pid, cid, model, serial, None, "", 12, 1, created, created))
        cust_ids.append(cid)
        prod_ids.append(pid)
        phones.append(phone)
    db.executemany("insert into customers (id,name,address,notes,revision,created_at,updated_at)"
                   " values (?,?,?,?,?,?,?)", cust_rows)
    db.executemany("insert into customer_phones (customer_id,number,digits,position)"
                   " values (?,?,?,?)", phone_rows)
    db.executemany("insert into products (id,customer_id,model,serial_no,purchase_date,"
                   "invoice_no,warranty_months,revision,created_at,updated_at)"
                   " values (?,?,?,?,?,?,?,?,?,?)", prod_rows)
    db.commit()
    batch = []
    per_day: dict[str, int] = {}
    span = timedelta(days=3 * 365)
    for _ in range(orders):
        k = rng.randrange(customers)
        called = now - span * rng.random()
        day = called.strftime("%Y%m%d")
        per_day[day] = per_day.get(day, 0) + 1
        status = rng.choices(STATUSES, STATUS_W)[0]
        batch.append((
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            f"SO-BJ001-{day}-{per_day[day]:04d}", "repair", "phone", "on_site", status,
            cust_ids[k], prod_ids[k], phones[k], phones[k], "", "不制冷", rng.choice(techs),
            "", "", called, called + timedelta(minutes=10), 1, called, called,
        ))
        if len(batch) == 50_000:
            _insert_orders(db, batch)
            batch = []
    _insert_orders(db, batch)
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    marker.write_text(f"built in {time.perf_counter() - started:.1f} s\n")
    return out


def _insert_orders(db: sqlite3.Connection, rows: list[tuple]) -> None:
    db.executemany(
        "insert into service_orders (id,number,order_type,source,service_mode,status,"
        "customer_id,product_id,contact_phone,contact_digits,service_address,"
        "fault_description,technician_id,cancel_reason,hq_reference,called_at,responded_at,"
        "revision,created_at,updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    t = time.perf_counter()
    build(args.out, args.customers, args.orders)
    print(f"station at {args.out} ready in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
