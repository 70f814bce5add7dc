"""客户签字 (issue 16 item 4): the signature stored with the hash of what was signed, a blank
or broken image refused with nothing stored, the charges locked on every path while it is
valid, reopening voids it with the reason, who may take and reopen it."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import ChargeKind, Payer
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.i18n import render, set_language
from app.services import signature_lock
from app.services.errors import PermissionDenied
from app.services.orders import ChargeInput, OrderEdit
from app.services.payers import reassign_open_orders
from app.services.warranty_policy import current_policy
from app.store.models import OrderSignature, OutboxOp
from tests.services.helpers import counts, new_order
from tests.services.signature_helpers import blank, dot, drawn
from tests.services.test_order_parts import make_part

IN_WARRANTY = date(2026, 1, 10)
LINES = [ChargeInput(ChargeKind.LABOUR, "维修工时", 1, 5000),
         ChargeInput(ChargeKind.OTHER, "遥控器", 1, 2000)]


def _working(services, station, **kw):
    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk, technician_id=tech.user_id,
                      purchase_date=kw.pop("purchase", IN_WARRANTY), **kw)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    return services.orders.set_charges(tech, order.id, LINES, order.revision)


def _signed(services, station, **kw):
    order = _working(services, station, **kw)
    services.signatures.sign(station["tech"], order.id, "李雷", drawn())
    return services.orders.detail(order.id)


def _ops(services, entity="order_signature"):
    with services.db.read() as s:
        return [json.loads(op.payload) for op in
                s.scalars(select(OutboxOp).where(OutboxOp.entity == entity)
                          .order_by(OutboxOp.seq))]


def test_sign_stores_the_image_the_hash_of_the_charges_audited_and_synced(
        services, station) -> None:
    order = _working(services, station)
    image = drawn()
    info = services.signatures.sign(station["tech"], order.id, " 李雷 ", image)
    assert info.signer_name == "李雷" and info.valid and info.taken_by == "王师傅"
    assert info.image_png == image
    text = (f"order\t\"{order.number}\"\n"
            "line\t\"labour\"\t\"维修工时\"\t1\t5000\t\"maker\"\t5000\n"
            "line\t\"other\"\t\"遥控器\"\t1\t2000\t\"customer\"\t2000\n"
            "customer_due_fen\t2000\nmaker_claim_fen\t5000\n")
    assert info.content_hash == hashlib.sha256(text.encode()).hexdigest()
    current = services.signatures.current(order.id)
    assert current is not None and current.id == info.id and current.valid
    [payload] = _ops(services)
    assert base64.b64decode(payload["image_png"]) == image
    assert payload["content_hash"] == info.content_hash and payload["order_id"] == order.id
    mark = services.signatures.mark(order.id)
    assert mark is not None and mark.signer_name == "李雷" and mark.image_png == image


def test_the_hash_covers_payers_amounts_and_totals(services, station) -> None:
    order = _working(services, station)
    with services.db.write() as s:
        from app.store.models import ServiceOrder

        row = s.get(ServiceOrder, order.id)
        before = signature_lock.content_hash(row)
        row.charge_lines[0].payer = Payer.CUSTOMER.value
        assert signature_lock.content_hash(row) != before
        row.charge_lines[0].payer = Payer.MAKER.value
        row.charge_lines[1].unit_price_fen += 1
        assert signature_lock.content_hash(row) != before
        s.rollback()


@pytest.mark.parametrize("image", [blank(), dot(), b"not a png", drawn(60, 30),
                                   drawn(2400, 200), b"\x89PNG\r\n\x1a\n" + b"x" * 100],
                         ids=["blank", "dot", "not-png", "too-small", "too-wide", "broken"])
def test_a_blank_or_broken_image_is_refused_and_nothing_stored(services, station,
                                                               image) -> None:
    order = _working(services, station)
    before = counts(services)
    with pytest.raises(RuleViolation) as err:
        services.signatures.sign(station["tech"], order.id, "李雷", image)
    assert err.value.field == "image"
    assert counts(services) == before and services.signatures.current(order.id) is None


def test_a_smeared_pad_and_a_missing_name_are_refused(services, station) -> None:
    order = _working(services, station)
    from PIL import Image

    from tests.services.signature_helpers import png
    with pytest.raises(RuleViolation, match="mostly ink"):
        services.signatures.sign(station["tech"], order.id, "李雷",
                                 png(Image.new("RGB", (480, 160), "black")))
    with pytest.raises(RuleViolation) as err:
        services.signatures.sign(station["tech"], order.id, "  ", drawn())
    assert err.value.field == "signer_name"
    assert services.signatures.current(order.id) is None


def test_a_signed_order_is_not_signed_again_until_reopened(services, station) -> None:
    order = _signed(services, station)
    with pytest.raises(RuleViolation, match="already signed"):
        services.signatures.sign(station["clerk"], order.id, "李雷", drawn())


def test_changing_the_charges_after_signing_is_refused_until_reopened(services,
                                                                      station) -> None:
    tech, boss = station["tech"], station["manager"]
    order = _signed(services, station)
    before = counts(services)
    with pytest.raises(RuleViolation) as err:
        services.orders.set_charges(tech, order.id, [*LINES, ChargeInput(
            ChargeKind.TRAVEL, "上门费", 1, 3000)], order.revision)
    assert err.value.field == "charges"
    set_language("zh_CN")
    try:
        assert render(err.value) == "已签字的工单，修改费用前请先重开签字"
    finally:
        set_language("en")
    assert counts(services) == before
    # the same charges saved again change nothing that was signed
    same = services.orders.set_charges(tech, order.id, LINES, order.revision)
    assert services.signatures.current(order.id).valid
    services.signatures.reopen(boss, order.id, "客户要求加装支架")
    assert services.signatures.current(order.id) is None
    changed = services.orders.set_charges(tech, order.id, [*LINES, ChargeInput(
        ChargeKind.TRAVEL, "上门费", 1, 3000)], same.revision)
    assert len(changed.charges) == 3
    with services.db.read() as s:
        [row] = s.scalars(select(OrderSignature).where(OrderSignature.order_id == order.id))
        assert row.void_reason == "客户要求加装支架" and row.voided_at is not None
        assert row.voided_by == boss.user_id and row.image_png  # kept
    voided = _ops(services)[-1]
    assert voided["void_reason"] == "客户要求加装支架" and voided["voided_at"]


def test_issuing_and_returning_parts_is_refused_on_a_signed_order(services, station) -> None:
    tech, boss = station["tech"], station["manager"]
    part = make_part(services, stock=5)
    order = _working(services, station)
    services.order_parts.issue(tech, order.id, part.id, 2)
    services.signatures.sign(tech, order.id, "李雷", drawn())
    before = counts(services)
    for call in (lambda: services.order_parts.issue(tech, order.id, part.id, 1),
                 lambda: services.order_parts.return_parts(tech, order.id, part.id, 1)):
        with pytest.raises(RuleViolation, match="reopen the signature"):
            call()
    assert counts(services) == before
    services.signatures.reopen(boss, order.id, "多领了一个")
    services.order_parts.return_parts(tech, order.id, part.id, 1)


def test_a_product_change_that_changes_the_payers_is_refused(services, station) -> None:
    order = _signed(services, station)
    edit = OrderEdit(order.order_type, order.service_mode, order.fault_description,
                     order.contact_phone, order.service_address, None)
    with pytest.raises(RuleViolation, match="reopen the signature"):
        services.orders.update(station["clerk"], order.id, edit, order.revision)
    # an edit that leaves the charges as signed goes through
    edit = OrderEdit(order.order_type, order.service_mode, "空调不制冷，外机异响",
                     order.contact_phone, order.service_address, order.product.id)
    services.orders.update(station["clerk"], order.id, edit, order.revision)
    assert services.signatures.current(order.id).valid


def test_a_new_policy_leaves_a_signed_order_as_signed(services, station, clock) -> None:
    order = _signed(services, station)
    with services.db.write() as s:
        policy = current_policy(s)
        from app.store.models import ServiceOrder

        row = s.get(ServiceOrder, order.id)
        row.product.purchase_date = IN_WARRANTY - timedelta(days=3000)  # now out of warranty
        s.flush()
        reassign_open_orders(s, station["manager"], policy, clock())
        assert [c.payer for c in row.charge_lines] == ["maker", "customer"]


def test_who_may_take_and_reopen_a_signature(services, station) -> None:
    order = _working(services, station)
    with pytest.raises(PermissionDenied):  # not his order
        services.signatures.sign(station["tech2"], order.id, "李雷", drawn())
    services.signatures.sign(station["clerk"], order.id, "李雷", drawn())
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.signatures.reopen(station[who], order.id, "改价")
    assert services.signatures.current(order.id).valid
    with pytest.raises(RuleViolation) as err:
        services.signatures.reopen(station["manager"], order.id, " ")
    assert err.value.field == "reason"
    services.signatures.reopen(station["manager"], order.id, "改价")
    with pytest.raises(RuleViolation, match="no signature"):
        services.signatures.reopen(station["manager"], order.id, "改价")


def test_a_cancelled_order_is_not_signed(services, station) -> None:
    order = new_order(services, station["clerk"])
    services.orders.transition(station["manager"], order.id, Action.CANCEL, reason="客户取消")
    with pytest.raises(RuleViolation, match="cancelled"):
        services.signatures.sign(station["clerk"], order.id, "李雷", drawn())


def test_a_customers_export_carries_his_signatures_and_erasure_takes_them(
        services, station, tmp_path) -> None:
    import zipfile

    boss = station["manager"]
    order = _signed(services, station)
    target = tmp_path / "personal.zip"
    services.privacy.export_customer(boss, order.customer.id, target)
    with zipfile.ZipFile(target) as z:
        data = json.loads(z.read("data.json"))
    [exported] = data["orders"][0]["signatures"]
    assert exported["signer_name"] == "李雷" and base64.b64decode(exported["image_png"])
    services.privacy.erase_customer(boss, order.customer.id, "客户本人", "客户来电要求删除")
    with services.db.read() as s:
        [row] = s.scalars(select(OrderSignature).where(OrderSignature.order_id == order.id))
        assert row.image_png == b"" and row.signer_name == "" and row.content_hash
    ops = _ops(services)
    assert ops and all(op["image_png"] == "" and op["signer_name"] == "" for op in ops)
    assert services.signatures.mark(order.id) is None  # the paper is signed by hand again


def test_erasing_one_customer_leaves_anothers_signature_as_signed(services, station) -> None:
    boss = station["manager"]
    mine = _signed(services, station)
    other = _working(services, station, name="韩梅梅", phone="13900001111", serial="SN0002")
    services.signatures.sign(station["tech"], other.id, "李雷", drawn())  # her husband signed
    services.privacy.erase_customer(boss, mine.customer.id, "客户本人", "客户来电要求删除")
    kept = [op for op in _ops(services) if op["order_id"] == other.id]
    assert kept and all(op["signer_name"] == "李雷" and op["image_png"] for op in kept)
    assert services.signatures.current(other.id).signer_name == "李雷"
