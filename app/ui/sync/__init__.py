"""Sync in the window: the status-bar indicator with 立即同步 (F9) and the background timer,
registration with head office (managers), the 业务公告 notices page and the 冲突 conflicts
page. Importing this package registers them (``app.ui.areas.AREA_MODULES`` lists it).
"""

from __future__ import annotations

from app.ui.extensions import PageSpec, UiContext, register_page, register_status_widget
from app.ui.sync.status import status_widget


def _notices_page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.sync.notices import NoticesPage

    return NoticesPage(ctx)


def _conflicts_page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.sync.conflicts import ConflictsPage

    return ConflictsPage(ctx)


register_status_widget(status_widget)
register_page(PageSpec("notices", "Notices", _notices_page, order=70))
register_page(PageSpec("conflicts", "Sync conflicts", _conflicts_page, order=80))
