"""Human numbers people read: ``SO-<station>-<yyyymmdd>-<nnnn>`` and the parts documents'
``<prefix>-<station>-<yyyymmdd>-<nnnn>`` (``app.domain.parts.document_number``).

A station is a set of devices (issue 15) that number offline at the same time. Device 1 (tag
``""``) numbers exactly as a one-device station always has; every other device has its own tag
letter, written before the sequence (``SO-ST01-20261201-B0001``), so two devices never make
the same number. Head office's own numbers (5001… of device 1's shape, ``-R<epoch>`` after a
restore) are unaffected. The letters leave out I and O (read as 1 and 0 over the phone) and A.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: the tag letters of devices 2, 3, … of a station (device 1 has none)
DEVICE_TAGS = "BCDEFGHJKLMNPQRSTUVWXYZ"
ORDER_NUMBER_RE = re.compile(
    r"^SO-([A-Z0-9]{2,16})-(\d{8})-([" + DEVICE_TAGS + r"]?)(\d{4,})$")
#: any human number: order (SO), sale (SA), count (PC), parts order (PO), shipment (RS),
#: old-part tag (OP), claim batch (CB), feedback card (QF)
HUMAN_NUMBER_RE = re.compile(
    r"^([A-Z]{2})-([A-Z0-9]{2,16})-(\d{8})-([" + DEVICE_TAGS + r"]?)(\d{4,})$")
STATION_CODE_RE = re.compile(r"^[A-Z0-9]{2,16}$")
#: the longest number a device makes for the longest station code (16) up to 99,999 documents
#: of one kind a day: 3 + 16 + 1 + 8 + 1 + 1 + 5; the number columns hold 40
MAX_NUMBER_LENGTH = 35


@dataclass(frozen=True)
class HumanNumber:
    prefix: str
    station_code: str
    day: date
    tag: str
    sequence: int


def check_tag(tag: str) -> str:
    """``tag`` if it is a device's tag letter ("" for device 1), else ValueError."""
    if tag and (len(tag) != 1 or tag not in DEVICE_TAGS):
        raise ValueError(f"not a device tag: {tag!r}")
    return tag


def tag_for_device(number: int) -> str:
    """The tag head office gives the station's ``number``-th device (1: "", 2: "B", …)."""
    if not 1 <= number <= len(DEVICE_TAGS) + 1:
        raise ValueError(f"no tag for device {number}")
    return "" if number == 1 else DEVICE_TAGS[number - 2]


def human_number(prefix: str, station_code: str, day: date, sequence: int, tag: str = "") -> str:
    """``<prefix>-<station>-<yyyymmdd>-<tag><nnnn>``: four digits, more after 9999."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}-{station_code}-{day:%Y%m%d}-{check_tag(tag)}{sequence:04d}"


def order_number(station_code: str, day: date, sequence: int, tag: str = "") -> str:
    """The ``sequence``-th order of ``day`` (1-based) of the device with ``tag``."""
    return human_number("SO", station_code, day, sequence, tag)


def parse_human_number(number: str) -> HumanNumber | None:
    """Any human number's parts, or None when ``number`` is not one."""
    match = HUMAN_NUMBER_RE.match(number.strip().upper())
    if not match:
        return None
    prefix, code, ymd, tag, seq = match.groups()
    try:
        day = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        return None
    return HumanNumber(prefix, code, day, tag, int(seq))


def parse_order_number(number: str) -> tuple[str, date, int] | None:
    """(station, day, sequence) of an order number of any device, or None."""
    parsed = parse_human_number(number)
    if parsed is None or parsed.prefix != "SO":
        return None
    return parsed.station_code, parsed.day, parsed.sequence
