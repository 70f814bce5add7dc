"""Each station report over one year on the 1,000,000-order station, through the report
service (``StationReportService.run``: its read snapshot, its SQL, building the typed tables)
and, in the same run, the same aggregates written directly on a raw connection (a separate
connection, the statements a person would write by hand: one grouped query per table, the
90th percentile by ``row_number()``, the 90-day comeback as an ``EXISTS``). Goal: each
report within 2x of the raw SQL. A check column compares one headline figure of both sides
(they must agree, or the comparison is of different work).

    python -m benchmarks.big_station          # once: 1,000,000 orders, 200,000 customers
    python -m benchmarks.reports_bench [--runs 3] [--reports orders,sla,...]

The big station has no stock movements and no claim batches (``big_station`` does not make
them): ``parts`` and ``claims`` run on a copy of the parts benchmark's station
(``benchmarks.parts_stock``: 50,000 parts, 2,000,000 movements; copied once to
``benchmarks/data/reports-parts``, migrated there, and given 24 monthly claim batches of
5,000 lines).

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from datetime import time as dtime

from app.bootstrap import open_services
from app.cli.parts_cmd import CLI_ACTOR
from app.domain.report_tables import ReportQuery, ReportResult
from app.services.station_reports import REPORT_MODULES, StationReportService, db_time
from app.store.sqlite_driver import Connection
from benchmarks import station_db
from benchmarks.big_station import DEFAULT_DIR, build
from benchmarks.parts_stock import DEFAULT_DIR as PARTS_DIR

SHANGHAI = timezone(timedelta(hours=8))
PARTS_COPY = DEFAULT_DIR.parent / "reports-parts"
LOCAL = "+480 minutes"
#: the measures of the service-time figures: (start column, end column, condition, seconds)
MEASURES = (("called_at", "responded_at", "1", 1800),
            ("called_at", "arrived_at", "service_mode = 'on_site'", 86400),
            ("arrived_at", "cleared_at", "1", 86400))
SCORES = ("speed_score", "attitude_score", "quality_score", "price_score")


def _seconds(start: str, end: str) -> str:
    return f"round((julianday({end}) - julianday({start})) * 86400.0, 3)"


class Plain:
    """The reports' aggregates written by hand over a raw connection."""

    def __init__(self, db: Connection, query: ReportQuery) -> None:
        self.db = db
        start = datetime.combine(query.start, dtime(0), SHANGHAI)
        end = datetime.combine(query.end + timedelta(days=1), dtime(0), SHANGHAI)
        self.bounds = (db_time(start), db_time(end))
        self.range = "o.called_at >= ? AND o.called_at < ?"
        self.start, self.end = query.start, query.end

    def q(self, sql: str, *extra: object) -> list[tuple]:
        return self.db.execute(sql, (*self.bounds, *extra)).fetchall()

    # -- one function per report: returns its headline figure for the check -----------------
    def orders(self) -> int:
        total = 0
        for column in ("status", "order_type", "source"):
            rows = self.q(f"SELECT {column}, count(*) FROM service_orders o WHERE {self.range}"
                          " GROUP BY 1")
            total = sum(n for _g, n in rows)
        return total

    def _times(self, group: str) -> list[tuple]:
        """count, average, within and p90 of the three measures by ``group``."""
        out = []
        for start, end, condition, limit in MEASURES:
            s = _seconds(f"o.{start}", f"o.{end}")
            inner = (f"SELECT {group} AS g, {s} AS s FROM service_orders o WHERE {self.range}"
                     f" AND {condition} AND o.{end} IS NOT NULL AND o.{start} IS NOT NULL")
            out += self.q(f"SELECT g, count(*), avg(s), sum(s <= {limit}) FROM ({inner})"
                          " GROUP BY g")
            out += self.q(f"SELECT g, s FROM (SELECT g, s, row_number() OVER (PARTITION BY g"
                          f" ORDER BY s) AS rn, count(*) OVER (PARTITION BY g) AS n"
                          f" FROM ({inner})) WHERE rn = (9 * n + 9) / 10")
        return out

    def sla(self) -> int:
        month = f"date(o.called_at, '{LOCAL}', 'start of month')"
        overall = self._times("''")
        self._times("o.order_type")
        self._times(month)
        self.q(f"SELECT {month}, count(*) FROM service_orders o WHERE {self.range} GROUP BY 1")
        return overall[0][1]  # responses measured

    def _repeats(self, group: str) -> list[tuple]:
        later = ("b.called_at > f.cleared_at AND b.called_at < f.bound"
                 " AND b.order_type = 'repair' AND b.status <> 'cancelled' AND b.id <> f.id")
        return self.q(
            f"SELECT g, count(*), sum(EXISTS (SELECT 1 FROM service_orders b"
            f" WHERE b.product_id = f.product_id AND {later})"
            f" OR (f.serial <> '' AND EXISTS (SELECT 1 FROM products p2 JOIN service_orders b"
            f" ON b.product_id = p2.id WHERE p2.serial_no = f.serial AND p2.model = f.model"
            f" AND p2.id <> f.product_id AND {later}))) FROM (SELECT o.id, o.product_id,"
            f" o.cleared_at, p.serial_no AS serial, p.model AS model, {group} AS g,"
            f" datetime(date(o.cleared_at, '{LOCAL}'), '+91 days', '-480 minutes') AS bound"
            " FROM service_orders o JOIN products p ON p.id = o.product_id"
            f" WHERE {self.range} AND o.cleared_at IS NOT NULL AND o.order_type = 'repair') f"
            " GROUP BY g")

    def repeats(self) -> int:
        by_model = self._repeats("p.model")
        self._repeats("o.technician_id")
        return sum(n for _g, n, _r in by_model)  # first orders

    def satisfaction(self) -> int:
        cells = ", ".join(f"count(v.{c}), avg(v.{c}), " + ", ".join(
            f"sum(v.{c} = {n})" for n in range(1, 6)) for c in SCORES)
        row = self.q(f"SELECT {cells} FROM return_visits v JOIN service_orders o"
                     f" ON o.id = v.order_id WHERE {self.range} AND v.status = 'done'")[0]
        self.q(f"SELECT status, count(*) FROM service_orders o WHERE {self.range}"
               " AND o.order_type = 'complaint' GROUP BY 1")
        self.q("SELECT o.number, o.called_at, o.status, r.number, u.display_name, c.name,"
               " o.fault_description FROM service_orders o JOIN customers c ON"
               " c.id = o.customer_id LEFT JOIN service_orders r ON r.id = o.related_order_id"
               f" LEFT JOIN users u ON u.id = r.technician_id WHERE {self.range}"
               " AND o.order_type = 'complaint' ORDER BY o.called_at DESC, o.number LIMIT 200")
        return row[0]  # speed scores given

    def parts(self) -> int:
        """Per part: now, at both ends of the range, issued less returned and sold less
        voided in it, the last issue or sale; then the parts issued onto the range's orders."""
        sellable = "'received', 'issued', 'returned', 'sold', 'sale_voided', 'count_adjustment'"
        rows = self.db.execute(
            "SELECT p.part_no, p.name, p.station_price_fen, t.* FROM (SELECT part_id,"
            " sum(quantity), sum(CASE WHEN created_at < ?1 THEN quantity ELSE 0 END),"
            " sum(CASE WHEN created_at < ?2 THEN quantity ELSE 0 END),"
            " sum(CASE WHEN created_at >= ?1 AND created_at < ?2 AND kind IN ('issued',"
            " 'returned') THEN -quantity ELSE 0 END),"
            " sum(CASE WHEN created_at >= ?1 AND created_at < ?2 AND kind IN ('sold',"
            " 'sale_voided') THEN -quantity ELSE 0 END),"
            " max(CASE WHEN kind IN ('issued', 'sold') THEN created_at END), min(created_at)"
            f" FROM stock_movements WHERE kind IN ({sellable}) GROUP BY part_id) AS t"
            " JOIN parts p ON p.id = t.part_id", self.bounds).fetchall()
        self.q("SELECT m.part_id, sum(-m.quantity) FROM stock_movements m JOIN service_orders o"
               f" ON o.id = m.order_id AND {self.range} WHERE m.kind IN ('issued', 'returned')"
               " GROUP BY m.part_id")
        return sum(r[4] for r in rows)  # units in stock

    def claims(self) -> int:
        """By claim month, by batch, and the rejection reasons: lines, claimed, approved,
        adjusted (granted and cut), rejected and undecided amounts."""
        months = (self.start.strftime("%Y-%m"), self.end.strftime("%Y-%m"))
        amounts = (
            "count(*), sum(l.amount_fen),"
            " sum(CASE WHEN l.decision = 'approved' THEN coalesce(l.approved_fen, l.amount_fen)"
            " ELSE 0 END), sum(CASE WHEN l.decision = 'adjusted' THEN l.approved_fen ELSE 0 END),"
            " sum(CASE WHEN l.decision = 'adjusted' THEN l.amount_fen - l.approved_fen ELSE 0"
            " END), sum(CASE WHEN l.decision = 'rejected' THEN l.amount_fen ELSE 0 END),"
            " sum(CASE WHEN l.decision = '' THEN l.amount_fen ELSE 0 END)")
        lines = (" FROM claim_batches b JOIN claim_lines l ON l.batch_id = b.id"
                 " WHERE b.period >= ? AND b.period <= ? AND b.status <> 'draft'")
        rows = self.db.execute(f"SELECT b.period, count(DISTINCT b.id), {amounts}{lines}"
                               " GROUP BY b.period ORDER BY 1", months).fetchall()
        self.db.execute(f"SELECT b.number, b.period, b.status, {amounts}{lines}"
                        " GROUP BY b.id ORDER BY 2, 1", months).fetchall()
        self.db.execute(f"SELECT l.decision_reason, count(*), sum(l.amount_fen){lines}"
                        " AND l.decision = 'rejected' GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1",
                        months).fetchall()
        return sum(r[2] for r in rows)  # lines

    def technicians(self) -> int:
        rows = self.q(f"SELECT o.technician_id, count(*), count(o.cleared_at)"
                      f" FROM service_orders o WHERE {self.range} GROUP BY 1")
        self._times("o.technician_id")
        self._repeats("o.technician_id")
        total = " + ".join(f"coalesce(v.{c}, 0)" for c in SCORES)
        given = " + ".join(f"(v.{c} IS NOT NULL)" for c in SCORES)
        self.q(f"SELECT o.technician_id, sum({total}), sum({given}) FROM return_visits v"
               f" JOIN service_orders o ON o.id = v.order_id WHERE {self.range}"
               " AND v.status = 'done' GROUP BY 1")
        return sum(n for _t, n, _c in rows)  # orders


def headline(name: str, result: ReportResult) -> int:
    """The figure of the service's result that ``Plain``'s function returns."""
    def total(table: str, column: int) -> int:
        t = result.table(table)
        return int(t.totals[column]) if t.totals is not None else sum(
            int(r[column] or 0) for r in t.rows)

    if name == "orders":
        return total("by_source", 1)
    if name == "sla":
        return int(result.tables[0].rows[0][1])
    if name == "repeats":
        return total(result.tables[0].key, 1)
    if name == "satisfaction":
        return int(result.tables[0].rows[0][1])
    if name == "technicians":
        return total(result.tables[0].key, 1)
    if name == "parts":
        return int(result.table("stock").rows[0][1])  # units in stock
    if name == "claims":
        return int(result.table("by_month").totals[2])  # lines
    return -1


def _interleaved(service: Callable[[], object], plain: Callable[[], object],
                 runs: int) -> tuple[float, float, object, object]:
    """Median seconds of each side, the runs alternating (the machine is shared: a busy
    moment then slows both sides alike), after one warm run of each (page and statement
    caches)."""
    got_service, got_plain = service(), plain()
    a, b = [], []
    for _ in range(runs):
        t = time.perf_counter()
        got_service = service()
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        got_plain = plain()
        b.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b), got_service, got_plain


def _line(name: str, service_s: float, raw_s: float, want: int, figure: object) -> str:
    check = "-" if want < 0 else ("same" if want == figure else f"DIFFER {want} vs {figure}")
    return f"{name:<14}{service_s:>11.3f}{raw_s:>11.3f}{service_s / raw_s:>8.2f}  {check}"


def _claims(db: Connection, months: int = 24, per_month: int = 5_000) -> None:
    """Claim batches the parts station lacks: one submitted batch a month over two years,
    5,000 lines each, a fifth of them adjusted, a tenth rejected for one of six reasons, a
    few undecided (made once, by plain inserts like the stations of the other benchmarks)."""
    if db.execute("SELECT count(*) FROM claim_batches").fetchone()[0]:
        return
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None)
    reasons = ("无旧件", "超出保修期", "工时超标", "重复索赔", "发票不符", "上门距离不足")
    order = str(uuid.uuid4())  # the lines' order: the parts station has none
    for m in range(months):
        month = (now.replace(day=15) - timedelta(days=30 * m))
        batch = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        db.execute("INSERT INTO claim_batches (number, period, status, statement_no,"
                   " claimed_fen, approved_fen, deducted_fen, payable_fen, paid_note,"
                   " hq_revision, id, revision, created_at, updated_at) VALUES"
                   " (?, ?, 'decided', '', 0, 0, 0, 0, '', 0, ?, 1, ?, ?)",
                   (f"CB-BJ001-{month:%Y%m}-01", f"{month:%Y-%m}", batch, month, month))
        lines = []
        for n in range(per_month):
            amount = rng.choice((3000, 4500, 5000, 8000, 12000, 36000))
            roll = rng.random()
            decision, approved, reason = (
                ("rejected", 0, rng.choice(reasons)) if roll < 0.1 else
                ("adjusted", amount // 2, "按标准核减") if roll < 0.3 else
                ("", None, "") if roll < 0.33 else ("approved", amount, ""))
            lines.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), batch, n + 1,
                          order, "labour", "维修工时", 1, amount, amount, amount, "",
                          decision, approved, reason))
        db.executemany("INSERT INTO claim_lines (id, batch_id, position, order_id, kind,"
                       " description, quantity, unit_fen, amount_fen, schedule_fen,"
                       " old_part_tag, decision, approved_fen, decision_reason) VALUES"
                       " (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", lines)
    db.commit()


def _parts_station(name: str, runs: int) -> tuple[float, float, int, object]:
    """``parts`` and ``claims`` on a copy of the parts benchmark's station (50,000 parts,
    2,000,000 movements, and the claim batches ``_claims`` adds; the big station has
    neither), over the ledger's last year."""
    if not (PARTS_COPY / "station.sqlite3").exists():
        PARTS_COPY.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PARTS_DIR / "station.sqlite3", PARTS_COPY / "station.sqlite3")
    services = open_services(PARTS_COPY)  # migrates the copy to the current schema
    try:
        raw = station_db.connect(services.paths.database)
        _claims(raw)
        newest = raw.execute("SELECT max(created_at) FROM stock_movements").fetchone()[0]
        end = datetime.fromisoformat(newest).replace(tzinfo=UTC).astimezone(SHANGHAI).date()
        query = ReportQuery(end - timedelta(days=365), end - timedelta(days=1))
        reports = StationReportService(services.db, tz=SHANGHAI)
        plain = Plain(raw, query)
        service_s, raw_s, result, figure = _interleaved(
            lambda: reports.run(CLI_ACTOR, name, query), getattr(plain, name), runs)
        raw.close()
        return service_s, raw_s, headline(name, result), figure  # type: ignore[arg-type]
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", default=",".join(REPORT_MODULES))
    args = parser.parse_args()
    build(DEFAULT_DIR, 200_000, 1_000_000)
    services = open_services(DEFAULT_DIR)
    reports = StationReportService(services.db, tz=SHANGHAI)
    raw = station_db.connect(services.paths.database)
    newest = raw.execute("SELECT max(called_at) FROM service_orders").fetchone()[0]
    end = datetime.fromisoformat(newest).replace(tzinfo=UTC).astimezone(SHANGHAI).date()
    end = end - timedelta(days=1)
    query = ReportQuery(end - timedelta(days=364), end)
    plain = Plain(raw, query)
    orders = raw.execute("SELECT count(*) FROM service_orders WHERE called_at >= ?"
                         " AND called_at < ?", plain.bounds).fetchone()[0]
    print(f"range {query.start} .. {query.end} ({orders:,} orders called), "
          f"median of {args.runs} warm runs")
    print(f"{'report':<14}{'service s':>11}{'raw s':>11}{'ratio':>8}  check")
    for name in args.reports.split(","):
        if name in ("parts", "claims") and PARTS_DIR.exists():
            print(_line(name, *_parts_station(name, args.runs)) + "  (parts station)",
                  flush=True)
            continue
        service_s, raw_s, result, figure = _interleaved(
            lambda n=name: reports.run(CLI_ACTOR, n, query), getattr(plain, name), args.runs)
        print(_line(name, service_s, raw_s, headline(name, result), figure),  # type: ignore
              flush=True)
    raw.close()
    services.close()


if __name__ == "__main__":
    main()

