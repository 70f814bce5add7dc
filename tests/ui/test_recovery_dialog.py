"""The start-up recovery dialog: a damaged database shows what is wrong, the newest good
backup's date and what restoring it loses, 恢复此备份 restores it (off the GUI thread) and the
program opens; 退出 leaves everything as it is; no backup means only 退出. The launcher routes a
damaged database here instead of a traceback, and the daily backup timer makes one backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app.bootstrap import DatabaseDamaged, open_services
from app.paths import DataPaths
from app.services.backups import BackupService
from app.services.recovery import local_time, recovery_offer
from app.store import backups as store
from app.store.backup_checks import health_check
from app.ui.launch import run_gui
from app.ui.startup.backup_timer import DailyBackup
from app.ui.startup.recovery_dialog import RecoveryDialog
from app.ui.tasks import TaskRunner
from tests.station_files import station_connect, station_key


def _damaged_station(root: Path, with_backup: bool = True) -> DataPaths:
    services = open_services(root)
    paths = services.paths
    if with_backup:
        store.make_backup(paths.database, paths.backups, paths.attachments, "daily",
                          key=services.db.key)
    services.close()
    paths.database.write_bytes(b"not a database at all" * 100)
    for side in ("-wal", "-shm"):
        Path(str(paths.database) + side).unlink(missing_ok=True)
    return paths


def _offer(paths: DataPaths):  # type: ignore[no-untyped-def]
    found = health_check(paths.database)
    assert found is not None
    return recovery_offer(paths, found)


def test_restore_this_backup_restores_and_the_station_opens(qtbot, tmp_path: Path) -> None:
    paths = _damaged_station(tmp_path / "st")
    offer = _offer(paths)
    tasks = TaskRunner()
    try:
        dialog = RecoveryDialog(offer, tasks)
        qtbot.addWidget(dialog)
        text = dialog.message.text()
        assert "无法打开本站数据" in text and "不是数据库文件" in text
        assert local_time(offer.backup.created_at) in text and "将丢失" in text
        assert dialog.restore_button is not None
        assert dialog.restore_button.text() == "恢复此备份(&R)"
        assert dialog.quit_button.text() == "退出(&Q)"
        dialog.show()
        dialog.grab().save(str(tmp_path / "recovery.png"))
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.restore_button.click()
        assert dialog.result_of_restore is not None
        assert dialog.result_of_restore.replaced is not None
        assert dialog.result_of_restore.replaced.read_bytes().startswith(b"not a database")
    finally:
        tasks.shutdown()
    assert health_check(paths.database, station_key(paths.database)) is None
    open_services(paths.root).close()


def test_quit_leaves_the_damaged_file_as_it_is(qtbot, tmp_path: Path) -> None:
    paths = _damaged_station(tmp_path / "st")
    before = paths.database.read_bytes()
    tasks = TaskRunner()
    try:
        dialog = RecoveryDialog(_offer(paths), tasks)
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitSignal(dialog.rejected, timeout=2_000):
            dialog.quit_button.click()
    finally:
        tasks.shutdown()
    assert paths.database.read_bytes() == before
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_without_a_backup_only_quit_is_offered(qtbot, tmp_path: Path) -> None:
    paths = _damaged_station(tmp_path / "st", with_backup=False)
    tasks = TaskRunner()
    try:
        dialog = RecoveryDialog(_offer(paths), tasks)
        qtbot.addWidget(dialog)
        assert dialog.restore_button is None
        assert "没有找到可用的备份" in dialog.message.text()
    finally:
        tasks.shutdown()


def test_the_launcher_reports_a_damaged_database_without_a_traceback(qtbot, tmp_path: Path,
                                                                      capsys) -> None:
    paths = _damaged_station(tmp_path / "st")
    assert run_gui(paths.root, self_test=True) == 2
    err = capsys.readouterr().err
    assert "无法打开本站数据" in err and "最新的完好备份" in err and "Traceback" not in err
    try:
        open_services(paths.root)
    except DatabaseDamaged:
        pass
    else:  # pragma: no cover - the file is damaged
        raise AssertionError("a damaged database opened")


def test_the_daily_backup_timer_makes_one_backup(qtbot, tmp_path: Path) -> None:
    services = open_services(tmp_path / "st")
    tasks = TaskRunner()
    try:
        backups = BackupService(services.paths, key=services.db.key)
        timer = DailyBackup(backups, tasks, first_delay_ms=0, every_ms=60_000)
        qtbot.waitUntil(lambda: timer.last is not None, timeout=10_000)
        timer.check()  # not due again the same day
        qtbot.waitUntil(lambda: not timer._running, timeout=10_000)
        assert [b.kind for b in backups.backups()] == ["daily"]
        with station_connect(backups.backups()[0].path / "station.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        tasks.shutdown()
        services.close()


def test_a_restore_request_closes_the_window(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from app.services.recovery import close_requested, request_window_close
    from app.ui.startup.backup_timer import CloseRequestWatcher

    paths = DataPaths(tmp_path / "st").ensure()
    request_window_close(paths)  # left over from before: not for this window
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    watcher = CloseRequestWatcher(paths, window, every_ms=50)
    assert not close_requested(paths)
    watcher.check()
    assert window.isVisible()
    request_window_close(paths)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert not close_requested(paths)


def test_damage_found_by_the_daily_backup_is_shown(qtbot, tmp_path: Path, monkeypatch) -> None:
    from app.store.backup_checks import problem
    from app.ui.startup import backup_timer

    shown: list[str] = []
    monkeypatch.setattr(backup_timer.QMessageBox, "warning",
                        lambda parent, title, text: shown.append(text))

    class Damaged:
        def run_daily(self):  # type: ignore[no-untyped-def]
            raise problem("damaged", path="station.sqlite3", error="page 7 is never used")

    tasks = TaskRunner()
    try:
        timer = DailyBackup(Damaged(), tasks, first_delay_ms=0, every_ms=60_000)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    finally:
        tasks.shutdown()
    assert "每日备份发现站点数据库已损坏" in shown[0] and "page 7 is never used" in shown[0]
    assert timer.warned and not timer._running
