"""The encrypted store's cost (issue 14): the same big station plain and encrypted with
SQLCipher, measured in one run, and the first start of a 1,000,000-order station after the
upgrade (the plain database encrypted in place).

    python -m benchmarks.search_any_part      # once: the big station with its search index
    python -m benchmarks.encrypted_store [--runs 15] [--orders 200] [--again]

Preparation (once; markers in the folders say it is done):

* ``benchmarks/data/search-big-plain``: a file copy of ``search-big`` (orders and customers
  indexed for search), migrated to the program's schema without a backup, its knowledge
  index built by ``KnowledgeService.build`` — the stays-plain side;
* ``benchmarks/data/search-big-encrypted``: a copy of that, opened once by ``open_services``
  in a child process: the first start after the upgrade (``prepare_store``: the plain file
  checked, exported by ``sqlcipher_export``, row counts and ``integrity_check`` compared,
  renamed, the plain copy wiped, a before-migration backup), timed, with its peak memory
  (``ru_maxrss`` of the child alone). ``--again`` makes this copy and measures it again.

Then, both files read once through the OS page cache (both stay warm: 24 GiB of RAM, two
~3 GiB files), each figure is measured on both stores with the runs interleaved (plain,
encrypted, plain, ...), through the services (plain: ``Database.open`` without a key and
``build_services``, as an unencrypted test store; encrypted: the same with its key, as
``open_services`` opens it once it is encrypted; a schema the program has moved past is
migrated on both, without the 3 GiB before-migration backup) and as the
same SQL on a raw ``sqlite_driver`` connection (the baseline the other benchmarks use).
Both sides run on the one SQLite the program ships (SQLCipher's), so the ratio is the codec's
cost alone: each page SQLite reads from the OS is decrypted (AES-256-CBC) and its HMAC-SHA512
checked; each page written is encrypted and signed.

Writes (``synchronous=FULL``, the program's setting) change both copies alike: N orders
through ``OrderService.create``; the knowledge and search documents follow through the
write hook.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.store.store_key import StoreKey
from benchmarks.big_station import DEFAULT_DIR

DATA = DEFAULT_DIR.parent
SOURCE_DIR = DATA / "search-big"
PLAIN_DIR = DATA / "search-big-plain"
ENCRYPTED_DIR = DATA / "search-big-encrypted"
PLAIN_READY = "plain-ready"
FIRST_START = "first-start.json"
DB = "station.sqlite3"
#: ``PRAGMA cache_size`` of a new connection in this build of sqlcipher3 (8 MiB)
DEFAULT_CACHE = -8_000


def _rss_kib() -> int:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


# -- preparation -------------------------------------------------------------------------------


def plain_services(folder: Path, key: StoreKey | None = None):  # type: ignore[no-untyped-def]
    """The services over a station (plain: without encrypting it, as open_services would),
    its schema brought to the program's without a before-migration backup (both copies are
    the benchmark's own; a 3 GiB backup would take minutes)."""
    from app.bootstrap import build_services
    from app.paths import DataPaths
    from app.store import migrate
    from app.store.database import Database

    paths = DataPaths(folder).ensure()
    if migrate.current_revision(bare := _bare_engine(paths.database, key)) != \
            migrate.SCHEMA_HEAD:
        migrate.upgrade(bare, None, None, key)
    bare.dispose()
    return build_services(paths, Database.open(paths.database, key=key))


def _bare_engine(path: Path, key: StoreKey | None):  # type: ignore[no-untyped-def]
    """An engine without the program's ``BEGIN`` listener, for the migration: the store's
    engine begins a transaction before ``migrate.upgrade``'s ``PRAGMA foreign_keys = OFF``,
    where SQLite ignores it, and a table rebuilt by ``batch_alter_table`` (0012's
    ``customers``) then fails its ``DROP TABLE`` on the foreign keys (told to the lead)."""
    from sqlalchemy import create_engine

    from app.store import sqlite_driver

    def creator() -> sqlite_driver.Connection:
        conn = sqlite_driver.connect(path, key)
        # the foreign-key check after the migration reads every table: a big page cache
        # keeps it from decrypting the same index pages again and again
        conn.execute("PRAGMA cache_size = -262144")
        return conn

    return create_engine("sqlite://", module=sqlite_driver.driver, creator=creator)


def _prepare_plain() -> None:
    from app.store import migrate, sqlite_driver
    from app.store.database import Database
    from benchmarks.knowledge_search import _reshape

    if (PLAIN_DIR / PLAIN_READY).exists():
        return
    if SOURCE_DIR.name == "search-big" and not (SOURCE_DIR / "search-built").exists():
        sys.exit("run python -m benchmarks.search_any_part first (it builds search-big)")
    PLAIN_DIR.mkdir(parents=True, exist_ok=True)
    if not (PLAIN_DIR / DB).exists():
        print("copying search-big ...", flush=True)
        for f in PLAIN_DIR.glob(DB + "*"):
            f.unlink()
        shutil.copyfile(SOURCE_DIR / DB, PLAIN_DIR / (DB + ".tmp"))
        os.replace(PLAIN_DIR / (DB + ".tmp"), PLAIN_DIR / DB)
    db = Database.open(PLAIN_DIR / DB)
    print("migrating to", migrate.SCHEMA_HEAD, "...", flush=True)
    migrate.upgrade(db.engine, None, None)
    db.dispose()
    raw = sqlite_driver.connect(PLAIN_DIR / DB, None)
    _reshape(raw, False)
    raw.close()
    services = plain_services(PLAIN_DIR)
    started = time.perf_counter()
    if not services.knowledge.progress().complete:
        print("building the knowledge index ...", flush=True)
        services.knowledge.build(progress=lambda p: print(
            f"\r  {p.done:,}/{p.total:,}", end="", flush=True) if p.done % 100_000 < 2_000
            else None)
        print(f"\n  built in {time.perf_counter() - started:.0f} s", flush=True)
    services.close()
    raw = sqlite_driver.connect(PLAIN_DIR / DB, None)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    (PLAIN_DIR / PLAIN_READY).write_text(f"schema {migrate.SCHEMA_HEAD}\n")


def first_start_child(folder: Path) -> dict[str, Any]:
    """In a child process: the program's first start on a plain station (encrypted in
    place), timed per step, with this process's peak memory."""
    from app.bootstrap import open_services

    before = _rss_kib()
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(step: str, fraction: float) -> None:
        now = time.perf_counter() - started
        marks.setdefault(f"{step} first", now)
        marks[f"{step} last"] = now

    services = open_services(folder, progress=progress)
    opened = time.perf_counter() - started
    services.close()
    return {"seconds": opened, "marks": marks, "rss_before_kib": before,
            "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def _prepare_encrypted(again: bool) -> dict[str, Any]:
    marker = ENCRYPTED_DIR / FIRST_START
    if marker.exists() and not again:
        return json.loads(marker.read_text())
    shutil.rmtree(ENCRYPTED_DIR, ignore_errors=True)
    ENCRYPTED_DIR.mkdir(parents=True)
    print("copying the plain station ...", flush=True)
    shutil.copyfile(PLAIN_DIR / DB, ENCRYPTED_DIR / DB)
    plain_bytes = (ENCRYPTED_DIR / DB).stat().st_size
    _warm(ENCRYPTED_DIR / DB)
    print("first start after the upgrade (child process) ...", flush=True)
    wall = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.encrypted_store", "--first-start",
         str(ENCRYPTED_DIR)], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - wall
    result["plain_bytes"] = plain_bytes
    result["encrypted_bytes"] = (ENCRYPTED_DIR / DB).stat().st_size
    result["backup_bytes"] = sum(f.stat().st_size for f in
                                 (ENCRYPTED_DIR / "backups").rglob("*") if f.is_file())
    result["load"] = os.getloadavg()
    marker.write_text(json.dumps(result, indent=1) + "\n")
    return result


def _warm(path: Path) -> None:
    """Reads the whole file once so it sits in the OS page cache."""
    with path.open("rb") as f:
        while f.read(16 << 20):
            pass


def _print_first_start(r: dict[str, Any]) -> None:
    marks = r["marks"]
    encrypt = marks.get("encrypt last", float("nan"))
    print(f"\nfirst start after the upgrade: {r['seconds']:.1f} s in all "
          f"(encrypt_in_place done at {encrypt:.1f} s: export, counts, integrity_check, "
          f"renames; then the plain copy wiped, photos/backups, a before-migration backup, "
          f"open) at load {r['load'][0]:.1f}")
    print(f"  peak memory of that process {r['peak_kib'] / 1024:,.0f} MiB "
          f"(before opening {r['rss_before_kib'] / 1024:,.0f} MiB)")
    print(f"  file {r['plain_bytes'] / 2**20:,.1f} MiB plain -> "
          f"{r['encrypted_bytes'] / 2**20:,.1f} MiB encrypted "
          f"({(r['encrypted_bytes'] / r['plain_bytes'] - 1) * 100:+.1f} %); "
          f"backup made {r['backup_bytes'] / 2**20:,.0f} MiB")


def main() -> None:
    global SOURCE_DIR, PLAIN_DIR, ENCRYPTED_DIR
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--orders", type=int, default=3,
                        help="orders to create on each side (one takes 10-40 s on the 1M "
                             "station: see docs/performance.md)")
    parser.add_argument("--again", action="store_true",
                        help="make the encrypted copy and time the first start again")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--cache-size", type=int, default=0,
                        help="PRAGMA cache_size for every connection of both sides (the "
                             "program sets none: sqlcipher3's default is -8000, 8 MiB)")
    parser.add_argument("--skip-raw-reports", action="store_true",
                        help="the reports through the service only (the hand-written SQL "
                             "takes minutes)")
    parser.add_argument("--raw-only", action="store_true",
                        help="raw connections only, no services (with --only settings)")
    parser.add_argument("--only", default="",
                        help="comma-separated steps: search,knowledge,reports,opening,writes,"
                             "settings")
    parser.add_argument("--first-start", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, default=SOURCE_DIR,
                        help="the station to copy (default: search-big); a small one proves "
                             "the script quickly")
    args = parser.parse_args()
    SOURCE_DIR = args.source
    if SOURCE_DIR.resolve() != (DATA / "search-big").resolve():
        PLAIN_DIR = DATA / f"{SOURCE_DIR.name}-plain"
        ENCRYPTED_DIR = DATA / f"{SOURCE_DIR.name}-encrypted"
    if args.first_start:
        print(json.dumps(first_start_child(args.first_start)))
        return
    _prepare_plain()
    first = _prepare_encrypted(args.again)
    _print_first_start(first)
    if args.prepare_only:
        return
    measure(args)


# -- measuring ---------------------------------------------------------------------------------

Row = tuple[str, str, float, float]  # group, figure, plain, encrypted (ms)


def _pair(plain: Callable[[], object], encrypted: Callable[[], object],
          runs: int) -> tuple[float, float]:
    """Median ms of each, the runs interleaved so both meet the same machine load."""
    plain()
    encrypted()  # warm SQLite's page cache and the statement caches
    p, e = [], []
    for _ in range(runs):
        t = time.perf_counter()
        plain()
        p.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        encrypted()
        e.append((time.perf_counter() - t) * 1000)
    return statistics.median(p), statistics.median(e)


def _line(rows: list[Row], group: str, label: str, p: float, e: float) -> None:
    rows.append((group, label, p, e))
    print(f"  {label:<44}{p:>11.2f}{e:>11.2f}{e / p:>8.2f}", flush=True)


def _header(title: str) -> None:
    print(f"\n{title:<46}{'plain ms':>11}{'encr. ms':>11}{'ratio':>8}")


class Side:
    """One store: its services, a raw connection and its key."""

    def __init__(self, folder: Path, encrypted: bool, services: bool = True) -> None:
        from app.store import sqlite_driver
        from benchmarks.station_db import station_key

        self.folder = folder
        self.path = folder / DB
        self.key = station_key(self.path) if encrypted else None
        assert encrypted == (self.key is not None)
        self.services = plain_services(folder, self.key) if services else None
        self.raw = sqlite_driver.connect(self.path, self.key)
        self.raw.execute("PRAGMA journal_mode = WAL")

    def set_cache_size(self, cache_size: int) -> None:
        """``PRAGMA cache_size`` on every connection of the services (their pool is emptied
        so each new connection gets it) and on the raw one."""
        from sqlalchemy import event

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA cache_size = {cache_size}")

        engine = self.services.db.engine
        event.listen(engine, "connect", on_connect)
        engine.dispose()
        self.raw.execute(f"PRAGMA cache_size = {cache_size}")

    def close(self) -> None:
        self.raw.close()
        if self.services is not None:
            self.services.close()


def _searches(rows: list[Row], plain: Side, enc: Side, runs: int) -> None:
    from datetime import UTC, datetime

    from benchmarks.order_search import order_cases
    from benchmarks.search_any_part import search_cases, statements

    now = datetime.now(UTC)
    for title, cases in (("any-part search (search_any_part)", search_cases(plain.raw)),
                         ("orders list (order_search)", order_cases(plain.raw))):
        _header(title + ": first page, service")
        group = title.split(" (")[0]
        raws = []
        for label, flt in cases.items():
            p, e = _pair(lambda f=flt: plain.services.orders.search(f, limit=100),
                         lambda f=flt: enc.services.orders.search(f, limit=100), runs)
            shown = flt.text or (flt.status.value if flt.status else "")
            _line(rows, group, (f"{label} ({shown})" if shown else label)[:44], p, e)
            raws.append((label, statements(plain.raw, flt, now)))
        _header(title + ": the same SQL, raw connection")
        for label, st in raws:
            p, e = _pair(lambda s=st: [plain.raw.execute(q, v).fetchall() for q, v in s],
                         lambda s=st: [enc.raw.execute(q, v).fetchall() for q, v in s], runs)
            _line(rows, group + " (raw SQL)", label, p, e)
    _header("customers: first 100, service")
    from app.domain.search_words import given_name
    from benchmarks.search_any_part import sample

    phone, serial, _number, name, model, _fault = sample(plain.raw)
    for label, text in {"phone, last 4 digits": phone[-4:], "given name": given_name(name),
                        "serial, middle part": serial[4:10], "model": model}.items():
        p, e = _pair(lambda t=text: plain.services.customers.search(t),
                     lambda t=text: enc.services.customers.search(t), runs)
        _line(rows, "customers", f"{label} ({text})", p, e)


def _knowledge(rows: list[Row], plain: Side, enc: Side, runs: int) -> None:
    from app.domain.search_words import fts_phrase, query_tokens
    from app.services import knowledge
    from benchmarks.knowledge_search import CASES

    _header("knowledge: similar repairs, first page")
    window = ("SELECT rowid, bm25(knowledge_fts, 1.0, 0.0) FROM knowledge_fts WHERE "
              "knowledge_fts MATCH ? ORDER BY rowid DESC LIMIT ?")
    raws = []
    for symptom, model in CASES[:6]:
        p, e = _pair(lambda s=symptom, m=model: plain.services.knowledge.similar(s, m),
                     lambda s=symptom, m=model: enc.services.knowledge.similar(s, m), runs)
        _line(rows, "knowledge", f"{symptom} / {model or '-'}", p, e)
        tokens = knowledge._telling(query_tokens(symptom))
        raws.append((symptom, "words : (" + " OR ".join(fts_phrase(t) for t in tokens) + ")"))
    _header("knowledge: the FTS window, raw connection")
    for symptom, match in raws:
        p, e = _pair(lambda m=match: plain.raw.execute(window, (m, knowledge.WINDOW)).fetchall(),
                     lambda m=match: enc.raw.execute(window, (m, knowledge.WINDOW)).fetchall(),
                     runs)
        _line(rows, "knowledge (raw SQL)", symptom, p, e)


def _reports(rows: list[Row], plain: Side, enc: Side, runs: int,
             raw_reports: bool = True) -> None:
    from datetime import UTC, datetime, timedelta

    from app.cli.parts_cmd import CLI_ACTOR
    from app.domain.report_tables import ReportQuery
    from app.services.station_reports import REPORT_MODULES, StationReportService
    from benchmarks.reports_bench import SHANGHAI, Plain

    newest = plain.raw.execute("SELECT max(called_at) FROM service_orders").fetchone()[0]
    end = datetime.fromisoformat(newest).replace(tzinfo=UTC).astimezone(SHANGHAI).date()
    last = end.replace(day=1) - timedelta(days=1)
    query = ReportQuery(last.replace(day=1), last)
    _header(f"reports over a month ({query.start} .. {query.end}), service")
    p_reports = StationReportService(plain.services.db, tz=SHANGHAI)
    e_reports = StationReportService(enc.services.db, tz=SHANGHAI)
    n = max(3, runs // 3)
    for name in REPORT_MODULES:
        p, e = _pair(lambda m=name: p_reports.run(CLI_ACTOR, m, query),
                     lambda m=name: e_reports.run(CLI_ACTOR, m, query), n)
        _line(rows, "reports (month)", name, p, e)
    if not raw_reports:
        return
    _header("reports over a month: hand-written SQL, raw connection")
    p_plain, e_plain = Plain(plain.raw, query), Plain(enc.raw, query)
    for name in REPORT_MODULES:
        if hasattr(p_plain, name):
            p, e = _pair(getattr(p_plain, name), getattr(e_plain, name), n)
            _line(rows, "reports (raw SQL)", name, p, e)


def _new_order(i: int, tag: str):  # type: ignore[no-untyped-def]
    from app.domain.enums import OrderSource, OrderType, ServiceMode
    from app.services.customers import CustomerInput
    from app.services.order_types import NewOrder

    phone = f"137{tag}{i:05d}"
    return NewOrder(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                    service_mode=ServiceMode.WORKSHOP, fault_description="空调不制冷，外机噪音大",
                    contact_phone=phone,
                    customer=CustomerInput(f"基准{tag}{i}", (phone,), "北京市海淀区学院路1号"))


def _catalogue(parts: int, tag: str) -> bytes:
    lines = ["part_no,name,specification,models,unit,retail_price,station_price,"
             "return_required,warranty_months"]
    lines += [f"E{tag}-{i:05d},压缩机{i % 97},规格{i % 13},\"KFR-35GW\",个,"
              f"{100 + i % 900}.50,{50 + i % 400},是," for i in range(parts)]
    return "\r\n".join(lines).encode("gb18030")


def _writes(rows: list[Row], plain: Side, enc: Side, orders: int, runs: int) -> None:
    from app.cli.parts_cmd import CLI_ACTOR
    from app.services.context import SYSTEM

    tag = f"{int(time.time()) % 1000:03d}"
    _header(f"writes (synchronous=FULL): {orders} orders, OrderService.create each")
    p_t, e_t = [], []
    for i in range(orders):  # interleaved: plain, encrypted, plain, ...
        for side, out in ((plain, p_t), (enc, e_t)):
            t = time.perf_counter()
            side.services.orders.create(CLI_ACTOR, _new_order(i, tag))
            out.append((time.perf_counter() - t) * 1000)
        print(f"    order {i + 1}: {p_t[-1]:.0f} / {e_t[-1]:.0f} ms", flush=True)
    _line(rows, "writes", "create an order (median)", statistics.median(p_t),
          statistics.median(e_t))
    _line(rows, "writes", f"create {orders} orders (total)", sum(p_t), sum(e_t))
    parts = 2_000
    _header(f"writes: a catalogue of {parts:,} parts, then stock counts posting movements")
    p_t, e_t = [], []
    for side, out in ((plain, p_t), (enc, e_t)):
        t = time.perf_counter()
        side.services.catalogue.import_bytes(
            SYSTEM, _catalogue(parts, tag + ("p" if side is plain else "e")), "bench.csv")
        out.append((time.perf_counter() - t) * 1000)
    _line(rows, "writes", f"catalogue import, {parts:,} parts (one transaction)", p_t[-1],
          e_t[-1])
    times: dict[str, tuple[list[float], list[float]]] = {
        "open": ([], []), "enter": ([], []), "post": ([], [])}
    entered = 100
    for _round in range(3):  # interleaved rounds: open a count, enter lines, post
        for n, side in enumerate((plain, enc)):
            s = side.services
            current = s.counts.current()
            if current is not None:  # left open by an interrupted run
                s.counts.post(CLI_ACTOR, current.number, "基准")
            t = time.perf_counter()
            count = s.counts.open(CLI_ACTOR)
            times["open"][n].append((time.perf_counter() - t) * 1000)
            for i, line in enumerate(count.lines[:entered]):
                t = time.perf_counter()
                s.counts.enter(CLI_ACTOR, count.id, line.part_id,
                               line.book_quantity + 1 + i % 3)
                times["enter"][n].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            s.counts.post(CLI_ACTOR, count.id, "盘点基准")
            times["post"][n].append((time.perf_counter() - t) * 1000)
    med = statistics.median
    _line(rows, "writes", "open a stock count (every part; median of 3)",
          med(times["open"][0]), med(times["open"][1]))
    _line(rows, "writes", f"enter a counted line (median of {3 * entered})",
          med(times["enter"][0]), med(times["enter"][1]))
    _line(rows, "writes", f"post a count: {entered} stock movements (median of 3)",
          med(times["post"][0]), med(times["post"][1]))
    _header("sync: a push batch read from the outbox")
    for limit in (500, 2_000):
        p_after = plain.services.sync.store.push_position().acked_seq
        e_after = enc.services.sync.store.push_position().acked_seq
        p, e = _pair(lambda a=p_after, n=limit: plain.services.sync.store.read_ops(a, None, n),
                     lambda a=e_after, n=limit: enc.services.sync.store.read_ops(a, None, n),
                     runs)
        _line(rows, "sync", f"read a push batch of {limit:,} outbox ops", p, e)


def _opening(rows: list[Row], plain: Side, enc: Side, runs: int) -> None:
    from app.store import sqlite_driver

    _header("opening a connection")

    def connect(side: Side) -> None:
        conn = sqlite_driver.connect(side.path, side.key)
        conn.execute("SELECT count(*) FROM service_orders WHERE rowid < 100").fetchone()
        conn.close()

    p, e = _pair(lambda: connect(plain), lambda: connect(enc), runs)
    _line(rows, "opening", "connect, key, first query, close", p, e)


def _settings(rows: list[Row], plain: Side, enc: Side, runs: int, args_cache: int = 0) -> None:
    """The codec's settings that could matter, on the raw connection: SQLite's page cache
    (decrypted pages stay decrypted there) and SQLCipher's memory wiping."""
    from datetime import UTC, datetime

    from benchmarks.order_search import order_cases
    from benchmarks.search_any_part import search_cases, statements

    print("\nSQLCipher settings on this build:", ", ".join(
        f"{name}={enc.raw.execute(f'PRAGMA {name}').fetchone()[0]}" for name in
        ("cipher_page_size", "kdf_iter", "cipher_hmac_algorithm", "cipher_kdf_algorithm",
         "cipher_memory_security", "cache_size")))
    now = datetime.now(UTC)
    heavy = {**{k: v for k, v in order_cases(plain.raw).items() if k.startswith("broad")},
             **{k: v for k, v in search_cases(plain.raw).items() if "fault" in k}}
    for cache in (-2_000, -8_000, -16_384, -65_536, -262_144):
        for side in (plain, enc):
            side.raw.execute(f"PRAGMA cache_size = {cache}")
        _header(f"raw SQL with cache_size = {cache} ({-cache / 1024:.0f} MiB)")
        for label, flt in heavy.items():
            st = statements(plain.raw, flt, now)
            p, e = _pair(lambda s=st: [plain.raw.execute(q, v).fetchall() for q, v in s],
                         lambda s=st: [enc.raw.execute(q, v).fetchall() for q, v in s], runs)
            _line(rows, f"cache_size {cache}", label, p, e)
    for side in (plain, enc):
        side.raw.execute(f"PRAGMA cache_size = {args_cache or DEFAULT_CACHE}")


def _markdown(rows: list[Row]) -> None:
    print("\n| group | figure | plain ms | encrypted ms | ratio |\n|---|---|---:|---:|---:|")
    for group, label, p, e in rows:
        print(f"| {group} | {label} | {p:.2f} | {e:.2f} | {e / p:.2f} |")


def measure(args: argparse.Namespace) -> None:
    print(f"\nload average {os.getloadavg()}; warming both files in the OS page cache ...",
          flush=True)
    for folder in (PLAIN_DIR, ENCRYPTED_DIR):
        _warm(folder / DB)
    plain = Side(PLAIN_DIR, False, not args.raw_only)
    enc = Side(ENCRYPTED_DIR, True, not args.raw_only)
    if args.cache_size:
        print(f"PRAGMA cache_size = {args.cache_size} on every connection of both sides")
        for side in (plain, enc):
            side.set_cache_size(args.cache_size)
    for side in (plain, enc):
        size = side.path.stat().st_size
        free = int(side.raw.execute("PRAGMA freelist_count").fetchone()[0]) * \
            int(side.raw.execute("PRAGMA page_size").fetchone()[0])
        print(f"{side.folder.name}: {size / 2**20:,.1f} MiB ({free / 2**20:,.1f} MiB free "
              f"pages), "
              f"{side.raw.execute('SELECT count(*) FROM service_orders').fetchone()[0]:,} "
              "orders")
    rows: list[Row] = []
    steps = args.only.split(",") if args.only else ["search", "knowledge", "reports",
                                                   "opening", "writes", "settings"]
    try:
        for step in steps:
            if step == "search":
                _searches(rows, plain, enc, args.runs)
            elif step == "knowledge":
                _knowledge(rows, plain, enc, args.runs)
            elif step == "reports":
                _reports(rows, plain, enc, args.runs, not args.skip_raw_reports)
            elif step == "opening":
                _opening(rows, plain, enc, args.runs)
            elif step == "writes":
                _writes(rows, plain, enc, args.orders, args.runs)
            elif step == "settings":
                _settings(rows, plain, enc, args.runs, args.cache_size)
    finally:
        _markdown(rows)
        print(f"load average {os.getloadavg()}")
        plain.close()
        enc.close()


if __name__ == "__main__":
    main()
