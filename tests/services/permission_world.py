"""The station the permission-matrix test walks: one row of every kind an entry point acts on
(orders in every state, all assigned to the technician ``tech``; parts, old parts, a shipment,
a sale, a stock count, parts orders, a claim batch, feedback cards, sync conflicts), built once
through the services in a template data folder and copied for every call that may write."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from app.bootstrap import Services, open_services
from app.domain.charges import Charge
from app.domain.enums import ChargeKind, Role
from app.domain.feedback import CauseCategory
from app.domain.parts import PaymentMethod, part_id
from app.domain.state_machine import Action
from app.services.context import Actor
from app.services.feedback import CardFields
from app.services.parts_orders import LineInput
from app.services.sales import NewSale, SaleLineInput
from app.services.sync_apply import apply_change
from app.services.sync_token import FileTokenStore
from app.services.users import NewStation, NewUser
from app.store.base import Base
from app.store.models import SyncConflict
from sync import protocol as p
from tests.conftest import PASSWORD, ManualClock
from tests.services.claims_helpers import Shape, add_parts, finished_order, publish_policy
from tests.services.helpers import new_order
from tests.services.signature_helpers import drawn
from tests.services.test_order_parts import IN_WARRANTY, OUT_OF_WARRANTY, make_part

PERIOD = "2026-05"
START = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
#: the copies' clock: two hours after the orders were taken
NOW = START + timedelta(hours=2)
ROLES = ("manager", "clerk", "tech", "tech2")
FULL_CARD = CardFields(product_model="KFR-35GW", serial_no="SN0001", production_info="2025-03",
                       fault_phenomenon="不制冷", faulty_part="启动电容",
                       cause_category=CauseCategory.MATERIAL, use_environment="沿海",
                       customer_opinion="希望尽快修好")
RETURNED = "AC-COMP-1"  # a part whose old part goes back to head office
CATALOGUE_CSV = ("part_no,name,unit,retail_price,station_price\n"
                 "NEW-PART-1,新配件,个,12.00,8.00\n").encode()


@dataclass
class World:
    root: Path
    actors: dict[str, Actor]
    ids: dict[str, str]

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["ids"][name]
        except KeyError:
            raise AttributeError(name) from None


def photo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), "#3a7").save(path, "JPEG")
    return path


def build_world(root: Path) -> World:
    """Builds the template station in ``root`` (closed afterwards, ready to copy)."""
    clock = ManualClock(START)
    svc = open_services(root / "station", clock=clock)
    ids: dict[str, str] = {}
    try:
        svc.users.set_up_station(
            NewStation("BJ001", "北京海淀维修站", "北京市海淀区中关村大街1号", "010-62345678"),
            NewUser("boss", "张站长", Role.MANAGER, PASSWORD))
        boss = svc.users.login("boss", PASSWORD)
        for name, display, role in (("clerk", "李信息", Role.CLERK),
                                    ("tech", "王师傅", Role.TECHNICIAN),
                                    ("tech2", "赵师傅", Role.TECHNICIAN),
                                    ("spare", "钱信息", Role.CLERK)):
            svc.users.create_user(boss, NewUser(name, display, role, PASSWORD))
        actors = {"manager": boss} | {r: svc.users.login(r, PASSWORD)
                                      for r in ("clerk", "tech", "tech2")}
        ids["spare"] = svc.users.login("spare", PASSWORD).user_id
        clerk, tech = actors["clerk"], actors["tech"]
        _orders(svc, actors, ids, root)
        _parts(svc, actors, ids, root)
        _warranty(svc, actors, ids, root)
        _conflicts(svc, ids)
        (root / "files").mkdir(exist_ok=True)
        (root / "files" / "catalogue.csv").write_bytes(CATALOGUE_CSV)
        del clerk, tech
    finally:
        svc.close()
    return World(root / "station", actors, ids)


def _orders(svc: Services, a: dict[str, Actor], ids: dict[str, str], root: Path) -> None:
    clerk, tech, boss = a["clerk"], a["tech"], a["manager"]
    tid = tech.user_id
    ids["received"] = new_order(svc, clerk, serial="SN-R").id
    accepted = new_order(svc, clerk, serial="SN-A", phone="13812345601")
    ids["accepted"] = svc.orders.transition(clerk, accepted.id, Action.ACCEPT).id
    ids["assigned"] = new_order(svc, clerk, serial="SN-S", phone="13812345602",
                                technician_id=tid).id
    ids["appointment"] = svc.appointments.book(clerk, ids["assigned"], tid,
                                               START + timedelta(hours=4),
                                               START + timedelta(hours=6)).id
    work = new_order(svc, clerk, serial="SN-W", phone="13812345603", technician_id=tid,
                     purchase_date=IN_WARRANTY)
    ids["work"] = work.id
    ids["customer"] = work.customer.id
    ids["product"] = work.product.id
    svc.orders.transition(tech, work.id, Action.START_ON_SITE)
    detail = svc.orders.add_repair_record(tech, work.id, "电容鼓包", "更换电容", 30)
    ids["record"] = detail.repairs[0].id
    detail = svc.orders.attach_photo(tech, work.id, photo(root / "files" / "work.jpg"))
    ids["photo"] = detail.attachments[0].id
    done = new_order(svc, clerk, serial="SN-D", phone="13812345604", technician_id=tid,
                     purchase_date=OUT_OF_WARRANTY)
    ids["done"] = done.id
    svc.orders.transition(tech, done.id, Action.START_ON_SITE)
    done = svc.orders.detail(done.id)
    svc.orders.set_charges(tech, done.id, [Charge(ChargeKind.LABOUR, "维修工时", 1, 5000)],
                           done.revision)
    svc.orders.transition(tech, done.id, Action.COMPLETE)
    svc.signatures.sign(tech, done.id, "李雷", drawn())  # the customer signed on screen
    visited = new_order(svc, clerk, serial="SN-V", phone="13812345605", technician_id=tid)
    ids["visited"] = visited.id
    svc.orders.transition(tech, visited.id, Action.START_ON_SITE)
    svc.orders.transition(tech, visited.id, Action.COMPLETE)
    svc.visits.record_visit(boss, visited.id, {"speed": 5, "attitude": 5, "quality": 5,
                                               "price": 5})


def _parts(svc: Services, a: dict[str, Actor], ids: dict[str, str], root: Path) -> None:
    boss, clerk, tech = a["manager"], a["clerk"], a["tech"]
    part = make_part(svc, RETURNED, stock=20, return_required=True)
    ids["part"], ids["part_no"] = part.id, part.part_no
    svc.order_parts.issue(tech, ids["work"], part.id, 3)
    svc.order_parts.reserve(tech, ids["work"], part.id, 1)
    olds = [o.id for o in svc.old_parts.collected()]
    ids["old1"], ids["old2"], ids["old3"] = olds[:3]
    ids["shipment"] = svc.old_parts.create_shipment(clerk, [ids["old1"]]).id
    ids["sale"] = svc.sales.sell(clerk, NewSale([SaleLineInput(part.id, 1)],
                                                PaymentMethod.CASH)).id
    ids["count"] = svc.counts.open(boss).id
    po = svc.parts_orders
    ids["draft"] = po.create_draft(boss, [LineInput(RETURNED, 2)], "备货").id
    draft = po.create_draft(boss, [LineInput(RETURNED, 4)], "季度备货")
    shipped = po.submit(boss, draft.id, draft.revision)
    ids["shipped"] = shipped.id
    payload = {"parts_order_id": shipped.id, "number": shipped.number, "status": "shipped",
               "hq_revision": 1, "note": "", "confirmed_at": "2026-06-01T03:00:00+00:00",
               "shipped_at": "2026-06-01T03:00:00+00:00",
               "lines": [{"part_id": part_id(RETURNED), "part_no": RETURNED, "quantity": 0,
                          "confirmed_quantity": 4, "shipped_quantity": 4}]}
    with svc.db.write() as s:
        apply_change(s, p.Change(1, p.HqEntity.PARTS_ORDER_UPDATE.value, shipped.id, "upsert",
                                 payload), svc.parts_orders.clock())


def _warranty(svc: Services, a: dict[str, Actor], ids: dict[str, str], root: Path) -> None:
    boss, tech = a["manager"], a["tech"]
    publish_policy(svc, boss)
    add_parts(svc)
    finished_order(svc, boss, Shape(serial=""))
    batch = svc.claims.build(boss, PERIOD)
    ids["batch"], ids["line"] = batch.id, batch.lines[0].id
    ids["claimable"] = svc.orders.detail(finished_order(svc, boss, Shape(serial="SN-C2"))).number
    card = svc.feedback.new(tech, FULL_CARD)
    card = svc.feedback.attach_photo(tech, card.id, photo(root / "files" / "card.jpg"))
    ids["card"], ids["card_photo"] = card.id, card.photos[0].id


def _conflicts(svc: Services, ids: dict[str, str]) -> None:
    order = svc.orders.detail(ids["received"])
    fields = {"service_address": {"ours": order.service_address, "theirs": "北京市朝阳区建国路9号",
                                  "base": order.service_address}}
    rows = {
        "conflict_fields": SyncConflict(source_key="hq:901", kind="stale_edit",
                                        entity="service_order", entity_id=order.id,
                                        fields=json.dumps(fields, ensure_ascii=False)),
        "conflict_cancel": SyncConflict(source_key="hq:902", kind="late_cancel",
                                        entity="service_order", entity_id=ids["done"]),
        "conflict_note": SyncConflict(source_key="op:903", kind="rejected",
                                      entity="service_order", entity_id=ids["work"]),
    }
    with svc.db.write() as s:
        s.add_all(rows.values())
        s.flush()
        ids.update({k: row.id for k, row in rows.items()})


def open_copy(world: World, target: Path) -> Services:
    """A fresh station copied from the template (writes never leak between calls)."""
    shutil.copytree(world.root, target)
    svc = open_services(target, clock=ManualClock(NOW))
    svc.sync.tokens = FileTokenStore(target)  # never the OS keyring in a test
    return svc


def stored(svc: Services) -> dict[str, int]:
    """Rows per table: a refused call leaves every count as it was."""
    with svc.db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}
