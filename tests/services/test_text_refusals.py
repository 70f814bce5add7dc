"""Every service entry point that takes text refuses what it cannot store or print: a lone
surrogate anywhere, and in a printed field also text the papers cannot lay out or draw.
The refusal names the field and the character, and nothing is stored."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Services, open_services
from app.domain.enums import ChargeKind, OrderSource, OrderType, Role, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.i18n import render
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.order_queries import OrderFilter
from app.services.orders import ChargeInput, NewOrder, OrderEdit
from app.services.users import NewStation, NewUser
from app.store.base import Base
from tests.conftest import PASSWORD, ManualClock
from tests.services.helpers import new_order

SURROGATE = ("坏\ud800字", "U+D800")
#: (text, a code point the message must name): each refused by a printed field
PRINTED_BAD = [
    pytest.param(*SURROGATE, id="lone-surrogate"),
    pytest.param("😀\u200d", "U+200D", id="emoji-zwj"),
    pytest.param("字\U000e0100", "U+E0100", id="variation-selector"),
    pytest.param("ئۇيغۇر", "U+0626", id="uyghur"),
    pytest.param("עברית", "U+05E2", id="hebrew"),
    pytest.param("李\u202e雷", "U+202E", id="bidi-override"),
    pytest.param("བོད", "U+0F56", id="tibetan"),
    pytest.param("姓ꆈꌠ", "U+A188", id="yi-no-font"),
    pytest.param("客户\ue000", "U+E000", id="private-use-no-font"),
    pytest.param("张\x07三", "U+0007", id="control"),
]
#: what every other text entry point (ids, search, passwords) refuses
KEY_BAD = [pytest.param(*SURROGATE, id="lone-surrogate")]


@dataclass
class World:
    services: Services
    manager: Actor
    tech: Actor
    order_id: str
    customer_id: str
    product_id: str
    tmp: Path

    def order(self):
        return self.services.orders.detail(self.order_id)

    def customer_input(self, **changes) -> CustomerInput:
        values = dict(name="李雷", phones=("13812345678",), address="北京市海淀区学院路1号",
                      notes="")
        values.update(changes)
        return CustomerInput(**values)

    def product_input(self, **changes) -> ProductInput:
        values = dict(model="KFR-35GW", serial_no="SN0001", invoice_no="")
        values.update(changes)
        return ProductInput(**values)

    def new_order(self, **changes) -> NewOrder:
        values = dict(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                      service_mode=ServiceMode.ON_SITE, fault_description="空调不制冷",
                      contact_phone="13812345678", customer=self.customer_input())
        values.update(changes)
        return NewOrder(**values)

    def edit(self, **changes) -> OrderEdit:
        o = self.order()
        values = dict(order_type=o.order_type, service_mode=o.service_mode,
                      fault_description=o.fault_description, contact_phone=o.contact_phone,
                      service_address=o.service_address, product_id=self.product_id)
        values.update(changes)
        return OrderEdit(**values)


def _world(services: Services, station: dict[str, Actor], tmp: Path) -> World:
    order = new_order(services, station["clerk"])
    services.orders.transition(station["manager"], order.id, Action.ACCEPT)
    services.orders.transition(station["manager"], order.id, Action.ASSIGN,
                               technician_id=station["tech"].user_id)
    return World(services, station["manager"], station["tech"], order.id, order.customer.id,
                 order.product.id, tmp)


@pytest.fixture
def world(services, station, tmp_path) -> World:
    return _world(services, station, tmp_path)


@pytest.fixture(scope="module")
def unchanged_world(tmp_path_factory) -> Iterator[World]:
    """One station for all the refusal tests: each checks that it changed nothing."""
    tmp = tmp_path_factory.mktemp("refusals")
    services = open_services(tmp / "station", clock=ManualClock())
    try:
        services.users.set_up_station(NewStation("BJ001", "北京海淀维修站", "", ""),
                                      NewUser("boss", "张站长", Role.MANAGER, PASSWORD))
        boss = services.users.login("boss", PASSWORD)
        for name, role in (("clerk", Role.CLERK), ("tech", Role.TECHNICIAN)):
            services.users.create_user(boss, NewUser(name, name, role, PASSWORD))
        actors = {"manager": boss, "clerk": services.users.login("clerk", PASSWORD),
                  "tech": services.users.login("tech", PASSWORD)}
        yield _world(services, actors, tmp)
    finally:
        services.close()


def _rev(w: World) -> int:
    return w.order().revision


def _customer_rev(w: World) -> int:
    return w.services.customers.get(w.customer_id).revision


#: printed free-text fields: (field the error names, call with the bad text)
PRINTED: dict[str, tuple[str, Callable[[World, str], object]]] = {
    "customer.create name": ("name", lambda w, x: w.services.customers.create(
        w.manager, w.customer_input(name=x))),
    "customer.create address": ("address", lambda w, x: w.services.customers.create(
        w.manager, w.customer_input(address=x))),
    "customer.create notes": ("notes", lambda w, x: w.services.customers.create(
        w.manager, w.customer_input(notes=x))),
    "customer.update name": ("name", lambda w, x: w.services.customers.update(
        w.manager, w.customer_id, w.customer_input(name=x), _customer_rev(w))),
    "customer.update address": ("address", lambda w, x: w.services.customers.update(
        w.manager, w.customer_id, w.customer_input(address=x), _customer_rev(w))),
    "customer.update notes": ("notes", lambda w, x: w.services.customers.update(
        w.manager, w.customer_id, w.customer_input(notes=x), _customer_rev(w))),
    "product.add model": ("model", lambda w, x: w.services.customers.add_product(
        w.manager, w.customer_id, w.product_input(model=x))),
    "product.add serial": ("serial_no", lambda w, x: w.services.customers.add_product(
        w.manager, w.customer_id, w.product_input(serial_no=x))),
    "product.add invoice": ("invoice_no", lambda w, x: w.services.customers.add_product(
        w.manager, w.customer_id, w.product_input(invoice_no=x))),
    "product.update model": ("model", lambda w, x: w.services.customers.update_product(
        w.manager, w.product_id, w.product_input(model=x), 1)),
    "product.update serial": ("serial_no", lambda w, x: w.services.customers.update_product(
        w.manager, w.product_id, w.product_input(serial_no=x), 1)),
    "product.update invoice": ("invoice_no", lambda w, x: w.services.customers.update_product(
        w.manager, w.product_id, w.product_input(invoice_no=x), 1)),
    "order.create fault": ("fault_description", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(fault_description=x))),
    "order.create service address": ("service_address", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(service_address=x))),
    "order.create hq reference": ("hq_reference", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(hq_reference=x))),
    "order.create customer name": ("name", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(customer=w.customer_input(name=x)))),
    "order.create product model": ("model", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(product=w.product_input(model=x)))),
    "order.update fault": ("fault_description", lambda w, x: w.services.orders.update(
        w.manager, w.order_id, w.edit(fault_description=x), _rev(w))),
    "order.update service address": ("service_address", lambda w, x: w.services.orders.update(
        w.manager, w.order_id, w.edit(service_address=x), _rev(w))),
    "order.cancel reason": ("reason", lambda w, x: w.services.orders.transition(
        w.manager, w.order_id, Action.CANCEL, reason=x)),
    "order.repair diagnosis": ("diagnosis", lambda w, x: w.services.orders.add_repair_record(
        w.tech, w.order_id, x, "更换电容", 30)),
    "order.repair actions": ("actions", lambda w, x: w.services.orders.add_repair_record(
        w.tech, w.order_id, "电容坏", x, 30)),
    "order.charge description": ("charges", lambda w, x: w.services.orders.set_charges(
        w.tech, w.order_id, [ChargeInput(ChargeKind.PARTS, "电容", 1, 100),
                             ChargeInput(ChargeKind.LABOUR, x, 1, 100)], _rev(w))),
    "user.create display name": ("display_name", lambda w, x: w.services.users.create_user(
        w.manager, NewUser("newbie", x, Role.CLERK, PASSWORD))),
}

#: text only looked up, hashed or kept as a key: a lone surrogate is refused
KEYS: dict[str, tuple[str, Callable[[World, str], object]]] = {
    "customer.create phone": ("phones", lambda w, x: w.services.customers.create(
        w.manager, w.customer_input(phones=(x,)))),
    "customer.search": ("text", lambda w, x: w.services.customers.search(x)),
    "customer.get": ("customer_id", lambda w, x: w.services.customers.get(x)),
    "customer.file": ("customer_id", lambda w, x: w.services.customers.file(x)),
    "customer.update id": ("customer_id", lambda w, x: w.services.customers.update(
        w.manager, x, w.customer_input(), 1)),
    "product.add customer id": ("customer_id", lambda w, x: w.services.customers.add_product(
        w.manager, x, w.product_input())),
    "product.update id": ("product_id", lambda w, x: w.services.customers.update_product(
        w.manager, x, w.product_input(), 1)),
    "order.search text": ("text", lambda w, x: w.services.orders.search(OrderFilter(text=x))),
    "order.search technician": ("technician_id", lambda w, x: w.services.orders.search(
        OrderFilter(technician_id=x))),
    "order.search customer": ("customer_id", lambda w, x: w.services.orders.search(
        OrderFilter(customer_id=x))),
    "order.detail": ("order_id", lambda w, x: w.services.orders.detail(x)),
    "order.find by number": ("number", lambda w, x: w.services.orders.find_by_number(x)),
    "order.create phone": ("contact_phone", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(contact_phone=x))),
    "order.create customer id": ("customer_id", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(customer=None, customer_id=x))),
    "order.create technician": ("technician_id", lambda w, x: w.services.orders.create(
        w.manager, w.new_order(technician_id=x))),
    "order.update phone": ("contact_phone", lambda w, x: w.services.orders.update(
        w.manager, w.order_id, w.edit(contact_phone=x), _rev(w))),
    "order.update id": ("order_id", lambda w, x: w.services.orders.update(
        w.manager, x, w.edit(), _rev(w))),
    "order.assign technician": ("technician_id", lambda w, x: w.services.orders.transition(
        w.manager, w.order_id, Action.ASSIGN, technician_id=x)),
    "order.transition id": ("order_id", lambda w, x: w.services.orders.transition(
        w.manager, x, Action.CANCEL, reason="客户取消")),
    "report.sheet": ("order_id", lambda w, x: w.services.reports.sheet(x)),
    "report.sheet by number": ("number", lambda w, x: w.services.reports.sheet("SO-" + x)),
    "user.create username": ("username", lambda w, x: w.services.users.create_user(
        w.manager, NewUser(x, "新人", Role.CLERK, PASSWORD))),
    "user.create password": ("password", lambda w, x: w.services.users.create_user(
        w.manager, NewUser("newbie", "新人", Role.CLERK, PASSWORD + x))),
    "user.set password": ("password", lambda w, x: w.services.users.set_password(
        w.manager, w.manager.user_id, PASSWORD + x)),
    "user.set password id": ("user_id", lambda w, x: w.services.users.set_password(
        w.manager, x, PASSWORD)),
    "user.set active": ("user_id", lambda w, x: w.services.users.set_active(w.manager, x, False)),
    "user.set role": ("user_id", lambda w, x: w.services.users.set_role(
        w.manager, x, Role.CLERK)),
    "user.login name": ("username", lambda w, x: w.services.users.login(x, PASSWORD)),
    "user.login password": ("password", lambda w, x: w.services.users.login("clerk", x)),
    "sync.register url": ("hq_url", lambda w, x: w.services.sync.register(
        w.manager, "https://hq.example.com/" + x, "BJ001", "token", check=False)),
    "sync.register code": ("station_code", lambda w, x: w.services.sync.register(
        w.manager, "https://hq.example.com", x, "token", check=False)),
    "sync.register token": ("token", lambda w, x: w.services.sync.register(
        w.manager, "https://hq.example.com", "BJ001", x, check=False)),
    "sync.register ca bundle": ("ca_bundle", lambda w, x: w.services.sync.register(
        w.manager, "https://hq.example.com", "BJ001", "token", ca_bundle=x, check=False)),
    "sync.resolve conflict id": ("conflict_id", lambda w, x: w.services.sync.resolve_conflict(
        w.manager, x, "已处理")),
    "sync.resolve conflict note": ("note", lambda w, x: w.services.sync.resolve_conflict(
        w.manager, "c1", x)),
    "sync.mark notice read": ("notice_id", lambda w, x: w.services.sync.mark_notice_read(
        w.manager, x)),
}


def snapshot(services: Services) -> dict[str, list[tuple]]:
    """Every row of every table: a refusal leaves all of them as they were."""
    with services.db.read() as s:
        return {table.name: sorted(map(tuple, s.execute(select(table)).all()), key=repr)
                for table in Base.metadata.sorted_tables}


def _refused(w: World, call: Callable[[World, object], object], field: str, text: object,
             code: str) -> None:
    before = snapshot(w.services)
    attachments = sorted(w.services.paths.attachments.rglob("*"))
    with pytest.raises(RuleViolation) as err:
        call(w, text)
    message = render(err.value)
    assert err.value.field == field, message
    assert code in message
    message.encode("utf-8")  # the message never carries the surrogate itself
    assert snapshot(w.services) == before
    assert sorted(w.services.paths.attachments.rglob("*")) == attachments


@pytest.mark.parametrize(("text", "code"), PRINTED_BAD)
@pytest.mark.parametrize("entry", list(PRINTED))
def test_printed_fields_refuse_what_cannot_be_stored_or_printed(unchanged_world, entry, text,
                                                                 code):
    field, call = PRINTED[entry]
    _refused(unchanged_world, call, field, text, code)


@pytest.mark.parametrize(("text", "code"), KEY_BAD)
@pytest.mark.parametrize("entry", list(KEYS))
def test_every_other_text_refuses_a_lone_surrogate(unchanged_world, entry, text, code):
    field, call = KEYS[entry]
    _refused(unchanged_world, call, field, text, code)


def test_a_photo_whose_name_the_disk_cannot_decode_is_refused(unchanged_world):
    # on Linux such a name reaches Python holding surrogates (os.fsdecode)
    path = unchanged_world.tmp / os.fsdecode(b"\xe5\x9d\x8f\xff.jpg")
    with open(os.fsencode(path), "wb") as out:
        out.write(b"\xff\xd8fake-jpeg")
    _refused(unchanged_world, lambda w, p: w.services.orders.attach_photo(w.tech, w.order_id, p),
             "file", path, "U+DCFF")


STATION_FIELDS = {
    "code": lambda x: (NewStation(x, "站", "", ""), NewUser("boss", "张", Role.MANAGER, PASSWORD)),
    "name": lambda x: (NewStation("BJ1", x, "", ""),
                       NewUser("boss", "张", Role.MANAGER, PASSWORD)),
    "address": lambda x: (NewStation("BJ1", "站", x, ""),
                          NewUser("boss", "张", Role.MANAGER, PASSWORD)),
    "phone": lambda x: (NewStation("BJ1", "站", "", x),
                        NewUser("boss", "张", Role.MANAGER, PASSWORD)),
    "username": lambda x: (NewStation("BJ1", "站", "", ""),
                           NewUser(x, "张", Role.MANAGER, PASSWORD)),
    "display_name": lambda x: (NewStation("BJ1", "站", "", ""),
                               NewUser("boss", x, Role.MANAGER, PASSWORD)),
    "password": lambda x: (NewStation("BJ1", "站", "", ""),
                           NewUser("boss", "张", Role.MANAGER, PASSWORD + x)),
}
STATION_PRINTED = ("name", "address", "display_name")


def _station_refused(services: Services, field: str, text: str, code: str) -> None:
    before = snapshot(services)
    with pytest.raises(RuleViolation) as err:
        services.users.set_up_station(*STATION_FIELDS[field](text))
    assert err.value.field == field
    assert code in render(err.value)
    assert snapshot(services) == before
    assert services.users.needs_setup()


@pytest.mark.parametrize(("text", "code"), PRINTED_BAD)
@pytest.mark.parametrize("field", STATION_PRINTED)
def test_station_setup_refuses_unprintable_text_and_stays_unset(services, field, text, code):
    _station_refused(services, field, text, code)


@pytest.mark.parametrize(("text", "code"), KEY_BAD)
@pytest.mark.parametrize("field", [f for f in STATION_FIELDS if f not in STATION_PRINTED])
def test_station_setup_refuses_a_surrogate_anywhere(services, field, text, code):
    _station_refused(services, field, text, code)


ACCEPTED = ["䶮", "㐀", "𠀀", "℃", "ǎ", "Ⅻ", "①", "ǘ", "℉", "±", "×"]


@pytest.mark.parametrize("rare", ACCEPTED)
def test_rare_characters_are_stored_exactly(world, rare):
    svc, m = world.services, world.manager
    customer = svc.customers.create(m, world.customer_input(name=f"王{rare}", address=f"路{rare}",
                                                             notes=f"备注{rare}"))
    assert (customer.name, customer.address, customer.notes) == (f"王{rare}", f"路{rare}",
                                                                 f"备注{rare}")
    product = svc.customers.add_product(m, customer.id, world.product_input(
        model=f"KFR{rare}", invoice_no=f"No{rare}"))
    assert (product.model, product.invoice_no) == (f"KFR{rare}", f"No{rare}")
    order = svc.orders.add_repair_record(world.tech, world.order_id, f"出风温度12{rare}",
                                         f"更换{rare}", 10)
    assert order.repairs[-1].diagnosis == f"出风温度12{rare}"
    assert order.repairs[-1].actions == f"更换{rare}"
    order = svc.orders.set_charges(world.tech, world.order_id,
                                   [ChargeInput(ChargeKind.PARTS, f"电容{rare}", 1, 100)],
                                   order.revision)
    assert order.charges[0].description == f"电容{rare}"
    user = svc.users.create_user(m, NewUser(f"u{ord(rare)}", f"师傅{rare}", Role.TECHNICIAN,
                                            PASSWORD))
    assert user.display_name == f"师傅{rare}"
    assert [c.id for c in svc.customers.search(f"王{rare}")] == [customer.id]


def test_passwords_take_any_character_but_a_surrogate(world):
    odd = "密码ئۇ\u202e😀\u200d\x07\ue000"
    svc = world.services
    svc.users.create_user(world.manager, NewUser("oddpass", "新人", Role.CLERK, odd))
    assert svc.users.login("oddpass", odd).username == "oddpass"


def test_multi_line_fields_keep_newlines_and_tabs(world):
    order = world.services.orders.add_repair_record(world.tech, world.order_id,
                                                    "第一行\n\t第二行", "", 10)
    assert order.repairs[-1].diagnosis == "第一行\n\t第二行"
    with pytest.raises(RuleViolation) as err:
        world.services.customers.create(world.manager, world.customer_input(name="李\n雷"))
    assert err.value.field == "name"
