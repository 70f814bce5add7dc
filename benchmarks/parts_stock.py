"""The stock on a big station: 50,000 catalogue parts and 2,000,000 ledger movements. Times a
part's on-hand, the first page of the stock list and a part's history (first page, with its
running balance) through the service, each beside the same SQL on a raw connection
in the same run; goal: within 2x and under 50 ms. Also the low-stock list, a name search, the
whole stock's value and a "hot" part with 10,000 movements, for the record.

    python -m benchmarks.parts_stock [--runs 30] [--explain]

The station is built once (``benchmarks/data/parts``): the real migrated schema, filled with
a raw connection's ``executemany``. Movements are written in time order across all parts, as a
station writes them, so one part's rows lie scattered through the table.

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.bootstrap import open_services
from app.domain.enums import Role
from app.domain.parts import MovementKind, part_id
from app.services import stock_queries as q
from app.services.users import NewStation, NewUser
from app.store.migrate import SCHEMA_HEAD
from benchmarks import station_db

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "parts"
PARTS = 50_000
MOVEMENTS = 2_000_000
HOT_PARTS = 10
HOT_MOVEMENTS = 10_000
WORDS = ["电容", "压缩机", "排水泵", "皮带", "电机", "主板", "门封", "温控器", "风扇", "传感器",
         "电磁阀", "遥控器", "加热管", "滤网", "轴承", "显示板"]
MODELS = ["KFR-35GW", "KFR-26GW", "XQG80", "XQB60", "BCD-452", "JSQ20", "CXW-200", "DW-900"]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build(out: Path, parts: int = PARTS, movements: int = MOVEMENTS, seed: int = 3) -> Path:
    marker = out / f"built-{parts}-{movements}-schema{SCHEMA_HEAD}"
    if marker.exists():
        return out
    for f in [*out.glob("station.sqlite3*"), *out.glob("built-*")]:
        f.unlink()
    services = open_services(out)
    services.users.set_up_station(NewStation("BJ001", "北京海淀特约维修站", "北京", "010-62345678"),
                                  NewUser("boss", "张站长", Role.MANAGER, "benchmark-pass"))
    services.close()
    started = time.perf_counter()
    db = station_db.connect(out / "station.sqlite3")  # keyed: the store is encrypted
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    numbers = [f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}-{i:06d}"
               for i in range(parts)]
    ids = [part_id(n) for n in numbers]
    db.executemany(
        "INSERT INTO parts (id, part_no, name, specification, models, unit, retail_price_fen,"
        " station_price_fen, return_required, warranty_months, active, hq_revision, updated_at)"
        " VALUES (?, ?, ?, '', ?, '个', ?, ?, ?, NULL, 1, ?, ?)",
        [(pid, no, f"{rng.choice(WORDS)}{i % 97}", ",".join(rng.sample(MODELS, 2)),
          (price := rng.randrange(500, 200_000)) * 2, price, i % 7 == 0, i + 1, now)
         for i, (pid, no) in enumerate(zip(ids, numbers, strict=True))])
    db.executemany(
        "INSERT INTO part_settings (id, part_id, location, low_stock_threshold, revision,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
        [(_id(rng), pid, f"{chr(65 + i % 20)}-{i % 50:02d}", rng.choice((0, 2, 5, 10)), now, now)
         for i, pid in enumerate(ids) if i % 5 == 0])
    # the ledger's indexes as the migrations made them, rebuilt once after the bulk insert
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                         "tbl_name = 'stock_movements' AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        db.execute(f"DROP INDEX {name}")
    # each part: a receipt first, then issues, sales and returns that never go below zero
    hot = set(ids[:HOT_PARTS])
    plan: list[str] = []
    for pid in ids:
        plan.append(pid)
    ordinary = (movements - parts - HOT_PARTS * (HOT_MOVEMENTS - 1)) // (parts - HOT_PARTS)
    body = [pid for pid in ids if pid not in hot for _ in range(ordinary)]
    body += [pid for pid in hot for _ in range(HOT_MOVEMENTS - 1)]
    body += rng.choices([p for p in ids if p not in hot], k=movements - len(plan) - len(body))
    rng.shuffle(body)
    plan += body
    balance = dict.fromkeys(ids, 0)
    start = now - timedelta(days=3 * 365)
    step = (now - start) / len(plan)
    kinds_out = (MovementKind.ISSUED.value, MovementKind.SOLD.value)
    sql = ("INSERT INTO stock_movements (id, part_id, kind, quantity, created_at, username,"
           " reason, reference) VALUES (?, ?, ?, ?, ?, 'boss', '', ?)")
    batch = []
    for i, pid in enumerate(plan):
        have = balance[pid]
        if have == 0 or rng.random() < 0.35:
            kind, qty = MovementKind.RECEIVED.value, rng.randrange(5, 30)
        elif rng.random() < 0.1:
            kind, qty = MovementKind.RETURNED.value, 1
        else:
            kind, qty = rng.choice(kinds_out), -rng.randrange(1, min(have, 4) + 1)
        balance[pid] = have + qty
        batch.append((_id(rng), pid, kind, qty, (start + step * i).strftime(
            "%Y-%m-%d %H:%M:%S.%f"), f"SO-BJ001-{i:08d}"))
        if len(batch) == 100_000:
            db.executemany(sql, batch)
            batch.clear()
    db.executemany(sql, batch)
    for _name, sql in indexes:
        db.execute(sql)
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    marker.touch()
    print(f"built {parts:,} parts and {len(plan):,} movements in "
          f"{time.perf_counter() - started:.0f} s")
    return out


def time_import(out: Path, parts: int = PARTS) -> None:
    """A catalogue file of ``parts`` rows into a fresh station and a fresh head office."""
    import shutil

    from app.services.context import SYSTEM
    from sync.hq import catalogue
    from sync.hq.db import HqDatabase

    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(5)
    lines = ["part_no,name,specification,models,unit,retail_price,station_price,"
             "return_required,warranty_months"]
    lines += [f"P-{i:06d},{rng.choice(WORDS)}{i % 97},规格{i % 13},\"{','.join(rng.sample(MODELS, 2))}\","
              f"个,{rng.randrange(5, 2000)}.50,{rng.randrange(5, 1000)},{'是' if i % 7 else '否'},"
              for i in range(parts)]
    path = out / "catalogue.csv"
    out.mkdir(parents=True)
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    services = open_services(out / "station")
    t = time.perf_counter()
    done = services.catalogue.import_csv(SYSTEM, path)
    station_s = time.perf_counter() - t
    services.close()
    hq = HqDatabase.open(f"sqlite:///{out / 'hq.sqlite3'}")
    t = time.perf_counter()
    published = catalogue.import_file(hq, path)
    hq_s = time.perf_counter() - t
    t = time.perf_counter()
    again = catalogue.import_file(hq, path)
    again_s = time.perf_counter() - t
    hq.dispose()
    print(f"catalogue file: {parts:,} parts, {path.stat().st_size / 1e6:.1f} MB (GB18030)")
    print(f"  station offline import: {station_s:.1f} s ({done.added:,} added)")
    print(f"  head office publish:    {hq_s:.1f} s ({published.added:,} changes)")
    print(f"  the same file again:    {again_s:.1f} s ({again.unchanged:,} unchanged, "
          f"{again.added + again.changed} changes)")


def _ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the page cache and the statement cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--import-file", action="store_true",
                        help="also time importing a 50,000-part catalogue file (station "
                             "offline import and head office's publish)")
    args = parser.parse_args()
    if args.import_file:
        time_import(DEFAULT_DIR.parent / "parts-import")
    build(DEFAULT_DIR)
    services = open_services(DEFAULT_DIR)
    raw = station_db.connect(services.paths.database, isolation_level=None)
    count = raw.execute("SELECT count(*) FROM stock_movements").fetchone()[0]
    typical = raw.execute("SELECT id FROM parts WHERE part_no LIKE '%-025000'").fetchone()[0]
    hot = raw.execute("SELECT part_id FROM stock_movements GROUP BY part_id "
                      "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    name = "压缩机1"
    page1 = q.stock_list_sql(False, False, False, True)
    cases: list[tuple[str, Callable[[], object], str, tuple]] = [
        ("on-hand of a part", lambda: services.stock.on_hand(typical),
         q.ON_HAND_SQL, (typical,)),
        ("stock list, first page", lambda: services.stock.stock_list(),
         page1, q.stock_list_params("", None, 100)),
        ("history, first page", lambda: services.stock.history(typical),
         q.history_sql(False), q.history_params(typical, None, 100)),
        ("hot part: on-hand", lambda: services.stock.on_hand(hot), q.ON_HAND_SQL, (hot,)),
        ("hot part: history page", lambda: services.stock.history(hot),
         q.history_sql(False), q.history_params(hot, None, 100)),
        ("stock list: name search", lambda: services.stock.stock_list(name),
         q.stock_list_sql(True, False, False, True), q.stock_list_params(name, None, 100)),
        ("low-stock list, first page", lambda: services.stock.stock_list(low=True),
         q.stock_list_sql(False, False, True, True), q.stock_list_params("", None, 100)),
        ("stock value (whole ledger)", lambda: services.stock.value(), q.VALUE_SQL, ()),
    ]
    print(f"{count:,} movements, {raw.execute('SELECT count(*) FROM parts').fetchone()[0]:,} "
          f"parts; hot part: "
          f"{raw.execute('SELECT count(*) FROM stock_movements WHERE part_id = ?', (hot,)).fetchone()[0]:,}"
          " movements")
    print(f"{'query':<30}{'rows':>6}{'service ms':>12}{'raw ms':>12}{'ratio':>8}")
    for label, service_call, sql, values in cases:
        result = service_call()
        rows = len(result) if isinstance(result, list) else 1
        service_ms = _ms(service_call, args.runs)
        raw_ms = _ms(lambda sql=sql, values=values: raw.execute(sql, values).fetchall(),
                     args.runs)
        print(f"{label:<30}{rows:>6}{service_ms:>12.3f}{raw_ms:>12.3f}"
              f"{service_ms / raw_ms:>8.2f}")
        if args.explain:
            for row in raw.execute("EXPLAIN QUERY PLAN " + sql, values):
                print("    ", row[-1])
    raw.close()
    services.close()


if __name__ == "__main__":
    main()
