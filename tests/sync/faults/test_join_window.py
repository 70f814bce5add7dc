"""加入已有维修站 in the window against the real head office (issue 15): the first-run dialog
joins an empty data folder to a station with data through the real ``DeviceJoin``, with its
progress dialog, then the manager logs in there and the laptop's first order carries its
device letter (SO-BJ001-<day>-B0001) while the counter PC's numbers stay as they were; both
orders of the day reach head office (no number refused) and each device."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog

from app.bootstrap import open_services
from app.services.device_join import DeviceJoin
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.ui.startup.join_dialog import JoinDialog
from app.ui.tasks import TaskRunner
from tests.services.helpers import new_order
from tests.sync.faults.harness import PASSWORD, LiveHq, StationRig, fast_transport
from tests.sync.faults.workload import new_orders
from tests.ui.conftest import fail_on_qt_warnings  # noqa: F401


def test_the_first_run_dialog_joins_a_station_and_numbers_with_its_letter(
        qtbot, tmp_path: Path, live_hq: LiveHq, rig: StationRig) -> None:
    new_orders(rig, 2, seed=2)
    rig.sync.sync_now()
    assert live_hq.admin is not None
    _row, token = live_hq.admin.add_device("BJ001", "外勤笔记本")
    laptop = open_services(tmp_path / "laptop")
    tasks = TaskRunner()
    try:
        join = DeviceJoin(laptop.db, laptop.bus, FileTokenStore(laptop.paths.root),
                          laptop.sync.clock, fast_transport)
        dialog = JoinDialog(join, tasks)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.hq_url.setText(live_hq.url)
        dialog.station_code.setText("bj001")
        dialog.token.setText(token)
        with qtbot.waitSignal(dialog.joined, timeout=20_000) as joined:
            dialog.join_button.click()
            assert dialog.findChild(QProgressDialog, "join_progress") is not None
        report = joined.args[0]
        assert report.finished and report.device_number == 2 and report.done == report.total
        qtbot.waitUntil(lambda: tasks.pending == 0)
        assert not join.pending() and not laptop.users.needs_setup()
        clerk = laptop.users.login("boss", PASSWORD)  # the station's manager, synced here
        order = new_order(laptop, clerk, phone="13911112222", serial="SN-LAPTOP-1")
        assert re.fullmatch(r"SO-BJ001-\d{8}-B0001", order.number), order.number
        first = new_order(rig.services, rig.services.users.login("boss", PASSWORD),
                          phone="13811112222", serial="SN-COUNTER-9")
        assert re.fullmatch(r"SO-BJ001-\d{8}-\d{4}", first.number), first.number  # no letter
        # both offline the same day, both sent: head office refuses neither number, and each
        # device ends up holding the other's order
        field = SyncService(laptop.db, laptop.bus, FileTokenStore(laptop.paths.root),
                            laptop.sync.clock, fast_transport)
        assert rig.sync.sync_now().rejected == 0
        assert field.sync_now().rejected == 0
        rig.sync.sync_now()
        for services in (rig.services, laptop):
            numbers = {services.orders.find_by_number(n).number
                       for n in (order.number, first.number)}
            assert numbers == {order.number, first.number}
    finally:
        tasks.shutdown()
        laptop.close()
