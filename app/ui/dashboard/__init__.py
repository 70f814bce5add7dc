"""The dashboard (总览): the manager's first page, the station's figures of the moment as
tiles, each opening the list behind it. Importing it registers the page; only who may read
the station's reports (the manager) sees it, and the service refuses anyone else.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_page


def _dashboard_page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.dashboard.page import DashboardPage

    return DashboardPage(ctx)


def _reads_reports(actor) -> bool:  # type: ignore[no-untyped-def]
    return actor.may(Permission.REPORT_VIEW)


# order 5: before the orders page (10), so the manager starts here; others keep theirs
register_page(PageSpec("dashboard", "Overview", _dashboard_page, order=5,
                       visible=_reads_reports))
