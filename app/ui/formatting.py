"""How values look in the window: local times, money, status and SLA colours."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from PySide6.QtGui import QColor

from app.domain.enums import OrderStatus
from app.domain.sla import ClockState
from app.domain.validation import format_fen
from app.i18n import current_language
from app.i18n import label as plain_label

#: soft backgrounds so the text stays readable
STATUS_COLOURS: dict[OrderStatus, str] = {
    OrderStatus.RECEIVED: "#fff3e0",
    OrderStatus.ACCEPTED: "#fff8e1",
    OrderStatus.ASSIGNED: "#e3f2fd",
    OrderStatus.ON_SITE: "#e1f5fe",
    OrderStatus.IN_WORKSHOP: "#e8eaf6",
    OrderStatus.WAITING_PARTS: "#fce4ec",
    OrderStatus.COMPLETED: "#e8f5e9",
    OrderStatus.VISITED: "#f1f8e9",
    OrderStatus.CLOSED: "#eeeeee",
    OrderStatus.CANCELLED: "#efebe9",
}

CLOCK_COLOURS: dict[ClockState, tuple[str, str]] = {
    # (background, text)
    ClockState.MET: ("#c8e6c9", "#1b5e20"),
    ClockState.BREACHED: ("#ffe0b2", "#e65100"),
    ClockState.OVERDUE: ("#ffcdd2", "#b71c1c"),
    ClockState.RUNNING: ("#bbdefb", "#0d47a1"),
    ClockState.NOT_STARTED: ("#eeeeee", "#616161"),
    ClockState.STOPPED: ("#eeeeee", "#424242"),
}

OVERDUE_TEXT = QColor("#b71c1c")
HEAD_OFFICE_TEXT = QColor("#0d47a1")


def local_time(value: datetime | None) -> str:
    """A UTC time as the station's local time, to the minute."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def status_colour(status: str) -> QColor:
    try:
        return QColor(STATUS_COLOURS[OrderStatus(status)])
    except ValueError:
        return QColor("#ffffff")


def yuan(fen: int) -> str:
    return "¥" + format_fen(fen)


def label(member: Enum) -> str:
    """An enum's display name; in English capitalised, as on buttons and in lists."""
    text = plain_label(member)
    if current_language() == "en" and text:
        return text[0].upper() + text[1:]
    return text
