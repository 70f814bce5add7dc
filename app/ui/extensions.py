"""Extension points of the window: what every page and plug-in receives (``UiContext``) and
the registries areas add themselves to (pages, order-editor actions, actions on selected
orders, status-bar widgets).

An area module registers at import (``app.ui.areas.AREA_MODULES`` lists them), e.g.::

    register_page(PageSpec("orders", "Orders", OrdersPage, order=10, shortcut="Ctrl+1"))
    register_order_action(lambda ctx, editor: make_print_action(ctx, editor))

Contracts the factories can rely on:

- an order editor has ``current_order() -> OrderDetail | None``, ``order_id() -> str | None``
  and the signal ``order_loaded(object)`` (the fresh ``OrderDetail``) after every (re)load;
- the orders page has ``selected_order_ids() -> list[str]`` and ``selection_changed()``;
- a page may offer ``refresh()``, ``focus_search()`` and ``new_order()``; the window's F5,
  Ctrl+F and Ctrl+N call them when present;
- ``ctx.open_page(key, **what)`` shows another page (None when this user has none of that
  key) and hands ``what`` to its ``show_with(**what)`` when it has one: the dashboard opens the
  list behind a figure this way (``open_page("orders", overdue=True)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.bootstrap import Services
from app.services.context import Actor
from app.services.events import ChangeBus
from app.ui.settings import UiSettings
from app.ui.tasks import TaskRunner


class Changes(QObject):
    """The ChangeBus on the GUI thread: ``changed(kinds)`` after every committed write.

    Services publish on whatever thread committed; a queued connection always brings the
    announcement into the event loop, so slots may touch widgets.
    """

    changed = Signal(frozenset)
    _incoming = Signal(frozenset)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._subscribed = True
        self._incoming.connect(self.changed, Qt.ConnectionType.QueuedConnection)
        bus.subscribe(self._on_bus)

    def _on_bus(self, kinds: frozenset[str]) -> None:
        self._incoming.emit(frozenset(kinds))

    def close(self) -> None:
        if self._subscribed:
            self._subscribed = False
            self._bus.unsubscribe(self._on_bus)


@dataclass
class UiContext:
    """Everything a page or plug-in works with; built once per logged-in window."""

    services: Services
    actor: Actor
    tasks: TaskRunner
    changes: Changes
    settings: UiSettings
    status_message: Callable[[str], None] = field(default=lambda text: None)
    #: ``open_page(key, **what)`` -> the page shown (the window sets it), see the module doc
    open_page: Callable[..., QWidget | None] = field(default=lambda key, **what: None)


PageFactory = Callable[[UiContext], QWidget]
OrderActionFactory = Callable[[UiContext, Any], QAction | None]
SelectionActionFactory = Callable[[UiContext, Any], QAction | None]
StatusWidgetFactory = Callable[[UiContext], QWidget]


@dataclass(frozen=True)
class PageSpec:
    """A page of the main window's navigation.

    ``title_source_text`` is the English source passed to ``tr()`` when shown;
    ``visible(actor)`` hides the page from users it is not for (the services still enforce
    the rules); ``shortcut`` overrides the default Ctrl+<position>.
    """

    key: str
    title_source_text: str
    factory: PageFactory
    order: int = 100
    shortcut: str | None = None
    visible: Callable[[Actor], bool] | None = None

    def visible_for(self, actor: Actor) -> bool:
        return self.visible is None or self.visible(actor)


class Registry:
    """The lists areas register into; ``REGISTRY`` is the one the program uses."""

    def __init__(self) -> None:
        self._pages: dict[str, PageSpec] = {}
        self.order_actions: list[OrderActionFactory] = []
        self.selection_actions: list[SelectionActionFactory] = []
        self.status_widgets: list[StatusWidgetFactory] = []

    def register_page(self, spec: PageSpec) -> None:
        """Adds or (same key) replaces a page."""
        self._pages[spec.key] = spec

    def pages(self, actor: Actor | None = None) -> list[PageSpec]:
        specs = sorted(self._pages.values(), key=lambda p: (p.order, p.key))
        if actor is None:
            return specs
        return [p for p in specs if p.visible_for(actor)]


REGISTRY = Registry()


def register_page(spec: PageSpec) -> None:
    REGISTRY.register_page(spec)


def register_order_action(factory: OrderActionFactory) -> None:
    """``factory(ctx, editor) -> QAction | None``: shown in the order editor's toolbar."""
    REGISTRY.order_actions.append(factory)


def register_selection_action(factory: SelectionActionFactory) -> None:
    """``factory(ctx, orders_page) -> QAction | None``: for the selected orders."""
    REGISTRY.selection_actions.append(factory)


def register_status_widget(factory: StatusWidgetFactory) -> None:
    """``factory(ctx) -> QWidget``: a permanent widget in the status bar."""
    REGISTRY.status_widgets.append(factory)
