"""Builders for the claim tests: a policy with a schedule, and finished orders shaped as a
claim needs them (maker-paid lines, times, purchase proof, parts with their old parts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.bootstrap import Services
from app.domain.enums import ChargeKind, OrderStatus, OrderType, Payer
from app.domain.parts import OldPartStatus, part_id
from app.domain.warranty_policy import Category, LabourFee, TravelBand, WarrantyPolicy
from app.services.context import Actor
from app.services.warranty_policy import store_policy
from app.store.base import new_id
from app.store.models import ChargeLine, OldPart, Part, Product, ServiceOrder
from tests.services.helpers import new_order

LABOUR_FEE = 5000
TRAVEL_FEE = 3000
CAP = "GR-CAP-35"
COMP = "GR-CMP-9"

POLICY = WarrantyPolicy(
    label="2026 三包",
    categories=(Category("空调", ("KFR",), 12),),
    labour=(LabourFee("空调", OrderType.REPAIR, LABOUR_FEE),),
    travel=(TravelBand(20, TRAVEL_FEE), TravelBand(50, 5000)),
)


def publish_policy(services: Services, manager: Actor) -> None:
    with services.db.write() as s:
        store_policy(s, manager, POLICY, source="file", revision=0,
                     now=datetime(2026, 1, 1, tzinfo=UTC))


def add_parts(services: Services) -> None:
    with services.db.write() as s:
        s.add(Part(id=part_id(CAP), part_no=CAP, name="启动电容", unit="个",
                   retail_price_fen=4500, station_price_fen=3000, return_required=True))
        s.add(Part(id=part_id(COMP), part_no=COMP, name="压缩机", unit="台",
                   retail_price_fen=90000, station_price_fen=60000, return_required=True,
                   warranty_months=36))


@dataclass
class Shape:
    completed: datetime = datetime(2026, 5, 20, 6, 0, tzinfo=UTC)
    purchase: date | None = date(2026, 1, 10)
    invoice: str = "INV-001"
    serial: str = "SN0001"
    phone: str = "13812345678"
    fault: str = "空调不制冷"
    labour_fen: int = LABOUR_FEE
    travel_fen: int | None = TRAVEL_FEE
    travel_km: int | None = 12
    #: (part number, quantity, old parts collected)
    parts: tuple[tuple[str, int, int], ...] = ()
    status: OrderStatus = OrderStatus.COMPLETED
    payer: Payer = Payer.MAKER
    arrived_delta: timedelta = timedelta(hours=-2)


def finished_order(services: Services, actor: Actor, shape: Shape | None = None) -> str:
    """A phone order made through the order service, then shaped in the store as it stands
    after a finished repair under warranty; returns its id."""
    shape = shape or Shape()
    # a unique serial first (a second open order of one serial asks to be acknowledged)
    detail = new_order(services, actor, serial=f"TMP-{new_id()[:8]}", fault=shape.fault,
                       phone=shape.phone or "13812345678")
    done = shape.completed
    with services.db.write() as s:
        order = s.get(ServiceOrder, detail.id)
        product = s.get(Product, order.product_id)
        product.serial_no = shape.serial
        product.purchase_date = shape.purchase
        product.invoice_no = shape.invoice
        order.contact_phone = shape.phone
        if not shape.phone:
            order.customer.phones.clear()
        order.status = shape.status.value
        order.called_at = done - timedelta(hours=6)
        order.responded_at = done - timedelta(hours=5)
        order.arrived_at = done + shape.arrived_delta
        done_states = (OrderStatus.COMPLETED, OrderStatus.VISITED, OrderStatus.CLOSED)
        order.cleared_at = done if shape.status in done_states else None
        order.travel_km = shape.travel_km
        lines = [ChargeLine(kind=ChargeKind.LABOUR.value, description="维修工时", quantity=1,
                            unit_price_fen=shape.labour_fen, payer=shape.payer.value)]
        if shape.travel_fen is not None:
            lines.append(ChargeLine(kind=ChargeKind.TRAVEL.value, description="上门费",
                                    quantity=1, unit_price_fen=shape.travel_fen,
                                    payer=shape.payer.value))
        olds = []
        for no, quantity, collected in shape.parts:
            part = s.get(Part, part_id(no))
            line = ChargeLine(id=new_id(), kind=ChargeKind.PARTS.value,
                              description=f"{part.part_no} {part.name}", quantity=quantity,
                              unit_price_fen=part.retail_price_fen, part_id=part.id,
                              payer=shape.payer.value)
            lines.append(line)
            for _ in range(collected):
                olds.append(OldPart(tag_no=f"OP-{new_id()[:8]}", part_id=part.id,
                                    order_id=order.id, charge_line_id=line.id,
                                    status=OldPartStatus.COLLECTED.value))
        for i, line in enumerate(lines):
            line.position = i
        order.charge_lines = lines
        s.flush()
        s.add_all(olds)
    return detail.id
