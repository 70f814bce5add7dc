"""Reading the stock (库存): the stock list (on-hand, reserved, available and value at station
price, searchable, the low-stock list), one part's level, its movement history with a running
balance, and the value of the whole stock.

On-hand is never stored: it is the sum of the part's ledger movements, read one part at a
time from ``ix_stock_movements_part`` (part, time, id, kind, quantity: the sums never touch
the table), so a page of the stock list sums only the movements of its hundred parts and a
part's history walks only its own rows. Nothing cached can drift from the ledger.
``benchmarks/parts_stock.py`` measures this on 50,000 parts and 2,000,000 movements beside the
same SQL on a plain sqlite3 connection; see docs/performance.md. The statements run on the
pooled DBAPI connection (in autocommit, each statement is its own snapshot): building a
Session per keystroke would cost more than SQLite's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from app.domain import validation as v
from app.domain.parts import MovementKind
from app.services import text_input as t
from app.services.errors import not_found
from app.store import sqlite_driver
from app.store.database import Database

PAGE_SIZE = 100
PREFIX_END = "\U0010ffff"
SELLABLE = tuple(k.value for k in MovementKind if k.sellable)
OLD = tuple(k.value for k in MovementKind if not k.sellable)
_SELLABLE_SQL = ", ".join(f"'{k}'" for k in SELLABLE)
_OLD_SQL = ", ".join(f"'{k}'" for k in OLD)
_KINDS = {k.value: k for k in MovementKind}
_SELLABLE_SET = frozenset(SELLABLE)

#: one part's sellable units in stock
ON_HAND_SQL = ("SELECT coalesce(sum(quantity), 0) FROM stock_movements "
               f"WHERE part_id = ? AND kind IN ({_SELLABLE_SQL})")
RESERVED_SQL = ("SELECT coalesce(sum(quantity), 0) FROM stock_reservations "
                "WHERE part_id = ? AND released_at IS NULL")
OLD_ON_HAND_SQL = ("SELECT coalesce(sum(quantity), 0) FROM stock_movements "
                   f"WHERE part_id = ? AND kind IN ({_OLD_SQL})")
#: the whole stock at station price: summed per part along the index, then priced
VALUE_SQL = (
    "SELECT count(*), coalesce(sum(t.units), 0), coalesce(sum(t.units * p.station_price_fen), 0)"
    " FROM (SELECT part_id, sum(quantity) AS units FROM stock_movements"
    f" WHERE kind IN ({_SELLABLE_SQL}) GROUP BY part_id) AS t"
    " JOIN parts AS p ON p.id = t.part_id WHERE t.units <> 0")


@dataclass(frozen=True)
class StockLevel:
    part_id: str
    on_hand: int
    reserved: int
    #: old parts (旧件) collected and not yet shipped back: never sellable
    old_on_hand: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockRow(NamedTuple):
    """One part of the stock list (a named tuple: a page of them is built at C speed)."""

    part_id: str
    part_no: str
    name: str
    unit: str
    location: str
    low_stock_threshold: int
    station_price_fen: int
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def value_fen(self) -> int:
        """What the units on hand are worth at the station price."""
        return self.on_hand * self.station_price_fen

    @property
    def low(self) -> bool:
        return self.low_stock_threshold > 0 and self.available <= self.low_stock_threshold


class HistoryRow(NamedTuple):
    """One movement of a part's history, with the balances just after it."""

    id: str
    created_at: datetime
    kind: MovementKind
    quantity: int
    #: sellable on-hand just after this movement
    balance: int
    #: old parts at the station just after this movement
    old_balance: int
    username: str
    reason: str
    reference: str

    @property
    def cursor(self) -> HistoryCursor:
        return (self.created_at, self.id)


#: where the next history page starts: the last row's (created_at, id)
HistoryCursor = tuple[datetime, str]


@dataclass(frozen=True)
class StockValue:
    parts: int
    units: int
    value_fen: int


def db_time(value: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores: naive UTC with microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@lru_cache(maxsize=32)
def stock_list_sql(text: bool, after: bool, low: bool, held: bool) -> str:
    """The stock list's statement for one shape of filter (positional parameters in the
    order ``stock_list_params`` gives them)."""
    where = []
    if text:
        where.append("(p.part_no BETWEEN ? AND ? OR p.name LIKE ? ESCAPE '\\' "
                     "OR p.models LIKE ? ESCAPE '\\')")
    if after:
        where.append("p.part_no > ?")
    if low:
        # a part in shortage (two devices issued the same units, issue 15) is never hidden
        # by 低库存: its open stock_shortage conflict names it, threshold or none
        where.append("(ps.low_stock_threshold > 0 OR p.id IN (SELECT c.entity_id FROM "
                     "sync_conflicts AS c WHERE c.kind = 'stock_shortage' AND "
                     "c.resolved_at IS NULL))")
    elif held:
        # the parts the station keeps: it has moved them or set a shelf/threshold for them
        where.append("(ps.id IS NOT NULL OR EXISTS "
                     "(SELECT 1 FROM stock_movements AS e WHERE e.part_id = p.id))")
    inner = (
        "SELECT p.id, p.part_no, p.name, p.unit, coalesce(ps.location, '') AS location,"
        " coalesce(ps.low_stock_threshold, 0) AS threshold, p.station_price_fen,"
        " (SELECT coalesce(sum(m.quantity), 0) FROM stock_movements AS m"
        f" WHERE m.part_id = p.id AND m.kind IN ({_SELLABLE_SQL})) AS on_hand,"
        " (SELECT coalesce(sum(r.quantity), 0) FROM stock_reservations AS r"
        " WHERE r.part_id = p.id AND r.released_at IS NULL) AS reserved"
        " FROM parts AS p LEFT JOIN part_settings AS ps ON ps.part_id = p.id"
        + (" WHERE " + " AND ".join(where) if where else ""))
    if low:
        return (f"SELECT * FROM ({inner} ORDER BY p.part_no) "
                "WHERE on_hand - reserved <= threshold OR on_hand < 0 ORDER BY part_no LIMIT ?")
    return inner + " ORDER BY p.part_no LIMIT ?"


def stock_list_params(text: str, after: str | None, limit: int) -> tuple[Any, ...]:
    values: list[Any] = []
    if text:
        upper = text.upper()
        values += [upper, upper + PREFIX_END, _like(text), _like(text)]
    if after:
        values.append(after)
    values.append(limit)
    return tuple(values)


@lru_cache(maxsize=4)
def history_sql(after: bool) -> str:
    """A page of one part's movements, newest first, with the balances at the page's top
    (an uncorrelated subquery: one statement, one snapshot)."""
    older = " AND (created_at < ? OR (created_at = ? AND id < ?))" if after else ""
    return (
        "SELECT id, created_at, kind, quantity, username, reason, reference,"
        f" (SELECT coalesce(sum(CASE WHEN kind IN ({_SELLABLE_SQL}) THEN quantity END), 0)"
        f" FROM stock_movements WHERE part_id = ?{older}),"
        f" (SELECT coalesce(sum(CASE WHEN kind IN ({_OLD_SQL}) THEN quantity END), 0)"
        f" FROM stock_movements WHERE part_id = ?{older})"
        f" FROM stock_movements WHERE part_id = ?{older}"
        " ORDER BY created_at DESC, id DESC LIMIT ?")


def history_params(part_id: str, after: HistoryCursor | None, limit: int) -> tuple[Any, ...]:
    key: tuple[Any, ...] = ()
    if after is not None:
        when = db_time(after[0])
        key = (when, when, after[1])
    return (part_id, *key) * 3 + (limit,)


def on_hand(raw: sqlite_driver.Connection, part_id: str) -> int:
    return int(raw.execute(ON_HAND_SQL, (part_id,)).fetchone()[0])


def stock_page(raw: sqlite_driver.Connection, text: str = "", *, low: bool = False,
               held: bool = True, after: str | None = None,
               limit: int = PAGE_SIZE) -> list[StockRow]:
    """One page of the stock list on a DBAPI connection (the benchmark runs the same)."""
    sql = stock_list_sql(bool(text), bool(after), low, held)
    rows = raw.execute(sql, stock_list_params(text, after, limit)).fetchall()
    return list(map(StockRow._make, rows))


def history_page(raw: sqlite_driver.Connection, part_id: str, after: HistoryCursor | None = None,
                 limit: int = PAGE_SIZE) -> list[HistoryRow]:
    rows = raw.execute(history_sql(after is not None),
                       history_params(part_id, after, limit)).fetchall()
    out: list[HistoryRow] = []
    balance = old = 0
    if rows:
        balance, old = int(rows[0][7]), int(rows[0][8])
    parse, kinds, sellable = datetime.fromisoformat, _KINDS, _SELLABLE_SET
    for mid, created, kind, quantity, user, reason, ref, _top, _old_top in rows:
        out.append(HistoryRow(mid, parse(created + "+00:00"), kinds[kind], quantity, balance,
                              old, user, reason, ref))
        if kind in sellable:
            balance -= quantity
        else:
            old -= quantity
    return out


class StockQueries:
    """The stock as the screens and ``repair-station parts stock`` read it. Anyone logged in
    may read stock; nothing here writes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _raw(self) -> Any:
        return self.db.engine.raw_connection()

    def level(self, part_id: str) -> StockLevel:
        t.check_key(part_id, "part_id", "Part")
        raw = self._raw()
        try:
            conn = raw.driver_connection
            row = conn.execute(
                f"SELECT ({ON_HAND_SQL}), ({RESERVED_SQL}), ({OLD_ON_HAND_SQL}), "
                "EXISTS (SELECT 1 FROM parts WHERE id = ?)",
                (part_id, part_id, part_id, part_id)).fetchone()
        finally:
            raw.close()
        if not row[3]:
            raise not_found("part")
        return StockLevel(part_id, int(row[0]), int(row[1]), int(row[2]))

    def on_hand(self, part_id: str) -> int:
        """Sellable units of the part in stock (0 for a part never moved)."""
        raw = self._raw()
        try:
            return on_hand(raw.driver_connection, part_id)
        except UnicodeEncodeError:  # checked only then: this is read per keystroke and line
            t.check_key(part_id, "part_id", "Part")
            raise
        finally:
            raw.close()

    def stock_list(self, text: str = "", *, low: bool = False, held: bool = True,
                   after: str | None = None, limit: int = PAGE_SIZE) -> list[StockRow]:
        """A page of parts by number with their stock. ``text``: number prefix, name or model
        substring; ``low``: only parts whose available units are at or below their threshold
        (a threshold above 0); ``held``: only parts the station has moved or set up (False: the
        whole catalogue); ``after``: the last part number of the previous page."""
        query = v.clean_text(text, "text", "Search text")
        t.check_key(after, "after", "Search text")
        raw = self._raw()
        try:
            return stock_page(raw.driver_connection, query, low=low, held=held, after=after,
                              limit=max(1, min(limit, 1000)))
        finally:
            raw.close()

    def history(self, part_id: str, after: HistoryCursor | None = None,
                limit: int = PAGE_SIZE) -> list[HistoryRow]:
        """The part's movements newest first, each with the balance just after it;
        ``after``: the last row's ``cursor`` of the previous page."""
        t.check_key(part_id, "part_id", "Part")
        raw = self._raw()
        try:
            return history_page(raw.driver_connection, part_id, after,
                                max(1, min(limit, 1000)))
        finally:
            raw.close()

    def value(self) -> StockValue:
        """Parts in stock, units and their value at station price, over the whole ledger."""
        raw = self._raw()
        try:
            parts, units, value = raw.driver_connection.execute(VALUE_SQL).fetchone()
        finally:
            raw.close()
        return StockValue(int(parts), int(units), int(value))
