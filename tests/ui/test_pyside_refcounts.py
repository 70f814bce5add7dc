"""The installed PySide6 must not drop references to None/True/False.

PySide6-Essentials 6.12.0 does, on every Qt call that returns None and every Signal.emit; on
Python 3.11 (where those objects are not immortal) the interpreter aborts after a few
thousand calls. pyproject.toml keeps it below 6.12; this test stops an upgrade that brings
the defect back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

CALLS = 3000


class _Probe(QObject):
    ping = Signal(int)


def test_qt_calls_and_signals_keep_singleton_references(qapp) -> None:
    probe = _Probe()
    seen: list[int] = []
    probe.ping.connect(seen.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        qapp.processEvents()
        probe.ping.emit(1)
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    assert len(seen) == CALLS
    # a handful either way is ordinary interpreter noise; the defect loses one per call
    assert lost_none < CALLS // 10 and lost_true < CALLS // 10, (lost_none, lost_true)
