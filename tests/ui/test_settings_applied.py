"""What the manager sets in 设置 is what the window does: the background sync waits the set
interval, and printing a document starts on its set paper (the last-used paper only for a
document without one); a later change takes effect without restarting."""

from __future__ import annotations

from app.printing.data import Paper
from app.services.station_settings import SettingsChange
from app.ui.printing.controller import PrintController
from app.ui.sync.status import BACKGROUND_INTERVAL_MS, SyncStatusWidget
from tests.ui.conftest import settle


def test_the_background_sync_follows_the_set_interval(qtbot, runner, services, station,
                                                      ctx_for) -> None:
    manager = station["manager"]
    widget = SyncStatusWidget(ctx_for(manager))
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.interval_ms == services.station_settings.sync_minutes() * 60_000
    services.station_settings.save(manager, SettingsChange(sync_minutes=7))
    qtbot.waitUntil(lambda: widget.interval_ms == 7 * 60_000, timeout=5000)
    widget._schedule()
    assert widget.timer.interval() == 7 * 60_000 != BACKGROUND_INTERVAL_MS


def test_a_document_prints_on_its_set_paper(qtbot, runner, services, station, ctx_for) -> None:
    manager = station["manager"]
    ctx = ctx_for(manager)
    controller = PrintController(ctx)
    settle(qtbot, runner)
    controller.set_document("report")
    controller.set_paper(Paper.A4)
    assert controller.paper() is Paper.A4  # nothing set: the last-used paper
    services.station_settings.save(manager, SettingsChange(papers={"report": Paper.A5}))
    qtbot.waitUntil(lambda: controller.paper() is Paper.A5, timeout=5000)
    assert controller.new_printer().pageLayout().pageSize().id().name == "A5"
    controller.set_document("work-order")
    assert controller.paper() is Paper.A4  # another document keeps the last-used paper
