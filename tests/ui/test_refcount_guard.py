"""The guard against PySide6 dropping references to None/True (Python 3.11 + PySide6 6.12):
with it, many thousands of Qt calls leave the singletons' counts where they were."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from app.ui import refcount_guard
from app.ui.refcount_guard import RefcountGuard

CALLS = 20_000  # several times what None and True start with on Python 3.11


class Emitter(QObject):
    ping = Signal()


def test_guard_keeps_none_and_true_alive_through_many_qt_calls(qapp):
    leaking = refcount_guard.leaks_references()
    if not leaking:
        assert refcount_guard.install(qapp) is None  # nothing to guard here
    guard = RefcountGuard()
    emitter = Emitter()
    floor_none, floor_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(5):
        for _ in range(CALLS // 5):
            emitter.setObjectName("x")
            emitter.ping.emit()
        guard.top_up()
    # without the guard a leaking build would have aborted the interpreter by now
    assert sys.getrefcount(None) >= floor_none - 50
    assert sys.getrefcount(True) >= floor_true - 50
    if leaking:
        assert guard.topped_up >= 2 * CALLS - 100  # give or take ordinary use
    guard.deleteLater()
