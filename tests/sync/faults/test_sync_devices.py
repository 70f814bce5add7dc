"""Three devices of one station and one other station against the live head office, through
the fault proxy: random work on every device while the others are offline (orders,
customers, order moves, users and passwords, stock down to the last unit, a claim batch),
syncs in random order over a line that fails at random, ``kill -9`` of a real sync process
mid-way. At the end every device of the station holds the same state field by field, head
office holds every op once, every clash is a visible conflict at the device that lost it,
and the other station received nothing of it."""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.parts import part_id
from app.store.models import ClaimBatch, Customer, ServiceOrder, SyncConflict
from sync import protocol as p
from sync.hq.__main__ import main as hq_main
from sync.hq.models import HqConflict, HqReceivedOp, HqStation
from tests.sync.faults import devices_rig as d
from tests.sync.faults.harness import (
    PASSWORD,
    FaultProxy,
    LiveHq,
    StationRig,
    make_station,
    sync_process,
)

CODE, OTHER = "BJ001", "SH002"
#: what a flaky line does to a request, drawn at random (most pass)
FAULTS = ("pass",) * 6 + ("500", "500_after", "drop", "drop_after", "cut_response")


@pytest.fixture
def devices(tmp_path: Path, live_hq: LiveHq, proxy: FaultProxy) -> Iterator[list[StationRig]]:
    first = make_station(tmp_path / "counter", CODE, live_hq, proxy.url)
    d.publish_catalogue(live_hq)
    first.sync.sync_now()
    d.count_stock(first, 1)  # one unit of the part left
    first.sync.sync_now()
    rigs = [first]
    for folder, name in (("workshop", "车间电脑"), ("laptop", "外勤笔记本")):
        rigs.append(d.join_device(tmp_path / folder, live_hq, proxy.url, CODE, name))
    yield rigs
    for rig in rigs:
        rig.close()


@pytest.fixture
def other(tmp_path: Path, live_hq: LiveHq, proxy: FaultProxy) -> Iterator[StationRig]:
    rig = make_station(tmp_path / "other", OTHER, live_hq, proxy.url)
    yield rig
    rig.close()


def test_joined_devices_start_with_the_station_and_log_in_offline(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    assert d.assert_same_state(devices)["user"] >= 1
    # the manager set up on the counter PC logs in on the laptop, with no line at all
    assert laptop.services.users.login("boss", PASSWORD).username == "boss"
    numbers = {rig.sync.device_status().tag for rig in devices}
    assert numbers == {"", "B", "C"}


def test_two_devices_sell_the_last_unit_offline_and_the_manager_sees_the_shortage(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    assert d.sell_one(workshop) and d.sell_one(laptop)  # each saw one unit on its shelf
    d.converge(devices)
    d.assert_same_state(devices)
    for rig in devices:
        shortages = rig.services.stock_shortages.shortages(d.login(rig))
        assert [(x.part_no, x.on_hand) for x in shortages] == [(d.LAST_UNIT, -1)]
    # a visible conflict, at least where the second sale landed
    assert sum(d.open_conflicts(rig, "stock_shortage") for rig in devices) >= 1


def test_the_same_customer_edited_on_two_devices_is_one_visible_conflict(
        devices: list[StationRig]) -> None:
    counter, workshop, laptop = devices
    w = d.Workload.seeded(7)
    assert w.new_order(counter)
    d.converge(devices)
    with counter.services.db.read() as s:
        customer_id, revision = s.execute(select(Customer.id, Customer.revision)).one()
    for rig, address in ((workshop, "车间改的地址"), (laptop, "外勤改的地址")):
        current = rig.services.customers.get(customer_id, viewer=d.login(rig))
        rig.services.customers.update(d.login(rig), customer_id, d.CustomerInput(
            current.name, tuple(current.phones), address), revision)
    d.converge(devices)
    d.assert_same_state(devices)
    with laptop.services.db.read() as s:
        kinds = list(s.scalars(select(SyncConflict.kind)))
    with workshop.services.db.read() as s:
        kinds += list(s.scalars(select(SyncConflict.kind)))
    assert kinds.count(p.STALE_DEVICE_EDIT) == 1


def test_a_claim_batch_from_one_device_and_head_office_decisions_reach_every_device(
        devices: list[StationRig], live_hq: LiveHq, capsys: pytest.CaptureFixture[str]) -> None:
    counter, workshop, laptop = devices
    number = d.submit_claim(laptop)  # the manager files the batch on the laptop
    d.converge(devices)
    assert hq_main(["--db", live_hq.url_db, "claims", "decide", number, "--approve-rest"]) == 0
    assert hq_main(["--db", live_hq.url_db, "claims", "settle", number]) == 0
    capsys.readouterr()
    d.converge(devices)
    tables = d.assert_same_state(devices)
    assert tables["claim_batch"] == 1 and tables["old_part"] == 1
    for rig in devices:
        with rig.services.db.read() as s:
            batch = s.scalar(select(ClaimBatch).where(ClaimBatch.number == number))
            assert batch is not None and batch.status == "settled"
            assert all(line.decision == "approved" for line in batch.lines)


@pytest.mark.slow
def test_random_work_on_three_devices_converges_field_by_field(
        devices: list[StationRig], other: StationRig, live_hq: LiveHq,
        proxy: FaultProxy) -> None:
    random_work(devices, other, live_hq, proxy, seed=20261201, rounds=4)


def random_work(devices: list[StationRig], other: StationRig, live_hq: LiveHq,
                proxy: FaultProxy, seed: int, rounds: int) -> None:
    """Random work offline on every device, syncs over a flaky line, two kills; then every
    check of the harness (see the module docstring)."""
    rnd = random.Random(seed)
    work = d.Workload(rnd, {})
    kills = 0
    for round_ in range(rounds):
        for rig in devices:  # every device works offline
            for _ in range(5):
                work.step(rig)
        work.step(other)
        order = devices[:]
        rnd.shuffle(order)
        proxy.plan.chooser = lambda method, path: rnd.choice(FAULTS)
        for rig in order + [other]:
            d.sync_quietly(rig)
        if round_ in (1, 2):  # a real sync process killed mid-way on one device
            victim = rnd.choice(devices)
            for _ in range(3):
                work.step(victim)
            # round 1: after head office committed its push, before the answer; round 2:
            # while its pull's answer is on the way
            proxy.plan.chooser = None
            proxy.plan.queue = [(p.PUSH_PATH if round_ == 1 else p.PULL_PATH, "hold")]
            proxy.committed.clear()
            proxy.release.clear()
            proc = sync_process(victim.root)
            if proxy.committed.wait(60):
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait(30)
            proxy.release.set()
            proxy.plan.queue = []
    proxy.plan.chooser = None
    proxy.plan.default = "pass"
    assert kills >= 1
    d.converge(devices + [other])

    tables = d.assert_same_state(devices)
    assert tables["service_order"] >= 4 and tables["user"] >= 2
    ops = d.assert_each_op_once(devices, live_hq, CODE)
    assert ops > 30
    assert all(work.done.get(kind) for kind in ("edit_customer", "advance_order", "sell",
                                                 "add_user", "change_password"))
    # stock never hidden: what the ledger says is what every device shows, below zero too
    # (a shortage's conflict is the device's that found it; the stock is everyone's)
    shown = [rig.services.stock.on_hand(part_id(d.LAST_UNIT)) for rig in devices]
    assert shown[0] == shown[1] == shown[2]
    for rig in devices:
        listed = {x.part_no: x.on_hand for x in rig.services.stock_shortages.shortages(
            d.login(rig))}
        assert all(on_hand == shown[0] for on_hand in listed.values())

    # every op head office refused as stale is a conflict at the device that made it
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == CODE))
        refused = list(s.scalars(select(HqReceivedOp.op_id).where(
            HqReceivedOp.station_id == station_id, HqReceivedOp.status != "applied")))
        merged = s.scalar(select(func.count()).select_from(HqConflict).where(
            HqConflict.station_id == station_id, HqConflict.kind == p.ORDER_STATUS_MERGED))
    keys: set[str] = set()
    for rig in devices:
        with rig.services.db.read() as s:
            keys |= set(s.scalars(select(SyncConflict.source_key)))
    assert {f"op:{op_id}" for op_id in refused} <= keys
    assert merged is not None

    # the other station received nothing of this one
    with other.services.db.read() as s:
        theirs = set(s.scalars(select(ServiceOrder.id)))
        names = set(s.scalars(select(Customer.name)))
    with devices[0].services.db.read() as s:
        ours = set(s.scalars(select(ServiceOrder.id)))
        our_names = set(s.scalars(select(Customer.name)))
    assert not theirs & ours
    assert not names & our_names
