"""A station's devices at head office (issue 15): which is primary, what a device sees of
itself and of the others (``GET /v1/device``), and moving a new device's seq on after
another device's backup (``POST /v1/device/start``).

The primary device is the station's lowest-numbered active one: head-office changes in
``sync.entities.PRIMARY_ONLY`` go to it alone. The administration of devices (add, list,
revoke) is ``sync.hq.device_admin``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import protocol as p
from sync.hq.db import HqDatabase
from sync.hq.models import HqDevice, HqHighWater, HqStation

#: the letters of devices 2, 3, ... in their human numbers (no I and O: they read as 1 and 0)
TAG_LETTERS = "BCDEFGHJKLMNPQRSTUVWXYZ"
#: device 1 plus one per letter
MAX_DEVICES = 1 + len(TAG_LETTERS)


def tag_of(number: int) -> str:
    """The letter device ``number`` puts in its human numbers ("" for device 1)."""
    if number <= 1:
        return ""
    return TAG_LETTERS[number - 2]


@dataclass(frozen=True)
class DeviceView:
    """What a pull needs to know of the device asking."""

    id: int
    number: int
    station_id: int
    primary: bool
    needs_snapshot: bool
    pulled_seq: int


def primary_number(s: Session, station_id: int) -> int | None:
    """The number of the station's primary device (lowest active), None if none is active."""
    return s.scalar(select(HqDevice.number).where(
        HqDevice.station_id == station_id, HqDevice.revoked.is_(False))
        .order_by(HqDevice.number).limit(1))


def device_view(s: Session, device_id: int) -> DeviceView:
    d = s.get(HqDevice, device_id)
    assert d is not None
    return DeviceView(d.id, d.number, d.station_id,
                      primary_number(s, d.station_id) == d.number, d.needs_snapshot,
                      d.pulled_seq)


def first_device(s: Session, station_id: int) -> HqDevice:
    """Device 1 of the station (code naming only a station means it)."""
    d = s.scalar(select(HqDevice).where(HqDevice.station_id == station_id,
                                        HqDevice.number == 1))
    assert d is not None, "every station has its device 1"
    return d


def _iso(t: datetime | None) -> str:
    return t.isoformat() if t is not None else ""


def info(d: HqDevice) -> p.DeviceInfo:
    return p.DeviceInfo(d.number, d.name, d.tag, d.revoked, _iso(d.last_push_at),
                        _iso(d.last_pull_at), d.high_water)


def answer(s: Session, device_id: int) -> p.DeviceAnswer:
    """``GET /v1/device``: the station, this device, all its devices and the primary."""
    me = s.get(HqDevice, device_id)
    assert me is not None
    station = s.get(HqStation, me.station_id)
    assert station is not None
    devices = s.scalars(select(HqDevice).where(HqDevice.station_id == station.id)
                        .order_by(HqDevice.number)).all()
    primary = next((d.number for d in devices if not d.revoked), me.number)
    return p.DeviceAnswer(station.code, station.name, info(me),
                          tuple(info(d) for d in devices), primary)


class AlreadyStarted(Exception):
    """The device has pushed, or its seq was already moved: its high water stays."""

    def __init__(self, high_water: int) -> None:
        super().__init__(f"high water {high_water}")
        self.high_water = high_water


def start(db: HqDatabase, device_id: int, first_seq: int) -> p.DeviceInfo:
    """A device set up from another device's backup starts its seq at ``first_seq``: its
    high water becomes ``first_seq - 1``. Only for a device whose high water is 0 and that
    has never pushed; ``AlreadyStarted`` otherwise."""
    if first_seq < 1:
        raise ValueError("first_seq must be at least 1")
    with db.write() as s:
        station_id = s.scalar(select(HqDevice.station_id).where(HqDevice.id == device_id))
        # the same locks in the same order as a push: the station's mark, then the device's
        mark = s.scalars(db.lock_for_update(
            select(HqHighWater).where(HqHighWater.station_id == station_id))).one()
        d = s.scalars(db.lock_for_update(select(HqDevice).where(HqDevice.id == device_id))).one()
        if d.high_water != 0 or d.last_push_at is not None:
            raise AlreadyStarted(d.high_water)
        d.high_water = first_seq - 1
        if d.number == 1:  # protocol 1's mark stays equal to device 1's
            mark.high_water = d.high_water
        return info(d)
