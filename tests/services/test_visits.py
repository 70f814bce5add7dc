"""Return visits: the queue (due within 3 days of completion, overdue after), unreachable
attempts with their times, the visit with four required scores that moves the order to
VISITED, the complaint order it may open (linked both ways), everything in one transaction
with its audit and outbox; who may call; and every bad input refused with nothing stored."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrderStatus, OrderType
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.domain.visits import Aspect, VisitStatus
from app.services.errors import NotFound, PermissionDenied, StaleEdit
from app.store.models import AuditEntry, OutboxOp, ReturnVisit, ServiceOrder, VisitAttempt
from tests.services.helpers import new_order

ALL_FIVE = {"speed": 5, "attitude": 5, "quality": 5, "price": 5}


def completed(services, station, clock, *, worker: str = "tech", **kw):
    """An order taken by the clerk, serviced by ``worker`` and completed now."""
    clerk, doer = station["clerk"], station[worker]
    order = new_order(services, clerk, technician_id=doer.user_id, **kw)
    services.orders.transition(doer, order.id, Action.START_ON_SITE)
    return services.orders.transition(doer, order.id, Action.COMPLETE)


def visit_counts(services) -> dict[str, int]:
    with services.db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (ReturnVisit, VisitAttempt, ServiceOrder, OutboxOp, AuditEntry)}


def outbox(services, entity: str) -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).where(OutboxOp.entity == entity)
                              .order_by(OutboxOp.seq)))


# -- the queue ----------------------------------------------------------------------------------
def test_queue_lists_completed_orders_by_due_date_with_overdue_flag(services, station,
                                                                     clock) -> None:
    first = completed(services, station, clock, serial="Q1")
    clock.now += timedelta(days=2)
    second = completed(services, station, clock, serial="Q2", phone="13912345678")
    open_order = new_order(services, station["clerk"], serial="Q3", phone="13712345678")
    today = clock.now.astimezone().date()
    rows = services.visits.queue(today)
    assert [r.order_id for r in rows] == [first.id, second.id]
    assert open_order.id not in [r.order_id for r in rows]
    assert rows[0].due_on == (first.cleared_at.astimezone() + timedelta(days=3)).date()
    assert rows[0].customer_name == "李雷" and rows[0].phone == "13812345678"
    assert rows[0].product_model == "KFR-35GW" and rows[0].technician_name == "王师傅"
    assert not rows[0].overdue  # due on day 3, today is day 2
    later = services.visits.queue(today + timedelta(days=2))
    assert [r.overdue for r in later] == [True, False]
    # on the due day itself the call is still on time
    assert not services.visits.queue(rows[0].due_on)[0].overdue


def test_due_days_is_a_setting_within_limits(services) -> None:
    from app.services.visits import VisitService

    assert VisitService(services.db, services.bus, services.orders, due_days=7).due_days == 7
    with pytest.raises(RuleViolation) as err:
        VisitService(services.db, services.bus, services.orders, due_days=-1)
    assert err.value.field == "due_days"


def test_a_visited_order_leaves_the_queue(services, station, clock) -> None:
    order = completed(services, station, clock)
    services.visits.record_visit(station["clerk"], order.id, ALL_FIVE)
    assert services.visits.queue() == []


# -- attempts -----------------------------------------------------------------------------------
def test_unreachable_attempt_records_its_utc_time_and_syncs(services, station, clock) -> None:
    order = completed(services, station, clock)
    clock.now += timedelta(hours=20)
    first_time = clock.now
    info = services.visits.record_attempt(station["clerk"], order.id, "无人接听")
    clock.now += timedelta(hours=3)
    info = services.visits.record_attempt(station["clerk"], order.id, "空号")
    assert info.status is VisitStatus.PENDING and info.scores is None
    assert [(a.attempted_at, a.note, a.by) for a in info.attempts] == [
        (first_time, "无人接听", "李信息"), (clock.now, "空号", "李信息")]
    assert info.attempts[0].attempted_at.utcoffset() == timedelta(0)
    row = services.visits.queue()[0]
    assert row.attempts == 2 and row.last_attempt_at == clock.now and row.last_attempt_note == "空号"
    ops = outbox(services, "return_visit")
    assert [op.action for op in ops] == ["attempt", "attempt"]
    assert [op.base_revision for op in ops] == [0, 1]
    payload = json.loads(ops[-1].payload)
    assert payload["order_id"] == order.id and payload["status"] == "pending"
    assert [a["note"] for a in payload["attempts"]] == ["无人接听", "空号"]
    # the order itself is not changed by a call that reached nobody
    assert services.orders.detail(order.id).status is OrderStatus.COMPLETED


def test_attempt_note_too_long_stores_nothing(services, station, clock) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_attempt(station["clerk"], order.id, "无" * 201)
    assert err.value.field == "note"
    assert visit_counts(services) == before


# -- the visit ----------------------------------------------------------------------------------
def test_visit_records_four_scores_and_moves_the_order_in_one_transaction(
        services, station, clock) -> None:
    order = completed(services, station, clock)
    services.visits.record_attempt(station["clerk"], order.id)
    clock.now += timedelta(days=1)
    seq_before = len(outbox(services, "service_order"))
    result = services.visits.record_visit(
        station["clerk"], order.id, {Aspect.SPEED: 4, Aspect.ATTITUDE: 5, "quality": 3,
                                     "price": 4}, "  师傅很细心  ")
    visit = result.visit
    assert visit.status is VisitStatus.DONE
    assert visit.scores.as_tuple() == (4, 5, 3, 4)
    assert visit.comments == "师傅很细心" and visit.visited_at == clock.now
    assert visit.visited_by == "李信息" and len(visit.attempts) == 1
    assert result.complaint is None
    detail = result.order
    # the order keeps one number for older reports: the lowest of the four
    assert detail.status is OrderStatus.VISITED and detail.satisfaction == 3
    assert detail.visited_at == clock.now
    assert detail.links.visit_scores == (4, 5, 3, 4)
    assert detail.links.visit_comments == "师傅很细心"
    orders_ops = outbox(services, "service_order")
    assert len(orders_ops) == seq_before + 1 and orders_ops[-1].action == "visit"
    visit_ops = outbox(services, "return_visit")
    assert [op.action for op in visit_ops] == ["attempt", "visit"]
    payload = json.loads(visit_ops[-1].payload)
    assert (payload["speed_score"], payload["attitude_score"], payload["quality_score"],
            payload["price_score"]) == (4, 5, 3, 4)
    assert payload["status"] == "done" and len(payload["attempts"]) == 1
    # the visit and the order's move are one transaction: adjacent outbox rows
    with services.db.read() as s:
        last = s.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc()).limit(2)).all()
        audit = s.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "return_visit")).all()
    assert {op.entity for op in last} == {"service_order", "return_visit"}
    assert audit == ["attempt", "visit"]
    assert services.visits.visit_of(order.id) == visit


def test_visit_opens_a_linked_complaint_order(services, station, clock) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    result = services.visits.record_visit(
        station["clerk"], order.id, {"speed": 2, "attitude": 4, "quality": 1, "price": 3},
        "修完两天又不制冷", open_complaint=True, complaint_text="回访不满意：修后两天又不制冷")
    complaint = result.complaint
    assert complaint is not None and result.visit.complaint_order_id == complaint.id
    assert complaint.order_type is OrderType.COMPLAINT
    assert complaint.status is OrderStatus.RECEIVED
    assert complaint.fault_description == "回访不满意：修后两天又不制冷"
    assert complaint.customer.id == result.order.customer.id
    assert complaint.product.id == result.order.product.id
    assert complaint.contact_phone == order.contact_phone
    assert complaint.number != order.number
    # the link both ways
    assert complaint.links.related_order.id == order.id
    assert complaint.links.related_order.number == order.number
    assert [c.id for c in result.order.links.complaints] == [complaint.id]
    assert result.order.satisfaction == 1
    after = visit_counts(services)
    assert after["return_visits"] == before["return_visits"] + 1
    assert after["service_orders"] == before["service_orders"] + 1
    ops = outbox(services, "service_order")
    created = json.loads(ops[-1].payload)
    assert created["related_order_id"] == order.id and created["order_type"] == "complaint"


def test_a_failing_complaint_rolls_back_the_visit(services, station, clock,
                                                   monkeypatch) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.orders, "create_in", broken)
    with pytest.raises(RuntimeError):
        services.visits.record_visit(station["clerk"], order.id, ALL_FIVE,
                                     open_complaint=True, complaint_text="投诉")
    assert visit_counts(services) == before
    assert services.orders.detail(order.id).status is OrderStatus.COMPLETED


def test_complaint_text_is_required_when_a_complaint_is_opened(services, station,
                                                              clock) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_visit(station["clerk"], order.id, ALL_FIVE,
                                     open_complaint=True, complaint_text="   ")
    assert err.value.field == "complaint_text"
    assert visit_counts(services) == before


@pytest.mark.parametrize("aspect", ["speed", "attitude", "quality", "price"])
@pytest.mark.parametrize("bad", [None, 0, 6, -1, "3", 3.0, True])
def test_each_score_missing_or_outside_1_to_5_is_refused_naming_it(
        services, station, clock, aspect, bad) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    scores = dict(ALL_FIVE)
    if bad is None:
        del scores[aspect]
    else:
        scores[aspect] = bad
    with pytest.raises(RuleViolation) as err:
        services.visits.record_visit(station["clerk"], order.id, scores)
    assert err.value.field == f"score_{aspect}"
    from app.domain.visits import ASPECT_LABELS

    assert err.value.params["aspect"] == ASPECT_LABELS[Aspect(aspect)]
    assert visit_counts(services) == before
    assert services.orders.detail(order.id).status is OrderStatus.COMPLETED


def test_scores_that_are_not_a_mapping_are_refused(services, station, clock) -> None:
    order = completed(services, station, clock)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_visit(station["clerk"], order.id, [5, 5, 5, 5])  # type: ignore
    assert err.value.field == "scores"


def test_error_names_the_aspect_in_chinese(services, station, clock) -> None:
    from app.i18n import render

    order = completed(services, station, clock)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_visit(station["clerk"], order.id,
                                     {"speed": 5, "attitude": 5, "quality": 5})
    assert "收费合理" in render(err.value)


@pytest.mark.parametrize("comments", ["意" * 2001, "客户说\udc80"])
def test_bad_comments_store_nothing(services, station, clock, comments) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_visit(station["clerk"], order.id, ALL_FIVE, comments)
    assert err.value.field == "comments"
    assert visit_counts(services) == before


def test_only_a_completed_order_is_visited(services, station, clock) -> None:
    order = new_order(services, station["clerk"])
    before = visit_counts(services)
    for call in (lambda: services.visits.record_visit(station["clerk"], order.id, ALL_FIVE),
                 lambda: services.visits.record_attempt(station["clerk"], order.id)):
        with pytest.raises(RuleViolation) as err:
            call()
        assert err.value.field == "status"
    assert visit_counts(services) == before
    done = completed(services, station, clock, serial="X2", phone="13912345678")
    services.visits.record_visit(station["clerk"], done.id, ALL_FIVE)
    with pytest.raises(RuleViolation):  # visited already
        services.visits.record_visit(station["clerk"], done.id, ALL_FIVE)


def test_unknown_order_and_bad_ids(services, station) -> None:
    with pytest.raises(NotFound):
        services.visits.record_visit(station["clerk"], "no-such-order", ALL_FIVE)
    with pytest.raises(RuleViolation) as err:
        services.visits.record_attempt(station["clerk"], "bad\udc80id")
    assert err.value.field == "order_id"


def test_stale_revision_is_refused(services, station, clock) -> None:
    order = completed(services, station, clock)
    with pytest.raises(StaleEdit):
        services.visits.record_visit(station["clerk"], order.id, ALL_FIVE,
                                     expected_revision=order.revision - 1)
    services.visits.record_visit(station["clerk"], order.id, ALL_FIVE,
                                 expected_revision=order.revision)


# -- one way to visit -----------------------------------------------------------------------------
def test_a_bare_visit_move_is_refused(services, station, clock) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    with pytest.raises(RuleViolation) as err:
        services.orders.transition(station["clerk"], order.id, Action.VISIT)
    assert err.value.field == "status"
    assert visit_counts(services) == before


# -- who may call ---------------------------------------------------------------------------------
def test_technicians_make_no_return_visits(services, station, clock) -> None:
    order = completed(services, station, clock)
    before = visit_counts(services)
    for who in ("tech", "tech2"):
        with pytest.raises(PermissionDenied):
            services.visits.record_visit(station[who], order.id, ALL_FIVE)
        with pytest.raises(PermissionDenied):
            services.visits.record_attempt(station[who], order.id)
    assert visit_counts(services) == before


def test_the_manager_may_call_even_on_an_order_he_serviced(services, station, clock) -> None:
    # a small station may have nobody else to make the call
    order = completed(services, station, clock, worker="manager")
    result = services.visits.record_visit(station["manager"], order.id, ALL_FIVE)
    assert result.order.status is OrderStatus.VISITED


def test_technicians_are_refused_by_the_service_itself(services, station, clock) -> None:
    """The attempt never reaches the state machine: only the service's role check stops it."""
    order = completed(services, station, clock)
    with pytest.raises(PermissionDenied) as err:
        services.visits.record_attempt(station["tech2"], order.id, "无人接听")
    assert err.value.params["doing"] == "make return visits"


def test_a_complaint_opens_even_when_the_product_has_other_open_orders(
        services, station, clock) -> None:
    """The new-order warnings (another open order of the serial) do not stop a complaint:
    it follows up an order, it is not a new call; the reason is kept in the audit."""
    from app.domain.enums import OrderSource, ServiceMode
    from app.services.order_warnings import ACK_ACTION, Ack
    from app.services.orders import NewOrder

    order = completed(services, station, clock)
    services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "又不制冷了",
        order.contact_phone, customer_id=order.customer.id, product_id=order.product.id),
        acknowledged=Ack("客户再次来电"))
    result = services.visits.record_visit(station["clerk"], order.id, ALL_FIVE,
                                          open_complaint=True, complaint_text="客户投诉")
    assert result.complaint is not None
    with services.db.read() as s:
        reasons = s.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == ACK_ACTION, AuditEntry.entity_id == result.complaint.id)).all()
    assert reasons and order.number in reasons[0]


def test_the_order_move_itself_checks_the_role(services, station, clock) -> None:
    """``OrderService.visit_in`` holds the state machine's role rule on its own."""
    from app.store.models import ServiceOrder as Row

    order = completed(services, station, clock)
    with pytest.raises(RuleViolation), services.db.write() as s:
        services.orders.visit_in(s, station["tech"], s.get(Row, order.id), 5, clock.now)
    assert services.orders.detail(order.id).status is OrderStatus.COMPLETED
