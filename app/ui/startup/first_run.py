"""The first start of an empty data folder: set up a new station (``SetupDialog``, then the
recovery key) or 加入已有维修站 (``JoinDialog``); a join whose download was cancelled or killed
is offered again as 继续下载 before anything else, so no one logs in to half a station.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app.bootstrap import Services
from app.domain.enums import Role
from app.services.context import Actor
from app.ui.startup.join_dialog import JoinDialog
from app.ui.startup.recovery_key_dialog import show_after_setup
from app.ui.startup.setup_dialog import SetupDialog
from app.ui.tasks import TaskRunner

Accepted = QDialog.DialogCode.Accepted


def needs_first_run(services: Services) -> bool:
    """No station yet, or a join still downloading (run before the log-in)."""
    return services.join.pending() or services.users.needs_setup()


def first_run(services: Services, tasks: TaskRunner) -> bool:
    """True when the station is ready for the log-in; False to quit."""
    join = services.join
    if join.pending():
        return JoinDialog(join, tasks, resume=True).exec() == Accepted
    while True:
        setup = SetupDialog(services.users, tasks)
        answer = setup.exec()
        if answer == SetupDialog.JOIN:
            if JoinDialog(join, tasks).exec() == Accepted:
                return True
            if join.pending():  # closed with the download paused: the next start goes on
                return False
            continue  # 返回: back to the choice
        if answer != Accepted:
            return False
        if setup.result_info is not None:  # the set-up's last step: the recovery key
            manager = setup.result_info[1]
            show_after_setup(services, tasks, Actor(manager.id, manager.username,
                                                    manager.display_name, Role.MANAGER))
        return True
