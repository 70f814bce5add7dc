"""Repair knowledge on a big station: the background build of the knowledge index (timed),
then the first page of ``KnowledgeService.similar`` for several symptoms beside the same FTS5
statement on a raw connection, the whole-match bm25 ranking it avoids, and the index's size.
Goal: first page under 100 ms.

    python -m benchmarks.big_station           # once: 1,000,000 orders (shared, read only)
    python -m benchmarks.knowledge_search [--runs 15] [--rebuild]

The big station is shared with the other benchmarks, so this one works on its own copy
(``benchmarks/data/knowledge``), made once; the knowledge tables of a copy made before their
shape settled are made again.

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from app.bootstrap import open_services
from app.domain.search_words import fts_phrase, query_tokens
from app.services import knowledge
from app.store.migrate import MIGRATIONS_DIR
from app.store.sqlite_driver import Connection, OperationalError
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR, build

COPY_DIR = DEFAULT_DIR.parent / "knowledge"
CASES = [
    ("不制冷", None),
    ("不制冷", "KFR-35GW/BP3DN1Y"),
    ("空调制冷效果差，外机噪音大", "KFR-35GW/BP3DN1Y"),
    ("不出热水", None),
    ("热水器不加热", "EC6002-H"),
    ("洗衣机不脱水", None),
    ("燃气灶打不着火", "JZT-Q216B"),
    ("遥控器无反应", None),
    ("漏水", None),
    ("显示E1故障码", None),
]


def _copy(source: Path) -> Path:
    marker = COPY_DIR / f"copied-from-{next(source.glob('built-*')).name}"
    if marker.exists():
        return COPY_DIR
    shutil.rmtree(COPY_DIR, ignore_errors=True)
    COPY_DIR.mkdir(parents=True)
    station_db.copy_station(source, COPY_DIR)
    marker.write_text("")
    return COPY_DIR


def _reshape(raw: Connection, again: bool) -> None:
    """Makes the knowledge tables again (empty) when asked or when the copy has an older
    shape (no ``tags``)."""
    columns = {r[1] for r in raw.execute("PRAGMA table_info(repair_knowledge)")}
    if "tags" in columns and not again:
        return
    spec = importlib.util.spec_from_file_location(
        "m0009", MIGRATIONS_DIR / "versions" / "0009_search_index.py")
    assert spec and spec.loader
    m0009 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m0009)
    for suffix in ("_au", "_ad", "_ai"):
        raw.execute(f"DROP TRIGGER IF EXISTS knowledge_fts{suffix}")
    raw.execute("DROP TABLE IF EXISTS knowledge_fts")
    raw.execute("DROP TABLE repair_knowledge")
    raw.execute("DELETE FROM search_state WHERE name = 'knowledge'")
    raw.execute("DELETE FROM settings WHERE key = ?", (knowledge.CURSOR_KEY,))
    raw.execute(
        "CREATE TABLE repair_knowledge (doc INTEGER NOT NULL PRIMARY KEY, record_id "
        "VARCHAR(36) NOT NULL UNIQUE REFERENCES repair_records (id) ON DELETE CASCADE, "
        "order_id VARCHAR(36) NOT NULL REFERENCES service_orders (id) ON DELETE CASCADE, "
        "model VARCHAR(64) NOT NULL, words TEXT NOT NULL, tags TEXT NOT NULL)")
    raw.execute("CREATE INDEX ix_repair_knowledge_order_id ON repair_knowledge (order_id)")
    for statement in m0009._fts_ddl("repair_knowledge", "doc", "knowledge_fts",
                                    ("words", "tags"), "unicode61"):
        raw.execute(statement)
    raw.commit()


def _ms(fn, runs: int) -> tuple[float, float]:
    fn()  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def _size_mb(raw: Connection) -> tuple[float, float]:
    try:
        rows = dict(raw.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'knowledge_fts%' "
            "OR name = 'repair_knowledge' OR name LIKE '%repair_knowledge%' GROUP BY name"))
    except OperationalError:
        return float("nan"), float("nan")
    fts = sum(v for k, v in rows.items() if k.startswith("knowledge_fts"))
    return (sum(rows.values()) - fts) / 2**20, fts / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true",
                        help="empty the knowledge index of the copy and build it again")
    args = parser.parse_args()
    build(DEFAULT_DIR, 200_000, 1_000_000)
    folder = _copy(DEFAULT_DIR)
    raw = station_db.connect(folder / "station.sqlite3")
    _reshape(raw, args.rebuild)
    services = open_services(folder)
    service = services.knowledge
    if not service.progress().complete:
        started, last = time.perf_counter(), [0.0]

        def shown(p: knowledge.BuildProgress) -> None:
            if time.perf_counter() - last[0] > 10 or p.complete:
                last[0] = time.perf_counter()
                print(f"  build {p.done:,}/{p.total:,} "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)

        service.build(progress=shown)
        print(f"knowledge index built in {time.perf_counter() - started:.1f} s")
    with services.db.read() as s:
        docs = s.execute(text("SELECT count(*) FROM repair_knowledge")).scalar_one()
        orders = s.execute(text("SELECT count(*) FROM service_orders")).scalar_one()
    table_mb, fts_mb = _size_mb(raw)
    print(f"{orders:,} orders, {docs:,} knowledge documents; repair_knowledge "
          f"{table_mb:.0f} MB + knowledge_fts {fts_mb:.0f} MB")
    print(f"{'symptom':<28} {'model':<18} {'matches':>8} {'service':>9} {'p90':>7} "
          f"{'raw FTS':>8} {'raw SQL':>8} {'all bm25':>9}")
    for symptom, model in CASES:
        tokens = knowledge._telling(query_tokens(symptom))
        match = "words : (" + " OR ".join(fts_phrase(tok) for tok in tokens) + ")"
        matches = raw.execute("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH ?",
                              (match,)).fetchone()[0]
        med, p90 = _ms(lambda s=symptom, m=model: service.similar(s, m), args.runs)
        fts, _ = _ms(lambda m=match: raw.execute(
            "SELECT rowid, bm25(knowledge_fts, 1.0, 0.0) FROM knowledge_fts WHERE "
            "knowledge_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (m, knowledge.WINDOW)).fetchall(), args.runs)
        def raw_sql(m: str = match) -> None:
            # the service's statements on the raw connection: the window, then its records
            docs = [d for d, _s in raw.execute(
                "SELECT rowid, bm25(knowledge_fts, 1.0, 0.0) FROM knowledge_fts WHERE "
                "knowledge_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (m, knowledge.WINDOW))]
            for i in range(0, len(docs), 500):
                chunk = docs[i:i + 500]
                raw.execute(
                    "SELECT k.doc, k.model, k.order_id, r.diagnosis, r.actions, r.created_at "
                    "FROM repair_knowledge k JOIN repair_records r ON r.id = k.record_id "
                    f"WHERE k.doc IN ({', '.join('?' * len(chunk))})", chunk).fetchall()

        both, _ = _ms(raw_sql, args.runs)
        ranked, _ = _ms(lambda m=match: raw.execute(
            "SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH ? "
            "ORDER BY bm25(knowledge_fts, 1.0, 0.0) LIMIT 10", (m,)).fetchall(),
            max(3, args.runs // 5))
        print(f"{symptom:<28} {model or '-':<18} {matches:>8,} {med:>7.1f}ms {p90:>5.1f}ms "
              f"{fts:>6.1f}ms {both:>6.1f}ms {ranked:>7.1f}ms")
        first = service.similar(symptom, model, 3)
        for sug in first[:1]:
            print(f"    -> {sug.diagnosis} / {sug.actions} ({sug.times}x)")
    raw.close()
    services.close()


if __name__ == "__main__":
    main()
