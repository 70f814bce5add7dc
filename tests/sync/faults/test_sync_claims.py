"""A warranty claim batch (三包索赔) end to end against the real head office (SQLite, and
PostgreSQL where configured), through the fault proxy: the station builds and submits its
period's batch (one warning overridden with a written reason) and pushes it through a 500
after head office committed; head office decides every line and settles with
``repair-station-hq claims``; the station pulls the decisions and the statement through a
cut answer and again from a snapshot, applying each exactly once; the manager marks the
statement paid, the push's answer is lost, and head office sees it paid. The papers print the
amounts head office settled."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.domain.claims import ClaimStatus, Decision
from app.printing.text import rmb_upper, yuan
from app.services.claims import ClaimBatchDetail
from app.store.models import AuditEntry, ClaimBatch, SyncConflict
from sync import protocol as p
from sync.hq import claims as hq_claims
from sync.hq.__main__ import main as hq_main
from sync.hq.models import HqChange, HqReceivedOp, HqRecord
from tests.printing.helpers import page_texts
from tests.services.claims_helpers import CAP, Shape, add_parts, finished_order, publish_policy
from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig, assert_converged
from tests.sync.faults.workload import boss


@pytest.fixture
def live_hq(any_hq: LiveHq) -> LiveHq:
    """These run on every configured head-office database (PostgreSQL too in CI)."""
    return any_hq


def _submit(rig: StationRig) -> ClaimBatchDetail:
    services, manager = rig.services, boss(rig)
    publish_policy(services, manager)
    add_parts(services)
    finished_order(services, manager, Shape(parts=((CAP, 1, 1),)))
    finished_order(services, manager, Shape(serial="SN0002", labour_fen=4000, travel_fen=None,
                                            invoice=""))
    draft = services.claims.build(manager, "2026-05")
    assert draft.problems, "the second order lacks its purchase proof: a warning"
    for line, finding in draft.problems:
        draft = services.claims.override(manager, draft.id, line.id, finding.check.value,
                                         "发票遗失，保修卡及购机短信为证")
    return services.claims.submit(manager, draft.id)


def _hq(capsys: pytest.CaptureFixture[str], live_hq: LiveHq, *argv: str) -> tuple[int, str]:
    code = hq_main(["--db", live_hq.url_db, "claims", *argv])
    out, err = capsys.readouterr()
    return code, out + err


def _hq_batch(live_hq: LiveHq, batch_id: str) -> dict:
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        row = s.scalar(select(HqRecord.payload).where(HqRecord.entity == "claim_batch",
                                                      HqRecord.entity_id == batch_id))
    return json.loads(row) if row else {}


def _hq_changes(live_hq: LiveHq) -> int:
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(HqChange)) or 0


def _station(rig: StationRig, batch_id: str) -> tuple:
    with rig.services.db.read() as s:
        b = s.get(ClaimBatch, batch_id)
        lines = tuple((x.decision, x.approved_fen, x.decision_reason)
                      for x in sorted(b.lines, key=lambda x: x.position))
        applied = Counter(a for a in s.scalars(select(AuditEntry.action).where(
            AuditEntry.entity_id == batch_id, AuditEntry.action.like("claim.hq_%"))))
        conflicts = s.scalar(select(func.count()).select_from(SyncConflict))
        return (b.status, b.statement_no, b.claimed_fen, b.approved_fen, b.deducted_fen,
                b.payable_fen, lines, dict(applied), conflicts)


def test_claim_round_trip_exactly_once(rig: StationRig, live_hq: LiveHq, proxy: FaultProxy,
                                       capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    batch = _submit(rig)
    number, lines = batch.number, batch.lines
    assert len(lines) == 4  # labour, travel, part; labour
    claimed = sum(x.amount_fen for x in lines)

    code, out = _hq(capsys, live_hq, "decide", number, "--approve-rest")
    assert code == 1 and "No claim batch" in out  # head office has not heard of it yet
    proxy.plan.queue = [(p.PUSH_PATH, "500_after")]
    assert rig.sync.sync_now().replayed_batches >= 1
    held = _hq_batch(live_hq, batch.id)
    assert held["status"] == "submitted" and len(held["lines"]) == 4
    assert [o["reason"] for o in held["overrides"]] == [o.reason for o in batch.overrides]

    # head office's refusals write nothing to the change log
    before = _hq_changes(live_hq)
    for argv, message in (
        (("settle", number), "are not decided yet"),
        (("decide", number, "--line", f"1=adjust:{yuan(lines[0].amount_fen + 1)}:多"),
         "more than the"),
        (("decide", number, "--line", "2=reject"), "needs a reason"),
        (("decide", number, "--line", "9=approve"), "no line 9"),
        (("decide", "CB-BJ001-19990101-0001", "--approve-rest"), "No claim batch"),
    ):
        code, out = _hq(capsys, live_hq, *argv)
        assert code == 1 and message in out, (argv, out)
    assert _hq_changes(live_hq) == before

    adjusted = lines[0].amount_fen - 1000
    code, out = _hq(capsys, live_hq, "decide", number.lower(), "--line",
                    f"1=adjust:{yuan(adjusted)}:工时按标准核减", "--line",
                    f"{lines[3].id}=reject:购机凭证不足")
    assert code == 0 and "2 of 4 line(s) decided" in out
    code, out = _hq(capsys, live_hq, "decide", number, "--approve-rest")
    assert code == 0 and "4 of 4 line(s) decided" in out
    approved = adjusted + lines[1].amount_fen + lines[2].amount_fen
    code, out = _hq(capsys, live_hq, "settle", number, "--deduct", "12.34", "--reason",
                    "旧件逾期返回")
    assert code == 0 and f"payable {yuan(approved - 1234)}" in out
    code, out = _hq(capsys, live_hq, "settle", number)
    assert code == 1 and "already settled" in out
    code, out = _hq(capsys, live_hq, "decide", number, "--line", "1=approve")
    assert code == 1 and "can no longer change" in out

    # the pull's answer is cut once: the page comes again, each change applies once
    proxy.plan.queue = [(p.PULL_PATH, "cut_response")]
    rig.sync.sync_now()
    expected = (ClaimStatus.SETTLED.value, "ST-BJ001-202605-01", claimed, approved, 1234,
                approved - 1234,
                ((Decision.ADJUSTED.value, adjusted, "工时按标准核减"),
                 (Decision.APPROVED.value, lines[1].amount_fen, ""),
                 (Decision.APPROVED.value, lines[2].amount_fen, ""),
                 (Decision.REJECTED.value, 0, "购机凭证不足")),
                {"claim.hq_decision": 2, "claim.hq_settlement": 1}, 0)
    assert _station(rig, batch.id) == expected
    # the station's statement adds up with head office's, fen for fen
    rows = {r.number: r for r in hq_claims.batches(live_hq.db)}
    hq_row = rows[number]
    assert (hq_row.claimed_fen, hq_row.approved_fen, hq_row.deducted_fen,
            hq_row.payable_fen) == expected[2:6]

    # head office restored from a backup: the snapshot's answers change nothing again
    assert live_hq.admin is not None
    live_hq.admin.after_restore()
    rig.sync.sync_now()
    assert _station(rig, batch.id) == expected

    paper = tmp_path / "statement.pdf"
    rig.services.reports.render("settlement", "ST-BJ001-202605-01", None, paper)
    text = "".join("".join(page_texts(paper)).split())
    for fen in expected[2:6]:
        assert f"¥{yuan(fen)}人民币（大写）：{rmb_upper(fen)}" in text

    # the manager marks it paid; the push's answer is lost after head office committed it
    rig.services.claims.mark_paid(boss(rig), batch.id, "工行转账 2026-06-20")
    proxy.plan.queue = [(p.PUSH_PATH, "drop_after")]
    rig.sync.sync_now()
    rig.sync.sync_now()
    held = _hq_batch(live_hq, batch.id)
    assert held["status"] == "paid" and held["paid_note"] == "工行转账 2026-06-20"
    code, out = _hq(capsys, live_hq, "list", "--station", "BJ001", "--status", "paid")
    assert code == 0 and number in out and "1 claim batch(es)." in out
    with live_hq.db.read() as s:
        refused = s.scalar(select(func.count()).select_from(HqReceivedOp).where(
            HqReceivedOp.entity == "claim_batch", HqReceivedOp.status != "applied"))
    assert refused == 0
    assert_converged(rig, live_hq)
