"""Head office's view of the stations' quality feedback cards (产品质量反馈卡): they arrive as
the generic ``feedback_card`` record (a card is pushed once, when the station submits it, with
its photos' metadata inline; drafts never leave the station), and the quality department lists
them with ``repair-station-hq feedback list [--station CODE] [--cause C] [--model TEXT]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from sync.hq.db import HqDatabase
from sync.hq.i18n import pad, tr
from sync.hq.models import HqRecord, HqStation, utcnow

ENTITY = "feedback_card"
#: the station program's cause categories (app/domain/feedback.py), in the card's order
CAUSES = ("design", "material", "manufacturing", "transport", "installation", "use")


@dataclass(frozen=True)
class CardRow:
    station: str
    number: str
    submitted_at: str
    product_model: str
    serial_no: str
    cause_category: str
    faulty_part: str
    photos: int
    fault_phenomenon: str


def cards(db: HqDatabase, code: str | None = None, cause: str | None = None,
          model: str | None = None) -> list[CardRow]:
    """The submitted cards head office holds, newest submission first."""
    with db.read() as s:
        stmt = (select(HqRecord.payload, HqStation.code)
                .join(HqStation, HqStation.id == HqRecord.station_id)
                .where(HqRecord.entity == ENTITY, HqRecord.deleted.is_(False)))
        if code:
            stmt = stmt.where(HqStation.code == code.strip().upper())
        rows = []
        for payload, station in s.execute(stmt):
            data: dict[str, Any] = json.loads(payload)
            if cause and data.get("cause_category") != cause:
                continue
            if model and model.strip().lower() not in str(data.get("product_model", "")).lower():
                continue
            rows.append(CardRow(station, str(data.get("number", "")),
                                str(data.get("submitted_at") or ""),
                                str(data.get("product_model", "")),
                                str(data.get("serial_no", "")),
                                str(data.get("cause_category", "")),
                                str(data.get("faulty_part", "")),
                                len(data.get("photos") or []),
                                str(data.get("fault_phenomenon", ""))))
    return sorted(rows, key=lambda r: (r.submitted_at, r.number), reverse=True)


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("feedback", parents=parents,
                           help="the stations' quality feedback cards")
    cmds = group.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    listed = cmds.add_parser("list", parents=parents, help="list the submitted cards")
    listed.add_argument("--station")
    listed.add_argument("--cause", choices=CAUSES)
    listed.add_argument("--model", help="part of the product model")


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    rows = cards(db, args.station, args.cause, args.model)
    print(f"{pad(tr('STATION'), 8)} {pad(tr('CARD'), 24)} {pad(tr('SUBMITTED (UTC)'), 16)} "
          f"{pad(tr('MODEL'), 18)} {pad(tr('CAUSE'), 13)} {pad(tr('PHOTOS'), 6, True)}  "
          f"{tr('FAULT')}")
    for r in rows:
        fault = " ".join(r.fault_phenomenon.split())
        print(f"{r.station:<8} {r.number:<24} {r.submitted_at[:16].replace('T', ' '):<16} "
              f"{r.product_model[:18]:<18} {r.cause_category:<13} {r.photos:>6}  "
              f"{fault[:40]}")
    print(tr("{n} feedback card(s).", n=len(rows)))
    return 0
