"""Head office's decisions and settlement of a claim batch, applied at the station: per-line
decisions (the batch decided once every line is), idempotent, older revisions change nothing,
a line not in the batch or a statement that does not add up is a conflict and nothing else;
then the manager marks the statement paid."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.domain.claims import ClaimStatus, Decision
from app.domain.errors import RuleViolation
from app.services.sync_apply import apply_change
from app.store.models import ClaimBatch, ClaimLine, OutboxOp, SyncConflict
from sync import protocol as p
from tests.services.claims_helpers import CAP, Shape, add_parts, finished_order, publish_policy


@pytest.fixture
def batch(services, station):
    boss = station["manager"]
    publish_policy(services, boss)
    add_parts(services)
    finished_order(services, boss, Shape(parts=((CAP, 1, 1),)))
    draft = services.claims.build(boss, "2026-05")
    return services.claims.submit(boss, draft.id)


def _apply(services, clock, entity: str, payload: dict, hq_seq: int) -> set[str]:
    change = p.Change(hq_seq, entity, payload["batch_id"], "upsert", payload)
    with services.db.write() as s:
        return apply_change(s, change, clock())


def _decision(batch, answers: dict[int, tuple[str, int, str]], revision: int) -> dict:
    return {"batch_id": batch.id, "number": batch.number, "hq_revision": revision,
            "lines": [{"line_id": batch.lines[i].id, "decision": d, "approved_fen": fen,
                       "reason": why, "decided_at": "2026-06-03T02:00:00+00:00"}
                      for i, (d, fen, why) in answers.items()]}


def _settlement(batch, claimed: int, approved: int, deducted: int, payable: int,
                revision: int) -> dict:
    return {"batch_id": batch.id, "number": batch.number, "statement_no": "ST-2026-05-01",
            "hq_revision": revision, "claimed_fen": claimed, "approved_fen": approved,
            "deducted_fen": deducted, "payable_fen": payable,
            "settled_at": "2026-06-10T02:00:00+00:00"}


def _state(services, batch_id):
    with services.db.read() as s:
        b = s.get(ClaimBatch, batch_id)
        lines = [(x.decision, x.approved_fen, x.decision_reason) for x in
                 sorted(b.lines, key=lambda x: x.position)]
        return (b.status, b.hq_revision, b.statement_no, b.payable_fen, lines,
                s.scalar(select(func.count()).select_from(SyncConflict)),
                s.scalar(select(func.count()).select_from(OutboxOp)))


def test_decisions_then_settlement_then_paid(services, station, clock, batch):
    labour, part, travel = batch.lines
    _apply(services, clock, "claim_decision",
           _decision(batch, {0: ("approved", labour.amount_fen, "")}, 5), 5)
    partly = services.claims.detail(batch.id)
    assert partly.status is ClaimStatus.SUBMITTED
    assert partly.lines[0].decision is Decision.APPROVED
    assert partly.lines[1].decision is None
    answers = {0: ("approved", labour.amount_fen, ""),
               1: ("adjusted", part.amount_fen - 500, "按新价"),
               2: ("rejected", 999, "距离不符")}
    assert _apply(services, clock, "claim_decision", _decision(batch, answers, 7), 7) == {
        "claims"}
    decided = services.claims.detail(batch.id)
    assert decided.status is ClaimStatus.DECIDED
    assert [(x.decision, x.approved_fen, x.decision_reason) for x in decided.lines] == [
        (Decision.APPROVED, labour.amount_fen, ""),
        (Decision.ADJUSTED, part.amount_fen - 500, "按新价"),
        (Decision.REJECTED, 0, "距离不符")]
    granted = decided.decided_fen
    assert granted == labour.amount_fen + part.amount_fen - 500
    _apply(services, clock, "claim_settlement",
           _settlement(batch, batch.total_fen, granted, 1000, granted - 1000, 9), 9)
    settled = services.claims.detail(batch.id)
    assert settled.status is ClaimStatus.SETTLED
    assert (settled.claimed_fen, settled.approved_fen, settled.deducted_fen,
            settled.payable_fen) == (batch.total_fen, granted, 1000, granted - 1000)
    assert settled.statement_no == "ST-2026-05-01"
    paid = services.claims.mark_paid(station["manager"], batch.id, "6月10日到账")
    assert paid.status is ClaimStatus.PAID
    with services.db.read() as s:
        ops = list(s.scalars(select(OutboxOp).where(OutboxOp.entity == "claim_batch")
                             .order_by(OutboxOp.seq)))
    assert [json.loads(o.payload)["status"] for o in ops] == ["submitted", "paid"]


def test_applying_twice_or_older_changes_nothing(services, clock, batch):
    answers = {i: ("approved", x.amount_fen, "") for i, x in enumerate(batch.lines)}
    _apply(services, clock, "claim_decision", _decision(batch, answers, 7), 7)
    once = _state(services, batch.id)
    assert _apply(services, clock, "claim_decision", _decision(batch, answers, 7), 7) == set()
    older = {0: ("rejected", 0, "旧的审核")}
    assert _apply(services, clock, "claim_decision", _decision(batch, older, 4), 4) == set()
    assert _state(services, batch.id) == once


def test_a_decision_for_a_line_not_in_the_batch_is_a_conflict(services, clock, batch):
    before = _state(services, batch.id)
    payload = _decision(batch, {0: ("approved", batch.lines[0].amount_fen, "")}, 7)
    payload["lines"].append({"line_id": "not-a-line-of-ours", "decision": "approved",
                             "approved_fen": 100, "reason": "", "decided_at": ""})
    assert _apply(services, clock, "claim_decision", payload, 7) == {"conflicts"}
    after = _state(services, batch.id)
    assert after[:5] == before[:5]  # nothing of the batch changed
    assert after[5] == before[5] + 1
    with services.db.read() as s:
        conflict = s.scalar(select(SyncConflict))
        assert conflict.kind == "claim_decision_mismatch" and conflict.entity_id == batch.id
        assert "not-a-line-of-ours" in conflict.local_summary
    # the same change again adds no second conflict
    _apply(services, clock, "claim_decision", payload, 7)
    assert _state(services, batch.id)[5] == after[5]


def test_a_bad_decision_value_is_a_conflict(services, clock, batch):
    before = _state(services, batch.id)
    payload = _decision(batch, {0: ("maybe", 100, "")}, 7)
    assert _apply(services, clock, "claim_decision", payload, 7) == {"conflicts"}
    assert _state(services, batch.id)[:5] == before[:5]


@pytest.mark.parametrize("claimed_delta,payable_delta", [(1, 0), (0, 1), (-1, 0)])
def test_a_statement_that_does_not_add_up_is_a_conflict(services, clock, batch,
                                                        claimed_delta, payable_delta):
    before = _state(services, batch.id)
    total = batch.total_fen
    payload = _settlement(batch, total + claimed_delta, total, 100, total - 100 + payable_delta,
                          9)
    assert _apply(services, clock, "claim_settlement", payload, 9) == {"conflicts"}
    after = _state(services, batch.id)
    assert after[:5] == before[:5] and after[5] == before[5] + 1


def test_an_unknown_or_draft_batch_is_a_conflict(services, station, clock, batch):
    payload = _decision(batch, {}, 3)
    payload["batch_id"], payload["number"] = "no-such-batch", "CB-NONE"
    assert _apply(services, clock, "claim_decision", payload, 3) == {"conflicts"}
    finished_order(services, station["manager"], Shape(serial="SN-D"))
    draft = services.claims.build(station["manager"], "2026-05")
    payload = _settlement(draft, draft.total_fen, 0, 0, 0, 4)
    assert _apply(services, clock, "claim_settlement", payload, 4) == {"conflicts"}
    assert services.claims.detail(draft.id).status is ClaimStatus.DRAFT


def test_head_office_answers_do_not_reopen_the_claim(services, station, clock, batch):
    _apply(services, clock, "claim_decision", _decision(
        batch, {i: ("approved", x.amount_fen, "") for i, x in enumerate(batch.lines)}, 7), 7)
    with pytest.raises(RuleViolation):
        services.claims.remove_line(station["manager"], batch.id, batch.lines[0].id)
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ClaimLine)) == len(batch.lines)
