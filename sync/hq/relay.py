"""Relaying one device's ops to the station's other devices, and the rule for an edit made
before its device had seen another device's newer version (issue 15).

Only for a station with two or more active devices. Every op head office stores of a relayed
entity (``sync.entities.relayed``) becomes a change addressed to the station with the op's id
and its device (``origin_device_id``), so a pull hands it to every other device and never
back. An upsert/delete of a RECORD/ORDER row is *stale* when the row's current version came
from another device (or from head office's merge) through a change the op's device had not
seen (``op.seen_hq_seq < record.last_change_seq``): it is refused with head office's row,
except that a service order whose status is further along in the state machine wins (a
merge, relayed to every device, the sender too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.domain.enums import OrderStatus
from sync import entities as ent
from sync.hq.models import HqRecord
from sync.protocol import OpKind, PushOp

S = OrderStatus

#: how far along the normal flow an order is: the finished states beat cancelled, which
#: beats every open state; the three in-service states are one step (an order moves between
#: them both ways), so none of them beats another
_RANK: dict[str, int] = {
    S.RECEIVED.value: 0, S.ACCEPTED.value: 1, S.ASSIGNED.value: 2,
    S.ON_SITE.value: 3, S.IN_WORKSHOP.value: 3, S.WAITING_PARTS.value: 3,
    S.CANCELLED.value: 10,
    S.COMPLETED.value: 20, S.VISITED.value: 21, S.CLOSED.value: 22,
}


def status_rank(status: object) -> int:
    """The order status's place in the flow (-1: not a status head office knows)."""
    return _RANK.get(str(status), -1)


def further_along(new: object, current: object) -> bool:
    """Whether order status ``new`` is further along than ``current``."""
    rank = status_rank(new)
    return rank >= 0 and rank > status_rank(current)


def is_stale(op: PushOp, spec: ent.EntitySpec, record: HqRecord | None,
             device_id: int) -> bool:
    """Whether ``op`` of device ``device_id`` edits a row whose current version it had not
    seen (another device's, or head office's merge, relayed after the op's ``seen_hq_seq``)."""
    if record is None or op.op not in (OpKind.UPSERT, OpKind.DELETE):
        return False
    if spec.storage not in (ent.Storage.RECORD, ent.Storage.ORDER):
        return False
    if record.last_device_id == device_id:
        return False
    if record.last_device_id == 0 and record.last_change_seq <= 0:
        return False  # written before relaying began: nobody else's version to protect
    return op.seen_hq_seq < record.last_change_seq


def current_payload(record: HqRecord) -> dict[str, Any]:
    """The row head office holds (what a stale op is answered with)."""
    try:
        payload = json.loads(record.payload)
    except ValueError:
        payload = {}
    return payload if isinstance(payload, dict) else {}


def merged_payload(op: PushOp, record: HqRecord) -> dict[str, Any]:
    """The stale order op's payload as head office's new version: one revision past the
    current one."""
    held = current_payload(record).get("revision")
    revision = max(record.revision, held if isinstance(held, int) else 0)
    return {**op.payload, "revision": revision + 1}


@dataclass
class Relays:
    """The changes a batch relays, in op order, and the records they leave current."""

    station_id: int
    device_id: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    records: list[tuple[HqRecord, int]] = field(default_factory=list)

    def add(self, op: PushOp, payload: dict[str, Any], record: HqRecord | None,
            to_every_device: bool = False) -> None:
        """``op`` (with ``payload`` as stored) goes to the station's other devices, or with
        ``to_every_device`` (head office's merge) to all of them, the sender too."""
        self.rows.append({"station_id": self.station_id, "entity": op.entity,
                          "entity_id": op.entity_id, "op": op.op, "payload": payload,
                          "op_id": op.op_id,
                          "origin_device_id": None if to_every_device else self.device_id})
        if record is not None:
            self.records.append((record, len(self.rows) - 1))

    def mark(self, seqs: list[int]) -> None:
        """Each record's change is the last one relaying it (op order)."""
        for record, index in self.records:
            record.last_change_seq = seqs[index]
