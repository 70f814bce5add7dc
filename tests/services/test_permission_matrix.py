"""The permission matrix walked against the real services (issue 9, item 1).

``PROBES`` maps every entry point that takes an ``actor`` to the permission it needs and a
call with valid arguments on the world of ``permission_world``. For each probe, every role the
matrix denies (and for a row scoped to a technician's own orders, a technician the order is
not assigned to) is refused with ``PermissionDenied`` and nothing is stored; every role it
allows gets through on a fresh copy of the station. A meta-test fails when a service grows an
entry point that is in neither ``PROBES`` nor ``EXEMPT``, and another when a permission has no
probe: a later area adds its rows to ``app.domain.permissions`` and its probes here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import app.services
from app.bootstrap import Services
from app.domain.charges import Charge
from app.domain.enums import ChargeKind, OrderSource, OrderType, Role, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.permissions import DOING, MATRIX, Permission, Scope
from app.domain.report_tables import ReportQuery
from app.domain.state_machine import Action
from app.i18n import render, set_language, tr
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.errors import PermissionDenied
from app.services.order_warnings import Ack
from app.services.orders import NewOrder, OrderEdit
from app.services.parts_orders import LineInput
from app.services.sales import NewSale, SaleLineInput
from app.services.station_settings import SettingsChange
from app.services.sync_conflicts import ConflictDesk
from app.services.users import NewUser
from app.services.warranty_policy import DEMO_POLICY_CSV
from app.store.models import Product, ServiceOrder
from tests.conftest import PASSWORD
from tests.services.claims_helpers import POLICY
from tests.services.permission_world import (
    CATALOGUE_CSV,
    FULL_CARD,
    NOW,
    World,
    build_world,
    open_copy,
    photo,
    stored,
)
from tests.services.signature_helpers import drawn

P = Permission
Probe = Callable[[Services, Actor, World], Any]
SCORES = {"speed": 5, "attitude": 4, "quality": 5, "price": 5}


@dataclass(frozen=True)
class Entry:
    permission: Permission
    call: Probe
    #: an allowed role may still meet a rule of the area's own (not a permission) on the
    #: world as built; the probe then proves only that the permission let it through
    may_refuse: bool = False
    #: False for an OWN-scoped permission on something that is no order's (any technician)
    order_scoped: bool = True


def _rev(svc: Services, order_id: str) -> int:
    return svc.orders.detail(order_id).revision


def _desk(svc: Services) -> ConflictDesk:
    return ConflictDesk(svc.db, svc.bus, svc.orders, svc.sync.clock)


def _edit(svc: Services, order_id: str) -> OrderEdit:
    o = svc.orders.detail(order_id)
    return OrderEdit(o.order_type, o.service_mode, "空调不制冷，有异响", o.contact_phone,
                     o.service_address, o.product.id if o.product else None)


def _new_order(w: World) -> NewOrder:
    return NewOrder(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                    service_mode=ServiceMode.ON_SITE, fault_description="冰箱不制冷",
                    contact_phone="13900001111",
                    customer=CustomerInput("韩梅梅", ("13900001111",), "北京市海淀区学院路2号"),
                    product=ProductInput("BCD-215", "SN-NEW-1"))


def _move(action: Action, order: str, **kw: Any) -> Probe:
    return lambda svc, a, w: svc.orders.transition(a, getattr(w, order), action, **kw)


def _card_rev(svc: Services, w: World) -> int:
    return svc.feedback.detail(w.card).revision


PROBES: dict[str, Entry] = {
    # orders
    "OrderService.create": Entry(P.ORDER_CREATE,
                                 lambda svc, a, w: svc.orders.create(a, _new_order(w))),
    "OrderService.update": Entry(P.ORDER_EDIT, lambda svc, a, w: svc.orders.update(
        a, w.received, _edit(svc, w.received), _rev(svc, w.received))),
    "OrderService.transition:accept": Entry(P.ORDER_ACCEPT, _move(Action.ACCEPT, "received")),
    "OrderService.transition:assign": Entry(P.ORDER_ASSIGN, lambda svc, a, w: svc.orders
                                            .transition(a, w.accepted, Action.ASSIGN,
                                                        technician_id=w.actors["tech"].user_id)),
    "OrderService.transition:start_on_site": Entry(P.ORDER_START,
                                                   _move(Action.START_ON_SITE, "assigned")),
    "OrderService.transition:start_workshop": Entry(P.ORDER_START,
                                                    _move(Action.START_WORKSHOP, "assigned")),
    "OrderService.transition:wait_parts": Entry(P.ORDER_START, _move(Action.WAIT_PARTS, "work")),
    "OrderService.transition:complete": Entry(P.ORDER_COMPLETE, _move(Action.COMPLETE, "work")),
    "OrderService.transition:close": Entry(P.ORDER_CLOSE, _move(Action.CLOSE, "visited")),
    "OrderService.transition:cancel": Entry(P.ORDER_CANCEL,
                                            _move(Action.CANCEL, "received", reason="客户取消")),
    "OrderService.transition:reopen": Entry(P.ORDER_REOPEN, _move(Action.REOPEN, "done")),
    "OrderService.add_repair_record": Entry(P.ORDER_REPAIR_RECORD, lambda svc, a, w: svc.orders
                                            .add_repair_record(a, w.work, "漏氟", "补氟", 20)),
    "OrderService.set_charges": Entry(P.ORDER_CHARGES, lambda svc, a, w: svc.orders.set_charges(
        a, w.work, [c for c in svc.orders.detail(w.work).charges]
        + [Charge(ChargeKind.LABOUR, "维修工时", 1, 5000)], _rev(svc, w.work))),
    "OrderService.attach_photo": Entry(P.ORDER_PHOTO, lambda svc, a, w: svc.orders.attach_photo(
        a, w.work, photo(w.root.parent / "files" / "work.jpg"))),
    # corrections and payments
    "OrderCorrectionService.edit_record": Entry(P.ORDER_CORRECT, lambda svc, a, w: svc
                                                .corrections.edit_record(
                                                    a, w.work, w.record, "电容鼓包", "换电容", 25)),
    "OrderCorrectionService.void_record": Entry(P.ORDER_CORRECT, lambda svc, a, w: svc
                                                .corrections.void_record(a, w.work, w.record,
                                                                         "录错了")),
    "OrderCorrectionService.void_photo": Entry(P.ORDER_CORRECT, lambda svc, a, w: svc
                                               .corrections.void_photo(a, w.work, w.photo,
                                                                       "拍错了")),
    "OrderCorrectionService.set_times": Entry(P.ORDER_TIMES, lambda svc, a, w: svc.corrections
                                              .set_times(a, w.work, _rev(svc, w.work),
                                                         arrived_at=NOW - timedelta(hours=1))),
    "PaymentService.receive": Entry(P.PAYMENT_TAKE, lambda svc, a, w: svc.payments.receive(
        a, w.done, 5000, PaymentMethod.CASH)),
    "PaymentService.waive": Entry(P.PAYMENT_WAIVE, lambda svc, a, w: svc.payments.waive(
        a, w.done, "老客户，免收")),
    # customers and users
    "CustomerService.create": Entry(P.CUSTOMER_CREATE, lambda svc, a, w: svc.customers.create(
        a, CustomerInput("韩梅梅", ("13900002222",), "北京市海淀区"))),
    "CustomerService.update": Entry(P.CUSTOMER_EDIT, lambda svc, a, w: svc.customers.update(
        a, w.customer, CustomerInput("李雷", ("13812345603",), "北京市海淀区学院路9号"),
        svc.customers.get(w.customer).revision)),
    "CustomerService.add_product": Entry(P.PRODUCT_ADD, lambda svc, a, w: svc.customers
                                         .add_product(a, w.customer,
                                                      ProductInput("XQG70", "SN-WASH-1"))),
    "CustomerService.update_product": Entry(P.PRODUCT_EDIT, lambda svc, a, w: svc.customers
                                            .update_product(a, w.product,
                                                            ProductInput("KFR-35GW", "SN-W9"),
                                                            _product_rev(svc, w))),
    "UserService.create_user": Entry(P.USER_MANAGE, lambda svc, a, w: svc.users.create_user(
        a, NewUser("new1", "孙信息", Role.CLERK, "correct-horse"))),
    "UserService.set_active": Entry(P.USER_MANAGE, lambda svc, a, w: svc.users.set_active(
        a, w.spare, False)),
    "UserService.set_role": Entry(P.USER_MANAGE, lambda svc, a, w: svc.users.set_role(
        a, w.spare, Role.TECHNICIAN)),
    "UserService.set_password": Entry(P.USER_PASSWORD_OTHERS, lambda svc, a, w: svc.users
                                      .set_password(a, w.spare, "another-horse")),
    # parts
    "OrderPartService.issue": Entry(P.PARTS_ISSUE, lambda svc, a, w: svc.order_parts.issue(
        a, w.work, w.part, 1)),
    "OrderPartService.return_parts": Entry(P.PARTS_ISSUE, lambda svc, a, w: svc.order_parts
                                           .return_parts(a, w.work, w.part, 1, reason="没用上")),
    "OrderPartService.reserve": Entry(P.PARTS_ISSUE, lambda svc, a, w: svc.order_parts.reserve(
        a, w.work, w.part, 1)),
    "OrderPartService.release": Entry(P.PARTS_ISSUE, lambda svc, a, w: svc.order_parts.release(
        a, w.work, w.part)),
    "PartCatalogue.import_bytes": Entry(P.CATALOGUE_IMPORT, lambda svc, a, w: svc.catalogue
                                        .import_bytes(a, CATALOGUE_CSV, "test")),
    "PartCatalogue.import_csv": Entry(P.CATALOGUE_IMPORT, lambda svc, a, w: svc.catalogue
                                      .import_csv(a, w.root.parent / "files" / "catalogue.csv")),
    "PartCatalogue.set_setting": Entry(P.PART_SETTINGS, lambda svc, a, w: svc.catalogue
                                       .set_setting(a, w.part, location="A-01-02",
                                                    low_stock_threshold=3)),
    "SaleService.sell": Entry(P.SALE_CREATE, lambda svc, a, w: svc.sales.sell(
        a, NewSale([SaleLineInput(w.part, 1)], PaymentMethod.CASH))),
    "SaleService.sell:below_station_price": Entry(
        P.SALE_BELOW_STATION_PRICE, lambda svc, a, w: svc.sales.sell(
            a, NewSale([SaleLineInput(w.part, 1, 100)], PaymentMethod.CASH))),
    "SaleService.void": Entry(P.SALE_VOID, lambda svc, a, w: svc.sales.void(a, w.sale, "退货")),
    # the world's count is open: a second one is refused by the count's own rule
    "CountService.open": Entry(P.COUNT_OPEN, lambda svc, a, w: svc.counts.open(a),
                               may_refuse=True),
    "CountService.enter": Entry(P.COUNT_ENTER, lambda svc, a, w: svc.counts.enter(
        a, w.count, w.part, 16)),
    "CountService.enter_scanned": Entry(P.COUNT_ENTER, lambda svc, a, w: svc.counts
                                        .enter_scanned(a, w.count, w.part_no, 16)),
    "CountService.post": Entry(P.COUNT_POST, lambda svc, a, w: svc.counts.post(
        a, w.count, "季度盘点"), may_refuse=True),
    "PartsOrderService.create_draft": Entry(P.PARTS_ORDER, lambda svc, a, w: svc.parts_orders
                                            .create_draft(a, [LineInput("AC-COMP-1", 1)])),
    "PartsOrderService.update_draft": Entry(P.PARTS_ORDER, lambda svc, a, w: svc.parts_orders
                                            .update_draft(a, w.draft, [LineInput("AC-COMP-1", 3)],
                                                          "改数量", _po_rev(svc, w.draft))),
    "PartsOrderService.submit": Entry(P.PARTS_ORDER, lambda svc, a, w: svc.parts_orders.submit(
        a, w.draft)),
    "PartsOrderService.cancel": Entry(P.PARTS_ORDER, lambda svc, a, w: svc.parts_orders.cancel(
        a, w.draft, "不要了")),
    "PartsOrderService.receive": Entry(P.PARTS_RECEIVE, lambda svc, a, w: svc.parts_orders
                                       .receive(a, w.shipped, [LineInput("AC-COMP-1", 4)])),
    "OldPartService.create_shipment": Entry(P.OLD_PART_PACK, lambda svc, a, w: svc.old_parts
                                            .create_shipment(a, [w.old3])),
    "OldPartService.add_to_shipment": Entry(P.OLD_PART_PACK, lambda svc, a, w: svc.old_parts
                                            .add_to_shipment(a, w.shipment, [w.old2])),
    "OldPartService.remove_from_shipment": Entry(P.OLD_PART_PACK, lambda svc, a, w: svc
                                                 .old_parts.remove_from_shipment(
                                                     a, w.shipment, w.old1)),
    "OldPartService.ship": Entry(P.OLD_PART_SHIP, lambda svc, a, w: svc.old_parts.ship(
        a, w.shipment, "顺丰 SF123456")),
    # sync
    "SyncService.register": Entry(P.SYNC_REGISTER, lambda svc, a, w: svc.sync.register(
        a, "https://hq.example.com", "BJ001", "token-1", check=False)),
    "SyncService.unsent_changes": Entry(P.UNSENT_VIEW, lambda svc, a, w:
                                        svc.sync.unsent_changes(a)),
    "SyncService.export_unsent": Entry(P.UNSENT_VIEW, lambda svc, a, w: svc.sync.export_unsent(
        a, svc.paths.root / "unsent-probe.csv")),
    "DeviceJoin.start": Entry(P.SYNC_REGISTER, lambda svc, a, w: svc.join.start(
        a, "https://hq.example.com", "BJ001", "token-1"), may_refuse=True),
    "SyncService.resolve_conflict": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: svc.sync
                                          .resolve_conflict(a, w.conflict_note, "已处理")),
    "ConflictDesk.settle_fields": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: _desk(svc)
                                        .settle_fields(a, w.conflict_fields,
                                                       {"service_address": ("ours", None)})),
    "ConflictDesk.settle_cancel": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: _desk(svc)
                                        .settle_cancel(a, w.conflict_cancel, "keep_completion")),
    "ConflictDesk.acknowledge": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: _desk(svc)
                                      .acknowledge(a, w.conflict_note, "已知悉")),
    # warranty
    "PolicyService.import_bytes": Entry(P.POLICY_IMPORT, lambda svc, a, w: svc.policy
                                        .import_bytes(a, DEMO_POLICY_CSV.encode(), "test")),
    "PolicyService.import_file": Entry(P.POLICY_IMPORT, lambda svc, a, w: svc.policy.import_file(
        a, _policy_file(w))),
    "PolicyService.publish": Entry(P.POLICY_IMPORT, lambda svc, a, w: svc.policy.publish(
        a, POLICY.__class__(label="2026 新版", categories=POLICY.categories,
                            labour=POLICY.labour, travel=POLICY.travel))),
    "ClaimService.build": Entry(P.CLAIM_MANAGE, lambda svc, a, w: svc.claims.build(a, "2026-05")),
    "ClaimService.add_order": Entry(P.CLAIM_MANAGE, lambda svc, a, w: svc.claims.add_order(
        a, w.batch, w.claimable)),
    "ClaimService.remove_line": Entry(P.CLAIM_MANAGE, lambda svc, a, w: svc.claims.remove_line(
        a, w.batch, w.line)),
    "ClaimService.override": Entry(P.CLAIM_OVERRIDE, lambda svc, a, w: svc.claims.override(
        a, w.batch, w.line, "missing_serial", "铭牌脱落，已拍照")),
    "ClaimService.submit": Entry(P.CLAIM_SUBMIT, lambda svc, a, w: svc.claims.submit(
        a, w.batch), may_refuse=True),
    "ClaimService.mark_paid": Entry(P.CLAIM_MARK_PAID, lambda svc, a, w: svc.claims.mark_paid(
        a, w.batch, "工行到账"), may_refuse=True),
    "FeedbackService.new": Entry(P.FEEDBACK_WRITE, lambda svc, a, w: svc.feedback.new(
        a, FULL_CARD), order_scoped=False),
    "FeedbackService.new_from_order": Entry(P.FEEDBACK_WRITE, lambda svc, a, w: svc.feedback
                                            .new_from_order(a, w.work)),
    "FeedbackService.save": Entry(P.FEEDBACK_WRITE, lambda svc, a, w: svc.feedback.save(
        a, w.card, FULL_CARD, _card_rev(svc, w))),
    "FeedbackService.attach_photo": Entry(P.FEEDBACK_WRITE, lambda svc, a, w: svc.feedback
                                          .attach_photo(a, w.card,
                                                        photo(w.root.parent / "files" / "b.jpg"))),
    "FeedbackService.remove_photo": Entry(P.FEEDBACK_WRITE, lambda svc, a, w: svc.feedback
                                          .remove_photo(a, w.card, w.card_photo)),
    "FeedbackService.submit": Entry(P.FEEDBACK_SUBMIT, lambda svc, a, w: svc.feedback.submit(
        a, w.card)),
    "VisitService.record_visit": Entry(P.VISIT_RECORD, lambda svc, a, w: svc.visits.record_visit(
        a, w.done, SCORES)),
    # the in-transaction forms other services call (a visit's move, its complaint order)
    "OrderService.visit_in": Entry(P.ORDER_VISIT, lambda svc, a, w: _in_session(
        svc, lambda s: svc.orders.visit_in(s, a, s.get(ServiceOrder, w.done), 5, NOW))),
    "OrderService.create_in": Entry(P.ORDER_CREATE, lambda svc, a, w: _in_session(
        svc, lambda s: svc.orders.create_in(s, a, _new_order(w), NOW))),
    "VisitService.record_attempt": Entry(P.VISIT_RECORD, lambda svc, a, w: svc.visits
                                         .record_attempt(a, w.done, "无人接听")),
    # the station's numbers
    "StationReportService.run": Entry(P.REPORT_VIEW, lambda svc, a, w: svc.station_reports.run(
        a, "orders", ReportQuery(date(2026, 1, 1), date(2026, 12, 31)))),
    # maintenance reminders: the order through create_in (the product's open repairs
    # acknowledged), the campaign's call list
    "MaintenanceService.create_order": Entry(P.ORDER_CREATE, lambda svc, a, w: svc.maintenance
                                             .create_order(a, w.product, Ack("顺便保养"))),
    "MaintenanceService.export": Entry(P.CAMPAIGN_EXPORT, lambda svc, a, w: svc.maintenance
                                       .export(a, w.root.parent / "files" / "due.csv")),
    # 显示完整号码: the manager reveals a masked phone, the audit records it
    "CustomerService.reveal_phone": Entry(P.PHONE_REVEAL, lambda svc, a, w: svc.customers
                                          .reveal_phone(a, w.customer)),
    "OrderService.reveal_phone": Entry(P.PHONE_REVEAL, lambda svc, a, w: svc.orders
                                       .reveal_phone(a, w.work)),
    "DashboardService.figures": Entry(P.REPORT_VIEW, lambda svc, a, w: svc.dashboard.figures(a)),
    # backups: the desk backs up; the manager says where and when
    "BackupService.backup_now": Entry(P.BACKUP_MAKE, lambda svc, a, w: svc.backups.backup_now(a)),
    "BackupService.configure": Entry(P.BACKUP_SETTINGS, lambda svc, a, w: svc.backups.configure(
        a, "", 3)),
    # a customer's data on request (PIPL): the manager exports or erases it
    "CustomerPrivacyService.export_customer": Entry(
        P.CUSTOMER_EXPORT, lambda svc, a, w: svc.privacy.export_customer(
            a, w.customer, w.root.parent / "files" / "personal.zip")),
    "CustomerPrivacyService.erase_customer": Entry(
        P.CUSTOMER_ERASE, lambda svc, a, w: svc.privacy.erase_customer(
            a, w.customer, "客户本人", "客户来电要求删除")),
    # the 设置 page: the station's details (an outbox row), letterhead, printing, language
    "StationSettingsService.save": Entry(P.SETTINGS_EDIT, lambda svc, a, w: svc.station_settings
                                         .save(a, SettingsChange(phone="13912345678",
                                                                 sync_minutes=10))),
    # the station key: the manager sees the recovery key again with his own password
    "StoreKeyService.recovery_key": Entry(P.STORE_KEY_VIEW, lambda svc, a, w: svc.store_keys
                                          .recovery_key(a, PASSWORD)),
    "StoreKeyService.acknowledge": Entry(P.STORE_KEY_VIEW, lambda svc, a, w: svc.store_keys
                                         .acknowledge(a)),
    # visits booked with the customer (预约): the desk's calendar
    "AppointmentService.book": Entry(P.APPOINTMENT_BOOK, lambda svc, a, w: svc.appointments.book(
        a, w.accepted, None, NOW + timedelta(hours=1), NOW + timedelta(hours=2))),
    "AppointmentService.move": Entry(P.APPOINTMENT_BOOK, lambda svc, a, w: svc.appointments.move(
        a, w.appointment, None, NOW + timedelta(hours=6), NOW + timedelta(hours=7), "客户要求",
        "customer")),
    "AppointmentService.cancel": Entry(P.APPOINTMENT_BOOK, lambda svc, a, w: svc.appointments
                                       .cancel(a, w.appointment, "客户已自行修好", "customer")),
    # the customer's signature on screen (客户签字): w.done was signed when it was completed
    "SignatureService.sign": Entry(P.SIGNATURE_TAKE, lambda svc, a, w: svc.signatures.sign(
        a, w.work, "李雷", drawn())),
    "SignatureService.reopen": Entry(P.SIGNATURE_REOPEN, lambda svc, a, w: svc.signatures
                                     .reopen(a, w.done, "客户要求加项")),
    # clashes between a station's devices (issue 15): the world's conflicts are of other
    # kinds, so an allowed manager meets the desk's own rule
    "StockShortages.shortages": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: svc.stock_shortages
                                      .shortages(a)),
    "StockShortages.settle": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: svc.stock_shortages
                                   .settle(a, w.conflict_note, "已盘点"), may_refuse=True),
    "DeviceClashDesk.settle": Entry(P.CONFLICT_RESOLVE, lambda svc, a, w: svc.device_clashes
                                    .settle(a, w.conflict_note, "theirs"), may_refuse=True),
}

#: entry points that take an actor but need no permission of their own, and why
EXEMPT: dict[str, str] = {
    "OrderService.detail": "reads: the actor only decides which moves the detail offers",
    "RouteSheetService.route_sheet": "reads: anyone reads a day plan; the actor only decides "
                                     "which phones are shown in full",
    "SyncService.mark_notice_read": "anyone marks a head-office notice read for the station",
    "UserService.change_own_password": "anyone changes his own password (the current one is "
                                       "checked instead of a permission)",
    "AppointmentService.day_plan": "reads: the actor only decides which phones are shown in "
                                   "full (app.services.phone_view)",
}


def _in_session(svc: Services, call: Callable[[Any], Any]) -> Any:
    with svc.db.write() as s:
        return call(s)


def _product_rev(svc: Services, w: World) -> int:
    with svc.db.read() as s:
        return s.get(Product, w.product).revision


def _po_rev(svc: Services, po_id: str) -> int:
    return svc.parts_orders.detail(po_id).revision


def _policy_file(w: World) -> Path:
    path = w.root.parent / "files" / "policy.csv"
    path.write_bytes(DEMO_POLICY_CSV.encode())
    return path


# -- the cases ----------------------------------------------------------------------------------

def _roles_of(entry: Entry) -> tuple[list[str], list[str]]:
    """(actors the matrix allows, actors it denies) for a probe."""
    row = MATRIX[entry.permission]
    allowed, denied = ["manager"], []
    for name, role in (("clerk", Role.CLERK), ("tech", Role.TECHNICIAN)):
        (allowed if role in row else denied).append(name)
    tech = row.get(Role.TECHNICIAN)
    if tech is None or (tech is Scope.OWN and entry.order_scoped):
        denied.append("tech2")  # not the order's technician
    return allowed, denied


ALLOWED = [(key, who) for key, e in PROBES.items() for who in _roles_of(e)[0]]
DENIED = [(key, who) for key, e in PROBES.items() for who in _roles_of(e)[1]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("permission-world"))


@pytest.fixture(scope="module")
def refusing(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One copy for every refused call: a refusal stores nothing, so they can share it."""
    svc = open_copy(world, tmp_path_factory.mktemp("refused") / "station")
    yield svc
    svc.close()


@pytest.mark.parametrize(("key", "who"), DENIED, ids=[f"{k}-{r}" for k, r in DENIED])
def test_every_role_the_matrix_denies_is_refused_and_nothing_is_stored(
        refusing: Services, world: World, key: str, who: str) -> None:
    before = stored(refusing)
    with pytest.raises(PermissionDenied):
        PROBES[key].call(refusing, world.actors[who], world)
    assert stored(refusing) == before


@pytest.mark.parametrize(("key", "who"), ALLOWED, ids=[f"{k}-{r}" for k, r in ALLOWED])
def test_every_role_the_matrix_allows_gets_through(
        world: World, tmp_path: Path, key: str, who: str) -> None:
    entry = PROBES[key]
    svc = open_copy(world, tmp_path / "station")
    try:
        entry.call(svc, world.actors[who], world)
    except PermissionDenied as err:
        pytest.fail(f"{key} refused {who}: {err}")
    except RuleViolation:
        if not entry.may_refuse:
            raise
    finally:
        svc.close()


# -- the table is complete --------------------------------------------------------------------

def _entry_points() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(app.services.__path__):
        if info.name.startswith("demo"):
            continue
        module = importlib.import_module(f"app.services.{info.name}")
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, fn in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("_") and "actor" in inspect.signature(fn).parameters:
                    found.add(f"{cls_name}.{name}")
    return found


def test_every_entry_point_that_takes_an_actor_is_probed_or_exempt_with_a_reason() -> None:
    probed = {key.partition(":")[0] for key in PROBES}
    missing = sorted(_entry_points() - probed - set(EXEMPT))
    assert not missing, f"add a probe (or an EXEMPT reason) for: {missing}"
    assert not probed & set(EXEMPT)
    assert all(reason.strip() for reason in EXEMPT.values())
    stale = sorted((probed | set(EXEMPT)) - _entry_points())
    assert not stale, f"entries for entry points that are gone: {stale}"


def test_every_permission_is_probed() -> None:
    unprobed = set(Permission) - {e.permission for e in PROBES.values()}
    assert not unprobed, f"give these a probe: {sorted(unprobed)}"


def test_every_move_the_state_machine_knows_is_probed_or_made_by_a_visit() -> None:
    probed = {key.partition(":")[2] for key in PROBES if key.startswith("OrderService.transition")}
    assert probed | {Action.VISIT.value} == {a.value for a in Action}


def test_every_refusal_reads_in_chinese() -> None:
    set_language("zh_CN")
    untranslated = [text for text in DOING.values() if tr(text) == text]
    assert not untranslated, f"add the Chinese for: {untranslated}"
    err = PermissionDenied("Technicians may only {doing} on orders assigned to them.",
                           doing=DOING[P.ORDER_CHARGES])
    assert render(err) == "维修工程师只能在派给自己的工单上修改收费明细。"
