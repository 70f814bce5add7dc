"""The reports area (统计报表): pick a report, a date range and filters, see its tables and
charts, export them (.xlsx, .csv) or print them (PDF). Importing it registers the page; only
who may read the station's reports (the manager) sees it, and the service refuses anyone else.
"""

from __future__ import annotations

from app.domain.permissions import Permission
from app.ui.extensions import PageSpec, UiContext, register_page


def _reports_page(ctx: UiContext):  # type: ignore[no-untyped-def]
    from app.ui.reports.page import ReportsPage

    return ReportsPage(ctx)


def _reads_reports(actor) -> bool:  # type: ignore[no-untyped-def]
    return actor.may(Permission.REPORT_VIEW)


register_page(PageSpec("reports", "Reports", _reports_page, order=60, visible=_reads_reports))
