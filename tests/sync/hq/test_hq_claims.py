"""Head office's side of warranty claims (issue 11, item 5): each line of a station's
submitted batch approved, adjusted or rejected, then the batch settled (claimed, approved,
deducted, payable); each answer one change for the owning station only, carrying the whole
answer so far, re-sent by the snapshot; the refusals in plain English, nothing sent. And at
push: a submitted batch whose lines or overrides change is refused, marking it paid and an
identical re-send are not."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from sync import protocol as p
from sync.hq import changes, claims
from sync.hq.__main__ import main
from sync.hq.admin import AdminError
from sync.hq.claims import LineAnswer
from sync.hq.models import HqChange, HqClaimDecision, HqRecord, HqRejectedOp
from tests.sync.hq.conftest import Hq, Station, op

NUMBER = "CB-BJ001-202605-01"


def batch_payload(number: str = NUMBER, status: str = "submitted", lines: int = 3,
                  batch_id: str | None = None) -> dict[str, Any]:
    batch_id = batch_id or str(uuid.uuid4())
    rows = [{"id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()),
             "order_number": f"SO-BJ001-20260510-{n:04d}", "kind": kind,
             "description": desc, "quantity": 1, "unit_fen": amount, "amount_fen": amount,
             "schedule_fen": amount, "part_id": None, "part_no": "", "old_part_id": None,
             "old_part_tag": ""}
            for n, (kind, desc, amount) in enumerate(
                [("labour", "维修工时", 5000), ("parts", "压缩机启动电容", 4500),
                 ("travel", "上门费", 3001), ("labour", "安装工时", 2000)][:lines], start=1)]
    overrides = [{"id": str(uuid.uuid4()), "line_id": rows[0]["id"], "check": "repeat_repair",
                  "reason": "用户第二次报修，非同一故障", "username": "manager",
                  "created_at": "2026-06-01T01:00:00+00:00"}] if rows else []
    return {"id": batch_id, "number": number, "period": "2026-05", "status": status,
            "submitted_at": "2026-06-01T01:00:00+00:00", "submitted_by": None,
            "paid_at": None, "paid_by": None, "paid_note": "", "lines": rows,
            "overrides": overrides}


def push(hq: Hq, st: Station, payload: dict[str, Any]) -> dict[str, Any]:
    seq = st.next_seq
    st.next_seq += 1
    r = hq.push(st, p.PushBatch.build(st.code, [op(seq, "claim_batch", payload["id"], payload)],
                                      from_seq=seq))
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def submitted(hq: Hq, st: Station, **kw: Any) -> dict[str, Any]:
    payload = batch_payload(**kw)
    assert push(hq, st, payload)["status"] == "applied"
    return payload


def sent(hq: Hq) -> int:
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(HqChange)) or 0


def test_decide_line_by_line_then_settle_each_answer_whole(hq: Hq) -> None:
    st, other = hq.station("BJ001"), hq.station("SH002")
    batch = submitted(hq, st)
    lines = batch["lines"]
    first = claims.decide(hq.db, NUMBER, {"1": LineAnswer("approved")}, clock=hq.clock)
    assert [x.decision for x in first.lines] == ["approved", "", ""]
    assert first.status == "deciding" and first.lines[0].flags == (
        "repeat_repair: 用户第二次报修，非同一故障 (manager)",)
    row = claims.decide(hq.db, batch["id"], {
        lines[1]["id"]: LineAnswer("adjusted", 4000, "电容按标准价"),
        "3": LineAnswer("rejected", 0, "上门距离不足")}, clock=hq.clock)
    assert row.status == "decided"
    assert [(x.decision, x.approved_fen) for x in row.lines] == [
        ("approved", 5000), ("adjusted", 4000), ("rejected", 0)]
    done = claims.settle(hq.db, NUMBER.lower(), 500, "旧件未返回", clock=hq.clock)
    assert (done.claimed_fen, done.approved_fen, done.deducted_fen, done.payable_fen) == (
        12501, 9000, 500, 8500)
    assert done.statement_no == "ST-BJ001-202605-01" and done.status == "settled"

    got = hq.pull(st).json()["changes"]
    assert [c["entity"] for c in got] == ["claim_decision", "claim_decision",
                                          "claim_settlement"]
    assert {c["entity_id"] for c in got} == {batch["id"]}
    assert [len(c["payload"]["lines"]) for c in got[:2]] == [1, 3]  # the whole answer so far
    assert [c["payload"]["hq_revision"] for c in got] == [c["hq_seq"] for c in got]
    assert got[1]["payload"]["lines"][1] == {
        "line_id": lines[1]["id"], "decision": "adjusted", "approved_fen": 4000,
        "reason": "电容按标准价", "decided_at": hq.clock().isoformat()}
    statement = got[2]["payload"]
    assert {k: statement[k] for k in ("number", "statement_no", "claimed_fen", "approved_fen",
                                      "deducted_fen", "payable_fen")} == {
        "number": NUMBER, "statement_no": "ST-BJ001-202605-01", "claimed_fen": 12501,
        "approved_fen": 9000, "deducted_fen": 500, "payable_fen": 8500}
    assert statement["payable_fen"] == statement["approved_fen"] - statement["deducted_fen"]
    assert statement["claimed_fen"] == sum(x["amount_fen"] for x in lines)
    assert hq.pull(other).json()["changes"] == []  # addressed to the owning station only

    # after 410 the snapshot carries the latest decision and the settlement, as sent
    hq.clock.now = hq.clock.now.replace(year=2027)
    changes.prune(hq.db, hq.clock(), retention_days=90)
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    mine = [c for c in snap.changes if c.entity in ("claim_decision", "claim_settlement")]
    assert [(c.hq_seq, c.entity, c.payload) for c in mine] == [
        (c["hq_seq"], c["entity"], c["payload"]) for c in got[1:]]
    other_snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH,
                                                    headers=other.headers).json())
    assert [c for c in other_snap.changes if c.entity.startswith("claim")] == []


def test_a_line_may_be_decided_again_until_settled_and_approve_rest(hq: Hq) -> None:
    st = hq.station("BJ001")
    submitted(hq, st)
    claims.decide(hq.db, NUMBER, {"2": LineAnswer("rejected", 0, "无旧件")}, clock=hq.clock)
    row = claims.decide(hq.db, NUMBER, {"2": LineAnswer("approved")}, approve_rest=True,
                        clock=hq.clock)
    assert [x.decision for x in row.lines] == ["approved"] * 3
    assert [x.reason for x in row.lines] == [""] * 3
    with pytest.raises(AdminError, match="decided already"):
        claims.decide(hq.db, NUMBER, {}, approve_rest=True, clock=hq.clock)
    claims.settle(hq.db, NUMBER, statement_no="js-2026-05/001", clock=hq.clock)
    assert [r.statement_no for r in claims.batches(hq.db)] == ["JS-2026-05/001"]


def test_refusals_in_plain_english_send_nothing(hq: Hq) -> None:
    st, other = hq.station("BJ001"), hq.station("SH002")
    with pytest.raises(AdminError, match="No claim batch 'CB-NONE'"):
        claims.decide(hq.db, "CB-NONE", {"1": LineAnswer("approved")}, clock=hq.clock)
    batch = submitted(hq, st)
    foreign = submitted(hq, other, number="CB-SH002-202605-01")
    draft = submitted(hq, st, number="CB-BJ001-202606-01", status="draft")
    before = sent(hq)
    cases = [
        ({"9": LineAnswer("approved")}, "there is no line 9"),
        ({foreign["lines"][0]["id"]: LineAnswer("approved")},
         "not on claim batch CB-BJ001-202605-01 \\(it belongs to another claim batch"),
        ({"1": LineAnswer("adjusted", 4000, "")}, "needs a reason"),
        ({"1": LineAnswer("adjusted", -1, "少")}, "cannot be negative"),
        ({"1": LineAnswer("adjusted", 5001, "多")}, "50.01 is more than the 50.00 claimed"),
        ({"1": LineAnswer("rejected", 0, "  ")}, "needs a reason"),
        ({"1": LineAnswer("rejected", 0, "长" * 201)}, "longer than 200"),
        ({"1": LineAnswer("approved"), batch["lines"][0]["id"]: LineAnswer("approved")},
         "same line twice"),
    ]
    for answers, message in cases:
        with pytest.raises(AdminError, match=message):
            claims.decide(hq.db, NUMBER, answers, clock=hq.clock)
    with pytest.raises(AdminError, match="is draft at the station; only a submitted batch"):
        claims.decide(hq.db, draft["number"], {"1": LineAnswer("approved")}, clock=hq.clock)
    with pytest.raises(AdminError, match="line\\(s\\) 1, 2, 3 are not decided yet"):
        claims.settle(hq.db, NUMBER, clock=hq.clock)
    with pytest.raises(AdminError, match="only a submitted batch"):
        claims.settle(hq.db, draft["number"], clock=hq.clock)
    assert sent(hq) == before
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqClaimDecision)) == 0

    claims.decide(hq.db, NUMBER, {"1": LineAnswer("adjusted", 1000, "工时超标")},
                  approve_rest=True, clock=hq.clock)
    before = sent(hq)
    with pytest.raises(AdminError, match="only 85.01 is approved"):
        claims.settle(hq.db, NUMBER, 8502, "扣款", clock=hq.clock)
    with pytest.raises(AdminError, match="reason for the deduction"):
        claims.settle(hq.db, NUMBER, 100, "", clock=hq.clock)
    with pytest.raises(AdminError, match="cannot be negative"):
        claims.settle(hq.db, NUMBER, -1, "负", clock=hq.clock)
    claims.decide(hq.db, "CB-SH002-202605-01", {}, approve_rest=True, clock=hq.clock)
    claims.settle(hq.db, "CB-SH002-202605-01", statement_no="ST-X-1", clock=hq.clock)
    before = sent(hq)
    with pytest.raises(AdminError, match="ST-X-1 is already used"):
        claims.settle(hq.db, NUMBER, statement_no="st-x-1", clock=hq.clock)
    assert sent(hq) == before
    row = claims.settle(hq.db, NUMBER, 8501, "全额扣回", clock=hq.clock)
    assert row.payable_fen == 0  # all of it deducted: nothing payable, never below
    with pytest.raises(AdminError, match="already settled"):
        claims.settle(hq.db, NUMBER, clock=hq.clock)
    with pytest.raises(AdminError, match="is settled .*can no longer change"):
        claims.decide(hq.db, NUMBER, {"1": LineAnswer("approved")}, clock=hq.clock)
    assert sent(hq) == before + 1


@pytest.mark.parametrize("item, message", [
    ("1", "give LINE=approve"), ("=approve", "give LINE=approve"),
    ("1=adjust:80", "needs a reason"), ("1=adjust::x", "needs the new amount"),
    ("1=adjust:-5:x", "cannot be negative"), ("1=adjust:1.005:x", "more than two decimals"),
    ("1=adjust:abc:x", "not an amount"), ("1=reject", "needs a reason"),
    ("1=pay", "the answer is approve"), ("1=approve:x", "takes no amount"),
])
def test_bad_line_arguments(item: str, message: str) -> None:
    with pytest.raises(AdminError, match=message):
        claims.parse_line_answers([item])


def test_line_arguments_keep_the_reason_whole() -> None:
    got = claims.parse_line_answers(["1=approve", "2=adjust:80.5:超标: 按标准=80元",
                                     "abc=reject:重复"])
    assert got == {"1": LineAnswer("approved"), "2": LineAnswer("adjusted", 8050,
                                                              "超标: 按标准=80元"),
                   "abc": LineAnswer("rejected", 0, "重复")}


def test_the_commands(hq: Hq, capsys: pytest.CaptureFixture[str]) -> None:
    st = hq.station("BJ001")
    submitted(hq, st)
    url = hq.db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "claims", "list", "--status", "submitted"]) == 0
    out = capsys.readouterr().out
    assert NUMBER in out and "125.01" in out and "repeat_repair" in out and "pending" in out
    assert main(["--db", url, "claims", "settle", NUMBER]) == 1
    assert "not decided yet" in capsys.readouterr().err
    assert main(["--db", url, "claims", "decide", NUMBER, "--line", "1=approve",
                 "--line", "2=adjust:40:电容按标准价", "--line", "3=reject:距离不足"]) == 0
    assert "3 of 3 line(s) decided" in capsys.readouterr().out
    assert main(["--db", url, "claims", "settle", NUMBER, "--deduct", "5",
                 "--reason", "旧件未返回"]) == 0
    out = capsys.readouterr().out
    assert "claimed 125.01, approved 90.00, deducted 5.00, payable 85.00" in out
    assert main(["--db", url, "claims", "list", "--station", "bj001", "--status",
                 "settled"]) == 0
    assert "ST-BJ001-202605-01" in capsys.readouterr().out
    assert main(["--db", url, "claims", "list", "--status", "submitted"]) == 0
    assert "0 claim batch(es)." in capsys.readouterr().out


# -- a submitted claim cannot change at the station ---------------------------------------------


def _reasons(hq: Hq) -> list[str]:
    with hq.db.read() as s:
        return [r.reason for r in s.scalars(select(HqRejectedOp).order_by(HqRejectedOp.id))]


def _held(hq: Hq, batch_id: str) -> str:
    with hq.db.read() as s:
        return s.scalar(select(HqRecord.payload).where(HqRecord.entity_id == batch_id)) or ""


def test_a_submitted_batch_cannot_change_except_marked_paid(hq: Hq) -> None:
    st = hq.station("BJ001")
    batch = submitted(hq, st)
    assert push(hq, st, copy.deepcopy(batch))["status"] == "applied"  # an identical re-send
    held = _held(hq, batch["id"])
    changed = []
    more = copy.deepcopy(batch)
    more["lines"][0]["amount_fen"] += 1
    changed.append((more, "its lines cannot change"))
    fewer = copy.deepcopy(batch)
    fewer["lines"].pop()
    changed.append((fewer, "its lines cannot change"))
    no_override = copy.deepcopy(batch)
    no_override["overrides"] = []
    changed.append((no_override, "its overrides cannot change"))
    reworded = copy.deepcopy(batch)
    reworded["overrides"][0]["reason"] = "改了理由"
    changed.append((reworded, "its overrides cannot change"))
    back = copy.deepcopy(batch)
    back["status"] = "draft"
    changed.append((back, "cannot go back to draft"))
    moved = copy.deepcopy(batch)
    moved["period"] = "2026-04"
    changed.append((moved, "its period cannot change"))
    for payload, message in changed:
        result = push(hq, st, payload)
        assert result["status"] == "rejected" and message in result["reason"], result
    assert len(_reasons(hq)) == len(changed)
    assert _held(hq, batch["id"]) == held

    # the station echoes head office's decision on its lines: no change of the claim
    echoed = copy.deepcopy(batch)
    echoed["status"] = "decided"
    echoed["lines"][0].update(decision="approved", approved_fen=5000, decision_reason="",
                              decided_at="2026-06-02T00:00:00+00:00")
    assert push(hq, st, echoed)["status"] == "applied"
    paid = copy.deepcopy(batch)
    paid.update(status="paid", paid_at="2026-06-20T02:00:00+00:00", paid_by=None,
                paid_note="银行转账")
    paid["lines"].reverse()  # the same lines in another order are the same claim
    assert push(hq, st, paid)["status"] == "applied"
    again = copy.deepcopy(paid)
    again["status"] = "submitted"
    assert "is marked paid" in push(hq, st, again)["reason"]
    assert [r.status for r in claims.batches(hq.db)] == ["paid"]


def test_within_one_push_the_second_op_is_compared_with_the_first(hq: Hq) -> None:
    st = hq.station("BJ001")
    batch = batch_payload()
    changed = copy.deepcopy(batch)
    changed["lines"][1]["description"] = "压缩机"
    ops = [op(1, "claim_batch", batch["id"], batch), op(2, "claim_batch", batch["id"], changed)]
    st.next_seq = 3
    r = hq.push(st, p.PushBatch.build(st.code, ops, from_seq=1))
    assert [x["status"] for x in r.json()["results"]] == ["applied", "rejected"]
    # a draft may change freely until it is submitted
    draft = batch_payload(status="draft")
    assert push(hq, st, draft)["status"] == "applied"
    draft["lines"].pop()
    draft["status"] = "submitted"
    assert push(hq, st, draft)["status"] == "applied"


def test_lines_head_office_could_not_decide_are_refused_at_push(hq: Hq) -> None:
    st = hq.station("BJ001")
    bad = []
    for change, message in (
        (lambda b: b["lines"][0].update(amount_fen=2**63), "'amount_fen' must be a whole"),
        (lambda b: b["lines"][0].update(amount_fen=-1), "'amount_fen' must be a whole"),
        (lambda b: b["lines"][1].update(amount_fen="45.00"), "'amount_fen' must be a whole"),
        (lambda b: b["lines"][0].update(id="x" * 37), "needs an 'id' of at most 36"),
        (lambda b: b["lines"][1].update(id=b["lines"][0]["id"]), "repeats the id"),
        (lambda b: b.update(lines={"a": 1}), "'lines' must be a list"),
        (lambda b: b.update(number="N" * 41), "'number' is longer than 40"),
    ):
        payload = batch_payload()
        change(payload)
        result = push(hq, st, payload)
        assert result["status"] == "rejected" and message in result["reason"], result
        bad.append(payload["id"])
    with hq.db.read() as s:
        held = set(s.scalars(select(HqRecord.entity_id)))
    assert held.isdisjoint(bad)
