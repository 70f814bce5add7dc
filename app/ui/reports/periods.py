"""The date-range presets of the reports page (本月, 上月, 本季度, 今年, 最近30天): local
calendar days, both ends included, never past today."""

from __future__ import annotations

from datetime import date, timedelta

#: (key, English source text of the button), in the order the page shows them
PRESETS: tuple[tuple[str, str], ...] = (
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("this_quarter", "This quarter"),
    ("this_year", "This year"),
    ("last_30_days", "Last 30 days"),
)


def preset_range(key: str, today: date) -> tuple[date, date]:
    """The (start, end) days of preset ``key`` seen on ``today``."""
    if key == "this_month":
        return today.replace(day=1), today
    if key == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if key == "this_quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1), today
    if key == "this_year":
        return today.replace(month=1, day=1), today
    if key == "last_30_days":
        return today - timedelta(days=29), today
    raise KeyError(key)
