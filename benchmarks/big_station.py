"""Builds (once) a station database at scale for the benchmarks: 200,000 customers and
1,000,000 orders by default, bulk-inserted on a raw keyed connection into the real,
migrated schema.

The orders look like a station's three years: every order type and source, the service
times of their progress (responded, arrived on site, cleared), each product's real faults,
a repair record (diagnosis and actions) and charge lines for finished work, and return
visits with four scores for visited orders, so reports, search and the repair knowledge are
measured on text and figures of the real shape. The search indexes are left unbuilt (the
bulk insert bypasses the program): the benchmarks that need them build them.

    python -m benchmarks.big_station [--orders 1000000] [--customers 200000] [--out DIR]

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.demo_catalogue import PLAIN_REPAIRS
from app.services.demo_data import COMMUNITIES, GIVEN, PRODUCTS, SURNAMES
from app.services.users import NewStation, NewUser
from app.store.sqlite_driver import Connection
from benchmarks import station_db

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "big"
STATUSES = ["received", "accepted", "assigned", "on_site", "in_workshop", "waiting_parts",
            "completed", "visited", "closed", "cancelled"]
STATUS_W = [1, 1, 2, 2, 1, 1, 4, 4, 80, 4]
TYPES = ["repair", "install", "maintenance", "complaint", "enquiry"]
TYPE_W = [75, 10, 5, 3, 7]
SOURCES = ["head_office", "phone", "walk_in"]
SOURCE_W = [35, 55, 10]
#: statuses reached after the technician arrived / cleared the fault / the visit was made
ARRIVED = {"on_site", "in_workshop", "waiting_parts", "completed", "visited", "closed"}
CLEARED = {"completed", "visited", "closed"}
VISITED = {"visited", "closed"}
FAULTS = {model: faults for model, _name, faults in PRODUCTS}
PASSWORD = "benchmark-pass"


def build(out: Path, customers: int, orders: int, seed: int = 1) -> Path:
    marker = out / f"built-v2-{customers}-{orders}"
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
    db = station_db.connect(out / "station.sqlite3")  # keyed: the store is encrypted
    db.execute("PRAGMA synchronous=OFF")
    techs = [r[0] for r in db.execute("select id from users")]
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    started = time.perf_counter()
    cust_rows, phone_rows, prod_rows = [], [], []
    cust_ids, prod_ids, phones = [], [], []
    models: list[str] = []
    purchases: list = []
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
        bought = (created - timedelta(days=rng.uniform(0, 400))).date()
        prod_rows.append((pid, cid, model, serial, bought, "", 12, 1, created, created))
        cust_ids.append(cid)
        prod_ids.append(pid)
        phones.append(phone)
        models.append(model)
        purchases.append(bought)
    db.executemany("insert into customers (id,name,address,notes,revision,created_at,updated_at)"
                   " values (?,?,?,?,?,?,?)", cust_rows)
    db.executemany("insert into customer_phones (customer_id,number,digits,position)"
                   " values (?,?,?,?)", phone_rows)
    db.executemany("insert into products (id,customer_id,model,serial_no,purchase_date,"
                   "invoice_no,warranty_months,revision,created_at,updated_at)"
                   " values (?,?,?,?,?,?,?,?,?,?)", prod_rows)
    db.commit()
    batch: list[tuple] = []
    work = _Work()
    per_day: dict[str, int] = {}
    span = timedelta(days=3 * 365)
    for _ in range(orders):
        k = rng.randrange(customers)
        called = now - span * rng.random()
        day = called.strftime("%Y%m%d")
        per_day[day] = per_day.get(day, 0) + 1
        status = rng.choices(STATUSES, STATUS_W)[0]
        order_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        kind = rng.choices(TYPES, TYPE_W)[0]
        mode = "on_site" if rng.random() < 0.85 else "workshop"
        model = models[k]
        fault = rng.choice(FAULTS[model])
        if rng.random() < 0.2:
            fault += "，用户要求尽快上门"
        tech = rng.choice(techs)
        responded = None if status == "received" else called + timedelta(
            minutes=rng.uniform(5, 60))
        arrived = called + timedelta(hours=rng.uniform(2, 40)) if (
            status in ARRIVED and mode == "on_site") else None
        cleared = visited = closed = None
        satisfaction = None
        if status in CLEARED:
            cleared = (arrived or called) + timedelta(hours=rng.uniform(1, 30))
            work.finished(rng, order_id, tech, model, cleared,
                          in_warranty=called.date() < purchases[k] + timedelta(days=365))
        if status in VISITED and cleared is not None:
            visited = cleared + timedelta(days=rng.uniform(3, 6))
            satisfaction = rng.choices([5, 4, 3, 2], [60, 30, 8, 2])[0]
            work.visit(rng, order_id, tech, visited, satisfaction)
        if status == "closed" and visited is not None:
            closed = visited + timedelta(days=1)
        batch.append((
            order_id, f"SO-BJ001-{day}-{per_day[day]:04d}", kind,
            rng.choices(SOURCES, SOURCE_W)[0], mode, status, cust_ids[k], prod_ids[k],
            phones[k], phones[k], "", fault, tech, "", "", called, responded, arrived, cleared,
            visited, closed, satisfaction, 1, called, called,
        ))
        if len(batch) == 50_000:
            _insert_orders(db, batch)
            work.insert(db)
            batch = []
    _insert_orders(db, batch)
    work.insert(db)
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    marker.write_text(f"built in {time.perf_counter() - started:.1f} s\n")
    return out


def _insert_orders(db: Connection, rows: list[tuple]) -> None:
    db.executemany(
        "insert into service_orders (id,number,order_type,source,service_mode,status,"
        "customer_id,product_id,contact_phone,contact_digits,service_address,"
        "fault_description,technician_id,cancel_reason,hq_reference,called_at,responded_at,"
        "arrived_at,cleared_at,visited_at,closed_at,satisfaction,revision,created_at,"
        "updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


class _Work:
    """The repair records, charge lines and return visits of finished orders, per batch."""

    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.lines: list[tuple] = []
        self.visits: list[tuple] = []

    @staticmethod
    def _id(rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def finished(self, rng: random.Random, order_id: str, tech: str, model: str,
                 cleared: datetime, in_warranty: bool) -> None:
        diagnosis, actions = rng.choice(PLAIN_REPAIRS.get(model, (("线路接触不良", "紧固接线"),)))
        self.records.append((self._id(rng), order_id, tech, diagnosis, actions,
                             rng.choice((30, 45, 60, 90)), cleared, ""))
        payer = "maker" if in_warranty else "customer"
        self.lines.append((self._id(rng), order_id, 0, "labour", "维修工时费", 1,
                           rng.choice((5000, 8000)), payer))
        if rng.random() < 0.5:
            self.lines.append((self._id(rng), order_id, 1, "travel", "上门费", 1, 3000, payer))

    def visit(self, rng: random.Random, order_id: str, tech: str, at: datetime,
              mood: int) -> None:
        scores = [max(1, min(5, mood + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(4)]
        self.visits.append((self._id(rng), order_id, "done", *scores, "", at, None, 1, at, at))

    def insert(self, db: Connection) -> None:
        db.executemany("insert into repair_records (id,order_id,technician_id,diagnosis,"
                       "actions,labour_minutes,created_at,void_reason) values (?,?,?,?,?,?,?,?)",
                       self.records)
        db.executemany("insert into charge_lines (id,order_id,position,kind,description,"
                       "quantity,unit_price_fen,payer) values (?,?,?,?,?,?,?,?)", self.lines)
        db.executemany("insert into return_visits (id,order_id,status,speed_score,"
                       "attitude_score,quality_score,price_score,comments,visited_at,"
                       "visited_by,revision,created_at,updated_at)"
                       " values (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.visits)
        self.records, self.lines, self.visits = [], [], []


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
