"""Head office publishes the parts catalogue (配件目录): ``repair-station-hq parts import
FILE.csv`` reads the same file a station can import offline (``sync.parts_csv``), keeps each
part's latest fields in ``hq_parts`` and writes one change-log entry (entity ``part``,
addressed to every station) per new or changed part, in one transaction: a file with one bad
row publishes nothing. An unchanged part writes nothing, so importing the same file again
sends stations nothing.

A part's revision is the ``hq_seq`` of the change that published it: it only grows, also
after ``after-restore`` moves the counter on, so a station never takes a part back to an
older revision. The snapshot a station downloads after 410 carries every part
(``sync.hq.changes.snapshot``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from app.domain.errors import RuleViolation
from sync import parts_csv
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from sync.hq.i18n import said
from sync.hq.models import HqChange, HqMeta, HqPart, utcnow
from sync.protocol import HqEntity


@dataclass(frozen=True)
class PartsPublished:
    rows: int
    added: int
    changed: int
    unchanged: int
    #: the change-log range written (0, 0 when nothing changed)
    first_seq: int
    last_seq: int


def read_rows(path: Path) -> list[parts_csv.CatalogueRow]:
    """The file's parts, or ``AdminError`` with every problem (line and column) in English."""
    try:
        return parts_csv.parse(parts_csv.read_file(path))
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc.strerror or exc}") from None
    except parts_csv.CatalogueFileError as exc:
        raise AdminError(f"{path}: {exc.total} problem(s), nothing was published:\n  "
                         + "\n  ".join(exc.lines())) from None
    except RuleViolation as exc:
        raise AdminError(f"{path}: {exc}") from None


def publish(db: HqDatabase, rows: list[parts_csv.CatalogueRow],
            clock: Callable[[], datetime] = utcnow) -> PartsPublished:
    """Publishes ``rows`` to every station: one change per new or changed part."""
    now = clock()
    with db.write() as s:
        # the change-log counter row, locked until commit (as changes.append_change does), so
        # the whole range commits in hq_seq order; taken once for the file, not per part
        counter = s.scalars(
            db.lock_for_update(select(HqMeta).where(HqMeta.key == "last_hq_seq"))).one()
        known = {pid: text for pid, text in s.execute(select(HqPart.id, HqPart.payload))}
        seq = first = counter.value
        log: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for row in rows:
            fields = row.fields()
            text = _dump(fields)
            old = known.get(row.part_id)
            if old == text:
                continue
            seq += 1
            log.append({"hq_seq": seq, "station_id": None, "entity": HqEntity.PART.value,
                        "entity_id": row.part_id, "op": "upsert",
                        "payload": _dump({**fields, "revision": seq}), "created_at": now})
            values = {"id": row.part_id, "payload": text, "hq_seq": seq, "updated_at": now}
            (added if old is None else changed).append(values)
            known[row.part_id] = text
        for chunk in _chunks(log):
            s.execute(insert(HqChange), chunk)
        if added:
            s.execute(insert(HqPart), [{**a, "part_no": json.loads(a["payload"])["part_no"]}
                                       for a in added])
        if changed:
            s.execute(update(HqPart), changed)
        counter.value = seq
    return PartsPublished(len(rows), len(added), len(changed),
                          len(rows) - len(added) - len(changed),
                          first + 1 if log else 0, seq if log else 0)


def import_file(db: HqDatabase, path: Path,
                clock: Callable[[], datetime] = utcnow) -> PartsPublished:
    return publish(db, read_rows(path), clock)


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``parts import FILE.csv``."""
    group = sub.add_parser("parts", parents=parents, help="the parts catalogue stations pull")
    cmds = group.add_subparsers(dest="parts_command", required=True, metavar="ACTION")
    one = cmds.add_parser("import", parents=parents,
                          help="publish or update parts from a CSV file (all rows or none)")
    one.add_argument("file", type=Path, metavar="FILE.csv",
                     help="columns " + ",".join(parts_csv.COLUMNS))


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    done = import_file(db, args.file, clock)
    print(said(f"{done.rows} part(s) read: {done.added} new, {done.changed} changed, "
               f"{done.unchanged} unchanged; stations receive "
               f"{done.added + done.changed} at their next sync."))
    return 0


def _chunks(items: list[dict[str, Any]], size: int = 5000) -> list[list[dict[str, Any]]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
