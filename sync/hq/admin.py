"""Head office's administrative use cases: stations and their tokens, dispatching, cancelling
and editing orders, publishing notices, and the lists a person at head office reads.

Each is one transaction; whatever a station must learn goes into the change log in the same
transaction. Failures raise ``AdminError`` with a message for the operator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.numbering import order_number
from sync.hq import changes, device_admin, parts_orders
from sync.hq import conflicts as hq_conflicts
from sync.hq.apply import FINISHED, record_conflict
from sync.hq.auth import new_token, token_hash
from sync.hq.checks import check_code, check_dispatch, check_fields
from sync.hq.conflicts import ConflictRow as ConflictRow
from sync.hq.db import HqDatabase
from sync.hq.device_admin import DeviceRow as DeviceRow
from sync.hq.device_admin import RevokeReport as RevokeReport
from sync.hq.errors import AdminError as AdminError
from sync.hq.inputs import DispatchInput as DispatchInput
from sync.hq.models import (
    HqDevice,
    HqHighWater,
    HqMeta,
    HqNotice,
    HqOrder,
    HqOrderCounter,
    HqRejectedOp,
    HqStation,
    new_id,
    utcnow,
)
from sync.hq.parts_orders import PartsOrderAnswer as PartsOrderAnswer
from sync.protocol import HQ_EDITABLE_ORDER_FIELDS, ConflictKind, HqEntity

#: the name of a station's first device (its original token)
FIRST_DEVICE_NAME = "1号机"
#: how far the change-log counter jumps after a restore: more than any station can have seen
RESTORE_SEQ_JUMP = 1_000_000_000
#: ``HqMeta`` key counting the restores: head-office order numbers carry it (``-R<n>``)
RESTORE_EPOCH_KEY = "restore_epoch"


@dataclass(frozen=True)
class Dispatched:
    order_id: str
    number: str
    hq_seq: int


@dataclass(frozen=True)
class Cancelled:
    order_id: str
    number: str
    hq_seq: int
    #: the station had already finished the order: the cancel is recorded as a conflict
    conflict: bool


@dataclass(frozen=True)
class StationRow:
    code: str
    name: str
    revoked: bool
    last_push_at: datetime | None
    last_pull_at: datetime | None
    high_water: int
    backlog: int

    @property
    def last_sync(self) -> datetime | None:
        times = [t for t in (self.last_push_at, self.last_pull_at) if t is not None]
        return max(times) if times else None


@dataclass(frozen=True)
class RejectedRow:
    station: str
    seq: int
    entity: str
    entity_id: str
    op: str
    reason: str
    created_at: datetime


class HqAdmin:
    def __init__(self, db: HqDatabase, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- stations and tokens ------------------------------------------------------------------
    def add_station(self, code: str, name: str) -> str:
        """Registers a station; returns its token (the only time it is ever shown)."""
        code = check_code(code)
        name = name.strip()
        if not name or len(name) > 64:
            raise AdminError("The station name is required (at most 64 characters).")
        token = new_token()
        with self.db.write() as s:
            if s.scalar(select(HqStation.id).where(HqStation.code == code)) is not None:
                raise AdminError("Station {code} already exists; use rotate-token for a new "
                                 "token.", code=code)
            station = HqStation(code=code, name=name, token_hash=token_hash(token),
                                created_at=self.clock())
            s.add(station)
            s.flush()
            s.add(HqHighWater(station_id=station.id, high_water=0))
            # the station's first device holds its token (protocol 1's single device)
            s.add(HqDevice(station_id=station.id, number=1, name=FIRST_DEVICE_NAME, tag="",
                           token_hash=station.token_hash, created_at=self.clock()))
        return token

    def revoke_station(self, code: str) -> None:
        with self.db.write() as s:
            self._station(s, code).revoked = True

    def rotate_token(self, code: str) -> str:
        """A new token for the station's device 1 (also lifts a revocation of the station or
        of device 1); the old one stops working."""
        token = new_token()
        with self.db.write() as s:
            station = self._station(s, code)
            station.token_hash = token_hash(token)
            station.revoked = False
            first = s.scalar(select(HqDevice).where(HqDevice.station_id == station.id,
                                                    HqDevice.number == 1))
            if first is None:  # (a station made without add-station)
                s.add(HqDevice(station_id=station.id, number=1, name=FIRST_DEVICE_NAME,
                               tag="", token_hash=station.token_hash, created_at=self.clock()))
            else:
                first.token_hash = station.token_hash
                if first.revoked:  # back as the primary device: it learns the open orders
                    first.revoked = False
                    first.revoked_at = None
                    first.needs_snapshot = True
        return token

    # -- devices (issue 15) -------------------------------------------------------------------
    def add_device(self, code: str, name: str) -> tuple[DeviceRow, str]:
        """A new device of the station; returns it and its token (shown only now)."""
        return device_admin.add_device(self.db, code, name, self.clock())

    def devices(self, code: str) -> list[DeviceRow]:
        """The station's devices by number (revoked ones too)."""
        return device_admin.list_devices(self.db, code)

    def revoke_device(self, code: str, number: int) -> RevokeReport:
        """Stops one device at once; the report says what head office last received of it."""
        return device_admin.revoke_device(self.db, code, number, self.clock())

    def stations(self) -> list[StationRow]:
        with self.db.read() as s:
            rows = []
            for st in s.scalars(select(HqStation).order_by(HqStation.code)):
                hw = s.get(HqHighWater, st.id)
                rows.append(StationRow(st.code, st.name, st.revoked, st.last_push_at,
                                       st.last_pull_at, hw.high_water if hw else 0,
                                       changes.backlog(s, st)))
            return rows

    # -- orders -------------------------------------------------------------------------------
    def dispatch(self, code: str, orders: list[DispatchInput]) -> list[Dispatched]:
        """Dispatches ``orders`` to the station, all or none."""
        if not orders:
            raise AdminError("No orders to dispatch.")
        checked = [check_dispatch(i, o) for i, o in enumerate(orders, start=1)]
        now = self.clock()
        out = []
        with self.db.write() as s:
            station = self._station(s, code)
            for o in checked:
                order_id = new_id()
                number = self._next_number(s, station, now.astimezone().date())
                payload = {
                    "order_id": order_id,
                    "number": number,
                    "order_type": o.order_type,
                    "service_mode": o.service_mode,
                    "fault_description": o.fault,
                    "contact_phone": o.phone,
                    "service_address": o.address,
                    "called_at": now.isoformat(),
                    "customer": {"name": o.customer, "phones": [o.phone], "address": o.address},
                    "product": ({"model": o.model, "serial_no": o.serial,
                                 "purchase_date": o.purchase_date or None,
                                 "warranty_months": o.warranty_months} if o.model else None),
                    "hq_reference": o.reference,
                    "hq_revision": 1,
                }
                seq = changes.append_change(self.db, s, station_id=station.id,
                                            entity=HqEntity.DISPATCH_ORDER.value,
                                            entity_id=order_id, op="upsert", payload=payload,
                                            now=now)
                s.add(HqOrder(id=order_id, station_id=station.id, number=number,
                              status="received", order_type=o.order_type,
                              service_mode=o.service_mode, source="head_office",
                              customer_name=o.customer, contact_phone=o.phone,
                              hq_reference=o.reference, dispatched=True,
                              dispatch_payload=_dump(payload), hq_revision=1,
                              dispatch_seq=seq, created_at=now, updated_at=now))
                out.append(Dispatched(order_id, number, seq))
        return out

    def cancel(self, ref: str, reason: str) -> Cancelled:
        """Cancels an order (by number or id). If the station already finished it, the
        completion stands and the cancel is recorded as a conflict, here and at the station."""
        reason = reason.strip()
        if not reason or len(reason) > 200:
            raise AdminError("A cancel reason is required (at most 200 characters).")
        now = self.clock()
        with self.db.write() as s:
            order = self._order(s, ref)
            if order.cancel_state:
                raise AdminError("Order {number} was already cancelled by head office.",
                                 number=order.number)
            if order.status == "cancelled":
                raise AdminError("Order {number} is already cancelled at the station.",
                                 number=order.number)
            conflict = order.status in FINISHED
            order.cancel_state = "conflict" if conflict else "pending"
            order.cancel_reason = reason
            order.updated_at = now
            payload = {"order_id": order.id, "number": order.number, "reason": reason}
            order.cancel_seq = changes.append_change(
                self.db, s, station_id=order.station_id, entity=HqEntity.CANCEL_ORDER.value,
                entity_id=order.id, op="event", payload=payload, now=now)
            if conflict:
                record_conflict(s, order.station_id, ConflictKind.CANCEL_AFTER_COMPLETION,
                                "service_order", order.id,
                                f"Head office cancelled order {order.number} ({reason}) but "
                                f"the station had already {order.status} it; the "
                                f"{order.status} state stands.", "hq", now,
                                clash=order.cancel_seq)
            return Cancelled(order.id, order.number, order.cancel_seq, conflict)

    def update_order(self, ref: str, fields: dict[str, str]) -> int:
        """Head office edits a dispatched order; returns the change's hq_seq.

        The edit carries the station revision head office last saw; a station that changed the
        order since keeps its own edit and reports this one as a conflict.
        """
        unknown = set(fields) - HQ_EDITABLE_ORDER_FIELDS
        if unknown or not fields:
            raise AdminError("Head office may edit only: {fields}.",
                             fields=", ".join(sorted(HQ_EDITABLE_ORDER_FIELDS)))
        clean = check_fields(fields)
        now = self.clock()
        with self.db.write() as s:
            order = self._order(s, ref)
            if not order.dispatched:
                raise AdminError("Order {number} was not dispatched by head office.",
                                 number=order.number)
            if order.cancel_state:
                raise AdminError("Order {number} was cancelled by head office; it cannot be "
                                 "edited.", number=order.number)
            if order.status in ("closed", "cancelled"):
                raise AdminError("Order {number} is {status}; it cannot be edited.",
                                 number=order.number, status=order.status)
            # drawn from the change-log counter, which never goes back (after-restore moves it
            # past anything a station can have seen), so a restore never reissues a revision
            order.hq_revision = max(order.hq_revision + 1, self._next_hq_seq(s))
            payload = json.loads(order.dispatch_payload)
            payload.update(clean)
            payload["hq_revision"] = order.hq_revision
            order.dispatch_payload = _dump(payload)
            order.updated_at = now
            return changes.append_change(
                self.db, s, station_id=order.station_id, entity=HqEntity.ORDER_UPDATE.value,
                entity_id=order.id, op="upsert",
                payload={"order_id": order.id, "base_revision": order.revision,
                         "hq_revision": order.hq_revision, "fields": clean}, now=now)

    # -- parts orders (零件订购) -------------------------------------------------------------
    def confirm_parts_order(self, ref: str, lines: dict[str, int] | None = None,
                            note: str = "") -> PartsOrderAnswer:
        """Confirms a station's submitted parts order, in full or per line (fewer)."""
        with self.db.write() as s:
            return parts_orders.confirm(self.db, s, ref, lines, note, self.clock())

    def ship_parts_order(self, ref: str,
                         lines: dict[str, int] | None = None) -> PartsOrderAnswer:
        """Ships what is confirmed and not yet shipped, or this shipment's quantities."""
        with self.db.write() as s:
            return parts_orders.ship(self.db, s, ref, lines, self.clock())

    # -- notices and conflicts ----------------------------------------------------------------
    def notice(self, title: str, body: str, code: str | None = None) -> str:
        """Publishes a notice to one station or (no code) to all; returns its id."""
        title, body = title.strip(), body.strip()
        if not title or len(title) > 200:
            raise AdminError("A notice title is required (at most 200 characters).")
        if not body or len(body) > 20_000:
            raise AdminError("A notice body is required (at most 20,000 characters).")
        now = self.clock()
        with self.db.write() as s:
            station_id = self._station(s, code).id if code else None
            n = HqNotice(station_id=station_id, title=title, body=body, published_at=now)
            s.add(n)
            s.flush()
            n.hq_seq = changes.append_change(self.db, s, station_id=station_id,
                                             entity=HqEntity.NOTICE.value, entity_id=n.id,
                                             op="upsert", payload=changes.notice_payload(n),
                                             now=now)
            return n.id

    def after_restore(self) -> int:
        """After head office is restored from a backup: every station re-downloads a snapshot.

        Stations may hold cursors beyond the restored change log; moving the counter far past
        them and marking everything before as pruned makes every old cursor answer 410. Pushes
        need nothing: the restored high-water marks answer 409 and stations re-send from there.
        Returns the new first hq_seq.
        """
        with self.db.write() as s:
            last = s.scalars(self.db.lock_for_update(
                select(HqMeta).where(HqMeta.key == "last_hq_seq"))).one()
            pruned = s.scalars(self.db.lock_for_update(
                select(HqMeta).where(HqMeta.key == "pruned_through"))).one()
            last.value += RESTORE_SEQ_JUMP
            pruned.value = last.value
            # a new numbering epoch: order numbers issued from here on carry it, so they can
            # never meet one issued after the backup was taken (which head office forgot)
            epoch = s.scalars(self.db.lock_for_update(
                select(HqMeta).where(HqMeta.key == RESTORE_EPOCH_KEY))).one_or_none()
            if epoch is None:
                epoch = HqMeta(key=RESTORE_EPOCH_KEY, value=0)
                s.add(epoch)
            epoch.value += 1
            return last.value + 1

    def conflicts(self, code: str | None = None) -> list[ConflictRow]:
        with self.db.read() as s:
            # with the fields side by side and how the station settled it (sync.hq.conflicts)
            return hq_conflicts.list_conflicts(s, check_code(code) if code else None)

    def rejected(self, code: str | None = None, limit: int = 1000) -> list[RejectedRow]:
        """Station ops head office refused, newest first."""
        with self.db.read() as s:
            stmt = (select(HqRejectedOp, HqStation.code)
                    .join(HqStation, HqStation.id == HqRejectedOp.station_id)
                    .order_by(HqRejectedOp.id.desc()).limit(limit))
            if code:
                stmt = stmt.where(HqStation.code == check_code(code))
            return [RejectedRow(st, r.seq, r.entity, r.entity_id, r.op, r.reason, r.created_at)
                    for r, st in s.execute(stmt)]

    # -- helpers ------------------------------------------------------------------------------
    def _station(self, s: Session, code: str) -> HqStation:
        code = check_code(code)
        station = s.scalar(select(HqStation).where(HqStation.code == code))
        if station is None:
            raise AdminError("No station {code}; add it with add-station first.", code=code)
        return station

    def _order(self, s: Session, ref: str) -> HqOrder:
        ref = ref.strip()
        # locked: a push of the same order waits, so a cancel/completion clash is always seen
        order = s.scalar(self.db.lock_for_update(select(HqOrder).where(
            or_(HqOrder.id == ref, HqOrder.number == ref.upper()))))
        if order is None:
            raise AdminError("No order {ref} is known to head office.", ref=repr(ref))
        return order

    def _next_hq_seq(self, s: Session) -> int:
        """The hq_seq the next ``append_change`` in this transaction gets (the counter row
        stays locked until commit)."""
        counter = s.scalars(self.db.lock_for_update(
            select(HqMeta).where(HqMeta.key == "last_hq_seq"))).one()
        return counter.value + 1

    def _next_number(self, s: Session, station: HqStation, day: date) -> str:
        """The station's next head-office number of ``day``.

        After a restore the day counters are yesterday's, and stations hold numbers head office
        issued after the backup: numbers of a later restore epoch carry ``-R<epoch>``, so they
        cannot meet those. A number already held (a station re-sent it) is skipped as well.
        """
        key = f"{day:%Y%m%d}"
        counter = s.scalars(self.db.lock_for_update(select(HqOrderCounter).where(
            HqOrderCounter.station_id == station.id, HqOrderCounter.day == key))).one_or_none()
        if counter is None:
            counter = HqOrderCounter(station_id=station.id, day=key, last=5000)
            s.add(counter)
        epoch = s.scalar(select(HqMeta.value).where(HqMeta.key == RESTORE_EPOCH_KEY)) or 0
        suffix = f"-R{epoch}" if epoch else ""
        while True:
            counter.last += 1
            number = order_number(station.code, day, counter.last) + suffix
            if s.scalar(select(HqOrder.id).where(HqOrder.number == number)) is None:
                break
        s.flush()
        return number


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
