"""The manager's dashboard (总览): the station's figures of the moment in one read snapshot.

Each figure is a cheap count on an index, and each is defined exactly as the list behind it
shows it, so a tile and the list it opens agree (``tests/services/test_dashboard.py`` checks
each against its list):

- 今日新增: orders called since local midnight (``OrderFilter(called_from=...)``);
- 未结工单: orders neither closed nor cancelled (``OrderFilter(open_only=True)``);
- 超时工单: open orders with a promise running late right now, the orders page's 只看超时
  rule (``app.services.order_queries``, the promises of ``app.domain.sla``);
- 本月SLA达标率: of this month's orders (local days, cancelled ones left out), the share none
  of whose clocks is breached or overdue now (``app.domain.sla.clocks``);
- 待件: orders in status waiting_parts;
- 低库存: the parts of the stock page's 低库存 list (``app.services.stock_queries``);
- 待回访: the return-visit queue (completed orders), and how many are past their day;
- 待审核索赔: claim batches submitted and not yet decided by head office;
- 待上传: outbox rows head office has not acknowledged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.domain import visits as dv
from app.domain.claims import ClaimStatus
from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.domain.sla import ARRIVE_WITHIN, CLEAR_WITHIN, RESPOND_WITHIN, SlaTimes, clocks
from app.services.context import Actor
from app.services.stock_queries import stock_list_params, stock_list_sql
from app.store import sqlite_driver
from app.store.base import utcnow
from app.store.database import Database

OPEN_STATES = tuple(s.value for s in OrderStatus if s.open)
#: no station has this many parts below their threshold; the count needs a LIMIT value
NO_LIMIT = -1


@dataclass(frozen=True)
class DashboardFigures:
    computed_at: datetime
    #: local midnight today (UTC): what 今日新增 counts from
    today_from: datetime
    today_new: int
    open_orders: int
    overdue: int
    #: this month's orders the SLA share counts (cancelled ones left out) and those within
    sla_orders: int
    sla_within: int
    waiting_parts: int
    low_stock: int
    visits_due: int
    visits_overdue: int
    claims_waiting: int
    claims_waiting_fen: int
    outbox_pending: int

    @property
    def sla_share(self) -> float | None:
        """0..1, or None when no order was called this month."""
        return self.sla_within / self.sla_orders if self.sla_orders else None


def _db_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


#: the orders page's 只看超时 rule (``app.services.order_queries``, shape ``overdue``) on the
#: open states, so SQLite reads ix_orders_status_called rather than every order
_MARKS = ",".join("?" * len(OPEN_STATES))
OVERDUE_SQL = (
    f"SELECT count(*) FROM service_orders WHERE status IN ({_MARKS}) AND ("
    "(responded_at IS NULL AND called_at < ?) OR (arrived_at IS NULL AND called_at < ?) OR "
    "(cleared_at IS NULL AND arrived_at IS NOT NULL AND arrived_at < ?))")


class DashboardService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 tz: tzinfo | None = None, *, due_days: int = dv.DUE_DAYS) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.due_days = due_days

    def local_midnight(self, now: datetime | None = None) -> datetime:
        """Today's start in the station's zone, as UTC (what 今日新增 counts from)."""
        now = now or self.clock()
        zone = self.tz or now.astimezone().tzinfo or UTC
        today = now.astimezone(zone).date()
        return datetime.combine(today, time(0), zone).astimezone(UTC)

    def figures(self, actor: Actor) -> DashboardFigures:
        """Every figure of the dashboard, read in one snapshot (the manager's)."""
        actor.require(Permission.REPORT_VIEW)
        now = self.clock()
        zone = self.tz or now.astimezone().tzinfo or UTC
        today = now.astimezone(zone).date()
        midnight = datetime.combine(today, time(0), zone)
        pooled = self.db.engine.raw_connection()
        try:
            raw: sqlite_driver.Connection = pooled.driver_connection  # type: ignore[assignment]
            raw.execute("BEGIN")
            try:
                return self._read(raw, now, zone, today, midnight)
            finally:
                raw.execute("ROLLBACK")
        finally:
            pooled.close()

    def _read(self, raw: sqlite_driver.Connection, now: datetime, zone: tzinfo, today: date,
              midnight: datetime) -> DashboardFigures:
        def one(sql: str, values: tuple[object, ...] = ()) -> int:
            return int(raw.execute(sql, values).fetchone()[0] or 0)

        open_orders = one(f"SELECT count(*) FROM service_orders WHERE status IN ({_MARKS})",
                          OPEN_STATES)
        overdue = one(OVERDUE_SQL, (*OPEN_STATES, _db_time(now - RESPOND_WITHIN),
                                    _db_time(now - ARRIVE_WITHIN), _db_time(now - CLEAR_WITHIN)))
        within, counted = self._sla(raw, now, zone, today)
        visits_due = one("SELECT count(*) FROM service_orders WHERE status = ?",
                         (OrderStatus.COMPLETED.value,))
        # overdue after due_on = completion day + due_days: completed before that local day
        visit_cut = datetime.combine(today - timedelta(days=self.due_days), time(0), zone)
        visits_overdue = one(
            "SELECT count(*) FROM service_orders WHERE status = ? "
            "AND coalesce(cleared_at, updated_at) < ?",
            (OrderStatus.COMPLETED.value, _db_time(visit_cut)))
        low_sql = stock_list_sql(False, False, True, True)
        claims = raw.execute(
            "SELECT count(*), coalesce(sum((SELECT coalesce(sum(l.amount_fen), 0) "
            "FROM claim_lines l WHERE l.batch_id = b.id)), 0) "
            "FROM claim_batches b WHERE b.status = ?",
            (ClaimStatus.SUBMITTED.value,)).fetchone()
        return DashboardFigures(
            computed_at=now,
            today_from=midnight.astimezone(UTC),
            today_new=one("SELECT count(*) FROM service_orders WHERE called_at >= ?",
                          (_db_time(midnight),)),
            open_orders=open_orders,
            overdue=overdue,
            sla_orders=counted,
            sla_within=within,
            waiting_parts=one("SELECT count(*) FROM service_orders WHERE status = ?",
                              (OrderStatus.WAITING_PARTS.value,)),
            low_stock=one(f"SELECT count(*) FROM ({low_sql})",
                          stock_list_params("", None, NO_LIMIT)),
            visits_due=visits_due,
            visits_overdue=visits_overdue,
            claims_waiting=int(claims[0]),
            claims_waiting_fen=int(claims[1]),
            outbox_pending=one("SELECT count(*) FROM outbox WHERE acked_at IS NULL"),
        )

    def _sla(self, raw: sqlite_driver.Connection, now: datetime, zone: tzinfo,
             today: date) -> tuple[int, int]:
        """(orders within every promise, orders counted) of this month's calls."""
        month = today.replace(day=1)
        following = (month + timedelta(days=32)).replace(day=1)
        first = datetime.combine(month, time(0), zone)
        end = datetime.combine(following, time(0), zone)
        rows = raw.execute(
            "SELECT called_at, responded_at, arrived_at, cleared_at FROM service_orders "
            "WHERE called_at >= ? AND called_at < ? AND status != ?",
            (_db_time(first), _db_time(end), OrderStatus.CANCELLED.value))
        within = counted = 0
        for called, responded, arrived, cleared in rows:
            times = SlaTimes(_parse(called), _parse(responded), _parse(arrived),  # type: ignore[arg-type]
                             _parse(cleared))
            counted += 1
            if not any(c.late for c in clocks(times, now).values()):
                within += 1
        return within, counted
