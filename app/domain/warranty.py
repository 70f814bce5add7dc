"""Warranty (三包) status of a product on a given date."""

from __future__ import annotations

import calendar
from datetime import date

from app.domain.enums import WarrantyStatus

DEFAULT_WARRANTY_MONTHS = 12


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def warranty_end(purchase_date: date, warranty_months: int) -> date:
    """The last day still covered: the day before the same date ``warranty_months`` later.

    When that month has no such date (bought 29 February, or on the 31st) the period runs to
    the month's last day: a purchase on 29 Feb 2024 with 12 months is covered to 28 Feb 2025,
    not the 27th (the customer would lose a day the calendar took from him)."""
    month_index = purchase_date.month - 1 + warranty_months
    year = purchase_date.year + month_index // 12
    month = month_index % 12 + 1
    if purchase_date.day > calendar.monthrange(year, month)[1]:
        return date(year, month, calendar.monthrange(year, month)[1])
    return date.fromordinal(add_months(purchase_date, warranty_months).toordinal() - 1)


def warranty_status(
    purchase_date: date | None, warranty_months: int | None, on: date
) -> WarrantyStatus:
    """保内 from the purchase day through ``warranty_end``; 保外 after; unknown without a date."""
    if purchase_date is None or warranty_months is None:
        return WarrantyStatus.UNKNOWN
    if on < purchase_date:
        # a repair dated before the purchase is a data error; head office audits it as 超保单
        return WarrantyStatus.OUT_OF_WARRANTY
    if on <= warranty_end(purchase_date, warranty_months):
        return WarrantyStatus.IN_WARRANTY
    return WarrantyStatus.OUT_OF_WARRANTY
