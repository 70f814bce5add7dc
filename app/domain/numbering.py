"""Human numbers people read: ``SO-<station>-<yyyymmdd>-<nnnn>``."""

from __future__ import annotations

import re
from datetime import date

ORDER_NUMBER_RE = re.compile(r"^SO-([A-Z0-9]{2,16})-(\d{8})-(\d{4,})$")
STATION_CODE_RE = re.compile(r"^[A-Z0-9]{2,16}$")


def order_number(station_code: str, day: date, sequence: int) -> str:
    """The ``sequence``-th order of ``day`` (1-based); four digits, more after 9999."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"SO-{station_code}-{day:%Y%m%d}-{sequence:04d}"


def parse_order_number(number: str) -> tuple[str, date, int] | None:
    match = ORDER_NUMBER_RE.match(number.strip().upper())
    if not match:
        return None
    code, ymd, seq = match.groups()
    return code, date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:])), int(seq)
