"""Parts on orders: issue and return balance exactly through the ledger and the order's part
line, stock never goes below zero (two technicians taking the last unit from two connections:
one wins), who may issue and when, the charge editor cannot touch part lines, reservations
hold stock for their order, and old parts are created exactly when an in-warranty order uses
a part whose old part must go back."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from app.bootstrap import build_services
from app.domain.enums import ChargeKind, Role
from app.domain.errors import RuleViolation
from app.domain.parts import MovementKind, OldPartStatus, part_id
from app.domain.state_machine import Action
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.errors import PermissionDenied, StaleEdit
from app.services.orders import ChargeInput
from app.services.sync_apply import apply_change
from app.store.database import Database
from app.store.models import (
    ChargeLine,
    OldPart,
    OutboxOp,
    Part,
    StockMovement,
    StockReservation,
)
from sync import protocol as p
from tests.services.helpers import new_order

IN_WARRANTY = date(2026, 1, 10)  # the clock stands at 2026-06-01; 12 months' warranty
OUT_OF_WARRANTY = date(2024, 3, 1)


def make_part(services, part_no: str = "GR-CAP-35", *, stock: int = 5,
              return_required: bool = False, warranty_months: int | None = None,
              price: int = 4500) -> Part:
    with services.db.write() as s:
        part = Part(id=part_id(part_no), part_no=part_no, name="启动电容", unit="个",
                    retail_price_fen=price, station_price_fen=3000,
                    return_required=return_required, warranty_months=warranty_months)
        s.add(part)
        s.flush()
        if stock:
            ledger.post(s, SYSTEM, part=part, kind=MovementKind.RECEIVED, quantity=stock,
                        now=services.orders.clock())
    return part


def assigned_order(services, station, tech: str = "tech", *, purchase: date | None = None,
                   serial: str = "SN0001", phone: str = "13812345678"):
    return new_order(services, station["clerk"], technician_id=station[tech].user_id,
                     purchase_date=purchase, serial=serial, phone=phone)


def on_hand(services, part: Part) -> int:
    with services.db.read() as s:
        return ledger.on_hand(s, part.id)


def old_parts(services, order_id: str) -> list[OldPart]:
    with services.db.read() as s:
        return list(s.scalars(select(OldPart).where(OldPart.order_id == order_id)
                              .order_by(OldPart.tag_no)))


def last_order_payload(services, order_id: str) -> dict:
    with services.db.read() as s:
        op = s.scalars(select(OutboxOp).where(OutboxOp.entity_id == order_id)
                       .order_by(OutboxOp.seq.desc()).limit(1)).one()
    return json.loads(op.payload) | {"_base": op.base_revision, "_action": op.action}


def test_issue_and_return_balance_exactly(services, station) -> None:
    part = make_part(services, stock=5)
    order = assigned_order(services, station)
    tech = station["tech"]
    after = services.order_parts.issue(tech, order.id, part.id, 2, order.revision)
    after = services.order_parts.issue(tech, order.id, part.id, 1, after.revision)
    [line] = after.charges
    assert (line.kind, line.description, line.quantity, line.unit_price_fen, line.part_id) == (
        ChargeKind.PARTS, "GR-CAP-35 启动电容", 3, 4500, part.id)
    assert on_hand(services, part) == 2
    payload = last_order_payload(services, order.id)
    assert payload["revision"] == after.revision == order.revision + 2
    assert payload["_base"] == after.revision - 1 and payload["_action"] == "issue_parts"
    assert [(c["part_id"], c["quantity"]) for c in payload["charge_lines"]] == [(part.id, 3)]

    after = services.order_parts.return_parts(tech, order.id, part.id, 2, reason="没用上")
    assert [c.quantity for c in after.charges] == [1] and after.charges[0].id == line.id
    assert on_hand(services, part) == 4
    with pytest.raises(RuleViolation) as err:
        services.order_parts.return_parts(tech, order.id, part.id, 2)
    assert err.value.field == "quantity" and err.value.params["issued"] == 1
    after = services.order_parts.return_parts(tech, order.id, part.id, 1)
    assert after.charges == [] and on_hand(services, part) == 5
    assert last_order_payload(services, order.id)["charge_lines"] == []
    with services.db.read() as s:
        kinds = s.execute(select(StockMovement.kind, StockMovement.quantity,
                                 StockMovement.reference)
                          .where(StockMovement.order_id == order.id)
                          .order_by(StockMovement.created_at, StockMovement.id)).all()
    assert sorted(q for _, q, _ in kinds) == [-2, -1, 1, 2]
    assert {r for _, _, r in kinds} == {order.number}
    assert services.order_parts.lines(order.id) == []


def test_stock_never_goes_below_zero_and_nothing_is_stored(services, station) -> None:
    part = make_part(services, stock=1)
    order = assigned_order(services, station)
    with pytest.raises(RuleViolation) as err:
        services.order_parts.issue(station["tech"], order.id, part.id, 2)
    assert err.value.field == "quantity" and err.value.params["have"] == 1
    detail = services.orders.detail(order.id)
    assert detail.charges == [] and detail.revision == order.revision
    assert on_hand(services, part) == 1
    for bad in (0, -1, 1.5, True):
        with pytest.raises(RuleViolation):
            services.order_parts.issue(station["tech"], order.id, part.id, bad)


def test_two_technicians_issuing_the_last_unit_at_once_one_succeeds(services, station,
                                                                     clock) -> None:
    part = make_part(services, stock=1)
    orders = [assigned_order(services, station, "tech", serial="S1"),
              assigned_order(services, station, "tech2", serial="S2", phone="13912345678")]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(actor, order_id: str) -> None:
        own = build_services(services.paths, Database.open(services.paths.database,
                                                           key=services.db.key), clock)
        try:
            barrier.wait()
            own.order_parts.issue(actor, order_id, part.id, 1)
            results.append("ok")
        except RuleViolation:
            results.append("refused")
        finally:
            own.close()

    threads = [threading.Thread(target=take, args=(station[who], o.id))
               for who, o in zip(("tech", "tech2"), orders, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok", "refused"]
    assert on_hand(services, part) == 0
    lines = [services.orders.detail(o.id).charges for o in orders]
    assert sorted(len(c) for c in lines) == [0, 1]


def test_who_may_issue(services, station) -> None:
    part = make_part(services)
    order = assigned_order(services, station)
    with pytest.raises(PermissionDenied):
        services.order_parts.issue(station["clerk"], order.id, part.id, 1)
    with pytest.raises(PermissionDenied) as err:
        services.order_parts.issue(station["tech2"], order.id, part.id, 1)
    assert err.value.params["doing"] == "issue parts"
    with pytest.raises(PermissionDenied):
        services.order_parts.return_parts(station["clerk"], order.id, part.id, 1)
    assert on_hand(services, part) == 5
    services.order_parts.issue(station["manager"], order.id, part.id, 1)
    services.order_parts.issue(station["tech"], order.id, part.id, 1)
    with pytest.raises(PermissionDenied):
        services.order_parts.return_parts(station["tech2"], order.id, part.id, 1)
    assert on_hand(services, part) == 3


def test_a_stale_revision_is_refused(services, station) -> None:
    part = make_part(services)
    order = assigned_order(services, station)
    with pytest.raises(StaleEdit):
        services.order_parts.issue(station["tech"], order.id, part.id, 1, order.revision - 1)
    assert on_hand(services, part) == 5


def test_a_completed_order_takes_no_parts(services, station) -> None:
    part = make_part(services)
    order = assigned_order(services, station)
    tech = station["tech"]
    services.order_parts.issue(tech, order.id, part.id, 1)
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    services.orders.transition(tech, order.id, Action.COMPLETE)
    for call in (services.order_parts.issue, services.order_parts.return_parts):
        with pytest.raises(RuleViolation) as err:
            call(tech, order.id, part.id, 1)
        assert err.value.field == "status"
    assert on_hand(services, part) == 4
    with pytest.raises(RuleViolation) as err:
        services.order_parts.issue(tech, "no-such-order", part.id, 1)
    with pytest.raises(RuleViolation):
        services.order_parts.issue(tech, order.id, part_id("NO-SUCH-PART"), 1)


def test_the_charge_editor_cannot_touch_part_lines(services, station) -> None:
    part = make_part(services)
    order = assigned_order(services, station)
    tech = station["tech"]
    detail = services.order_parts.issue(tech, order.id, part.id, 2)
    [line] = detail.charges
    labour = ChargeInput(ChargeKind.LABOUR, "维修工时费", 1, 5000)
    # given back as read (with its id) or as plain content: kept, the same row
    detail = services.orders.set_charges(tech, order.id, [labour, line], detail.revision)
    assert [c.description for c in detail.charges] == ["维修工时费", line.description]
    assert detail.charges[1].id == line.id and detail.charges[1].part_id == part.id
    plain = ChargeInput(line.kind, line.description, line.quantity, line.unit_price_fen)
    detail = services.orders.set_charges(tech, order.id, [plain], detail.revision)
    assert [c.id for c in detail.charges] == [line.id]
    refused = [
        [],  # dropped
        [ChargeInput(ChargeKind.PARTS, line.description, 3, line.unit_price_fen)],  # changed
        [type(line)(line.kind, line.description, 5, line.unit_price_fen, line.id, part.id)],
        [line, type(line)(ChargeKind.PARTS, "偷偷加的", 1, 1, "", part.id)],  # added
    ]
    for lines in refused:
        with pytest.raises(RuleViolation) as err:
            services.orders.set_charges(tech, order.id, lines, detail.revision)
        assert err.value.field == "charges"
    assert services.orders.detail(order.id).charges == detail.charges
    assert on_hand(services, part) == 3


def test_reserved_units_are_kept_for_their_order(services, station) -> None:
    part = make_part(services, stock=2)
    waiting = assigned_order(services, station, "tech", serial="S1")
    other = assigned_order(services, station, "tech2", serial="S2", phone="13912345678")
    tech, tech2 = station["tech"], station["tech2"]
    with pytest.raises(PermissionDenied):
        services.order_parts.reserve(station["clerk"], waiting.id, part.id, 1)
    held = services.order_parts.reserve(tech, waiting.id, part.id, 2)
    assert (held.on_hand, held.reserved, held.available) == (2, 2, 2)
    assert services.order_parts.availability(part.id).available == 0
    with pytest.raises(RuleViolation) as err:
        services.order_parts.issue(tech2, other.id, part.id, 1)
    assert err.value.params["held"] == 2 and err.value.params["free"] == 0
    # an order may wait for more than there is: head office's order counts it
    assert services.order_parts.reserve(tech, waiting.id, part.id, 3).reserved == 5
    services.order_parts.issue(tech, waiting.id, part.id, 2)
    with services.db.read() as s:
        assert ledger.reserved(s, part.id) == 3
        rows = s.scalars(select(StockReservation)).all()
        ops = s.scalar(select(func.count()).select_from(OutboxOp)
                       .where(OutboxOp.entity == "stock_reservation"))
    assert [r.quantity for r in rows] == [3] and ops == 3
    [line] = services.order_parts.lines(waiting.id)
    assert (line.issued, line.reserved) == (2, 3)
    assert services.order_parts.release(tech, waiting.id, part.id).reserved == 0
    services.order_parts.reserve(tech, waiting.id, part.id, 1)
    services.orders.transition(tech, waiting.id, Action.START_ON_SITE)
    services.orders.transition(tech, waiting.id, Action.COMPLETE)
    assert services.order_parts.availability(part.id).reserved == 0


def test_old_parts_exactly_when_in_warranty_and_return_required(services, station) -> None:
    tech = station["tech"]
    must = make_part(services, "AC-COMP-1", return_required=True)
    free = make_part(services, "AC-FILTER", return_required=False)
    compressor = make_part(services, "AC-COMP-5Y", return_required=True, warranty_months=60)
    in_w = assigned_order(services, station, purchase=IN_WARRANTY, serial="W1")
    out_w = assigned_order(services, station, purchase=OUT_OF_WARRANTY, serial="W2",
                           phone="13912345678")
    unknown = assigned_order(services, station, purchase=None, serial="W3",
                             phone="13712345678")
    services.order_parts.issue(tech, in_w.id, must.id, 2)
    services.order_parts.issue(tech, in_w.id, free.id, 1)
    services.order_parts.issue(tech, out_w.id, must.id, 1)
    services.order_parts.issue(tech, unknown.id, must.id, 1)
    # the part's own five years cover it although the unit's year is over
    services.order_parts.issue(tech, out_w.id, compressor.id, 1)
    olds = old_parts(services, in_w.id)
    assert [o.tag_no for o in olds] == ["OP-BJ001-20260601-0001", "OP-BJ001-20260601-0002"]
    assert {o.part_id for o in olds} == {must.id}
    assert {o.status for o in olds} == {OldPartStatus.COLLECTED.value}
    line = next(c for c in services.orders.detail(in_w.id).charges if c.part_id == must.id)
    assert {o.charge_line_id for o in olds} == {line.id}
    assert [o.part_id for o in old_parts(services, out_w.id)] == [compressor.id]
    assert old_parts(services, unknown.id) == []
    with services.db.read() as s:
        assert ledger.old_on_hand(s, must.id) == 2 and ledger.on_hand(s, must.id) == 1
        assert ledger.old_on_hand(s, free.id) == 0
    [tags] = [p.old_part_tags for p in services.order_parts.lines(in_w.id)
              if p.part_id == must.id]
    assert tags == ("OP-BJ001-20260601-0001", "OP-BJ001-20260601-0002")


def test_returning_the_new_part_takes_its_old_part_away(services, station) -> None:
    tech = station["tech"]
    part = make_part(services, "AC-COMP-1", return_required=True)
    order = assigned_order(services, station, purchase=IN_WARRANTY)
    services.order_parts.issue(tech, order.id, part.id, 2)
    first, second = old_parts(services, order.id)
    services.order_parts.return_parts(tech, order.id, part.id, 1)
    assert [o.id for o in old_parts(services, order.id)] == [first.id]
    with services.db.read() as s:
        assert ledger.old_on_hand(s, part.id) == 1 and ledger.on_hand(s, part.id) == 4
        correction = s.scalars(select(StockMovement).where(
            StockMovement.kind == MovementKind.OLD_COLLECTED.value,
            StockMovement.quantity < 0)).one()
        gone = s.scalars(select(OutboxOp).where(OutboxOp.entity_id == second.id)
                         .order_by(OutboxOp.seq)).all()
    assert correction.reference == second.tag_no and correction.order_id == order.id
    assert [o.op for o in gone] == ["upsert", "delete"]
    # once packed, the old part must leave its shipment before the new part can go back
    ship = services.old_parts.create_shipment(tech, [first.id])
    with pytest.raises(RuleViolation) as err:
        services.order_parts.return_parts(tech, order.id, part.id, 1)
    assert err.value.params["tag"] == first.tag_no
    assert err.value.params["shipment"] == ship.number
    services.old_parts.remove_from_shipment(tech, ship.id, first.id)
    services.order_parts.return_parts(tech, order.id, part.id, 1)
    assert old_parts(services, order.id) == []
    with services.db.read() as s:
        assert ledger.old_on_hand(s, part.id) == 0 and ledger.on_hand(s, part.id) == 5
        assert s.scalar(select(func.count()).select_from(ChargeLine)) == 0


def test_old_parts_are_never_sellable(services, station) -> None:
    part = make_part(services, "AC-COMP-1", stock=1, return_required=True)
    order = assigned_order(services, station, purchase=IN_WARRANTY)
    services.order_parts.issue(station["tech"], order.id, part.id, 1)
    other = assigned_order(services, station, "tech2", serial="S9", phone="13912345678")
    with pytest.raises(RuleViolation) as err:
        services.order_parts.issue(station["tech2"], other.id, part.id, 1)
    assert err.value.params["have"] == 0
    assert station["manager"].role is Role.MANAGER


def test_a_cancel_from_head_office_releases_the_reservation(services, station, clock) -> None:
    part = make_part(services, stock=1)
    order = assigned_order(services, station)
    services.order_parts.reserve(station["tech"], order.id, part.id, 1)
    with services.db.write() as s:
        apply_change(s, p.Change(7, p.HqEntity.CANCEL_ORDER.value, order.id, "event",
                                 {"order_id": order.id, "reason": "客户取消"}), clock())
    assert services.orders.detail(order.id).status.value == "cancelled"
    assert services.order_parts.availability(part.id).reserved == 0


def test_writes_announce_what_changed(services, station) -> None:
    part = make_part(services, "AC-COMP-1", return_required=True)
    order = assigned_order(services, station, purchase=IN_WARRANTY)
    seen: list[frozenset[str]] = []
    services.bus.subscribe(seen.append)
    services.order_parts.issue(station["tech"], order.id, part.id, 1)
    services.order_parts.reserve(station["tech"], order.id, part.id, 1)
    [old] = services.old_parts.collected()
    services.old_parts.create_shipment(station["tech"], [old.id])
    assert {"orders", "stock", "old_parts", "outbox"} <= seen[0]
    assert {"stock", "outbox"} <= seen[1] and "orders" not in seen[1]
    assert {"old_parts", "outbox"} <= seen[2]
