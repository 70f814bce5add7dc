"""Customer files: phones, products, search, history, revisions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.services.customers import CustomerInput, ProductInput
from app.services.errors import PermissionDenied, StaleEdit
from app.services.order_warnings import Ack
from app.services.orders import NewOrder
from tests.services.helpers import counts, new_order


def test_customer_with_several_phones_and_search(services, station) -> None:
    clerk = station["clerk"]
    c = services.customers.create(
        clerk, CustomerInput("欧阳娜娜", ("13900001111", "0755-88776655", "13900001111"), "深圳")
    )
    assert c.phones == ("13900001111", "0755-88776655")
    assert [x.id for x in services.customers.search("075588776655")] == [c.id]
    assert [x.id for x in services.customers.search("欧阳")] == [c.id]
    services.customers.add_product(clerk, c.id, ProductInput("XQG100", "sn-77"))
    assert [x.id for x in services.customers.search("SN-77")] == [c.id]


def test_invalid_customer_stores_nothing(services, station) -> None:
    before = counts(services)
    for bad in (CustomerInput("", ("13900001111",)), CustomerInput("张三", ()),
                CustomerInput("张三", ("123",)), CustomerInput("张" * 41, ("13900001111",))):
        with pytest.raises(RuleViolation):
            services.customers.create(station["clerk"], bad)
    assert counts(services) == before


def test_technician_cannot_create_customers(services, station) -> None:
    with pytest.raises(PermissionDenied):
        services.customers.create(station["tech"], CustomerInput("张三", ("13900001111",)))


def test_update_checks_revision(services, station) -> None:
    clerk = station["clerk"]
    c = services.customers.create(clerk, CustomerInput("张三", ("13900001111",)))
    updated = services.customers.update(
        clerk, c.id, CustomerInput("张三丰", ("13900002222",), "武当山"), c.revision
    )
    assert updated.name == "张三丰" and updated.revision == c.revision + 1
    assert services.customers.search("13900001111") == []
    with pytest.raises(StaleEdit):
        services.customers.update(clerk, c.id, CustomerInput("x", ("13900002222",)), c.revision)


def test_file_shows_products_and_whole_history(services, station, clock) -> None:
    clerk = station["clerk"]
    first = new_order(services, clerk)
    clock.now += timedelta(days=30)
    again = services.orders.create(clerk, NewOrder(
        order_type=first.order_type, source=first.source, service_mode=first.service_mode,
        fault_description="又不制冷了", contact_phone="13812345678",
        customer_id=first.customer.id, product_id=first.product.id,
    ), acknowledged=Ack("客户再次来电"))
    services.orders.transition(clerk, first.id, Action.ACCEPT)
    f = services.customers.file(first.customer.id)
    assert [p.serial_no for p in f.products] == ["SN0001"]
    assert [h.number for h in f.history] == [again.number, first.number]
    assert f.history[1].status == "accepted"
