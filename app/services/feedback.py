"""Product quality feedback cards (产品质量反馈卡): a card filled from a service order (its
model, serial, fault and first part prefilled) or on its own, edited as a draft with up to
``MAX_PHOTOS`` photos, then submitted to head office's quality department.

Who may do what, as at a station: the technician who saw the failure, or the manager, fills
in and submits the card; the clerk (信息员) may type up a draft (from the technician's
handwritten card, with the photos from the phone) but not submit it, since the cause is the
technician's judgement. A technician works on cards of orders assigned to them, or cards
they started; a card from an order needs an order that was not cancelled.

What travels: a draft is the station's working copy and stays here (audit only); ``submit``
writes the card with its photos' metadata (id, sha256, filename, size) inline as the
station-owned ``feedback_card`` record, in the same transaction as the change. A submitted
card is final: any later edit is refused, so head office never holds a stale copy. Photo
files stay in the station's content-addressed attachment store (``OrderService``'s).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain import feedback as fb
from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.domain.feedback import CauseCategory, FeedbackStatus
from app.domain.parts import DocumentPrefix
from app.domain.permissions import Permission
from app.services import events
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import record, row_payload
from app.services.orders import OrderService
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import FeedbackCard, FeedbackPhoto, Part, ServiceOrder, User

#: the outbox entity (a station-owned RECORD in sync/entities.py)
ENTITY = "feedback_card"
#: the ChangeBus kind this service announces
FEEDBACK = "feedback"

_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CardFields:
    """The card's fields as typed (or prefilled)."""

    product_model: str = ""
    serial_no: str = ""
    production_info: str = ""
    fault_phenomenon: str = ""
    faulty_part: str = ""
    cause_category: CauseCategory | None = None
    use_environment: str = ""
    customer_opinion: str = ""


#: (field, English label, limit, multi-line) of each text of the card, in the card's order
TEXT_FIELDS: tuple[tuple[str, str, int, bool], ...] = (
    ("product_model", "Product model", fb.MAX_MODEL, False),
    ("serial_no", "Serial no.", fb.MAX_SERIAL, False),
    ("production_info", "Production date / batch", fb.MAX_PRODUCTION_INFO, False),
    ("fault_phenomenon", "Fault phenomenon", fb.MAX_PHENOMENON, True),
    ("faulty_part", "Faulty part", fb.MAX_FAULTY_PART, False),
    ("use_environment", "Use environment", fb.MAX_ENVIRONMENT, False),
    ("customer_opinion", "Customer's opinion", fb.MAX_OPINION, True),
)
#: what a card needs before it is submitted
REQUIRED = ("product_model", "fault_phenomenon", "cause_category")
LABELS = {name: text for name, text, _limit, _multi in TEXT_FIELDS} | {
    "cause_category": "Cause category"}


class CardInvalid(RuleViolation):
    """More than one field of a card was refused: ``problems`` holds each, by its field, so
    a form shows them all at once."""

    def __init__(self, problems: list[RuleViolation]) -> None:
        super().__init__("The feedback card has {count} problems:\n{problems}",
                         field=problems[0].field, count=len(problems),
                         problems=tuple(problems))
        self.problems = tuple(problems)


def problems_of(error: BaseException) -> tuple[BaseException, ...]:
    """Every refusal an error carries: a card's many, or the error itself."""
    return getattr(error, "problems", None) or (error,)


@dataclass(frozen=True)
class PhotoInfo:
    id: str
    position: int
    filename: str
    sha256: str
    size: int
    path: Path


@dataclass(frozen=True)
class FeedbackDetail:
    id: str
    number: str
    revision: int
    status: FeedbackStatus
    order_id: str | None
    order_number: str
    fields: CardFields
    part_id: str | None
    created_by: str
    created_by_id: str | None
    created_at: datetime
    submitted_by: str
    submitted_at: datetime | None
    photos: tuple[PhotoInfo, ...]

    @property
    def editable(self) -> bool:
        return self.status is FeedbackStatus.DRAFT


@dataclass(frozen=True)
class FeedbackRow:
    id: str
    number: str
    status: FeedbackStatus
    product_model: str
    serial_no: str
    cause_category: CauseCategory | None
    order_number: str
    created_at: datetime
    submitted_at: datetime | None


class FeedbackService:
    def __init__(self, db: Database, bus: events.ChangeBus, orders: OrderService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def detail(self, card_id: str) -> FeedbackDetail:
        with self.db.read() as s:
            return self._detail(s, self._load(s, card_id))

    def read_photo(self, digest: str) -> bytes:
        """A card photo's content (``PhotoInfo.sha256``), decrypted; off the GUI thread."""
        return self.orders.read_attachment(digest)

    def find(self, key: str) -> FeedbackDetail:
        """The card numbered ``key`` (QF-...) or with id ``key``."""
        t.check_key(key, "number", "Feedback card number")
        with self.db.read() as s:
            card = s.scalar(select(FeedbackCard).where(
                FeedbackCard.number == key.strip().upper()))
            card = card or s.get(FeedbackCard, key.strip()[:36])
            if card is None:
                raise not_found("feedback card")
            return self._detail(s, card)

    def list(self, status: FeedbackStatus | str | None = None, text: str = "",
             limit: int = 500) -> list[FeedbackRow]:
        """Cards newest first; ``text`` finds the number, model, serial, part, fault or
        order number."""
        t.check_key(text, "text", "Search text")
        stmt = (select(FeedbackCard, ServiceOrder.number)
                .outerjoin(ServiceOrder, ServiceOrder.id == FeedbackCard.order_id)
                .order_by(FeedbackCard.created_at.desc(), FeedbackCard.number.desc())
                .limit(max(1, min(limit, 5000))))
        if status:
            stmt = stmt.where(FeedbackCard.status == FeedbackStatus(status).value)
        words = (text or "").split()
        for word in words:
            like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(or_(*(column.ilike(like, escape="\\") for column in (
                FeedbackCard.number, FeedbackCard.product_model, FeedbackCard.serial_no,
                FeedbackCard.faulty_part, FeedbackCard.fault_phenomenon,
                ServiceOrder.number))))
        with self.db.read() as s:
            return [FeedbackRow(c.id, c.number, FeedbackStatus(c.status), c.product_model,
                                c.serial_no, fb.cause_of(c.cause_category), number or "",
                                c.created_at, c.submitted_at)
                    for c, number in s.execute(stmt)]

    def for_order(self, order_id: str) -> list[FeedbackRow]:
        """The cards filled from the order, oldest first."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            number = s.scalar(select(ServiceOrder.number).where(ServiceOrder.id == order_id))
            cards = s.scalars(select(FeedbackCard).where(FeedbackCard.order_id == order_id)
                              .order_by(FeedbackCard.created_at, FeedbackCard.number))
            return [FeedbackRow(c.id, c.number, FeedbackStatus(c.status), c.product_model,
                                c.serial_no, fb.cause_of(c.cause_category), number or "",
                                c.created_at, c.submitted_at) for c in cards]

    # -- drafts -------------------------------------------------------------------------------
    def new(self, actor: Actor, card: CardFields | None = None) -> FeedbackDetail:
        """A draft on its own (no order), numbered QF-<station>-<yyyymmdd>-<nnnn>."""
        actor.require(Permission.FEEDBACK_WRITE)  # a card of no order: any technician
        clean = check_fields(card or CardFields())
        with self.db.write() as s:
            row = self._create(s, actor, clean, None)
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK})
        return result

    def new_from_order(self, actor: Actor, order_id: str) -> FeedbackDetail:
        """A draft prefilled from the order: model, serial, the fault as reported, and the
        first part on its charge lines as the faulty part. The customer's opinion is left
        for the customer."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.write() as s:
            order = s.get(ServiceOrder, order_id,
                          options=[selectinload(ServiceOrder.charge_lines)])
            if order is None:
                raise not_found("order")
            actor.require(Permission.FEEDBACK_WRITE, assigned_to=order.technician_id)
            if OrderStatus(order.status) is OrderStatus.CANCELLED:
                raise RuleViolation("Order {number} was cancelled; no feedback card can be "
                                    "filled from it.", field="order_id", number=order.number)
            product = order.product
            first = next((c for c in sorted(order.charge_lines, key=lambda c: c.position)
                          if c.part_id), None)
            part = s.get(Part, first.part_id) if first is not None else None
            prefill = CardFields(
                product_model=product.model if product else "",
                serial_no=product.serial_no if product else "",
                fault_phenomenon=order.fault_description,
                faulty_part=(part.name if part else first.description if first else ""))
            row = self._create(s, actor, prefill, order, part_id=first.part_id if first
                               else None)
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK})
        return result

    def save(self, actor: Actor, card_id: str, card: CardFields,
             expected_revision: int) -> FeedbackDetail:
        """Replaces the draft's fields as a whole (the form saves all of them); every field
        refused is named at once."""
        clean = check_fields(card)
        now = self.clock()
        with self.db.write() as s:
            row = self._load(s, card_id, expected_revision)
            self._check_may_change(s, actor, row, "Only a draft can be changed.")
            if clean.faulty_part != row.faulty_part:
                row.part_id = None  # a typed part is no longer the order's catalogue part
            _assign(row, clean)
            self._journal(s, actor, row, "update", now)
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK})
        return result

    def attach_photo(self, actor: Actor, card_id: str, source: Path | str,
                     expected_revision: int | None = None) -> FeedbackDetail:
        """Adds a JPEG or PNG photo (checked by its first bytes and decoded whole) to the
        draft; the file goes into the attachment store by its content hash first."""
        source = Path(source)
        t.check_key(source.name, "file", "File name")
        size = _check_image(source)
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        now = self.clock()
        with self.db.write() as s:
            row = self._load(s, card_id, expected_revision)
            self._check_may_change(s, actor, row, "Photos can only be added to a draft.")
            if len(row.photos) >= fb.MAX_PHOTOS:
                raise RuleViolation("A feedback card holds at most {n} photos.", field="photos",
                                    n=fb.MAX_PHOTOS)
            # the file lands (encrypted) before the row commits; an orphan file from a
            # crash is harmless (the store is content-addressed)
            self.orders.vault.put_bytes(data)
            position = max((p.position for p in row.photos), default=-1) + 1
            row.photos.append(FeedbackPhoto(position=position, sha256=digest,
                                            filename=source.name[:200], size=size,
                                            created_at=now))
            self._journal(s, actor, row, "photo_add", now, detail=source.name[:200])
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK})
        return result

    def remove_photo(self, actor: Actor, card_id: str, photo_id: str,
                     expected_revision: int | None = None) -> FeedbackDetail:
        """Takes a photo off the draft (the file stays in the store: another card or order
        may hold the same picture)."""
        t.check_key(photo_id, "photo_id", "Photo")
        now = self.clock()
        with self.db.write() as s:
            row = self._load(s, card_id, expected_revision)
            self._check_may_change(s, actor, row, "Photos can only be removed from a draft.")
            photo = next((p for p in row.photos if p.id == photo_id), None)
            if photo is None:
                raise not_found("photo")
            row.photos.remove(photo)
            self._journal(s, actor, row, "photo_remove", now, detail=photo.filename)
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK})
        return result

    def submit(self, actor: Actor, card_id: str,
               expected_revision: int | None = None) -> FeedbackDetail:
        """Sends the card to head office (at the next sync); from now on it is final. The
        model, the fault phenomenon and the cause category must be filled in: every one
        missing is named at once."""
        actor.require(Permission.FEEDBACK_SUBMIT)
        now = self.clock()
        with self.db.write() as s:
            row = self._load(s, card_id, expected_revision)
            self._check_may_change(s, actor, row, "Feedback card {number} was already "
                                                  "submitted.", Permission.FEEDBACK_SUBMIT)
            missing = [RuleViolation("{label} is required.", field=name, label=LABELS[name])
                       for name in REQUIRED if not getattr(row, name)]
            if missing:
                raise missing[0] if len(missing) == 1 else CardInvalid(missing)
            row.status = FeedbackStatus.SUBMITTED.value
            row.submitted_at = now
            row.submitted_by = actor.user_id or None
            self._journal(s, actor, row, "submit", now)
            result = self._detail(s, row)
        self.bus.publish({FEEDBACK, events.OUTBOX})
        return result

    # -- internals ------------------------------------------------------------------------------
    def _create(self, s: Session, actor: Actor, card: CardFields, order: ServiceOrder | None,
                part_id: str | None = None) -> FeedbackCard:
        now = self.clock()
        row = FeedbackCard(
            number=ledger.next_number(s, DocumentPrefix.FEEDBACK, now.astimezone().date()),
            status=FeedbackStatus.DRAFT.value, order_id=order.id if order else None,
            part_id=part_id, created_by=actor.user_id or None, created_at=now, updated_at=now)
        _assign(row, card)
        s.add(row)
        s.flush()
        self._journal(s, actor, row, "create", now, bump=False)
        return row

    def _load(self, s: Session, card_id: str,
              expected_revision: int | None = None) -> FeedbackCard:
        t.check_key(card_id, "card_id", "Feedback card")
        row = s.get(FeedbackCard, card_id, options=[selectinload(FeedbackCard.photos)])
        if row is None:
            raise not_found("feedback card")
        if expected_revision is not None and row.revision != expected_revision:
            raise stale("feedback card")
        return row

    def _check_may_change(self, s: Session, actor: Actor, row: FeedbackCard, not_draft: str,
                          permission: Permission = Permission.FEEDBACK_WRITE) -> None:
        """A draft, and (the matrix's own scope, for a technician) one they started or of an
        order assigned to them: a card he started counts as his own."""
        if actor.user_id and row.created_by == actor.user_id:
            assignee: str | None = actor.user_id
        else:
            assignee = (s.scalar(select(ServiceOrder.technician_id)
                                 .where(ServiceOrder.id == row.order_id))
                        if row.order_id else None)
        actor.require(permission, assigned_to=assignee)
        if row.status != FeedbackStatus.DRAFT.value:
            raise RuleViolation(not_draft, field="status", number=row.number)

    def _journal(self, s: Session, actor: Actor, row: FeedbackCard, action: str,
                 now: datetime, *, bump: bool = True, detail: str = "") -> None:
        """Audit always; the outbox row once the card is submitted (drafts stay here)."""
        base = row.revision if bump else 0
        if bump:
            row.revision += 1
            row.updated_at = now
        s.flush()
        payload = None
        if row.status == FeedbackStatus.SUBMITTED.value:
            payload = row_payload(row, photos=[
                {"id": p.id, "sha256": p.sha256, "filename": p.filename, "size": p.size,
                 "position": p.position} for p in row.photos])
        record(s, actor, action=f"feedback.{action}"[:32], entity=ENTITY, entity_id=row.id,
               payload=payload, base_revision=base,
               detail=f"{row.number} {row.status} {detail}".strip())

    def _detail(self, s: Session, row: FeedbackCard) -> FeedbackDetail:
        names = {u.id: u.display_name for u in s.scalars(select(User).where(
            User.id.in_([x for x in (row.created_by, row.submitted_by) if x])))}
        number = (s.scalar(select(ServiceOrder.number).where(ServiceOrder.id == row.order_id))
                  if row.order_id else None)
        photos = tuple(PhotoInfo(p.id, p.position, p.filename, p.sha256, p.size,
                                 self.orders.attachment_path(p.sha256))
                       for p in sorted(row.photos, key=lambda p: p.position))
        return FeedbackDetail(
            id=row.id, number=row.number, revision=row.revision,
            status=FeedbackStatus(row.status), order_id=row.order_id,
            order_number=number or "", fields=_fields(row), part_id=row.part_id,
            created_by=names.get(row.created_by or "", ""), created_by_id=row.created_by,
            created_at=row.created_at, submitted_by=names.get(row.submitted_by or "", ""),
            submitted_at=row.submitted_at, photos=photos)


def check_fields(card: CardFields) -> CardFields:
    """The fields trimmed and checked for what the card prints; every refusal at once."""
    problems: list[RuleViolation] = []
    clean: dict[str, Any] = {}
    for name, label, limit, multiline in TEXT_FIELDS:
        try:
            clean[name] = t.check_length(getattr(card, name), name, label, limit,
                                         multiline=multiline)
        except RuleViolation as err:
            problems.append(err)
    cause = card.cause_category
    try:
        clean["cause_category"] = CauseCategory(cause) if cause else None
    except ValueError:
        problems.append(RuleViolation("Choose one of the six cause categories.",
                                      field="cause_category"))
    if problems:
        raise problems[0] if len(problems) == 1 else CardInvalid(problems)
    return CardFields(**clean)


def _assign(row: FeedbackCard, card: CardFields) -> None:
    for f in fields(CardFields):
        value = getattr(card, f.name)
        if f.name == "cause_category":
            value = value.value if value else ""
        setattr(row, f.name, value)


def _fields(row: FeedbackCard) -> CardFields:
    return replace(CardFields(**{f.name: getattr(row, f.name) for f in fields(CardFields)
                                 if f.name != "cause_category"}),
                   cause_category=fb.cause_of(row.cause_category))


def _check_image(source: Path) -> int:
    """The file's size, once it is a JPEG or PNG that decodes whole within the limits."""
    if not source.is_file():
        raise RuleViolation("File '{name}' was not found.", field="file", name=source.name)
    size = source.stat().st_size
    if size > fb.MAX_PHOTO_BYTES:
        raise RuleViolation("A photo may be at most {mb} MB.", field="file",
                            mb=fb.MAX_PHOTO_BYTES // (1024 * 1024))
    with source.open("rb") as handle:
        head = handle.read(8)
    if not (head.startswith(_JPEG) or head.startswith(_PNG)):
        raise RuleViolation("'{name}' is not a JPEG or PNG photo.", field="file",
                            name=source.name)
    try:
        with Image.open(source) as image:
            if image.format not in ("JPEG", "PNG"):
                raise UnidentifiedImageError(image.format)
            width, height = image.size
            if width * height > fb.MAX_PHOTO_PIXELS:
                raise RuleViolation("'{name}' has too many pixels for a photo.", field="file",
                                    name=source.name)
            image.load()  # a truncated or corrupt file fails here, not on the printed card
    except RuleViolation:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise RuleViolation("'{name}' is damaged or not a JPEG or PNG photo.", field="file",
                            name=source.name) from None
    return size
