"""Pushing the outbox: batches, acknowledgements, retries, replays, gaps, rejected ops."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.i18n import render
from app.services.context import Actor
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.services.sync_service import SyncService
from app.store.models import OutboxOp, SyncConflict
from sync import protocol as p
from sync.client import ClientConfig, SyncEngine, SyncError
from tests.sync.station.fake_hq import FakeAdapter, FakeHq


def make_orders(services: Services, actor: Actor, n: int) -> None:
    for i in range(n):
        services.orders.create(actor, NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, f"不制冷 {i}",
            "13800138000", customer=CustomerInput(f"客户{i}", ("13800138000",), "北京")))


def outbox_ids(services: Services) -> list[str]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp.op_id).order_by(OutboxOp.seq)))


def assert_exactly_once(services: Services, hq: FakeHq) -> None:
    book = hq.books["BJ001"]
    ids = outbox_ids(services)
    assert sorted(book.applied) == sorted(ids)
    assert set(book.applied.values()) == {1}
    assert book.high_water == len(ids)


def test_push_sends_everything_once_in_batches(services, station, sync: SyncService, hq,
                                               adapters: list[FakeAdapter]) -> None:
    make_orders(services, station["clerk"], 30)
    seen = []
    engine_cfg_max = 25

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))

    # small batches so several go out
    original = sync.transport_factory

    def small(config):  # type: ignore[no-untyped-def]
        config.max_ops = engine_cfg_max
        return original(config)

    sync.transport_factory = small
    report = sync.sync_now(progress)
    assert report.batches >= 3
    assert_exactly_once(services, hq)
    assert sync.status().pending == 0
    assert ("push", report.pushed_ops, report.pushed_ops) in seen
    # every request verified TLS and had a timeout
    assert all(v is True for a in adapters for v in a.seen_verify)
    assert all(t is not None for a in adapters for t in a.seen_timeouts)
    with services.db.read() as s:
        assert s.scalar(select(func.count()).where(OutboxOp.acked_at.is_(None))) == 0


def test_500_and_dropped_connections_are_retried(services, station, sync, hq) -> None:
    make_orders(services, station["clerk"], 3)
    hq.faults = ["500", "drop", "500"]
    sync.sync_now()
    assert_exactly_once(services, hq)


def test_lost_acknowledgement_is_replayed_not_reapplied(services, station, sync, hq) -> None:
    make_orders(services, station["clerk"], 3)
    hq.faults = ["lose_ack"]
    report = sync.sync_now()
    assert report.replayed_batches == 1
    assert_exactly_once(services, hq)


def test_crash_after_commit_resends_the_inflight_batch(services, station, sync, hq) -> None:
    make_orders(services, station["clerk"], 5)
    hq.faults = ["lose_ack"] * 5  # every attempt commits at HQ, no ack reaches us
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == SyncError.OFFLINE
    assert sync.store.push_position().inflight is not None
    make_orders(services, station["clerk"], 2)  # more ops arrive before the next sync
    sync.sync_now()
    assert sync.store.push_position().inflight is None
    assert_exactly_once(services, hq)


def test_head_office_restored_from_backup_gets_everything_again(services, station, sync,
                                                                hq) -> None:
    make_orders(services, station["clerk"], 4)
    sync.sync_now()
    book = hq.books["BJ001"]
    lost = outbox_ids(services)[3:]
    # "yesterday's backup": HQ forgets the last ops it applied
    book.high_water = 3
    book.acks.clear()
    for op_id in lost:
        del book.applied[op_id]
    make_orders(services, station["clerk"], 1)
    report = sync.sync_now()
    assert report.resends == 1
    assert_exactly_once(services, hq)


def test_rejected_op_becomes_a_visible_conflict(services, station, sync, hq) -> None:
    hq.books["BJ001"].reject_entities.add("customer")
    make_orders(services, station["clerk"], 2)
    report = sync.sync_now()
    assert report.rejected == 2
    conflicts = sync.conflicts()
    assert len(conflicts) == 2
    assert {c.kind for c in conflicts} == {"rejected_op"}
    assert "customer not accepted" in conflicts[0].remote_summary
    # a replay of the same acknowledgement adds nothing
    sync.sync_now()
    assert len(sync.conflicts()) == 2
    resolved = sync.resolve_conflict(station["manager"], conflicts[0].id, "已电话核实")
    assert resolved.resolved_by == "boss"
    assert len(sync.conflicts()) == 1
    with pytest.raises(Exception, match="may not"):
        sync.resolve_conflict(station["clerk"], conflicts[1].id)


@pytest.mark.parametrize(("setup", "code"), [
    (lambda hq: hq.tokens.clear(), SyncError.UNAUTHORIZED),
    (lambda hq: hq.revoked.add(next(iter(hq.tokens))), SyncError.REVOKED),
    (lambda hq: setattr(hq, "min_protocol", p.PROTOCOL_VERSION + 1),
     SyncError.UPGRADE_REQUIRED),
    (lambda hq: hq.faults.extend(["drop"] * 10), SyncError.OFFLINE),
])
def test_refusals_give_a_clear_reason_and_keep_the_outbox(services, station, sync, hq, setup,
                                                          code) -> None:
    make_orders(services, station["clerk"], 2)
    before = sync.status().pending
    setup(hq)
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == code
    status = sync.status()
    assert status.pending == before
    assert status.last_result == code
    assert status.last_error is not None and status.last_error.code == code
    assert render(status.last_error) == render(err.value)
    assert "tok-BJ001-secret" not in status.last_message


def test_wire_ops_are_the_outbox_columns(services, station, sync) -> None:
    make_orders(services, station["clerk"], 1)
    ops = sync.store.read_ops(0, None, 10)
    with services.db.read() as s:
        rows = s.scalars(select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert [o.seq for o in ops] == [r.seq for r in rows]
        assert ops[-1].payload == json.loads(rows[-1].payload)
        assert ops[-1].username == rows[-1].username


def test_register_refuses_a_wrong_token_and_non_managers(services, station, hq) -> None:
    from app.services.sync_token import FileTokenStore
    from tests.sync.station.fake_hq import fake_transport_factory

    svc = SyncService(services.db, services.bus, FileTokenStore(services.paths.root / "x"),
                      transport_factory=fake_transport_factory(hq))
    (services.paths.root / "x").mkdir()
    with pytest.raises(SyncError) as err:
        svc.register(station["manager"], "https://hq.example.com", "BJ001", "wrong")
    assert err.value.code == SyncError.UNAUTHORIZED
    assert not svc.is_registered()
    with pytest.raises(Exception, match="may not"):
        svc.register(station["clerk"], "https://hq.example.com", "BJ001", "tok-BJ001-secret")
    with pytest.raises(Exception, match="https"):
        svc.register(station["manager"], "http://hq.example.com", "BJ001", "tok-BJ001-secret")
    assert station["manager"].role is Role.MANAGER


def test_conflict_table_is_empty_after_clean_sync(services, station, sync, hq) -> None:
    make_orders(services, station["clerk"], 1)
    sync.sync_now()
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict)) == 0


def test_engine_streams_in_bounded_batches(services, station, sync, hq) -> None:
    make_orders(services, station["clerk"], 10)
    calls = []
    real = sync.store.read_ops

    def spy(after, through, limit):  # type: ignore[no-untyped-def]
        calls.append(limit)
        return real(after, through, limit)

    sync.store.read_ops = spy  # type: ignore[method-assign]
    transport = sync.transport_factory(ClientConfig("https://hq.example.com",
                                                    "tok-BJ001-secret", max_ops=4))
    SyncEngine(transport, sync.store, "BJ001").push()
    assert calls and max(calls) == 4
    assert_exactly_once(services, hq)


def test_unreadable_answer_is_a_protocol_error_and_keeps_the_outbox(services, station, sync,
                                                                    hq) -> None:
    make_orders(services, station["clerk"], 1)
    pending = sync.status().pending
    hq.faults = ["garbage"]
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == SyncError.PROTOCOL
    assert "无法读取" in render(err.value)
    status = sync.status()
    assert status.pending == pending and status.last_result == SyncError.PROTOCOL
    sync.sync_now()
    assert_exactly_once(services, hq)


def test_cancel_stops_a_sync_between_retries(services, station, sync, hq) -> None:
    import threading
    import time

    make_orders(services, station["clerk"], 1)
    # the push is slow but goes through; the pull then meets a dead line
    hq.faults = ["slow"] + ["drop"] * 10
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            sync.sync_now()
        except SyncError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert hq.slow_started.wait(5)
    sync.cancel()  # the program is closing
    started = time.monotonic()
    hq.slow_release.set()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - started < 2
    assert [e.code for e in outcome] == [SyncError.CANCELLED]  # type: ignore[attr-defined]
    assert len(hq.faults) == 10  # no request was made after the cancel
    assert sync.status().pending == 0  # the batch in flight got its answer and was recorded
    assert sync.status().last_result == SyncError.CANCELLED
    hq.faults.clear()
    sync.sync_now()  # the next run is not affected
    assert_exactly_once(services, hq)


def test_cancel_cuts_a_long_backoff_short(hq) -> None:
    import threading
    import time

    import requests

    from sync.client import HqTransport
    from tests.sync.station.fake_hq import FakeAdapter

    cancel = threading.Event()
    session = requests.Session()
    session.mount("https://", FakeAdapter(hq))
    transport = HqTransport(ClientConfig("https://hq.example.com", "tok-BJ001-secret",
                                         backoff_base=20, backoff_cap=20, cancel=cancel),
                            session=session)
    hq.faults = ["drop"] * 5
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(SyncError) as err:
        transport.pull(0, 10)
    assert err.value.code == SyncError.CANCELLED
    assert time.monotonic() - started < 3  # not the 10-20 s backoff


def test_a_gap_answer_without_a_sequence_is_refused_not_guessed(services, station, sync,
                                                                hq) -> None:
    make_orders(services, station["clerk"], 1)
    hq.faults = ["bad409"]
    with pytest.raises(SyncError) as err:
        sync.sync_now()
    assert err.value.code == SyncError.PROTOCOL
    assert sync.store.push_position().acked_seq == 0
    sync.sync_now()
    assert_exactly_once(services, hq)
