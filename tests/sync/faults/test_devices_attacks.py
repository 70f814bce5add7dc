"""Attacks on the sync of a station's several devices (issue 15), each a scenario that once
could break it: the primary revoked with head office's orders on the way, an erasure on one
device against an offline edit on another, users disabled or re-passworded on one device,
protocol-1 programs on a station of several devices, and clashes made offline on two devices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.services.customers import CustomerInput
from app.services.errors import PermissionDenied
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.store.models import Customer, ServiceOrder, SyncConflict, User
from sync.client import ClientConfig, HqTransport, SyncError
from sync.hq.inputs import DispatchInput
from sync.hq.models import HqBatch, HqConflict, HqReceivedOp, HqRecord, HqStation
from tests.sync.faults import devices_rig as d
from tests.sync.faults.harness import (
    PASSWORD,
    FaultProxy,
    LiveHq,
    StationRig,
    fast_transport,
    make_station,
)

CODE = "BJ001"


@pytest.fixture
def devices(tmp_path: Path, live_hq: LiveHq, proxy: FaultProxy) -> Iterator[list[StationRig]]:
    """The counter PC (device 1, primary), the workshop PC and the laptop, all joined."""
    first = make_station(tmp_path / "counter", CODE, live_hq, proxy.url)
    rigs = [first]
    for folder, name in (("workshop", "车间电脑"), ("laptop", "外勤笔记本")):
        rigs.append(d.join_device(tmp_path / folder, live_hq, proxy.url, CODE, name))
    d.converge(rigs, rounds=1)
    yield rigs
    for rig in rigs:
        rig.close()


def _conflicts(rig: StationRig) -> list[SyncConflict]:
    with rig.services.db.read() as s:
        rows = list(s.scalars(select(SyncConflict)))
        s.expunge_all()
        return rows


# -- 2. the primary revoked while head office's orders are on the way ----------------------------

def test_the_primary_revoked_hands_its_dispatched_orders_to_the_next_one_once(
        devices: list[StationRig], live_hq: LiveHq) -> None:
    counter, workshop, laptop = devices
    assert live_hq.admin is not None
    sent = live_hq.admin.dispatch(CODE, [
        DispatchInput("王五", "13911112222", "北京市朝阳区1号", "洗衣机漏水"),
        DispatchInput("赵六", "13933334444", "北京市朝阳区2号", "冰箱不冷")])
    d.Workload.seeded(3).new_order(counter)  # the counter PC's own work, never sent
    live_hq.admin.revoke_device(CODE, 1)

    with pytest.raises(SyncError) as stopped:
        counter.sync.sync_now()
    assert stopped.value.code == SyncError.REVOKED
    assert counter.sync.device_status().revoked
    unsent = counter.sync.unsent_changes(d.login(counter))
    assert unsent and any(u.entity == "service_order" for u in unsent)

    d.converge([workshop, laptop])
    d.assert_same_state([workshop, laptop])
    ids = {x.order_id for x in sent}
    for rig in (workshop, laptop):
        with rig.services.db.read() as s:
            got = list(s.scalars(select(ServiceOrder.id).where(ServiceOrder.id.in_(ids))))
        assert sorted(got) == sorted(ids), rig.root.name
    # made once, by the new primary: head office holds one creation of each order
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == CODE))
        made = list(s.scalars(select(HqReceivedOp.entity_id).where(
            HqReceivedOp.station_id == station_id, HqReceivedOp.entity == "service_order",
            HqReceivedOp.entity_id.in_(ids), HqReceivedOp.status == "applied")))
    assert sorted(set(made)) == sorted(ids)
    assert not [c for rig in (workshop, laptop) for c in _conflicts(rig)]


# -- 3. an erasure against an offline edit ------------------------------------------------------

def test_an_erased_customer_edited_offline_elsewhere_stays_erased_everywhere(
        devices: list[StationRig], live_hq: LiveHq) -> None:
    counter, workshop, laptop = devices
    d.Workload.seeded(5).new_order(counter)
    d.converge(devices, rounds=1)
    with counter.services.db.read() as s:
        customer_id, revision, name = s.execute(
            select(Customer.id, Customer.revision, Customer.name)).one()
    # the counter PC edits the customer offline; the laptop erases him (PIPL) and syncs first
    current = counter.services.customers.get(customer_id, viewer=d.login(counter))
    counter.services.customers.update(d.login(counter), customer_id, CustomerInput(
        current.name, tuple(current.phones), "北京市海淀区新地址99号"), revision)
    laptop.services.privacy.erase_customer(d.login(laptop), customer_id, "本人", "要求删除")
    laptop.sync.sync_now()
    d.converge(devices)
    d.assert_same_state(devices)
    for rig in devices:
        with rig.services.db.read() as s:
            row = s.get(Customer, customer_id)
            assert row is not None and row.erased_at is not None, rig.root.name
            assert row.name != name and "新地址" not in (row.address or ""), rig.root.name
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        payloads = list(s.scalars(select(HqRecord.payload).where(
            HqRecord.entity_id == customer_id)))
    assert payloads and not [x for x in payloads if name in x or "新地址" in x]
    # the counter PC's edit is a conflict it sees, not a silent drop
    assert any(c.entity_id == customer_id for c in _conflicts(counter))


# -- 4. users disabled and re-passworded on one device ------------------------------------------

def test_a_user_disabled_on_one_device_cannot_log_in_anywhere_after_sync(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    tech = counter.services.users.create_user(d.login(counter), d.NewUser(
        "tech1", "技师一", d.Role.TECHNICIAN, PASSWORD))
    d.converge(devices)
    counter.services.users.set_active(d.login(counter), tech.id, False)
    counter.sync.sync_now()
    # the laptop, offline, still lets him in with the last synced credentials
    laptop.services.users.login("tech1", PASSWORD)
    d.converge(devices)
    for rig in devices:
        with pytest.raises((RuleViolation, PermissionDenied)):
            rig.services.users.login("tech1", PASSWORD)


def test_a_password_changed_on_one_device_works_everywhere_and_the_old_one_nowhere(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    tech = workshop.services.users.create_user(d.login(workshop), d.NewUser(
        "tech2", "技师二", d.Role.TECHNICIAN, PASSWORD))
    d.converge(devices)
    laptop.services.users.set_password(d.login(laptop), tech.id, "battery-staple-9")
    d.converge(devices)
    for rig in devices:
        assert rig.services.users.login("tech2", "battery-staple-9").username == "tech2"
        with pytest.raises((RuleViolation, PermissionDenied)):
            rig.services.users.login("tech2", PASSWORD)


# -- 5. protocol 1 on a station of several devices ----------------------------------------------

class Protocol1Transport(HqTransport):
    """The program of before devices: it speaks protocol 1 only."""

    def negotiate(self) -> int:
        self.config.protocol = 1
        return 1


def _protocol1(config: ClientConfig) -> HqTransport:
    fast_transport(config)
    return Protocol1Transport(config)


def _old_program(rig: StationRig) -> SyncService:
    return SyncService(rig.services.db, rig.services.bus, FileTokenStore(rig.root),
                       rig.services.sync.clock, _protocol1)


def test_a_protocol_1_program_on_a_station_of_several_devices_is_refused_clearly(
        devices: list[StationRig]) -> None:
    counter, workshop, _laptop = devices
    for rig in (counter, workshop):
        d.Workload.seeded(9).new_order(rig)
        with pytest.raises(SyncError) as refused:
            _old_program(rig).sync_now()
        assert refused.value.code == SyncError.UPGRADE_REQUIRED
        assert "newer" in str(refused.value)
        assert rig.sync.status().pending > 0  # nothing lost


def test_a_protocol_1_program_on_a_station_of_one_device_works_as_before(
        tmp_path: Path, live_hq: LiveHq, proxy: FaultProxy) -> None:
    rig = make_station(tmp_path / "solo", CODE, live_hq, proxy.url)
    try:
        old = _old_program(rig)
        d.Workload.seeded(11).new_order(rig)
        old.sync_now()
        assert rig.sync.status().pending == 0
        assert live_hq.admin is not None
        sent = live_hq.admin.dispatch(CODE, [
            DispatchInput("王五", "13911112222", "北京市朝阳区1号", "洗衣机漏水")])
        old.sync_now()
        with rig.services.db.read() as s:
            assert s.get(ServiceOrder, sent[0].order_id) is not None
        from tests.sync.faults.harness import assert_converged
        assert_converged(rig, live_hq)
        assert live_hq.db is not None
        with live_hq.db.read() as s:
            ids = list(s.scalars(select(HqBatch.batch_id)))
        assert ids and all(b.startswith(f"{CODE}:") for b in ids)
    finally:
        rig.close()


# -- 6. clashes made offline on two devices -----------------------------------------------------

def test_the_same_user_name_added_on_two_devices_is_kept_twice_and_a_visible_clash(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    for rig, name in ((workshop, "车间王工"), (laptop, "外勤王工")):
        rig.services.users.create_user(d.login(rig), d.NewUser(
            "wang", name, d.Role.TECHNICIAN, PASSWORD))
    d.converge(devices)
    d.assert_same_state(devices)
    for rig in devices:
        with rig.services.db.read() as s:
            names = sorted(s.scalars(select(User.display_name).where(
                User.username.startswith("wang"))))
        assert names == ["外勤王工", "车间王工"], rig.root.name
    assert sum(1 for rig in devices for c in _conflicts(rig) if c.kind == "user_name_clash")


def _count(rig: StationRig, quantity: int, post: bool) -> str:
    actor = d.login(rig)
    count = rig.services.counts.open(actor)
    rig.services.counts.enter_scanned(actor, count.number, d.LAST_UNIT, quantity)
    if post:
        rig.services.counts.post(actor, count.number, "盘点")
    return count.number


def _on_hand(rig: StationRig) -> int:
    from app.store.models import StockMovement

    with rig.services.db.read() as s:
        return s.scalar(select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.part_id == d.part_id(d.LAST_UNIT))) or 0


def test_two_devices_count_the_same_part_offline_and_the_stock_is_not_counted_twice(
        devices: list[StationRig], live_hq: LiveHq) -> None:
    counter, workshop, laptop = devices
    d.publish_catalogue(live_hq)
    d.converge(devices, rounds=1)
    _count(counter, 1, post=True)
    d.converge(devices)
    # both find 5 on the shelf, each posts its count offline
    _count(workshop, 5, post=True)
    _count(laptop, 5, post=True)
    d.converge(devices)
    d.assert_same_state(devices)
    # the ledger only grows: both adjustments stand (1 + 4 + 4), and the device whose count
    # reached head office second shows the manager the clash to count again
    assert {_on_hand(rig) for rig in devices} == {9}
    clashes = [c for rig in (workshop, laptop) for c in _conflicts(rig)
               if c.entity == "stock_count"]
    assert len(clashes) == 1 and "counted twice" in clashes[0].remote_summary
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqConflict).where(
            HqConflict.kind == "count_clash")) == 1


def test_two_devices_book_the_same_orders_visit_offline_and_the_clash_is_visible(
        devices: list[StationRig]) -> None:
    from datetime import timedelta

    from app.store.models import Appointment
    counter, workshop, laptop = devices
    d.Workload.seeded(13).new_order(counter)
    with counter.services.db.read() as s:
        order_id = s.scalar(select(ServiceOrder.id))
    counter.services.orders.transition(d.login(counter), order_id, d.sm.Action.ACCEPT)
    d.converge(devices)
    start = counter.services.sync.clock().replace(microsecond=0) + timedelta(days=1)
    for rig, hours in ((workshop, 0), (laptop, 3)):
        rig.services.appointments.book(d.login(rig), order_id, None,
                                       start + timedelta(hours=hours),
                                       start + timedelta(hours=hours + 2),
                                       acknowledged=frozenset({"after_promise", "double_booked"}))
    d.converge(devices)
    d.assert_same_state(devices)
    with counter.services.db.read() as s:
        booked = list(s.scalars(select(Appointment.id).where(
            Appointment.order_id == order_id, Appointment.status == "booked")))
    # both kept (each device told the customer a time), and every device shows the clash
    assert len(booked) == 2
    for rig in devices:
        clashes = [c for c in _conflicts(rig) if c.kind == "double_visit"]
        assert len(clashes) == 1 and clashes[0].entity_id == max(booked), rig.root.name


def test_head_offices_edit_the_revoked_primary_never_got_reaches_the_next_primary(
        devices: list[StationRig], live_hq: LiveHq) -> None:
    counter, workshop, laptop = devices
    assert live_hq.admin is not None
    sent = live_hq.admin.dispatch(CODE, [
        DispatchInput("王五", "13911112222", "北京市朝阳区1号", "洗衣机漏水")])
    d.converge(devices)  # the counter PC made the order; every device has it as its op
    live_hq.admin.update_order(sent[0].number, {"service_address": "北京市朝阳区改后8号"})
    live_hq.admin.revoke_device(CODE, 1)  # before the counter PC pulled the edit
    d.converge([workshop, laptop])
    d.assert_same_state([workshop, laptop])
    for rig in (workshop, laptop):
        with rig.services.db.read() as s:
            order = s.get(ServiceOrder, sent[0].order_id)
            assert order is not None and order.service_address == "北京市朝阳区改后8号", \
                rig.root.name


def test_an_edit_that_reached_head_office_first_does_not_bring_an_erased_customer_back(
        devices: list[StationRig], live_hq: LiveHq) -> None:
    counter, workshop, laptop = devices
    d.Workload.seeded(5).new_order(counter)
    d.converge(devices, rounds=1)
    with counter.services.db.read() as s:
        customer_id, revision, name = s.execute(
            select(Customer.id, Customer.revision, Customer.name)).one()
    current = counter.services.customers.get(customer_id, viewer=d.login(counter))
    counter.services.customers.update(d.login(counter), customer_id, CustomerInput(
        current.name, tuple(current.phones), "北京市海淀区新地址99号"), revision)
    from app.services.order_types import OrderEdit

    with counter.services.db.read() as s:
        order = s.scalars(select(ServiceOrder)).one()
        s.expunge(order)
    counter.services.orders.update(d.login(counter), order.id, OrderEdit(
        d.OrderType(order.order_type), d.ServiceMode(order.service_mode),
        order.fault_description, "13900001111", "北京市海淀区新地址99号", order.product_id),
        order.revision)
    counter.sync.sync_now()  # the edits reach head office first
    laptop.services.privacy.erase_customer(d.login(laptop), customer_id, "本人", "要求删除")
    d.converge([laptop, counter, workshop])  # the laptop then pulls the older edit
    customers = [state["customer"] for state in d.states(devices)]
    assert customers[0] == customers[1] == customers[2]
    for rig in devices:
        with rig.services.db.read() as s:
            row = s.get(Customer, customer_id)
            assert row is not None and row.erased_at is not None, rig.root.name
            assert row.name != name and "新地址" not in (row.address or ""), rig.root.name
            kept = s.get(ServiceOrder, order.id)
            assert kept is not None and (kept.contact_phone, kept.service_address) == ("", "")
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        payloads = list(s.scalars(select(HqRecord.payload).where(
            HqRecord.entity_id.in_((customer_id, order.id)))))
    assert len(payloads) == 2
    assert not [x for x in payloads if name in x or "新地址" in x or "13900001111" in x]
