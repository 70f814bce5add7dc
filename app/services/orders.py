"""Service orders (服务工单): taking the call, moving it through the state machine, recording
the repair, its charges and photos. Every change: rows + audit + outbox in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain import state_machine as sm
from app.domain import validation as v
from app.domain.enums import (
    ChargeKind,
    OrderSource,
    OrderStatus,
    OrderType,
    Payer,
    Role,
    ServiceMode,
    WarrantyStatus,
)
from app.domain.errors import RuleViolation
from app.domain.numbering import order_number
from app.domain.permissions import Permission
from app.domain.sla import SlaTimes, clocks
from app.domain.warranty_policy import MAX_KM
from app.services import appointments, events, notifications, payers, phone_view
from app.services import text_input as t
from app.services.charge_lines import MAX_UNIT_PRICE_FEN, ChargeInput, keep_part_lines
from app.services.context import Actor
from app.services.customers import (
    add_customer,
    add_product,
    product_info,
    refuse_erased,
    summary,
)
from app.services.device_identity import device_tag
from app.services.errors import not_found, stale
from app.services.journal import journal_order, record, row_payload
from app.services.order_checks import check_new_order
from app.services.order_corrections import check_repair_text, check_work_open
from app.services.order_links import links_of
from app.services.order_parts import release_order_reservations
from app.services.order_queries import (
    Cursor,
    OrderFilter,
    OrderRow,
    search_page,
)
from app.services.order_types import (
    AttachmentInfo,
    ChargeInfo,
    NewOrder,
    OrderDetail,
    OrderEdit,
    RepairInfo,
)
from app.services.order_warnings import (
    Ack,
    OrderWarning,
    check_acknowledged,
    order_warnings,
    record_acknowledgement,
)
from app.services.payments import order_payments
from app.services.signature_lock import check_unchanged, signed_hash
from app.services.warranty_policy import current_policy
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import (
    Attachment,
    Customer,
    OrderCounter,
    Product,
    RepairRecord,
    ServiceOrder,
    Station,
    User,
)
from app.store.vault import Vault

__all__ = ["MAX_UNIT_PRICE_FEN", "AttachmentInfo", "ChargeInfo", "ChargeInput", "NewOrder",
           "OrderDetail", "OrderEdit", "OrderService", "RepairInfo"]

MAX_CHARGE_LINES = 500
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class OrderService:
    def __init__(
        self,
        db: Database,
        bus: events.ChangeBus,
        attachments: Vault | Path,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.bus = bus
        #: the photos, encrypted with the store's key (``app.store.vault``)
        self.vault = attachments if isinstance(attachments, Vault) else Vault(attachments,
                                                                                 db.key)
        self.attachments_dir = self.vault.folder
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def search(
        self, flt: OrderFilter, after: Cursor | None = None, limit: int = 100, *,
        viewer: Actor | None = None,
    ) -> list[OrderRow]:
        """One page of the list; the phones as ``viewer`` may read them (phone_view)."""
        for name, label in (("text", "Search text"), ("order_type", "Order type"),
                            ("technician_id", "Technician"), ("customer_id", "Customer")):
            t.check_key(getattr(flt, name), name, label)
        if after is not None:
            t.check_key(after[1], "after", "Order")
        # a pooled DBAPI connection without SQLAlchemy's Connection around it: on a phone or
        # serial lookup that wrapper cost as much as SQLite's own work
        raw = self.db.engine.raw_connection()
        try:
            rows = search_page(raw.driver_connection, flt, self.clock(), after, limit)
            return phone_view.order_rows(raw.driver_connection, rows, viewer)
        finally:
            raw.close()

    def detail(self, order_id: str, actor: Actor | None = None) -> OrderDetail:
        with self.db.read() as s:
            order = self._load(s, order_id, full=True)
            return self._detail(order, actor)

    def reveal_phone(self, actor: Actor, order_id: str) -> phone_view.RevealedPhones:
        """显示完整号码: the order's numbers in full, the reveal written to the audit."""
        with self.db.write() as s:
            return phone_view.reveal_order(s, actor, order_id)

    def find_by_number(self, number: str, *, viewer: Actor | None = None) -> OrderDetail:
        t.check_key(number, "number", "Order number")
        with self.db.read() as s:
            order_id = s.scalar(
                select(ServiceOrder.id).where(ServiceOrder.number == number.strip().upper())
            )
            if order_id is None:
                raise not_found("order")
            return self._detail(self._load(s, order_id, full=True), viewer)

    # -- writing ------------------------------------------------------------------------------
    def create(
        self, actor: Actor, new: NewOrder, acknowledged: Ack | None = None
    ) -> OrderDetail:
        """Creates the order (and a new customer and product with it). Every refused field
        is raised at once (``FieldErrors``); then the warnings (``warnings_for``) refuse with
        ``WarningsPending`` unless ``acknowledged`` covers each kind with a reason."""
        with self.db.write() as s:
            order = self.create_in(s, actor, new, self.clock(), acknowledged)
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.CUSTOMERS, events.OUTBOX})
        return result

    def create_in(
        self, s: Session, actor: Actor, new: NewOrder, now: datetime,
        acknowledged: Ack | None = None,
    ) -> ServiceOrder:
        """``create`` in the caller's transaction (a complaint opened with its return visit);
        the caller publishes the change. The warnings hold here too (a complaint's own
        original order is not counted as a duplicate)."""
        actor.require(Permission.ORDER_CREATE)
        t.check_key(new.customer_id, "customer_id", "Customer")
        t.check_key(new.product_id, "product_id", "Product")
        t.check_key(new.technician_id, "technician_id", "Technician")
        t.check_key(new.related_order_id, "related_order_id", "Related order")
        new = phone_view.new_order_contact(s, new)  # a masked customer phone (manager)
        today = now.astimezone().date()
        fault, phone, address, hq_ref = check_new_order(new, today)
        warned = self._new_warnings(s, new, address)
        ack_reason = check_acknowledged(warned, acknowledged)
        customer = self._customer_for(s, actor, new)
        product_id = self._product_for(s, actor, customer.id, new, today)
        if new.technician_id is not None:
            self._check_assignable(s, new.technician_id)
        if new.related_order_id is not None:
            related = s.get(ServiceOrder, new.related_order_id)
            if related is None or related.customer_id != customer.id:
                raise RuleViolation("A complaint can only name an order of the same "
                                    "customer.", field="related_order_id")
        order = ServiceOrder(
            number=self._next_number(s, today),
            order_type=OrderType(new.order_type).value,
            source=OrderSource(new.source).value,
            service_mode=ServiceMode(new.service_mode).value,
            status=OrderStatus.RECEIVED.value,
            customer_id=customer.id,
            product_id=product_id,
            contact_phone=phone,
            contact_digits=v.phone_digits(phone),
            service_address=address or customer.address,
            fault_description=fault,
            hq_reference=hq_ref,
            created_by=actor.user_id or None,
            called_at=now,
            related_order_id=new.related_order_id,
        )
        s.add(order)
        s.flush()
        notifications.queue(s, actor, "order_received", order, {})
        self._journal(s, actor, order, "create")
        if warned:
            record_acknowledgement(s, actor, order, warned, ack_reason)
        if new.technician_id is not None:
            self._apply(s, actor, order, sm.Action.ACCEPT, now)
            order.technician_id = new.technician_id
            self._apply(s, actor, order, sm.Action.ASSIGN, now)
        return order

    def warnings_for(
        self, new_or_edit: NewOrder | OrderEdit, order_id: str | None = None
    ) -> list[OrderWarning]:
        """What to warn of before saving ``new_or_edit`` (an edit names its ``order_id``):
        an on-site order without an address, a serial that already has open orders."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            if isinstance(new_or_edit, NewOrder):
                for name, label_source in (("customer_id", "Customer"),
                                           ("product_id", "Product"),
                                           ("related_order_id", "Related order")):
                    t.check_key(getattr(new_or_edit, name), name, label_source)
                return self._new_warnings(s, new_or_edit, new_or_edit.service_address)
            if order_id is None:
                raise not_found("order")
            order = self._load(s, order_id)
            t.check_key(new_or_edit.product_id, "product_id", "Product")
            return order_warnings(
                s, service_mode=new_or_edit.service_mode,
                # an edit stores the address as typed: no fallback to the customer's
                service_address=new_or_edit.service_address, customer_id=None,
                customer_address="", product_id=new_or_edit.product_id, serial_no="",
                exclude_order_ids=(order.id,))

    def _new_warnings(self, s: Session, new: NewOrder, address: str) -> list[OrderWarning]:
        return order_warnings(
            s, service_mode=new.service_mode, service_address=address,
            customer_id=new.customer_id,
            customer_address=new.customer.address if new.customer else "",
            product_id=new.product_id,
            serial_no=new.product.serial_no if new.product else "",
            exclude_order_ids=(new.related_order_id,) if new.related_order_id else ())

    def update(
        self, actor: Actor, order_id: str, edit: OrderEdit, expected_revision: int,
        *, also: Callable[[Session, ServiceOrder], None] | None = None,
    ) -> OrderDetail:
        """Saves the edit. ``also`` runs in the same transaction after the order is journalled
        (a settled sync conflict records its resolution with the edit, or neither)."""
        actor.require(Permission.ORDER_EDIT)
        fault = t.check_length(edit.fault_description, "fault_description", "Fault description",
                               v.MAX_TEXT, multiline=True)
        phone = phone_view.checked_contact(edit.contact_phone)
        address = t.check_length(edit.service_address, "service_address", "Service address",
                                 v.MAX_ADDRESS)
        t.check_key(edit.product_id, "product_id", "Product")
        if edit.travel_km is not None:
            v.check_range(edit.travel_km, "travel_km", "Travel distance (km)", 0, MAX_KM)
        with self.db.write() as s:
            order = self._load(s, order_id)
            self._check_revision(order, expected_revision)
            if not OrderStatus(order.status).open:
                raise RuleViolation("A {status} order cannot be edited; reopen it first.",
                                    status=OrderStatus(order.status))
            if edit.product_id is not None:
                product = s.get(Product, edit.product_id)
                if product is None or product.customer_id != order.customer_id:
                    raise RuleViolation("The product does not belong to this customer.",
                                        field="product_id")
            order.order_type = OrderType(edit.order_type).value
            order.service_mode = ServiceMode(edit.service_mode).value
            order.fault_description = fault
            order.contact_phone = phone_view.unmasked_contact(phone, order.contact_phone)
            order.contact_digits = v.phone_digits(order.contact_phone)
            order.service_address = address
            signed = signed_hash(s, order)
            order.product_id = edit.product_id
            order.travel_km = edit.travel_km
            s.flush()
            payers.assign_payers(s, order, current_policy(s), payers.service_date(order))
            check_unchanged(order, signed)  # a new product re-decides the payers
            self._journal(s, actor, order, "update")
            if also is not None:
                also(s, order)
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def transition(
        self,
        actor: Actor,
        order_id: str,
        action: sm.Action,
        *,
        expected_revision: int | None = None,
        technician_id: str | None = None,
        reason: str = "",
    ) -> OrderDetail:
        """One move of the state machine, checked for state and role. A return visit is
        not a bare move: ``VisitService.record_visit`` makes it with its four scores."""
        action = sm.Action(action)
        if action is sm.Action.VISIT:
            raise RuleViolation("Record the return visit with its four satisfaction scores "
                                "(the return-visit form).", field="status")
        t.check_key(technician_id, "technician_id", "Technician")
        now = self.clock()
        with self.db.write() as s:
            order = self._load(s, order_id)
            if expected_revision is not None:
                self._check_revision(order, expected_revision)
            if action is sm.Action.ASSIGN:
                if technician_id is None:
                    raise RuleViolation("Choose the technician to assign.", field="technician_id")
                self._check_assignable(s, technician_id)
            if action is sm.Action.CANCEL:
                reason = t.check_required(reason, "reason", "Cancel reason", 200)
            actor.require(sm.PERMISSION_OF[action], assigned_to=order.technician_id)
            self._apply(s, actor, order, action, now, technician_id=technician_id,
                        reason=reason)
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def visit_in(self, s: Session, actor: Actor, order: ServiceOrder, satisfaction: int,
                 now: datetime) -> None:
        """The VISIT move in the caller's transaction, checked for state and role; only
        ``app.services.visits`` calls it, with the ReturnVisit row it writes alongside."""
        actor.require(Permission.ORDER_VISIT, assigned_to=order.technician_id)
        self._apply(s, actor, order, sm.Action.VISIT, now, satisfaction=satisfaction)

    def add_repair_record(
        self, actor: Actor, order_id: str, diagnosis: str, actions: str, labour_minutes: int
    ) -> OrderDetail:
        diagnosis, actions, labour_minutes = check_repair_text(diagnosis, actions,
                                                               labour_minutes)
        with self.db.write() as s:
            order = self._load(s, order_id)
            self._check_works_on(actor, order, Permission.ORDER_REPAIR_RECORD)
            rec = RepairRecord(order_id=order.id, technician_id=actor.user_id or None,
                               diagnosis=diagnosis, actions=actions,
                               labour_minutes=labour_minutes)
            s.add(rec)
            s.flush()
            record(s, actor, action="create", entity="repair_record", entity_id=rec.id,
                   payload=row_payload(rec))
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def set_charges(
        self, actor: Actor, order_id: str, lines: list[ChargeInput], expected_revision: int
    ) -> OrderDetail:
        """Replaces the order's charge lines as a whole (the editor saves the table).

        Lines that refer to a catalogue part (issued from stock) must come back unchanged,
        by id or as they were read: they change only by issuing and returning parts."""
        if len(lines) > MAX_CHARGE_LINES:
            raise RuleViolation("At most {n} charge lines.", field="charges", n=MAX_CHARGE_LINES)
        for line in lines:
            t.check_key(getattr(line, "id", None), "charges", "Charge line")
        with self.db.write() as s:
            order = self._load(s, order_id)
            self._check_revision(order, expected_revision)
            self._check_works_on(actor, order, Permission.ORDER_CHARGES)
            signed = signed_hash(s, order)
            order.charge_lines = keep_part_lines(order.charge_lines, lines)
            payers.assign_payers(s, order, current_policy(s), payers.service_date(order))
            check_unchanged(order, signed)  # a signed order's charges are locked
            s.flush()
            self._journal(s, actor, order, "set_charges")
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def attach_photo(self, actor: Actor, order_id: str, source: Path) -> OrderDetail:
        """Stores the file in the content-addressed vault (encrypted), then records it."""
        source = Path(source)
        # a file name the disk could not decode arrives holding surrogates
        t.check_key(source.name, "file", "File name")
        if not source.is_file():
            raise RuleViolation("File '{name}' was not found.", field="file", name=source.name)
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise RuleViolation("File is too large (at most 20 MB).", field="file")
        # the file lands before the row; an orphan file from a crash is harmless
        digest = self.vault.put_file(source)
        with self.db.write() as s:
            order = self._load(s, order_id)
            self._check_works_on(actor, order, Permission.ORDER_PHOTO)
            att = Attachment(order_id=order.id, sha256=digest, filename=source.name[:200],
                             size=size)
            s.add(att)
            s.flush()
            record(s, actor, action="create", entity="attachment", entity_id=att.id,
                   payload=row_payload(att))
            result = self._detail(self._load(s, order.id, full=True), actor)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def attachment_path(self, digest: str) -> Path:
        """Where the stored (encrypted) file is: for backups and checks, never to be opened
        as a photo; ``read_attachment`` gives its content."""
        return self.vault.path(digest)

    def read_attachment(self, digest: str) -> bytes:
        """A stored photo's content (decrypted, checked against its digest); a clear
        ``AttachmentUnreadable`` (a RuleViolation) when missing, foreign or damaged. Off the
        GUI thread. A photo another device of the station took: ``PhotoElsewhere`` (only
        its metadata travels, the file stays on that device)."""
        from app.services.relay_photos import read_or_elsewhere

        return read_or_elsewhere(self.db, self.vault, digest)

    # -- internals ------------------------------------------------------------------------------
    def _customer_for(self, s: Session, actor: Actor, new: NewOrder) -> Customer:
        if new.customer_id is not None:
            customer = s.get(Customer, new.customer_id)
            if customer is None:
                raise not_found("customer")
            refuse_erased(customer)
            return customer
        if new.customer is None:
            raise RuleViolation("Choose a customer or enter a new one.", field="customer")
        return add_customer(s, actor, new.customer)

    def _product_for(
        self, s: Session, actor: Actor, customer_id: str, new: NewOrder, today: date
    ) -> str | None:
        if new.product_id is not None:
            product = s.get(Product, new.product_id)
            if product is None or product.customer_id != customer_id:
                raise RuleViolation("The product does not belong to this customer.",
                                    field="product_id")
            return product.id
        if new.product is not None:
            return add_product(s, actor, customer_id, new.product, today).id
        return None

    def _next_number(self, s: Session, today: date) -> str:
        station_code = s.scalar(select(Station.code)) or "ST"
        counter = s.get(OrderCounter, today)
        if counter is None:
            counter = OrderCounter(day=today, last=0)
            s.add(counter)
        counter.last += 1
        tag = device_tag(s)  # another device of the station numbers with another letter
        number = order_number(station_code, today, counter.last, tag)
        # orders pulled from head office could already hold the number; skip past it
        while s.scalar(select(ServiceOrder.id).where(ServiceOrder.number == number)):
            counter.last += 1
            number = order_number(station_code, today, counter.last, tag)
        return number

    def _check_assignable(self, s: Session, technician_id: str) -> None:
        user = s.get(User, technician_id)
        if user is None or not user.active or user.role not in (Role.TECHNICIAN, Role.MANAGER):
            raise RuleViolation("Orders can only be assigned to an active technician.",
                                field="technician_id")

    def _check_revision(self, order: ServiceOrder, expected: int) -> None:
        if order.revision != expected:
            raise stale("order")

    def _check_works_on(self, actor: Actor, order: ServiceOrder,
                        permission: Permission) -> None:
        actor.require(permission, assigned_to=order.technician_id)
        check_work_open(order)

    def _apply(
        self, s: Session, actor: Actor, order: ServiceOrder, action: sm.Action, now: datetime,
        *, technician_id: str | None = None, reason: str = "", satisfaction: int | None = None,
    ) -> None:
        target = sm.target_of(action, OrderStatus(order.status))
        order.status = target.value
        if target in (OrderStatus.COMPLETED, OrderStatus.CANCELLED):
            # parts still set aside for a finished order would block other orders' issues
            release_order_reservations(s, actor, order, now)
        if action is sm.Action.ACCEPT and order.responded_at is None:
            order.responded_at = now
        elif action is sm.Action.ASSIGN:
            order.technician_id = technician_id or order.technician_id
        elif action in (sm.Action.START_ON_SITE, sm.Action.START_WORKSHOP):
            if order.arrived_at is None:
                order.arrived_at = now
            appointments.follow_order(s, actor, order, arrived=True, now=now)
        elif action is sm.Action.COMPLETE:
            order.cleared_at = now
            notifications.queue(s, actor, "done", order,
                                {"amount_fen": str(notifications.customer_due_fen(order))})
        elif action is sm.Action.VISIT:
            order.visited_at = now
            order.satisfaction = satisfaction
        elif action is sm.Action.CLOSE:
            order.closed_at = now
        elif action is sm.Action.CANCEL:
            order.cancel_reason = reason
            appointments.follow_order(s, actor, order, arrived=False, now=now)
        elif action is sm.Action.REOPEN:
            order.cleared_at = order.visited_at = order.closed_at = None
            order.cancel_reason = ""
        self._journal(s, actor, order, action.value)

    def _journal(self, s: Session, actor: Actor, order: ServiceOrder, action: str) -> None:
        journal_order(s, actor, order, action, self.clock())

    def _load(self, s: Session, order_id: str, full: bool = False) -> ServiceOrder:
        t.check_key(order_id, "order_id", "Order")
        options = []
        if full:
            options = [
                selectinload(ServiceOrder.charge_lines),
                selectinload(ServiceOrder.repair_records).selectinload(RepairRecord.technician),
                selectinload(ServiceOrder.attachments),
                joinedload(ServiceOrder.customer).selectinload(Customer.phones),
                joinedload(ServiceOrder.product),
                joinedload(ServiceOrder.technician),
            ]
        order = s.get(ServiceOrder, order_id, options=options, populate_existing=full)
        if order is None:
            raise not_found("order")
        return order

    def _detail(self, o: ServiceOrder, actor: Actor | None) -> OrderDetail:
        now = self.clock()
        status = OrderStatus(o.status)
        on = (o.called_at or now).astimezone().date()
        product = product_info(o.product, on) if o.product else None
        # 保内/保外 by the warranty policy in force (the product's own months without one)
        coverage = payers.order_coverage(current_policy(Session.object_session(o)),
                                         o.product, on)
        warranty = coverage.status if coverage is not None else WarrantyStatus.UNKNOWN
        actions = (
            sm.available_actions(status, actor.role, is_assignee=o.technician_id == actor.user_id)
            if actor is not None else []
        )
        sla_times = SlaTimes(o.called_at, o.responded_at, o.arrived_at, o.cleared_at,
                             stopped=status is OrderStatus.CANCELLED)
        return phone_view.order_detail(OrderDetail(
            id=o.id, number=o.number, revision=o.revision, order_type=OrderType(o.order_type),
            source=OrderSource(o.source), service_mode=ServiceMode(o.service_mode), status=status,
            customer=summary(o.customer), product=product, warranty=warranty,
            contact_phone=o.contact_phone, service_address=o.service_address,
            fault_description=o.fault_description, technician_id=o.technician_id,
            technician_name=o.technician.display_name if o.technician else "",
            cancel_reason=o.cancel_reason, hq_reference=o.hq_reference,
            satisfaction=o.satisfaction, called_at=o.called_at, responded_at=o.responded_at,
            arrived_at=o.arrived_at, cleared_at=o.cleared_at, visited_at=o.visited_at,
            closed_at=o.closed_at, sla=clocks(sla_times, now),
            charges=[
                ChargeInfo(ChargeKind(c.kind), c.description, c.quantity, c.unit_price_fen, c.id,
                           c.part_id, Payer(c.payer))
                for c in o.charge_lines
            ],
            repairs=[
                RepairInfo(r.id, r.technician.display_name if r.technician else "", r.diagnosis,
                           r.actions, r.labour_minutes, r.created_at, r.voided_at is not None,
                           r.void_reason)
                for r in o.repair_records
            ],
            attachments=[
                AttachmentInfo(a.id, a.filename, self.attachment_path(a.sha256), a.size,
                               a.voided_at is not None, a.void_reason, a.sha256)
                for a in o.attachments
            ],
            actions=actions,
            links=links_of(Session.object_session(o), o),
            coverage=coverage,
            travel_km=o.travel_km,
            payment=order_payments(Session.object_session(o), o),
        ), actor)
