"""A new device joins a station with data, on the real head office: the station's state
downloaded page by page (a kill inside a page resumes at that page, a cancel between pages
resumes later), a device set up from another device's backup, then edits travel both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services, open_services
from app.domain.errors import RuleViolation
from app.paths import DataPaths
from app.services import device_join
from app.services.device_join import DeviceJoin
from app.services.recovery import restore_file
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.store import backups as store
from app.store.models import Customer, OutboxOp, ServiceOrder, Station, SyncState, User
from app.store.models.sync import SINGLETON_ID
from sync.client import ClientConfig
from sync.hq.models import HqReceivedOp, HqStation
from tests.sync.faults.harness import PASSWORD, LiveHq, StationRig, fast_transport
from tests.sync.faults.workload import new_orders

PAGE = 4


def _device(live_hq: LiveHq, name: str = "外勤笔记本") -> str:
    assert live_hq.admin is not None
    _row, token = live_hq.admin.add_device("BJ001", name)
    return token


def _joiner(root: Path) -> tuple[Services, DeviceJoin]:
    services = open_services(root)
    join = DeviceJoin(services.db, services.bus, FileTokenStore(root), services.sync.clock,
                      fast_transport, page_limit=PAGE)
    return services, join


def _rig(services: Services, token: str) -> StationRig:
    sync = SyncService(services.db, services.bus, FileTokenStore(services.paths.root),
                       services.sync.clock, fast_transport)
    services.sync = sync
    return StationRig("BJ001", services, sync, token)


def _counts(services: Services) -> tuple[int, int, int, int]:
    with services.db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (Station, User, Customer, ServiceOrder))


@pytest.fixture
def filled(rig: StationRig) -> StationRig:
    new_orders(rig, 6, seed=1)
    rig.sync.sync_now()
    return rig


def test_a_device_joins_then_edits_travel_both_ways(tmp_path: Path, live_hq: LiveHq,
                                                     filled: StationRig) -> None:
    token = _device(live_hq)
    services, join = _joiner(tmp_path / "laptop")
    seen: list[tuple[str, int, int]] = []
    try:
        assert join.is_empty()
        report = join.start(None, live_hq.url, "BJ001", token,
                            progress=lambda st, d, t: seen.append((st, d, t)))
        assert report.finished and report.device_number == 2 and report.total > PAGE
        assert seen and {s for s, _, _ in seen} == {"join"} and seen[-1][1] == seen[-1][2]
        assert _counts(services) == _counts(filled.services)
        with services.db.read() as s:
            assert s.scalar(select(func.count()).select_from(OutboxOp)) == 0  # none are its
            state = s.get(SyncState, SINGLETON_ID)
            assert state is not None and state.join_stage == "" and state.pull_cursor >= 0
        services.users.login("boss", PASSWORD)  # the manager's password works here too
        laptop = _rig(services, token)
        assert laptop.sync.device_status().number == 2
        made_here = new_orders(laptop, 2, seed=7)
        laptop.sync.sync_now()
        filled.sync.sync_now()
        with filled.services.db.read() as s:
            assert all(s.get(ServiceOrder, oid) is not None for oid in made_here)
        made_there = new_orders(filled, 1, seed=8)
        filled.sync.sync_now()
        laptop.sync.sync_now()
        with services.db.read() as s:
            assert s.get(ServiceOrder, made_there[0]) is not None
            numbers = set(s.scalars(select(ServiceOrder.number)))
        assert len(numbers) == _counts(services)[3]  # no number made twice
        assert [d.number for d in laptop.sync.device_status().devices] == [1, 2]
    finally:
        services.close()


def test_a_kill_inside_a_page_resumes_at_that_page(tmp_path: Path, live_hq: LiveHq,
                                                    filled: StationRig,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    token = _device(live_hq)
    root = tmp_path / "laptop"
    services, join = _joiner(root)
    real = device_join.apply_many
    calls = {"n": 0}

    def dies(s, changes, now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # inside the second page, after some of its rows
            real(s, changes[:2], now)
            raise KeyboardInterrupt
        return real(s, changes, now)

    monkeypatch.setattr(device_join, "apply_many", dies)
    try:
        with pytest.raises(KeyboardInterrupt):
            join.start(None, live_hq.url, "BJ001", token)
        assert join.state().stage == "records" and join.state().done == PAGE
    finally:
        services.close()
    monkeypatch.setattr(device_join, "apply_many", real)
    services, join = _joiner(root)  # the program started again
    try:
        assert not join.is_empty() and join.pending()
        report = join.resume()
        assert report.finished and report.done == report.total
        assert _counts(services) == _counts(filled.services)
    finally:
        services.close()


def test_cancel_stops_between_pages_and_resume_goes_on(tmp_path: Path, live_hq: LiveHq,
                                                       filled: StationRig) -> None:
    token = _device(live_hq)
    services, join = _joiner(tmp_path / "laptop")
    try:
        target = {"done": PAGE}

        def cancel_after_a_page(stage: str, done: int, total: int) -> None:
            if done >= target["done"]:
                join.cancel()

        report = join.start(None, live_hq.url, "BJ001", token, progress=cancel_after_a_page)
        assert report.cancelled and not report.finished and report.done == PAGE
        assert join.state().stage == "records"
        # the same start again (the command line run a second time) goes on from there
        target["done"] = 2 * PAGE
        report = join.start(None, live_hq.url, "BJ001", token, progress=cancel_after_a_page)
        assert report.cancelled and report.done == 2 * PAGE
        report = join.resume()
        assert report.finished and _counts(services) == _counts(filled.services)
        # once joined, the folder holds a station: joining again is refused
        with pytest.raises(RuleViolation):
            join.start(None, live_hq.url, "BJ001", token)
    finally:
        services.close()


def test_a_device_set_up_from_another_devices_backup(tmp_path: Path, live_hq: LiveHq,
                                                     filled: StationRig) -> None:
    backup = store.make_backup(filled.services.paths.database, filled.services.paths.backups,
                               filled.services.paths.attachments, "daily",
                               key=filled.services.db.key)
    last_seq = max(o.seq for o in _ops(filled.services))
    token = _device(live_hq)
    paths = DataPaths(tmp_path / "laptop").ensure()
    restore_file(paths, backup.path, recovery_key=filled.services.db.key)
    services = open_services(paths.root)
    laptop = _rig(services, token)
    try:
        from tests.sync.faults.workload import boss

        laptop.sync.register(boss(laptop), live_hq.url, "BJ001", token)
        assert laptop.sync.status().pending == 0  # the backup's ops are device 1's
        again = fast_transport(ClientConfig(live_hq.url, token))
        again.device_start(last_seq + 1)  # told twice (an answer lost): no harm, no error
        again.close()
        made = new_orders(laptop, 1, seed=9)
        laptop.sync.sync_now()
        mine = [o for o in _ops(services) if o.seq > last_seq]
        assert mine and laptop.sync.status().pending == 0
        assert live_hq.db is not None
        with live_hq.db.read() as s:
            st = s.scalar(select(HqStation).where(HqStation.code == "BJ001"))
            assert st is not None
            received = {r.op_id for r in s.scalars(
                select(HqReceivedOp).where(HqReceivedOp.station_id == st.id))}
        assert {o.op_id for o in mine} <= received
        filled.sync.sync_now()
        with filled.services.db.read() as s:
            assert s.get(ServiceOrder, made[0]) is not None
    finally:
        services.close()


def test_a_laptop_set_up_from_a_backup_with_no_line_numbers_its_own_orders(
        tmp_path: Path, live_hq: LiveHq, filled: StationRig) -> None:
    """No line at set-up: the device token says which device this is, so the laptop's
    orders carry its letter at once; at its first sync head office learns where its own seq
    starts, and the order the counter PC made before the backup is sent once, by the PC."""
    before_backup = new_orders(filled, 1, seed=21)[0]  # in the backup, not yet sent
    backup = store.make_backup(filled.services.paths.database, filled.services.paths.backups,
                               filled.services.paths.attachments, "daily",
                               key=filled.services.db.key)
    token = _device(live_hq)
    assert token.startswith("d2.")
    paths = DataPaths(tmp_path / "laptop").ensure()
    restore_file(paths, backup.path, recovery_key=filled.services.db.key)
    services = open_services(paths.root)
    laptop = _rig(services, token)
    try:
        from tests.sync.faults.workload import boss

        laptop.sync.register(boss(laptop), live_hq.url, "BJ001", token, check=False)
        assert laptop.sync.status().pending == 0  # the backup's ops are the PC's to send
        theirs = filled.services.orders.detail(new_orders(filled, 1, seed=22)[0]).number
        mine = services.orders.detail(new_orders(laptop, 1, seed=23)[0]).number
        assert mine.split("-")[-1] == "B0001" and theirs.split("-")[-1][0].isdigit()
        laptop.sync.sync_now()  # the line is up: device start, then its own ops
        filled.sync.sync_now()
        laptop.sync.sync_now()
        assert live_hq.db is not None
        with live_hq.db.read() as s:
            st = s.scalar(select(HqStation).where(HqStation.code == "BJ001"))
            assert st is not None
            received = [r.op_id for r in s.scalars(
                select(HqReceivedOp).where(HqReceivedOp.station_id == st.id))]
        assert len(received) == len(set(received))
        ours = {o.op_id for o in _ops(filled.services)} | {o.op_id for o in _ops(services)}
        assert set(received) == ours
        for rig in (filled, laptop):
            with rig.services.db.read() as s:
                held = set(s.scalars(select(ServiceOrder.id)))
            assert before_backup in held
            assert {mine, theirs} <= {rig.services.orders.detail(i).number for i in held}
    finally:
        services.close()


def _ops(services: Services) -> list[OutboxOp]:
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).order_by(OutboxOp.seq)))


def test_the_command_line_joins_an_empty_folder_and_lists_devices(
        tmp_path: Path, live_hq: LiveHq, filled: StationRig, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from app.__main__ import main

    monkeypatch.setenv("REPAIR_STATION_TOKEN_FILE_ONLY", "1")
    token = _device(live_hq, "车间电脑")
    root = tmp_path / "workshop"
    argv = ["--data-dir", str(root), "register", "--hq", live_hq.url, "--station", "BJ001",
            "--token-stdin"]
    real, calls = device_join.apply_many, {"n": 0}

    def ctrl_c(s, changes, now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:  # Ctrl+C while the first page is being written
            real(s, changes[:3], now)
            raise KeyboardInterrupt
        return real(s, changes, now)

    monkeypatch.setattr(device_join, "apply_many", ctrl_c)
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(argv) == 9
    assert "再次运行 register 即可从停止处继续" in capsys.readouterr().err
    monkeypatch.setattr(device_join, "apply_many", real)
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(argv) == 0  # the second run goes on
    out = capsys.readouterr()
    assert "正在下载维修站数据" in out.err and "已作为设备 2（车间电脑）加入维修站 BJ001" in out.out
    assert token not in out.out + out.err
    assert main(["--data-dir", str(root), "sync"]) == 0
    assert main(["--data-dir", str(root), "devices"]) == 0
    listing = capsys.readouterr().out
    assert "* " in listing and "车间电脑" in listing
    assert main(["--data-dir", str(root), "unsent", "--csv", str(tmp_path / "u.csv")]) == 0
    assert "总部未收到的 0 条更改" in capsys.readouterr().out
