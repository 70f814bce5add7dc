"""The parts catalogue (配件目录) at the station: finding a part (number prefix, name or
compatible model), the station's own shelf location and low-stock threshold per part
(``PartSetting``, pushed as ``part_setting``), and the offline import of head office's CSV
for a station that has not synced yet.

The catalogue itself belongs to head office: an import writes no outbox rows (a station may
not push parts), and never overwrites a part head office already sent (``hq_revision > 0``);
it says how many it left alone. Sync brings head office's parts through
``app.services.parts_sync``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select, update

from app.domain import parts as dp
from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import record, row_payload
from app.services.stock_ledger import MAX_QUANTITY
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Part, PartSetting
from sync import parts_csv

PAGE_SIZE = 100
#: the outbox entity of a part's station settings (sync/entities.py)
SETTING_ENTITY = "part_setting"
#: what a committed change to the catalogue or the settings announces on the ChangeBus (the
#: stock list shows names, prices, shelves and thresholds too)
PARTS = "parts"
STOCK = "stock"
PREFIX_END = "\U0010ffff"


@dataclass(frozen=True)
class PartInfo:
    id: str
    part_no: str
    name: str
    specification: str
    models: str
    unit: str
    retail_price_fen: int
    station_price_fen: int
    return_required: bool
    warranty_months: int | None
    active: bool
    hq_revision: int
    location: str
    low_stock_threshold: int
    #: the settings row's revision (0: the station has set nothing for this part yet)
    setting_revision: int


@dataclass(frozen=True)
class ImportResult:
    rows: int
    added: int
    updated: int
    unchanged: int
    #: parts head office already sent: an offline import leaves them as head office has them
    skipped_from_hq: int


_COLUMNS = (Part.id, Part.part_no, Part.name, Part.specification, Part.models, Part.unit,
            Part.retail_price_fen, Part.station_price_fen, Part.return_required,
            Part.warranty_months, Part.active, Part.hq_revision, PartSetting.location,
            PartSetting.low_stock_threshold, PartSetting.revision)


def _info(row: Any) -> PartInfo:
    return PartInfo(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                    bool(row[8]), row[9], bool(row[10]), row[11], row[12] or "",
                    row[13] or 0, row[14] or 0)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_conditions(text: str) -> list[Any]:
    """The part number prefix, name substring or model substring ``text`` means (empty: all)."""
    query = v.clean_text(text, "text", "Search text")
    if not query:
        return []
    upper = query.upper()
    pattern = _like(query)  # LIKE ignores the case of Latin letters (models, names)
    return [or_(Part.part_no.between(upper, upper + PREFIX_END),
                Part.name.like(pattern, escape="\\"),
                Part.models.like(pattern, escape="\\"))]


class PartCatalogue:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- reading ----------------------------------------------------------------------------
    def search(self, text: str = "", *, after: str | None = None,
               limit: int = PAGE_SIZE) -> list[PartInfo]:
        """A page of parts by number, matching ``text`` (number prefix, name or model
        substring); ``after``: the last part number of the previous page."""
        t.check_key(after, "after", "Search text")
        limit = max(1, min(limit, 1000))
        stmt = (select(*_COLUMNS).outerjoin(PartSetting, PartSetting.part_id == Part.id)
                .where(*search_conditions(text)))
        if after:
            stmt = stmt.where(Part.part_no > after)
        stmt = stmt.order_by(Part.part_no).limit(limit)
        with self.db.read() as s:
            return [_info(r) for r in s.execute(stmt)]

    def get(self, part_id: str) -> PartInfo:
        t.check_key(part_id, "part_id", "Part")
        return self._one(Part.id == part_id)

    def by_number(self, part_no: str) -> PartInfo:
        """The part numbered ``part_no`` (case and surrounding space aside)."""
        t.check_key(part_no, "part_no", "Part number")
        return self._one(Part.id == dp.part_id(part_no))

    def _one(self, condition: Any) -> PartInfo:
        with self.db.read() as s:
            row = s.execute(select(*_COLUMNS)
                            .outerjoin(PartSetting, PartSetting.part_id == Part.id)
                            .where(condition)).first()
        if row is None:
            raise not_found("part")
        return _info(row)

    # -- the station's settings -------------------------------------------------------------
    def set_setting(self, actor: Actor, part_id: str, *, location: str,
                    low_stock_threshold: int, expected_revision: int | None = None
                    ) -> PartInfo:
        """The part's shelf location (货位) and low-stock threshold (0: no warning)."""
        actor.require(Permission.PART_SETTINGS)
        t.check_key(part_id, "part_id", "Part")
        location = t.check_length(location, "location", "Shelf location", dp.MAX_LOCATION,
                                  multiline=False)
        threshold = v.check_range(low_stock_threshold, "low_stock_threshold",
                                  "Low-stock threshold", 0, MAX_QUANTITY)
        now = self.clock()
        with self.db.write() as s:
            if s.get(Part, part_id) is None:
                raise not_found("part")
            setting = s.scalar(select(PartSetting).where(PartSetting.part_id == part_id))
            base = setting.revision if setting is not None else 0
            if expected_revision is not None and expected_revision != base:
                raise stale("part")
            if setting is None:
                setting = PartSetting(part_id=part_id, created_at=now, updated_at=now,
                                      revision=1)
                s.add(setting)
            else:
                setting.revision += 1
                setting.updated_at = now
            setting.location, setting.low_stock_threshold = location, threshold
            s.flush()
            record(s, actor, action="part_setting.update", entity=SETTING_ENTITY,
                   entity_id=setting.id, payload=row_payload(setting), base_revision=base,
                   detail=f"{location} / {threshold}")
        self.bus.publish({PARTS, STOCK, events.OUTBOX})
        return self.get(part_id)

    # -- offline import ---------------------------------------------------------------------
    def import_csv(self, actor: Actor, path: Path) -> ImportResult:
        """Loads head office's catalogue file: every row or none (``CatalogueFileError``
        names each bad row by line and column)."""
        actor.require(Permission.CATALOGUE_IMPORT)
        try:
            data = parts_csv.read_file(Path(path))
        except OSError as exc:
            raise RuleViolation("Cannot read {path}: {reason}", field="path", path=str(path),
                                reason=exc.strerror or str(exc)) from None
        return self._import(actor, data, Path(path).name)

    def import_bytes(self, actor: Actor, data: bytes, source: str = "") -> ImportResult:
        """``import_csv`` of a file already read (a window's drop, a download)."""
        actor.require(Permission.CATALOGUE_IMPORT)
        return self._import(actor, data, source)

    def _import(self, actor: Actor, data: bytes, source: str) -> ImportResult:
        rows = parts_csv.parse(data, check_text=t.check_drawable)
        now = self.clock()
        added = updated = unchanged = skipped = 0
        with self.db.write() as s:
            existing = {r[0]: r for r in s.execute(select(
                Part.id, Part.hq_revision, Part.part_no, Part.name, Part.specification,
                Part.models, Part.unit, Part.retail_price_fen, Part.station_price_fen,
                Part.return_required, Part.warranty_months, Part.active))}
            new: list[dict[str, Any]] = []
            changed: list[dict[str, Any]] = []
            for row in rows:
                fields = row.fields()
                values = {"id": fields.pop("part_id"), **fields}
                old = existing.get(values["id"])
                if old is None:
                    new.append({**values, "hq_revision": 0, "updated_at": now})
                elif old[1] > 0:
                    skipped += 1
                elif tuple(old[2:]) == tuple(values[k] for k in _COMPARED):
                    unchanged += 1
                else:
                    changed.append({**values, "updated_at": now})
            if new:
                s.execute(insert(Part), new)
            if changed:
                s.execute(update(Part), changed)
            added, updated = len(new), len(changed)
            record(s, actor, action="parts.import", entity="part", entity_id="catalogue",
                   detail=f"{source}: {len(rows)} rows, {added} added, {updated} updated, "
                          f"{unchanged} unchanged, {skipped} kept from head office")
        self.bus.publish({PARTS, STOCK})
        return ImportResult(len(rows), added, updated, unchanged, skipped)


_COMPARED = ("part_no", "name", "specification", "models", "unit", "retail_price_fen",
             "station_price_fen", "return_required", "warranty_months", "active")
