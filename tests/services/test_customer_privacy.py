"""A customer's data on request (issue 14, item 3): the manager's export holds everything the
station keeps about the customer; the erasure leaves none of the person's values in any table
(audit and outbox too), keeps the orders' numbers and amounts, is recorded and sent to head
office, and is refused a second time."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.bootstrap import Services
from app.domain.charges import Charge
from app.domain.enums import ChargeKind
from app.domain.erasure import ERASED_NAME
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.state_machine import Action
from app.services.context import Actor
from app.services.customer_export import JSON_NAME, PDF_NAME
from app.services.errors import PermissionDenied
from app.services.order_queries import OrderFilter
from app.store.models import (
    AuditEntry,
    Customer,
    CustomerErasure,
    OutboxOp,
    Sale,
    ServiceOrder,
)
from tests.services.helpers import new_order

NAME = "欧阳娜娜"
PHONE = "13987654321"
ADDRESS = "上海市浦东新区秘密路88号"
NOTES = "晚上七点后方便"
SECRETS = (NAME, PHONE, ADDRESS, NOTES)


def _photo(path: Path) -> Path:
    Image.new("RGB", (40, 30), "#48c").save(path, "JPEG")
    return path


@pytest.fixture
def filled(services: Services, station: dict[str, Actor], tmp_path: Path) -> dict[str, str]:
    """One customer with a completed, paid and visited order (photo, repair, charges), a
    second order, a sale in his name, and another customer who must stay untouched."""
    clerk, tech, boss = station["clerk"], station["tech"], station["manager"]
    first = new_order(services, clerk, name=NAME, phone=PHONE, serial="SN-PIPL-1",
                      fault=f"不制冷，请先拨{PHONE}联系{NAME}", technician_id=tech.user_id)
    c = services.customers.get(first.customer.id)
    services.customers.update(boss, c.id, _input(ADDRESS, NOTES), c.revision)
    services.orders.transition(tech, first.id, Action.START_ON_SITE)
    services.orders.add_repair_record(tech, first.id, "电容鼓包", f"更换电容，{NAME}在场", 30)
    services.orders.attach_photo(tech, first.id, _photo(tmp_path / "fault.jpg"))
    detail = services.orders.detail(first.id)
    services.orders.set_charges(tech, first.id, [Charge(ChargeKind.LABOUR, "维修工时", 1, 5000)],
                                detail.revision)
    services.orders.transition(tech, first.id, Action.COMPLETE)
    services.payments.receive(clerk, first.id, 5000, PaymentMethod.CASH)
    services.visits.record_visit(boss, first.id, {"speed": 5, "attitude": 4, "quality": 5,
                                                  "price": 3}, f"{NAME}很满意")
    second = new_order(services, clerk, phone=PHONE, name=NAME, serial="SN-PIPL-2",
                       customer_id=first.customer.id)
    other = new_order(services, clerk, name="路人甲", phone="13700001111", serial="SN-OTHER")
    with services.db.write() as s:
        s.add(Sale(number="SA-BJ001-20260601-0001", customer_id=first.customer.id,
                   customer_name=NAME, customer_phone=PHONE, payment_method="cash"))
    return {"customer": first.customer.id, "first": first.id, "second": second.id,
            "first_number": first.number, "other": other.customer.id}


def _input(address: str, notes: str):
    from app.services.customers import CustomerInput

    return CustomerInput(NAME, (PHONE,), address, notes)


def _everything(services: Services) -> str:
    """Every value of every table (the FTS indexes' pages too), as one text."""
    raw = services.db.engine.raw_connection()
    try:
        cur = raw.cursor()
        tables = [r[0] for r in cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
        parts = []
        for table in tables:
            for row in cur.execute(f'SELECT * FROM "{table}"').fetchall():
                for value in row:
                    if isinstance(value, bytes):
                        parts.append(value.decode("utf-8", "ignore"))
                    elif value is not None:
                        parts.append(str(value))
        return "\n".join(parts)
    finally:
        raw.close()


def test_the_export_holds_the_file_orders_payments_visits_and_photos(
        services: Services, station: dict[str, Actor], filled: dict[str, str],
        tmp_path: Path) -> None:
    target = tmp_path / "out" / "欧阳.zip"
    target.parent.mkdir()
    result = services.privacy.export_customer(station["manager"], filled["customer"], target)
    assert result.orders == 2 and result.photos == 1 and result.missing_photos == 0
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
        data = json.loads(z.read(JSON_NAME).decode("utf-8"))
        pdf = z.read(PDF_NAME)
        photo = [n for n in names if n.startswith("photos/")]
        assert len(photo) == 1 and z.read(photo[0])[:2] == b"\xff\xd8"
        assert f'"{NAME}"' in z.read(JSON_NAME).decode("utf-8")  # not \\u-escaped
    assert data["customer"]["name"] == NAME and data["customer"]["phones"] == [PHONE]
    assert data["customer"]["address"] == ADDRESS
    first = next(o for o in data["orders"] if o["id"] == filled["first"])
    assert first["charge_lines"][0]["unit_price_fen"] == 5000
    assert first["payments"][0]["amount_fen"] == 5000
    assert first["return_visit"]["comments"] == f"{NAME}很满意"
    assert first["repair_records"][0]["diagnosis"] == "电容鼓包"
    assert first["attachments"][0]["file"] == photo[0]
    assert {p["serial_no"] for p in data["products"]} == {"SN-PIPL-1", "SN-PIPL-2"}
    assert data["sales"][0]["customer_phone"] == PHONE
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(
        __import__("io").BytesIO(pdf)).pages)
    for value in (NAME, PHONE, filled["first_number"], "个人信息", "收款现金¥50.00"):
        assert value in text
    assert "cash" not in text and "payment" not in text  # the labels, never the codes
    assert not list(target.parent.glob(".*partial"))
    with services.db.read() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert audit.username == "boss" and audit.entity_id == filled["customer"]


def test_a_failed_export_leaves_no_file(services: Services, station: dict[str, Actor],
                                        filled: dict[str, str], tmp_path: Path) -> None:
    def broken(_digest: str) -> bytes:
        raise RuntimeError("disk gone")

    services.privacy.read_photo = broken
    target = tmp_path / "x.zip"
    with pytest.raises(RuntimeError):
        services.privacy.export_customer(station["manager"], filled["customer"], target)
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".x.zip*")) == []


def test_a_photo_missing_here_is_named_and_left_out(
        services: Services, station: dict[str, Actor], filled: dict[str, str],
        tmp_path: Path) -> None:
    def missing(_digest: str) -> bytes:
        raise RuleViolation("The photo is missing.")

    services.privacy.read_photo = missing
    result = services.privacy.export_customer(station["manager"], filled["customer"],
                                              tmp_path / "p.zip")
    assert (result.photos, result.missing_photos) == (0, 1)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        data = json.loads(z.read(JSON_NAME))
        assert not [n for n in z.namelist() if n.startswith("photos/")]
    first = next(o for o in data["orders"] if o["id"] == filled["first"])
    assert first["attachments"][0]["file"] is None and first["attachments"][0]["sha256"]


def test_only_the_manager_exports_or_erases(services: Services, station: dict[str, Actor],
                                            filled: dict[str, str], tmp_path: Path) -> None:
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.privacy.export_customer(station[who], filled["customer"],
                                             tmp_path / "a.zip")
        with pytest.raises(PermissionDenied):
            services.privacy.erase_customer(station[who], filled["customer"], "本人", "要求")
    assert not (tmp_path / "a.zip").exists()
    with services.db.read() as s:
        assert s.get(Customer, filled["customer"]).name == NAME


def test_the_erasure_leaves_no_personal_value_anywhere_and_keeps_the_orders(
        services: Services, station: dict[str, Actor], filled: dict[str, str]) -> None:
    before = _everything(services)
    assert all(value in before for value in SECRETS)
    with services.db.read() as s:
        amounts = {o.number: sum(c.quantity * c.unit_price_fen for c in o.charge_lines)
                   for o in s.scalars(select(ServiceOrder)
                                      .where(ServiceOrder.customer_id == filled["customer"]))}
    result = services.privacy.erase_customer(station["manager"], filled["customer"],
                                             "客户本人（电话申请）", "依个人信息保护法要求删除")
    assert result.orders == 2
    after = _everything(services)
    leftovers = [value for value in SECRETS if value in after]
    assert not leftovers, leftovers
    assert "路人甲" in after and "13700001111" in after  # the other customer is untouched
    with services.db.read() as s:
        customer = s.get(Customer, filled["customer"])
        assert customer.name == ERASED_NAME and customer.erased_at is not None
        assert customer.phones == []
        orders = {o.number: o for o in s.scalars(
            select(ServiceOrder).where(ServiceOrder.customer_id == filled["customer"]))}
        assert {n: sum(c.quantity * c.unit_price_fen for c in o.charge_lines)
                for n, o in orders.items()} == amounts
        assert orders[filled["first_number"]].fault_description.startswith("不制冷")
        erasure = s.scalars(select(CustomerErasure)).one()
        assert (erasure.requested_by, erasure.username) == ("客户本人（电话申请）", "boss")
        op = s.scalars(select(OutboxOp).where(OutboxOp.entity == "customer_erasure")).one()
        payload = json.loads(op.payload)
    assert payload["customer_id"] == filled["customer"] and op.op == "event"
    assert set(payload["order_ids"]) == {filled["first"], filled["second"]}
    # search finds the tombstone, never the old name or phone
    assert services.customers.search(NAME) == []
    assert services.customers.search(PHONE) == []
    assert services.orders.search(OrderFilter(text=PHONE)) == []
    rows = services.orders.search(OrderFilter(text=filled["first_number"]))
    assert [(r.customer_name, r.contact_phone) for r in rows] == [(ERASED_NAME, "")]


def test_a_second_erasure_is_refused_and_changes_nothing(
        services: Services, station: dict[str, Actor], filled: dict[str, str]) -> None:
    services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "要求删除")
    with services.db.read() as s:
        ops = len(s.scalars(select(OutboxOp)).all())
    with pytest.raises(RuleViolation) as err:
        services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "再次")
    assert err.value.field == "customer"
    with services.db.read() as s:
        assert len(s.scalars(select(OutboxOp)).all()) == ops
        assert len(s.scalars(select(CustomerErasure)).all()) == 1


def test_who_asked_and_why_are_required(services: Services, station: dict[str, Actor],
                                        filled: dict[str, str]) -> None:
    with pytest.raises(RuleViolation) as err:
        services.privacy.erase_customer(station["manager"], filled["customer"], " ", "要求")
    assert err.value.field == "requested_by"
    with pytest.raises(RuleViolation) as err:
        services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "")
    assert err.value.field == "reason"
    with services.db.read() as s:
        assert s.get(Customer, filled["customer"]).erased_at is None


def test_the_customer_is_found_by_id_or_a_phone_only_he_has(
        services: Services, station: dict[str, Actor], filled: dict[str, str]) -> None:
    assert services.privacy.find(filled["customer"]) == filled["customer"]
    assert services.privacy.find(PHONE) == filled["customer"]
    with pytest.raises(RuleViolation):
        services.privacy.find("13000000000")


def test_the_order_papers_print_the_tombstone(services: Services, station: dict[str, Actor],
                                              filled: dict[str, str]) -> None:
    services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "要求删除")
    sheet = services.reports.sheet(filled["first_number"])
    assert (sheet.customer_name, sheet.contact_phone, sheet.address) == (ERASED_NAME, "", "")
    assert sheet.number == filled["first_number"] and sheet.charges


def test_a_failure_midway_erases_nothing(services: Services, station: dict[str, Actor],
                                         filled: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import customer_privacy

    before = _everything(services)

    def broken(*_args: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(customer_privacy, "journal_order", broken)
    with pytest.raises(RuntimeError):
        services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "要求")
    assert _everything(services) == before


def test_an_erased_file_cannot_be_filled_in_again_nor_get_new_orders(
        services: Services, station: dict[str, Actor], filled: dict[str, str]) -> None:
    clerk = station["clerk"]
    services.privacy.erase_customer(station["manager"], filled["customer"], "本人", "要求删除")
    erased = services.customers.get(filled["customer"])
    with pytest.raises(RuleViolation) as err:
        services.customers.update(clerk, filled["customer"], _input(ADDRESS, NOTES),
                                  erased.revision)
    assert err.value.field == "customer"
    with pytest.raises(RuleViolation) as err:
        new_order(services, clerk, customer_id=filled["customer"], service_address="北京")
    assert err.value.field == "customer"
    assert NAME not in _everything(services)
