"""The station's sync engine speaking for one device of a station with several (protocol 2):
batch ids and seen cursors, stale and merged acks as conflicts, the device list, the users'
hashes shared once, a protocol-1 head office, a device set up from another's backup."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.i18n import render
from app.services.context import Actor
from app.services.customers import CustomerInput
from app.services.errors import PermissionDenied
from app.services.journal import record
from app.services.orders import NewOrder
from app.services.sync_service import SyncService
from app.services.sync_store import sync_state
from app.services.sync_token import FileTokenStore
from app.store.models import OutboxOp, SyncConflict, SyncDevice, SyncRegistration, User
from app.store.models.sync import SINGLETON_ID
from sync import protocol as p
from sync.client import SyncError
from tests.sync.station.conftest import TOKEN
from tests.sync.station.fake_hq import FakeHq, fake_transport_factory

DEVICE2 = "tok-BJ001-laptop"


@pytest.fixture
def hq2(hq: FakeHq) -> FakeHq:
    hq.protocols = [1, 2]
    hq.add_device("BJ001", DEVICE2, 2, "外勤笔记本", "B")
    return hq


def _service(services: Services, hq: FakeHq, clock) -> SyncService:  # type: ignore[no-untyped-def]
    return SyncService(services.db, services.bus, FileTokenStore(services.paths.root), clock,
                       fake_transport_factory(hq))


@pytest.fixture
def sync2(services: Services, station: dict[str, Actor], hq2: FakeHq, clock) -> SyncService:  # type: ignore[no-untyped-def]
    """Device 1 (the station's own token) with a protocol-2 head office."""
    svc = _service(services, hq2, clock)
    svc.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    return svc


def _customer(services: Services, actor: Actor, name: str = "王女士") -> str:
    return services.customers.create(actor, CustomerInput(name, ("13800138000",), "北京")).id


def _ops(services: Services) -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).order_by(OutboxOp.seq)))


def test_ops_carry_the_cursor_and_batches_name_the_device(
        services, station, hq2: FakeHq, clock) -> None:
    svc = _service(services, hq2, clock)
    svc.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    hq2.publish("notice", "n1", {"id": "n1", "title": "通知", "body": "",
                                 "published_at": "2026-06-01T00:00:00+00:00"})
    svc.sync_now()
    cursor = hq2.last_seq
    _customer(services, station["clerk"])
    svc.sync_now()
    book = hq2.books["BJ001"]
    assert book.batches and all(bid.startswith("BJ001/2:") for bid, _ in book.batches)
    last_batch = book.batches[-1][1]
    assert last_batch[-1][1] == cursor  # made after the notice's page was applied
    assert _ops(services)[-1].seen_hq_seq == cursor
    assert book.device_hw[2] == _ops(services)[-1].seq and book.high_water == 0


def test_the_cursor_is_read_once_per_session(services, station, sync2) -> None:
    with services.db.write() as s:
        sync_state(s).pull_cursor = 5
    with services.db.write() as s:
        record(s, station["clerk"], action="t", entity="customer", entity_id="a", payload={})
        sync_state(s).pull_cursor = 9  # a page's cursor stored in the same transaction
        record(s, station["clerk"], action="t", entity="customer", entity_id="b", payload={})
    with services.db.write() as s:
        record(s, station["clerk"], action="t", entity="customer", entity_id="c", payload={})
    assert [o.seen_hq_seq for o in _ops(services)[-3:]] == [5, 5, 9]


def test_a_stale_edit_becomes_a_conflict_with_its_fields(services, station, sync2,
                                                         hq2: FakeHq) -> None:
    customer_id = _customer(services, station["clerk"], "王女士")
    op = _ops(services)[-1]
    current = {"id": customer_id, "name": "王红", "revision": 4, "updated_at": "x",
               "address": "北京", "phones": ["13800138000"]}
    hq2.books["BJ001"].clashes[customer_id] = {"status": "rejected",
                                               "kind": p.STALE_DEVICE_EDIT,
                                               "current": current, "reason": "stale"}
    sync2.sync_now()
    with services.db.read() as s:
        c = s.scalar(select(SyncConflict).where(SyncConflict.source_key == f"op:{op.op_id}"))
        assert c is not None and c.kind == p.STALE_DEVICE_EDIT
        assert (c.entity, c.entity_id) == ("customer", customer_id)
        fields = json.loads(c.fields)
    assert fields["name"] == {"ours": "王女士", "theirs": "王红", "base": None}
    assert "revision" not in fields and "updated_at" not in fields and "address" not in fields
    assert "phones" not in fields  # not a scalar
    assert "another device" in c.local_summary and "revision 4" in c.remote_summary


def test_an_order_status_merge_is_its_own_conflict_not_a_late_cancel(
        services, station, sync2, hq2: FakeHq) -> None:
    order = services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13800138000",
        customer=CustomerInput("客户", ("13800138000",), "北京")))
    order_id = order.id if hasattr(order, "id") else order
    hq2.books["BJ001"].clashes[order_id] = {
        "status": "conflict", "kind": p.ORDER_STATUS_MERGED,
        "current": {"id": order_id, "status": "cancelled", "revision": 2}}
    sync2.sync_now()
    with services.db.read() as s:
        kinds = set(s.scalars(select(SyncConflict.kind)))
        merged = s.scalar(select(SyncConflict).where(
            SyncConflict.kind == p.ORDER_STATUS_MERGED))
    assert p.ConflictKind.CANCEL_AFTER_COMPLETION.value not in kinds
    assert merged is not None and merged.entity == "service_order"
    assert json.loads(merged.fields)["status"]["theirs"] == "cancelled"


def test_each_sync_refreshes_this_device_and_the_list(services, station, hq2: FakeHq,
                                                      clock) -> None:
    svc = _service(services, hq2, clock)
    svc.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    hq2.add_device("BJ001", "tok-3", 3, "车间电脑", "C")
    svc.sync_now()
    with services.db.read() as s:
        reg = s.get(SyncRegistration, SINGLETON_ID)
        assert (reg.device_number, reg.device_name, reg.device_tag, reg.primary_device) == (
            2, "外勤笔记本", "B", 1)
        assert s.scalar(select(func.count()).select_from(SyncDevice)) == 3
    status = svc.device_status()
    assert (status.number, status.name, status.tag, status.primary) == (2, "外勤笔记本", "B",
                                                                      False)
    assert [d.number for d in status.devices] == [1, 2, 3]
    assert [d.this_device for d in status.devices] == [False, True, False]
    assert status.devices[0].last_push_at is not None
    assert (svc.status().device_number, svc.status().device_name) == (2, "外勤笔记本")


def test_the_users_hashes_are_shared_once(services, station, sync2, hq2: FakeHq) -> None:
    sync2.sync_now()
    sync2.sync_now()
    with services.db.read() as s:
        users = s.scalar(select(func.count()).select_from(User))
        shared = s.scalar(select(func.count()).where(OutboxOp.action == "share_credentials"))
        assert sync_state(s).credentials_shared
    assert users == 4 and shared == users
    assert sync2.status().pending == 0


def test_a_protocol_1_head_office_takes_the_station_as_its_one_device(
        services, station, sync: SyncService, hq: FakeHq) -> None:
    _customer(services, station["clerk"])
    sync.sync_now()
    book = hq.books["BJ001"]
    assert all(":" in bid and "/" not in bid for bid, _ in book.batches)
    assert ("GET", p.DEVICE_PATH) not in hq.paths
    with services.db.read() as s:
        assert not s.scalar(select(func.count()).where(OutboxOp.action == "share_credentials"))
    assert book.high_water == _ops(services)[-1].seq


def test_a_stopped_device_is_told_so(services, station, hq2: FakeHq, clock) -> None:
    svc = _service(services, hq2, clock)
    svc.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    hq2.books["BJ001"].devices[2][2] = True
    with pytest.raises(SyncError) as err:
        svc.sync_now()
    assert err.value.code == SyncError.REVOKED
    assert "本设备" in render(err.value)
    # kept at once: the settings page lists what head office never received
    assert svc.device_status().revoked


def test_unsent_changes_listed_and_exported(services, station, sync2, tmp_path: Path) -> None:
    sync2.sync_now()
    assert sync2.unsent_changes(station["manager"]) == []
    _customer(services, station["clerk"], "=HYPERLINK(1)")
    rows = sync2.unsent_changes(station["manager"])
    assert [(r.entity, r.username) for r in rows] == [("customer", "clerk")]
    assert "=HYPERLINK(1)" in rows[0].summary
    target = tmp_path / "unsent.csv"
    assert sync2.export_unsent(station["manager"], target) == 1
    text = target.read_text(encoding="utf-8-sig")
    lines = list(csv.reader(text.splitlines()))
    assert lines[0][0] == "序号" and lines[1][0] == str(rows[0].seq)
    assert lines[1][1] == "客户" and lines[1][3] != rows[0].action  # in words, not codes
    assert lines[1][-1].startswith("'=")
    # they name customers: the manager's to see
    for role in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            sync2.unsent_changes(station[role])
        with pytest.raises(PermissionDenied):
            sync2.export_unsent(station[role], tmp_path / "x.csv")


def test_set_up_from_another_devices_backup(services, station, sync2, hq2: FakeHq,
                                            clock) -> None:
    """The store holds device 1's ops (its backup restored here); registering with device
    2's token adopts them as device 1's and starts device 2's seq after them."""
    _customer(services, station["clerk"])  # device 1's, not yet pushed
    last = _ops(services)[-1].seq
    laptop = _service(services, hq2, clock)
    laptop.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    book = hq2.books["BJ001"]
    assert book.starts == [(2, last + 1)]
    assert laptop.status().pending == 0  # the backup's ops are never pushed by this device
    customer_id = _customer(services, station["clerk"], "外勤客户")
    laptop.sync_now()
    mine = _ops(services)[-1]
    assert mine.entity_id == customer_id and mine.seq > last  # after the backup's
    assert book.batches[-1][0].startswith("BJ001/2:")
    assert book.device_hw[2] == mine.seq
    assert book.high_water == 0  # device 1 sends its own ops itself
    # the same device registering again adopts nothing more
    laptop.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    assert book.starts == [(2, last + 1)]


def test_an_expired_cursor_on_a_station_with_devices_downloads_its_records(
        services, station, hq2: FakeHq, clock) -> None:
    svc = _service(services, hq2, clock)
    svc.register(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    svc.sync_now()
    hq2.publish("notice", "n1", {"id": "n1", "title": "通知", "body": "",
                                 "published_at": "2026-06-01T00:00:00+00:00"})
    hq2.horizon = hq2.last_seq  # the cursor 0 fell out of the log
    report = svc.sync_now()
    assert report.snapshots == 1
    assert ("GET", p.STATION_STATE_PATH) in hq2.paths
    with services.db.read() as s:
        state = sync_state(s)
        assert state.join_stage == "" and state.pull_cursor == hq2.last_seq


def _joiner(services: Services, hq: FakeHq, clock):  # type: ignore[no-untyped-def]
    from app.services.device_join import DeviceJoin

    return DeviceJoin(services.db, services.bus, FileTokenStore(services.paths.root), clock,
                      fake_transport_factory(hq))


def test_joining_needs_a_head_office_with_devices_and_the_stations_token(
        services: Services, hq: FakeHq, clock) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import RuleViolation

    join = _joiner(services, hq, clock)
    assert join.is_empty() and not join.pending()
    with pytest.raises(SyncError) as err:
        join.start(None, "https://hq.example.com", "BJ001", TOKEN)
    assert err.value.code == SyncError.UPGRADE_REQUIRED
    hq.protocols = [1, 2]
    hq.add_station("SH002", "tok-SH002")
    with pytest.raises(RuleViolation):
        join.start(None, "https://hq.example.com", "BJ001", "tok-SH002")
    with services.db.read() as s:
        assert s.get(SyncRegistration, SINGLETON_ID) is None  # nothing stored
    assert join.is_empty()


def test_a_folder_with_a_station_does_not_join(services, station, hq2: FakeHq, clock) -> None:  # type: ignore[no-untyped-def]
    from app.domain.errors import RuleViolation
    from app.services.errors import PermissionDenied

    join = _joiner(services, hq2, clock)
    assert not join.is_empty()
    with pytest.raises(PermissionDenied):
        join.start(station["clerk"], "https://hq.example.com", "BJ001", DEVICE2)
    with pytest.raises(RuleViolation):
        join.start(station["manager"], "https://hq.example.com", "BJ001", DEVICE2)
    assert hq2.requests == 0
