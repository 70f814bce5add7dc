"""Announces what kind of data a committed write changed, so only views showing it refresh.

Kinds are plain strings ("orders", "customers", "users", "outbox", ...). Callbacks run on
the thread that committed; the UI adapts them to a queued Qt signal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from threading import Lock

Listener = Callable[[frozenset[str]], None]

ORDERS = "orders"
CUSTOMERS = "customers"
USERS = "users"
OUTBOX = "outbox"
STATION = "station"


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = Lock()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.remove(listener)

    def publish(self, kinds: Iterable[str]) -> None:
        changed = frozenset(kinds)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changed)
