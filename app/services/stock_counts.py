"""Stock counts (盘点): the manager opens a count over every active part or one shelf
location's parts, staff enter what they counted (typed, or a barcode scanner typing the part
number), the differences and their value, and the manager posts the count once as
``COUNT_ADJUSTMENT`` movements; and the count sheet (盘点表) a count prints.

Movements made while a count is open are neither lost nor counted twice: each entry stores,
with the counted quantity, the book quantity (on-hand) at that moment, and posting adjusts
each line by ``counted - book``. Stock received or sold after a part was counted stays on top
of what was counted. A part sold after counting more than the count found (the shelf had
fewer than the books) makes the adjustment take stock below zero: the ledger refuses the
post, naming the part, and the manager has it recounted.

Who does what: opening and posting are the manager's (posting changes the books); counting is
everyone's, as it is on the shelves. One count is open at a time.

Outbox: opening and posting write the count with its lines inline (entity "stock_count"); an
entry writes only its audit entry. A count of 50,000 parts re-sent whole on every scan would
be 50,000 copies of a large payload; head office sees what was counted when it is posted, and
the adjustments as ledger movements.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.domain.parts import (
    MAX_COUNT_LINES,
    MAX_LOCATION,
    MAX_REASON,
    CountStatus,
    DocumentPrefix,
    MovementKind,
    part_id,
)
from app.domain.permissions import Permission
from app.printing.data import CountLine, CountSheet, StationHeader
from app.services import events
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import NotFound, not_found
from app.services.journal import record, row_payload
from app.store.base import new_id, utcnow
from app.store.database import Database
from app.store.models import Part, PartSetting, StockCount, StockCountLine, StockMovement, User

#: the outbox entity of a count (a RECORD entity in sync/entities.py)
ENTITY = "stock_count"
#: what the change bus announces: counts changed; posting moves stock too
COUNTS = "stock_counts"
#: stock moved: the other parts services announce it as "parts" or "stock"; both are sent
PARTS = "parts"
STOCK = "stock"

_SELLABLE = tuple(k.value for k in MovementKind if k.sellable)


@dataclass(frozen=True)
class CountLineInfo:
    id: str
    part_id: str
    part_no: str
    name: str
    unit: str
    location: str
    #: on-hand when the part was counted (at opening, while not counted yet)
    book_quantity: int
    counted: int | None
    counted_at: datetime | None
    counted_by_name: str
    station_price_fen: int

    @property
    def difference(self) -> int | None:
        return None if self.counted is None else self.counted - self.book_quantity

    @property
    def value_fen(self) -> int:
        """The difference at station price (0 while not counted)."""
        return (self.difference or 0) * self.station_price_fen


@dataclass(frozen=True)
class CountDetail:
    id: str
    number: str
    status: CountStatus
    revision: int
    opened_at: datetime
    opened_by_name: str
    posted_at: datetime | None
    posted_by_name: str
    reason: str
    #: by shelf location, then part number
    lines: tuple[CountLineInfo, ...] = field(default_factory=tuple)

    @property
    def counted_lines(self) -> list[CountLineInfo]:
        return [line for line in self.lines if line.counted is not None]

    @property
    def uncounted(self) -> list[CountLineInfo]:
        return [line for line in self.lines if line.counted is None]

    @property
    def differences(self) -> list[CountLineInfo]:
        return [line for line in self.lines if line.difference]

    @property
    def value_fen(self) -> int:
        return sum(line.value_fen for line in self.lines)


@dataclass(frozen=True)
class CountSummary:
    id: str
    number: str
    status: CountStatus
    opened_at: datetime
    posted_at: datetime | None
    line_count: int
    counted_count: int


@dataclass(frozen=True)
class PostResult:
    count: CountDetail
    #: (part number, adjustment) of each movement posted
    adjustments: tuple[tuple[str, int], ...]
    #: the lines nobody counted: left as they are
    uncounted: tuple[CountLineInfo, ...]


def normalize_scan(text: str) -> str:
    """What a scanner or a person typed as a part number: full-width forms folded (an input
    method left on), surrounding space and the scanner's Enter or Tab removed, capitals."""
    t.check_key(text, "part_no", "Part number")
    return unicodedata.normalize("NFKC", text or "").strip().upper()


class CountService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.tz = tz

    # -- writing ------------------------------------------------------------------------------
    def open(self, actor: Actor, location_prefix: str = "") -> CountDetail:
        """Opens a count over the active parts whose shelf location starts with
        ``location_prefix`` (every active part when empty)."""
        actor.require(Permission.COUNT_OPEN)
        prefix = t.check_length(location_prefix, "location", "Shelf location", MAX_LOCATION)
        now = self.clock()
        with self.db.write() as s:
            already = s.scalar(select(StockCount.number)
                               .where(StockCount.status == CountStatus.OPEN.value))
            if already is not None:
                raise RuleViolation("Count {number} is still open; post it before opening "
                                    "another.", field="count", number=already)
            stmt = (select(Part.id).outerjoin(PartSetting, PartSetting.part_id == Part.id)
                    .where(Part.active.is_(True)))
            if prefix:
                stmt = stmt.where(func.upper(PartSetting.location)
                                  .startswith(prefix.upper(), autoescape=True))
            ids = list(s.scalars(stmt))
            if not ids:
                raise RuleViolation("No active part is on a shelf starting with '{prefix}'."
                                    if prefix else "There are no active parts to count.",
                                    field="location", prefix=prefix)
            if len(ids) > MAX_COUNT_LINES:
                raise RuleViolation("A count holds at most {n} parts; count one shelf "
                                    "location at a time.", field="location",
                                    n=MAX_COUNT_LINES)
            stock = dict(s.execute(
                select(StockMovement.part_id, func.sum(StockMovement.quantity))
                .where(StockMovement.kind.in_(_SELLABLE))
                .group_by(StockMovement.part_id)).all())
            count = StockCount(
                number=ledger.next_number(s, DocumentPrefix.COUNT, self._local(now).date()),
                status=CountStatus.OPEN.value, opened_by=actor.user_id or None, opened_at=now)
            s.add(count)
            s.flush()
            rows = [{"id": new_id(), "count_id": count.id, "part_id": pid,
                     "book_quantity": int(stock.get(pid) or 0)} for pid in ids]
            s.execute(insert(StockCountLine), rows)
            record(s, actor, action="open", entity=ENTITY, entity_id=count.id,
                   payload=self._payload(s, count),
                   detail=f"{count.number} {prefix or '*'} {len(rows)}")
            result = self._detail(s, count)
        self.bus.publish({COUNTS, events.OUTBOX})
        return result

    def enter(self, actor: Actor, count: str, part: str, counted: int) -> CountLineInfo:
        """Records ``counted`` units of the part (by id) in the open count, with the on-hand
        of this moment as its book quantity. Counting again replaces the entry."""
        actor.require(Permission.COUNT_ENTER)
        t.check_key(part, "part_id", "Part")
        return self._enter(actor, count, counted, lambda s: s.get(Part, part))

    def enter_scanned(self, actor: Actor, count: str, scanned_text: str,
                      counted: int) -> CountLineInfo:
        """As ``enter``, the part given by its number (typed or scanned)."""
        actor.require(Permission.COUNT_ENTER)
        number = normalize_scan(scanned_text)
        return self._enter(actor, count, counted, lambda s: self._part_by_number(s, number))

    def post(self, actor: Actor, count: str, reason: str) -> PostResult:
        """Posts the open count once: a ``COUNT_ADJUSTMENT`` of ``counted - book`` for each
        counted line that differs; lines nobody counted are left alone and listed."""
        actor.require(Permission.COUNT_POST)
        t.check_key(count, "count", "Stock count")
        reason = t.check_required(reason, "reason", "Adjustment reason", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            row = self._find(s, count)
            if row.status != CountStatus.OPEN.value:
                raise RuleViolation("Count {number} was already posted.", field="count",
                                    number=row.number)
            lines = self._rows(s, row.id)
            if all(line.counted is None for line in lines):
                raise RuleViolation("Nothing has been counted in {number} yet.",
                                    field="count", number=row.number)
            adjustments = []
            for line in lines:
                change = line.difference
                if not change:
                    continue
                ledger.post(s, actor, part=s.get(Part, line.part_id),
                            kind=MovementKind.COUNT_ADJUSTMENT, quantity=change, now=now,
                            reason=reason, count_id=row.id, reference=row.number)
                adjustments.append((line.part_no, change))
            base = row.revision
            row.status = CountStatus.POSTED.value
            row.posted_by, row.posted_at, row.reason = actor.user_id or None, now, reason
            row.revision += 1
            s.flush()
            record(s, actor, action="post", entity=ENTITY, entity_id=row.id,
                   payload=self._payload(s, row), base_revision=base,
                   detail=f"{row.number} {len(adjustments)} {reason}")
            detail = self._detail(s, row)
        self.bus.publish({COUNTS, PARTS, STOCK, events.OUTBOX})
        return PostResult(detail, tuple(adjustments), tuple(detail.uncounted))

    # -- reading ------------------------------------------------------------------------------
    def current(self) -> CountSummary | None:
        """The open count, if any."""
        with self.db.read() as s:
            row = s.scalar(select(StockCount).where(StockCount.status == CountStatus.OPEN.value))
            return None if row is None else self._summaries(s, [row])[0]

    def counts(self, limit: int = 100) -> list[CountSummary]:
        """Counts, newest first."""
        with self.db.read() as s:
            rows = list(s.scalars(select(StockCount)
                                  .order_by(StockCount.opened_at.desc(), StockCount.number.desc())
                                  .limit(limit)))
            return self._summaries(s, rows)

    def detail(self, count: str) -> CountDetail:
        """The count given by id or number (PC-...), its lines by location and part number."""
        t.check_key(count, "count", "Stock count")
        with self.db.read() as s:
            return self._detail(s, self._find(s, count))

    def find_line(self, count: str, scanned_text: str) -> CountLineInfo:
        """The line of the part whose number was scanned or typed, so the window can put the
        cursor on it; an unknown number or a part outside the count is refused clearly."""
        t.check_key(count, "count", "Stock count")
        number = normalize_scan(scanned_text)
        with self.db.read() as s:
            row = self._find(s, count)
            part = self._part_by_number(s, number)
            line = self._line_of(s, row, part)
            return self._info(s, line)

    def count_sheet(self, count: str, letterhead: StationHeader) -> CountSheet:
        """盘点表 of the count numbered (or with id) ``count``; NotFound when there is none.
        Registered with the report service as the "count" subject."""
        d = self.detail(count)
        return CountSheet(
            station=letterhead, number=d.number, opened_at=d.opened_at,
            opened_by=d.opened_by_name, printed_at=self.clock(), posted_at=d.posted_at,
            lines=tuple(CountLine(line.location, line.part_no, line.name, line.unit,
                                  line.book_quantity, line.counted, line.station_price_fen)
                        for line in d.lines),
            tz=self.tz,
        )

    # -- internals ----------------------------------------------------------------------------
    def _enter(self, actor: Actor, count: str, counted: int,
               find_part: Callable[[Session], Part | None]) -> CountLineInfo:
        t.check_key(count, "count", "Stock count")
        v.check_range(counted, "counted", "Counted quantity", 0, ledger.MAX_QUANTITY)
        now = self.clock()
        with self.db.write() as s:
            row = self._find(s, count)
            if row.status != CountStatus.OPEN.value:
                raise RuleViolation("Count {number} was already posted.", field="count",
                                    number=row.number)
            part = find_part(s)
            if part is None:
                raise NotFound("The {entity} was not found.", field="part_id", entity="part")
            line = self._line_of(s, row, part)
            line.book_quantity = ledger.on_hand(s, part.id)
            line.counted, line.counted_at = counted, now
            line.counted_by = actor.user_id or None
            s.flush()
            record(s, actor, action="count", entity=ENTITY, entity_id=row.id,
                   detail=f"{row.number} {part.part_no} {counted} (book {line.book_quantity})")
            result = self._info(s, line)
        self.bus.publish({COUNTS})
        return result

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz else moment.astimezone()

    @staticmethod
    def _part_by_number(s: Session, number: str) -> Part:
        if not number:
            raise RuleViolation("Scan or type a part number.", field="part_no")
        part = s.get(Part, part_id(number))
        if part is None:
            part = s.scalar(select(Part).where(func.upper(Part.part_no) == number))
        if part is None:
            raise NotFound("No part numbered '{number}' is in the catalogue.",
                           field="part_no", number=number[:40])
        return part

    @staticmethod
    def _line_of(s: Session, row: StockCount, part: Part) -> StockCountLine:
        line = s.scalar(select(StockCountLine).where(StockCountLine.count_id == row.id,
                                                     StockCountLine.part_id == part.id))
        if line is None:
            raise RuleViolation("Part {part} is not in count {number}.", field="part_no",
                                part=part.part_no, number=row.number)
        return line

    @staticmethod
    def _find(s: Session, key: str) -> StockCount:
        text = key.strip()
        row = s.get(StockCount, text)
        if row is None:
            row = s.scalar(select(StockCount).where(StockCount.number == text.upper()))
        if row is None:
            raise not_found("stock count")
        return row

    @staticmethod
    def _rows(s: Session, count_id: str, names: dict[str, str] | None = None,
              line_id: str | None = None) -> list[CountLineInfo]:
        """The count's lines by location and part number, read as plain columns: a count of
        50,000 parts is read in well under a second (through ORM objects it took seconds)."""
        location = func.coalesce(PartSetting.location, "")
        stmt = (
            select(StockCountLine.id, Part.id, Part.part_no, Part.name, Part.unit, location,
                   StockCountLine.book_quantity, StockCountLine.counted,
                   StockCountLine.counted_at, StockCountLine.counted_by,
                   Part.station_price_fen)
            .join(Part, Part.id == StockCountLine.part_id)
            .outerjoin(PartSetting, PartSetting.part_id == Part.id)
            .where(StockCountLine.count_id == count_id)
            .order_by(location, Part.part_no))
        if line_id is not None:
            stmt = stmt.where(StockCountLine.id == line_id)
        rows = s.execute(stmt).all()
        if names is None:
            names = CountService._names(s, {r[9] for r in rows})
        return [CountLineInfo(lid, pid, no, name, unit, loc, book, counted, at,
                              names.get(by or "", ""), price)
                for lid, pid, no, name, unit, loc, book, counted, at, by, price in rows]

    @staticmethod
    def _names(s: Session, ids: set[str | None]) -> dict[str, str]:
        wanted = {i for i in ids if i}
        if not wanted:
            return {}
        return dict(s.execute(select(User.id, User.display_name)
                              .where(User.id.in_(wanted))).all())

    def _info(self, s: Session, line: StockCountLine) -> CountLineInfo:
        s.flush()
        return self._rows(s, line.count_id, line_id=line.id)[0]

    def _detail(self, s: Session, row: StockCount) -> CountDetail:
        names = self._names(s, set(s.scalars(
            select(StockCountLine.counted_by).distinct()
            .where(StockCountLine.count_id == row.id))) | {row.opened_by, row.posted_by})
        return CountDetail(
            id=row.id, number=row.number, status=CountStatus(row.status),
            revision=row.revision, opened_at=row.opened_at,
            opened_by_name=names.get(row.opened_by or "", ""), posted_at=row.posted_at,
            posted_by_name=names.get(row.posted_by or "", ""), reason=row.reason,
            lines=tuple(self._rows(s, row.id, names)))

    def _summaries(self, s: Session, rows: list[StockCount]) -> list[CountSummary]:
        if not rows:
            return []
        tallies = {
            cid: (total, counted) for cid, total, counted in s.execute(
                select(StockCountLine.count_id, func.count(),
                       func.count(StockCountLine.counted))
                .where(StockCountLine.count_id.in_([r.id for r in rows]))
                .group_by(StockCountLine.count_id))
        }
        return [CountSummary(r.id, r.number, CountStatus(r.status), r.opened_at, r.posted_at,
                             *tallies.get(r.id, (0, 0))) for r in rows]

    @staticmethod
    def _payload(s: Session, row: StockCount) -> dict:
        """The count with its lines inline, each line only what head office reads (a count
        of 50,000 parts stays a few megabytes)."""
        lines = s.execute(
            select(StockCountLine.part_id, StockCountLine.book_quantity,
                   StockCountLine.counted, StockCountLine.counted_at,
                   StockCountLine.counted_by)
            .where(StockCountLine.count_id == row.id)
            .order_by(StockCountLine.part_id)).all()
        return row_payload(row, lines=[
            {"part_id": pid, "book_quantity": book, "counted": counted,
             "counted_at": at.isoformat() if at else None, "counted_by": by}
            for pid, book, counted, at, by in lines])
