"""Report ``satisfaction`` (满意度): the return visits' four scores (1-5) of the orders called in
the range — count, average and how many gave each score, per dimension — and the complaint
orders (投诉) called in the range, counted and listed."""

from __future__ import annotations

from app.domain.enums import OrderStatus, OrderType
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.domain.visits import ASPECT_LABELS, ASPECTS, VisitStatus
from app.services.station_reports import (
    ReportDef,
    ReportSource,
    order_filter_sql,
    parse_db_time,
)

TITLE = "Satisfaction"
#: (column of return_visits, English source text of the dimension), as the visits ask them
DIMENSIONS = tuple((f"{a.value}_score", ASPECT_LABELS[a]) for a in ASPECTS)
SCORES = (1, 2, 3, 4, 5)
#: the complaint list shows at most this many (the count covers them all)
MAX_LISTED = 1000

NOTES = (
    "Orders are counted by the day they were called in; the filters apply to the visited "
    "order.",
    "Scores come from the completed return visits (1 = very dissatisfied, 5 = very "
    "satisfied); a dimension the customer did not score is left out of its average.",
    "All dimensions: the average of every score given, each dimension's score counted once.",
    "Complaints: the orders of type complaint called in the range; the filters apply to the "
    "complaint order itself. The list shows at most 1,000 of them, the newest first.",
)


def _dimensions(source: ReportSource, query: ReportQuery) -> Table:
    where, values = order_filter_sql(source, query)
    cells = []
    for column, _ in DIMENSIONS:
        cells += [f"count(v.{column})", f"avg(v.{column})",
                  *(f"coalesce(sum(v.{column} = {n}), 0)" for n in SCORES)]
    row = source.raw.execute(
        f"SELECT {', '.join(cells)} FROM return_visits v"
        f" JOIN service_orders o ON o.id = v.order_id WHERE {where} AND v.status = ?",
        [*values, VisitStatus.DONE.value]).fetchone()
    width = 2 + len(SCORES)
    rows = []
    for i, (_, title) in enumerate(DIMENSIONS):
        count, average, *by_score = row[i * width:(i + 1) * width]
        rows.append((title, count, average, *by_score))
    answers = sum(r[1] for r in rows)
    total_sum = sum(r[2] * r[1] for r in rows if r[2] is not None)
    by_score_total = [sum(r[3 + j] for r in rows) for j in range(len(SCORES))]
    totals = ("All dimensions", answers, total_sum / answers if answers else None,
              *by_score_total)
    return Table("by_dimension", "Satisfaction by dimension", (
        Column("dimension", "Dimension", translate=True),
        Column("answers", "Scores given", ColumnKind.COUNT),
        Column("average", "Average score", ColumnKind.NUMBER),
        *(Column(f"score_{n}", f"Score {n}", ColumnKind.COUNT) for n in SCORES),
    ), tuple(rows), totals)


def _complaint_where(source: ReportSource, query: ReportQuery) -> tuple[str, list[object]]:
    where, values = order_filter_sql(source, query)
    return where + " AND o.order_type = ?", [*values, OrderType.COMPLAINT.value]


def _complaints_by_status(source: ReportSource, query: ReportQuery) -> Table:
    where, values = _complaint_where(source, query)
    counts = dict(source.raw.execute(
        f"SELECT o.status, count(*) FROM service_orders o WHERE {where} GROUP BY 1",
        values).fetchall())
    total = sum(counts.values())
    return Table("complaints_by_status", "Complaints by status", (
        Column("status", "Status"),
        Column("complaints", "Complaints", ColumnKind.COUNT),
    ), tuple((s, counts[s.value]) for s in OrderStatus if counts.get(s.value)),
        ("Total", total))


def _complaints(source: ReportSource, query: ReportQuery) -> Table:
    where, values = _complaint_where(source, query)
    rows = source.raw.execute(
        "SELECT o.number, o.called_at, o.status, r.number, u.display_name, c.name,"
        " o.fault_description FROM service_orders o"
        " JOIN customers c ON c.id = o.customer_id"
        " LEFT JOIN service_orders r ON r.id = o.related_order_id"
        " LEFT JOIN users u ON u.id = r.technician_id"
        f" WHERE {where} ORDER BY o.called_at DESC, o.number LIMIT ?",
        [*values, MAX_LISTED]).fetchall()
    return Table("complaints", "Complaint list", (
        Column("number", "Order number"),
        Column("called_at", "Called at", ColumnKind.DATETIME),
        Column("status", "Status"),
        Column("about_order", "About order"),
        Column("about_technician", "Technician of that order"),
        Column("customer", "Customer"),
        Column("complaint", "Complaint"),
    ), tuple((number, parse_db_time(called), OrderStatus(status), about or None, tech,
              customer, text) for number, called, status, about, tech, customer, text in rows))


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    tables = (_dimensions(source, query), _complaints_by_status(source, query),
              _complaints(source, query))
    charts = (
        Chart("by_dimension", ChartKind.BAR, "dimension", ("average",),
              "Average score by dimension"),
        Chart("by_dimension", ChartKind.STACKED_BAR, "dimension",
              tuple(f"score_{n}" for n in SCORES), "Scores given by dimension"),
        Chart("complaints_by_status", ChartKind.PIE, "status", ("complaints",),
              "Complaints by status"),
    )
    return ReportResult("satisfaction", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("satisfaction", TITLE, compute)
