"""The 售后服务维修单 of a real order says who pays: each line's 付费方, the coverage and its
reason, 客户应付 and 厂家索赔 in figures and in 大写, derived from the lines (an in-warranty
repair no longer asks the customer for the whole amount)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.enums import ChargeKind, OrderSource, OrderType, ServiceMode
from app.domain.state_machine import Action
from app.printing.data import SHEET_PAPERS, Paper
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import ChargeInput, NewOrder
from app.services.warranty_policy import DEMO_POLICY_CSV
from tests.printing.helpers import font_names, page_texts, unembedded_fonts

LINES = [ChargeInput(ChargeKind.PARTS, "压缩机启动电容", 1, 4500),
         ChargeInput(ChargeKind.LABOUR, "维修工时", 1, 8000),
         ChargeInput(ChargeKind.TRAVEL, "上门费", 1, 3000),
         ChargeInput(ChargeKind.OTHER, "加购原装遥控器", 1, 6800)]


def completed(services, station, clock, bought: date, lines=LINES, fault: str = "不制冷"):
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode(), "demo")
    tech = station["tech"]
    order = services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, fault, "13812345678",
        customer=CustomerInput("韩梅梅", ("13812345678",), "北京市海淀区学院路38号"),
        product=ProductInput("KFR-35GW/BP3DN1Y", "SN0001", bought, "FP0001", 12),
        technician_id=tech.user_id))
    clock.now += timedelta(hours=2)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    order = services.orders.set_charges(tech, order.id, lines, order.revision)
    clock.now += timedelta(hours=1)
    return services.orders.transition(tech, order.id, Action.COMPLETE)


def report_text(services, order, paper: Paper, tmp_path) -> tuple[str, bytes]:
    out = services.reports.render("report", order.number, paper.value, tmp_path / "r.pdf")
    data = out.read_bytes()
    return "".join("".join(page_texts(data)).split()), data


@pytest.mark.parametrize("paper", SHEET_PAPERS)
def test_an_in_warranty_report_claims_from_the_maker(services, station, clock, tmp_path,
                                                     paper: Paper) -> None:
    order = completed(services, station, clock, date(2025, 12, 1))
    sheet = services.reports.sheet(order.number)
    assert sheet.claimed_fen == 4500 + 8000 + 3000 and sheet.due_fen == 6800
    text, data = report_text(services, order, paper, tmp_path)
    for value in ("付费方", "厂家", "客户", "保修依据",
                  "保内：空调整机12个月，购机2025-12-01，保修至2026-11-30",
                  "客户应付¥68.00", "陆拾捌元整", "厂家索赔¥155.00", "壹佰伍拾伍元整",
                  "合计", "¥223.00"):
        assert value in text, value
    assert not unembedded_fonts(data) and font_names(data)


def test_an_out_of_warranty_report_asks_the_customer_for_everything(services, station, clock,
                                                                    tmp_path) -> None:
    order = completed(services, station, clock, date(2023, 3, 1))
    text, _ = report_text(services, order, Paper.A4, tmp_path)
    assert "保外：已过保修期（至2024-02-29）" in text
    assert "客户应付¥223.00" in text and "贰佰贰拾叁元整" in text
    assert "厂家索赔¥0.00" in text


def test_long_lines_with_a_payer_column_stay_in_their_cells(services, station, clock,
                                                            tmp_path) -> None:
    long = "更换室外机主板并重新加注冷媒，检查四通阀与电子膨胀阀" * 6
    lines = [ChargeInput(ChargeKind.LABOUR, long[:200], 1, 8000) for _ in range(40)]
    order = completed(services, station, clock, date(2025, 12, 1), lines)
    text, _ = report_text(services, order, Paper.A5, tmp_path)
    assert text.count("厂家") >= 40  # every line's payer printed, over several pages
    assert "厂家索赔¥3200.00" in text.replace(",", "")
