"""Builds the logged-in window: loads the areas, makes the ``UiContext`` and the main window."""

from __future__ import annotations

from app.bootstrap import Services
from app.services.context import Actor
from app.ui.areas import load_areas
from app.ui.extensions import Changes, UiContext
from app.ui.main_window import MainWindow
from app.ui.settings import UiSettings
from app.ui.tasks import TaskRunner


def open_main_window(services: Services, actor: Actor, tasks: TaskRunner) -> MainWindow:
    """The main window for ``actor``; the caller ends it with ``close_main_window``."""
    load_areas()
    changes = Changes(services.bus)
    ctx = UiContext(
        services=services, actor=actor, tasks=tasks, changes=changes,
        settings=UiSettings(services.paths.settings),
    )
    return MainWindow(ctx, services.users.station())


def close_main_window(window: MainWindow) -> None:
    """Closes the window and detaches it from the ChangeBus."""
    window.close()
    window.ctx.changes.close()
    window.deleteLater()
