"""A customer's data on request (PIPL 个人信息查阅/删除): the manager exports everything the
station holds about one customer as one readable file, or erases the customer's personal data.

Export (``export_customer``): a .zip holding ``个人信息.pdf`` (``app.printing.personal_data``),
``data.json`` (every row, machine-readable) and the orders' and feedback cards' photos under
``photos/``, written to a temporary file beside the target and renamed, so a failed export
leaves nothing half. The photos are read through ``read_photo(digest) -> bytes`` (the
attachment store's reader). Audited: who exported whose file, when.

Erasure (``erase_customer``): in one write transaction, the customer file keeps a tombstone
(``app.domain.erasure.ERASED_NAME``, no phones, address or notes, ``erased_at``); the orders
lose their contact phone and service address and every copy of the person's values (their
free text, the counter sales sold to him, the audit log's details, the outbox's payloads
pending and sent, the sync conflicts' summaries, head office's last fields of dispatched
orders) is scrubbed; the orders stay (number, dates, product, fault, charges, amounts) for the
warranty period. The write session's search hook rewrites the customer's and orders'
documents from the tombstone; the FTS indexes are then merged so no page keeps an old word.
The erasure is kept as a ``CustomerErasure`` record (who erased, who asked, why, when: no
personal data) and goes to head office as a ``customer_erasure`` event in the same
transaction (``sync.hq.erasure`` erases head office's copy).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, inspect, or_, select
from sqlalchemy.orm import Session

from app.domain.erasure import (
    ERASED_NAME,
    holds_any,
    scrub_payload,
    scrub_text,
    scrub_value,
)
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.printing.data import StationHeader
from app.services import customer_export, customer_records, events, notifications
from app.services import text_input as t
from app.services.context import Actor
from app.services.customers import customer_payload
from app.services.errors import not_found
from app.services.journal import journal_order, record, row_payload
from app.services.signatures import erase_for_orders
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import (
    AuditEntry,
    Customer,
    CustomerErasure,
    CustomerPhone,
    HqOrderLink,
    OutboxOp,
    SyncConflict,
)
from app.store.models.search import FTS_TABLES

ENTITY = "customer_erasure"
MAX_REQUESTED_BY = 100
MAX_REASON = 200
#: ids per IN (...) list
_CHUNK = 500


@dataclass(frozen=True)
class ExportResult:
    path: Path
    orders: int
    photos: int
    #: photos whose file could not be read (named in data.json, left out of the .zip)
    missing_photos: int


@dataclass(frozen=True)
class ErasureResult:
    erasure_id: str
    customer_id: str
    erased_at: datetime
    orders: int


@dataclass(frozen=True)
class ErasureInfo:
    id: str
    customer_id: str
    erased_at: datetime
    username: str
    requested_by: str
    reason: str


class CustomerPrivacyService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 read_photo: Callable[[str], bytes],
                 letterhead: Callable[[], StationHeader | None] = lambda: None,
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None) -> None:
        self.db = db
        self.bus = bus
        self.read_photo = read_photo
        self.letterhead = letterhead
        self.clock = clock
        self.tz = tz

    # -- finding the customer -----------------------------------------------------------------
    def find(self, key: str) -> str:
        """The id of the customer given by id or by a phone only one customer has."""
        t.check_key(key, "customer", "Customer")
        text = (key or "").strip()
        with self.db.read() as s:
            if s.get(Customer, text) is not None:
                return text
            digits = "".join(ch for ch in text if ch.isdigit())
            ids = sorted(set(s.scalars(select(CustomerPhone.customer_id)
                                       .where(CustomerPhone.digits == digits)))) if digits else []
        if not ids:
            raise not_found("customer")
        if len(ids) > 1:
            raise RuleViolation("{n} customers have this phone; give the customer's id.",
                                field="customer", n=len(ids))
        return ids[0]

    def erasures(self, customer_id: str) -> list[ErasureInfo]:
        """The erasures recorded for the customer (at most one: a second is refused)."""
        t.check_key(customer_id, "customer_id", "Customer")
        with self.db.read() as s:
            rows = s.scalars(select(CustomerErasure)
                             .where(CustomerErasure.customer_id == customer_id)
                             .order_by(CustomerErasure.erased_at))
            return [ErasureInfo(r.id, r.customer_id, r.erased_at, r.username, r.requested_by,
                                r.reason) for r in rows]

    # -- export -------------------------------------------------------------------------------
    def export_customer(self, actor: Actor, customer_id: str,
                        target_path: Path | str) -> ExportResult:
        """Writes the customer's .zip to ``target_path`` (whole or not at all)."""
        actor.require(Permission.CUSTOMER_EXPORT)
        t.check_key(customer_id, "customer_id", "Customer")
        target = Path(target_path)
        now = self.clock()
        with self.db.read() as s:
            found = customer_records.load(s, customer_id)
            data = customer_export.collect(s, found, now)
        station = self.letterhead() or StationHeader("")
        counts = customer_export.write_zip(target, data, station, now, self.tz,
                                           self.read_photo)
        with self.db.write() as s:
            record(s, actor, action="export", entity="customer", entity_id=customer_id,
                   detail=f"personal data exported ({counts[0]} orders, {counts[1]} photos)")
        return ExportResult(target, len(data["orders"]), counts[1], counts[2])

    # -- erasure ------------------------------------------------------------------------------
    def erase_customer(self, actor: Actor, customer_id: str, requested_by: str,
                       reason: str) -> ErasureResult:
        """Erases the customer's personal data everywhere the station keeps it (one
        transaction), records who asked and why, and sends the erasure to head office."""
        actor.require(Permission.CUSTOMER_ERASE)
        t.check_key(customer_id, "customer_id", "Customer")
        asked = t.check_required(requested_by, "requested_by", "Requested by",
                                 MAX_REQUESTED_BY)
        why = t.check_required(reason, "reason", "Reason", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            secure = _secure_delete(s, True)
            try:
                result = self._erase(s, actor, customer_id, asked, why, now)
            finally:
                _secure_delete(s, secure)
        self.bus.publish({events.CUSTOMERS, events.ORDERS, events.OUTBOX})
        self._compact_indexes()
        return result

    def _erase(self, s: Session, actor: Actor, customer_id: str, asked: str, why: str,
               now: datetime) -> ErasureResult:
        return erase_person(s, actor, customer_id, asked, why, now)

    def _compact_indexes(self) -> None:
        """Merges each FTS index into one segment: the erased words' old entries leave the
        index's pages (deleted pages are zeroed)."""
        with self.db.write() as s:
            secure = _secure_delete(s, True)
            try:
                for table in FTS_TABLES:
                    s.connection().exec_driver_sql(
                        f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            finally:
                _secure_delete(s, secure)


def erase_person(s: Session, actor: Actor, customer_id: str, asked: str, why: str,
                 now: datetime, *, erasure_id: str = "", outbox: bool = True) -> ErasureResult:
    """The masking core of an erasure, in the caller's transaction. ``outbox=False``: another
    device's erasure relayed here (``app.services.relay_erasure``): the same masking, the
    erasure record kept under ``erasure_id``, and no outbox row (it is not this device's
    change; its tombstones arrive as that device's ops)."""
    first = (s.scalar(select(func.max(OutboxOp.seq))) or 0) if not outbox else 0
    result = _erase_core(s, actor, customer_id, asked, why, now, erasure_id)
    if not outbox:
        s.flush()
        s.execute(delete(OutboxOp).where(OutboxOp.seq > first))
    return result


def _erase_core(s: Session, actor: Actor, customer_id: str, asked: str, why: str,
                now: datetime, erasure_id: str) -> ErasureResult:
    found = customer_records.load(s, customer_id)
    customer = found.customer
    if customer.erased_at is not None:
        raise RuleViolation("This customer's personal data was already erased.",
                            field="customer")
    secrets = found.secrets()
    ids = found.ids()
    # the copies first (audit, outbox, conflicts), so the rows added below stay as written
    _scrub_audit(s, ids, secrets)
    _scrub_outbox(s, ids, secrets)
    _scrub_conflicts(s, ids, secrets)
    _scrub_links(s, [o.id for o in found.orders], secrets)
    # the record, sent first: head office finds the person's values in its copies of the
    # rows before the tombstones below reach it
    erasure = CustomerErasure(customer_id=customer.id, erased_at=now,
                              erased_by=actor.user_id or None, username=actor.username,
                              requested_by=asked, reason=why)
    if erasure_id:
        erasure.id = erasure_id
    s.add(erasure)
    s.flush()
    record(s, actor, action="erase", entity=ENTITY, entity_id=erasure.id, op="event",
           payload=erasure_payload(erasure, found), detail=f"requested by {asked}: {why}")
    s.flush()
    # the customer file: a tombstone
    base = customer.revision
    customer.name, customer.address, customer.notes = ERASED_NAME, "", ""
    customer.email = ""
    customer.phones = []
    # its messages keep what happened, not where they went (head office no longer sends)
    notifications.erase_recipients(s, actor, customer.id)
    # the signatures drawn on screen for his orders: their image and signer's name
    erase_for_orders(s, actor, [o.id for o in found.orders], now)
    customer.erased_at = now
    customer.revision += 1
    customer.updated_at = now
    s.flush()
    record(s, actor, action="erase", entity="customer", entity_id=customer.id,
           payload=customer_payload(customer), base_revision=base,
           detail="personal data erased")
    # the orders stay, without the person's data
    for order in found.orders:
        order.contact_phone = order.contact_digits = order.service_address = ""
        _scrub_row(order, secrets)
        for child in (*order.charge_lines, *order.repair_records, *order.attachments):
            _scrub_row(child, secrets)
        journal_order(s, actor, order, "erase", now)
    for line in customer_records.claim_lines(s, [o.id for o in found.orders]):
        _scrub_row(line, secrets)
    for row in (*found.payments, *found.cards, *found.visits):
        if _scrub_row(row, secrets):
            row.revision += 1  # an editor holding the old text is now stale
    for visit in found.visits:
        for attempt in visit.attempts:
            _scrub_row(attempt, secrets)
    for sale in found.sales:
        sale.customer_name = ERASED_NAME if sale.customer_name else ""
        sale.customer_phone = ""
        _scrub_row(sale, secrets)
        sale.revision += 1
    return ErasureResult(erasure.id, customer.id, now, len(found.orders))


def erasure_payload(erasure: CustomerErasure,
                    found: customer_records.CustomerRecords) -> dict[str, Any]:
    """The ``customer_erasure`` event: the record's columns and the ids of the rows head
    office holds copies of (no personal data)."""
    return row_payload(
        erasure,
        product_ids=sorted(p.id for p in found.products),
        order_ids=sorted(o.id for o in found.orders),
        sale_ids=sorted(x.id for x in found.sales),
        row_ids=sorted(found.ids() - {found.customer.id}),
    )


def _secure_delete(s: Session, on: bool) -> bool:
    """Sets SQLite's secure_delete (freed content overwritten with zeros); returns what it
    was."""
    conn = s.connection()
    was = bool(conn.exec_driver_sql("PRAGMA secure_delete").scalar())
    conn.exec_driver_sql(f"PRAGMA secure_delete = {1 if on else 0}")
    return was


#: outbox entities that are one customer's rows: matched by text alone, they are someone else's
_PEOPLES_ROWS = frozenset({"customer", "product", "service_order", "repair_record", "attachment",
                           "sale", "return_visit", "feedback_card", "order_payment",
                           "order_signature"})
_SKIPPED = frozenset({"id", "sha256", "payload"})


def _scrub_row(row: Any, secrets: list[str]) -> bool:
    """Masks the secrets in every text column of ``row``; True when one changed."""
    changed = False
    for attr in inspect(type(row)).column_attrs:
        key = attr.key
        if key in _SKIPPED or key.endswith("_id"):
            continue
        value = getattr(row, key)
        if isinstance(value, str) and holds_any(value, secrets):
            setattr(row, key, scrub_text(value, secrets))
            changed = True
    return changed


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(values)
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _matching(s: Session, model: Any, id_column: Any, text_columns: list[Any],
              ids: set[str], secrets: list[str]) -> list[Any]:
    """Rows of ``model`` about the ids, or whose text holds a secret."""
    found: dict[Any, Any] = {}
    for chunk in _chunks(ids):
        for row in s.scalars(select(model).where(id_column.in_(chunk))):
            found[inspect(row).identity] = row
    if secrets:
        likes = [c.contains(secret, autoescape=True) for c in text_columns for secret in secrets]
        for row in s.scalars(select(model).where(or_(*likes))):
            found[inspect(row).identity] = row
    return list(found.values())


def _scrub_audit(s: Session, ids: set[str], secrets: list[str]) -> None:
    for entry in _matching(s, AuditEntry, AuditEntry.entity_id, [AuditEntry.detail], ids,
                           secrets):
        entry.detail = scrub_text(entry.detail, secrets)


def _scrub_outbox(s: Session, ids: set[str], secrets: list[str]) -> None:
    for op in _matching(s, OutboxOp, OutboxOp.entity_id, [OutboxOp.payload], ids, secrets):
        try:
            payload = json.loads(op.payload)
        except ValueError:
            op.payload = scrub_text(op.payload, secrets)
            continue
        if op.entity_id in ids:  # the customer's own rows: personal fields go too
            clean = scrub_payload(payload, secrets, customer=op.entity == "customer")
        elif op.entity in _PEOPLES_ROWS:
            continue  # another customer's row that shares a value (a family's address)
        else:  # a conflict report, a claim batch naming the orders: the values masked
            clean = scrub_value(payload, secrets)
        text = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        if text != op.payload:
            op.payload = text


def _scrub_conflicts(s: Session, ids: set[str], secrets: list[str]) -> None:
    columns = [SyncConflict.local_summary, SyncConflict.remote_summary, SyncConflict.fields,
               SyncConflict.resolution, SyncConflict.resolution_note]
    for conflict in _matching(s, SyncConflict, SyncConflict.entity_id, columns, ids, secrets):
        for name in ("fields", "resolution"):
            value = getattr(conflict, name)
            try:
                setattr(conflict, name, json.dumps(scrub_payload(json.loads(value), secrets),
                                                   ensure_ascii=False)
                        if value else value)
            except ValueError:
                setattr(conflict, name, scrub_text(value, secrets))
        for name in ("local_summary", "remote_summary", "resolution_note"):
            setattr(conflict, name, scrub_text(getattr(conflict, name), secrets))


def _scrub_links(s: Session, order_ids: list[str], secrets: list[str]) -> None:
    for chunk in _chunks(order_ids):
        for link in s.scalars(select(HqOrderLink).where(HqOrderLink.order_id.in_(chunk))):
            if not link.hq_fields:
                continue
            try:
                clean = scrub_payload(json.loads(link.hq_fields), secrets)
                link.hq_fields = json.dumps(clean, ensure_ascii=False, sort_keys=True)
            except ValueError:
                link.hq_fields = scrub_text(link.hq_fields, secrets)
