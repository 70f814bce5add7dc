"""Search by any part on a big station: the index build, the first page of each kind of query
through the services beside the same SQL on a raw connection in the same run, and the index's
size on disk. Goal: first page under 100 ms.

    python -m benchmarks.big_station            # once: 1,000,000 orders, 200,000 customers
    python -m benchmarks.search_any_part [--runs 20] [--explain] [--rebuild]

The big station's bulk insert bypasses the program, so it has no search documents; this
benchmark copies it once to ``benchmarks/data/search-big`` (the other benchmarks keep theirs
unchanged) and builds the indexes there with the program's own builder, timed.

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from app.bootstrap import open_services
from app.domain.enums import OrderStatus
from app.domain.search_words import given_name, query_tokens
from app.services import search_any
from app.services.order_queries import OrderFilter, prepare
from app.services.search_any import any_part_queries, tier_one_sql
from app.services.search_build import SearchBuilder
from app.services.search_docs import CUSTOMERS, ORDERS
from app.store.key_seal import default_key_seal
from app.store.sqlite_driver import Connection
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR, build

SEARCH_DIR = DEFAULT_DIR.parent / "search-big"
MARKER = "search-built"
INDEX_TABLES = [t for table in (ORDERS, CUSTOMERS) for t in
                (table.name, *(name for name, _f in table.fts))]


def _ms(fn, runs: int) -> float:
    fn()  # warm the page cache and statement cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _index_bytes(raw: Connection) -> dict[str, int]:
    """Bytes per table of the search indexes (dbstat: every page of the table and its
    indexes; FTS5 shadow tables counted with their FTS table)."""
    sizes = dict.fromkeys(INDEX_TABLES, 0)
    for name, size in raw.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        for table in INDEX_TABLES:
            if name == table or name.startswith(table + "_") or (
                    name.startswith("sqlite_autoindex_" + table + "_")):
                sizes[table] += size
                break
    return sizes


def _prepare(rebuild: bool) -> None:
    build(DEFAULT_DIR, 200_000, 1_000_000)
    marker = SEARCH_DIR / MARKER
    if marker.exists() and not rebuild:
        print(f"index already built: {marker.read_text().strip()}")
        return
    SEARCH_DIR.mkdir(parents=True, exist_ok=True)
    for f in SEARCH_DIR.glob("station.sqlite3*"):
        f.unlink()
    src = station_db.connect(DEFAULT_DIR / "station.sqlite3")
    key = station_db.station_key(DEFAULT_DIR / "station.sqlite3")
    if key is not None:  # the copy is encrypted like its source, with the same key
        default_key_seal(SEARCH_DIR).save(key)
    dst = station_db.connect(SEARCH_DIR / "station.sqlite3", key=key)
    src.backup(dst)
    src.close()
    # a station migrated before the documents' FTS tables lost their insert and update
    # triggers (migration 0009 as first written) gets the shape the program expects
    for table in (ORDERS, CUSTOMERS):
        for fts, _fields in table.fts:
            for suffix in ("_ai", "_au"):
                dst.execute(f"DROP TRIGGER IF EXISTS {fts}{suffix}")
    before = (SEARCH_DIR / "station.sqlite3").stat().st_size
    dst.close()
    services = open_services(SEARCH_DIR)
    with services.db.write() as s:
        for table in (ORDERS, CUSTOMERS):
            s.connection().exec_driver_sql(f"DELETE FROM {table.name}")
            for fts, _fields in table.fts:
                s.connection().exec_driver_sql(
                    f"INSERT INTO {fts} ({fts}) VALUES ('delete-all')")
        s.connection().exec_driver_sql("DELETE FROM search_state")
        s.connection().exec_driver_sql("DELETE FROM settings WHERE key LIKE 'search.build.%'")
    builder = SearchBuilder(services.db)
    steps: list[float] = []
    started = time.perf_counter()
    last = [started, -1]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        steps.append(now - last[0])
        last[0] = now
        percent = done * 100 // total
        if percent != last[1]:
            last[1] = percent
            print(f"\rbuilding: {percent}% ({done:,} of {total:,})", end="", flush=True)

    builder.run(progress)
    seconds = time.perf_counter() - started
    services.close()
    raw = station_db.connect(SEARCH_DIR / "station.sqlite3")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    after = (SEARCH_DIR / "station.sqlite3").stat().st_size
    steps.sort()
    text = (f"built in {seconds:.0f} s, {len(steps)} batches of {builder.batch} "
            f"(median {statistics.median(steps) * 1000:.0f} ms, 99th "
            f"{steps[int(len(steps) * 0.99)] * 1000:.0f} ms, max {steps[-1] * 1000:.0f} ms); "
            f"file {before / 2**20:,.0f} -> {after / 2**20:,.0f} MiB")
    print("\n" + text)
    marker.write_text(text + "\n")


def sample(raw: Connection) -> tuple[str, str, str, str, str, str]:
    """Phone digits, serial, number, customer name, model and fault of order rowid 500,000
    (of the middle order on a smaller station)."""
    return raw.execute(
        "select p.digits, pr.serial_no, o.number, c.name, pr.model, o.fault_description "
        "from service_orders o join customer_phones p on p.customer_id = o.customer_id "
        "join products pr on pr.id = o.product_id join customers c on c.id = o.customer_id "
        "where o.rowid = (select min(500000, max(rowid) / 2) from service_orders)"
    ).fetchone()


def search_cases(raw: Connection) -> dict[str, OrderFilter]:
    """Each kind of any-part query, built from the sample order."""
    phone, serial, number, name, model, fault = sample(raw)
    words = query_tokens(fault)
    return {
        "phone, last 4 digits": OrderFilter(text=phone[-4:]),
        "phone, last 6 digits": OrderFilter(text=phone[-6:]),
        "given name": OrderFilter(text=given_name(name)),
        "serial, middle part": OrderFilter(text=serial[4:10]),
        "order number, day and sequence": OrderFilter(text=number[-13:]),
        "order number, sequence part": OrderFilter(text=number[-6:]),
        "model": OrderFilter(text=model),
        "model, part": OrderFilter(text=model[:5]),
        "one fault word": OrderFilter(text=words[0]),
        "two fault words": OrderFilter(text=" ".join(words[:2]) if len(words) > 1
                                       else words[0] + " 空调"),
        "fault word + status waiting parts": OrderFilter(
            text=words[0], status=OrderStatus.WAITING_PARTS),
        "prefix: phone (full)": OrderFilter(text=phone),
        "prefix: order number": OrderFilter(text=number),
    }


def statements(raw: Connection, flt: OrderFilter, now: datetime
               ) -> list[tuple[str, tuple | list | dict]]:
    """The SQL the service runs for ``flt``: the order list's statement, then each any-part
    tier's."""
    found = [prepare(raw, flt, now, None, 100)]
    for kind, match in any_part_queries(flt.text):
        found.append(tier_one_sql(flt, now, kind, match, None, 100))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="copy and build the index again")
    parser.add_argument("--as-is", action="store_true",
                        help="measure the index as it stands (a build still running): the "
                             "searches are told it is complete")
    args = parser.parse_args()
    if args.as_is:
        search_any.index_ready = lambda _conn, _name: True
    else:
        _prepare(args.rebuild)
    services = open_services(SEARCH_DIR)
    raw = station_db.connect(SEARCH_DIR / "station.sqlite3")
    phone, serial, number, name, model, fault = sample(raw)
    words = query_tokens(fault)
    indexed = raw.execute(f"SELECT count(*) FROM {ORDERS.name}").fetchone()[0]
    print(f"orders indexed: {indexed:,}")
    print(f"sample order {number}: {name} {phone} {serial} {model} {fault!r} -> {words}")
    cases = search_cases(raw)
    now = datetime.now(UTC)
    print(f"\n{'orders: first page':<36}{'rows':>6}{'service ms':>12}{'raw ms':>12}"
          f"{'fts only ms':>13}")
    for label, flt in cases.items():
        rows = services.orders.search(flt, limit=100)
        statements = [prepare(raw, flt, now, None, 100)]
        fts_only = []
        for kind, match in any_part_queries(flt.text):
            statements.append(tier_one_sql(flt, now, kind, match, None, 100))
            table = ORDERS.fts[0][0] if kind == "codes" else ORDERS.fts[1][0]
            fts_only.append((f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
                             "ORDER BY rowid DESC LIMIT 100", (match,)))
        service_ms = _ms(lambda flt=flt: services.orders.search(flt, limit=100), args.runs)
        raw_ms = _ms(lambda st=statements: [raw.execute(q, v).fetchall() for q, v in st],
                     args.runs)
        fts_ms = _ms(lambda st=fts_only: [raw.execute(q, v).fetchall() for q, v in st],
                     args.runs) if fts_only else 0.0
        print(f"{label + ' (' + flt.text + ')':<36}{len(rows):>6}{service_ms:>12.2f}"
              f"{raw_ms:>12.2f}{fts_ms:>13.2f}")
        if args.explain:
            for q, v in statements:
                for row in raw.execute("EXPLAIN QUERY PLAN " + q, v):
                    print("    ", row[-1])
    print(f"\n{'customers: first 100':<36}{'rows':>6}{'service ms':>12}")
    for label, text in {"phone, last 4 digits": phone[-4:], "given name": given_name(name),
                        "serial, middle part": serial[4:10], "model": model}.items():
        found = services.customers.search(text)
        ms = _ms(lambda text=text: services.customers.search(text), args.runs)
        print(f"{label + ' (' + text + ')':<36}{len(found):>6}{ms:>12.2f}")
    sizes = _index_bytes(raw)
    total = (SEARCH_DIR / "station.sqlite3").stat().st_size
    print("\nindex size on disk (dbstat)")
    for table, size in sizes.items():
        print(f"  {table:<24}{size / 2**20:>10,.1f} MiB")
    print(f"  {'all':<24}{sum(sizes.values()) / 2**20:>10,.1f} MiB of a "
          f"{total / 2**20:,.0f} MiB file")
    if (SEARCH_DIR / MARKER).exists():
        print((SEARCH_DIR / MARKER).read_text().strip())
    services.close()


if __name__ == "__main__":
    main()
