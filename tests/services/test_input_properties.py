"""Any order or customer input is either stored whole or refused with a clear message and
nothing stored (hypothesis)."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.i18n import render
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder
from app.store.models import OutboxOp, ServiceOrder
from tests.services.helpers import counts

phones = st.one_of(
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
    st.from_regex(r"0\d{2,3}-[2-9]\d{7}", fullmatch=True),
    st.text(max_size=20),
)
texts = st.text(max_size=60)
long_texts = st.text(max_size=4100)
dates = st.one_of(st.none(), st.dates())

SETTINGS = settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _clear(err: RuleViolation) -> bool:
    """A message in Chinese with every placeholder of its template given a value."""
    fields = {name for _, name, _, _ in string.Formatter().parse(err.template) if name}
    return bool(render(err)) and fields <= set(err.params)


@SETTINGS
@given(name=texts, phone_list=st.lists(phones, max_size=6), address=st.text(max_size=220),
       notes=st.text(max_size=50))
def test_customer_input_whole_or_nothing(services, station, name, phone_list, address, notes):
    before = counts(services)
    try:
        created = services.customers.create(
            station["clerk"], CustomerInput(name, tuple(phone_list), address, notes)
        )
    except RuleViolation as err:
        assert _clear(err)
        assert counts(services) == before
        return
    after = counts(services)
    assert after["customers"] == before["customers"] + 1
    assert after["outbox"] == before["outbox"] + 1
    assert after["audit_log"] == before["audit_log"] + 1
    assert services.customers.get(created.id).name == created.name


@SETTINGS
@given(
    order_type=st.sampled_from(list(OrderType)), mode=st.sampled_from(list(ServiceMode)),
    fault=long_texts, phone=phones, name=texts, model=texts, serial=st.text(max_size=70),
    purchase=dates, months=st.integers(min_value=-5, max_value=200),
)
def test_order_input_whole_or_nothing(
    services, station, order_type, mode, fault, phone, name, model, serial, purchase, months
):
    before = counts(services)
    new = NewOrder(
        order_type=order_type, source=OrderSource.PHONE, service_mode=mode,
        fault_description=fault, contact_phone=phone,
        customer=CustomerInput(name, (phone,)),
        product=ProductInput(model, serial, purchase, "", months),
    )
    try:
        order = services.orders.create(station["clerk"], new)
    except RuleViolation as err:
        assert _clear(err)
        assert counts(services) == before
        return
    after = counts(services)
    assert after["service_orders"] == before["service_orders"] + 1
    assert after["customers"] == before["customers"] + 1
    assert after["products"] == before["products"] + 1
    with services.db.read() as s:
        stored = s.get(ServiceOrder, order.id)
        last = s.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc()).limit(1)).one()
    assert stored.fault_description == order.fault_description
    assert json.loads(last.payload)["id"] == order.id
