"""How a report's cell reads as text (the window's table, the printed paper, the .csv):
money in yuan, shares as percentages, minutes as h:mm, UTC times in the station's zone,
enum members by their label, catalogue texts translated, user text exactly as stored."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Any

from app.domain.report_tables import Column, ColumnKind
from app.domain.validation import format_fen
from app.i18n import label, tr


def cell_text(value: Any, column: Column, tz: tzinfo | None = None) -> str:
    """``value`` of ``column`` as people read it; ``None`` is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return label(value)
    kind = column.kind
    if kind is ColumnKind.FEN:
        return format_fen(int(value))
    if kind is ColumnKind.SHARE:
        return f"{float(value) * 100:.1f}%"
    if kind is ColumnKind.MINUTES:
        minutes = round(float(value))
        sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
        return f"{sign}{minutes // 60}:{minutes % 60:02d}"
    if kind is ColumnKind.NUMBER:
        return f"{float(value):.1f}"
    if kind is ColumnKind.COUNT:
        return str(int(value))
    if kind is ColumnKind.DATETIME and isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if kind is ColumnKind.DATE and isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return tr(text) if column.translate else text


def totals_text(value: Any, column: Column, tz: tzinfo | None = None) -> str:
    """A cell of the totals row: its first cell is a catalogue text ("Total")."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return tr(value)
    return cell_text(value, column, tz)
