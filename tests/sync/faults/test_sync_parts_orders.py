"""A parts order (零件订购) end to end against the real head office (SQLite, and PostgreSQL
where configured): the station drafts and submits, syncs; head office confirms and ships with
``repair-station-hq parts-order``; the station syncs, receives in part then in whole; the
receipts' ledger movements reach head office exactly once through a 500 after commit, a lost
answer and a ``kill -9`` between head office's commit and the station's record of it."""

from __future__ import annotations

import json
import signal

import pytest
from sqlalchemy import func, select

from app.domain.parts import MovementKind, PartsOrderStatus, part_id
from app.services import stock_ledger as ledger
from app.services.parts_orders import LineInput, PartsOrderDetail
from app.store.models import Part, StockMovement
from sync import protocol as p
from sync.hq.__main__ import main as hq_main
from sync.hq.models import HqChange, HqReceivedOp, HqRecord
from tests.sync.faults.harness import (
    FaultProxy,
    LiveHq,
    StationRig,
    assert_converged,
    sync_process,
)
from tests.sync.faults.workload import boss

CAP, MOTOR = "GR-CAP-35", "GR-MOTOR-7"


@pytest.fixture
def live_hq(any_hq: LiveHq) -> LiveHq:
    """These run on every configured head-office database (PostgreSQL too in CI)."""
    return any_hq


def _catalogue(rig: StationRig) -> None:
    with rig.services.db.write() as s:
        for no, name, unit in ((CAP, "启动电容", "个"), (MOTOR, "风扇电机", "台")):
            s.add(Part(id=part_id(no), part_no=no, name=name, unit=unit,
                       retail_price_fen=4500, station_price_fen=3000))


def _submit(rig: StationRig) -> PartsOrderDetail:
    po = rig.services.parts_orders
    draft = po.create_draft(boss(rig), [LineInput(CAP, 4), LineInput(MOTOR, 2)], "夏季备货")
    return po.submit(boss(rig), draft.id, draft.revision)


def _hq(capsys: pytest.CaptureFixture[str], live_hq: LiveHq, *argv: str) -> tuple[int, str]:
    code = hq_main(["--db", live_hq.url_db, "parts-order", *argv])
    out, err = capsys.readouterr()
    return code, out + err


def _hq_record(live_hq: LiveHq, order_id: str) -> dict:
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        row = s.scalar(select(HqRecord.payload).where(HqRecord.entity == "parts_order",
                                                      HqRecord.entity_id == order_id))
    return json.loads(row) if row else {}


def _ledger_at_hq(live_hq: LiveHq) -> tuple[int, int]:
    """(movements head office holds, movement ops it received)."""
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        records = s.scalar(select(func.count()).select_from(HqRecord)
                           .where(HqRecord.entity == ledger.ENTITY))
        received = s.scalar(select(func.count()).select_from(HqReceivedOp)
                            .where(HqReceivedOp.entity == ledger.ENTITY))
    return records or 0, received or 0


def test_parts_order_round_trip(rig: StationRig, live_hq: LiveHq, proxy: FaultProxy,
                                capsys: pytest.CaptureFixture[str]) -> None:
    _catalogue(rig)
    po = rig.services.parts_orders
    order = _submit(rig)
    number = order.number

    code, out = _hq(capsys, live_hq, "confirm", number)
    assert code == 1 and "No parts order" in out  # head office has not heard of it yet
    rig.sync.sync_now()
    assert _hq_record(live_hq, order.id)["status"] == "submitted"

    # head office's refusals: nothing is written to the change log
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        changes_before = s.scalar(select(func.count()).select_from(HqChange))
    for argv, message in (
        (("ship", number), "not confirmed yet"),
        (("confirm", number, "--line", f"{CAP}=5"), "the station ordered 4"),
        (("confirm", number, "--line", "NO-SUCH=1"), "is not on parts order"),
        (("confirm", number, "--line", f"{CAP}=x"), "PART_NO=QTY"),
        (("confirm", number, "--line", f"{CAP}=0", "--line", f"{MOTOR}=0"),
         "Nothing of parts order"),
        (("confirm", "PO-BJ001-20990101-0001"), "No parts order"),
    ):
        code, out = _hq(capsys, live_hq, *argv)
        assert code == 1 and message in out, (argv, out)
    with live_hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqChange)) == changes_before

    code, out = _hq(capsys, live_hq, "confirm", number.lower(), "--line", f"{MOTOR}=1",
                    "--note", "电机缺货，先发一台")
    assert code == 0 and f"Parts order {number} confirmed" in out
    code, out = _hq(capsys, live_hq, "confirm", number)
    assert code == 1 and "already confirmed" in out
    code, out = _hq(capsys, live_hq, "ship", number, "--line", f"{CAP}=5")
    assert code == 1 and "4 confirmed, 0 shipped already" in out
    code, out = _hq(capsys, live_hq, "ship", number, "--line", f"{CAP}=3")
    assert code == 0 and "shipped" in out

    # the pull's answer is cut once: applying the page again changes nothing
    proxy.plan.queue = [(p.PULL_PATH, "cut_response")]
    rig.sync.sync_now()
    got = po.detail(order.id)
    assert got.status is PartsOrderStatus.SHIPPED and got.hq_note == "电机缺货，先发一台"
    assert [(x.confirmed_quantity, x.shipped_quantity) for x in got.lines] == [(4, 3), (1, 0)]

    # receiving: in part, with the push's answer lost after head office committed it
    po.receive(boss(rig), order.id, [LineInput(CAP, 2)])
    proxy.plan.queue = [(p.PUSH_PATH, "500_after")]
    report = rig.sync.sync_now()
    assert report.replayed_batches >= 1
    assert _hq_record(live_hq, order.id)["status"] == "partly_received"
    code, out = _hq(capsys, live_hq, "ship", number, "--line", f"{CAP}=2")
    assert code == 1 and "4 confirmed, 3 shipped already" in out
    code, out = _hq(capsys, live_hq, "ship", number)  # the rest: one capacitor, one motor
    assert code == 0
    code, out = _hq(capsys, live_hq, "ship", number)
    assert code == 1 and "Nothing left to ship" in out
    proxy.plan.queue = [(p.PUSH_PATH, "drop_after")]
    rig.sync.sync_now()
    got = po.receive(boss(rig), order.id, [LineInput(CAP, 2), LineInput(MOTOR, 1)])
    assert got.status is PartsOrderStatus.RECEIVED
    rig.sync.sync_now()

    with rig.services.db.read() as s:
        moves = s.scalars(select(StockMovement).order_by(StockMovement.created_at)).all()
        assert ledger.on_hand(s, part_id(CAP)) == 4 and ledger.on_hand(s, part_id(MOTOR)) == 1
    assert {(m.kind, m.reference) for m in moves} == {(MovementKind.RECEIVED.value, number)}
    assert _ledger_at_hq(live_hq) == (3, 3)
    assert _hq_record(live_hq, order.id)["status"] == "received"
    assert_converged(rig, live_hq)


def test_a_station_cancel_that_crosses_head_office_confirming(
        rig: StationRig, live_hq: LiveHq, capsys: pytest.CaptureFixture[str]) -> None:
    _catalogue(rig)
    order = _submit(rig)
    rig.sync.sync_now()
    rig.services.parts_orders.cancel(boss(rig), order.id, "客户已自购")  # not yet pushed
    assert _hq(capsys, live_hq, "confirm", order.number)[0] == 0
    rig.sync.sync_now()  # pushes the cancel, pulls the confirmation: a conflict
    assert rig.services.parts_orders.detail(order.id).status is PartsOrderStatus.CANCELLED
    code, out = _hq(capsys, live_hq, "ship", order.number)
    assert code == 1 and "cancelled by the station" in out
    rig.sync.sync_now()  # the station's conflict report goes up
    assert live_hq.admin is not None
    assert [c.kind for c in live_hq.admin.conflicts(rig.code)] == ["parts_order_cancelled"]
    assert_converged(rig, live_hq)


@pytest.mark.slow
def test_receipts_pushed_once_across_a_kill_after_head_office_committed(
        rig: StationRig, live_hq: LiveHq, proxy: FaultProxy,
        capsys: pytest.CaptureFixture[str]) -> None:
    _catalogue(rig)
    order = _submit(rig)
    rig.sync.sync_now()
    assert _hq(capsys, live_hq, "confirm", order.number)[0] == 0
    assert _hq(capsys, live_hq, "ship", order.number)[0] == 0
    rig.sync.sync_now()
    rig.services.parts_orders.receive(boss(rig), order.id,
                                      [LineInput(CAP, 4), LineInput(MOTOR, 2)])
    proxy.plan.queue = [(p.PUSH_PATH, "hold")]
    proc = sync_process(rig.root)
    assert proxy.committed.wait(60), "the sync never reached head office"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proxy.release.set()
    assert rig.sync.store.push_position().inflight is not None
    assert _ledger_at_hq(live_hq) == (2, 2)  # head office has them; the station does not know
    report = rig.sync.sync_now()
    assert report.replayed_batches == 1
    assert _ledger_at_hq(live_hq) == (2, 2)
    assert_converged(rig, live_hq)
