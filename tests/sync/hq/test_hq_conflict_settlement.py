"""Head office keeps what a station reports of a conflict beyond its detail (issue 9, item 2):
the fields side by side and, later, how it was settled; a malformed report still records the
conflict, and the listing prints the fields side by side."""

from __future__ import annotations

import uuid

from sync import protocol as p
from sync.hq.conflicts import format_conflict
from tests.sync.hq.conftest import op

ORDER = "5f0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d"
FIELDS = {"service_address": {"ours": "北京1号2单元", "theirs": "北京9号", "base": "北京1号"}}


def _conflict(seq: int, **extra) -> p.PushOp:  # type: ignore[no-untyped-def]
    return op(seq, "sync_conflict", str(uuid.uuid4()), {
        "kind": "stale_hq_edit", "subject_entity": "service_order", "subject_id": ORDER,
        "detail": "站点已修改该工单", "hq_seq": 42, **extra}, kind="event", action="conflict")


def test_report_then_settlement_are_kept_on_one_record(hq) -> None:  # type: ignore[no-untyped-def]
    st = hq.station("BJ001")
    first = _conflict(1, fields=FIELDS)
    assert hq.push(st, p.PushBatch.build("BJ001", [first])).status_code == 200
    [row] = hq.admin.conflicts("BJ001")
    assert row.fields == FIELDS and not row.settled
    assert "not settled yet" in format_conflict(row, "t")
    settled = _conflict(2, fields=FIELDS, resolution={
        "service_address": {"choice": "ours", "value": "北京1号2单元"}},
        resolved_by="boss", resolved_at="2026-06-01T03:00:00+00:00", note="电话核实")
    answer = hq.push(st, p.PushBatch.build("BJ001", [settled]))
    assert answer.status_code == 200
    assert answer.json()["results"][0]["status"] == "applied"
    [row] = hq.admin.conflicts("BJ001")  # still one record: the same clash
    assert row.settled and row.resolved_by == "boss" and row.note == "电话核实"
    text = format_conflict(row, "t")
    assert "北京1号2单元" in text and "北京9号" in text and "北京1号" in text
    assert "service_address: ours -> 北京1号2单元" in text


def test_a_malformed_report_records_the_conflict_and_keeps_nothing_else(hq) -> None:  # type: ignore[no-untyped-def]
    st = hq.station("BJ001")
    bad = _conflict(1, fields=["x"], resolution={"service_address": "ours", "7": [1]})
    answer = hq.push(st, p.PushBatch.build("BJ001", [bad]))
    assert answer.json()["results"][0]["status"] == "applied"
    [row] = hq.admin.conflicts("BJ001")
    assert row.fields == {} and row.resolution == {}
