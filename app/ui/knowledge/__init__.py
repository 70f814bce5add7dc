"""The repair knowledge (维修知识库) in the window: its page, the background build of the
index after log-in (a status-bar widget), and the 相似维修 panel the order editor shows under
the fault (``app.ui.knowledge.order_editor``). Importing it registers the page and the
status widget; every role may read past repairs."""

from __future__ import annotations

from app.ui.extensions import PageSpec, UiContext, register_page, register_status_widget
from app.ui.knowledge.status import status_widget


def _page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.knowledge.page import KnowledgePage

    return KnowledgePage(ctx)


register_page(PageSpec("knowledge", "Repair knowledge", _page, order=26))
register_status_widget(status_widget)
