"""Small builders shared by the service tests."""

from __future__ import annotations

from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder, OrderDetail
from app.store.models import AuditEntry, Customer, OutboxOp, Product, ServiceOrder


def new_order(
    services: Services, actor: Actor, *, phone: str = "13812345678", name: str = "李雷",
    serial: str = "SN0001", fault: str = "空调不制冷", **kw
) -> OrderDetail:
    acknowledged = kw.pop("acknowledged", None)
    return services.orders.create(
        actor,
        NewOrder(
            order_type=kw.pop("order_type", OrderType.REPAIR),
            source=kw.pop("source", OrderSource.PHONE),
            service_mode=kw.pop("service_mode", ServiceMode.ON_SITE),
            fault_description=fault,
            contact_phone=phone,
            customer=CustomerInput(name, (phone,), "北京市海淀区学院路1号"),
            product=ProductInput("KFR-35GW", serial, kw.pop("purchase_date", None)),
            **kw,
        ),
        acknowledged,
    )


def counts(services: Services) -> dict[str, int]:
    with services.db.read() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Customer, Product, ServiceOrder, OutboxOp, AuditEntry)
        }
