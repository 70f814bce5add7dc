"""The customer's signature taken on screen (客户签字, issue 16 item 4).

``sign`` stores the PNG the pad drew (checked: a PNG that decodes, within the size limits, with
enough ink to be a signature), who signed, when, who took it, and the hash of what was signed
(``app.services.signature_lock``: the order's charge lines with payers and amounts and the
客户应付 / 厂家索赔 totals). While the signature is valid the charges are locked; ``reopen``
voids it with a reason (the row is kept: voided_at / voided_by / void_reason) so the charges
can change and the customer signs again. Each write: row + audit + outbox (entity
``order_signature``, the image base64 in the payload) in one transaction.

Who: a clerk or the manager anywhere, a technician on his own orders (he is with the
customer on site); only the manager reopens: a reopening undoes what the customer agreed to,
so the one who answers for the station's money decides it (``SIGNATURE_REOPEN``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.printing.data import SignatureMark
from app.services import events
from app.services import signature_lock as lock
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import OrderSignature, ServiceOrder, User

ENTITY = "order_signature"
MAX_SIGNER = 40
MAX_REASON = 200
MAX_PNG_BYTES = 512 * 1024  # base64 in one outbox op, well inside a push batch
MIN_WIDTH, MIN_HEIGHT = 120, 40
MAX_SIDE = 2000
#: a pixel is ink when it is opaque and dark
INK_ALPHA, INK_LEVEL = 128, 160
#: at least this many ink pixels and this share of the pad: a dot or a slip is not a signature
MIN_INK_PIXELS, MIN_INK_SHARE = 150, 0.001
MIN_INK_WIDTH = 30
#: a pad more than this share ink is a smear, not a signature
MAX_INK_SHARE = 0.6
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class SignatureInfo:
    id: str
    order_id: str
    signer_name: str
    signed_at: datetime
    taken_by: str  # the user's display name
    content_hash: str
    #: the hash still matches the order's charges (a signature voided is never current)
    valid: bool
    image_png: bytes = field(repr=False, compare=False)


class SignatureService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    def sign(self, actor: Actor, order_id: str, signer_name: str,
             image_png: bytes) -> SignatureInfo:
        """Stores the customer's signature on the order's charges as they stand."""
        name = t.check_required(signer_name, "signer_name", "Signer's name", MAX_SIGNER)
        check_image(image_png)
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            actor.require(Permission.SIGNATURE_TAKE, assigned_to=order.technician_id)
            if OrderStatus(order.status) is OrderStatus.CANCELLED:
                raise RuleViolation("A cancelled order is not signed.", field="status")
            old = lock.standing(s, order.id)
            if old is not None:
                if old.content_hash == lock.content_hash(order):
                    raise RuleViolation("Order {number} is already signed; reopen the "
                                        "signature to sign again.", field="signature",
                                        number=order.number)
                # the charges changed under it (by sync): it no longer confirms anything
                self._void(s, actor, order, old, "The charges changed after signing", now)
            row = OrderSignature(order_id=order.id, signer_name=name, signed_at=now,
                                 image_png=bytes(image_png),
                                 content_hash=lock.content_hash(order),
                                 taken_by=actor.user_id or None, created_at=now,
                                 updated_at=now)
            s.add(row)
            s.flush()
            _journal(s, actor, row, "sign", f"{order.number} {name}")
            info = _info(s, row, order)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return info

    def current(self, order_id: str) -> SignatureInfo | None:
        """The order's signature not voided, with ``valid`` saying whether it still matches."""
        with self.db.read() as s:
            order = _order(s, order_id)
            row = lock.standing(s, order.id)
            return _info(s, row, order) if row is not None else None

    def mark(self, order_id: str) -> SignatureMark | None:
        """What the 售后服务维修单 draws in its 客户签字 box: a valid signature only."""
        info = self.current(order_id)
        if info is None or not info.valid or not info.image_png:  # (erased: PIPL)
            return None
        return SignatureMark(info.image_png, info.signer_name, info.signed_at)

    def reopen(self, actor: Actor, order_id: str, reason: str) -> None:
        """Voids the order's signature with the reason, so its charges can change again."""
        reason = t.check_required(reason, "reason", "Reason", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            actor.require(Permission.SIGNATURE_REOPEN, assigned_to=order.technician_id)
            row = lock.standing(s, order.id)
            if row is None:
                raise RuleViolation("Order {number} has no signature to reopen.",
                                    field="signature", number=order.number)
            self._void(s, actor, order, row, reason, now)
        self.bus.publish({events.ORDERS, events.OUTBOX})

    def _void(self, s: Session, actor: Actor, order: ServiceOrder, row: OrderSignature,
              reason: str, now: datetime) -> None:
        row.voided_at = now
        row.voided_by = actor.user_id or None
        row.void_reason = reason
        row.revision += 1
        row.updated_at = now
        s.flush()
        _journal(s, actor, row, "reopen", f"{order.number} {reason}")


def check_image(data: bytes) -> None:
    """Refuses what is not a signature drawn on the pad: not a PNG, too big or small, blank."""
    if not isinstance(data, bytes | bytearray) or not bytes(data).startswith(_PNG_MAGIC):
        raise RuleViolation("The signature is not a PNG image.", field="image")
    if len(data) > MAX_PNG_BYTES:
        raise RuleViolation("The signature image is larger than {limit} KB.", field="image",
                            limit=MAX_PNG_BYTES // 1024)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(bytes(data))) as img:
            width, height = img.size
            if (width > MAX_SIDE or height > MAX_SIDE or width < MIN_WIDTH
                    or height < MIN_HEIGHT):
                raise RuleViolation("The signature image must be {low_w}×{low_h} to {high}×"
                                    "{high} pixels.", field="image", low_w=MIN_WIDTH,
                                    low_h=MIN_HEIGHT, high=MAX_SIDE)
            rgba = img.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise RuleViolation("The signature image cannot be read.", field="image") from None
    alpha = rgba.getchannel("A").point(lambda a: 255 if a >= INK_ALPHA else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < INK_LEVEL else 0)
    from PIL import ImageChops

    ink = ImageChops.multiply(alpha, dark)
    count = ink.histogram()[255]
    box = ink.getbbox()
    if (count < max(MIN_INK_PIXELS, MIN_INK_SHARE * width * height) or box is None
            or box[2] - box[0] < MIN_INK_WIDTH):
        raise RuleViolation("The signature is blank or too small: ask the customer to sign "
                            "across the pad.", field="image")
    if count > MAX_INK_SHARE * width * height:
        raise RuleViolation("The signature pad is mostly ink: clear it and sign again.",
                            field="image")


def _order(s: Session, order_id: str) -> ServiceOrder:
    t.check_key(order_id, "order_id", "Order")
    order = s.get(ServiceOrder, order_id, options=[selectinload(ServiceOrder.charge_lines)])
    if order is None:
        raise not_found("order")
    return order


def _journal(s: Session, actor: Actor, row: OrderSignature, action: str, detail: str) -> None:
    payload = row_payload(row, image_png=base64.b64encode(row.image_png).decode("ascii"))
    record(s, actor, action=action, entity=ENTITY, entity_id=row.id, payload=payload,
           base_revision=row.revision - 1, detail=detail[:4000])


def _info(s: Session, row: OrderSignature, order: ServiceOrder) -> SignatureInfo:
    taken = s.scalar(select(User.display_name).where(User.id == row.taken_by)) or ""
    valid = row.voided_at is None and row.content_hash == lock.content_hash(order)
    return SignatureInfo(row.id, row.order_id, row.signer_name, row.signed_at, taken,
                         row.content_hash, valid, row.image_png)


# -- a customer's data on request (app/services/customer_privacy.py, PIPL) ---------------------
def export_rows(s: Session, order_ids: list[str]) -> dict[str, list[dict[str, object]]]:
    """Per order, its signatures as the customer's export shows them (the image base64)."""
    out: dict[str, list[dict[str, object]]] = {}
    if not order_ids:
        return out
    rows = s.scalars(select(OrderSignature).where(OrderSignature.order_id.in_(order_ids))
                     .order_by(OrderSignature.signed_at, OrderSignature.id))
    for row in rows:
        out.setdefault(row.order_id, []).append(row_payload(
            row, image_png=base64.b64encode(row.image_png).decode("ascii")))
    return out


def erase_for_orders(s: Session, actor: Actor, order_ids: list[str], now: datetime) -> int:
    """The customer's erasure takes his signatures' image and name (the row stays: when, the
    hash, whether voided), in the outbox ops and audit details written before too, and
    sends the erased row to head office. Returns how many signatures were erased."""
    if not order_ids:
        return 0
    rows = list(s.scalars(select(OrderSignature)
                          .where(OrderSignature.order_id.in_(order_ids))))
    ids = {r.id for r in rows}
    for row in rows:
        row.image_png = b""
        row.signer_name = ""
        row.revision += 1
        row.updated_at = now
    s.flush()
    from app.store.models import AuditEntry, OutboxOp

    for op in s.scalars(select(OutboxOp).where(OutboxOp.entity == ENTITY,
                                               OutboxOp.entity_id.in_(ids))):
        payload = json.loads(op.payload)
        payload["image_png"], payload["signer_name"] = "", ""
        op.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    for entry in s.scalars(select(AuditEntry).where(AuditEntry.entity == ENTITY,
                                                    AuditEntry.entity_id.in_(ids))):
        entry.detail = ""
    for row in rows:
        _journal(s, actor, row, "erase", "personal data erased")
    return len(rows)
