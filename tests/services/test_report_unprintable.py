"""ReportService.unprintable: which characters of an order's paper no embedded font draws
(text from head office, which input cannot refuse), over every text the sheet holds."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.enums import ChargeKind
from app.printing.data import ChargeRow, RepairNote, StationHeader
from app.store.models import Customer, ServiceOrder
from tests.services.helpers import new_order

YI, ETHIOPIC, PUA = "ꆈ", "ሰ", "\ue000"


@pytest.fixture
def sheet(services, station):
    order = new_order(services, station["clerk"], name="䶮㐀𠀀", fault="出风温度12℃")
    return services.reports.sheet(order.id)


def test_a_sheet_every_font_draws_has_nothing_unprintable(services, sheet) -> None:
    assert services.reports.unprintable(sheet) == []


def test_text_stored_by_sync_is_found_on_the_sheet(services, station) -> None:
    order = new_order(services, station["clerk"])
    with services.db.write() as s:  # as a pull from head office stores it
        s.get(Customer, order.customer.id).name = f"阿{YI}"
        s.get(ServiceOrder, order.id).fault_description = f"故障{ETHIOPIC}{YI}"
    assert services.reports.unprintable(services.reports.sheet(order.id)) == [YI, ETHIOPIC]


@pytest.mark.parametrize("change", [
    lambda c: {"station": StationHeader(f"站{c}", "地址", "010-62345678")},
    lambda c: {"station": StationHeader("站", f"地址{c}")},
    lambda c: {"address": f"路{c}"},
    lambda c: {"product_model": f"KFR{c}"},
    lambda c: {"serial_no": f"SN{c}"},
    lambda c: {"invoice_no": c},
    lambda c: {"technician_name": f"王{c}"},
    lambda c: {"hq_reference": c},
    lambda c: {"other_phones": ("13812345678", c)},
    lambda c: {"repairs": (RepairNote("王师傅", "电容坏", "换电容"), RepairNote(c, "", ""))},
    lambda c: {"repairs": (RepairNote("王师傅", f"诊断{c}", ""),)},
    lambda c: {"repairs": (RepairNote("王师傅", "", f"措施{c}"),)},
    lambda c: {"charges": (ChargeRow(ChargeKind.PARTS, f"电容{c}", 1, 100),)},
], ids=["station name", "station address", "address", "model", "serial", "invoice",
        "technician", "hq reference", "phones", "repair technician", "diagnosis", "actions",
        "charge"])
def test_every_text_of_the_sheet_is_looked_at(services, sheet, change) -> None:
    changed = dataclasses.replace(sheet, **change(PUA))
    assert services.reports.unprintable(changed) == [PUA]


def test_each_character_is_named_once_in_order(services, sheet) -> None:
    changed = dataclasses.replace(sheet, customer_name=f"{YI}{PUA}{YI}", fault=f"{PUA}{ETHIOPIC}")
    assert services.reports.unprintable(changed) == [YI, PUA, ETHIOPIC]
