"""Another device's ops applied at this device (issue 15): every relayed entity made through the
real services on device A, its outbox payloads applied as relayed changes at device B, and
the two devices' ``station_state`` equal field by field; nothing journalled at B; users log in
at B with A's passwords (a disabled one cannot); an erasure relayed masks the person and the
search finds nothing; a relayed issue of the last unit is a shortage the manager settles only
once the stock is no longer negative."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, func, inspect, select

from app.bootstrap import Services, open_services
from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.i18n import render
from app.services.context import SYSTEM
from app.services.customers import customer_payload
from app.services.errors import LoginFailed, PermissionDenied
from app.services.journal import record, row_payload
from app.services.relay_rows import ROWS
from app.services.sales import NewSale, SaleLineInput
from app.services.station_state import station_state
from app.services.sync_apply import apply_change
from app.services.sync_conflicts import ConflictDesk
from app.services.users import NewUser
from app.store.models import (
    AuditEntry,
    ClaimBatch,
    ClaimLine,
    Customer,
    OldPart,
    OutboxOp,
    Part,
    Product,
    ServiceOrder,
    StockMovement,
    SyncConflict,
    User,
    WarrantyPolicyRow,
)
from app.store.models.field_work import Notification
from app.store.models.search import FTS_TABLES
from sync import protocol as p
from sync.entities import RELAY_ORDER, relayed
from tests.conftest import PASSWORD, ManualClock, _template
from tests.services.permission_world import NOW, World, build_world, open_copy


@dataclass
class Pair:
    a: Services
    b: Services
    world: World
    applied: int


def copy_hq_data(a: Services, b: Services) -> None:
    """Head office's own data (catalogue, policy) is alike on every device: it comes from
    head office directly, not as a relayed op."""
    with a.db.read() as s:
        rows = [(type(r), {c.key: getattr(r, c.key) for c in inspect(type(r)).column_attrs})
                for model in (Part, WarrantyPolicyRow) for r in s.scalars(select(model))]
    with b.db.write() as s:
        for model, values in rows:
            if s.get(model, values["id"]) is None:
                s.add(model(**values))


def relay(a: Services, b: Services, after: int = 0, device: int = 1) -> int:
    """Applies A's outbox ops after seq ``after`` at B as relayed changes; the last seq."""
    with a.db.read() as s:
        ops = [(o.seq, o.op_id, o.entity, o.entity_id, o.op, json.loads(o.payload))
               for o in s.scalars(select(OutboxOp).where(OutboxOp.seq > after)
                                  .order_by(OutboxOp.seq))]
    last = after
    with b.db.write() as s:  # one pulled page: one transaction
        for seq, op_id, entity, entity_id, op, payload in ops:
            last = seq
            if relayed(entity):
                apply_change(s, p.Change(seq, entity, entity_id, op, payload, op_id=op_id,
                                         device=device), NOW)
    return last


def empty_device(root: Path) -> Services:
    template = _template(False, ManualClock(NOW))
    shutil.copytree(template.folder, root)
    return open_services(root, clock=ManualClock(NOW))


def _enrich(svc: Services, w: World) -> None:
    """Rows the permission world leaves in the draft or never makes: submitted, paid, set."""
    boss, tech = w.actors["manager"], w.actors["tech"]
    svc.catalogue.set_setting(boss, w.part, location="A-01-02", low_stock_threshold=3)
    svc.payments.receive(boss, w.done, 5000, PaymentMethod.CASH)
    svc.feedback.submit(tech, w.card)
    svc.claims.override(boss, w.batch, w.line, "missing_serial", "铭牌脱落，已拍照")
    svc.claims.submit(boss, w.batch)
    svc.counts.enter(boss, w.count, w.part, 16)
    svc.counts.post(boss, w.count, "季度盘点")
    svc.users.set_password(boss, w.actors["clerk"].user_id, "clerk-new-pass")
    svc.users.set_active(boss, w.spare, False)
    svc.sales.void(boss, w.sale, "退货")


def journal_shaped_rows(svc: Services) -> None:
    """The test helpers shape some orders, products, customers and old parts directly in the
    store (a finished repair under warranty): journal them as they stand, as the services
    would have, so the other device receives them too."""
    with svc.db.write() as s:
        for order in s.scalars(select(ServiceOrder)):
            record(s, SYSTEM, action="shaped", entity="service_order", entity_id=order.id,
                   payload=row_payload(order, charge_lines=[
                       row_payload(c) for c in order.charge_lines]), audit=False)
        for customer in s.scalars(select(Customer)):
            record(s, SYSTEM, action="shaped", entity="customer", entity_id=customer.id,
                   payload=customer_payload(customer), audit=False)
        for model, entity in ((Product, "product"), (OldPart, "old_part")):
            for row in s.scalars(select(model)):
                record(s, SYSTEM, action="shaped", entity=entity, entity_id=row.id,
                       payload=row_payload(row), audit=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("relay-world"))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, world: World) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("relay")
    a = open_copy(world, root / "a")
    b = empty_device(root / "b")
    try:
        _enrich(a, world)
        journal_shaped_rows(a)
        copy_hq_data(a, b)
        with b.db.read() as s:
            before = s.scalar(select(func.count()).select_from(OutboxOp)) or 0
        relay(a, b)
        yield Pair(a, b, world, before)
    finally:
        a.close()
        b.close()


def _state(svc: Services) -> dict:
    with svc.db.read() as s:
        return station_state(s)


@pytest.fixture(scope="module")
def states(pair: Pair) -> tuple[dict, dict]:
    return _state(pair.a), _state(pair.b)


@pytest.mark.parametrize("entity", [e for e in RELAY_ORDER if e != "customer_erasure"])
def test_every_relayed_entity_converges_field_by_field(states, entity: str) -> None:
    ours, theirs = states
    assert ours[entity], f"the world made no {entity}"
    assert theirs[entity] == ours[entity]


def test_every_relayed_entity_is_declared() -> None:
    assert set(ROWS) == set(RELAY_ORDER)


def test_relayed_ops_write_no_outbox_row_and_no_audit_as_a_local_user(pair: Pair) -> None:
    with pair.b.db.read() as s:
        assert (s.scalar(select(func.count()).select_from(OutboxOp)) or 0) == pair.applied
        assert not s.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.action.not_like("relay.%")))


def test_users_log_in_at_the_other_device_with_their_passwords(pair: Pair) -> None:
    assert pair.b.users.login("boss", PASSWORD).username == "boss"
    assert pair.b.users.login("clerk", "clerk-new-pass").username == "clerk"
    with pytest.raises(LoginFailed):
        pair.b.users.login("clerk", PASSWORD)
    with pytest.raises(LoginFailed):  # disabled at A: disabled here
        pair.b.users.login("spare", PASSWORD)


def test_a_users_lockout_stays_on_its_device(pair: Pair) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            pair.b.users.login("tech2", "wrong-password")
    with pair.a.db.write() as s:
        user = s.scalars(select(User).where(User.username == "tech2")).one()
        user.display_name = "赵师傅二"
        user.revision += 1
        s.flush()
        from app.services.journal import record
        from app.services.users import _user_payload

        record(s, pair.world.actors["manager"], action="rename", entity="user",
               entity_id=user.id, payload=_user_payload(user))
    with pair.a.db.read() as s:
        last = s.scalar(select(func.max(OutboxOp.seq))) or 0
    relay(pair.a, pair.b, last - 1)
    with pytest.raises(LoginFailed):  # still locked here, renamed all the same
        pair.b.users.login("tech2", PASSWORD)
    with pair.b.db.read() as s:
        assert s.scalars(select(User).where(User.username == "tech2")).one().locked_until
    assert pair.a.users.login("tech2", PASSWORD).username == "tech2"  # not locked there
    assert {u.display_name for u in pair.b.users.list_users()} >= {"赵师傅二"}


# -- erasure -------------------------------------------------------------------------------


def test_an_erasure_relayed_masks_the_person_and_search_finds_nothing(
        tmp_path: Path, world: World) -> None:
    a = open_copy(world, tmp_path / "a")
    b = empty_device(tmp_path / "b")
    try:
        boss = world.actors["manager"]
        # the customer of the finished order: signed for, paid, his order in the search
        a.payments.receive(boss, world.done, 5000, PaymentMethod.CASH)
        done = a.orders.detail(world.done)
        customer_id, phone = done.customer.id, done.contact_phone
        journal_shaped_rows(a)
        copy_hq_data(a, b)
        last = relay(a, b)
        name = a.customers.get(customer_id).name
        assert customer_id in {c.id for c in b.customers.search(name)}
        assert customer_id in {c.id for c in b.customers.search(phone)}
        a.privacy.erase_customer(boss, customer_id, "客户本人", "来电要求")
        with b.db.read() as s:
            before = s.scalar(select(func.count()).select_from(OutboxOp))
        statements: list[str] = []
        event.listen(b.db.engine, "before_cursor_execute",
                     lambda _c, _k, sql, *_a: statements.append(sql))
        relay(a, b, last)
        # after the page committed, the FTS indexes were merged (no page keeps his words)
        assert sum("VALUES ('optimize')" in x for x in statements) == len(FTS_TABLES)
        with b.db.read() as s:
            customer = s.get(Customer, customer_id)
            assert customer.erased_at is not None and not customer.phones
            assert s.scalar(select(func.count()).select_from(OutboxOp)) == before
            order = s.get(ServiceOrder, world.done)
            assert order.contact_phone == "" and order.service_address == ""
        assert customer_id not in {c.id for c in b.customers.search(name)}
        assert customer_id not in {c.id for c in b.customers.search(phone)}
        assert _state(a) == _state(b)
    finally:
        a.close()
        b.close()


# -- stock shortage --------------------------------------------------------------------------


def test_two_devices_issue_the_last_unit_a_shortage_the_manager_settles(
        tmp_path: Path, world: World) -> None:
    a = open_copy(world, tmp_path / "a")
    b = open_copy(world, tmp_path / "b")  # the same station state: a second device
    try:
        boss = world.actors["manager"]
        have = a.stock.on_hand(world.part)
        with a.db.read() as s:
            a_last = s.scalar(select(func.max(OutboxOp.seq)))
        # both devices, offline, take every unit there is: a sale here, an order there
        a.sales.sell(boss, NewSale([SaleLineInput(world.part, have)], PaymentMethod.CASH))
        b.order_parts.issue(world.actors["tech"], world.work, world.part, have)
        relay(a, b, a_last, device=1)
        assert b.stock.on_hand(world.part) == -have  # shown as it is, never hidden
        shortages = b.stock_shortages.shortages(boss)
        assert [x.part_id for x in shortages] == [world.part]
        short = shortages[0]
        assert short.on_hand == -have and {m.this_device for m in short.movements} == {True,
                                                                                      False}
        with b.db.read() as s:
            conflict = s.get(SyncConflict, short.conflict_id)
            assert conflict.kind == "stock_shortage"
            assert conflict.source_key.startswith(f"shortage:{world.part}:")
        with pytest.raises(PermissionDenied):
            b.stock_shortages.shortages(world.actors["clerk"])
        with pytest.raises(RuleViolation) as err:
            b.stock_shortages.settle(boss, short.conflict_id)
        assert "先盘点或入库" in render(err.value)
        with pytest.raises(RuleViolation):  # nor by taking note of it on the 冲突 page
            ConflictDesk(b.db, b.bus, b.orders).acknowledge(boss, short.conflict_id, "知道了")
        b.counts.enter(boss, world.count, world.part, 0)  # the world's open count
        b.counts.post(boss, world.count, "缺货盘点")
        assert b.stock.on_hand(world.part) == 0
        info = b.stock_shortages.settle(boss, short.conflict_id, "盘点后为零")
        assert info.resolved_at is not None
        assert b.stock_shortages.shortages(boss) == []
        with b.db.read() as s:
            assert s.scalar(select(func.count()).select_from(StockMovement)
                            .where(StockMovement.part_id == world.part)) > 2
    finally:
        a.close()
        b.close()


def test_a_photo_taken_on_another_device_says_so(pair: Pair) -> None:
    from app.services.relay_photos import PhotoElsewhere

    detail = pair.b.orders.detail(pair.world.work)
    digest = next(x.sha256 for x in detail.attachments if x.id == pair.world.photo)
    with pytest.raises(PhotoElsewhere) as err:
        pair.b.orders.read_attachment(digest)
    assert "照片在另一台电脑上" in render(err.value)
    assert pair.a.orders.read_attachment(digest)  # the device that took it shows it


# -- head-office fields ----------------------------------------------------------------------


def test_a_relayed_payload_never_blanks_what_head_office_set_here(
        tmp_path: Path, world: World) -> None:
    """Claim decisions and delivery states come to every device from head office directly; a
    relayed payload written before them (here: the same op delivered again) keeps them."""
    a = open_copy(world, tmp_path / "a")
    b = open_copy(world, tmp_path / "b")
    try:
        boss = world.actors["manager"]
        with a.db.read() as s:
            last = s.scalar(select(func.max(OutboxOp.seq)))
        a.claims.override(boss, world.batch, world.line, "missing_serial", "铭牌脱落，已拍照")
        a.claims.submit(boss, world.batch)
        relay(a, b, last)
        with b.db.write() as s:
            apply_change(s, p.Change(700, p.HqEntity.CLAIM_DECISION.value, world.batch,
                                     "upsert", {"batch_id": world.batch, "hq_revision": 700,
                                                "lines": [{"line_id": world.line,
                                                           "decision": "approved",
                                                           "reason": "符合政策"}]}), NOW)
            note = s.scalars(select(Notification)).first()
            apply_change(s, p.Change(701, p.HqEntity.NOTIFICATION_STATE.value, note.id,
                                     "upsert", {"notification_id": note.id,
                                                "state": "delivered", "attempts": 1,
                                                "state_at": NOW.isoformat()}), NOW)
            note_id = note.id
        relay(a, b, last)  # A's older payloads again
        with b.db.read() as s:
            note = s.get(Notification, note_id)
            assert note.state == "delivered" and note.attempts == 1
            line = s.get(ClaimLine, world.line)
            assert line.decision == "approved" and line.decision_reason == "符合政策"
            assert s.get(ClaimBatch, world.batch).hq_revision == 700
    finally:
        a.close()
        b.close()


def test_a_station_entity_without_op_id_is_never_taken_for_a_head_office_change(
        pair: Pair) -> None:
    with pair.a.db.read() as s:
        order = s.get(ServiceOrder, pair.world.received)
        payload = row_payload(order, charge_lines=[row_payload(c) for c in order.charge_lines])
    payload["fault_description"] = "空调异响（另一台电脑改的）"
    with pair.b.db.write() as s:
        apply_change(s, p.Change(900, "service_order", order.id, "upsert", payload), NOW)
    assert pair.b.orders.detail(order.id).fault_description == "空调异响（另一台电脑改的）"
    with pair.b.db.read() as s:
        assert not s.scalar(select(func.count()).select_from(SyncConflict)
                            .where(SyncConflict.source_key == "hq:900"))


def test_two_devices_adding_one_user_name_keeps_both_and_asks_to_rename(pair: Pair) -> None:
    boss_b = pair.b.users.login("boss", PASSWORD)
    pair.b.users.create_user(boss_b, NewUser("wang", "王二", Role.TECHNICIAN, PASSWORD))
    with pair.a.db.read() as s:
        last = s.scalar(select(func.max(OutboxOp.seq)))
    pair.a.users.create_user(pair.world.actors["manager"],
                             NewUser("wang", "王五", Role.CLERK, "wang-pass-5"))
    relay(pair.a, pair.b, last, device=3)
    users = {u.display_name: u for u in pair.b.users.list_users()}
    # the smaller id keeps the name on every device, whichever came first; the other is
    # kept under a name made of its id, alike everywhere
    kept, moved = sorted((users["王二"], users["王五"]), key=lambda u: u.id)
    assert kept.username == "wang"
    assert moved.username == f"wang~{moved.id.replace('-', '')[:4]}"
    password = "wang-pass-5" if moved.display_name == "王五" else PASSWORD
    assert pair.b.users.login(moved.username, password).username == moved.username
    with pair.b.db.read() as s:
        conflict = s.scalars(select(SyncConflict).where(
            SyncConflict.kind == "user_name_clash")).one()
        assert moved.username in conflict.remote_summary
    relay(pair.a, pair.b, last, device=3)  # again: nothing new
    with pair.b.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.kind == "user_name_clash")) == 1


def test_a_joining_download_checks_the_finished_stock_not_each_row(
        tmp_path: Path, world: World) -> None:
    from app.services import stock_shortage

    b = open_copy(world, tmp_path / "b")
    try:
        have = b.stock.on_hand(world.part)
        user_id = world.actors["tech"].user_id
        out = {"id": "7f1c2a9e-0000-4000-8000-000000000001", "part_id": world.part,
               "kind": "issued", "quantity": -(have + 2), "created_at": NOW.isoformat(),
               "user_id": user_id, "username": "tech", "reason": "", "order_id": world.work,
               "sale_id": None, "count_id": None, "parts_order_id": None, "reference": ""}
        with b.db.write() as s:  # a state row of the download: hq_seq 0
            apply_change(s, p.Change(0, "stock_movement", out["id"], "event", out,
                                     op_id="state"), NOW)
            assert not s.scalar(select(func.count()).select_from(SyncConflict)
                                .where(SyncConflict.kind == "stock_shortage"))
            assert stock_shortage.check_all(s, NOW) == 1
            assert stock_shortage.check_all(s, NOW) == 0
        assert b.stock.on_hand(world.part) == -2
        assert [x.on_hand for x in b.stock_shortages.shortages(world.actors["manager"])] == [-2]
    finally:
        b.close()


def test_two_devices_setting_one_parts_shelf_offline_converge(
        tmp_path: Path, world: World) -> None:
    a = open_copy(world, tmp_path / "a")
    b = open_copy(world, tmp_path / "b")
    try:
        boss = world.actors["manager"]
        marks = {}
        for svc in (a, b):
            with svc.db.read() as s:
                marks[id(svc)] = s.scalar(select(func.max(OutboxOp.seq)))
        a.catalogue.set_setting(boss, world.part, location="A-01", low_stock_threshold=2)
        b.catalogue.set_setting(boss, world.part, location="B-09", low_stock_threshold=5)
        relay(a, b, marks[id(a)], device=1)
        relay(b, a, marks[id(b)], device=2)
        ours, theirs = _state(a)["part_setting"], _state(b)["part_setting"]
        assert ours == theirs and len(ours) == 1
    finally:
        a.close()
        b.close()
