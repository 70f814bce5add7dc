"""The shell: pages per role from the registry, status bar facts, shortcuts, registered
extensions, the self-test, and English with ``--lang en``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.i18n import set_language, tr
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.ui.extensions import REGISTRY, UiContext
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.self_test import run_self_test
from app.ui.window import close_main_window, open_main_window
from tests.ui.conftest import settle


def test_pages_follow_the_role_and_status_bar_shows_who_and_outbox(qtbot, services, station,
                                                                   runner):
    window = open_main_window(services, station["tech"], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    # other areas may add pages after these; the users page is for managers only
    assert window.page_keys()[:3] == ["my_day", "orders", "customers"]  # his day first
    assert "users" not in window.page_keys()
    assert window.windowTitle() == "维修站管理 — 北京海淀维修站"
    assert window.user_label.text() == "王师傅 (维修工程师) · BJ001 北京海淀维修站"
    pending = services.outbox.pending_count()
    assert pending > 0
    assert window.outbox_label.text() == tr("To send: {count}", count=pending)

    services.customers.create(station["clerk"], CustomerInput("孙丽", ("13700001111",)))
    qtbot.waitUntil(lambda: window.outbox_label.text() == tr(
        "To send: {count}", count=pending + 1), timeout=5000)
    close_main_window(window)


def test_shortcuts_switch_pages_and_start_a_new_order(qtbot, services, station, runner):
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    # the manager starts on the dashboard (总览)
    assert window.page_keys()[:3] == ["dashboard", "orders", "customers"]
    assert "users" in window.page_keys()
    shortcuts = {a.shortcut().toString() for a in window.findChildren(QAction)}
    assert {"Ctrl+N", "Ctrl+F", "F5", "Ctrl+Q", "Ctrl+1", "Ctrl+2", "Ctrl+3"} <= shortcuts

    action = next(a for a in window.findChildren(QAction)
                  if a.shortcut() == QKeySequence("Ctrl+3"))
    action.trigger()
    assert window.current_page() is window.page("customers")
    window.nav.setCurrentRow(window.page_keys().index("users"))
    settle(qtbot, runner)
    assert window.page("users").table.rowCount() == 4

    window.new_order()  # from a page without new_order: goes to the orders page
    assert window.current_page() is window.page("orders")
    editors = [w for w in window.page("orders").findChildren(OrderEditor)]
    assert len(editors) == 1 and editors[0].new_form is not None
    assert editors[0].focusWidget() is editors[0].new_form.lookup  # ready for the phone
    window.focus_search()
    # the editor window may hold the application's focus; the main window's own focus
    # widget is what Ctrl+F moves, and what the clerk types into on coming back
    assert window.focusWidget() is window.page("orders").search_box
    close_main_window(window)


def test_registered_extensions_are_plugged_in(qtbot, services, station, runner):
    seen: dict[str, object] = {}

    def order_action(ctx: UiContext, editor):
        action = QAction("Print test", editor)
        editor.order_loaded.connect(lambda detail: seen.setdefault("order", detail.number))
        return action

    def selection_action(ctx: UiContext, page):
        seen["page_ids"] = page.selected_order_ids
        return QAction("Batch test", page)

    def status_widget(ctx: UiContext):
        return QLabel("sync-indicator", objectName="test_status_widget")

    REGISTRY.order_actions.append(order_action)
    REGISTRY.selection_actions.append(selection_action)
    REGISTRY.status_widgets.append(status_widget)
    try:
        window = open_main_window(services, station["clerk"], runner)
        qtbot.addWidget(window)
        settle(qtbot, runner)
        assert window.findChild(QLabel, "test_status_widget") is not None
        orders = window.page("orders")
        # other areas (printing) may register theirs too
        assert "Batch test" in [a.text() for a in orders.selection_actions]
        assert seen["page_ids"]() == []
        editor = OrderEditor(window.ctx, None)
        qtbot.addWidget(editor)
        assert "Print test" in [a.text() for a in editor.order_actions]
        assert not editor.toolbar.isHidden()
        assert editor.current_order() is None and editor.order_id() is None
        close_main_window(window)
    finally:
        REGISTRY.order_actions.remove(order_action)
        REGISTRY.selection_actions.remove(selection_action)
        REGISTRY.status_widgets.remove(status_widget)


def test_self_test_shows_every_page(qtbot, services, station, runner, capsys):
    services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13912345678",
        customer=CustomerInput("刘德明", ("13912345678",), "北京市海淀区学院路20号")))
    assert run_self_test(services, runner) == 0
    out = capsys.readouterr().out
    assert out.startswith("self-test: showed dashboard, orders, customers, ") and out.rstrip(
        ).endswith("; ok")
    assert "users" in out and "order editor" in out and "report with rare characters" in out


def test_english_everywhere(qtbot, services, station, runner):
    set_language("en")
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[:3] == ["Overview", "Orders", "Customer files"] and "Users" in titles
    assert window.windowTitle() == "Repair Station — 北京海淀维修站"
    assert window.menuBar().actions()[0].text() == "&File"
    orders = window.page("orders")
    assert orders.model.headerData(0, Qt.Orientation.Horizontal) == "Order number"
    assert orders.new_button.text() == "New order"
    assert "(Manager)" in window.user_label.text()
    close_main_window(window)


def test_every_ui_text_has_a_chinese_entry():
    import ast
    from pathlib import Path

    from app.i18n import TEXT_ZH

    root = Path(__file__).resolve().parents[2] / "app" / "ui"
    missing = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value not in TEXT_ZH):
                missing.append(f"{path.name}: {node.args[0].value!r}")
    assert missing == []

