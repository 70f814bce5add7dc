"""ReportService: order by id or number, errors a person can read, whole-or-nothing files,
batches with progress and cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain.errors import RuleViolation
from app.services.errors import NotFound
from tests.printing.helpers import page_texts, repaired_order


def test_order_by_id_or_number_gives_the_same_sheet(services, station, clock) -> None:
    order = repaired_order(services, station, clock)
    by_id = services.reports.sheet(order.id)
    by_number = services.reports.sheet(order.number.lower())
    assert by_id == by_number
    assert by_id.station.name == "北京海淀维修站"
    assert by_id.total_fen == 12500
    assert by_id.arrived_at is not None and by_id.cleared_at is not None
    assert [r.diagnosis for r in by_id.repairs] == ["启动电容损坏"]


def test_render_writes_a_pdf_and_leaves_no_temporary_file(services, station, clock,
                                                          tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    folder = tmp_path / "out"
    out = services.reports.render("work-order", order.number, "a5", folder / "wo.pdf")
    assert out.read_bytes().startswith(b"%PDF-")
    assert "派工单" in page_texts(out)[0]
    assert [p.name for p in folder.iterdir()] == ["wo.pdf"]


def test_unknown_order_document_and_paper_are_refused(services, station, clock,
                                                      tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    with pytest.raises(NotFound):
        services.reports.render("report", "SO-BJ001-20200101-0001", "A4", tmp_path / "o/x.pdf")
    with pytest.raises(NotFound):
        services.reports.build("report", "no-such-id")
    with pytest.raises(RuleViolation) as doc:
        services.reports.build("receipt-x", order.number)
    assert "report" in str(doc.value) and "work-order" in str(doc.value)
    with pytest.raises(RuleViolation):
        services.reports.build("report", order.number, "Letter")
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []


def test_printing_needs_a_set_up_station(services) -> None:
    with pytest.raises(RuleViolation):
        services.reports.sheet("SO-BJ001-20260601-0001")


def test_batch_reports_progress_and_failures(services, station, clock, tmp_path: Path) -> None:
    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(3)]
    seen: list[tuple[int, int]] = []
    keys = [orders[0].id, "SO-BJ001-20200101-0009", orders[1].number, orders[2].id]
    result = services.reports.render_batch("report", keys, "A5", tmp_path / "out", progress=lambda d, t:
                                           seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [p.name for p in result.files] == [f"{o.number}-report.pdf" for o in orders]
    assert [key for key, _ in result.failures] == ["SO-BJ001-20200101-0009"]
    assert not result.cancelled
    assert all(p.read_bytes().startswith(b"%PDF-") for p in result.files)



@pytest.mark.skipif(os.name != "posix", reason="POSIX links")
def test_batch_skips_a_planted_link_and_prints_the_rest(services, station, clock,
                                                       tmp_path: Path) -> None:
    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(2)]
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_bytes(b"keep me")
    (out / f"{orders[0].number}-report.pdf").symlink_to(victim)
    result = services.reports.render_batch("report", [o.id for o in orders], "A4", out)
    assert [key for key, _ in result.failures] == [orders[0].id]
    assert "symbolic link" in result.failures[0][1]
    assert [p.name for p in result.files] == [f"{orders[1].number}-report.pdf"]
    assert victim.read_bytes() == b"keep me"

def test_batch_stops_when_cancelled(services, station, clock, tmp_path: Path) -> None:
    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(4)]
    progress: list[int] = []
    result = services.reports.render_batch(
        "work-order", [o.id for o in orders], "A4", tmp_path / "out",
        progress=lambda done, total: progress.append(done),
        cancelled=lambda: len(progress) >= 2,
    )
    assert result.cancelled
    assert len(result.files) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in result.files)


def test_a_fresh_order_without_product_or_technician_prints(services, station) -> None:
    from app.domain.enums import OrderSource, OrderType, ServiceMode, WarrantyStatus
    from app.services.customers import CustomerInput
    from app.services.orders import NewOrder

    order = services.orders.create(station["clerk"], NewOrder(
        order_type=OrderType.ENQUIRY, source=OrderSource.WALK_IN,
        service_mode=ServiceMode.WORKSHOP, fault_description="", contact_phone="010-62345678",
        customer=CustomerInput("赵敏", ("010-62345678",), "北京市朝阳区建国路1号"),
    ))
    sheet = services.reports.sheet(order.number)
    assert sheet.warranty is WarrantyStatus.UNKNOWN and sheet.product_model == ""
    for document in ("report", "work-order"):
        text = "\n".join(page_texts(services.reports.build(document, order.id, "A5")))
        assert "赵敏" in text and "北京市朝阳区建国路1号" in text
    assert "无收费项目" in "\n".join(page_texts(services.reports.build("report", order.id)))
