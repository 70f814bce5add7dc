"""The main window shell: navigation built from the page registry, the page stack, menus with
the keyboard shortcuts, and the status bar (user, role, station, changes waiting for head
office, busy state, and the status widgets other areas register). Pages do the real work.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
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
LOG_OUT_SHORTCUT = "Ctrl+Shift+L"


class WindowPrompts:
    """The window's own question, one object so tests answer without a modal box."""

    def unsaved_windows(self, parent: QWidget, count: int,
                        answered: Callable[[bool], None]) -> None:
        """``answered(True)``: discard the unsaved edits of ``count`` order windows."""
        button = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, tr("Unsaved changes"),
                          tr("{count} order windows have changes that are not saved yet.",
                             count=count), button.Discard | button.Cancel, parent)
        box.setObjectName("unsaved_windows_box")
        box.setInformativeText(tr("Discard them, or go back and save them first?"))
        box.button(button.Discard).setText(tr("Discard"))
        box.button(button.Cancel).setText(tr("Cancel"))
        box.setDefaultButton(button.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _code: answered(
            box.clickedButton() is box.button(button.Discard)))
        box.open()


class MainWindow(QMainWindow):
    #: 注销/切换用户 once no window holds unsaved edits (the session shows the login)
    log_out_requested = Signal()

    def __init__(
        self, ctx: UiContext, station: StationInfo | None, registry: Registry = REGISTRY
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.station = station
        self.specs: list[PageSpec] = registry.pages(ctx.actor)
        self._pages: dict[str, QWidget] = {}
        self.prompts = WindowPrompts()
        #: set by ``close_main_window``: closing then asks nothing
        self.closing = False
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
        self.password_action = self._action("Change my password…", None,
                                            self.change_own_password)
        file_menu.addAction(self.password_action)
        self.log_out_action = self._action("Log out / switch user", LOG_OUT_SHORTCUT,
                                           self.log_out)
        file_menu.addAction(self.log_out_action)
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

    # -- accounts and unsaved windows ----------------------------------------------------------
    def change_own_password(self) -> QDialog:
        from app.ui.users.own_password import OwnPasswordDialog

        dialog = OwnPasswordDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def log_out(self) -> None:
        """注销/切换用户: asks about unsaved order windows as closing does, then hands over
        to the session (``log_out_requested``)."""
        self.settle_unsaved(self.log_out_requested.emit)

    def unsaved_windows(self) -> list[QWidget]:
        """The open windows (order editors) holding edits not saved yet."""
        return [w for w in self.findChildren(QDialog) if w.isVisible()
                and callable(getattr(w, "has_unsaved", None)) and w.has_unsaved()]

    def settle_unsaved(self, then: Callable[[], None]) -> None:
        """Runs ``then`` at once when no window holds unsaved edits; else asks first:
        放弃 closes those windows and runs it, 取消 brings the first one to the front."""
        dirty = self.unsaved_windows()
        if not dirty:
            then()
            return

        def answered(discard: bool) -> None:
            still = self.unsaved_windows()
            if not discard:
                if still:
                    still[0].raise_()
                    still[0].activateWindow()
                return
            for window in still:
                window.done(QDialog.DialogCode.Rejected)  # no second question
            then()

        self.prompts.unsaved_windows(self, len(dirty), answered)

    def _close_now(self) -> None:
        self.closing = True
        self.close()

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
        # a method, not a lambda: the runner outlives this window after a log-out, and Qt
        # drops a bound method's connection with the window
        self.ctx.tasks.busy_changed.connect(self._show_busy)
        bar.addPermanentWidget(self.busy_label)
        for factory in registry.status_widgets:
            bar.addPermanentWidget(factory(self.ctx))
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.user_label)

    def _show_busy(self, busy: bool) -> None:
        self.busy_label.setText(tr("Working…") if busy else "")

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
        if not self.closing and self.unsaved_windows():
            event.ignore()
            # closed from the event loop: a close inside this closeEvent would be dropped
            self.settle_unsaved(lambda: QTimer.singleShot(0, self._close_now))
            return
        self.ctx.settings.set(GEOMETRY_KEY, bytes(self.saveGeometry().toBase64()).decode("ascii"))
        super().closeEvent(event)
