"""加入已有维修站 at first run (issue 15): the set-up offers it; the join runs off the GUI
thread with a progress dialog whose 取消 stops it; a stopped download offers 继续下载 at once
and at the next start; the token never echoes. A stub join service stands in for head office
(the real ``DeviceJoin`` is tested in tests/sync)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QProgressDialog, QPushButton

from app.domain.errors import RuleViolation
from app.services.device_join import JoinReport, JoinState
from app.ui.startup.join_dialog import JoinDialog
from app.ui.startup.setup_dialog import SetupDialog
from tests.ui.conftest import settle

SHOTS = Path(tempfile.gettempdir()) / "repair-station-shots"


class StubJoin:
    """Two pages of three records: the first page, then it waits for 取消 (or runs on)."""

    def __init__(self, stop_after_first: bool = True) -> None:
        self.stage, self.done, self.total = "", 0, 0
        self.stop_after_first = stop_after_first
        self.cancelled = threading.Event()
        self.first_page = threading.Event()
        self.calls: list[tuple] = []

    def state(self) -> JoinState:
        return JoinState(self.stage, self.done, self.total)

    def pending(self) -> bool:
        return self.stage != ""

    def cancel(self) -> None:
        self.cancelled.set()

    def start(self, actor, hq_url, station_code, token, ca_bundle=None, progress=None):
        self.calls.append(("start", actor, hq_url, station_code, token, ca_bundle))
        if not token:
            raise RuleViolation("The token is required.", field="token")
        self.stage, self.total = "records", 3
        return self._go(progress)

    def resume(self, progress=None):
        self.calls.append(("resume",))
        self.stop_after_first = False
        return self._go(progress)

    def _go(self, progress):
        self.cancelled.clear()
        self.done = max(self.done, 1)
        progress("join", self.done, self.total)
        self.first_page.set()
        if self.stop_after_first and self.cancelled.wait(10):
            return JoinReport("BJ001", 2, "外勤笔记本", self.done, self.total, False, True)
        self.done, self.stage = self.total, ""
        progress("join", self.done, self.total)
        return JoinReport("BJ001", 2, "外勤笔记本", 3, 3, True)


def fill(dialog: JoinDialog) -> None:
    dialog.hq_url.setText("https://hq.example.com")
    dialog.station_code.setText("BJ001")
    dialog.token.setText("device-token-123")


def test_the_set_up_offers_joining_an_existing_station(qtbot, services, runner) -> None:
    setup = SetupDialog(services.users, runner)
    qtbot.addWidget(setup)
    setup.show()
    assert setup.join_button.text() == "加入已有维修站(&J)…"
    setup.join_button.click()
    assert setup.result() == SetupDialog.JOIN


def test_join_cancel_then_continue(qtbot, services, runner) -> None:
    join = StubJoin()
    dialog = JoinDialog(join, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.token.echoMode() is QLineEdit.EchoMode.Password
    assert dialog.join_button.shortcut().toString() == "Alt+J"
    assert not dialog.resume_button.isVisible()
    fill(dialog)
    dialog.ca_bundle.setText("/etc/company-ca.pem")
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "devices-join.png"))
    dialog.join_button.click()
    assert join.first_page.wait(5)
    progress = dialog.findChild(QProgressDialog, "join_progress")
    qtbot.waitUntil(lambda: progress.value() == 1 and progress.maximum() == 3)
    assert progress.labelText() == "正在下载本站数据：1 / 3…"
    progress.grab().save(str(SHOTS / "devices-join-progress.png"))
    assert not dialog.join_button.isEnabled()  # one join at a time
    cancel = progress.findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    settle(qtbot, runner)
    assert join.calls[0] == ("start", None, "https://hq.example.com", "BJ001",
                             "device-token-123", "/etc/company-ca.pem")
    assert dialog.isVisible() and dialog.resume_button.isVisible()
    assert dialog.resume_button.text() == "继续下载(&C)"
    assert "1" in dialog.paused.text() and "3" in dialog.paused.text()
    dialog.grab().save(str(SHOTS / "devices-join-paused.png"))
    with qtbot.waitSignal(dialog.joined, timeout=10_000):
        dialog.resume_button.click()
    settle(qtbot, runner)
    assert join.calls[-1] == ("resume",) and dialog.result() == JoinDialog.DialogCode.Accepted
    assert dialog.token.text() == ""  # the token is not kept in the window


def test_a_refused_token_shows_under_its_field(qtbot, services, runner) -> None:
    join = StubJoin()
    dialog = JoinDialog(join, runner)
    qtbot.addWidget(dialog)
    fill(dialog)
    dialog.token.clear()
    dialog.join_button.click()
    settle(qtbot, runner)
    assert "令牌" in dialog.error_text("token")
    assert dialog.join_button.isEnabled() and not dialog.resume_button.isVisible()


def test_the_next_start_offers_to_continue(qtbot, services, runner) -> None:
    join = StubJoin(stop_after_first=False)
    join.stage, join.done, join.total = "records", 1, 3  # killed after the first page
    dialog = JoinDialog(join, runner, resume=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.resume_button.isVisible() and not dialog.join_button.isVisible()
    assert not dialog.hq_url.isEnabled() and not dialog.hq_url.isVisible()
    dialog.grab().save(str(SHOTS / "devices-join-next-start.png"))
    with qtbot.waitSignal(dialog.joined, timeout=10_000):
        dialog.resume_button.click()
    settle(qtbot, runner)
    assert join.calls == [("resume",)]


class FirstRunServices:
    def __init__(self, services, join) -> None:
        self.users, self.join = services.users, join


def test_first_run_chooses_between_a_new_station_and_joining(qtbot, services, runner,
                                                             monkeypatch) -> None:
    from app.ui.startup import first_run as fr

    shown: list[str] = []
    setup_answers = [SetupDialog.JOIN, SetupDialog.DialogCode.Rejected]
    join_answers = [JoinDialog.DialogCode.Rejected]

    def setup_exec(self) -> int:
        shown.append("setup")
        return setup_answers.pop(0)

    def join_exec(self) -> int:
        shown.append("join-resume" if self.resume_button.isVisibleTo(self) else "join")
        return join_answers.pop(0)

    monkeypatch.setattr(fr.SetupDialog, "exec", setup_exec)
    monkeypatch.setattr(fr.JoinDialog, "exec", join_exec)
    join = StubJoin()
    svc = FirstRunServices(services, join)
    assert fr.needs_first_run(svc)  # an empty folder
    # 加入已有维修站, then 返回 to the choice, then 退出
    assert fr.first_run(svc, runner) is False
    assert shown == ["setup", "join", "setup"]
    # joined: the log-in follows
    shown.clear()
    setup_answers[:] = [SetupDialog.JOIN]
    join_answers[:] = [JoinDialog.DialogCode.Accepted]
    assert fr.first_run(svc, runner) is True and shown == ["setup", "join"]
    # a download cut short: only 继续下载 at the next start, before anything else
    shown.clear()
    join.stage, join.done, join.total = "records", 1, 3
    join_answers[:] = [JoinDialog.DialogCode.Rejected]
    assert fr.needs_first_run(svc)
    assert fr.first_run(svc, runner) is False and shown == ["join-resume"]
