"""Head office's administration of a station's devices (issue 15): adding one (its token
shown once), listing them, and revoking a lost one at once, with what head office last
received from it (everything the device made after that never arrived).

``HqAdmin.add_device`` / ``devices`` / ``revoke_device`` call these; each is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.errors import RuleViolation
from sync import protocol as p
from sync.hq import changes
from sync.hq.auth import new_token, token_hash
from sync.hq.checks import check_code
from sync.hq.db import HqDatabase
from sync.hq.devices import MAX_DEVICES, DeviceView, primary_number, tag_of
from sync.hq.errors import AdminError
from sync.hq.models import HqDevice, HqReceivedOp, HqStation

MAX_NAME = 64
#: how many of a revoked device's last received ops the report lists
LAST_OPS = 10


@dataclass(frozen=True)
class DeviceRow:
    """One device as ``devices CODE`` lists it."""

    number: int
    name: str
    tag: str
    revoked: bool
    last_push_at: datetime | None
    last_pull_at: datetime | None
    high_water: int
    backlog: int
    primary: bool = False

    @property
    def last_sync(self) -> datetime | None:
        times = [t for t in (self.last_push_at, self.last_pull_at) if t is not None]
        return max(times) if times else None


@dataclass(frozen=True)
class ReceivedOp:
    """One op head office received from a device (the newest first in a report)."""

    seq: int
    entity: str
    entity_id: str
    op: str
    action: str
    username: str
    station_time: str
    status: str
    received_at: datetime


@dataclass(frozen=True)
class RevokeReport:
    """What a revoked device left: its last sync and high water, and the last ops head
    office received from it. What it made after ``high_water`` never reached head office."""

    code: str
    number: int
    name: str
    last_push_at: datetime | None
    last_pull_at: datetime | None
    high_water: int
    last_ops: tuple[ReceivedOp, ...]
    #: active devices the station has left
    active_left: int
    #: the new primary device's number when the revoked one was primary (it re-downloads
    #: head office's data), else None
    new_primary: int | None = None


def _station(s: Session, code: str) -> HqStation:
    code = check_code(code)
    station = s.scalar(select(HqStation).where(HqStation.code == code))
    if station is None:
        raise AdminError("No station {code}; add it with add-station first.", code=code)
    return station


def add_device(db: HqDatabase, code: str, name: str, now: datetime) -> tuple[DeviceRow, str]:
    """A new device of the station (the next number, its letter); returns it and its token,
    the only time the token is shown."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise AdminError("A device name is required (at most 64 characters).")
    try:  # kept exactly, or refused: one line the station's screens and papers can draw
        name = v.check_length(name, "name", "Device name", MAX_NAME, multiline=False)
    except RuleViolation as exc:
        chars = exc.params.get("chars") or ()
        raise AdminError("The device name holds characters the station cannot show ({chars}); "
                         "please remove them.", chars=", ".join(map(str, chars))) from exc
    with db.write() as s:
        station = _station(s, code)
        last = s.scalar(select(func.max(HqDevice.number))
                        .where(HqDevice.station_id == station.id)) or 0
        number = last + 1
        if number > MAX_DEVICES:
            raise AdminError("Station {code} already has {n} devices, the most it can have.",
                             code=station.code, n=MAX_DEVICES)
        # ``d<n>.<secret>``: a laptop set up with no line knows which device it is from it
        token = p.device_token(number, new_token())
        device = HqDevice(station_id=station.id, number=number, name=name, tag=tag_of(number),
                          token_hash=token_hash(token), revoked=False, created_at=now,
                          pulled_seq=0, high_water=0, needs_snapshot=False)
        s.add(device)
        s.flush()
        return _row(s, device, primary_number(s, station.id)), token


def list_devices(db: HqDatabase, code: str) -> list[DeviceRow]:
    """The station's devices by number, revoked ones too."""
    with db.read() as s:
        station = _station(s, code)
        primary = primary_number(s, station.id)
        return [_row(s, d, primary) for d in s.scalars(
            select(HqDevice).where(HqDevice.station_id == station.id)
            .order_by(HqDevice.number))]


def revoke_device(db: HqDatabase, code: str, number: int, now: datetime) -> RevokeReport:
    """Stops the device at once (its next request, and a push waiting for the lock, get 403).
    If it was the primary device, the next active one becomes primary and re-downloads
    head office's data (its next pull answers 410)."""
    with db.write() as s:
        station = _station(s, code)
        device = s.scalars(db.lock_for_update(select(HqDevice).where(
            HqDevice.station_id == station.id, HqDevice.number == number))).one_or_none()
        if device is None:
            raise AdminError("Station {code} has no device {number}.", code=station.code,
                             number=number)
        if device.revoked:
            raise AdminError("Device {number} of station {code} is already revoked.",
                             number=number, code=station.code)
        was_primary = primary_number(s, station.id) == number
        device.revoked = True
        device.revoked_at = now
        s.flush()
        new_primary = None
        if was_primary:
            successor = s.scalar(select(HqDevice).where(
                HqDevice.station_id == station.id, HqDevice.revoked.is_(False))
                .order_by(HqDevice.number).limit(1))
            if successor is not None:
                successor.needs_snapshot = True
                new_primary = successor.number
        active = s.scalar(select(func.count()).select_from(HqDevice).where(
            HqDevice.station_id == station.id, HqDevice.revoked.is_(False))) or 0
        last_ops = tuple(
            ReceivedOp(r.seq, r.entity, r.entity_id, r.op, r.action, r.username,
                       r.station_time, r.status, r.received_at)
            for r in s.scalars(select(HqReceivedOp).where(HqReceivedOp.station_id == station.id,
                                                  HqReceivedOp.device_id == device.id)
                               .order_by(HqReceivedOp.seq.desc()).limit(LAST_OPS)))
        return RevokeReport(station.code, device.number, device.name, device.last_push_at,
                            device.last_pull_at, device.high_water, last_ops, active,
                            new_primary)


def _row(s: Session, d: HqDevice, primary: int | None) -> DeviceRow:
    view = DeviceView(d.id, d.number, d.station_id, d.number == primary, d.needs_snapshot,
                      d.pulled_seq)
    backlog = 0 if d.revoked else changes.device_backlog(s, view)
    return DeviceRow(d.number, d.name, d.tag, d.revoked, d.last_push_at, d.last_pull_at,
                     d.high_water, backlog, d.number == primary)
