"""The main window shell: navigation built from the page registry, the page stack, menus with
the keyboard shortcuts, and the status bar (user, role, station, changes waiting for head
office, busy state, and the status widgets other areas register). Pages do the real work.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import tr
from app.services import events
from app.services.users import StationInfo
from app.ui.extensions import REGISTRY, PageSpec, Registry, UiContext
from app.ui.formatting import label
from app.ui.widgets.messages import show_error, show_message

GEOMETRY_KEY = "main_window.geometry"


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: UiContext, station: StationInfo | None, registry: Registry = REGISTRY
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.station = station
        self.specs: list[PageSpec] = registry.pages(ctx.actor)
        self._pages: dict[str, QWidget] = {}
        ctx.status_message = self._status_message
        ctx.open_page = self.open_page
        ctx.tasks.default_error = lambda err: show_error(self, err)

        title = tr("Repair Station")
        if station is not None:
            title = f"{title} — {station.name}"
        self.setWindowTitle(title)
        self.resize(1280, 800)

        self.nav = QListWidget(objectName="navigation")
        self.nav.setMinimumWidth(110)
        for spec in self.specs:
            item = QListWidgetItem(tr(spec.title_source_text))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget(objectName="pages")
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([150, 1130])
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._on_nav_row)

        self._build_menus()
        self._build_status_bar(registry)
        ctx.changes.changed.connect(self._on_changed)
        self._restore_geometry()
        if self.specs:
            self.nav.setCurrentRow(0)
        # after the first page's own queries: its rows are what the user waits for
        self.refresh_outbox_count()

    # -- pages --------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget, created on first use (keeps start-up fast)."""
        widget = self._pages.get(key)
        if widget is None:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.factory(self.ctx)
            widget.setObjectName(f"page_{key}")
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return widget

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.page(key)

    def open_page(self, key: str, **what: object) -> QWidget | None:
        """Shows page ``key`` with ``show_with(**what)`` (a filter) when the page has it;
        None when this user has no such page."""
        if key not in self.page_keys():
            return None
        page = self.show_page(key)
        show_with = getattr(page, "show_with", None)
        if what and show_with is not None:
            show_with(**what)
        return page

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def page_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.stack.setCurrentWidget(self.page(self.specs[row].key))

    # -- menus --------------------------------------------------------------------------------
    def _action(self, text_source: str, shortcut: QKeySequence | str | None, slot) -> QAction:
        action = QAction(tr(text_source), self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.new_order_action = self._action("New order", "Ctrl+N", self.new_order)
        # the matrix decides: a technician is never offered a form he may not save
        self.new_order_action.setEnabled(self.ctx.actor.may(Permission.ORDER_CREATE))
        file_menu.addAction(self.new_order_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", "Ctrl+Q", self.close))

        view_menu = self.menuBar().addMenu(tr("&View"))
        view_menu.addAction(self._action("Find", "Ctrl+F", self.focus_search))
        view_menu.addAction(self._action("Refresh", "F5", self.refresh))
        view_menu.addSeparator()
        for position, spec in enumerate(self.specs, start=1):
            shortcut = spec.shortcut or (f"Ctrl+{position}" if position <= 9 else None)
            view_menu.addAction(self._action(
                spec.title_source_text, shortcut, lambda _=False, k=spec.key: self.show_page(k)
            ))

        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(self._action("About Repair Station", None, self._about))

    def _call_on_page(self, method: str, fallback_key: str | None = None) -> bool:
        page = self.current_page()
        if page is not None and hasattr(page, method):
            getattr(page, method)()
            return True
        if fallback_key is not None and fallback_key in self.page_keys():
            target = self.show_page(fallback_key)
            if hasattr(target, method):
                getattr(target, method)()
                return True
        return False

    def new_order(self) -> None:
        if self.ctx.actor.may(Permission.ORDER_CREATE):
            self._call_on_page("new_order", fallback_key="orders")

    def focus_search(self) -> None:
        self._call_on_page("focus_search")

    def refresh(self) -> None:
        self._call_on_page("refresh")
        self.refresh_outbox_count()

    def _about(self) -> None:
        show_message(self, tr("Repair Station — after-sales service for repair stations.\n"
                              "Data folder: {folder}", folder=self.ctx.services.paths.root),
                     "About Repair Station")

    # -- status bar ---------------------------------------------------------------------------
    def _build_status_bar(self, registry: Registry) -> None:
        bar = self.statusBar()
        actor = self.ctx.actor
        who = f"{actor.display_name} ({label(actor.role)})"
        if self.station is not None:
            who += f" · {self.station.code} {self.station.name}"
        self.user_label = QLabel(who, objectName="user_label")
        self.outbox_label = QLabel(objectName="outbox_label")
        self.outbox_label.setToolTip(tr("Changes saved here that head office has not "
                                        "received yet"))
        self.busy_label = QLabel(objectName="busy_label")
        self.ctx.tasks.busy_changed.connect(
            lambda busy: self.busy_label.setText(tr("Working…") if busy else "")
        )
        bar.addPermanentWidget(self.busy_label)
        for factory in registry.status_widgets:
            bar.addPermanentWidget(factory(self.ctx))
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.user_label)

    def _status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def refresh_outbox_count(self) -> None:
        self.ctx.tasks.run(self.ctx.services.outbox.pending_count, self._show_outbox_count,
                           owner=self)

    def _show_outbox_count(self, count: int) -> None:
        self.outbox_label.setText(tr("To send: {count}", count=count))

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if events.OUTBOX in kinds:
            self.refresh_outbox_count()

    # -- geometry -----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        saved = self.ctx.settings.get(GEOMETRY_KEY)
        if isinstance(saved, str):
            self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set(GEOMETRY_KEY, bytes(self.saveGeometry().toBase64()).decode("ascii"))
        super().closeEvent(event)
