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
