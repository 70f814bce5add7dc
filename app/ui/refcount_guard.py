"""Keeps the program alive under a PySide6 defect seen with PySide6 6.12 on Python 3.11.

There, every call of a Qt method that returns ``None`` drops a reference to ``None`` it never
took, and every ``Signal.emit`` drops one to ``True``. On Python 3.12+ those objects are
immortal and nothing happens; on 3.11 their counts start in the low thousands, so after a
few thousand calls the interpreter aborts ("none_dealloc" / "bool_dealloc") — a clerk's
session would die within the hour.

``install`` measures whether the running PySide6 has the defect. If it has, it gives the
three singletons a large reserve of references at once (a list holding them, never freed)
and a timer keeps topping their counts up with ``Py_IncRef`` for whatever was lost since,
so the counts never approach zero, not even at exit. Where the defect is absent this module
does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

#: references held in reserve for each singleton; top-ups restore the count to this level
RESERVE = 200_000
TOP_UP_MS = 250
PROBE_CALLS = 32
GUARDED = (None, True, False)


class _Probe(QObject):
    ping = Signal()


def leaks_references() -> bool:
    """Whether Qt calls returning None, or signal emits, drop references they do not own."""
    if sys.version_info >= (3, 12):
        return False  # None, True and False are immortal
    probe = _Probe()
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")  # returns None
    for _ in range(PROBE_CALLS):
        probe.ping.emit()
    lost_none = before_none - sys.getrefcount(None)
    lost_true = before_true - sys.getrefcount(True)
    return lost_none >= PROBE_CALLS or lost_true >= PROBE_CALLS


class RefcountGuard(QObject):
    """Holds the reserve and tops it up from the GUI thread's event loop."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._incref = ctypes.pythonapi.Py_IncRef
        self._incref.argtypes = [ctypes.py_object]
        self._incref.restype = None
        reserve = [[obj] * RESERVE for obj in GUARDED]
        # the reserve must outlive interpreter shutdown too: freeing it then would pay the
        # lost references back all at once and abort the exit
        self._incref(reserve)
        self._targets = [sys.getrefcount(obj) for obj in GUARDED]
        self.topped_up = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TOP_UP_MS)
        self._timer.timeout.connect(self.top_up)
        self._timer.start()

    def top_up(self) -> None:
        """Gives back the references lost since the last top-up."""
        for obj, target in zip(GUARDED, self._targets, strict=True):
            missing = target - sys.getrefcount(obj)
            for _ in range(max(missing, 0)):
                self._incref(obj)
            if missing > 0:
                self.topped_up += missing


def install(parent: QObject) -> RefcountGuard | None:
    """Starts the guard (owned by ``parent``, normally the QApplication) when needed."""
    if not leaks_references():
        return None
    log.info("this PySide6 build leaks references to None/True on Python %s; "
                "guarding them (use Python 3.12+ to avoid this)",
                ".".join(map(str, sys.version_info[:3])))
    return RefcountGuard(parent)
