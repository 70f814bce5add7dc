"""The station's reports (统计报表): which reports exist, and running one for a user.

A report is one module listed in ``REPORT_MODULES`` with a ``REPORT = ReportDef(...)``; its
``compute`` reads through a ``ReportSource`` (one read snapshot on the DBAPI connection, the
station's time zone and the warranty policy's categories) and returns a
``app.domain.report_tables.ReportResult``. The window, the command line, the exports and
the printed paper all show that one result. Modules load on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import or_, select

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.report_tables import ReportQuery, ReportResult
from app.domain.warranty_policy import WarrantyPolicy
from app.services.context import Actor
from app.services.warranty_policy import current_policy
from app.store import sqlite_driver
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ServiceOrder, User

#: name -> module; the name is what ``repair-station report NAME`` takes
REPORT_MODULES: dict[str, str] = {
    "orders": "app.services.report_orders",
    "sla": "app.services.report_sla",
    "repeats": "app.services.report_repeats",
    "satisfaction": "app.services.report_satisfaction",
    "parts": "app.services.report_parts",
    "claims": "app.services.report_claims",
    "technicians": "app.services.report_technicians",
}


@dataclass(frozen=True)
class ReportSource:
    """What a report reads: ``raw`` is inside one read transaction (a consistent snapshot)."""

    raw: sqlite_driver.Connection
    tz: tzinfo
    now: datetime
    policy: WarrantyPolicy

    def utc_bounds(self, query: ReportQuery) -> tuple[str, str]:
        """The query's local days as stored UTC texts: ``start <= t < end``."""
        start = datetime.combine(query.start, time(0), self.tz)
        end = datetime.combine(query.end + timedelta(days=1), time(0), self.tz)
        return db_time(start), db_time(end)

    def local_date(self, stored: str) -> date:
        """The local calendar day of a stored UTC time."""
        return parse_db_time(stored).astimezone(self.tz).date()

    def offset_modifier(self, query: ReportQuery, sign: int = 1) -> str:
        """An SQLite date modifier (``'+480 minutes'``) turning stored UTC into the local
        time of the range (its zone's offset on the range's first day; ``sign=-1`` back)."""
        moment = datetime.combine(query.start, time(12), self.tz)
        offset = moment.utcoffset() or timedelta(0)
        minutes = sign * int(offset.total_seconds() // 60)
        return f"{minutes:+d} minutes"

    def models_in(self, category: str) -> list[str]:
        """Every stored product model the policy puts in ``category`` (longest prefix)."""
        models = [r[0] for r in self.raw.execute("SELECT DISTINCT model FROM products")]
        return [m for m in models
                if (c := self.policy.category_for(m)) is not None and c.name == category]


@dataclass(frozen=True)
class ReportDef:
    name: str
    #: English source text (translated)
    title: str
    compute: Callable[[ReportSource, ReportQuery], ReportResult]


@dataclass(frozen=True)
class ReportInfo:
    name: str
    title: str


@dataclass(frozen=True)
class FilterChoices:
    """What the report filters offer: (id, name) of technicians, the policy's categories."""

    technicians: tuple[tuple[str, str], ...]
    categories: tuple[str, ...]


def db_time(value: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores: naive UTC with microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_db_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def report_def(name: str) -> ReportDef:
    """The report called ``name``; a RuleViolation names the known ones."""
    module = REPORT_MODULES.get(name)
    if module is None:
        raise RuleViolation("There is no report {name}; the reports are: {known}.",
                            field="name", name=name, known=", ".join(REPORT_MODULES))
    spec: ReportDef = importlib.import_module(module).REPORT
    if spec.name != name:
        raise RuntimeError(f"{module} declares {spec.name!r}, listed as {name!r}")
    return spec


class StationReportService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 tz: tzinfo | None = None) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    def catalogue(self) -> list[ReportInfo]:
        """Every report, in the order the window and ``report --list`` show them."""
        return [ReportInfo(n, report_def(n).title) for n in REPORT_MODULES]

    def choices(self) -> FilterChoices:
        """The technicians, and whoever else has orders assigned (a manager who repairs),
        and the policy's categories."""
        assigned = select(ServiceOrder.id).where(ServiceOrder.technician_id == User.id).exists()
        with self.db.read() as s:
            users = s.execute(select(User.id, User.display_name)
                              .where(or_(User.role == "technician", assigned))
                              .order_by(User.display_name)).all()
            policy = current_policy(s)
        return FilterChoices(tuple((u, n) for u, n in users),
                             tuple(c.name for c in policy.categories))

    def run(self, actor: Actor, name: str, query: ReportQuery) -> ReportResult:
        """The figures of report ``name`` for ``query`` (the manager's)."""
        actor.require(Permission.REPORT_VIEW)
        spec = report_def(name)
        query.check()
        with self.source() as source:
            return spec.compute(source, query)

    @contextmanager
    def source(self) -> Iterator[ReportSource]:
        """One read snapshot for a whole report (the figures of its tables agree)."""
        now = self.clock()
        zone = self.tz or now.astimezone().tzinfo or UTC
        with self.db.read() as s:
            policy = current_policy(s)
        pooled = self.db.engine.raw_connection()
        try:
            raw: sqlite_driver.Connection = pooled.driver_connection  # type: ignore[assignment]
            raw.execute("BEGIN")
            try:
                yield ReportSource(raw, zone, now, policy)
            finally:
                raw.execute("ROLLBACK")
        finally:
            pooled.close()


def order_filter_sql(source: ReportSource, query: ReportQuery, alias: str = "o",
                     time_column: str | None = "called_at") -> tuple[str, list[object]]:
    """The WHERE conditions (and their values) every order-based report shares: called in the
    range (``time_column`` in the range; None: any time), and the technician / type / source /
    product category filters."""
    conditions: list[str] = []
    values: list[object] = []
    if time_column is not None:
        start, end = source.utc_bounds(query)
        conditions += [f"{alias}.{time_column} >= ?", f"{alias}.{time_column} < ?"]
        values += [start, end]
    if query.technician_id:
        conditions.append(f"{alias}.technician_id = ?")
        values.append(query.technician_id)
    if query.order_type:
        conditions.append(f"{alias}.order_type = ?")
        values.append(query.order_type)
    if query.source:
        conditions.append(f"{alias}.source = ?")
        values.append(query.source)
    if query.category:
        models: Sequence[str] = source.models_in(query.category)
        marks = ",".join("?" * len(models)) or "NULL"
        conditions.append(f"{alias}.product_id IN (SELECT id FROM products WHERE model IN "
                          f"({marks}))")
        values.extend(models)
    return " AND ".join(conditions) or "1", values


def has_order_filter(query: ReportQuery) -> bool:
    """True when the query narrows the orders (technician, type, category or source)."""
    return bool(query.technician_id or query.order_type or query.category or query.source)
