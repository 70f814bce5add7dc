"""``repair-station backup [--to FILE.zip]`` and ``restore FILE [--yes]``: a backup is listed
and written as one zip, a restore shows the backup's date and station and asks (no answer, no
change), ``--yes`` restores and keeps the replaced database aside, a bad file exits 2 untouched,
a window holding the station makes the restore refuse, and any command on a damaged database
prints the recovery offer with exit 3 instead of a traceback."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest

from app.__main__ import main
from app.bootstrap import open_services
from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.services.recovery import CLOSE_REQUEST, RUNNING_LOCK, local_time
from app.services.users import NewStation, NewUser
from app.store import backups as store
from app.store.file_lock import FileLock
from app.store.key_seal import default_key_seal
from app.store.store_key import StoreKey
from tests.station_files import station_connect, station_key


def _station(tmp_path: Path) -> Path:
    folder = tmp_path / "station"
    services = open_services(folder)
    try:
        services.users.set_up_station(NewStation("BJ001", "北京海淀维修站", "北京", "010-62345678"),
                                      NewUser("boss", "张站长", Role.MANAGER, "correct-horse"))
    finally:
        services.close()
    return folder


def _add_order(folder: Path) -> None:
    services = open_services(folder)
    try:
        boss = services.users.login("boss", "correct-horse")
        services.orders.create(boss, NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13900001111",
            customer=CustomerInput("王五", ("13900001111",), "北京")))
    finally:
        services.close()


def _orders(folder: Path) -> int:
    with station_connect(folder / "station.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM service_orders").fetchone()[0]


def test_backup_then_restore_with_yes(tmp_path: Path, capsys) -> None:
    folder = _station(tmp_path)
    archive = tmp_path / "out" / "bj001.zip"
    assert main(["--data-dir", str(folder), "backup", "--to", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "已备份站点 BJ001" in out and archive.is_file()
    (backup,) = store.list_backups(folder / "backups")
    assert backup.manifest.kind == "manual" and str(backup.path) in out
    _add_order(folder)
    assert _orders(folder) == 1
    assert main(["--data-dir", str(folder), "restore", str(archive), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "BJ001" in out and "北京海淀维修站" in out
    assert local_time(backup.manifest.created) in out and "被替换的数据库保留为" in out
    assert _orders(folder) == 0
    (replaced,) = (folder / "backups").glob("replaced-*.sqlite3")
    with station_connect(replaced) as conn:
        assert conn.execute("SELECT count(*) FROM service_orders").fetchone() == (1,)
    kinds = [b.manifest.kind for b in store.list_backups(folder / "backups")]
    assert sorted(kinds) == ["before-restore", "manual"]


def test_restore_asks_first_and_no_answer_changes_nothing(tmp_path: Path, capsys,
                                                          monkeypatch) -> None:
    folder = _station(tmp_path)
    assert main(["--data-dir", str(folder), "backup"]) == 0
    (backup,) = store.list_backups(folder / "backups")
    _add_order(folder)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["--data-dir", str(folder), "restore", str(backup.path)]) == 1
    out = capsys.readouterr().out
    assert "确定恢复此备份吗" in out and "已取消" in out
    assert _orders(folder) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["--data-dir", str(folder), "restore", str(backup.path)]) == 0
    assert _orders(folder) == 0


def test_a_bad_file_is_refused_untouched(tmp_path: Path, capsys) -> None:
    folder = _station(tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\x00" * 4096)
    before = (folder / "station.sqlite3").read_bytes()
    assert main(["--data-dir", str(folder), "restore", str(junk), "--yes"]) == 2
    assert "不是数据库文件" in capsys.readouterr().err
    assert (folder / "station.sqlite3").read_bytes() == before
    assert main(["--data-dir", str(folder), "backup", "--to", str(tmp_path / "x.txt")]) == 2


def test_restore_refuses_while_the_window_holds_the_station(tmp_path: Path, capsys) -> None:
    folder = _station(tmp_path)
    assert main(["--data-dir", str(folder), "backup"]) == 0
    (backup,) = store.list_backups(folder / "backups")
    _add_order(folder)
    # the window's lock, held by "another process" (a second open file description)
    with FileLock(folder / RUNNING_LOCK, blocking=False):
        assert main(["--data-dir", str(folder), "restore", str(backup.path), "--yes",
                     "--wait", "0.5"]) == 3
    assert "请先关闭窗口" in capsys.readouterr().err
    assert _orders(folder) == 1
    assert not (folder / CLOSE_REQUEST).exists()


def test_restore_asks_an_open_window_to_close_and_waits_for_it(tmp_path: Path) -> None:
    folder = _station(tmp_path)
    assert main(["--data-dir", str(folder), "backup"]) == 0
    (backup,) = store.list_backups(folder / "backups")
    _add_order(folder)
    window = FileLock(folder / RUNNING_LOCK, blocking=False).acquire()
    asked = threading.Event()

    def a_window_that_closes_when_asked() -> None:
        while not (folder / CLOSE_REQUEST).exists():
            time.sleep(0.05)
        asked.set()
        window.release()

    watcher = threading.Thread(target=a_window_that_closes_when_asked)
    watcher.start()
    try:
        assert main(["--data-dir", str(folder), "restore", str(backup.path), "--yes",
                     "--wait", "20"]) == 0
    finally:
        watcher.join(timeout=20)
    assert asked.is_set() and _orders(folder) == 0
    assert not (folder / CLOSE_REQUEST).exists()


@pytest.mark.parametrize("command", [["backup"], ["parts", "stock"]])
def test_a_damaged_database_prints_the_offer_and_exits_3(tmp_path: Path, capsys,
                                                         command: list[str]) -> None:
    folder = _station(tmp_path)
    assert main(["--data-dir", str(folder), "backup"]) == 0
    (backup,) = store.list_backups(folder / "backups")
    database = folder / "station.sqlite3"
    database.write_bytes(b"")
    for side in ("-wal", "-shm"):
        Path(str(database) + side).unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), *command]) == 3
    err = capsys.readouterr().err
    assert "是空的" in err and "Traceback" not in err
    if command == ["parts", "stock"]:
        assert "最新的完好备份" in err and str(backup.path) in err


def test_restore_onto_a_new_computer(tmp_path: Path, capsys, monkeypatch) -> None:
    """A zip from `backup --to` restored into an empty data folder (the station's new PC)."""
    folder = _station(tmp_path)
    _add_order(folder)
    archive = tmp_path / "usb" / "bj001.zip"
    assert main(["--data-dir", str(folder), "backup", "--to", str(archive)]) == 0
    new_pc = tmp_path / "new-pc"
    capsys.readouterr()
    # the backup is encrypted with the station's key, which the new PC does not hold
    assert main(["--data-dir", str(new_pc), "restore", str(archive), "--yes"]) == 2
    assert "--recovery-key-stdin" in capsys.readouterr().err
    assert not (new_pc / "station.sqlite3").exists()
    # another station's recovery key (valid, but not this backup's): refused, nothing made
    monkeypatch.setattr("sys.stdin", io.StringIO(StoreKey.generate().recovery_text() + "\n"))
    assert main(["--data-dir", str(new_pc), "restore", str(archive), "--yes",
                 "--recovery-key-stdin"]) == 2
    assert "恢复密钥属于另一个维修站" in capsys.readouterr().err
    assert not (new_pc / "station.sqlite3").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("7K2M-QX9P\n"))  # mistyped
    assert main(["--data-dir", str(new_pc), "restore", str(archive), "--yes",
                 "--recovery-key-stdin"]) == 2
    assert not (new_pc / "station.sqlite3").exists()
    # the station's own recovery key (as printed: lower case and spaces are forgiven)
    key = station_key(folder / "station.sqlite3")
    assert key is not None
    typed = key.recovery_text().lower().replace("-", " ")
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    assert main(["--data-dir", str(new_pc), "restore", str(archive), "--yes",
                 "--recovery-key-stdin"]) == 0
    assert _orders(new_pc) == 1
    assert default_key_seal(new_pc).load() == key  # kept on the new PC: the store opens
    services = open_services(new_pc)
    try:
        assert services.db.key == key
        assert services.users.station().code == "BJ001"
        services.users.login("boss", "correct-horse")
    finally:
        services.close()
