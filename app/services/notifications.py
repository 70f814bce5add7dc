"""Customer notifications (客户通知) at the station: the one place a message is queued, and
the list an order's editor shows.

``queue`` is called by the service that makes the event happen, inside ITS write transaction
(order created, visit booked or moved, repair done, return visit recorded), so a message
exists exactly when its event does: one ``notifications`` row and its outbox op, whose entity
id is the row's id, so a push retried by sync is the same message at head office.

A message holds the template's values (order number, window, technician's name, amount in
fen), never a finished text: head office builds the text from its own template, escaping each
value (``sync/hq/notify_templates.py``). No message is queued for a customer who opted out,
whose data was erased, or who has neither a mobile phone (sms) nor an e-mail. Head office
owns the delivery state (``state``, ``state_detail``, ``attempts``, ``state_at``); it comes
back on pull (``app.services.notifications_sync``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.phone_mask import Purpose, mask
from app.domain.validation import MOBILE_RE, normalize_phone
from app.services import phone_view
from app.services.context import Actor
from app.services.journal import record, row_payload
from app.store.database import Database
from app.store.models import Customer, Notification, ServiceOrder

ENTITY = "notification"
#: the events a message is queued for
EVENTS = ("order_received", "booked", "moved", "done", "visit_thanks")
#: the delivery states (head office's word after ``queued``)
STATES = ("queued", "sent", "delivered", "failed")
CHANNELS = ("sms", "email")
MAX_PARAM = 60  # head office refuses a longer value (sync/hq/notify_templates.py)
_PARAM_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
#: a plain e-mail address (the customer form checks the same)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")


def queue(s: Session, actor: Actor, event: str, order: ServiceOrder,
          params: dict[str, str]) -> None:
    """Queues the message of ``event`` about ``order`` to its customer, in the caller's
    transaction (nothing when the customer opted out or has no address). ``params`` are plain
    values (str, or int for fen), never a text; the order's number is added as ``order_no``."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    values = _params(params)
    values.setdefault("order_no", order.number)
    customer = s.get(Customer, order.customer_id)
    if customer is None or customer.erased_at is not None or customer.notify_opt_out:
        return
    address = recipient_of(order, customer)
    if address is None:
        return
    channel, recipient = address
    row = Notification(order_id=order.id, customer_id=customer.id, event=event,
                       channel=channel, recipient=recipient,
                       params=json.dumps(values, ensure_ascii=False, sort_keys=True),
                       state="queued", attempts=0)
    s.add(row)
    s.flush()
    record(s, actor, action=f"notify.{event}", entity=ENTITY, entity_id=row.id,
           payload=row_payload(row), detail=f"{order.number} {event} {channel}")


def customer_due_fen(order: ServiceOrder) -> int:
    """What the customer owes for the order (客户应付): its customer-paid charge lines."""
    from app.services.payers import split_fen

    due, _maker = split_fen((c.payer, c.quantity * c.unit_price_fen) for c in order.charge_lines)
    return due


def recipient_of(order: ServiceOrder, customer: Customer) -> tuple[str, str] | None:
    """(channel, address): a text message to the order's contact mobile or the customer's
    first mobile; else an e-mail; else None."""
    candidates = [order.contact_phone or ""] + [p.number for p in customer.phones]
    for raw in candidates:
        number = re.sub(r"\D", "", normalize_phone(raw))
        if MOBILE_RE.match(number):
            return "sms", number
    email = (customer.email or "").strip()
    if email and EMAIL_RE.match(email):
        return "email", email
    return None


def _params(params: dict[str, str]) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for key, value in params.items():
        if not isinstance(key, str) or not _PARAM_KEY.match(key):
            raise ValueError(f"bad notification parameter name {key!r}")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(f"notification parameter {key} must be a plain value")
        if isinstance(value, str) and (len(value) > MAX_PARAM
                                       or any(ch in value for ch in "\r\n\x00")):
                raise ValueError(f"notification parameter {key} is not a short plain value")
        out[key] = value
    return out


def erase_recipients(s: Session, actor: Actor, customer_id: str) -> int:
    """A customer's data erased (``customer_privacy``): each message keeps its event and
    state but not the number or address it went to; head office gets the row again."""
    rows = list(s.scalars(select(Notification).where(Notification.customer_id == customer_id,
                                                     Notification.recipient != "")))
    for row in rows:
        row.recipient = ""
        row.revision += 1
        s.flush()
        record(s, actor, action="erase", entity=ENTITY, entity_id=row.id,
               payload=row_payload(row), base_revision=row.revision - 1,
               detail="recipient erased")
    return len(rows)


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRow:
    """One message as the order editor lists it (recipient masked for the viewer)."""

    id: str
    event: str
    channel: str
    recipient: str
    state: str
    state_detail: str
    attempts: int
    created_at: datetime
    state_at: datetime | None


def order_messages(db: Database, viewer: Actor | None,
                   order_id: str) -> list[NotificationRow]:
    """The order editor's 通知 list: ``for_order`` in a read of its own."""
    from app.services.errors import not_found
    from app.services.text_input import check_key

    check_key(order_id, "order_id", "Order")
    with db.read() as s:
        order = s.get(ServiceOrder, order_id)
        if order is None:
            raise not_found("order")
        return for_order(s, order, viewer)


def for_order(s: Session, order: ServiceOrder, viewer: Actor | None) -> list[NotificationRow]:
    """The order's messages, oldest first; the recipient as ``viewer`` may read it."""
    own = viewer is not None and bool(viewer.user_id) and viewer.user_id == order.technician_id
    full = phone_view.full_for(viewer, Purpose.ORDER, own=own)
    rows = s.scalars(select(Notification).where(Notification.order_id == order.id)
                     .order_by(Notification.created_at, Notification.id))
    return [NotificationRow(
        id=n.id, event=n.event, channel=n.channel,
        recipient=n.recipient if full else mask_recipient(n.channel, n.recipient),
        state=n.state, state_detail=n.state_detail, attempts=n.attempts,
        created_at=_utc(n.created_at), state_at=_utc(n.state_at) if n.state_at else None,
    ) for n in rows]


def mask_recipient(channel: str, recipient: str) -> str:
    """A phone masked as everywhere (138****5678); an e-mail as a***@example.com."""
    if channel == "email":
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
    return mask(recipient)


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
