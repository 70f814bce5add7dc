"""``report``: the station's reports (统计报表) from the command line.

``repair-station report --list`` names the reports, one a line: the short machine name first
(what ``report NAME`` takes), then its title. ``repair-station report NAME --from YYYY-MM-DD
--to YYYY-MM-DD [--technician USERNAME] [--type T] [--category C] [--source S]`` prints the
report's tables as aligned text in the program's language (``--lang``, Chinese by default);
with ``--xlsx F``, ``--csv F`` or ``--pdf F`` it writes that file instead (the same figures as
the window's export). A bad date, report name or filter ends with a message and exit code 2.

Who acts: like ``parts`` and ``policy``, the command acts as the station's manager (the
person at the keyboard owns the data folder), under the user name ``cli``.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import UTC, date, datetime, tzinfo
from enum import Enum
from pathlib import Path

from app.bootstrap import Services
from app.cli.parts_cmd import CLI_ACTOR, _open
from app.domain.enums import OrderSource, OrderType, Role
from app.domain.errors import RuleViolation
from app.domain.report_tables import NUMERIC_KINDS, ReportQuery, ReportResult
from app.i18n import LABELS_ZH, label, render, tr
from app.printing.data import StationHeader
from app.services.errors import PermissionDenied
from app.services.report_export import export, report_facts, table_lines
from app.services.station_reports import REPORT_MODULES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="station reports (统计报表)")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="the report (see --list): " + ", ".join(REPORT_MODULES))
    parser.add_argument("--list", action="store_true", help="name the reports, one a line")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day")
    parser.add_argument("--technician", metavar="USERNAME", help="only this technician's")
    parser.add_argument("--type", dest="order_type", metavar="T",
                        help="order type: " + ", ".join(t.value for t in OrderType))
    parser.add_argument("--category", metavar="C", help="product category of the policy")
    parser.add_argument("--source", metavar="S",
                        help="order source: " + ", ".join(s.value for s in OrderSource))
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--xlsx", type=Path, metavar="F", help="write an Excel workbook")
    out.add_argument("--csv", type=Path, metavar="F", help="write a CSV file (UTF-8)")
    out.add_argument("--pdf", type=Path, metavar="F", help="write the printed report")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(tr("Error: {message}", message=message), file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if not args.list and not args.name:
        return _fail(tr("Name a report, or give --list to see them."))
    services = _open(args)
    if services is None:
        return 2
    try:
        if args.list:
            for info in services.station_reports.catalogue():
                print(f"{info.name}\t{tr(info.title)}")
            return 0
        return _run_report(services, args)
    except (RuleViolation, PermissionDenied) as exc:
        return _fail(render(exc))
    except OSError as exc:
        return _fail(exc.strerror or str(exc))
    finally:
        services.close()


def _run_report(services: Services, args: argparse.Namespace) -> int:
    if args.name not in REPORT_MODULES:
        raise RuleViolation("There is no report {name}; the reports are: {known}.",
                            field="name", name=args.name, known=", ".join(REPORT_MODULES))
    if not args.start or not args.end:
        raise RuleViolation("Give the range with --from YYYY-MM-DD and --to YYYY-MM-DD.",
                            field="start")
    technician_id, technician_name = _technician(services, args.technician)
    query = ReportQuery(
        _day(args.start, "--from"), _day(args.end, "--to"), technician_id=technician_id,
        order_type=_member(OrderType, args.order_type, "--type"),
        category=_category(services, args.category),
        source=_member(OrderSource, args.source, "--source"))
    result = services.station_reports.run(CLI_ACTOR, args.name, query)
    tz = _zone(services)
    for fmt in ("xlsx", "csv", "pdf"):
        target = getattr(args, fmt)
        if target is not None:
            path = export(result, target, fmt, tz=tz, station=_station(services),
                          technician=technician_name)
            print(tr("Wrote {file}.", file=path))
            return 0
    print(as_text(result, tz, technician_name))
    return 0


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RuleViolation("{option} takes a date as YYYY-MM-DD, not {value}.",
                            field=option.strip("-"), option=option, value=text) from None


def _member(kind: type[Enum], text: str | None, option: str) -> str | None:
    """The enum value named by ``text``: its value (repair) or its label (报修, in either
    language)."""
    if not text:
        return None
    wanted = text.strip().casefold()
    for member in kind:
        names = {str(member.value), label(member),
                 LABELS_ZH.get(f"{kind.__name__}.{member.name}", "")}
        if wanted in {n.casefold() for n in names if n}:
            return str(member.value)
    known = [m.value if label(m) == m.value else f"{m.value} ({label(m)})" for m in kind]
    raise RuleViolation("{option} takes one of: {known}; not {value}.", field=option.strip("-"),
                        option=option, value=text, known=", ".join(known))


def _category(services: Services, text: str | None) -> str | None:
    if not text:
        return None
    known = services.station_reports.choices().categories
    if text.strip() in known:
        return text.strip()
    raise RuleViolation("There is no product category {value}; the warranty policy names: "
                        "{known}.", field="category", value=text,
                        known=", ".join(known) or "-")


def _technician(services: Services, username: str | None) -> tuple[str | None, str | None]:
    if not username:
        return None, None
    wanted = username.strip().casefold()
    for user in services.users.list_users(active_only=False):
        if user.username.casefold() == wanted and user.role in (Role.TECHNICIAN, Role.MANAGER):
            return user.id, user.display_name
    raise RuleViolation("There is no technician with the user name {username}.",
                        field="technician", username=username)


def _zone(services: Services) -> tzinfo:
    return services.station_reports.tz or datetime.now(UTC).astimezone().tzinfo or UTC


def _station(services: Services) -> StationHeader | None:
    return services.reports.letterhead_if_set_up()


# -- text -------------------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns on a terminal: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0
               if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, room: int, right: bool) -> str:
    fill = " " * max(room - width(text), 0)
    return fill + text if right else text + fill


def as_text(result: ReportResult, tz: tzinfo | None, technician: str | None = None) -> str:
    """The report as aligned text: what it covers, then each table (figures right-aligned,
    the totals under a rule), then the notes."""
    lines = [tr("{label}: {value}", label=key, value=value)
             for key, value in report_facts(result, tz, None, technician)]
    for table in result.tables:
        lines += ["", tr(table.title)]
        cells = [[" ".join(c.split()) for c in row] for row in table_lines(table, tz)]
        right = [c.kind in NUMERIC_KINDS for c in table.columns]
        widths = [max(width(row[i]) for row in cells) for i in range(len(table.columns))]

        def line(row: list[str], widths: list[int] = widths,
                 right: list[bool] = right) -> str:
            return "  ".join(_pad(cell, widths[i], right[i])
                             for i, cell in enumerate(row)).rstrip()

        lines.append(line(cells[0]))
        lines.append("  ".join("-" * w for w in widths))
        body = cells[1:]
        if table.totals is not None:
            body, totals = body[:-1], body[-1]
        lines += [line(row) for row in body]
        if not table.rows:
            lines.append(tr("No data for this range."))
        if table.totals is not None:
            lines.append("  ".join("-" * w for w in widths))
            lines.append(line(totals))
    if result.notes:
        lines += ["", *(tr(n) for n in result.notes)]
    return "\n".join(lines)
