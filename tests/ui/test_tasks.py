"""The task runner: work off the GUI thread, results and errors back on it, busy state."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent, QThread
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app.domain.errors import RuleViolation


def test_result_arrives_on_gui_thread(qtbot, runner):
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread().name
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(work, done)
    assert seen["value"] == 42
    assert seen["gui"] is True
    assert str(seen["worker"]).startswith("db")


def test_error_goes_to_on_error_and_busy_toggles(qtbot, runner):
    states: list[bool] = []
    errors: list[BaseException] = []
    runner.busy_changed.connect(states.append)

    def fail() -> None:
        raise RuleViolation("Phone number is required.", field="phone")

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(fail, on_error=errors.append)
        assert runner.busy
    assert states == [True, False]
    assert isinstance(errors[0], RuleViolation) and errors[0].field == "phone"


def test_db_work_is_serial_in_submission_order(qtbot, runner):
    order: list[int] = []
    with qtbot.waitSignal(runner.idle, timeout=5000):
        for i in range(20):
            runner.run(lambda i=i: i, order.append)
    assert order == list(range(20))


def test_result_for_destroyed_owner_is_dropped(qtbot, runner):
    label = QLabel()
    calls: list[int] = []
    gate = threading.Event()
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(lambda: gate.wait(5) and 1, calls.append, owner=label)
        label.deleteLater()
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gate.set()
    assert calls == []


def test_progress_task_can_be_cancelled(qtbot, runner):
    results: list[object] = []

    def long_work(report, cancelled) -> str:
        for i in range(1000):
            if cancelled():
                return f"stopped at {i}"
            report(i, 1000, "")
            threading.Event().wait(0.002)
        return "finished"

    with qtbot.waitSignal(runner.idle, timeout=10000):
        dialog = runner.run_with_progress(long_work, results.append, title="Working")
        qtbot.wait(50)
        dialog.findChild(QPushButton).click()
    assert results and str(results[0]).startswith("stopped at")
