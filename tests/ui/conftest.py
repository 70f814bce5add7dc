"""Qt test fixtures: any Qt warning fails the test; a UI context on a set-up station."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import qInstallMessageHandler

from app.bootstrap import Services
from app.services.context import Actor
from app.ui.extensions import Changes, UiContext
from app.ui.self_test import is_failure
from app.ui.settings import UiSettings
from app.ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def fail_on_qt_warnings(qapp) -> Iterator[list[str]]:
    """Collects Qt warnings during the test and fails it if there were any."""
    messages: list[str] = []

    def handler(kind, _context, message: str) -> None:
        if is_failure(kind, message):
            messages.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)
    assert not messages, "Qt warnings: " + "; ".join(messages)


@pytest.fixture
def runner(qapp, services: Services) -> Iterator[TaskRunner]:
    # depends on ``services`` so work stops before the database is closed
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def make_context(services: Services, actor: Actor, runner: TaskRunner) -> UiContext:
    return UiContext(
        services=services, actor=actor, tasks=runner, changes=Changes(services.bus),
        settings=UiSettings(services.paths.settings),
    )


@pytest.fixture
def ctx_for(services: Services, runner: TaskRunner) -> Iterator:
    """``ctx_for(actor)`` -> a UiContext for that user (the ChangeBus detached afterwards)."""
    made: list[UiContext] = []

    def build(actor: Actor) -> UiContext:
        ctx = make_context(services, actor, runner)
        made.append(ctx)
        return ctx

    yield build
    for ctx in made:
        ctx.changes.close()


def settle(qtbot, runner: TaskRunner, timeout: int = 10_000) -> None:
    """Waits until the task runner has delivered everything, then lets queued signals run."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)
    qtbot.wait(20)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=timeout)


class FakePrompts:
    """Answers the editor's questions without modal dialogs."""

    def __init__(self, technician_id: str | None = None, reason: str | None = None,
                 satisfaction: int | None = None) -> None:
        self.technician_id = technician_id
        self.reason = reason
        self.satisfaction_value = satisfaction
        self.asked: list[str] = []

    def choose_technician(self, parent, technicians, current_id):
        self.asked.append("technician")
        assert self.technician_id in [t.id for t in technicians]
        return self.technician_id

    def cancel_reason(self, parent):
        self.asked.append("reason")
        return self.reason

    def return_visit(self, parent, ctx, order_id):
        """Answers the visit dialog: every aspect scored ``satisfaction``."""
        self.asked.append("visit")
        if self.satisfaction_value is None:
            return False
        ctx.services.visits.record_visit(ctx.actor, order_id, dict.fromkeys(
            ("speed", "attitude", "quality", "price"), self.satisfaction_value))
        return True
