"""Orders of parts to head office (零件订购) at the station: drafts stay local, submission
travels with the lines inline, head office's confirmation and shipment apply idempotently,
receipts are ledger movements never beyond what was shipped; suggestions from low stock and
from orders waiting for parts; who may do what; bad input refused with nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.domain.parts import MovementKind, PartsOrderStatus, part_id
from app.i18n import tr
from app.services import parts_orders
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.errors import PermissionDenied, StaleEdit
from app.services.parts_orders import LineInput, SuggestReason, suggested_quantity
from app.services.sync_apply import apply_change
from app.store.models import (
    AuditEntry,
    OutboxOp,
    Part,
    PartSetting,
    PartsOrder,
    PartsOrderLine,
    StockMovement,
    StockReservation,
    SyncConflict,
)
from sync import protocol as p
from tests.services.helpers import new_order

CAP, MOTOR, BELT = "GR-CAP-35", "GR-MOTOR-7", "XY-BELT-1"


@pytest.fixture
def parts(services, station) -> dict[str, Part]:
    made = {}
    with services.db.write() as s:
        for no, name, unit in ((CAP, "启动电容", "个"), (MOTOR, "风扇电机", "台"),
                               (BELT, "洗衣机皮带", "条")):
            part = Part(id=part_id(no), part_no=no, name=name, unit=unit,
                        retail_price_fen=4500, station_price_fen=3000)
            s.add(part)
            made[no] = part
    return made


def _counts(services) -> dict[str, int]:
    with services.db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (PartsOrder, PartsOrderLine, OutboxOp, AuditEntry, StockMovement)}


def _ops(services, entity: str = "parts_order") -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).where(OutboxOp.entity == entity)
                              .order_by(OutboxOp.seq)))


def _submitted(services, station, lines=((CAP, 4), (MOTOR, 2))):
    po = services.parts_orders
    draft = po.create_draft(station["manager"], [LineInput(n, q) for n, q in lines], "季度备货")
    return po.submit(station["manager"], draft.id, draft.revision)


def _hq(services, order, status: str, lines: dict[str, tuple[int, int]], hq_seq: int,
        note: str = "") -> set[str]:
    """Applies a parts_order_update as sync would: {part_no: (confirmed, shipped)}."""
    payload: dict[str, Any] = {
        "parts_order_id": order.id, "number": order.number, "status": status,
        "hq_revision": hq_seq, "note": note, "confirmed_at": "2026-06-01T03:00:00+00:00",
        "shipped_at": "2026-06-02T03:00:00+00:00" if status == "shipped" else None,
        "lines": [{"part_id": part_id(no), "part_no": no, "quantity": 0,
                   "confirmed_quantity": c, "shipped_quantity": sh}
                  for no, (c, sh) in lines.items()]}
    change = p.Change(hq_seq, p.HqEntity.PARTS_ORDER_UPDATE.value, order.id, "upsert", payload)
    with services.db.write() as s:
        return apply_change(s, change, services.parts_orders.clock())


def test_draft_stays_local_then_submission_travels_with_its_lines(services, station,
                                                                  parts) -> None:
    po = services.parts_orders
    draft = po.create_draft(station["manager"], [LineInput(CAP, 3)])
    assert draft.number == "PO-BJ001-20260601-0001"
    assert draft.status is PartsOrderStatus.DRAFT and draft.editable
    edited = po.update_draft(station["manager"], draft.id,
                             [LineInput(CAP, 4), LineInput(part_id(MOTOR), 2)], "季度备货",
                             draft.revision)
    assert [(x.part_no, x.quantity) for x in edited.lines] == [(CAP, 4), (MOTOR, 2)]
    assert _ops(services) == []  # the manager's scratchpad is not head office's business
    with pytest.raises(StaleEdit):
        po.update_draft(station["manager"], draft.id, [LineInput(CAP, 1)], "", draft.revision)
    sent = po.submit(station["manager"], edited.id, edited.revision)
    assert sent.status is PartsOrderStatus.SUBMITTED and sent.submitted_at is not None
    (op,) = _ops(services)
    payload = json.loads(op.payload)
    assert payload["number"] == draft.number and payload["status"] == "submitted"
    assert [(x["part_no"], x["quantity"]) for x in payload["lines"]] == [(CAP, 4), (MOTOR, 2)]
    assert po.find_by_number(draft.number.lower()).id == draft.id
    assert [r.number for r in po.list_orders(PartsOrderStatus.SUBMITTED)] == [draft.number]
    # a second order the same day takes the next number
    assert po.create_draft(station["manager"]).number == "PO-BJ001-20260601-0002"


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True, "2", ledger.MAX_QUANTITY + 1])
def test_a_quantity_that_is_not_a_whole_positive_number_is_refused(services, station, parts,
                                                                   quantity) -> None:
    before = _counts(services)
    with pytest.raises(RuleViolation) as err:
        services.parts_orders.create_draft(station["manager"], [LineInput(CAP, quantity)])
    assert err.value.field == "lines"
    assert _counts(services) == before


@pytest.mark.parametrize("lines, fragment", [
    ([LineInput("NO-SUCH-PART", 1)], "not in the catalogue"),
    ([LineInput(" ", 1)], "Choose the part"),
    ([LineInput(CAP, 1), LineInput(CAP.lower(), 2)], "entered twice"),
])
def test_unknown_blank_and_doubled_parts_are_refused(services, station, parts, lines,
                                                     fragment) -> None:
    before = _counts(services)
    with pytest.raises(RuleViolation) as err:
        services.parts_orders.create_draft(station["manager"], lines)
    assert fragment in err.value.template and err.value.field == "lines"
    assert _counts(services) == before


def test_a_part_head_office_stopped_supplying_is_refused(services, station, parts) -> None:
    draft = services.parts_orders.create_draft(station["manager"], [LineInput(BELT, 1)])
    with services.db.write() as s:
        s.get(Part, part_id(BELT)).active = False
    before = _counts(services)
    with pytest.raises(RuleViolation, match="no longer supplied"):
        services.parts_orders.submit(station["manager"], draft.id)
    with pytest.raises(RuleViolation, match="no longer supplied"):
        services.parts_orders.create_draft(station["manager"], [LineInput(BELT, 1)])
    assert _counts(services) == before


def test_an_empty_order_cannot_be_submitted(services, station, parts) -> None:
    draft = services.parts_orders.create_draft(station["manager"])
    before = _counts(services)
    with pytest.raises(RuleViolation) as err:
        services.parts_orders.submit(station["manager"], draft.id)
    assert err.value.field == "lines"
    assert _counts(services) == before
    assert services.parts_orders.detail(draft.id).status is PartsOrderStatus.DRAFT


def test_a_submitted_order_cannot_be_edited_or_submitted_again(services, station,
                                                               parts) -> None:
    sent = _submitted(services, station)
    before = _counts(services)
    with pytest.raises(RuleViolation) as err:
        services.parts_orders.update_draft(station["manager"], sent.id, [LineInput(CAP, 9)],
                                           "", sent.revision)
    assert "only a draft can be edited" in err.value.template
    assert err.value.params["status"] is PartsOrderStatus.SUBMITTED
    with pytest.raises(RuleViolation, match="only a draft can be submitted"):
        services.parts_orders.submit(station["manager"], sent.id)
    assert _counts(services) == before
    assert [x.quantity for x in services.parts_orders.detail(sent.id).lines] == [4, 2]


@pytest.mark.parametrize("role", ["clerk", "tech"])
def test_only_the_manager_drafts_edits_submits_and_cancels(services, station, parts,
                                                           role) -> None:
    po = services.parts_orders
    actor = station[role]
    draft = po.create_draft(station["manager"], [LineInput(CAP, 1)])
    before = _counts(services)
    with pytest.raises(PermissionDenied):
        po.create_draft(actor, [LineInput(CAP, 1)])
    with pytest.raises(PermissionDenied):
        po.update_draft(actor, draft.id, [LineInput(CAP, 2)], "", draft.revision)
    with pytest.raises(PermissionDenied):
        po.submit(actor, draft.id)
    with pytest.raises(PermissionDenied):
        po.cancel(actor, draft.id, "不要了")
    assert _counts(services) == before
    assert po.detail(draft.id).status is PartsOrderStatus.DRAFT


def test_head_office_confirms_fewer_and_ships_in_part_idempotently(services, station,
                                                                   parts) -> None:
    sent = _submitted(services, station)
    assert _hq(services, sent, "confirmed", {CAP: (3, 0), MOTOR: (2, 0)}, 41,
               note="电机缺货") == {"parts_orders", "outbox"}
    got = services.parts_orders.detail(sent.id)
    assert got.status is PartsOrderStatus.CONFIRMED and got.hq_note == "电机缺货"
    assert [x.confirmed_quantity for x in got.lines] == [3, 2]
    assert _hq(services, sent, "confirmed", {CAP: (3, 0), MOTOR: (2, 0)}, 41,
               note="电机缺货") == set()  # the page applied again changes nothing
    _hq(services, sent, "shipped", {CAP: (3, 3), MOTOR: (2, 0)}, 42, note="电机缺货")
    got = services.parts_orders.detail(sent.id)
    assert got.status is PartsOrderStatus.SHIPPED and got.receivable
    assert [x.awaiting for x in got.lines] == [3, 0]
    # the station pushes each new state of its record (submit, confirmed, shipped)
    assert [json.loads(o.payload)["status"] for o in _ops(services)] == [
        "submitted", "confirmed", "shipped"]


def test_receipts_are_ledger_movements_never_beyond_what_was_shipped(services, station,
                                                                     parts) -> None:
    po = services.parts_orders
    sent = _submitted(services, station)
    with pytest.raises(RuleViolation, match="has been shipped yet"):
        po.receive(station["clerk"], sent.id, [LineInput(CAP, 1)])
    _hq(services, sent, "confirmed", {CAP: (3, 0), MOTOR: (2, 0)}, 41)
    _hq(services, sent, "shipped", {CAP: (3, 3), MOTOR: (2, 1)}, 42)
    before = _counts(services)
    with pytest.raises(RuleViolation) as err:
        po.receive(station["clerk"], sent.id, [LineInput(CAP, 2), LineInput(MOTOR, 2)])
    assert err.value.params["awaiting"] == 1 and err.value.params["wanted"] == 2
    with pytest.raises(RuleViolation, match="is not on parts order"):
        po.receive(station["clerk"], sent.id, [LineInput(BELT, 1)])
    for bad in (0, -1, 1.5):
        with pytest.raises(RuleViolation):
            po.receive(station["clerk"], sent.id, [LineInput(CAP, bad)])
    with pytest.raises(RuleViolation, match="at least one part"):
        po.receive(station["clerk"], sent.id, [])
    assert _counts(services) == before  # the good first line of a refused receipt is not kept

    partly = po.receive(station["clerk"], sent.id, [LineInput(CAP, 2)])
    assert partly.status is PartsOrderStatus.PARTLY_RECEIVED
    _hq(services, sent, "shipped", {CAP: (3, 3), MOTOR: (2, 2)}, 43)  # the rest is on its way
    assert po.detail(sent.id).status is PartsOrderStatus.PARTLY_RECEIVED
    done = po.receive(station["manager"], sent.id, [LineInput(CAP, 1), LineInput(MOTOR, 2)])
    assert done.status is PartsOrderStatus.RECEIVED and not done.receivable
    assert [x.received_quantity for x in done.lines] == [3, 2]
    with services.db.read() as s:
        moves = s.scalars(select(StockMovement).order_by(StockMovement.created_at)).all()
        assert ledger.on_hand(s, part_id(CAP)) == 3 and ledger.on_hand(s, part_id(MOTOR)) == 2
    assert [(m.kind, m.quantity, m.reference, m.parts_order_id, m.username) for m in moves] == [
        (MovementKind.RECEIVED.value, 2, sent.number, sent.id, "clerk"),
        (MovementKind.RECEIVED.value, 1, sent.number, sent.id, "boss"),
        (MovementKind.RECEIVED.value, 2, sent.number, sent.id, "boss")]
    assert len(_ops(services, ledger.ENTITY)) == 3
    with pytest.raises(RuleViolation, match="nothing more can be received"):
        po.receive(station["manager"], sent.id, [LineInput(CAP, 1)])


def test_technicians_may_not_receive(services, station, parts) -> None:
    sent = _submitted(services, station)
    _hq(services, sent, "confirmed", {CAP: (4, 0), MOTOR: (2, 0)}, 41)
    _hq(services, sent, "shipped", {CAP: (4, 4), MOTOR: (2, 2)}, 42)
    before = _counts(services)
    with pytest.raises(PermissionDenied):
        services.parts_orders.receive(station["tech"], sent.id, [LineInput(CAP, 1)])
    assert _counts(services) == before
    assert services.parts_orders.receive(station["clerk"], sent.id,
                                         [LineInput(CAP, 1)]).lines[0].received_quantity == 1


def test_cancelling_a_draft_or_a_submitted_order(services, station, parts) -> None:
    po = services.parts_orders
    draft = po.create_draft(station["manager"], [LineInput(CAP, 1)])
    with pytest.raises(RuleViolation) as err:
        po.cancel(station["manager"], draft.id, "  ")
    assert err.value.field == "reason"
    assert po.cancel(station["manager"], draft.id, "录错了").status is PartsOrderStatus.CANCELLED
    assert _ops(services) == []  # head office never knew the draft
    sent = _submitted(services, station)
    po.cancel(station["manager"], sent.id, "客户已自购")
    last = json.loads(_ops(services)[-1].payload)
    assert last["status"] == "cancelled" and last["cancel_reason"] == "客户已自购"
    # head office answered before it saw the cancel: the cancel stands, a person looks at it
    assert _hq(services, sent, "confirmed", {CAP: (4, 0), MOTOR: (2, 0)}, 41) == {"conflicts"}
    assert po.detail(sent.id).status is PartsOrderStatus.CANCELLED
    with services.db.read() as s:
        conflict = s.scalar(select(SyncConflict))
    assert conflict.kind == "parts_order_cancelled" and conflict.entity_id == sent.id
    assert json.loads(_ops(services, "sync_conflict")[-1].payload)["hq_seq"] == 41


def test_a_confirmed_order_cannot_be_cancelled(services, station, parts) -> None:
    sent = _submitted(services, station)
    _hq(services, sent, "confirmed", {CAP: (4, 0), MOTOR: (2, 0)}, 41)
    before = _counts(services)
    with pytest.raises(RuleViolation, match="only a draft or a submitted order"):
        services.parts_orders.cancel(station["manager"], sent.id, "不要了")
    assert _counts(services) == before


def test_an_update_for_an_order_the_station_lacks_becomes_a_conflict(services, station,
                                                                     parts) -> None:
    ghost = PartsOrder(id="0c9f6a1e-0000-4000-8000-000000000001", number="PO-BJ001-X-9999")
    assert _hq(services, ghost, "confirmed", {CAP: (1, 0)}, 50) == {"conflicts"}
    with services.db.read() as s:
        assert s.scalar(select(SyncConflict.kind)) == "unknown_parts_order"


def test_a_malformed_quantity_from_head_office_is_refused(services, station, parts) -> None:
    sent = _submitted(services, station)
    with pytest.raises(ValueError):
        _hq(services, sent, "confirmed", {CAP: (-1, 0), MOTOR: (2, 0)}, 41)
    assert services.parts_orders.detail(sent.id).status is PartsOrderStatus.SUBMITTED


def test_suggested_quantity_rules() -> None:
    assert suggested_quantity(on_hand=2, reserved=0, on_order=0, threshold=5) == 8
    assert suggested_quantity(on_hand=5, reserved=0, on_order=0, threshold=5) == 5
    assert suggested_quantity(on_hand=6, reserved=0, on_order=0, threshold=5) == 0
    assert suggested_quantity(on_hand=2, reserved=0, on_order=6, threshold=5) == 0
    assert suggested_quantity(on_hand=1, reserved=4, on_order=0, threshold=0) == 3
    assert suggested_quantity(on_hand=1, reserved=4, on_order=0, threshold=2) == 7


def test_suggestions_from_low_stock_and_orders_waiting_for_parts(services, station,
                                                                 parts) -> None:
    manager = station["manager"]
    order = new_order(services, manager)
    with services.db.write() as s:
        s.add(PartSetting(part_id=part_id(CAP), low_stock_threshold=5))
        s.add(PartSetting(part_id=part_id(BELT), low_stock_threshold=1))
        s.add(StockReservation(part_id=part_id(MOTOR), order_id=order.id, quantity=2))
        ledger.post(s, SYSTEM, part=s.get(Part, part_id(CAP)), kind=MovementKind.RECEIVED,
                    quantity=2, now=services.parts_orders.clock())
        ledger.post(s, SYSTEM, part=s.get(Part, part_id(BELT)), kind=MovementKind.RECEIVED,
                    quantity=3, now=services.parts_orders.clock())
    got = {x.part_no: x for x in services.parts_orders.suggest()}
    assert set(got) == {CAP, MOTOR}  # the belt is above its threshold
    assert got[CAP].quantity == 8 and got[CAP].reasons == (SuggestReason.LOW_STOCK,)
    assert got[MOTOR].quantity == 2 and got[MOTOR].reasons == (SuggestReason.WAITING_ORDERS,)
    assert got[MOTOR].waiting_orders == 1 and got[MOTOR].reserved == 2
    assert all(tr(parts_orders.REASON_TEXT[r]) != parts_orders.REASON_TEXT[r]
               for r in SuggestReason)
    # what is already ordered is not suggested again
    services.parts_orders.create_draft(manager, [LineInput(CAP, 2)])
    got = {x.part_no: x for x in services.parts_orders.suggest()}
    assert got[CAP].on_order == 2 and got[CAP].quantity == 6
    services.parts_orders.create_draft(manager, [LineInput(CAP, 6)])
    assert CAP not in {x.part_no for x in services.parts_orders.suggest()}
