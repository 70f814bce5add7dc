"""Warranty claims at the station: the period's draft built from finished maker-paid orders
(labour per schedule, parts at station price with their tags, travel per band), findings per
line, overrides with a written reason kept, submission refused while anything is open and
then ONE outbox upsert with lines and overrides inline; nothing changes after submission;
who may do what; bad input refused with nothing stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.claims import Check, ClaimStatus, Severity
from app.domain.enums import OrderStatus, Payer
from app.domain.errors import RuleViolation
from app.i18n import render
from app.services.errors import PermissionDenied
from app.store.models import AuditEntry, ClaimBatch, ClaimLine, ClaimOverride, OutboxOp
from tests.services.claims_helpers import (
    CAP,
    COMP,
    LABOUR_FEE,
    TRAVEL_FEE,
    Shape,
    add_parts,
    finished_order,
    publish_policy,
)

PERIOD = "2026-05"


@pytest.fixture
def ready(services, station):
    publish_policy(services, station["manager"])
    add_parts(services)
    return station


def _counts(services) -> dict[str, int]:
    with services.db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (ClaimBatch, ClaimLine, ClaimOverride, OutboxOp, AuditEntry)}


def _claim_ops(services) -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).where(OutboxOp.entity == "claim_batch")
                              .order_by(OutboxOp.seq)))


def _checks(line) -> set[Check]:
    return {f.check for f in line.findings}


def test_build_gathers_the_periods_finished_maker_paid_orders(services, ready):
    boss = ready["manager"]
    clean = finished_order(services, boss, Shape(parts=((CAP, 2, 2),)))
    finished_order(services, boss, Shape(payer=Payer.CUSTOMER, serial="SN2"))  # out of warranty
    finished_order(services, boss, Shape(status=OrderStatus.ON_SITE, serial="SN3"))  # unfinished
    finished_order(services, boss, Shape(completed=datetime(2026, 4, 30, 6, tzinfo=UTC),
                                         serial="SN4"))  # another period
    batch = services.claims.build(boss, PERIOD)
    assert batch.status is ClaimStatus.DRAFT and batch.period == PERIOD
    assert batch.number.startswith("CB-BJ001-")
    assert {x.order_id for x in batch.lines} == {clean}
    kinds = [(x.kind, x.quantity, x.unit_fen, x.amount_fen, x.schedule_fen, bool(x.old_part_tag))
             for x in batch.lines]
    assert kinds == [("labour", 1, LABOUR_FEE, LABOUR_FEE, LABOUR_FEE, False),
                     ("parts", 1, 3000, 3000, 3000, True), ("parts", 1, 3000, 3000, 3000, True),
                     ("travel", 1, TRAVEL_FEE, TRAVEL_FEE, TRAVEL_FEE, False)]
    assert all(x.part_no == CAP for x in batch.lines if x.kind == "parts")
    assert batch.total_fen == LABOUR_FEE + 6000 + TRAVEL_FEE
    assert all(not x.findings for x in batch.lines)
    assert batch.submittable
    assert _claim_ops(services) == []  # a draft stays at the station


def test_rebuild_adds_new_orders_and_keeps_overrides(services, ready):
    boss = ready["manager"]
    finished_order(services, boss, Shape(serial=""))
    first = services.claims.build(boss, PERIOD)
    line = first.lines[0]
    services.claims.override(boss, first.id, line.id, "missing_serial", "铭牌脱落，已拍照")
    finished_order(services, boss, Shape(serial="SN9"))
    again = services.claims.build(boss, PERIOD)
    assert again.id == first.id and len(again.lines) == 4
    assert [o.reason for o in again.overrides] == ["铭牌脱落，已拍照"]
    assert again.lines[0].findings[0].overridden
    assert len(services.claims.list(PERIOD)) == 1


def test_findings_per_line(services, ready):
    boss = ready["manager"]
    old = finished_order(services, boss, Shape(completed=datetime(2026, 4, 25, 6, tzinfo=UTC),
                                               serial="SNR"))
    assert old
    repeat = finished_order(services, boss, Shape(serial="SNR", fault="空调不制冷，外机不转"))
    missing = finished_order(services, boss, Shape(serial="SNM", parts=((CAP, 2, 1),),
                                                   phone="", invoice=""))
    odd = finished_order(services, boss, Shape(serial="SNT", arrived_delta=timedelta(hours=1),
                                               labour_fen=LABOUR_FEE + 1, travel_km=30))
    late = finished_order(services, boss, Shape(serial="SNL", purchase=date(2025, 5, 19)))
    part_ok = finished_order(services, boss, Shape(serial="SNP", purchase=date(2025, 5, 1),
                                                   parts=((COMP, 1, 1),)))
    batch = services.claims.build(boss, PERIOD)
    by_order = {}
    for x in batch.lines:
        by_order.setdefault(x.order_id, []).append(x)
    assert _checks(by_order[repeat][0]) == {Check.REPEAT_REPAIR}
    assert by_order[repeat][0].findings[0].params["days"] == 25
    assert _checks(by_order[repeat][1]) == set()  # the order's findings sit on its first line
    first, tagged, untagged, _travel = by_order[missing]
    assert _checks(first) == {Check.MISSING_PHONE, Check.MISSING_PURCHASE_PROOF}
    assert _checks(tagged) == set() and _checks(untagged) == {Check.OLD_PART_MISSING}
    labour, travel = by_order[odd]
    assert _checks(labour) == {Check.IMPOSSIBLE_TIMES, Check.ABOVE_SCHEDULE}
    assert _checks(travel) == set()  # 30 km: the 50 km band's ¥50 allows the ¥30 claimed
    assert travel.schedule_fen == 5000
    assert labour.findings[0].severity is Severity.WARNING
    # bought 19 May 2025, 12 months: covered to 18 May 2026, served 20 May: blocked
    assert all(f.check is Check.AFTER_WARRANTY_END and f.severity is Severity.BLOCKED
               for x in by_order[late] for f in x.findings)
    # the unit is out of warranty, the compressor's 36 months are not: only its line passes
    labour, comp, _ = by_order[part_ok]
    assert Check.AFTER_WARRANTY_END in _checks(labour) and _checks(comp) == set()
    assert not batch.submittable


def test_override_needs_a_reason_and_only_for_warnings(services, ready):
    boss = ready["manager"]
    finished_order(services, boss, Shape(serial="", purchase=date(2025, 5, 19)))
    batch = services.claims.build(boss, PERIOD)
    line = batch.lines[0]
    before = _counts(services)
    for reason in ("", "   "):
        with pytest.raises(RuleViolation) as err:
            services.claims.override(boss, batch.id, line.id, "missing_serial", reason)
        assert err.value.field == "reason"
    with pytest.raises(RuleViolation) as err:
        services.claims.override(boss, batch.id, line.id, "after_warranty_end", "客户坚持")
    assert "cannot be overridden" in str(err.value)
    with pytest.raises(RuleViolation):
        services.claims.override(boss, batch.id, line.id, "repeat_repair", "没有这个警告")
    with pytest.raises(RuleViolation):
        services.claims.override(boss, batch.id, line.id, "no_such_check", "原因")
    assert _counts(services) == before
    with pytest.raises(RuleViolation) as err:
        services.claims.submit(boss, batch.id)
    text = render(err.value)
    assert "超出保修期" in text or "保修期" in text
    assert _counts(services) == before


def test_submit_pushes_one_upsert_with_lines_and_overrides(services, ready):
    boss = ready["manager"]
    order = finished_order(services, boss, Shape(serial="", parts=((CAP, 1, 1),)))
    batch = services.claims.build(boss, PERIOD)
    with pytest.raises(RuleViolation) as err:
        services.claims.submit(boss, batch.id)
    assert "缺少机号" not in render(err.value) and "机号" in render(err.value)
    services.claims.override(boss, batch.id, batch.lines[0].id, "missing_serial",
                             "机身铭牌磨损，已拍照存档")
    done = services.claims.submit(boss, batch.id)
    assert done.status is ClaimStatus.SUBMITTED and done.submitted_at is not None
    ops = _claim_ops(services)
    assert len(ops) == 1 and ops[0].op == "upsert" and ops[0].entity_id == batch.id
    payload = json.loads(ops[0].payload)
    assert payload["status"] == "submitted" and payload["number"] == batch.number
    assert payload["period"] == PERIOD
    assert [x["kind"] for x in payload["lines"]] == ["labour", "parts", "travel"]
    part = payload["lines"][1]
    assert part["part_no"] == CAP and part["old_part_tag"].startswith("OP-")
    assert set(part) == {"id", "order_id", "order_number", "kind", "description", "quantity",
                         "unit_fen", "amount_fen", "schedule_fen", "part_id", "part_no",
                         "old_part_id", "old_part_tag"}
    assert all(x["order_id"] == order for x in payload["lines"])
    assert sum(x["amount_fen"] for x in payload["lines"]) == done.total_fen
    [ov] = payload["overrides"]
    assert ov["check"] == "missing_serial" and ov["reason"] == "机身铭牌磨损，已拍照存档"
    assert ov["username"] == "boss" and ov["line_id"] == batch.lines[0].id


def test_nothing_changes_after_submission(services, ready):
    boss = ready["manager"]
    finished_order(services, boss)
    batch = services.claims.build(boss, PERIOD)
    services.claims.submit(boss, batch.id)
    late = finished_order(services, boss, Shape(serial="SN7"))
    before = _counts(services)
    for call in (lambda: services.claims.remove_line(boss, batch.id, batch.lines[0].id),
                 lambda: services.claims.override(boss, batch.id, batch.lines[0].id,
                                                  "missing_serial", "原因"),
                 lambda: services.claims.add_order(boss, batch.id, late),
                 lambda: services.claims.submit(boss, batch.id)):
        with pytest.raises(RuleViolation) as err:
            call()
        assert err.value.field in ("status", "check")
    assert _counts(services) == before
    # a late order of the period goes into a new draft of the same period
    second = services.claims.build(boss, PERIOD)
    assert second.id != batch.id and {x.order_id for x in second.lines} == {late}


def test_add_order_refuses_unfinished_out_of_warranty_and_claimed(services, ready):
    boss = ready["manager"]
    open_one = finished_order(services, boss, Shape(status=OrderStatus.ON_SITE, serial="A"))
    paid_by_customer = finished_order(services, boss, Shape(payer=Payer.CUSTOMER, serial="B"))
    claimed = finished_order(services, boss, Shape(serial="C"))
    batch = services.claims.build(boss, PERIOD)
    before = _counts(services)
    for key, words in ((open_one, "not finished"), (paid_by_customer, "nothing under warranty"),
                       (claimed, "already claimed")):
        with pytest.raises(RuleViolation) as err:
            services.claims.add_order(boss, batch.id, key)
        assert words in str(err.value)
        assert "{" not in render(err.value)
    assert _counts(services) == before


def test_remove_line_drops_its_overrides(services, ready):
    boss = ready["manager"]
    finished_order(services, boss, Shape(serial=""))
    batch = services.claims.build(boss, PERIOD)
    first = batch.lines[0]
    services.claims.override(boss, batch.id, first.id, "missing_serial", "原因")
    after = services.claims.remove_line(boss, batch.id, first.id)
    assert first.id not in {x.id for x in after.lines} and after.overrides == ()
    # the order's findings now sit on its remaining line
    assert _checks(after.lines[0]) == {Check.MISSING_SERIAL}


def test_mark_paid_only_when_settled(services, ready):
    boss = ready["manager"]
    finished_order(services, boss)
    batch = services.claims.build(boss, PERIOD)
    services.claims.submit(boss, batch.id)
    with pytest.raises(RuleViolation) as err:
        services.claims.mark_paid(boss, batch.id, "")
    assert err.value.field == "status"
    with services.db.write() as s:
        s.get(ClaimBatch, batch.id).status = ClaimStatus.SETTLED.value
    paid = services.claims.mark_paid(boss, batch.id, "工行到账")
    assert paid.status is ClaimStatus.PAID and paid.paid_note == "工行到账"
    ops = _claim_ops(services)
    assert len(ops) == 2 and json.loads(ops[-1].payload)["status"] == "paid"


@pytest.mark.parametrize("role", ["clerk", "tech"])
def test_only_the_manager_writes(services, ready, role):
    boss, other = ready["manager"], ready[role]
    finished_order(services, boss, Shape(serial=""))
    batch = services.claims.build(boss, PERIOD)
    line = batch.lines[0]
    before = _counts(services)
    calls = (lambda: services.claims.build(other, PERIOD),
             lambda: services.claims.add_order(other, batch.id, "x"),
             lambda: services.claims.remove_line(other, batch.id, line.id),
             lambda: services.claims.override(other, batch.id, line.id, "missing_serial", "r"),
             lambda: services.claims.submit(other, batch.id),
             lambda: services.claims.mark_paid(other, batch.id, ""))
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert _counts(services) == before
    assert services.claims.detail(batch.number).id == batch.id  # reading is open to all


def test_bad_period_refused(services, ready):
    before = _counts(services)
    for bad in ("2026-13", "May", "", "2026-5"):
        with pytest.raises(RuleViolation) as err:
            services.claims.build(ready["manager"], bad)
        assert err.value.field == "period"
    assert _counts(services) == before


def test_a_tag_or_an_order_claimed_twice_blocks(services, ready):
    boss = ready["manager"]
    order = finished_order(services, boss, Shape(parts=((CAP, 1, 1),)))
    batch = services.claims.build(boss, PERIOD)
    tagged = next(x for x in batch.lines if x.old_part_tag)
    with services.db.write() as s:  # as a second batch arriving by mistake would hold them
        other = ClaimBatch(number="CB-BJ001-20260501-0099", period="2026-04", status="submitted")
        other.lines = [ClaimLine(order_id=order, kind="parts", description="x",
                                 old_part_tag=tagged.old_part_tag)]
        s.add(other)
    again = services.claims.detail(batch.id)
    assert Check.ORDER_CLAIMED_TWICE in _checks(again.lines[0])
    assert Check.TAG_USED_TWICE in _checks(next(x for x in again.lines if x.old_part_tag))
    assert all(f.severity is Severity.BLOCKED for x in again.lines for f in x.findings)
