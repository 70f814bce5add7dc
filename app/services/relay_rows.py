"""What a relayed station op carries, entity by entity: the table its row lives in, the
children its payload holds inline (and which of their fields travel), and the fields head
office owns (set on every device by head office's own changes, so a relayed payload that
predates them never blanks them).

Read by ``app.services.relay_apply`` (to apply another device's op) and
``app.services.station_state`` (to dump what travels, field by field). The payload shapes
follow each service's ``journal.record`` call: ``row_payload(row)`` plus the extras named here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain import validation as v
from app.store.models import (
    Attachment,
    ChargeLine,
    ClaimBatch,
    ClaimLine,
    ClaimOverride,
    Customer,
    CustomerErasure,
    CustomerPhone,
    FeedbackCard,
    FeedbackPhoto,
    OldPart,
    OldPartShipment,
    OrderPayment,
    PartSetting,
    PartsOrder,
    PartsOrderLine,
    Product,
    RepairRecord,
    ReturnVisit,
    Sale,
    SaleLine,
    ServiceOrder,
    Station,
    StockCount,
    StockCountLine,
    StockMovement,
    StockReservation,
    User,
    VisitAttempt,
)
from app.store.models.field_work import Appointment, Notification, OrderSignature

#: values a head-office field holds before head office said anything
EMPTY: tuple[Any, ...] = (None, "", 0)


@dataclass(frozen=True)
class Child:
    """Children a payload carries inline under ``key`` (a list)."""

    key: str
    model: type
    #: the child's column naming its parent row
    parent: str
    #: the fields the payload carries (None: every column but the parent key)
    fields: tuple[str, ...] | None = None
    #: the payload's items are plain values of this column (a customer's phone numbers)
    scalar: str = ""
    #: ``position`` is the item's index in the list (the payload does not carry it)
    indexed: bool = False
    #: how an existing child is found again (the payload's value of it): "id", or a natural
    #: key when the payload carries no id (a count's part); "" = by position in the list
    match: str = "id"
    #: fields of an existing child kept as this device holds them (head office's decisions,
    #: station values the payload does not carry)
    keep: tuple[str, ...] = ()
    #: fills columns the payload does not carry from those it does (a phone's digits)
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass(frozen=True)
class RowSpec:
    entity: str
    model: type
    children: tuple[Child, ...] = ()
    #: head-office-owned columns: a relayed empty value never replaces a set one
    hq_fields: tuple[str, ...] = ()
    #: columns stored as bytes and carried base64 (a signature's PNG)
    binary: tuple[str, ...] = ()
    #: append-only (the stock ledger): an id already present is left alone
    ledger: bool = False
    #: a column that names at most one row (a part's setting, an order's return visit): two
    #: devices offline may each make that row; the one with the smaller id is kept everywhere
    one_per: str = ""
    #: columns this device writes itself (a user's lockout), never taken from a payload nor
    #: compared between devices
    local: tuple[str, ...] = ()


def _phone(item: dict[str, Any]) -> dict[str, Any]:
    number = str(item.get("number") or "")
    return {"digits": v.phone_digits(number)}


_CLAIM_LINE_FIELDS = ("id", "order_id", "kind", "description", "quantity", "unit_fen",
                      "amount_fen", "schedule_fen", "part_id", "old_part_id", "old_part_tag",
                      "position")
_CLAIM_DECISION = ("decision", "approved_fen", "decision_reason", "decided_at")

ROWS: dict[str, RowSpec] = {r.entity: r for r in (
    RowSpec("station", Station),
    RowSpec("user", User, local=("failed_logins", "locked_until")),
    RowSpec("customer", Customer, children=(
        Child("phones", CustomerPhone, "customer_id", fields=("number", "position"),
              scalar="number", indexed=True, match="", derive=_phone),)),
    RowSpec("product", Product),
    RowSpec("service_order", ServiceOrder, children=(
        Child("charge_lines", ChargeLine, "order_id"),)),
    RowSpec("repair_record", RepairRecord),
    RowSpec("attachment", Attachment),
    RowSpec("stock_movement", StockMovement, ledger=True),
    RowSpec("part_setting", PartSetting, one_per="part_id"),
    RowSpec("stock_reservation", StockReservation),
    RowSpec("sale", Sale, children=(Child("lines", SaleLine, "sale_id"),)),
    RowSpec("stock_count", StockCount, children=(
        Child("lines", StockCountLine, "count_id",
              fields=("part_id", "book_quantity", "counted", "counted_at", "counted_by"),
              match="part_id"),)),
    RowSpec("parts_order", PartsOrder, hq_fields=("hq_note", "confirmed_at", "shipped_at"),
            children=(Child("lines", PartsOrderLine, "parts_order_id"),)),
    RowSpec("old_part_shipment", OldPartShipment),
    RowSpec("old_part", OldPart,
            hq_fields=("inspection_result", "inspection_note", "inspected_at")),
    RowSpec("claim_batch", ClaimBatch,
            hq_fields=("statement_no", "claimed_fen", "approved_fen", "deducted_fen",
                       "payable_fen", "settled_at", "hq_revision"),
            children=(
                Child("lines", ClaimLine, "batch_id", fields=_CLAIM_LINE_FIELDS, indexed=True,
                      keep=(*_CLAIM_DECISION, "charge_line_id")),
                Child("overrides", ClaimOverride, "batch_id",
                      fields=("id", "line_id", "check", "reason", "username", "created_at"),
                      keep=("user_id",)),
            )),
    RowSpec("feedback_card", FeedbackCard, children=(
        Child("photos", FeedbackPhoto, "card_id",
              fields=("id", "sha256", "filename", "size", "position"),
              keep=("created_at",)),)),
    RowSpec("return_visit", ReturnVisit, one_per="order_id", children=(
        Child("attempts", VisitAttempt, "visit_id"),)),
    RowSpec("order_payment", OrderPayment),
    RowSpec("customer_erasure", CustomerErasure, ledger=True),
    RowSpec("appointment", Appointment),
    RowSpec("order_signature", OrderSignature, binary=("image_png",)),
    RowSpec("notification", Notification,
            hq_fields=("state", "state_detail", "attempts", "state_at")),
)}

#: parts order lines: head office's confirmed and shipped quantities
HQ_CHILD_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("parts_order", "lines"): ("confirmed_quantity", "shipped_quantity"),
}

#: the claim batch statuses head office moves a batch through (a relayed payload with an older
#: head-office revision never moves a batch back among them)
CLAIM_HQ_STATUSES = ("submitted", "decided", "settled")


def spec(entity: str) -> RowSpec | None:
    return ROWS.get(entity)
