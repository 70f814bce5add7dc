"""Who pays each charge line (app/services/payers.py): the maker for labour, travel and parts
of an in-warranty unit, the customer for `other`; the maker only for a part still in its own
period when the unit is out; the customer for everything when nothing is known. The payer
rides with the line in the outbox, follows a product change, and the two totals always add
up to the order's total."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import ChargeKind, OrderSource, OrderType, Payer, ServiceMode, WarrantyStatus
from app.domain.errors import RuleViolation
from app.domain.parts import MovementKind, part_id
from app.domain.warranty_policy import CoverageReason
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import ChargeInput, NewOrder, OrderEdit
from app.services.warranty_policy import DEMO_POLICY_CSV
from app.store.models import OldPart, OutboxOp, Part

# the clock stands at 2026-06-01; the demo policy: 空调 12 months, compressor KT-0010- 72
IN_WARRANTY = date(2025, 12, 1)
OUT_OF_WARRANTY = date(2023, 3, 1)
COMPRESSOR = "KT-0010-1035"


@pytest.fixture
def policy(services, station):
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode("utf-8"), "demo")


def order_for(services, station, purchase: date | None, *, invoice: str = "FP0001",
              model: str = "KFR-35GW/BP3DN1Y", serial: str = "SN1"):
    return services.orders.create(station["clerk"], NewOrder(
        order_type=OrderType.REPAIR, source=OrderSource.PHONE, service_mode=ServiceMode.ON_SITE,
        fault_description="不制冷", contact_phone="13812345678",
        customer=CustomerInput("李雷", ("13812345678",), "北京市海淀区学院路1号"),
        product=ProductInput(model, serial, purchase, invoice, 12),
        technician_id=station["tech"].user_id))


def stock(services, part_no: str, *, months: int | None = None, price: int = 168000,
          return_required: bool = True) -> Part:
    with services.db.write() as s:
        part = Part(id=part_id(part_no), part_no=part_no, name="压缩机", unit="台",
                    retail_price_fen=price, station_price_fen=118000,
                    return_required=return_required, warranty_months=months)
        s.add(part)
        s.flush()
        ledger.post(s, SYSTEM, part=part, kind=MovementKind.RECEIVED, quantity=5,
                    now=services.orders.clock())
    return part


FREE_LINES = [ChargeInput(ChargeKind.LABOUR, "维修工时费", 1, 8000),
              ChargeInput(ChargeKind.TRAVEL, "上门费", 1, 3000),
              ChargeInput(ChargeKind.PARTS, "辅材", 2, 750),
              ChargeInput(ChargeKind.OTHER, "加购遥控器", 1, 6800)]


def payers_of(detail) -> dict[str, Payer]:
    return {c.description: c.payer for c in detail.charges}


def test_an_in_warranty_unit_puts_labour_travel_and_parts_on_the_maker(services, station,
                                                                      policy) -> None:
    order = order_for(services, station, IN_WARRANTY)
    assert order.coverage.status is WarrantyStatus.IN_WARRANTY
    assert order.coverage_text == "保内：空调整机12个月，购机2025-12-01，保修至2026-11-30"
    detail = services.orders.set_charges(station["tech"], order.id, FREE_LINES, order.revision)
    assert payers_of(detail) == {"维修工时费": Payer.MAKER, "上门费": Payer.MAKER,
                                 "辅材": Payer.MAKER, "加购遥控器": Payer.CUSTOMER}
    assert detail.claimed_fen == 8000 + 3000 + 1500
    assert detail.customer_due_fen == 6800
    assert detail.claimed_fen + detail.customer_due_fen == detail.total_fen
    # the line in the outbox carries its payer
    with services.db.read() as s:
        op = s.scalars(select(OutboxOp).where(OutboxOp.entity == "service_order")
                       .order_by(OutboxOp.seq.desc())).first()
    lines = {c["description"]: c["payer"] for c in json.loads(op.payload)["charge_lines"]}
    assert lines == {"维修工时费": "maker", "上门费": "maker", "辅材": "maker",
                     "加购遥控器": "customer"}


def test_out_of_warranty_the_customer_pays_but_a_key_part_in_its_period_is_claimed(
        services, station, policy) -> None:
    stock(services, COMPRESSOR)  # 72 months by the policy's key-part rule
    stock(services, "KT-3301-0035", price=4500, return_required=False)  # no rule, no months
    order = order_for(services, station, OUT_OF_WARRANTY)
    assert order.coverage.status is WarrantyStatus.OUT_OF_WARRANTY
    assert order.coverage_text == "保外：已过保修期（至2024-02-29）"
    services.order_parts.issue(station["tech"], order.id, part_id(COMPRESSOR), 1)
    detail = services.order_parts.issue(station["tech"], order.id, part_id("KT-3301-0035"), 2)
    detail = services.orders.set_charges(
        station["tech"], order.id, [*detail.charges, *FREE_LINES[:2]], detail.revision)
    by_part = {c.part_id: c.payer for c in detail.charges if c.part_id}
    assert by_part == {part_id(COMPRESSOR): Payer.MAKER, part_id("KT-3301-0035"): Payer.CUSTOMER}
    assert {c.description: c.payer for c in detail.charges if not c.part_id} == {
        "维修工时费": Payer.CUSTOMER, "上门费": Payer.CUSTOMER}
    assert detail.claimed_fen == 168000
    assert detail.customer_due_fen == 2 * 4500 + 8000 + 3000
    assert detail.claimed_fen + detail.customer_due_fen == detail.total_fen
    # the old compressor goes back to head office: the maker pays for it
    with services.db.read() as s:
        assert len(s.scalars(select(OldPart)).all()) == 1


def test_the_catalogue_months_cover_a_part_without_a_key_part_rule(services, station,
                                                                   policy) -> None:
    stock(services, "KT-4301-0035", months=60, price=18000)
    order = order_for(services, station, OUT_OF_WARRANTY)
    detail = services.order_parts.issue(station["tech"], order.id, part_id("KT-4301-0035"), 1)
    assert detail.charges[0].payer is Payer.MAKER and detail.claimed_fen == 18000


def test_without_purchase_date_or_product_the_customer_pays(services, station,
                                                            policy) -> None:
    order = order_for(services, station, None)
    assert order.coverage.reason is CoverageReason.NO_PURCHASE_DATE
    assert order.coverage_text == "保修未知：无购机日期"
    detail = services.orders.set_charges(station["tech"], order.id, FREE_LINES, order.revision)
    assert set(payers_of(detail).values()) == {Payer.CUSTOMER}
    assert detail.claimed_fen == 0 and detail.customer_due_fen == detail.total_fen


def test_invoice_required_makes_the_customer_pay(services, station) -> None:
    strict = DEMO_POLICY_CSV.replace("invoice_required,no", "invoice_required,yes")
    services.policy.import_bytes(station["manager"], strict.encode(), "strict")
    order = order_for(services, station, IN_WARRANTY, invoice="")
    assert order.coverage.reason is CoverageReason.NO_INVOICE
    assert order.coverage_text == "保外：无发票（政策要求凭发票保修）"
    detail = services.orders.set_charges(station["tech"], order.id, FREE_LINES, order.revision)
    assert detail.claimed_fen == 0


def test_changing_the_product_on_the_order_recomputes_the_payers(services, station,
                                                                 policy) -> None:
    order = order_for(services, station, OUT_OF_WARRANTY)
    detail = services.orders.set_charges(station["tech"], order.id, FREE_LINES, order.revision)
    assert detail.claimed_fen == 0
    newer = services.customers.add_product(
        station["clerk"], order.customer.id,
        ProductInput("BCD-470WDPG", "SN2", IN_WARRANTY, "FP2", 12))
    edit = OrderEdit(detail.order_type, detail.service_mode, detail.fault_description,
                     detail.contact_phone, detail.service_address, newer.id, travel_km=18)
    detail = services.orders.update(station["clerk"], order.id, edit, detail.revision)
    assert detail.coverage.rule == "冰箱" and detail.travel_km == 18
    assert detail.claimed_fen == 8000 + 3000 + 1500
    assert detail.customer_due_fen == 6800


def test_travel_km_is_checked(services, station, policy) -> None:
    order = order_for(services, station, IN_WARRANTY)
    edit = OrderEdit(order.order_type, order.service_mode, order.fault_description,
                     order.contact_phone, order.service_address, order.product.id,
                     travel_km=10_001)
    with pytest.raises(RuleViolation) as caught:
        services.orders.update(station["clerk"], order.id, edit, order.revision)
    assert caught.value.field == "travel_km"
    assert services.orders.detail(order.id).travel_km is None


def test_without_a_policy_the_products_own_months_decide(services, station) -> None:
    order = order_for(services, station, IN_WARRANTY)
    assert order.coverage.status is WarrantyStatus.IN_WARRANTY and order.coverage.rule == ""
    assert order.coverage_text.startswith("保内：整机12个月")
    detail = services.orders.set_charges(station["tech"], order.id, FREE_LINES[:1],
                                         order.revision)
    assert detail.charges[0].payer is Payer.MAKER
