"""Head office's answers to a station's parts order: confirm (in full or fewer per line) and
ship (in shipments, never beyond what is confirmed), each a change for the owning station
only, carrying the whole answer so far; the snapshot re-sends the latest answer."""

from __future__ import annotations

import uuid

import pytest

from sync import protocol as p
from sync.hq import changes
from sync.hq.admin import AdminError
from tests.sync.hq.conftest import Hq, Station, op

NUMBER = "PO-BJ001-20260601-0001"


def _submitted(hq: Hq, st: Station, status: str = "submitted") -> str:
    order_id = str(uuid.uuid4())
    payload = {"id": order_id, "number": NUMBER, "status": status, "revision": 2,
               "lines": [{"part_id": "p-cap", "part_no": "GR-CAP-35", "quantity": 4,
                          "confirmed_quantity": None, "shipped_quantity": 0,
                          "received_quantity": 0},
                         {"part_id": "p-motor", "part_no": "GR-MOTOR-7", "quantity": 2,
                          "confirmed_quantity": None, "shipped_quantity": 0,
                          "received_quantity": 0}]}
    seq = st.next_seq
    st.next_seq += 1
    r = hq.push(st, p.PushBatch.build(st.code, [op(seq, "parts_order", order_id, payload)],
                                      from_seq=seq))
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied"
    return order_id


def _lines(change: dict) -> list[tuple[str, int, int]]:
    return [(x["part_no"], x["confirmed_quantity"], x["shipped_quantity"])
            for x in change["payload"]["lines"]]


def test_confirm_fewer_then_ship_in_two_shipments(hq: Hq) -> None:
    st, other = hq.station("BJ001"), hq.station("SH002")
    order_id = _submitted(hq, st)
    answer = hq.admin.confirm_parts_order(NUMBER, {"GR-MOTOR-7": 1}, "电机缺货")
    assert [(x.part_no, x.ordered, x.confirmed) for x in answer.lines] == [
        ("GR-CAP-35", 4, 4), ("GR-MOTOR-7", 2, 1)]
    hq.admin.ship_parts_order(order_id, {"GR-CAP-35": 3})
    hq.admin.ship_parts_order(NUMBER)  # the rest
    with pytest.raises(AdminError, match="Nothing left to ship"):
        hq.admin.ship_parts_order(NUMBER)
    got = hq.pull(st).json()["changes"]
    assert [c["entity"] for c in got] == [p.HqEntity.PARTS_ORDER_UPDATE.value] * 3
    assert {c["entity_id"] for c in got} == {order_id}
    assert [_lines(c) for c in got] == [
        [("GR-CAP-35", 4, 0), ("GR-MOTOR-7", 1, 0)],
        [("GR-CAP-35", 4, 3), ("GR-MOTOR-7", 1, 0)],
        [("GR-CAP-35", 4, 4), ("GR-MOTOR-7", 1, 1)]]
    assert [c["payload"]["status"] for c in got] == ["confirmed", "shipped", "shipped"]
    assert got[0]["payload"]["note"] == "电机缺货"
    assert hq.pull(other).json()["changes"] == []  # addressed to the owning station only

    hq.clock.now = hq.clock.now.replace(year=2027)
    changes.prune(hq.db, hq.clock(), retention_days=90)
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    (latest,) = [c for c in snap.changes if c.entity == p.HqEntity.PARTS_ORDER_UPDATE]
    assert latest.hq_seq == got[-1]["hq_seq"] and latest.payload == got[-1]["payload"]
    other_snap = hq.client.get(p.SNAPSHOT_PATH, headers=other.headers).json()
    assert other_snap["changes"] == []


@pytest.mark.parametrize("status", ["draft", "cancelled", "received"])
def test_only_a_submitted_order_is_confirmed(hq: Hq, status: str) -> None:
    st = hq.station("BJ001")
    _submitted(hq, st, status)
    with pytest.raises(AdminError, match="only a submitted order"):
        hq.admin.confirm_parts_order(NUMBER)
    assert hq.pull(st).json()["changes"] == []


def test_refusals_name_the_problem_and_store_nothing(hq: Hq) -> None:
    st = hq.station("BJ001")
    with pytest.raises(AdminError, match="No parts order"):
        hq.admin.confirm_parts_order(NUMBER)
    _submitted(hq, st)
    with pytest.raises(AdminError, match="not confirmed yet"):
        hq.admin.ship_parts_order(NUMBER)
    with pytest.raises(AdminError, match="the station ordered 2"):
        hq.admin.confirm_parts_order(NUMBER, {"GR-MOTOR-7": 3})
    with pytest.raises(AdminError, match="GR-BELT-1 is not on parts order"):
        hq.admin.confirm_parts_order(NUMBER, {"GR-BELT-1": 1})
    with pytest.raises(AdminError, match="longer than 200"):
        hq.admin.confirm_parts_order(NUMBER, None, "备" * 201)
    assert hq.pull(st).json()["changes"] == []
    hq.admin.confirm_parts_order(NUMBER, {"GR-CAP-35": 2})
    with pytest.raises(AdminError, match="already confirmed"):
        hq.admin.confirm_parts_order(NUMBER)
    with pytest.raises(AdminError, match="2 confirmed, 0 shipped already"):
        hq.admin.ship_parts_order(NUMBER, {"GR-CAP-35": 3})
    with pytest.raises(AdminError, match="every quantity given is 0"):
        hq.admin.ship_parts_order(NUMBER, {"GR-CAP-35": 0})
    assert len(hq.pull(st).json()["changes"]) == 1


@pytest.mark.parametrize("items, message", [
    (["GR-CAP-35"], "PART_NO=QTY"), (["=2"], "PART_NO=QTY"), (["GR-CAP-35=-1"], "PART_NO=QTY"),
    (["GR-CAP-35=1.5"], "PART_NO=QTY"), (["gr-cap-35=1", "GR-CAP-35=2"], "twice"),
])
def test_line_arguments_are_checked(items: list[str], message: str) -> None:
    from sync.hq.parts_orders import parse_lines

    with pytest.raises(AdminError, match=message):
        parse_lines(items)
    assert parse_lines(["gr-cap-35=2", "GR-MOTOR-7 = 0"]) == {"GR-CAP-35": 2, "GR-MOTOR-7": 0}
    assert parse_lines(None) is None


def test_the_order_is_found_by_number_among_many(hq: Hq) -> None:
    st = hq.station("BJ001")
    _submitted(hq, st)
    for i in range(2, 6):  # other orders of the station, one of them answered
        seq = st.next_seq
        st.next_seq += 1
        hq.push(st, p.PushBatch.build(st.code, [op(seq, "parts_order", str(uuid.uuid4()), {
            "number": f"PO-BJ001-20260601-000{i}", "status": "submitted", "lines": [
                {"part_id": "p-cap", "part_no": "GR-CAP-35", "quantity": i}]})],
            from_seq=seq))
    hq.admin.confirm_parts_order("PO-BJ001-20260601-0003")
    answer = hq.admin.ship_parts_order("po-bj001-20260601-0003")
    assert answer.number == "PO-BJ001-20260601-0003"
    assert (answer.lines[0].ordered, answer.lines[0].shipped) == (3, 3)
