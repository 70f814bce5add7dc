"""Builders and PDF probes shared by the printing tests."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.bootstrap import Services
from app.domain.enums import (
    ChargeKind,
    OrderSource,
    OrderStatus,
    OrderType,
    ServiceMode,
    WarrantyStatus,
)
from app.domain.state_machine import Action
from app.printing.data import ChargeRow, OrderSheet, RepairNote, StationHeader
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.order_warnings import Ack
from app.services.orders import ChargeInput, NewOrder, OrderDetail

STATION_NAME = "北京海淀维修站"


def sample_sheet(**changes) -> OrderSheet:
    """A complete order sheet without a database."""
    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="SO-BJ001-20260601-0001",
        order_type=OrderType.REPAIR,
        service_mode=ServiceMode.ON_SITE,
        status=OrderStatus.COMPLETED,
        warranty=WarrantyStatus.IN_WARRANTY,
        customer_name="韩梅梅",
        contact_phone="13812345678",
        address="北京市海淀区学院路38号阳光小区5号楼2单元301",
        printed_at=datetime(2026, 6, 2, 3, 0, tzinfo=UTC),
        product_model="KFR-35GW/BP3DN1Y",
        serial_no="SN9914853944",
        purchase_date=date(2025, 8, 1),
        fault="空调不制冷，外机不转",
        technician_name="王师傅",
        repairs=(RepairNote("王师傅", "启动电容损坏", "更换压缩机启动电容，试机正常", 45),),
        charges=(ChargeRow(ChargeKind.PARTS, "压缩机启动电容", 1, 4500),
                 ChargeRow(ChargeKind.LABOUR, "维修工时", 1, 5000)),
        called_at=datetime(2026, 6, 1, 2, 0, tzinfo=UTC),
        responded_at=datetime(2026, 6, 1, 2, 10, tzinfo=UTC),
        arrived_at=datetime(2026, 6, 1, 6, 0, tzinfo=UTC),
        cleared_at=datetime(2026, 6, 1, 7, 0, tzinfo=UTC),
        satisfaction=5,
        tz=UTC,
    )
    values.update(changes)
    return OrderSheet(**values)


def repaired_order(
    services: Services, station: dict[str, Actor], clock, *, name: str = "韩梅梅",
    address: str = "北京市海淀区学院路38号阳光小区5号楼", fault: str = "空调不制冷，外机不转",
    charges: list[ChargeInput] | None = None, diagnosis: str = "启动电容损坏",
) -> OrderDetail:
    """An order taken, assigned, repaired on site with charges, and completed."""
    clerk, tech = station["clerk"], station["tech"]
    tech_id = tech.user_id
    order = services.orders.create(clerk, NewOrder(
        order_type=OrderType.REPAIR, source=OrderSource.PHONE, service_mode=ServiceMode.ON_SITE,
        fault_description=fault, contact_phone="13812345678",
        customer=CustomerInput(name, ("13812345678",), address),
        product=ProductInput("KFR-35GW/BP3DN1Y", "SN0001", date(2026, 1, 10)),
        service_address=address, technician_id=tech_id,
    ), acknowledged=Ack("测试:同一台机器的又一张工单"))  # several per test share SN0001
    clock.now += timedelta(hours=3)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    order = services.orders.add_repair_record(tech, order.id, diagnosis, "更换启动电容", 40)
    lines = charges if charges is not None else [
        ChargeInput(ChargeKind.PARTS, "压缩机启动电容", 1, 4500),
        ChargeInput(ChargeKind.LABOUR, "维修工时", 1, 5000),
        ChargeInput(ChargeKind.TRAVEL, "上门费", 1, 3000),
    ]
    order = services.orders.set_charges(tech, order.id, lines, order.revision)
    clock.now += timedelta(hours=1)
    return services.orders.transition(tech, order.id, Action.COMPLETE)


def page_texts(pdf: bytes | Path) -> list[str]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Names of fonts used on any page without an embedded font program."""
    bad: list[str] = []
    seen: set[int] = set()

    def check_resources(resources: DictionaryObject | None) -> None:
        if not resources:
            return
        fonts = resources.get("/Font")
        for ref in (fonts.get_object().values() if fonts else []):
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else None
                if descriptor is None or not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    bad.append(str(font.get("/BaseFont")))
        xobjects = resources.get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else []):
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                check_resources(xobject.get("/Resources"))

    reader = PdfReader(BytesIO(pdf))
    for page in reader.pages:
        resources = page.get("/Resources")
        check_resources(resources.get_object() if resources else None)
    return bad


def font_names(pdf: bytes) -> set[str]:
    reader = PdfReader(BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object().values() if fonts else []):
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


def ink_share(pdf_path: Path, page: int = 1, dpi: int = 50) -> float:
    """Share of pixels that are not (near) white on ``page`` rendered by poppler's pdftoppm."""
    prefix = pdf_path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf_path), str(prefix)], check=True, timeout=60)
    with Image.open(prefix.with_suffix(".png")) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        inked = sum(histogram[:200])
        return inked / (grey.width * grey.height)


def sample_receipt(**changes):
    from app.printing.data import ReceiptSheet, SaleLine

    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="SA-BJ001-20260601-0001", sold_at=datetime(2026, 6, 1, 3, 0, tzinfo=UTC),
        cashier="李信息", printed_at=datetime(2026, 6, 1, 3, 5, tzinfo=UTC),
        lines=(SaleLine("GR-CAP-35", "压缩机启动电容 35μF", 2, 4500),
               SaleLine("WM-BELT-1", "洗衣机皮带", 1, 2800)),
        payment_method="微信", discount_fen=800, customer_name="赵先生",
        customer_phone="13900001111", tz=UTC)
    values.update(changes)
    return ReceiptSheet(**values)


def sample_count(**changes):
    from app.printing.data import CountLine, CountSheet

    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="PC-BJ001-20260601-0001", opened_at=datetime(2026, 6, 1, 1, 0, tzinfo=UTC),
        opened_by="张站长", printed_at=datetime(2026, 6, 1, 1, 5, tzinfo=UTC),
        lines=(CountLine("A-01-02", "GR-CAP-35", "压缩机启动电容 35μF", "个", 12, 11, 3000),
               CountLine("B-03-01", "WM-BELT-1", "洗衣机皮带", "条", 5, None, 1500)),
        tz=UTC)
    values.update(changes)
    return CountSheet(**values)


def sample_shipment(**changes):
    from app.printing.data import OldPartLabel, ShipmentSheet

    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="RS-BJ001-20260601-0001", created_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC),
        created_by="张站长", printed_at=datetime(2026, 6, 1, 8, 5, tzinfo=UTC),
        parts=(OldPartLabel("OP-BJ001-20260601-0001", "AC-COMP-1", "变频压缩机",
                            "SO-BJ001-20260528-0003", datetime(2026, 5, 29, 6, 0, tzinfo=UTC),
                            "KFR-35GW/BP3DN1Y", "SN9914853944"),),
        carrier="顺丰速运", tz=UTC)
    values.update(changes)
    return ShipmentSheet(**values)


def sample_feedback(**changes):
    from app.printing.feedback_card import FeedbackSheet

    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="QF-BJ001-20260601-0001", status="submitted",
        printed_at=datetime(2026, 6, 2, 3, 0, tzinfo=UTC), product_model="KFR-35GW/BP3DN1Y",
        serial_no="SN9914853944", production_info="2025-03 批次B12",
        order_number="SO-BJ001-20260601-0001", fault_phenomenon="空调不制冷，外机不转",
        faulty_part="压缩机启动电容", cause_category="material",
        use_environment="沿海，高温高湿", customer_opinion="希望尽快解决，影响使用",
        created_by="王师傅", created_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC),
        submitted_by="王师傅", submitted_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC), tz=UTC)
    values.update(changes)
    return FeedbackSheet(**values)


def sample_claim(**changes):
    """A settled claim batch of three lines (one overridden warning, one adjusted, one
    rejected): the sheet both claim papers print."""
    from app.printing.claim_batch import ClaimOverrideNote, ClaimPaperLine, ClaimSheet

    lines = (
        ClaimPaperLine(1, "SO-BJ001-20260510-0001", "韩梅梅", "KFR-35GW/BP3DN1Y",
                       "SN9914853944", "labour", "维修工时", 1, 5000, 5000,
                       overrides=(ClaimOverrideNote("repeat_repair", "用户第二次报修，非同一故障",
                                                    "张站长",
                                                    datetime(2026, 6, 1, 1, 0, tzinfo=UTC)),),
                       decision="approved", approved_fen=5000),
        ClaimPaperLine(2, "SO-BJ001-20260510-0001", "韩梅梅", "KFR-35GW/BP3DN1Y",
                       "SN9914853944", "parts", "GR-CAP-35 压缩机启动电容", 1, 4500, 4500,
                       "OP-BJ001-20260510-0001", decision="adjusted", approved_fen=3000,
                       decision_reason="按站内价结算"),
        ClaimPaperLine(3, "SO-BJ001-20260512-0002", "李雷", "KFR-26GW", "SN0002", "travel",
                       "上门费", 1, 3001, 3001, decision="rejected", approved_fen=0,
                       decision_reason="上门距离不足"),
    )
    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="CB-BJ001-20260601-0001", period="2026-05", status="settled", lines=lines,
        printed_at=datetime(2026, 6, 12, 3, 0, tzinfo=UTC),
        submitted_at=datetime(2026, 6, 1, 2, 0, tzinfo=UTC), submitted_by="张站长",
        statement_no="ST-BJ001-202605-01", claimed_fen=12501, approved_fen=8000,
        deducted_fen=500, payable_fen=7500, settled_at=datetime(2026, 6, 10, 2, 0, tzinfo=UTC),
        tz=UTC)
    values.update(changes)
    return ClaimSheet(**values)


def sample_statistics(**changes):
    from tests.printing.test_report_sheet import sample_statistics as sample

    return sample(**changes)


def sample_recovery_key(**changes):
    from tests.printing.test_recovery_key import sample

    return sample(**changes)


def sample_personal_data(**changes):
    from tests.printing.test_personal_data import sample_personal_data as sample

    return sample(**changes)


def sample_route_sheet(**changes):
    from tests.printing.test_route_sheet import sample_route_sheet as sample

    return sample(**changes)


def sample_for(subject: str, **changes):
    """A complete sheet of the kind a document of ``subject`` prints."""
    return {"order": sample_sheet, "sale": sample_receipt, "count": sample_count,
            "shipment": sample_shipment, "feedback": sample_feedback,
            "claim_batch": sample_claim, "claim_settlement": sample_claim,
            "statistics": sample_statistics,
            "recovery_key": sample_recovery_key,
            "customer": sample_personal_data,
            "route": sample_route_sheet}[subject](**changes)
