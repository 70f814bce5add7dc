"""Warranty (保内/保外) on its edges, month arithmetic included."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import WarrantyStatus as W
from app.domain.warranty import add_months, warranty_end, warranty_status


def test_last_covered_day_and_the_day_after() -> None:
    bought = date(2025, 3, 15)
    assert warranty_end(bought, 12) == date(2026, 3, 14)
    assert warranty_status(bought, 12, date(2026, 3, 14)) is W.IN_WARRANTY
    assert warranty_status(bought, 12, date(2026, 3, 15)) is W.OUT_OF_WARRANTY
    assert warranty_status(bought, 12, bought) is W.IN_WARRANTY


def test_month_end_purchases_clamp() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert warranty_end(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert warranty_end(date(2024, 2, 29), 48) == date(2028, 2, 28)
    assert warranty_end(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert warranty_end(date(2025, 1, 30), 1) == date(2025, 2, 28)
    assert warranty_end(date(2025, 1, 28), 1) == date(2025, 2, 27)


def test_unknown_without_purchase_date_and_out_before_purchase() -> None:
    assert warranty_status(None, 12, date(2026, 1, 1)) is W.UNKNOWN
    assert warranty_status(date(2026, 1, 2), 12, date(2026, 1, 1)) is W.OUT_OF_WARRANTY
    assert warranty_status(date(2026, 1, 2), 0, date(2026, 1, 2)) is W.OUT_OF_WARRANTY


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=1, max_value=120))
def test_coverage_is_one_contiguous_span(bought: date, months: int) -> None:
    end = warranty_end(bought, months)
    assert bought <= end
    assert warranty_status(bought, months, end) is W.IN_WARRANTY
    assert warranty_status(bought, months, date.fromordinal(end.toordinal() + 1)) is (
        W.OUT_OF_WARRANTY
    )
