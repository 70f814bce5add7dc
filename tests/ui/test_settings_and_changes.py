"""UI settings kept as JSON in the data folder, and announcements reaching the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from app.services.events import ChangeBus
from app.ui.extensions import Changes
from app.ui.settings import UiSettings


def test_settings_survive_a_restart_and_a_damaged_file(tmp_path):
    path = tmp_path / "settings.json"
    settings = UiSettings(path)
    settings.set("printing.paper", "A5")
    settings.set("main_window.geometry", "AAAA")
    assert UiSettings(path).get("printing.paper") == "A5"
    with pytest.raises(TypeError):
        settings.set("bad", object())  # refused before anything changes
    assert UiSettings(path).get("bad", "none") == "none"
    settings.remove("printing.paper")
    assert UiSettings(path).get("printing.paper") is None

    path.write_text("{ not json", encoding="utf-8")
    assert UiSettings(path).get("main_window.geometry", "default") == "default"


def test_announcement_from_a_worker_arrives_on_the_gui_thread(qtbot):
    bus = ChangeBus()
    changes = Changes(bus)
    seen: list[tuple[frozenset[str], bool]] = []
    changes.changed.connect(lambda kinds: seen.append(
        (kinds, QThread.currentThread() is QApplication.instance().thread())))
    with qtbot.waitSignal(changes.changed, timeout=5000):
        worker = threading.Thread(target=bus.publish, args=({"orders", "outbox"},))
        worker.start()
        worker.join()
    assert seen == [(frozenset({"orders", "outbox"}), True)]

    changes.close()
    changes.close()  # closing twice is harmless
    bus.publish({"orders"})
    qtbot.wait(50)
    assert len(seen) == 1  # detached: no more announcements
