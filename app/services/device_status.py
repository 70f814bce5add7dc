"""This device among its station's devices, and what head office never received from it.

Read side only (no writes): the status bar, the manager's settings page and the command line
show ``DeviceStatus`` (this device's name, number and letter, and the other devices' last sync
as head office last listed them, ``sync_devices``). ``unsent`` and ``write_unsent_csv`` list
the outbox rows after the acknowledged seq: for a laptop head office stopped (lost, then
found), the changes that never reached head office, as a paper trail a manager can read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import tr
from app.services.pdf_file import write_file
from app.services.report_export import check_folder, neutralise
from app.store.models import OutboxOp, SyncDevice, SyncRegistration, SyncState
from app.store.models.sync import SINGLETON_ID


@dataclass(frozen=True)
class DeviceRow:
    """One device of the station as head office last listed it."""

    number: int
    name: str
    tag: str
    revoked: bool
    last_push_at: datetime | None
    last_pull_at: datetime | None
    high_water: int
    this_device: bool


@dataclass(frozen=True)
class DeviceStatus:
    """This device (number 1 and no name before head office lists the station's devices)."""

    number: int
    name: str
    tag: str
    primary: bool
    revoked: bool
    devices: tuple[DeviceRow, ...]


@dataclass(frozen=True)
class UnsentChange:
    """An outbox row head office has not acknowledged."""

    seq: int
    entity: str
    entity_id: str
    action: str
    username: str
    created_at: datetime
    summary: str


def device_status(s: Session) -> DeviceStatus:
    reg = s.get(SyncRegistration, SINGLETON_ID)
    number = reg.device_number if reg else 1
    rows = tuple(
        DeviceRow(d.number, d.name, d.tag, d.revoked, d.last_push_at, d.last_pull_at,
                  d.high_water, d.number == number)
        for d in s.scalars(select(SyncDevice).order_by(SyncDevice.number)))
    mine = next((d for d in rows if d.this_device), None)
    return DeviceStatus(
        number=number, name=reg.device_name if reg else "", tag=reg.device_tag if reg else "",
        primary=(reg.primary_device == number) if reg else True,
        revoked=mine.revoked if mine else False, devices=rows)


#: payload fields that name a row for a person, best first
_NAMING = ("number", "part_no", "username", "name", "display_name", "title", "phone",
           "status", "kind")


def summary(entity: str, payload_json: str) -> str:
    """A short line naming the changed row (its number, name...)."""
    try:
        data: Any = json.loads(payload_json)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    parts = [str(data[k]) for k in _NAMING if isinstance(data.get(k), str | int)
             and not isinstance(data.get(k), bool) and str(data[k])][:2]
    return " ".join(parts)[:120]


def unsent(s: Session, limit: int = 500) -> list[UnsentChange]:
    state = s.get(SyncState, SINGLETON_ID)
    acked = state.push_acked_seq if state else 0
    rows = s.scalars(select(OutboxOp).where(OutboxOp.seq > acked).order_by(OutboxOp.seq)
                     .limit(limit))
    return [UnsentChange(o.seq, o.entity, o.entity_id, o.action or o.op, o.username,
                         o.created_at, summary(o.entity, o.payload)) for o in rows]


HEADINGS = ("Seq", "Data", "Record", "Action", "User", "Made at (UTC)", "Summary")


# -- an unsent change in words (the settings page and the .csv) ---------------------------

def entity_text(entity: str) -> str:
    """The data an unsent change is about ("station" is a word other areas use otherwise)."""
    return tr("Station details") if entity == "station" else tr(entity)


#: the area of an action the catalogue has no words for ("notify.order_received")
ACTION_AREAS = {"notify": "Notification", "stock": "Stock change", "claim": "Claim",
                "clash": "Clash settled", "feedback": "Quality feedback",
                "parts_order": "Parts order", "part_setting": "Part setting",
                "policy": "Warranty policy", "parts": "Parts catalogue"}


def action_text(action: str) -> str:
    """The action in words; one the catalogue lacks by its area, else 更改 (never a code)."""
    shown = tr(action)
    if shown != action:
        return shown
    area = ACTION_AREAS.get(action.partition(".")[0])
    return tr(area) if area else tr("Change")


def summary_text(summary: str) -> str:
    """The row's summary with an order status in words ("SO-… received" -> "SO-… 已受理")."""
    from app.domain.enums import OrderStatus
    from app.i18n import label

    statuses = {s.value: s for s in OrderStatus}
    return " ".join(label(statuses[w]) if w in statuses else w for w in summary.split(" "))



def write_unsent_csv(rows: list[UnsentChange], path: Path | str) -> int:
    """The rows as a UTF-8 .csv (with a byte-order mark, for Excel on Chinese Windows); every
    text cell formula-neutralised. Written whole or not at all; the count of rows."""
    target = Path(path)
    check_folder(target)
    lines = [[tr(h) for h in HEADINGS]]
    # in words and local time, as the settings page shows them (never a stored code)
    lines += [[str(r.seq), neutralise(entity_text(r.entity), False),
               neutralise(r.entity_id, False), neutralise(action_text(r.action), False),
               neutralise(r.username, False),
               r.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
               neutralise(summary_text(r.summary), False)] for r in rows]

    def write(out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        csv.writer(text, lineterminator="\r\n").writerows(lines)
        text.flush()
        text.detach()

    write_file(target, write)
    return len(rows)


__all__ = ["DeviceRow", "DeviceStatus", "UnsentChange", "action_text", "device_status",
           "entity_text", "summary_text", "unsent", "write_unsent_csv"]
