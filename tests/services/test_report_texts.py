"""Every report's title, table titles, column headings, totals label, chart titles and notes
have Simplified Chinese (on an empty station, over a month, a quarter and a year), and every
report keeps its tables' column keys unique."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.report_tables import ReportQuery
from app.i18n import TEXT_ZH
from app.services.context import SYSTEM
from app.services.station_reports import REPORT_MODULES, StationReportService

RANGES = (ReportQuery(date(2026, 11, 1), date(2026, 11, 30)),
          ReportQuery(date(2026, 9, 1), date(2026, 11, 30)),
          ReportQuery(date(2026, 1, 1), date(2026, 12, 31)))


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    yield svc
    svc.close()


@pytest.mark.parametrize("name", list(REPORT_MODULES))
def test_every_report_text_has_chinese(station: Services, name: str) -> None:
    reports = StationReportService(station.db)
    missing = set()
    for query in RANGES:
        r = reports.run(SYSTEM, name, query)
        texts = [r.title, *r.notes, *(c.title for c in r.charts)]
        for t in r.tables:
            texts += [t.title, *(c.title for c in t.columns)]
            assert len({c.key for c in t.columns}) == len(t.columns)
            if t.totals is not None and isinstance(t.totals[0], str):
                texts.append(t.totals[0])
        for chart in r.charts:
            table = r.table(chart.table)
            for key in (chart.label_column, *chart.value_columns):
                table.column(key)
        missing |= {text for text in texts if text not in TEXT_ZH}
    assert not missing, sorted(missing)
